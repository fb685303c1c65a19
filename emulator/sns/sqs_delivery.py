"""What SNS stores in a subscribed queue: the SQS message a delivery becomes.

The body is the Notification envelope or, with RawMessageDelivery, the message itself with its
attributes carried over as SQS message attributes (String.Array becomes String, as SQS has no
array type). A delivery that the queue cannot take (too large for its MaximumMessageSize, too
many attributes for SQS) is a failed delivery: it goes to the subscription's dead-letter queue if
it has one, as AWS does with client-side errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from emulator.sqs import attribute_json
from emulator.sqs.fifo_rules import deduplication_scope
from emulator.sqs.md5 import md5_of_attributes, md5_of_body
from emulator.sqs.message_rules import (
    MAX_MESSAGE_ATTRIBUTES,
    first_disallowed_character,
    message_size,
)
from storage.fifo import FifoSend
from storage.messages import NewMessage
from storage.queues import Queue
from storage.topic_publish import QueueDelivery

# The principal SNS sends as: a queue's messages from SNS carry it as SenderId.
SNS_SENDER_ID = "AIDAIT2UOQQY3AUEKVGXU"


def raw_attributes(
    attributes: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, dict[str, Any]] | None:
    """SNS message attributes as SQS message attributes."""
    if not attributes:
        return None
    converted: dict[str, dict[str, Any]] = {}
    for name, value in attributes.items():
        data_type = str(value.get("DataType"))
        if data_type == "String.Array":
            data_type = "String"
        entry: dict[str, Any] = {"DataType": data_type}
        if value.get("BinaryValue") is not None:
            entry["BinaryValue"] = value["BinaryValue"]
        else:
            entry["StringValue"] = value.get("StringValue")
        converted[name] = entry
    return converted


def queue_delivery(
    queue: Queue,
    *,
    body: str,
    attributes: dict[str, dict[str, Any]] | None,
    now_ms: int,
    group_id: str | None,
    deduplication_id: str | None,
) -> QueueDelivery | None:
    """The row to store in ``queue``, or None when the queue cannot take the message."""
    if first_disallowed_character(body) is not None:
        return None
    if attributes and len(attributes) > MAX_MESSAGE_ATTRIBUTES:
        return None
    if message_size(body, attributes) > queue.int_attribute("MaximumMessageSize"):
        return None
    if queue.fifo and (group_id is None or deduplication_id is None):
        return None  # a FIFO queue needs a group: only a FIFO topic delivers to one
    message = NewMessage(
        message_id=str(uuid.uuid4()),
        body=body,
        attributes=attribute_json.dump(attributes),
        system_attributes=None,
        md5_body=md5_of_body(body),
        md5_attributes=md5_of_attributes(attributes),
        md5_system_attributes=None,
        sender_id=SNS_SENDER_ID,
        sent_at=now_ms,
        visible_at=now_ms + queue.int_attribute("DelaySeconds") * 1000,
        group_id=group_id,
        deduplication_id=deduplication_id if queue.fifo else None,
    )
    if not queue.fifo:
        return QueueDelivery(queue.id, message)
    assert group_id is not None and deduplication_id is not None
    scope = deduplication_scope(queue.attributes, group_id)
    return QueueDelivery(queue.id, message, FifoSend(message, scope, deduplication_id))
