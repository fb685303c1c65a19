"""Publishing to a topic: every queue delivery of a publish (or a batch) in one transaction.

Once the transaction commits, the message is in every subscribed queue it matched, so a crash right
after Publish answers loses nothing. A FIFO topic deduplicates within its own window before any
delivery is stored; its sequence numbers are handed out in memory (the process owns the file) and
the highest one is written back in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from storage.database import Database
from storage.fifo import FifoSend, send_in
from storage.messages import INSERT_MESSAGE, NewMessage, message_row


@dataclass(frozen=True)
class QueueDelivery:
    queue_id: int
    message: NewMessage
    fifo: FifoSend | None = None  # set for a FIFO queue: its deduplication scope and id


@dataclass(frozen=True)
class TopicDeduplication:
    deduplication_id: str
    window_ms: int


@dataclass(frozen=True)
class TopicPublish:
    topic_id: int
    message_id: str
    sequence_number: int | None
    deliveries: Sequence[QueueDelivery]
    deduplication: TopicDeduplication | None = None


@dataclass(frozen=True)
class Published:
    message_id: str
    sequence_number: int | None
    duplicate: bool


class PublishStore:
    def __init__(self, db: Database, queue_window_ms: int) -> None:
        self._db = db
        self._queue_window_ms = queue_window_ms
        self._last_sequence: dict[int, int] = {}

    async def load(self) -> None:
        rows = await self._db.fetch_all("SELECT id, last_sequence FROM topics")
        self._last_sequence = {int(row[0]): int(row[1]) for row in rows}

    def next_sequence(self, topic_id: int) -> int:
        """The next sequence number of a FIFO topic (no await: two publishes never share one)."""
        sequence = self._last_sequence.get(topic_id, 0) + 1
        self._last_sequence[topic_id] = sequence
        return sequence

    def forget(self, topic_ids: Sequence[int]) -> None:
        for topic_id in topic_ids:
            self._last_sequence.pop(topic_id, None)

    async def publish(self, publishes: Sequence[TopicPublish], *, now: int) -> list[Published]:
        results: list[Published] = []
        async with self._db.transaction() as connection:
            for publish in publishes:
                results.append(await self._publish_one(connection, publish, now))
        return results

    async def _publish_one(
        self, connection: aiosqlite.Connection, publish: TopicPublish, now: int
    ) -> Published:
        dedup = publish.deduplication
        if dedup is not None:
            seen = await _seen(connection, publish.topic_id, dedup.deduplication_id, now)
            if seen is not None:
                return seen
            await connection.execute(
                "INSERT INTO topic_deduplication (topic_id, deduplication_id, message_id,"
                " sequence_number, expires_at) VALUES (?, ?, ?, ?, ?)",
                (publish.topic_id, dedup.deduplication_id, publish.message_id,
                 publish.sequence_number or 0, now + dedup.window_ms),
            )
        if publish.sequence_number is not None:
            await connection.execute(
                "UPDATE topics SET last_sequence = max(last_sequence, ?) WHERE id=?",
                (publish.sequence_number, publish.topic_id),
            )
        for delivery in publish.deliveries:
            if delivery.fifo is not None:
                await send_in(connection, delivery.queue_id, [delivery.fifo], now=now,
                              window_ms=self._queue_window_ms)
            else:
                await connection.execute(
                    INSERT_MESSAGE, message_row(delivery.queue_id, delivery.message)
                )
        return Published(publish.message_id, publish.sequence_number, duplicate=False)


async def _seen(
    connection: aiosqlite.Connection, topic_id: int, deduplication_id: str, now: int
) -> Published | None:
    await connection.execute(
        "DELETE FROM topic_deduplication WHERE topic_id=? AND expires_at <= ?", (topic_id, now)
    )
    cursor = await connection.execute(
        "SELECT message_id, sequence_number FROM topic_deduplication"
        " WHERE topic_id=? AND deduplication_id=?",
        (topic_id, deduplication_id),
    )
    row = await cursor.fetchone()
    await cursor.close()
    if row is None:
        return None
    return Published(row[0], int(row[1]), duplicate=True)
