"""SNS subscriptions, kept in SQLite and mirrored in memory (per topic, in creation order).

A subscription is *pending* until confirmed (http/https); ``token`` is what confirms it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from storage.database import Database, Row


@dataclass(frozen=True)
class Subscription:
    id: int
    arn: str
    topic_id: int
    protocol: str
    endpoint: str
    owner: str
    attributes: dict[str, str]
    confirmed: bool
    authenticated: bool = False
    token: str | None = None
    created_at: int = 0  # epoch milliseconds


@dataclass(frozen=True)
class NewSubscription:
    arn: str
    topic_id: int
    protocol: str
    endpoint: str
    owner: str
    attributes: dict[str, str]
    confirmed: bool
    token: str | None
    created_at: int


def _from_row(row: Row) -> Subscription:
    return Subscription(
        id=row["id"],
        arn=row["arn"],
        topic_id=row["topic_id"],
        protocol=row["protocol"],
        endpoint=row["endpoint"],
        owner=row["owner"],
        attributes=json.loads(row["attributes"]),
        confirmed=bool(row["confirmed"]),
        authenticated=bool(row["authenticated"]),
        token=row["token"],
        created_at=row["created_at"],
    )


class SubscriptionStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._by_arn: dict[str, Subscription] = {}
        self._by_topic: dict[int, dict[str, Subscription]] = {}

    async def load(self) -> None:
        self._by_arn.clear()
        self._by_topic.clear()
        for row in await self._db.fetch_all("SELECT * FROM subscriptions ORDER BY id"):
            self._remember(_from_row(row))

    def _remember(self, subscription: Subscription) -> None:
        self._by_arn[subscription.arn] = subscription
        self._by_topic.setdefault(subscription.topic_id, {})[subscription.arn] = subscription

    def _forget(self, subscription: Subscription) -> None:
        self._by_arn.pop(subscription.arn, None)
        of_topic = self._by_topic.get(subscription.topic_id)
        if of_topic is not None:
            of_topic.pop(subscription.arn, None)
            if not of_topic:
                del self._by_topic[subscription.topic_id]

    def by_arn(self, arn: str) -> Subscription | None:
        return self._by_arn.get(arn)

    def of_topic(self, topic_id: int) -> list[Subscription]:
        return list(self._by_topic.get(topic_id, {}).values())

    def all(self) -> list[Subscription]:
        return sorted(self._by_arn.values(), key=lambda s: s.id)

    def forget_topics(self, topic_ids: list[int]) -> None:
        """Drop the mirror of subscriptions whose topics were deleted (rows went with them)."""
        for topic_id in topic_ids:
            for subscription in self.of_topic(topic_id):
                self._forget(subscription)

    async def create(self, new: NewSubscription) -> Subscription:
        subscription_id = None
        async with self._db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO subscriptions (arn, topic_id, protocol, endpoint, owner, attributes,"
                " confirmed, authenticated, token, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (new.arn, new.topic_id, new.protocol, new.endpoint, new.owner,
                 json.dumps(new.attributes), int(new.confirmed), new.token, new.created_at),
            )
            subscription_id = cursor.lastrowid
            await cursor.close()
        assert subscription_id is not None
        subscription = Subscription(
            subscription_id, new.arn, new.topic_id, new.protocol, new.endpoint, new.owner,
            new.attributes, new.confirmed, False, new.token, new.created_at,
        )
        self._remember(subscription)
        return subscription

    async def set_attributes(
        self, subscription: Subscription, attributes: dict[str, str]
    ) -> Subscription:
        """Merge ``attributes`` in; an empty value removes the attribute."""
        merged = {k: v for k, v in {**subscription.attributes, **attributes}.items() if v != ""}
        await self._db.execute(
            "UPDATE subscriptions SET attributes=? WHERE id=?",
            (json.dumps(merged), subscription.id),
        )
        updated = replace(subscription, attributes=merged)
        self._remember(updated)
        return updated

    async def confirm(self, subscription: Subscription, *, authenticated: bool) -> Subscription:
        await self._db.execute(
            "UPDATE subscriptions SET confirmed=1, authenticated=? WHERE id=?",
            (int(authenticated), subscription.id),
        )
        updated = replace(subscription, confirmed=True, authenticated=authenticated)
        self._remember(updated)
        return updated

    async def delete(self, subscription: Subscription) -> None:
        """Delete one subscription and count it in its topic's SubscriptionsDeleted."""
        async with self._db.transaction() as connection:
            await connection.execute("DELETE FROM subscriptions WHERE id=?", (subscription.id,))
            await connection.execute(
                "UPDATE topics SET subscriptions_deleted = subscriptions_deleted + 1 WHERE id=?",
                (subscription.topic_id,),
            )
        self._forget(subscription)
