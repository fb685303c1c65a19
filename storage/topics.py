"""SNS topics: attributes and tags, kept in SQLite and mirrored in memory.

As with queues, one process owns the data file, so the mirror is exact and Publish resolves its
topic without a database round trip.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from storage.database import Database, Row

TopicKey = tuple[str, str, str]  # region, account, name


@dataclass(frozen=True)
class Topic:
    id: int
    region: str
    account: str
    name: str
    fifo: bool
    attributes: dict[str, str]
    tags: dict[str, str] = field(default_factory=dict)
    created_at: int = 0  # epoch milliseconds
    subscriptions_deleted: int = 0

    @property
    def key(self) -> TopicKey:
        return (self.region, self.account, self.name)

    @property
    def arn(self) -> str:
        return f"arn:aws:sns:{self.region}:{self.account}:{self.name}"


def _from_row(row: Row) -> Topic:
    return Topic(
        id=row["id"],
        region=row["region"],
        account=row["account"],
        name=row["name"],
        fifo=bool(row["fifo"]),
        attributes=json.loads(row["attributes"]),
        tags=json.loads(row["tags"]),
        created_at=row["created_at"],
        subscriptions_deleted=row["subscriptions_deleted"],
    )


class TopicStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._by_arn: dict[str, Topic] = {}
        self._by_id: dict[int, Topic] = {}

    async def load(self) -> None:
        self._by_arn.clear()
        self._by_id.clear()
        for row in await self._db.fetch_all("SELECT * FROM topics"):
            self._remember(_from_row(row))

    def _remember(self, topic: Topic) -> None:
        self._by_arn[topic.arn] = topic
        self._by_id[topic.id] = topic

    def _forget(self, topic: Topic) -> None:
        self._by_arn.pop(topic.arn, None)
        self._by_id.pop(topic.id, None)

    def by_arn(self, arn: str) -> Topic | None:
        return self._by_arn.get(arn)

    def by_id(self, topic_id: int) -> Topic | None:
        return self._by_id.get(topic_id)

    def in_account(self, region: str, account: str) -> list[Topic]:
        return sorted(
            (t for t in self._by_arn.values() if t.region == region and t.account == account),
            key=lambda t: t.id,
        )

    def all(self) -> list[Topic]:
        return sorted(self._by_arn.values(), key=lambda t: t.id)

    async def create(
        self, region: str, account: str, name: str, *, fifo: bool, attributes: dict[str, str],
        tags: dict[str, str], now: int,
    ) -> Topic:
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO topics (region, account, name, fifo, attributes, tags, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (region, account, name, int(fifo), json.dumps(attributes), json.dumps(tags), now),
            )
            topic_id = cursor.lastrowid
            await cursor.close()
        assert topic_id is not None
        topic = Topic(topic_id, region, account, name, fifo, attributes, tags, now)
        self._remember(topic)
        return topic

    async def set_attributes(self, topic: Topic, attributes: dict[str, str]) -> Topic:
        """Merge ``attributes`` in; an empty value removes the attribute."""
        merged = {k: v for k, v in {**topic.attributes, **attributes}.items() if v != ""}
        await self._db.execute(
            "UPDATE topics SET attributes=? WHERE id=?", (json.dumps(merged), topic.id)
        )
        updated = replace(topic, attributes=merged)
        self._remember(updated)
        return updated

    async def set_tags(self, topic: Topic, tags: dict[str, str]) -> Topic:
        await self._db.execute("UPDATE topics SET tags=? WHERE id=?", (json.dumps(tags), topic.id))
        updated = replace(topic, tags=tags)
        self._remember(updated)
        return updated

    def note_subscription_deleted(self, topic_id: int) -> None:
        """Mirror an ``subscriptions_deleted`` increment the subscription store committed."""
        topic = self._by_id.get(topic_id)
        if topic is not None:
            self._remember(replace(topic, subscriptions_deleted=topic.subscriptions_deleted + 1))

    async def delete(self, topics: list[Topic]) -> None:
        """Delete topics with their subscriptions and deduplication records (one transaction)."""
        ids = [(topic.id,) for topic in topics]
        async with self._db.transaction() as connection:
            await connection.executemany("DELETE FROM subscriptions WHERE topic_id=?", ids)
            await connection.executemany("DELETE FROM topic_deduplication WHERE topic_id=?", ids)
            await connection.executemany("DELETE FROM topics WHERE id=?", ids)
        for topic in topics:
            self._forget(topic)
