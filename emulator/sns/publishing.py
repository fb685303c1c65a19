"""Publishing: match each confirmed subscription, build what it receives, store every queue
delivery in one transaction, then hand HTTP/S deliveries to the background deliverer.

A publish is signed once per distinct message text (the signature does not cover the
per-subscription UnsubscribeURL). As AWS does, FIFO topics deliver unsigned envelopes that carry
a SequenceNumber.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from emulator.context import RequestContext
from emulator.sns import envelope
from emulator.sns.backend import SnsBackend
from emulator.sns.dead_letters import dead_letter_delivery
from emulator.sns.delivery_policy import effective_delivery_policy
from emulator.sns.filter_policy import matches
from emulator.sns.http_delivery import HttpDelivery
from emulator.sns.publish_rules import DEDUPLICATION_WINDOW_MS, FifoFields, message_for
from emulator.sns.sqs_delivery import queue_delivery, raw_attributes
from emulator.sqs.fifo_rules import format_sequence_number
from storage.subscriptions import Subscription
from storage.topic_publish import Published, QueueDelivery, TopicDeduplication, TopicPublish
from storage.topics import Topic

Attributes = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class PublishInput:
    """One validated message to publish."""

    message: str
    subject: str | None = None
    structure: Mapping[str, str] | None = None
    attributes: Attributes | None = None
    fifo: FifoFields | None = None
    group_id: str | None = None  # a standard topic's optional MessageGroupId


def unsubscribe_url(ctx: RequestContext, subscription_arn: str) -> str:
    return f"{ctx.base_url}/?Action=Unsubscribe&SubscriptionArn={subscription_arn}"


class _Notifications:
    """The envelopes of one published message, signed once per distinct message text."""

    def __init__(self, sns: SnsBackend, ctx: RequestContext, topic: Topic, item: PublishInput,
                 message_id: str, timestamp_text: str, sequence_text: str | None) -> None:
        self.sns = sns
        self.ctx = ctx
        self.topic = topic
        self.item = item
        self.message_id = message_id
        self.timestamp_text = timestamp_text
        self.sequence_text = sequence_text
        self.shown_attributes = envelope.envelope_attributes(item.attributes)
        self._signed: dict[str, tuple[dict[str, str], tuple[str, str, str] | None]] = {}

    def _fields(self, text: str) -> tuple[dict[str, str], tuple[str, str, str] | None]:
        known = self._signed.get(text)
        if known is not None:
            return known
        fields = envelope.notification_fields(
            message_id=self.message_id, topic_arn=self.topic.arn, message=text,
            timestamp_text=self.timestamp_text, subject=self.item.subject,
            sequence_number=self.sequence_text,
        )
        signature = None
        if not self.topic.fifo:
            version = self.topic.attributes.get("SignatureVersion", "1")
            signer = self.sns.signer
            value = signer.sign(envelope.string_to_sign(fields, "Notification"), version)
            signature = (version, value, signer.certificate_url(self.ctx.base_url))
        self._signed[text] = (fields, signature)
        return fields, signature

    def body(self, subscription: Subscription, text: str) -> str:
        fields, signature = self._fields(text)
        return envelope.notification(
            fields, signature=signature,
            unsubscribe_url=unsubscribe_url(self.ctx, subscription.arn),
            attributes=self.shown_attributes,
        )


def _passes(sns: SnsBackend, subscription: Subscription, attributes: Attributes | None,
            text: str) -> bool:
    policy = sns.filter_policy(subscription)
    if policy is None:
        return True
    values = {
        name: (str(value.get("DataType")), str(value.get("StringValue") or ""))
        for name, value in (attributes or {}).items()
    }
    return matches(policy, attributes=values, body=text)


def _queue_delivery(
    sns: SnsBackend, subscription: Subscription, item: PublishInput, body: str, raw: bool,
    now_ms: int,
) -> QueueDelivery | None:
    group = item.fifo.group_id if item.fifo else item.group_id
    dedup = item.fifo.deduplication_id if item.fifo else None
    queue = sns.sqs.queues.by_arn(subscription.endpoint)
    delivery = None
    if queue is not None:
        delivery = queue_delivery(
            queue, body=body, attributes=raw_attributes(item.attributes) if raw else None,
            now_ms=now_ms, group_id=group, deduplication_id=dedup,
        )
    if delivery is None:
        delivery = dead_letter_delivery(sns, subscription, body, now_ms=now_ms, group_id=group,
                                        deduplication_id=dedup)
    return delivery


def _wake_receivers(sns: SnsBackend, deliveries: list[QueueDelivery], now_ms: int) -> None:
    """Wake each queue's waiters as an SQS send of the same messages does."""
    visible_at: dict[int, list[int]] = {}
    for delivery in deliveries:
        visible_at.setdefault(delivery.queue_id, []).append(delivery.message.visible_at)
    for queue_id, times in visible_at.items():
        sns.sqs.waiters.notify_stored(queue_id, times, now_ms)


async def publish(
    sns: SnsBackend, ctx: RequestContext, topic: Topic, items: list[PublishInput]
) -> list[Published]:
    """Publish ``items`` to ``topic`` (one transaction for all); their ids, in order."""
    now_ms = sns.clock.now_ms()
    timestamp_text = envelope.timestamp(now_ms)
    subscriptions = [s for s in sns.subscriptions.of_topic(topic.id) if s.confirmed]
    publishes: list[TopicPublish] = []
    http_deliveries: list[list[HttpDelivery]] = []
    for item in items:
        message_id = str(uuid.uuid4())
        sequence = sns.publishes.next_sequence(topic.id) if topic.fifo else None
        notifications = _Notifications(
            sns, ctx, topic, item, message_id, timestamp_text,
            None if sequence is None else format_sequence_number(sequence),
        )
        deliveries: list[QueueDelivery] = []
        https: list[HttpDelivery] = []
        for subscription in subscriptions:
            text = message_for(subscription.protocol, item.message, item.structure)
            if not _passes(sns, subscription, item.attributes, text):
                continue
            raw = subscription.attributes.get("RawMessageDelivery") == "true"
            body = text if raw else notifications.body(subscription, text)
            if subscription.protocol == "sqs":
                delivery = _queue_delivery(sns, subscription, item, body, raw, now_ms)
                if delivery is not None:
                    deliveries.append(delivery)
            else:
                https.append(HttpDelivery(
                    endpoint=subscription.endpoint, message_type="Notification",
                    message_id=message_id, topic_arn=topic.arn,
                    subscription_arn=subscription.arn, body=body, raw=raw,
                    delivery_policy=effective_delivery_policy(
                        topic.attributes.get("DeliveryPolicy"),
                        subscription.attributes.get("DeliveryPolicy"),
                    ),
                ))
        dedup = None
        if item.fifo is not None:
            dedup = TopicDeduplication(item.fifo.deduplication_id, DEDUPLICATION_WINDOW_MS)
        publishes.append(TopicPublish(topic.id, message_id, sequence, deliveries, dedup))
        http_deliveries.append(https)
    results = await sns.publishes.publish(publishes, now=now_ms)
    _wake_receivers(sns, [d for p in publishes for d in p.deliveries], now_ms)
    for result, https in zip(results, http_deliveries, strict=True):
        if not result.duplicate:
            for http_delivery in https:
                sns.http.submit(http_delivery)
    return results
