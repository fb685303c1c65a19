"""Read-only views of queues and their messages, as JSON documents.

Looking changes nothing: no receive count, no visibility, no receipt handle is handed out.
"""

from __future__ import annotations

import json
from typing import Any

from emulator.sqs.backend import SqsBackend
from emulator.sqs.fifo_rules import format_sequence_number
from emulator.sqs.queue_attributes import parse_redrive_policy
from storage.messages import PeekedMessage, QueueCounts
from storage.queues import Queue

VISIBLE = "visible"
IN_FLIGHT = "inFlight"
DELAYED = "delayed"


def message_state(visible_at: int, receive_count: int, now_ms: int) -> str:
    """Visible now; else in flight once received, delayed if never received (as SQS counts)."""
    if visible_at <= now_ms:
        return VISIBLE
    return IN_FLIGHT if receive_count > 0 else DELAYED


def dead_letter_sources(queues: list[Queue]) -> dict[str, list[Queue]]:
    """For each dead-letter queue ARN, the queues whose RedrivePolicy names it."""
    sources: dict[str, list[Queue]] = {}
    for queue in queues:
        parsed = parse_redrive_policy(queue.attributes.get("RedrivePolicy", ""))
        if parsed is not None:
            sources.setdefault(parsed[0], []).append(queue)
    return sources


async def counts_of(sqs: SqsBackend, queue: Queue, now_ms: int) -> QueueCounts:
    return await sqs.messages.counts(queue.id, now=now_ms,
                                     alive_after=sqs.alive_after(queue, now_ms))


async def queue_document(
    sqs: SqsBackend, queue: Queue, *, base_url: str, now_ms: int, sources: list[Queue]
) -> dict[str, Any]:
    counts = await counts_of(sqs, queue, now_ms)
    parsed = parse_redrive_policy(queue.attributes.get("RedrivePolicy", ""))
    return {
        "name": queue.name,
        "account": queue.account,
        "region": queue.region,
        "arn": queue.arn,
        "url": f"{base_url}/{queue.account}/{queue.name}",
        "fifo": queue.fifo,
        "counts": {VISIBLE: counts.visible, IN_FLIGHT: counts.in_flight, DELAYED: counts.delayed},
        "deadLetterTarget": (
            None if parsed is None else {"arn": parsed[0], "maxReceiveCount": parsed[1]}
        ),
        "deadLetterSources": [{"name": s.name, "arn": s.arn} for s in sources],
        "attributes": dict(sorted(queue.attributes.items())),
        "tags": queue.tags,
        "createdTimestamp": queue.created_at,
    }


async def queue_documents(
    sqs: SqsBackend, queues: list[Queue], *, base_url: str, now_ms: int
) -> list[dict[str, Any]]:
    sources = dead_letter_sources(sqs.queues.all())
    return [
        await queue_document(sqs, q, base_url=base_url, now_ms=now_ms,
                             sources=sources.get(q.arn, []))
        for q in queues
    ]


def message_document(message: PeekedMessage, now_ms: int) -> dict[str, Any]:
    state = message_state(message.visible_at, message.receive_count, now_ms)
    return {
        "messageId": message.message_id,
        "body": message.body,
        "state": state,
        "sentTimestamp": message.sent_at,
        "visibleAt": None if state == VISIBLE else message.visible_at,
        "receiveCount": message.receive_count,
        "firstReceiveTimestamp": message.first_received_at,
        "messageAttributes": json.loads(message.attributes) if message.attributes else {},
        "messageGroupId": message.group_id,
        "messageDeduplicationId": message.deduplication_id,
        "sequenceNumber": (None if message.sequence_number is None
                           else format_sequence_number(message.sequence_number)),
        "deadLetterQueueSourceArn": message.dead_letter_source_arn,
    }


async def peek(
    sqs: SqsBackend, queue: Queue, *, base_url: str, now_ms: int, limit: int
) -> dict[str, Any]:
    sources = dead_letter_sources(sqs.queues.all()).get(queue.arn, [])
    document = await queue_document(sqs, queue, base_url=base_url, now_ms=now_ms, sources=sources)
    messages = await sqs.messages.peek(
        queue.id, alive_after=sqs.alive_after(queue, now_ms), limit=limit + 1
    )
    return {
        "queue": document,
        "now": now_ms,
        "messages": [message_document(m, now_ms) for m in messages[:limit]],
        "truncated": len(messages) > limit,
    }
