"""``GET /_kyu/topics``: every SNS topic with its attributes and subscriptions, as JSON.

Query parameters ``account`` and ``region`` narrow the listing. A subscription's ``filterPolicy``
is the policy as a JSON object (null without one); ``arn`` is null while it awaits confirmation.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from emulator.admin import lookup
from emulator.sns.backend import SnsBackend
from emulator.sns.subscription_handlers import shown_attributes as subscription_attributes
from emulator.sns.topic_handlers import shown_attributes as topic_attributes
from storage.subscriptions import Subscription
from storage.topics import Topic

if TYPE_CHECKING:
    from emulator.app import Kyu


def matching_topics(
    sns: SnsBackend, *, account: str | None = None, region: str | None = None
) -> list[Topic]:
    return lookup.matching(sns.topics.all(), account=account, region=region)


def find_topic(
    sns: SnsBackend, name: str, *, account: str | None, region: str | None,
    default_account: str, default_region: str,
) -> Topic:
    """The topic called ``name`` (or with that ARN), preferring the default account and region."""
    by_arn = sns.topics.by_arn(name)
    if by_arn is not None:
        return by_arn
    return lookup.find_named(sns.topics.all(), "topic", name, account=account, region=region,
                             default_account=default_account, default_region=default_region)


def _filter_policy(subscription: Subscription) -> Any:
    text = subscription.attributes.get("FilterPolicy")
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def subscription_document(topic: Topic, subscription: Subscription) -> dict[str, Any]:
    attributes = subscription_attributes(topic, subscription)
    return {
        "arn": subscription.arn if subscription.confirmed else None,
        "protocol": subscription.protocol,
        "endpoint": subscription.endpoint,
        "pendingConfirmation": not subscription.confirmed,
        "rawMessageDelivery": attributes.get("RawMessageDelivery") == "true",
        "filterPolicy": _filter_policy(subscription),
        "filterPolicyScope": attributes.get("FilterPolicyScope"),
    }


def topic_document(sns: SnsBackend, topic: Topic) -> dict[str, Any]:
    return {
        "arn": topic.arn,
        "name": topic.name,
        "account": topic.account,
        "region": topic.region,
        "fifo": topic.fifo,
        "attributes": topic_attributes(sns, topic),
        "tags": dict(topic.tags),
        "subscriptions": [subscription_document(topic, s)
                          for s in sns.subscriptions.of_topic(topic.id)],
    }


def list_topics_endpoint(kyu: Kyu) -> Callable[[Request], Awaitable[dict[str, Any]]]:
    async def list_topics(request: Request) -> dict[str, Any]:
        topics = matching_topics(
            kyu.sns, account=request.query_params.get("account") or None,
            region=request.query_params.get("region") or None,
        )
        return {"topics": [topic_document(kyu.sns, topic) for topic in topics]}
    return list_topics
