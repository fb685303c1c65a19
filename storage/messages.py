"""Messages of all queues in one table, claimed by one ``UPDATE … RETURNING`` each receive.

Times are epoch milliseconds. A message is *visible* when ``visible_at <= now``; before that it is
*delayed* if it was never received and *in flight* otherwise. Expiry is not stored: a message is
alive while ``sent_at > now - retention`` for its queue's current retention period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from storage.database import Database, Row

# messages_by_retention is partial on this term (true of every row): a query must repeat it.
_IN_RETENTION_INDEX = "sent_at >= 0"

RETURNED_COLUMNS = (
    "id, message_id, body, attributes, system_attributes, md5_body, md5_attributes,"
    " md5_system_attributes, sender_id, sent_at, receive_count, first_received_at, receipt,"
    " group_id, deduplication_id, sequence_number, dead_letter_source_arn"
)


@dataclass(frozen=True)
class NewMessage:
    message_id: str
    body: str
    attributes: str | None  # JSON text, owned by the caller
    system_attributes: str | None
    md5_body: str
    md5_attributes: str | None
    md5_system_attributes: str | None
    sender_id: str
    sent_at: int
    visible_at: int
    group_id: str | None = None
    deduplication_id: str | None = None
    sequence_number: int | None = None


@dataclass(frozen=True)
class ClaimedMessage:
    row_id: int
    message_id: str
    body: str
    attributes: str | None
    system_attributes: str | None
    md5_body: str
    md5_attributes: str | None
    md5_system_attributes: str | None
    sender_id: str
    sent_at: int
    receive_count: int
    first_received_at: int | None
    receipt: str | None
    group_id: str | None
    deduplication_id: str | None
    sequence_number: int | None
    dead_letter_source_arn: str | None = None


def claimed_from_row(row: Row) -> ClaimedMessage:
    return ClaimedMessage(
        row_id=row["id"],
        message_id=row["message_id"],
        body=row["body"],
        attributes=row["attributes"],
        system_attributes=row["system_attributes"],
        md5_body=row["md5_body"],
        md5_attributes=row["md5_attributes"],
        md5_system_attributes=row["md5_system_attributes"],
        sender_id=row["sender_id"],
        sent_at=row["sent_at"],
        receive_count=row["receive_count"],
        first_received_at=row["first_received_at"],
        receipt=row["receipt"],
        group_id=row["group_id"],
        deduplication_id=row["deduplication_id"],
        sequence_number=row["sequence_number"],
        dead_letter_source_arn=row["dead_letter_source_arn"],
    )


@dataclass(frozen=True)
class QueueCounts:
    visible: int
    in_flight: int
    delayed: int


@dataclass(frozen=True)
class PeekedMessage:
    """A stored message as an inspector sees it: no receipt, nothing changed by looking."""

    message_id: str
    body: str
    attributes: str | None  # JSON text, binary values in base64
    sent_at: int
    visible_at: int
    receive_count: int
    first_received_at: int | None
    group_id: str | None
    deduplication_id: str | None
    sequence_number: int | None
    dead_letter_source_arn: str | None


@dataclass(frozen=True)
class Redrive:
    """A source queue's RedrivePolicy, resolved: where exhausted messages go."""

    target_queue_id: int
    max_receive_count: int
    source_arn: str
    restart_retention: bool  # a FIFO dead-letter queue counts retention from the move

    async def move_exhausted(
        self, connection: aiosqlite.Connection, queue_id: int, *, now: int, alive_after: int
    ) -> int:
        """Move visible messages already received max_receive_count times; return how many."""
        cursor = await connection.execute(
            "UPDATE messages SET queue_id = :target, visible_at = :now, receipt = NULL,"
            " dead_letter_source_arn = :source,"
            " sent_at = CASE WHEN :restart THEN :now ELSE sent_at END"
            " WHERE queue_id = :queue AND visible_at <= :now AND sent_at > :alive"
            " AND receive_count >= :max",
            {"target": self.target_queue_id, "now": now, "source": self.source_arn,
             "restart": int(self.restart_retention), "queue": queue_id, "alive": alive_after,
             "max": self.max_receive_count},
        )
        moved = cursor.rowcount
        await cursor.close()
        return moved


