"""Subscription operations: Subscribe, ConfirmSubscription, Unsubscribe, the two listings and
Get/SetSubscriptionAttributes.

sqs subscriptions are confirmed at once; http/https ones stay pending until the endpoint confirms
with the token of the SubscriptionConfirmation that Subscribe sends it.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from emulator.context import RequestContext
from emulator.sns import confirmations, paging
from emulator.sns.backend import SnsBackend
from emulator.sns.delivery_policy import (
    DeliveryPolicyError,
    check_delivery_policy,
    effective_subscription_delivery_policy,
)
from emulator.sns.errors import invalid_parameter
from emulator.sns.subscription_rules import (
    AttributeReason,
    FilterPolicyError,
    check_endpoint,
    check_protocol,
    check_subscription_attributes,
)
from storage.subscriptions import NewSubscription, Subscription
from storage.topics import Topic

LIST_PAGE = 100
PENDING_ARN = "PendingConfirmation"
PENDING_ANSWER = "pending confirmation"
TOKEN_BYTES = 128


def _checked_attributes(
    protocol: str, attributes: Mapping[str, str], current: Mapping[str, str], *,
    in_subscribe: bool,
) -> dict[str, str]:
    def delivery_policy(value: str) -> str:
        if protocol not in ("http", "https"):
            raise AttributeReason(
                f"DeliveryPolicy: Delivery protocol [{protocol}] does not support delivery "
                "policies"
            )
        return check_delivery_policy(value, scope="subscription")

    head = "Invalid parameter: Attributes Reason: " if in_subscribe else "Invalid parameter: "
    try:
        return check_subscription_attributes(
            attributes, current=current, delivery_policy=delivery_policy
        )
    except AttributeReason as error:
        raise invalid_parameter(head + error.reason) from None
    except (FilterPolicyError, DeliveryPolicyError) as error:
        raise invalid_parameter(error.aws_message(in_subscribe=in_subscribe)) from None


def _listed(sns: SnsBackend, subscription: Subscription) -> dict[str, Any]:
    topic = sns.topics.by_id(subscription.topic_id)
    return {
        "SubscriptionArn": subscription.arn if subscription.confirmed else PENDING_ARN,
        "Owner": subscription.owner,
        "Protocol": subscription.protocol,
        "Endpoint": subscription.endpoint,
        "TopicArn": topic.arn if topic else "",
    }


async def subscribe(
    sns: SnsBackend,
    ctx: RequestContext,
    TopicArn: str,
    Protocol: str,
    Endpoint: str | None = None,
    Attributes: dict[str, str] | None = None,
    ReturnSubscriptionArn: bool | None = None,
) -> dict[str, Any]:
    topic = sns.topic(ctx, TopicArn, "Subscribe")
    protocol = check_protocol(Protocol)
    endpoint = check_endpoint(protocol, Endpoint, fifo_topic=topic.fifo)
    attributes = _checked_attributes(protocol, Attributes or {}, {}, in_subscribe=True)
    attributes = {k: v for k, v in attributes.items() if v != ""}
    for existing in sns.subscriptions.of_topic(topic.id):
        if existing.protocol == protocol and existing.endpoint == endpoint:
            if any(existing.attributes.get(k) != v for k, v in attributes.items()):
                raise invalid_parameter(
                    "Invalid parameter: Attributes Reason: Subscription already exists with "
                    "different attributes"
                )
            if not existing.confirmed:
                # Subscribing a pending endpoint again sends it a new confirmation, as AWS does.
                confirmations.send_subscription_confirmation(sns, ctx, topic, existing)
            shown = existing.arn if existing.confirmed or ReturnSubscriptionArn else PENDING_ANSWER
            return {"SubscriptionArn": shown}
    confirmed = protocol == "sqs"
    subscription = await sns.subscriptions.create(NewSubscription(
        arn=f"{topic.arn}:{uuid.uuid4()}", topic_id=topic.id, protocol=protocol,
        endpoint=endpoint, owner=ctx.account_id, attributes=attributes, confirmed=confirmed,
        token=None if confirmed else secrets.token_hex(TOKEN_BYTES),
        created_at=sns.clock.now_ms(),
    ))
    if not confirmed:
        confirmations.send_subscription_confirmation(sns, ctx, topic, subscription)
    shown = subscription.arn if confirmed or ReturnSubscriptionArn else PENDING_ANSWER
    return {"SubscriptionArn": shown}


async def confirm_subscription(
    sns: SnsBackend,
    ctx: RequestContext,
    TopicArn: str,
    Token: str,
    AuthenticateOnUnsubscribe: str | None = None,
) -> dict[str, Any]:
    # The token is the credential here: the SubscribeURL is visited without AWS credentials.
    topic = sns.topic_for_token(TopicArn)
    for subscription in sns.subscriptions.of_topic(topic.id):
        if subscription.token is not None and secrets.compare_digest(subscription.token, Token):
            if not subscription.confirmed:
                authenticated = (AuthenticateOnUnsubscribe or "").lower() == "true"
                subscription = await sns.subscriptions.confirm(
                    subscription, authenticated=authenticated
                )
            return {"SubscriptionArn": subscription.arn}
    raise invalid_parameter("Invalid parameter: Token")


async def unsubscribe(sns: SnsBackend, ctx: RequestContext, SubscriptionArn: str) -> None:
    subscription = sns.subscriptions.by_arn(SubscriptionArn)
    if subscription is None:
        if SubscriptionArn.count(":") < 6 or not SubscriptionArn.startswith("arn:aws:sns:"):
            raise invalid_parameter("Invalid parameter: SubscriptionArn")
        return  # already gone: Unsubscribe is idempotent
    subscription = sns.subscription(ctx, SubscriptionArn, "Unsubscribe")
    topic = sns.topics.by_id(subscription.topic_id)
    await sns.delete_subscription(subscription)
    if topic is not None and subscription.protocol in ("http", "https") and subscription.confirmed:
        confirmations.send_unsubscribe_confirmation(sns, ctx, topic, subscription)


async def list_subscriptions(
    sns: SnsBackend, ctx: RequestContext, NextToken: str | None = None
) -> dict[str, Any]:
    mine = []
    for subscription in sns.subscriptions.all():
        topic = sns.topics.by_id(subscription.topic_id)
        if subscription.owner == ctx.account_id and topic and topic.region == ctx.region:
            mine.append(subscription)
    return _page(sns, mine, NextToken)


async def list_subscriptions_by_topic(
    sns: SnsBackend, ctx: RequestContext, TopicArn: str, NextToken: str | None = None
) -> dict[str, Any]:
    topic = sns.topic(ctx, TopicArn, "ListSubscriptionsByTopic")
    return _page(sns, sns.subscriptions.of_topic(topic.id), NextToken)


def _page(sns: SnsBackend, subscriptions: list[Subscription], token: str | None) -> dict[str, Any]:
    page, next_token = paging.page(subscriptions, token, LIST_PAGE)
    result: dict[str, Any] = {"Subscriptions": [_listed(sns, s) for s in page]}
    if next_token is not None:
        result["NextToken"] = next_token
    return result


def shown_attributes(topic: Topic | None, subscription: Subscription) -> dict[str, str]:
    shown = {
        "ConfirmationWasAuthenticated": str(
            subscription.protocol == "sqs" or subscription.authenticated
        ).lower(),
        "PendingConfirmation": str(not subscription.confirmed).lower(),
        "Owner": subscription.owner,
        "RawMessageDelivery": "false",
        "TopicArn": topic.arn if topic else "",
        "Endpoint": subscription.endpoint,
        "Protocol": subscription.protocol,
        "SubscriptionArn": subscription.arn,
        "SubscriptionPrincipal": f"arn:aws:iam::{subscription.owner}:root",
    }
    if subscription.protocol in ("http", "https"):
        shown["EffectiveDeliveryPolicy"] = effective_subscription_delivery_policy(
            topic.attributes.get("DeliveryPolicy") if topic else None,
            subscription.attributes.get("DeliveryPolicy"),
        )
    if subscription.attributes.get("FilterPolicy"):
        shown["FilterPolicyScope"] = "MessageAttributes"
    shown.update(subscription.attributes)
    return shown


async def get_subscription_attributes(
    sns: SnsBackend, ctx: RequestContext, SubscriptionArn: str
) -> dict[str, Any]:
    subscription = sns.subscription(ctx, SubscriptionArn, "GetSubscriptionAttributes")
    topic = sns.topics.by_id(subscription.topic_id)
    return {"Attributes": shown_attributes(topic, subscription)}


async def set_subscription_attributes(
    sns: SnsBackend,
    ctx: RequestContext,
    SubscriptionArn: str,
    AttributeName: str,
    AttributeValue: str | None = None,
) -> None:
    subscription = sns.subscription(ctx, SubscriptionArn, "SetSubscriptionAttributes")
    checked = _checked_attributes(
        subscription.protocol, {AttributeName: AttributeValue or ""}, subscription.attributes,
        in_subscribe=False,
    )
    await sns.subscriptions.set_attributes(subscription, checked)
