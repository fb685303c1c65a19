"""Message move tasks (redrive out of a dead-letter queue): their records and the moves."""

from __future__ import annotations

from dataclasses import dataclass

from storage.database import Database, Row

RUNNING = "RUNNING"
COMPLETED = "COMPLETED"
CANCELLING = "CANCELLING"
CANCELLED = "CANCELLED"
FAILED = "FAILED"
ACTIVE = (RUNNING, CANCELLING)


@dataclass(frozen=True)
class MoveTask:
    handle: str
    source_arn: str
    destination_arn: str | None
    max_per_second: int | None
    status: str
    moved: int
    to_move: int | None
    failure_reason: str | None
    started_at: int


def _task(row: Row) -> MoveTask:
    return MoveTask(
        handle=row["handle"], source_arn=row["source_arn"], destination_arn=row["destination_arn"],
        max_per_second=row["max_per_second"], status=row["status"], moved=row["moved"],
        to_move=row["to_move"], failure_reason=row["failure_reason"], started_at=row["started_at"],
    )


class MoveTaskStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, task: MoveTask) -> None:
        await self._db.execute(
            "INSERT INTO move_tasks (handle, source_arn, destination_arn, max_per_second, status,"
            " moved, to_move, failure_reason, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (task.handle, task.source_arn, task.destination_arn, task.max_per_second, task.status,
             task.moved, task.to_move, task.failure_reason, task.started_at),
        )

    async def get(self, handle: str) -> MoveTask | None:
        row = await self._db.fetch_one("SELECT * FROM move_tasks WHERE handle=?", (handle,))
        return None if row is None else _task(row)

    async def for_source(self, source_arn: str, limit: int) -> list[MoveTask]:
        rows = await self._db.fetch_all(
            "SELECT * FROM move_tasks WHERE source_arn=? ORDER BY started_at DESC, rowid DESC"
            " LIMIT ?",
            (source_arn, limit),
        )
        return [_task(row) for row in rows]

    async def active(self) -> list[MoveTask]:
        rows = await self._db.fetch_all(
            "SELECT * FROM move_tasks WHERE status IN (?, ?)", ACTIVE
        )
        return [_task(row) for row in rows]

    async def set_status(self, handle: str, status: str, reason: str | None = None) -> None:
        await self._db.execute(
            "UPDATE move_tasks SET status=?, failure_reason=coalesce(?, failure_reason)"
            " WHERE handle=?",
            (status, reason, handle),
        )

    async def move_batch(
        self, task: MoveTask, source_queue_id: int, targets: dict[str, int], *, now: int,
        alive_after: int, limit: int, fallback_target: int | None,
    ) -> int:
        """Move up to ``limit`` visible messages out of the source, counting them on the task.

        Each message goes to ``fallback_target`` if set (an explicit destination), else to the
        queue its DeadLetterQueueSourceArn names (looked up in ``targets``); a message whose
        source no longer exists stays. Moved messages start afresh: visible, never received.
        """
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "SELECT id, dead_letter_source_arn FROM messages WHERE queue_id=?"
                " AND visible_at <= ? AND sent_at > ? ORDER BY id LIMIT ?",
                (source_queue_id, now, alive_after, limit),
            )
            rows = await cursor.fetchall()
            await cursor.close()
            moved = 0
            for row_id, source_arn in rows:
                target = fallback_target if fallback_target is not None else targets.get(
                    source_arn or ""
                )
                if target is None:
                    continue
                await connection.execute(
                    "UPDATE messages SET queue_id=?, visible_at=?, receive_count=0, receipt=NULL,"
                    " first_received_at=NULL, last_received_at=NULL,"
                    " dead_letter_source_arn=NULL WHERE id=?",
                    (target, now, row_id),
                )
                moved += 1
            await connection.execute(
                "UPDATE move_tasks SET moved = moved + ? WHERE handle=?", (moved, task.handle)
            )
        return moved
