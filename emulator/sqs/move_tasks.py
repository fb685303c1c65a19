"""Message move tasks: StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask.

A task moves the visible messages of a dead-letter queue back to the queues they came from (or to
one destination), at most MaxNumberOfMessagesPerSecond, in the background. Tasks are stored, so a
running task resumes after a restart.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import uuid
from typing import Any

from emulator.context import RequestContext
from emulator.errors import invalid_parameter_value
from emulator.sqs.backend import SqsBackend
from emulator.sqs.errors import resource_not_found
from emulator.sqs.queue_attributes import parse_redrive_policy
from storage.move_tasks import (
    CANCELLED,
    CANCELLING,
    COMPLETED,
    RUNNING,
    MoveTask,
    MoveTaskStore,
)
from storage.queues import Queue

DEFAULT_RATE = 500  # what AWS calls "system optimized": a few hundred messages a second
MAX_RATE = 500
BATCH_INTERVAL_SECONDS = 0.1


class MoveTaskRunner:
    """The background side: one asyncio task per running move task."""

    def __init__(self, sqs: SqsBackend) -> None:
        self.sqs = sqs
        self.store = MoveTaskStore(sqs.db)
        self._running: dict[str, asyncio.Task[None]] = {}

    async def resume(self) -> None:
        for task in await self.store.active():
            if task.status == CANCELLING:
                await self.store.set_status(task.handle, CANCELLED)
            else:
                self.start(task)

    def start(self, task: MoveTask) -> None:
        self._running[task.handle] = asyncio.create_task(self._run(task))

    async def stop(self) -> None:
        for running in self._running.values():
            running.cancel()
        await asyncio.gather(*self._running.values(), return_exceptions=True)
        self._running.clear()

    async def _run(self, task: MoveTask) -> None:
        sqs = self.sqs
        rate = task.max_per_second or DEFAULT_RATE
        per_batch = max(1, int(rate * BATCH_INTERVAL_SECONDS))
        # A slow rate moves one message a batch, so batches are spaced to keep to the rate.
        interval = per_batch / rate
        moved_total = task.moved
        try:
            while True:
                current = await self.store.get(task.handle)
                if current is None or current.status != RUNNING:
                    if current is not None and current.status == CANCELLING:
                        await self.store.set_status(task.handle, CANCELLED)
                    return
                source = sqs.queues.by_arn(task.source_arn)
                if source is None:
                    await self.store.set_status(task.handle, "FAILED", "Source queue was deleted.")
                    return
                budget = per_batch
                if task.to_move is not None:
                    budget = min(budget, task.to_move - moved_total)
                moved = 0
                if budget > 0:
                    moved = await self._move(task, source, budget)
                moved_total += moved
                if moved == 0:
                    await self.store.set_status(task.handle, COMPLETED)
                    return
                await asyncio.sleep(interval)
        finally:
            self._running.pop(task.handle, None)

    async def _move(self, task: MoveTask, source: Queue, limit: int) -> int:
        sqs = self.sqs
        now_ms = sqs.clock.now_ms()
        targets = {q.arn: q.id for q in sqs.queues.all()}
        destination = None
        if task.destination_arn is not None:
            destination = targets.get(task.destination_arn)
            if destination is None:
                return 0
        moved = await self.store.move_batch(
            task, source.id, targets, now=now_ms, alive_after=sqs.alive_after(source, now_ms),
            limit=limit, fallback_target=destination,
        )
        if moved:
            sqs.waiters.notify_all()
        return moved


def _encode_handle(source_arn: str) -> str:
    document = {"taskId": str(uuid.uuid4()), "sourceArn": source_arn}
    return base64.b64encode(json.dumps(document).encode()).decode()


def _is_dead_letter_queue(sqs: SqsBackend, queue: Queue) -> bool:
    for candidate in sqs.queues.all():
        parsed = parse_redrive_policy(candidate.attributes.get("RedrivePolicy", ""))
        if parsed is not None and parsed[0] == queue.arn:
            return True
    return False


def _source(sqs: SqsBackend, source_arn: str) -> Queue:
    queue = sqs.queues.by_arn(source_arn)
    if queue is None:
        raise resource_not_found("The resource that you specified for the SourceArn parameter "
                                 "doesn't exist.")
    return queue


async def start_message_move_task(
    sqs: SqsBackend,
    ctx: RequestContext,
    SourceArn: str,
    DestinationArn: str | None = None,
    MaxNumberOfMessagesPerSecond: int | None = None,
) -> dict[str, Any]:
    source = _source(sqs, SourceArn)
    if not _is_dead_letter_queue(sqs, source):
        raise invalid_parameter_value("Source queue must be configured as a Dead Letter Queue.")
    if DestinationArn is not None and sqs.queues.by_arn(DestinationArn) is None:
        raise resource_not_found("The resource that you specified for the DestinationArn "
                                 "parameter doesn't exist.")
    rate = MaxNumberOfMessagesPerSecond
    if rate is not None and not 1 <= rate <= MAX_RATE:
        raise invalid_parameter_value(
            f"Value {rate} for parameter MaxNumberOfMessagesPerSecond is invalid. "
            f"Reason: Must be between 1 and {MAX_RATE}."
        )
    runner = sqs.move_tasks
    if any(t.status in (RUNNING, CANCELLING) for t in await runner.store.for_source(SourceArn, 10)):
        raise invalid_parameter_value(
            "There is already a task running. Only one active task is allowed for a source "
            "queue arn at a given time."
        )
    now_ms = sqs.clock.now_ms()
    counts = await sqs.messages.counts(
        source.id, now=now_ms, alive_after=sqs.alive_after(source, now_ms)
    )
    task = MoveTask(
        handle=_encode_handle(SourceArn), source_arn=SourceArn, destination_arn=DestinationArn,
        max_per_second=rate, status=RUNNING, moved=0, to_move=counts.visible,
        failure_reason=None, started_at=now_ms,
    )
    await runner.store.create(task)
    runner.start(task)
    return {"TaskHandle": task.handle}


async def list_message_move_tasks(
    sqs: SqsBackend, ctx: RequestContext, SourceArn: str, MaxResults: int | None = None
) -> dict[str, Any]:
    _source(sqs, SourceArn)
    if MaxResults is not None and not 1 <= MaxResults <= 10:
        raise invalid_parameter_value(
            f"Value {MaxResults} for parameter MaxResults is invalid. "
            "Reason: Must be between 1 and 10."
        )
    tasks = await sqs.move_tasks.store.for_source(SourceArn, MaxResults or 1)
    return {"Results": [_entry(task) for task in tasks]}


def _entry(task: MoveTask) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "Status": task.status,
        "SourceArn": task.source_arn,
        "ApproximateNumberOfMessagesMoved": task.moved,
        "StartedTimestamp": task.started_at,
    }
    if task.status == RUNNING:
        entry["TaskHandle"] = task.handle
    if task.destination_arn is not None:
        entry["DestinationArn"] = task.destination_arn
    if task.max_per_second is not None:
        entry["MaxNumberOfMessagesPerSecond"] = task.max_per_second
    if task.to_move is not None:
        entry["ApproximateNumberOfMessagesToMove"] = task.to_move
    if task.failure_reason is not None:
        entry["FailureReason"] = task.failure_reason
    return entry


async def cancel_message_move_task(
    sqs: SqsBackend, ctx: RequestContext, TaskHandle: str
) -> dict[str, Any]:
    try:
        json.loads(base64.b64decode(TaskHandle.encode(), validate=True))
    except (ValueError, RecursionError, binascii.Error):
        raise resource_not_found("Task does not exist.") from None
    task = await sqs.move_tasks.store.get(TaskHandle)
    if task is None:
        raise resource_not_found("Task does not exist.")
    if task.status != RUNNING:
        raise invalid_parameter_value("Only active tasks can be cancelled.")
    await sqs.move_tasks.store.set_status(TaskHandle, CANCELLING)
    refreshed = await sqs.move_tasks.store.get(TaskHandle)
    moved = refreshed.moved if refreshed else task.moved
    return {"ApproximateNumberOfMessagesMoved": moved}
