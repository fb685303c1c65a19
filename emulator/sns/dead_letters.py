"""A subscription's dead-letter queue: where its failed deliveries go (RedrivePolicy).

The message keeps the body the endpoint would have received. A dead-letter queue that does not
exist (or cannot take the message) drops it, as AWS does.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from emulator.sns.sqs_delivery import queue_delivery
from storage.queues import Queue
from storage.subscriptions import Subscription
from storage.topic_publish import QueueDelivery, TopicPublish

if TYPE_CHECKING:
    from emulator.sns.backend import SnsBackend


def dead_letter_queue(sns: SnsBackend, subscription: Subscription) -> Queue | None:
    text = subscription.attributes.get("RedrivePolicy")
    if not text:
        return None
    try:
        target = json.loads(text).get("deadLetterTargetArn")
    except (ValueError, AttributeError):
        return None
    return sns.sqs.queues.by_arn(target) if isinstance(target, str) else None


def dead_letter_delivery(
    sns: SnsBackend, subscription: Subscription, body: str, *, now_ms: int,
    group_id: str | None = None, deduplication_id: str | None = None,
) -> QueueDelivery | None:
    queue = dead_letter_queue(sns, subscription)
    if queue is None:
        return None
    return queue_delivery(queue, body=body, attributes=None, now_ms=now_ms, group_id=group_id,
                          deduplication_id=deduplication_id)


async def dead_letter(sns: SnsBackend, subscription: Subscription, body: str) -> None:
    """Store a delivery that failed after the publish (HTTP retries ran out)."""
    now_ms = sns.clock.now_ms()
    delivery = dead_letter_delivery(sns, subscription, body, now_ms=now_ms)
    if delivery is None:
        return
    await sns.publishes.publish(
        [TopicPublish(subscription.topic_id, delivery.message.message_id, None, [delivery])],
        now=now_ms,
    )
    sns.sqs.waiters.notify(
        delivery.queue_id, None if delivery.message.visible_at > now_ms else 1
    )
