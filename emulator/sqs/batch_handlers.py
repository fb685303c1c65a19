"""Batch operations: each entry succeeds or fails on its own, after whole-batch checks."""

from __future__ import annotations

from typing import Any

from emulator.context import RequestContext
from emulator.errors import AwsError
from emulator.sqs.backend import SqsBackend
from emulator.sqs.message_handlers import (
    PreparedSend,
    change_visibility_several,
    delete_several,
    failure,
    prepare_message,
    store_prepared,
)
from emulator.sqs.message_rules import check_batch_size, message_size, validate_batch_entries

MAX_BATCH_BYTES = 1_048_576


async def send_message_batch(
    sqs: SqsBackend, ctx: RequestContext, QueueUrl: str, Entries: list[dict[str, Any]]
) -> dict[str, Any]:
    queue = sqs.resolve(ctx, QueueUrl)
    validate_batch_entries(Entries, "SendMessageBatchRequestEntry")
    check_batch_size(
        sum(message_size(e["MessageBody"], e.get("MessageAttributes")) for e in Entries),
        MAX_BATCH_BYTES,
    )
    now_ms = sqs.clock.now_ms()
    prepared: list[PreparedSend] = []
    ids: list[str] = []
    failed: list[dict[str, Any]] = []
    for entry in Entries:
        try:
            one = prepare_message(
                sqs, ctx, queue,
                body=entry["MessageBody"],
                delay_seconds=entry.get("DelaySeconds"),
                attributes=entry.get("MessageAttributes"),
                system_attributes=entry.get("MessageSystemAttributes"),
                deduplication_id=entry.get("MessageDeduplicationId"),
                group_id=entry.get("MessageGroupId"),
                now_ms=now_ms,
                operation="SendMessageBatch",
            )
        except AwsError as error:
            failed.append(failure(entry["Id"], error))
            continue
        prepared.append(one)
        ids.append(entry["Id"])
    results = await store_prepared(sqs, queue, prepared, now_ms) if prepared else []
    successful = [{"Id": i, **r} for i, r in zip(ids, results, strict=True)]
    return {"Successful": successful, "Failed": failed}


async def delete_message_batch(
    sqs: SqsBackend, ctx: RequestContext, QueueUrl: str, Entries: list[dict[str, Any]]
) -> dict[str, Any]:
    queue = sqs.resolve(ctx, QueueUrl)
    validate_batch_entries(Entries, "DeleteMessageBatchRequestEntry")
    successful: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    outcomes = await delete_several(sqs, queue, [entry["ReceiptHandle"] for entry in Entries])
    for entry, error in zip(Entries, outcomes, strict=True):
        if error is None:
            successful.append({"Id": entry["Id"]})
        else:
            failed.append(failure(entry["Id"], error))
    return {"Successful": successful, "Failed": failed}


async def change_message_visibility_batch(
    sqs: SqsBackend, ctx: RequestContext, QueueUrl: str, Entries: list[dict[str, Any]]
) -> dict[str, Any]:
    queue = sqs.resolve(ctx, QueueUrl)
    validate_batch_entries(Entries, "ChangeMessageVisibilityBatchRequestEntry")
    successful: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    outcomes = await change_visibility_several(
        sqs, queue, [(entry["ReceiptHandle"], entry.get("VisibilityTimeout")) for entry in Entries]
    )
    for entry, error in zip(Entries, outcomes, strict=True):
        if error is None:
            successful.append({"Id": entry["Id"]})
        else:
            failed.append(failure(entry["Id"], error))
    return {"Successful": successful, "Failed": failed}
