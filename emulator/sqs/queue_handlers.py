"""Queue-level SQS operations: lifecycle, attributes and listing."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from emulator.context import RequestContext
from emulator.errors import AwsError, invalid_parameter_value, missing_parameter
from emulator.sqs import errors
from emulator.sqs.backend import SqsBackend
from emulator.sqs.queue_attributes import (
    check_fifo_throughput,
    default_attributes,
    parse_redrive_policy,
    validate_attribute_names,
    validate_attributes,
    validate_queue_name,
)
from emulator.sqs.tags import validate_tags
from storage.queues import Queue

QUEUE_NAME_COOLDOWN_MS = 60_000
PURGE_COOLDOWN_MS = 60_000
FIFO_ONLY = ("FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit")


async def create_queue(
    sqs: SqsBackend,
    ctx: RequestContext,
    QueueName: str,
    Attributes: dict[str, str] | None = None,
    tags: dict[str, str] | None = None,
) -> dict[str, Any]:
    fifo = validate_queue_name(QueueName)
    given = validate_attributes(Attributes or {}, fifo=fifo, creating=True)
    if tags:
        validate_tags(tags)
    _check_redrive_target(
        sqs, given, source_arn=f"arn:aws:sqs:{ctx.region}:{ctx.account_id}:{QueueName}",
        source_fifo=fifo,
    )
    existing = sqs.queues.get(ctx.region, ctx.account_id, QueueName)
    if existing is not None:
        current = {**default_attributes(existing.fifo), **existing.attributes}
        for name, value in given.items():
            if current.get(name, "") != value:
                raise errors.queue_name_exists(name)
        return {"QueueUrl": sqs.queue_url(ctx, existing)}
    now_ms = sqs.clock.now_ms()
    deleted_at = await sqs.queues.deleted_at(ctx.region, ctx.account_id, QueueName)
    if deleted_at is not None and now_ms - deleted_at < QUEUE_NAME_COOLDOWN_MS:
        raise errors.queue_deleted_recently()
    attributes = {**default_attributes(fifo), **{k: v for k, v in given.items() if v != ""}}
    queue = await sqs.queues.create(
        ctx.region, ctx.account_id, QueueName, fifo=fifo, attributes=attributes,
        tags=dict(tags or {}), now=now_ms // 1000,
    )
    return {"QueueUrl": sqs.queue_url(ctx, queue)}


def _check_redrive_target(
    sqs: SqsBackend, attributes: dict[str, str], *, source_arn: str, source_fifo: bool
) -> None:
    """A RedrivePolicy must name an existing queue of the same type that accepts this source."""
    policy = attributes.get("RedrivePolicy")
    parsed = parse_redrive_policy(policy) if policy else None
    if parsed is None:
        return
    target = sqs.queues.by_arn(parsed[0])

    def invalid(reason: str) -> AwsError:
        return invalid_parameter_value(
            f"Value {policy} for parameter RedrivePolicy is invalid. Reason: {reason}"
        )

    if target is None:
        raise invalid("Dead letter target does not exist.")
    if target.fifo != source_fifo:
        raise invalid("Dead-letter queue must be same type of queue as the source.")
    if not redrive_allowed(target.attributes.get("RedriveAllowPolicy"), source_arn):
        raise invalid(
            "Dead-letter queue's RedriveAllowPolicy does not allow this queue as a source."
        )


def redrive_allowed(allow_policy: str | None, source_arn: str) -> bool:
    if not allow_policy:
        return True
    policy = json.loads(allow_policy)
    permission = policy.get("redrivePermission")
    if permission == "denyAll":
        return False
    if permission == "byQueue":
        return source_arn in policy.get("sourceQueueArns", [])
    return True


async def get_queue_url(
    sqs: SqsBackend, ctx: RequestContext, QueueName: str, QueueOwnerAWSAccountId: str | None = None
) -> dict[str, Any]:
    queue = sqs.queues.get(ctx.region, QueueOwnerAWSAccountId or ctx.account_id, QueueName)
    if queue is None:
        raise errors.queue_does_not_exist()
    return {"QueueUrl": sqs.queue_url(ctx, queue)}


async def list_queues(
    sqs: SqsBackend,
    ctx: RequestContext,
    QueueNamePrefix: str | None = None,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> dict[str, Any]:
    if MaxResults is not None and not 1 <= MaxResults <= 1000:
        raise invalid_parameter_value(
            f"Value {MaxResults} for parameter MaxResults is invalid. "
            "Reason: MaxResults must be an integer between 1 and 1000."
        )
    queues = [
        q for q in sqs.queues.in_account(ctx.region, ctx.account_id)
        if q.name.startswith(QueueNamePrefix or "")
    ]
    if NextToken:
        after = _decode_token(NextToken)
        queues = [q for q in queues if q.name > after]
    limit = MaxResults or 1000
    page = queues[:limit]
    result: dict[str, Any] = {}
    if page:
        result["QueueUrls"] = [sqs.queue_url(ctx, q) for q in page]
    if MaxResults is not None and len(queues) > limit:
        result["NextToken"] = _encode_token(page[-1].name)
    return result


def _encode_token(after: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode()


def _decode_token(token: str) -> str:
    try:
        after = json.loads(base64.urlsafe_b64decode(token.encode()))["after"]
        if isinstance(after, str):
            return after
    except (ValueError, KeyError, TypeError, binascii.Error):
        pass
    raise invalid_parameter_value("Invalid NextToken value.")


async def delete_queue(sqs: SqsBackend, ctx: RequestContext, QueueUrl: str) -> None:
    queue = sqs.resolve(ctx, QueueUrl)
    await sqs.queues.delete(queue, sqs.clock.now_ms())
    sqs.waiters.notify(queue.id)


async def purge_queue(sqs: SqsBackend, ctx: RequestContext, QueueUrl: str) -> None:
    queue = sqs.resolve(ctx, QueueUrl)
    now_ms = sqs.clock.now_ms()
    if queue.purged_at is not None and now_ms - queue.purged_at < PURGE_COOLDOWN_MS:
        raise errors.purge_queue_in_progress(queue.name)
    await sqs.queues.mark_purged(queue, now_ms)


async def get_queue_attributes(
    sqs: SqsBackend,
    ctx: RequestContext,
    QueueUrl: str,
    AttributeNames: list[str] | None = None,
) -> dict[str, Any]:
    queue = sqs.resolve(ctx, QueueUrl)
    names = validate_attribute_names(AttributeNames or [])
    if not names:
        return {}
    values = await _attribute_values(sqs, queue, names)
    return {"Attributes": values} if values else {}


async def _attribute_values(sqs: SqsBackend, queue: Queue, names: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    counts = None
    for name in names:
        if name in FIFO_ONLY and not queue.fifo:
            continue
        if name.startswith("ApproximateNumberOfMessages"):
            if counts is None:
                now_ms = sqs.clock.now_ms()
                counts = await sqs.messages.counts(
                    queue.id, now=now_ms, alive_after=sqs.alive_after(queue, now_ms)
                )
            values[name] = str(
                {
                    "ApproximateNumberOfMessages": counts.visible,
                    "ApproximateNumberOfMessagesNotVisible": counts.in_flight,
                    "ApproximateNumberOfMessagesDelayed": counts.delayed,
                }[name]
            )
        elif name == "QueueArn":
            values[name] = queue.arn
        elif name == "CreatedTimestamp":
            values[name] = str(queue.created_at)
        elif name == "LastModifiedTimestamp":
            values[name] = str(queue.modified_at)
        elif name in queue.attributes:
            values[name] = queue.attributes[name]
    return values


async def set_queue_attributes(
    sqs: SqsBackend, ctx: RequestContext, QueueUrl: str, Attributes: dict[str, str]
) -> None:
    queue = sqs.resolve(ctx, QueueUrl)
    if not Attributes:
        raise missing_parameter("Attribute.Name")
    given = validate_attributes(Attributes, fifo=queue.fifo, creating=False)
    if queue.fifo:
        check_fifo_throughput({**queue.attributes, **given})
    _check_redrive_target(sqs, given, source_arn=queue.arn, source_fifo=queue.fifo)
    await sqs.queues.set_attributes(queue, given, sqs.clock.now_ms() // 1000)
    sqs.waiters.notify(queue.id)


async def list_dead_letter_source_queues(
    sqs: SqsBackend,
    ctx: RequestContext,
    QueueUrl: str,
    NextToken: str | None = None,
    MaxResults: int | None = None,
) -> dict[str, Any]:
    target = sqs.resolve(ctx, QueueUrl)
    if MaxResults is not None and not 1 <= MaxResults <= 1000:
        raise invalid_parameter_value(
            f"Value {MaxResults} for parameter MaxResults is invalid. "
            "Reason: MaxResults must be an integer between 1 and 1000."
        )
    sources = []
    for queue in sqs.queues.in_account(target.region, target.account):
        parsed = parse_redrive_policy(queue.attributes.get("RedrivePolicy", ""))
        if parsed is not None and parsed[0] == target.arn:
            sources.append(queue)
    if NextToken:
        after = _decode_token(NextToken)
        sources = [q for q in sources if q.name > after]
    limit = MaxResults or 1000
    page = sources[:limit]
    result: dict[str, Any] = {"queueUrls": [sqs.queue_url(ctx, q) for q in page]}
    if MaxResults is not None and len(sources) > limit:
        result["NextToken"] = _encode_token(page[-1].name)
    return result