class VisibilityChange:
    """Outcomes of ``change_visibility``."""

    CHANGED = "changed"
    NOT_IN_FLIGHT = "not-in-flight"
    TOO_LONG = "too-long"
    UNKNOWN = "unknown"  # deleted, expired, or the receipt is not the latest


INSERT_MESSAGE = (
    "INSERT INTO messages (queue_id, message_id, body, attributes, system_attributes,"
    " md5_body, md5_attributes, md5_system_attributes, sender_id, sent_at, visible_at,"
    " group_id, deduplication_id, sequence_number)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def message_row(queue_id: int, m: NewMessage) -> tuple[object, ...]:
    """The parameters of ``INSERT_MESSAGE`` for ``m`` in queue ``queue_id``."""
    return (queue_id, m.message_id, m.body, m.attributes, m.system_attributes, m.md5_body,
            m.md5_attributes, m.md5_system_attributes, m.sender_id, m.sent_at, m.visible_at,
            m.group_id, m.deduplication_id, m.sequence_number)


class MessageStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def insert(self, queue_id: int, messages: Sequence[NewMessage]) -> None:
        rows = [message_row(queue_id, m) for m in messages]
        if len(rows) == 1:
            await self._db.execute(INSERT_MESSAGE, rows[0])
            return
        # One transaction: outside one, every row would be its own commit (and fsync).
        async with self._db.transaction() as connection:
            await connection.executemany(INSERT_MESSAGE, rows)

    async def claim(
        self, queue_id: int, *, now: int, alive_after: int, limit: int, visible_until: int,
        redrive: Redrive | None = None,
    ) -> list[ClaimedMessage]:
        """Make up to ``limit`` visible messages invisible until ``visible_until``; return them.

        With a redrive policy, messages past their receive limit move to the dead-letter queue in
        the same transaction, before anything is handed out.
        """
        sql = (
            "UPDATE messages SET visible_at = :until, receive_count = receive_count + 1,"
            " receipt = lower(hex(randomblob(20))),"
            " first_received_at = coalesce(first_received_at, :now), last_received_at = :now"
            " WHERE id IN (SELECT id FROM messages WHERE queue_id = :queue"
            " AND visible_at <= :now AND sent_at > :alive ORDER BY visible_at, id LIMIT :limit)"
            f" RETURNING {RETURNED_COLUMNS}"
        )
        parameters = {"until": visible_until, "now": now, "queue": queue_id,
                      "alive": alive_after, "limit": limit}
        if redrive is None:
            rows = await self._db.fetch_all(sql, parameters)
        else:
            async with self._db.transaction() as connection:
                await redrive.move_exhausted(
                    connection, queue_id, now=now, alive_after=alive_after
                )
                rows = list(await connection.execute_fetchall(sql, parameters))
        claimed = [claimed_from_row(row) for row in rows]
        claimed.sort(key=lambda m: m.row_id)
        return claimed

    async def extend_claimed(
        self, queue_id: int, receipts: list[tuple[int, str]], *, now: int, visible_until: int
    ) -> list[ClaimedMessage]:
        """Those messages still in flight under these receipts, with visibility restarted."""
        if not receipts:
            return []
        pairs = ",".join("(?, ?)" for _ in receipts)
        flat = [value for pair in receipts for value in pair]
        rows = await self._db.fetch_all(
            "UPDATE messages SET visible_at = ? WHERE queue_id = ? AND visible_at > ?"
            f" AND (id, receipt) IN (VALUES {pairs}) RETURNING {RETURNED_COLUMNS}",
            (visible_until, queue_id, now, *flat),
        )
        order = {row_id: position for position, (row_id, _) in enumerate(receipts)}
        return sorted((claimed_from_row(r) for r in rows), key=lambda m: order[m.row_id])

    async def delete(self, queue_id: int, row_id: int, receipt: str) -> bool:
        changed = await self._db.execute(
            "DELETE FROM messages WHERE id=? AND queue_id=? AND receipt=?",
            (row_id, queue_id, receipt),
        )
        return changed > 0

    async def delete_many(self, queue_id: int, receipts: Sequence[tuple[int, str]]) -> int:
        """Delete the messages still held under these (row id, receipt) pairs, in one statement.

        One statement is one commit (one fsync with ``--durability full``), not one per message.
        Returns how many rows went.
        """
        if not receipts:
            return 0
        matches = " OR ".join("(id = ? AND receipt = ?)" for _ in receipts)
        flat = [value for pair in receipts for value in pair]
        return await self._db.execute(
            f"DELETE FROM messages WHERE queue_id = ? AND ({matches})", (queue_id, *flat)
        )

    async def change_visibility_many(
        self, queue_id: int, changes: Sequence[tuple[int, str, int]], *, now: int,
        longest_from_receive: int,
    ) -> list[str]:
        """Set the visibility of each (row id, receipt, visible_at) still in flight under that
        (latest) receipt, in order, in one transaction (one commit, not one per message); the
        outcome of each. A message may stay invisible at most ``longest_from_receive`` ms counted
        from its latest receive."""
        async with self._db.transaction() as connection:
            return [
                await _change_visibility_in(
                    connection, queue_id, row_id, receipt, now=now, visible_at=visible_at,
                    longest_from_receive=longest_from_receive,
                )
                for row_id, receipt, visible_at in changes
            ]

    async def counts(self, queue_id: int, *, now: int, alive_after: int) -> QueueCounts:
        """Index reads only: the live messages through the retention index, and among them the
        hidden ones (``visible_at > now``, usually few) through the visibility index."""
        row = await self._db.fetch_one(
            "SELECT"
            " (SELECT count(*) FROM messages INDEXED BY messages_by_retention"
            f"  WHERE queue_id = :queue AND {_IN_RETENTION_INDEX} AND sent_at > :alive) AS alive,"
            " coalesce(sum(receive_count > 0), 0) AS in_flight,"
            " coalesce(sum(receive_count = 0), 0) AS delayed"
            " FROM messages INDEXED BY messages_by_visibility"
            " WHERE queue_id = :queue AND visible_at > :now AND sent_at > :alive",
            {"now": now, "queue": queue_id, "alive": alive_after},
        )
        assert row is not None
        in_flight, delayed = int(row["in_flight"]), int(row["delayed"])
        return QueueCounts(int(row["alive"]) - in_flight - delayed, in_flight, delayed)

    async def next_visible_at(self, queue_id: int, *, now: int, alive_after: int) -> int | None:
        """When the next message of the queue becomes visible (None if none is pending)."""
        row = await self._db.fetch_one(
            "SELECT min(visible_at) AS next FROM messages"
            " WHERE queue_id=? AND visible_at > ? AND sent_at > ?",
            (queue_id, now, alive_after),
        )
        return None if row is None or row["next"] is None else int(row["next"])

    async def delete_expired(self, queue_id: int, alive_after: int) -> int:
        return await self._db.execute(
            "DELETE FROM messages INDEXED BY messages_by_retention"
            f" WHERE queue_id = :queue AND {_IN_RETENTION_INDEX} AND sent_at <= :alive",
            {"queue": queue_id, "alive": alive_after},
        )

    async def peek(self, queue_id: int, *, alive_after: int, limit: int) -> list[PeekedMessage]:
        """Up to ``limit`` live messages of the queue in the order they were stored; read-only."""
        rows = await self._db.fetch_all(
            "SELECT message_id, body, attributes, sent_at, visible_at, receive_count,"
            " first_received_at, group_id, deduplication_id, sequence_number,"
            " dead_letter_source_arn FROM messages INDEXED BY messages_by_queue_order"
            " WHERE queue_id=? AND sent_at > ? ORDER BY id LIMIT ?",
            (queue_id, alive_after, limit),
        )
        return [PeekedMessage(*row) for row in rows]


async def _change_visibility_in(
    connection: aiosqlite.Connection, queue_id: int, row_id: int, receipt: str, *, now: int,
    visible_at: int, longest_from_receive: int,
) -> str:
    cursor = await connection.execute(
        "SELECT visible_at, last_received_at FROM messages WHERE id=? AND queue_id=? AND receipt=?",
        (row_id, queue_id, receipt),
    )
    row = await cursor.fetchone()
    await cursor.close()
    if row is None:
        return VisibilityChange.UNKNOWN
    if row["visible_at"] <= now:
        return VisibilityChange.NOT_IN_FLIGHT
    if visible_at > row["last_received_at"] + longest_from_receive:
        return VisibilityChange.TOO_LONG
    await connection.execute("UPDATE messages SET visible_at=? WHERE id=?", (visible_at, row_id))
    return VisibilityChange.CHANGED
