"""Queues: their attributes and tags, kept in SQLite and mirrored in memory.

One process owns the data file, so the in-memory mirror is exact; it spares the hot path a
database round trip to resolve a queue URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from storage.database import Database, Row

QueueKey = tuple[str, str, str]  # region, account, name


@dataclass(frozen=True)
class Queue:
    id: int
    region: str
    account: str
    name: str
    fifo: bool
    attributes: dict[str, str]
    tags: dict[str, str] = field(default_factory=dict)
    created_at: int = 0  # epoch seconds
    modified_at: int = 0  # epoch seconds
    purged_at: int | None = None  # epoch milliseconds

    @property
    def key(self) -> QueueKey:
        return (self.region, self.account, self.name)

    @property
    def arn(self) -> str:
        return f"arn:aws:sqs:{self.region}:{self.account}:{self.name}"

    def int_attribute(self, name: str) -> int:
        return int(self.attributes[name])


def _from_row(row: Row) -> Queue:
    return Queue(
        id=row["id"],
        region=row["region"],
        account=row["account"],
        name=row["name"],
        fifo=bool(row["fifo"]),
        attributes=json.loads(row["attributes"]),
        tags=json.loads(row["tags"]),
        created_at=row["created_at"],
        modified_at=row["modified_at"],
        purged_at=row["purged_at"],
    )


class QueueStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._by_key: dict[QueueKey, Queue] = {}
        self._by_arn: dict[str, Queue] = {}

    async def load(self) -> None:
        rows = await self._db.fetch_all("SELECT * FROM queues")
        for row in rows:
            self._remember(_from_row(row))

    def _remember(self, queue: Queue) -> None:
        self._by_key[queue.key] = queue
        self._by_arn[queue.arn] = queue

    def _forget(self, queue: Queue) -> None:
        self._by_key.pop(queue.key, None)
        self._by_arn.pop(queue.arn, None)

    def get(self, region: str, account: str, name: str) -> Queue | None:
        return self._by_key.get((region, account, name))

    def by_arn(self, arn: str) -> Queue | None:
        return self._by_arn.get(arn)

    def in_account(self, region: str, account: str) -> list[Queue]:
        return sorted(
            (q for q in self._by_key.values() if q.region == region and q.account == account),
            key=lambda q: q.name,
        )

    def all(self) -> list[Queue]:
        return list(self._by_key.values())

    async def deleted_at(self, region: str, account: str, name: str) -> int | None:
        row = await self._db.fetch_one(
            "SELECT deleted_at FROM deleted_queues WHERE region=? AND account=? AND name=?",
            (region, account, name),
        )
        return None if row is None else int(row["deleted_at"])

    async def create(
        self,
        region: str,
        account: str,
        name: str,
        *,
        fifo: bool,
        attributes: dict[str, str],
        tags: dict[str, str],
        now: int,
    ) -> Queue:
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO queues (region, account, name, fifo, attributes, tags, created_at,"
                " modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (region, account, name, int(fifo), json.dumps(attributes), json.dumps(tags),
                 now, now),
            )
            queue_id = cursor.lastrowid
            await cursor.close()
            await connection.execute(
                "DELETE FROM deleted_queues WHERE region=? AND account=? AND name=?",
                (region, account, name),
            )
        assert queue_id is not None
        queue = Queue(queue_id, region, account, name, fifo, attributes, tags, now, now)
        self._remember(queue)
        return queue

    async def set_attributes(self, queue: Queue, attributes: dict[str, str], now: int) -> Queue:
        merged = {**queue.attributes, **attributes}
        merged = {k: v for k, v in merged.items() if v != ""}
        await self._db.execute(
            "UPDATE queues SET attributes=?, modified_at=? WHERE id=?",
            (json.dumps(merged), now, queue.id),
        )
        updated = replace(queue, attributes=merged, modified_at=now)
        self._remember(updated)
        return updated

    async def set_tags(self, queue: Queue, tags: dict[str, str]) -> Queue:
        await self._db.execute("UPDATE queues SET tags=? WHERE id=?", (json.dumps(tags), queue.id))
        updated = replace(queue, tags=tags)
        self._remember(updated)
        return updated

    async def mark_purged(self, queue: Queue, now_ms: int) -> Queue:
        async with self._db.transaction() as connection:
            await connection.execute("DELETE FROM messages WHERE queue_id=?", (queue.id,))
            await connection.execute(
                "UPDATE queues SET purged_at=? WHERE id=?", (now_ms, queue.id)
            )
        updated = replace(queue, purged_at=now_ms)
        self._remember(updated)
        return updated

    async def delete(self, queue: Queue, now_ms: int) -> None:
        async with self._db.transaction() as connection:
            await connection.execute("DELETE FROM messages WHERE queue_id=?", (queue.id,))
            await connection.execute("DELETE FROM queues WHERE id=?", (queue.id,))
            await connection.execute(
                "INSERT OR REPLACE INTO deleted_queues (region, account, name, deleted_at)"
                " VALUES (?, ?, ?, ?)",
                (queue.region, queue.account, queue.name, now_ms),
            )
        self._forget(queue)

    async def remove(self, queues: list[Queue], *, account: str | None = None) -> None:
        """Delete queues at once, for resetting state between tests.

        Their messages, deduplication records and move tasks go too, and unlike ``delete`` no
        name cool-down is left behind. With ``account``, that account's recently deleted names
        are forgotten as well.
        """
        ids = [(queue.id,) for queue in queues]
        arns = [(queue.arn, queue.arn) for queue in queues]
        async with self._db.transaction() as connection:
            await connection.executemany("DELETE FROM messages WHERE queue_id=?", ids)
            await connection.executemany("DELETE FROM deduplication WHERE queue_id=?", ids)
            await connection.executemany(
                "DELETE FROM move_tasks WHERE source_arn=? OR destination_arn=?", arns
            )
            await connection.executemany("DELETE FROM queues WHERE id=?", ids)
            await connection.executemany(
                "DELETE FROM deleted_queues WHERE region=? AND account=? AND name=?",
                [queue.key for queue in queues],
            )
            if account is not None:
                await connection.execute("DELETE FROM deleted_queues WHERE account=?", (account,))
        for queue in queues:
            self._forget(queue)

    async def remove_all(self) -> None:
        """Delete every queue, message, deduplication record, move task and name cool-down."""
        async with self._db.transaction() as connection:
            for table in ("messages", "deduplication", "move_tasks", "queues", "deleted_queues"):
                await connection.execute(f"DELETE FROM {table}")
        self._by_key.clear()
        self._by_arn.clear()
