"""Message move tasks (redrive out of a dead-letter queue): their records and the moves."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

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
        source no longer exists stays, and does not hold back the ones after it. A moved message
        starts afresh at the end of its new queue (a new row, so FIFO group order puts it after
        what is already there, and a new sequence number there): visible, never received.
        """
        routed = "" if fallback_target is not None else (
            f" AND dead_letter_source_arn IN ({','.join('?' * len(targets))})"
        )
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "SELECT id, dead_letter_source_arn FROM messages WHERE queue_id=?"
                f" AND visible_at <= ? AND sent_at > ?{routed} ORDER BY id LIMIT ?",
                (source_queue_id, now, alive_after,
                 *(() if fallback_target is not None else targets), limit),
            )
            rows = list(await cursor.fetchall())
            await cursor.close()
            for row_id, source_arn in rows:
                target = fallback_target if fallback_target is not None else targets[source_arn]
                await _append(connection, row_id, target, now)
            await connection.execute(
                "UPDATE move_tasks SET moved = moved + ? WHERE handle=?", (len(rows), task.handle)
            )
        return len(rows)


async def _append(connection: aiosqlite.Connection, row_id: int, target: int, now: int) -> None:
    cursor = await connection.execute(
        "UPDATE queues SET last_sequence = last_sequence + 1 WHERE id=? AND fifo=1"
        " RETURNING last_sequence",
        (target,),
    )
    sequenced = await cursor.fetchone()
    await cursor.close()
    await connection.execute(
        "INSERT INTO messages (queue_id, message_id, body, attributes, system_attributes,"
        " md5_body, md5_attributes, md5_system_attributes, sender_id, sent_at, visible_at,"
        " group_id, deduplication_id, sequence_number)"
        " SELECT ?, message_id, body, attributes, system_attributes, md5_body, md5_attributes,"
        " md5_system_attributes, sender_id, sent_at, ?, group_id, deduplication_id, ?"
        " FROM messages WHERE id=?",
        (target, now, sequenced[0] if sequenced else None, row_id),
    )
    await connection.execute("DELETE FROM messages WHERE id=?", (row_id,))
