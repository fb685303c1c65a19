"""Publish and PublishBatch: validate, then fan out through ``publishing``."""

from __future__ import annotations

import re
from typing import Any

from emulator.context import RequestContext
from emulator.errors import AwsError
from emulator.sns import errors, publish_rules
from emulator.sns.backend import SnsBackend
from emulator.sns.publishing import PublishInput, publish
from emulator.sqs.fifo_rules import format_sequence_number
from storage.topic_publish import Published
from storage.topics import Topic

MAX_BATCH_ENTRIES = 10
_BATCH_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")


def _prepare(
    topic: Topic, *, message: str, subject: str | None, structure: str | None,
    attributes: dict[str, Any] | None, deduplication_id: str | None, group_id: str | None,
) -> PublishInput:
    publish_rules.check_message(message)
    publish_rules.check_subject(subject)
    publish_rules.check_attributes(attributes)
    publish_rules.check_size(message, attributes)
    parsed = publish_rules.parse_structure(message, structure)
    fifo = publish_rules.check_fifo_fields(
        fifo=topic.fifo, content_based=topic.attributes.get("ContentBasedDeduplication") == "true",
        message=message, group_id=group_id, deduplication_id=deduplication_id,
    )
    return PublishInput(message=message, subject=subject, structure=parsed,
                        attributes=attributes, fifo=fifo,
                        group_id=None if topic.fifo else group_id)


def _answer(published: Published) -> dict[str, Any]:
    answer: dict[str, Any] = {"MessageId": published.message_id}
    if published.sequence_number is not None:
        answer["SequenceNumber"] = format_sequence_number(published.sequence_number)
    return answer


async def publish_message(
    sns: SnsBackend,
    ctx: RequestContext,
    Message: str,
    TopicArn: str | None = None,
    TargetArn: str | None = None,
    PhoneNumber: str | None = None,
    Subject: str | None = None,
    MessageStructure: str | None = None,
    MessageAttributes: dict[str, Any] | None = None,
    MessageDeduplicationId: str | None = None,
    MessageGroupId: str | None = None,
) -> dict[str, Any]:
    if PhoneNumber is not None:
        raise errors.invalid_parameter(
            "Invalid parameter: PhoneNumber Reason: Kyu does not send SMS messages"
        )
    if TopicArn:
        topic = sns.topic(ctx, TopicArn, "Publish")
    elif TargetArn:
        topic = sns.topic(ctx, TargetArn, "Publish", parameter="TargetArn")
    else:
        raise errors.invalid_parameter(
            "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"
        )
    prepared = _prepare(
        topic, message=Message, subject=Subject, structure=MessageStructure,
        attributes=MessageAttributes, deduplication_id=MessageDeduplicationId,
        group_id=MessageGroupId,
    )
    [published] = await publish(sns, ctx, topic, [prepared])
    return _answer(published)


def _check_batch(entries: list[dict[str, Any]]) -> None:
    if not entries:
        raise errors.empty_batch()
    if len(entries) > MAX_BATCH_ENTRIES:
        raise errors.too_many_entries()
    ids = [entry.get("Id", "") for entry in entries]
    if any(not _BATCH_ID.fullmatch(entry_id) for entry_id in ids):
        raise errors.invalid_batch_entry_id()
    if len(set(ids)) != len(ids):
        raise errors.batch_ids_not_distinct()
    total = sum(publish_rules.message_size(entry.get("Message", ""), entry.get("MessageAttributes"))
                for entry in entries)
    if total > publish_rules.MAX_MESSAGE_BYTES:
        raise errors.batch_request_too_long()


async def publish_batch(
    sns: SnsBackend,
    ctx: RequestContext,
    TopicArn: str,
    PublishBatchRequestEntries: list[dict[str, Any]],
) -> dict[str, Any]:
    topic = sns.topic(ctx, TopicArn, "Publish")
    entries = PublishBatchRequestEntries
    _check_batch(entries)
    prepared: list[tuple[str, PublishInput]] = []
    failed: list[dict[str, Any]] = []
    for entry in entries:
        try:
            prepared.append((entry["Id"], _prepare(
                topic, message=entry.get("Message", ""), subject=entry.get("Subject"),
                structure=entry.get("MessageStructure"),
                attributes=entry.get("MessageAttributes"),
                deduplication_id=entry.get("MessageDeduplicationId"),
                group_id=entry.get("MessageGroupId"),
            )))
        except AwsError as error:
            failed.append({"Id": entry["Id"], "Code": error.code, "Message": error.message,
                           "SenderFault": error.sender})
    published = await publish(sns, ctx, topic, [item for _, item in prepared]) if prepared else []
    successful = [
        {"Id": entry_id, **_answer(result)}
        for (entry_id, _), result in zip(prepared, published, strict=True)
    ]
    return {"Successful": successful, "Failed": failed}
