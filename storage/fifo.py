"""FIFO queues: sequence numbers, the deduplication window, and claims that keep group order.

A group is blocked while any of its messages is in flight; within a group only the messages before
its first not-yet-visible one may be delivered, in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import aiosqlite

from storage.database import Database
from storage.messages import (
    INSERT_MESSAGE,
    RETURNED_COLUMNS,
    ClaimedMessage,
    NewMessage,
    Redrive,
    claimed_from_row,
    message_row,
)

CANDIDATES_PER_CLAIM = 100


@dataclass(frozen=True)
class FifoSend:
    message: NewMessage
    scope: str  # "" for queue-wide deduplication, else the message group id
    deduplication_id: str


@dataclass(frozen=True)
class FifoSent:
    message_id: str
    sequence_number: int
    duplicate: bool


class FifoStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def send(
        self, queue_id: int, sends: Sequence[FifoSend], *, now: int, window_ms: int
    ) -> list[FifoSent]:
        """Store the sends that are not duplicates within the window, in one transaction."""
        async with self._db.transaction() as connection:
            return await send_in(connection, queue_id, sends, now=now, window_ms=window_ms)

    async def claim(
        self, queue_id: int, *, now: int, alive_after: int, limit: int, visible_until: int,
        redrive: Redrive | None,
    ) -> list[ClaimedMessage]:
        async with self._db.transaction() as connection:
            if redrive is not None:
                await redrive.move_exhausted(connection, queue_id, now=now, alive_after=alive_after)
            chosen = await _choose(connection, queue_id, now=now, alive_after=alive_after,
                                   limit=limit)
            if not chosen:
                return []
            marks = ",".join("?" * len(chosen))
            cursor = await connection.execute(
                "UPDATE messages SET visible_at = ?, receive_count = receive_count + 1,"
                " receipt = lower(hex(randomblob(20))),"
                " first_received_at = coalesce(first_received_at, ?), last_received_at = ?"
                f" WHERE id IN ({marks}) RETURNING {RETURNED_COLUMNS}",
                (visible_until, now, now, *chosen),
            )
            rows = await cursor.fetchall()
            await cursor.close()
        order = {row_id: position for position, row_id in enumerate(chosen)}
        return sorted((claimed_from_row(r) for r in rows), key=lambda m: order[m.row_id])


async def send_in(
    connection: aiosqlite.Connection, queue_id: int, sends: Sequence[FifoSend], *, now: int,
    window_ms: int,
) -> list[FifoSent]:
    """``FifoStore.send`` inside a transaction the caller holds (SNS fan-out shares one)."""
    await connection.execute(
        "DELETE FROM deduplication WHERE queue_id=? AND expires_at <= ?", (queue_id, now)
    )
    cursor = await connection.execute("SELECT last_sequence FROM queues WHERE id=?", (queue_id,))
    row = await cursor.fetchone()
    await cursor.close()
    sequence = int(row[0]) if row else 0
    results: list[FifoSent] = []
    for send in sends:
        seen = await _seen(connection, queue_id, send)
        if seen is not None:
            results.append(seen)
            continue
        sequence += 1
        message = replace(send.message, sequence_number=sequence)
        await connection.execute(INSERT_MESSAGE, message_row(queue_id, message))
        await connection.execute(
            "INSERT INTO deduplication (queue_id, scope, deduplication_id, message_id,"
            " sequence_number, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (queue_id, send.scope, send.deduplication_id, message.message_id, sequence,
             now + window_ms),
        )
        results.append(FifoSent(message.message_id, sequence, duplicate=False))
    await connection.execute("UPDATE queues SET last_sequence=? WHERE id=?", (sequence, queue_id))
    return results


async def _seen(connection: aiosqlite.Connection, queue_id: int, send: FifoSend) -> FifoSent | None:
    cursor = await connection.execute(
        "SELECT message_id, sequence_number FROM deduplication"
        " WHERE queue_id=? AND scope=? AND deduplication_id=?",
        (queue_id, send.scope, send.deduplication_id),
    )
    row = await cursor.fetchone()
    await cursor.close()
    if row is None:
        return None
    return FifoSent(row[0], int(row[1]), duplicate=True)


async def _choose(
    connection: aiosqlite.Connection, queue_id: int, *, now: int, alive_after: int, limit: int
) -> list[int]:
    """Row ids to deliver: the first group's deliverable run first, then the next group's."""
    cursor = await connection.execute(
        "SELECT group_id, min(id) FROM messages WHERE queue_id=? AND visible_at > ?"
        " AND sent_at > ? GROUP BY group_id",
        (queue_id, now, alive_after),
    )
    first_hidden = {row[0]: int(row[1]) for row in await cursor.fetchall()}
    await cursor.close()
    cursor = await connection.execute(
        "SELECT group_id FROM messages WHERE queue_id=? AND visible_at > ? AND sent_at > ?"
        " AND receive_count > 0 GROUP BY group_id",
        (queue_id, now, alive_after),
    )
    in_flight = {row[0] for row in await cursor.fetchall()}
    await cursor.close()
    blocked = sorted(in_flight)
    marks = ",".join("?" * len(blocked))
    exclude = f" AND group_id NOT IN ({marks})" if blocked else ""
    cursor = await connection.execute(
        "SELECT id, group_id FROM messages INDEXED BY messages_by_queue_order"
        f" WHERE queue_id=? AND visible_at <= ? AND sent_at > ?{exclude} ORDER BY id LIMIT ?",
        (queue_id, now, alive_after, *blocked, CANDIDATES_PER_CLAIM),
    )
    candidates = [(int(row[0]), row[1]) for row in await cursor.fetchall()]
    await cursor.close()
    by_group: dict[str, list[int]] = {}
    for row_id, group in candidates:
        hidden = first_hidden.get(group)
        if hidden is not None and row_id > hidden:
            continue
        by_group.setdefault(group, []).append(row_id)
    chosen: list[int] = []
    for rows in by_group.values():
        chosen.extend(rows[: limit - len(chosen)])
        if len(chosen) >= limit:
            break
    return chosen
