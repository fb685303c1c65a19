"""Topic operations: CreateTopic, DeleteTopic, ListTopics, Get/SetTopicAttributes."""

from __future__ import annotations

from typing import Any

from emulator.context import RequestContext
from emulator.sns import paging, tags
from emulator.sns.backend import SnsBackend
from emulator.sns.delivery_policy import (
    DeliveryPolicyError,
    check_delivery_policy,
    effective_topic_delivery_policy,
)
from emulator.sns.errors import invalid_parameter
from emulator.sns.topic_rules import (
    check_create_attributes,
    check_topic_attribute,
    check_topic_name,
    default_policy,
    fifo_defaults,
    parse_topic_arn,
    wants_fifo,
)
from storage.topics import Topic

LIST_PAGE = 100


def _topic_delivery_policy(value: str) -> str:
    try:
        return check_delivery_policy(value, scope="topic")
    except DeliveryPolicyError as error:
        raise invalid_parameter(error.message) from None


def shown_attributes(sns: SnsBackend, topic: Topic) -> dict[str, str]:
    """Every attribute GetTopicAttributes answers, defaults and counts included."""
    subscriptions = sns.subscriptions.of_topic(topic.id)
    confirmed = sum(1 for s in subscriptions if s.confirmed)
    shown = {
        "Policy": default_policy(topic.arn, topic.account),
        "Owner": topic.account,
        "SubscriptionsPending": str(len(subscriptions) - confirmed),
        "TopicArn": topic.arn,
        "EffectiveDeliveryPolicy": effective_topic_delivery_policy(
            topic.attributes.get("DeliveryPolicy")
        ),
        "SubscriptionsConfirmed": str(confirmed),
        "DisplayName": "",
        "SubscriptionsDeleted": str(topic.subscriptions_deleted),
    }
    if topic.fifo:
        shown.update(fifo_defaults())
    shown.update(topic.attributes)
    return shown


async def create_topic(
    sns: SnsBackend,
    ctx: RequestContext,
    Name: str,
    Attributes: dict[str, str] | None = None,
    Tags: list[dict[str, str]] | None = None,
    DataProtectionPolicy: str | None = None,
) -> dict[str, Any]:
    attributes = Attributes or {}
    fifo = wants_fifo(attributes)
    check_topic_name(Name, fifo=fifo)
    if DataProtectionPolicy:
        raise invalid_parameter(
            "Invalid parameter: DataProtectionPolicy Reason: Kyu does not support message data "
            "protection policies"
        )
    checked = check_create_attributes(attributes, fifo=fifo,
                                      delivery_policy=_topic_delivery_policy)
    wanted_tags = tags.check_tags(Tags or [])
    arn = f"arn:aws:sns:{ctx.region}:{ctx.account_id}:{Name}"
    existing = sns.topics.by_arn(arn)
    if existing is not None:
        current = shown_attributes(sns, existing)
        given = {k: v for k, v in attributes.items() if k != "FifoTopic"}
        if existing.fifo != fifo or any(current.get(k, "") != checked.get(k, "") for k in given):
            raise invalid_parameter(
                "Invalid parameter: Attributes Reason: Topic already exists with different "
                "attributes"
            )
        if any(existing.tags.get(k) != v for k, v in wanted_tags.items()):
            raise invalid_parameter(
                "Invalid parameter: Tags Reason: Topic already exists with different tags"
            )
        return {"TopicArn": arn}
    stored = {**fifo_defaults(), **checked} if fifo else checked
    topic = await sns.topics.create(
        ctx.region, ctx.account_id, Name, fifo=fifo, attributes=stored, tags=wanted_tags,
        now=sns.clock.now_ms(),
    )
    return {"TopicArn": topic.arn}


async def delete_topic(sns: SnsBackend, ctx: RequestContext, TopicArn: str) -> None:
    parse_topic_arn(TopicArn)
    topic = sns.topics.by_arn(TopicArn)
    if topic is None:
        return  # DeleteTopic is idempotent: a missing topic is not an error
    sns.check_access(ctx, topic, "DeleteTopic")
    await sns.delete_topics([topic])


async def list_topics(
    sns: SnsBackend, ctx: RequestContext, NextToken: str | None = None
) -> dict[str, Any]:
    topics = sns.topics.in_account(ctx.region, ctx.account_id)
    page, token = paging.page(topics, NextToken, LIST_PAGE)
    result: dict[str, Any] = {"Topics": [{"TopicArn": t.arn} for t in page]}
    if token is not None:
        result["NextToken"] = token
    return result


async def get_topic_attributes(
    sns: SnsBackend, ctx: RequestContext, TopicArn: str
) -> dict[str, Any]:
    topic = sns.topic(ctx, TopicArn, "GetTopicAttributes")
    return {"Attributes": shown_attributes(sns, topic)}


async def set_topic_attributes(
    sns: SnsBackend,
    ctx: RequestContext,
    TopicArn: str,
    AttributeName: str,
    AttributeValue: str | None = None,
) -> None:
    topic = sns.topic(ctx, TopicArn, "SetTopicAttributes")
    value = AttributeValue or ""
    if AttributeName == "FifoTopic":
        raise invalid_parameter("Invalid parameter: AttributeName")
    checked = check_topic_attribute(
        AttributeName, value, fifo=topic.fifo, delivery_policy=_topic_delivery_policy
    )
    await sns.topics.set_attributes(topic, {AttributeName: checked})
