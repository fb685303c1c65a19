"""The SQS state every handler works on, and how queue URLs map to queues."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from emulator.clock import Clock
from emulator.context import RequestContext
from emulator.sqs.errors import queue_does_not_exist
from emulator.sqs.long_polling import Waiters
from emulator.sqs.queue_attributes import parse_redrive_policy
from emulator.sqs.receive_attempts import ReceiveAttempts
from storage.database import Database
from storage.fifo import FifoStore
from storage.messages import MessageStore, Redrive
from storage.queues import Queue, QueueStore

if TYPE_CHECKING:
    from emulator.sqs.move_tasks import MoveTaskRunner

_AWS_HOST_REGION = re.compile(
    r"^(?:sqs\.([a-z0-9-]+)\.amazonaws\.com|([a-z0-9-]+)\.queue\.amazonaws\.com)$"
)


class SqsBackend:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.queues = QueueStore(db)
        self.messages = MessageStore(db)
        self.fifo = FifoStore(db)
        self.waiters = Waiters()
        self.receive_attempts = ReceiveAttempts()
        clock.on_advance(self.waiters.notify_all)
        self.move_tasks: MoveTaskRunner
        self._resetting = asyncio.Lock()

    async def load(self) -> None:
        from emulator.sqs.move_tasks import MoveTaskRunner

        await self.queues.load()
        self.move_tasks = MoveTaskRunner(self)
        await self.move_tasks.resume()

    async def close(self) -> None:
        self.waiters.close()
        await self.move_tasks.stop()

    async def reset(self, queues: list[Queue] | None = None, *, account: str | None = None) -> None:
        """Drop ``queues`` (every queue when None) at once, with no name cool-down.

        Move tasks pause while their rows go and the remaining ones resume; waiting receives
        wake up and find their queue gone.
        """
        async with self._resetting:
            async with self.db.lock:
                # Cancel the runners only while none is inside a statement: a cancelled await
                # of BEGIN would leave the connection in an open transaction.
                await self.move_tasks.stop()
            try:
                if queues is None:
                    await self.queues.remove_all()
                    self.receive_attempts = ReceiveAttempts()
                else:
                    await self.queues.remove(queues, account=account)
            finally:
                await self.move_tasks.resume()
        self.waiters.notify_all()

    def queue_url(self, ctx: RequestContext, queue: Queue) -> str:
        return f"{ctx.base_url}/{queue.account}/{queue.name}"

    def resolve(self, ctx: RequestContext, queue_url: str) -> Queue:
        """The queue a QueueUrl names: any host, a path of /<account>/<name>, or a bare name."""
        parts = urlsplit(queue_url)
        region = ctx.region
        match = _AWS_HOST_REGION.match(parts.hostname or "")
        if match:
            region = match.group(1) or match.group(2)
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) == 2:
            account, name = segments
        elif len(segments) == 1 and not parts.scheme:
            account, name = ctx.account_id, segments[0]
        else:
            raise queue_does_not_exist()
        queue = self.queues.get(region, account, name)
        if queue is None:
            raise queue_does_not_exist()
        return queue

    async def delete_expired(self) -> int:
        """Drop messages past their queue's retention period (they are already invisible)."""
        now_ms = self.clock.now_ms()
        deleted = 0
        for queue in self.queues.all():
            deleted += await self.messages.delete_expired(queue.id, self.alive_after(queue, now_ms))
        return deleted

    def alive_after(self, queue: Queue, now_ms: int) -> int:
        """Messages sent at or before this instant have outlived the retention period."""
        return now_ms - queue.int_attribute("MessageRetentionPeriod") * 1000

    def redrive(self, queue: Queue) -> Redrive | None:
        """Where the queue's exhausted messages go, if it has a (still existing) target."""
        parsed = parse_redrive_policy(queue.attributes.get("RedrivePolicy", ""))
        if parsed is None:
            return None
        target = self.queues.by_arn(parsed[0])
        if target is None:
            return None
        return Redrive(target.id, parsed[1], queue.arn, restart_retention=target.fifo)
