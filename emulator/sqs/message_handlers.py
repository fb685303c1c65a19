"""Message operations: SendMessage, ReceiveMessage, DeleteMessage, ChangeMessageVisibility."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

from emulator.context import RequestContext
from emulator.errors import AwsError, invalid_parameter_value
from emulator.sqs import attribute_json, errors, receipts
from emulator.sqs.backend import SqsBackend
from emulator.sqs.fifo_rules import (
    DEDUPLICATION_WINDOW_MS,
    check_fifo_send,
    check_id,
    deduplication_id,
    deduplication_scope,
    format_sequence_number,
    not_for_this_queue_type,
)
from emulator.sqs.md5 import md5_of_attributes, md5_of_body
from emulator.sqs.message_rules import (
    check_message_size,
    message_size,
    select_message_attributes,
    validate_message_attributes,
    validate_message_body,
    validate_system_attributes,
)
from storage.fifo import FifoSend
from storage.messages import ClaimedMessage, NewMessage, VisibilityChange
from storage.queues import Queue

MAX_VISIBILITY_TIMEOUT = 43_200
MAX_DELAY_SECONDS = 900
MAX_WAIT_SECONDS = 20
SYSTEM_ATTRIBUTE_NAMES = (
    "SenderId",
    "SentTimestamp",
    "ApproximateReceiveCount",
    "ApproximateFirstReceiveTimestamp",
    "SequenceNumber",
    "MessageDeduplicationId",
    "MessageGroupId",
    "AWSTraceHeader",
    "DeadLetterQueueSourceArn",
)


def check_range(name: str, value: int | None, low: int, high: int, reason: str) -> None:
    if value is not None and not low <= value <= high:
        raise invalid_parameter_value(
            f"Value {value} for parameter {name} is invalid. Reason: {reason}"
        )


def check_visibility_timeout(value: int | None) -> None:
    check_range(
        "VisibilityTimeout", value, 0, MAX_VISIBILITY_TIMEOUT,
        f"Must be between 0 and {MAX_VISIBILITY_TIMEOUT}, if provided.",
    )


@dataclass(frozen=True)
class PreparedSend:
    message: NewMessage
    result: dict[str, Any]
    deduplication: tuple[str, str] | None  # FIFO only: (scope, deduplication id)


def prepare_message(
    sqs: SqsBackend,
    ctx: RequestContext,
    queue: Queue,
    *,
    body: str,
    delay_seconds: int | None,
    attributes: dict[str, Any] | None,
    system_attributes: dict[str, Any] | None,
    deduplication_id: str | None,
    group_id: str | None,
    now_ms: int,
    operation: str = "SendMessage",
) -> PreparedSend:
    """Validate one message for ``queue``; return the row to store and the send result."""
    validate_message_body(body)
    validate_message_attributes(attributes, operation=operation)
    validate_system_attributes(system_attributes)
    check_message_size(
        message_size(body, attributes), queue.int_attribute("MaximumMessageSize")
    )
    check_range(
        "DelaySeconds", delay_seconds, 0, MAX_DELAY_SECONDS,
        f"DelaySeconds must be >= 0 and <= {MAX_DELAY_SECONDS}",
    )
    deduplication: tuple[str, str] | None = None
    if queue.fifo:
        group_id = check_fifo_send(group_id, delay_seconds)
        dedup_id = _deduplication_id(queue, body, deduplication_id)
        deduplication = (deduplication_scope(queue.attributes, group_id), dedup_id)
        delay_seconds = None
        deduplication_id = dedup_id
    else:
        if deduplication_id is not None:
            raise not_for_this_queue_type("MessageDeduplicationId", deduplication_id)
        if group_id is not None:
            check_id("MessageGroupId", group_id)
    delay = queue.int_attribute("DelaySeconds") if delay_seconds is None else delay_seconds
    message = NewMessage(
        message_id=str(uuid.uuid4()),
        body=body,
        attributes=attribute_json.dump(attributes),
        system_attributes=attribute_json.dump(system_attributes),
        md5_body=md5_of_body(body),
        md5_attributes=md5_of_attributes(attributes),
        md5_system_attributes=md5_of_attributes(system_attributes),
        sender_id=ctx.access_key_id or ctx.account_id,
        sent_at=now_ms,
        visible_at=now_ms + delay * 1000,
        group_id=group_id,
        deduplication_id=deduplication_id,
    )
    result: dict[str, Any] = {"MessageId": message.message_id, "MD5OfMessageBody": message.md5_body}
    if message.md5_attributes:
        result["MD5OfMessageAttributes"] = message.md5_attributes
    if message.md5_system_attributes:
        result["MD5OfMessageSystemAttributes"] = message.md5_system_attributes
    return PreparedSend(message, result, deduplication)


def _deduplication_id(queue: Queue, body: str, given: str | None) -> str:
    content_based = queue.attributes.get("ContentBasedDeduplication") == "true"
    return deduplication_id(body, given, content_based=content_based)


async def store_prepared(
    sqs: SqsBackend, queue: Queue, prepared: list[PreparedSend], now_ms: int
) -> list[dict[str, Any]]:
    """Store prepared sends (FIFO ones through the deduplication window); return their results."""
    visible_at = [p.message.visible_at for p in prepared]
    if not queue.fifo:
        await sqs.messages.insert(queue.id, [p.message for p in prepared])
        sqs.waiters.notify_stored(queue.id, visible_at, now_ms)
        return [p.result for p in prepared]
    sends = []
    for p in prepared:
        assert p.deduplication is not None
        sends.append(FifoSend(p.message, *p.deduplication))
    sent = await sqs.fifo.send(queue.id, sends, now=now_ms, window_ms=DEDUPLICATION_WINDOW_MS)
    sqs.waiters.notify_stored(queue.id, visible_at, now_ms)
    return [
        {**p.result, "MessageId": s.message_id,
         "SequenceNumber": format_sequence_number(s.sequence_number)}
        for p, s in zip(prepared, sent, strict=True)
    ]


async def send_message(
    sqs: SqsBackend,
    ctx: RequestContext,
    QueueUrl: str,
    MessageBody: str,
    DelaySeconds: int | None = None,
    MessageAttributes: dict[str, Any] | None = None,
    MessageSystemAttributes: dict[str, Any] | None = None,
    MessageDeduplicationId: str | None = None,
    MessageGroupId: str | None = None,
) -> dict[str, Any]:
    queue = sqs.resolve(ctx, QueueUrl)
    now_ms = sqs.clock.now_ms()
    prepared = prepare_message(
        sqs, ctx, queue,
        body=MessageBody, delay_seconds=DelaySeconds, attributes=MessageAttributes,
        system_attributes=MessageSystemAttributes, deduplication_id=MessageDeduplicationId,
        group_id=MessageGroupId, now_ms=now_ms,
    )
    return (await store_prepared(sqs, queue, [prepared], now_ms))[0]


async def receive_message(
    sqs: SqsBackend,
    ctx: RequestContext,
    QueueUrl: str,
    AttributeNames: list[str] | None = None,
    MessageSystemAttributeNames: list[str] | None = None,
    MessageAttributeNames: list[str] | None = None,
    MaxNumberOfMessages: int | None = None,
    VisibilityTimeout: int | None = None,
    WaitTimeSeconds: int | None = None,
    ReceiveRequestAttemptId: str | None = None,
) -> dict[str, Any]:
    queue = sqs.resolve(ctx, QueueUrl)
    check_range(
        "MaxNumberOfMessages", MaxNumberOfMessages, 1, 10, "Must be between 1 and 10, if provided."
    )
    check_visibility_timeout(VisibilityTimeout)
    check_range(
        "WaitTimeSeconds", WaitTimeSeconds, 0, MAX_WAIT_SECONDS,
        f"Must be >= 0 and <= {MAX_WAIT_SECONDS}, if provided.",
    )
    if WaitTimeSeconds is None:
        WaitTimeSeconds = queue.int_attribute("ReceiveMessageWaitTimeSeconds")
    visibility = (
        queue.int_attribute("VisibilityTimeout") if VisibilityTimeout is None else VisibilityTimeout
    )
    attempt = None
    if queue.fifo and ReceiveRequestAttemptId is not None:
        check_id("ReceiveRequestAttemptId", ReceiveRequestAttemptId)
        attempt = (queue.id, ReceiveRequestAttemptId)
    claimed = await _retried_attempt(sqs, queue, attempt, visibility)
    if claimed is None:
        claimed = await _claim_waiting(
            sqs, queue, limit=MaxNumberOfMessages or 1, visibility=visibility,
            wait_seconds=WaitTimeSeconds,
        )
        if attempt is not None and claimed:
            sqs.receive_attempts.remember(attempt, claimed, sqs.clock.now_ms())
    wanted_system = _wanted_system_attributes(AttributeNames, MessageSystemAttributeNames)
    messages = [
        _received(queue, message, wanted_system, MessageAttributeNames) for message in claimed
    ]
    return {"Messages": messages} if messages else {}


async def _claim_waiting(
    sqs: SqsBackend, queue: Queue, *, limit: int, visibility: int, wait_seconds: int
) -> list[ClaimedMessage]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while True:
        wake = sqs.waiters.register(queue.id)
        try:
            now_ms = sqs.clock.now_ms()
            alive_after = sqs.alive_after(queue, now_ms)
            claimed = await _claim(sqs, queue, now_ms, alive_after, limit, visibility)
            remaining = deadline - loop.time()
            if claimed or remaining <= 0 or sqs.waiters.closing:
                return claimed
            next_visible = await sqs.messages.next_visible_at(
                queue.id, now=now_ms, alive_after=alive_after
            )
            if next_visible is not None:
                remaining = min(remaining, max(0.0, (next_visible - sqs.clock.now_ms()) / 1000))
            await asyncio.wait([wake], timeout=remaining)
            current = sqs.queues.get(queue.region, queue.account, queue.name)
            if current is None or current.id != queue.id:
                return []
            queue = current
        finally:
            sqs.waiters.unregister(queue.id, wake)


async def _claim(
    sqs: SqsBackend, queue: Queue, now_ms: int, alive_after: int, limit: int, visibility: int
) -> list[ClaimedMessage]:
    redrive = sqs.redrive(queue)
    until = now_ms + visibility * 1000
    if queue.fifo:
        claimed = await sqs.fifo.claim(
            queue.id, now=now_ms, alive_after=alive_after, limit=limit, visible_until=until,
            redrive=redrive,
        )
    else:
        claimed = await sqs.messages.claim(
            queue.id, now=now_ms, alive_after=alive_after, limit=limit, visible_until=until,
            redrive=redrive,
        )
    if redrive is not None:
        sqs.waiters.notify(redrive.target_queue_id)
    return claimed


async def _retried_attempt(
    sqs: SqsBackend, queue: Queue, attempt: tuple[int, str] | None, visibility: int
) -> list[ClaimedMessage] | None:
    """A FIFO receive retried with the same ReceiveRequestAttemptId gets the same messages."""
    if attempt is None:
        return None
    now_ms = sqs.clock.now_ms()
    earlier = sqs.receive_attempts.recall(attempt, now_ms)
    if earlier is None:
        return None
    again = await sqs.messages.extend_claimed(
        queue.id, [(m.row_id, m.receipt or "") for m in earlier], now=now_ms,
        visible_until=now_ms + visibility * 1000,
    )
    if len(again) != len(earlier):
        sqs.receive_attempts.forget(attempt)
        return None
    return again


def _wanted_system_attributes(
    attribute_names: list[str] | None, system_names: list[str] | None
) -> set[str]:
    requested = set(attribute_names or ()) | set(system_names or ())
    if "All" in requested:
        return set(SYSTEM_ATTRIBUTE_NAMES)
    return requested & set(SYSTEM_ATTRIBUTE_NAMES)


def _received(
    queue: Queue,
    message: ClaimedMessage,
    wanted_system: set[str],
    attribute_names: list[str] | None,
) -> dict[str, Any]:
    assert message.receipt is not None
    received: dict[str, Any] = {
        "MessageId": message.message_id,
        "ReceiptHandle": receipts.encode(queue.id, message.row_id, message.receipt),
        "MD5OfBody": message.md5_body,
        "Body": message.body,
    }
    if wanted_system:
        system = _system_attribute_values(message)
        selected = {k: v for k, v in system.items() if k in wanted_system}
        if selected:
            received["Attributes"] = selected
    attributes = select_message_attributes(attribute_json.load(message.attributes), attribute_names)
    if attributes:
        received["MD5OfMessageAttributes"] = md5_of_attributes(attributes)
        received["MessageAttributes"] = attributes
    return received


def _system_attribute_values(message: ClaimedMessage) -> dict[str, str]:
    values = {
        "SenderId": message.sender_id,
        "SentTimestamp": str(message.sent_at),
        "ApproximateReceiveCount": str(message.receive_count),
        "ApproximateFirstReceiveTimestamp": str(message.first_received_at or message.sent_at),
    }
    trace = attribute_json.load(message.system_attributes).get("AWSTraceHeader")
    if trace is not None:
        values["AWSTraceHeader"] = trace["StringValue"]
    if message.deduplication_id is not None:
        values["MessageDeduplicationId"] = message.deduplication_id
    if message.group_id is not None:
        values["MessageGroupId"] = message.group_id
    if message.sequence_number is not None:
        values["SequenceNumber"] = format_sequence_number(message.sequence_number)
    if message.dead_letter_source_arn is not None:
        values["DeadLetterQueueSourceArn"] = message.dead_letter_source_arn
    return values


def _decode_for(queue: Queue, handle: str) -> receipts.Receipt:
    receipt = receipts.decode(handle)
    if receipt.queue_id != queue.id:
        raise errors.receipt_handle_is_invalid(handle)
    return receipt


async def delete_one(sqs: SqsBackend, queue: Queue, handle: str) -> None:
    receipt = _decode_for(queue, handle)
    # A stale receipt (the message was received again since) succeeds without deleting, as on AWS.
    if await sqs.messages.delete(queue.id, receipt.row_id, receipt.token) and queue.fifo:
        sqs.waiters.notify(queue.id, 1)  # the next message of its group may now be received


async def delete_several(
    sqs: SqsBackend, queue: Queue, handles: list[str]
) -> list[AwsError | None]:
    """Delete several messages in one statement; per handle, the error that refused it or None.

    As with ``delete_one``, a stale receipt succeeds without deleting.
    """
    outcomes: list[AwsError | None] = []
    valid: list[tuple[int, str]] = []
    for handle in handles:
        try:
            receipt = _decode_for(queue, handle)
        except AwsError as error:
            outcomes.append(error)
            continue
        outcomes.append(None)
        valid.append((receipt.row_id, receipt.token))
    deleted = await sqs.messages.delete_many(queue.id, valid)
    if deleted and queue.fifo:
        sqs.waiters.notify(queue.id, deleted)  # the next messages of their groups may be received
    return outcomes


async def delete_message(
    sqs: SqsBackend, ctx: RequestContext, QueueUrl: str, ReceiptHandle: str
) -> None:
    await delete_one(sqs, sqs.resolve(ctx, QueueUrl), ReceiptHandle)


async def change_visibility_one(
    sqs: SqsBackend, queue: Queue, handle: str, timeout: int | None
) -> None:
    error = (await change_visibility_several(sqs, queue, [(handle, timeout)]))[0]
    if error is not None:
        raise error


async def change_visibility_several(
    sqs: SqsBackend, queue: Queue, entries: list[tuple[str, int | None]]
) -> list[AwsError | None]:
    """Change the visibility of several messages in one transaction; per (receipt handle,
    timeout), the error that refused it or None."""
    outcomes: list[AwsError | None] = [None] * len(entries)
    valid: list[tuple[int, str, int, receipts.Receipt]] = []  # position, handle, seconds, receipt
    for position, (handle, timeout) in enumerate(entries):
        try:
            check_visibility_timeout(timeout)
            valid.append((position, handle, timeout or 0, _decode_for(queue, handle)))
        except AwsError as error:
            outcomes[position] = error
    if not valid:
        return outcomes
    now_ms = sqs.clock.now_ms()
    changed = await sqs.messages.change_visibility_many(
        queue.id, [(r.row_id, r.token, now_ms + seconds * 1000) for _, _, seconds, r in valid],
        now=now_ms, longest_from_receive=MAX_VISIBILITY_TIMEOUT * 1000,
    )
    released = False
    for (position, handle, seconds, _), outcome in zip(valid, changed, strict=True):
        outcomes[position] = _visibility_error(outcome, handle, seconds)
        released = released or (outcomes[position] is None and seconds == 0)
    if released:
        sqs.waiters.notify(queue.id)
    return outcomes


def _visibility_error(outcome: str, handle: str, seconds: int) -> AwsError | None:
    if outcome == VisibilityChange.NOT_IN_FLIGHT:
        return errors.message_not_inflight()
    if outcome == VisibilityChange.UNKNOWN:
        return invalid_parameter_value(
            f"Value {handle} for parameter ReceiptHandle is invalid. Reason: Message does not "
            "exist or is not available for visibility timeout change."
        )
    if outcome == VisibilityChange.TOO_LONG:
        return invalid_parameter_value(
            f"Value {seconds} for parameter VisibilityTimeout is invalid. Reason: Total "
            f"VisibilityTimeout for the message is beyond the limit [{MAX_VISIBILITY_TIMEOUT} "
            "seconds]"
        )
    return None


async def change_message_visibility(
    sqs: SqsBackend,
    ctx: RequestContext,
    QueueUrl: str,
    ReceiptHandle: str,
    VisibilityTimeout: int,
) -> None:
    await change_visibility_one(sqs, sqs.resolve(ctx, QueueUrl), ReceiptHandle, VisibilityTimeout)


def failure(entry_id: str, error: AwsError) -> dict[str, Any]:
    return {
        "Id": entry_id, "SenderFault": error.sender, "Code": error.code, "Message": error.message
    }
