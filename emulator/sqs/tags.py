"""Queue tags: TagQueue, UntagQueue, ListQueueTags, and the limits AWS puts on tags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from emulator.context import RequestContext
from emulator.errors import invalid_parameter_value, missing_parameter
from emulator.sqs.backend import SqsBackend

MAX_TAGS = 50
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256


def validate_tags(tags: Mapping[str, str]) -> None:
    if len(tags) > MAX_TAGS:
        raise invalid_parameter_value(
            f"Too many tags added for queue. A queue can have at most {MAX_TAGS} tags."
        )
    for key, value in tags.items():
        if not 1 <= len(key) <= MAX_KEY_LENGTH:
            raise invalid_parameter_value(
                f"Tag keys must be between 1 and {MAX_KEY_LENGTH} characters in length."
            )
        if key.lower().startswith("aws:"):
            raise invalid_parameter_value("Tag keys must not start with the reserved prefix aws:.")
        if len(value) > MAX_VALUE_LENGTH:
            raise invalid_parameter_value(
                f"Tag values must be at most {MAX_VALUE_LENGTH} characters in length."
            )


async def tag_queue(
    sqs: SqsBackend, ctx: RequestContext, QueueUrl: str, Tags: dict[str, str]
) -> None:
    queue = sqs.resolve(ctx, QueueUrl)
    if not Tags:
        raise missing_parameter("Tags")
    merged = {**queue.tags, **Tags}
    validate_tags(merged)
    await sqs.queues.set_tags(queue, merged)


async def untag_queue(
    sqs: SqsBackend, ctx: RequestContext, QueueUrl: str, TagKeys: list[str]
) -> None:
    queue = sqs.resolve(ctx, QueueUrl)
    if not TagKeys:
        raise missing_parameter("TagKeys")
    removed = set(TagKeys)
    remaining = {k: v for k, v in queue.tags.items() if k not in removed}
    await sqs.queues.set_tags(queue, remaining)


async def list_queue_tags(sqs: SqsBackend, ctx: RequestContext, QueueUrl: str) -> dict[str, Any]:
    queue = sqs.resolve(ctx, QueueUrl)
    return {"Tags": dict(queue.tags)} if queue.tags else {}
