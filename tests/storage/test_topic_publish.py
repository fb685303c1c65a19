"""A publish stores every queue delivery in one transaction; a FIFO topic deduplicates within
its window before storing anything, and its sequence numbers survive a reload."""

from __future__ import annotations

import sqlite3

import pytest

from storage.database import Database
from storage.fifo import FifoSend
from storage.messages import MessageStore, NewMessage
from storage.queues import Queue, QueueStore
from storage.topic_publish import PublishStore, QueueDelivery, TopicDeduplication, TopicPublish
from storage.topics import TopicStore

WINDOW = 300_000


def message(message_id: str, *, group: str | None = None) -> NewMessage:
    return NewMessage(
        message_id=message_id, body=message_id, attributes=None, system_attributes=None,
        md5_body="0" * 32, md5_attributes=None, md5_system_attributes=None, sender_id="sns",
        sent_at=1_000, visible_at=1_000, group_id=group, deduplication_id=group and message_id,
    )


async def count(db: Database, queue: Queue) -> int:
    row = await db.fetch_one("SELECT count(*) FROM messages WHERE queue_id=?", (queue.id,))
    assert row is not None
    return int(row[0])


async def test_a_publish_reaches_every_queue_or_none(db: Database, queue: Queue) -> None:
    topic = await TopicStore(db).create("us-east-1", "000000000000", "t", fifo=False,
                                        attributes={}, tags={}, now=0)
    other = await QueueStore(db).create("us-east-1", "000000000000", "other", fifo=False,
                                        attributes={"MessageRetentionPeriod": "60"}, tags={},
                                        now=0)
    store = PublishStore(db, WINDOW)
    [published] = await store.publish([TopicPublish(topic.id, "p1", None, [
        QueueDelivery(queue.id, message("m1")), QueueDelivery(other.id, message("m2"))])],
        now=1_000)
    assert (published.message_id, published.duplicate) == ("p1", False)
    assert (await count(db, queue), await count(db, other)) == (1, 1)
    with pytest.raises(sqlite3.IntegrityError):
        await store.publish([TopicPublish(topic.id, "p2", None, [
            QueueDelivery(queue.id, message("m3")), QueueDelivery(10_000, message("m4"))])],
            now=1_000)
    assert await count(db, queue) == 1  # rolled back with the failed delivery


async def test_fifo_topics_deduplicate_and_keep_their_sequence(db: Database) -> None:
    topic = await TopicStore(db).create("us-east-1", "000000000000", "t.fifo", fifo=True,
                                        attributes={}, tags={}, now=0)
    fifo_queue = await QueueStore(db).create(
        "us-east-1", "000000000000", "q.fifo", fifo=True,
        attributes={"MessageRetentionPeriod": "60"}, tags={}, now=0)
    store = PublishStore(db, WINDOW)
    await store.load()

    def publish(message_id: str, dedup: str) -> TopicPublish:
        sent = message(message_id, group="g")
        return TopicPublish(topic.id, message_id, store.next_sequence(topic.id),
                            [QueueDelivery(fifo_queue.id, sent, FifoSend(sent, "", dedup))],
                            TopicDeduplication(dedup, WINDOW))

    first, again = await store.publish([publish("a", "d"), publish("b", "d")], now=1_000)
    assert (first.sequence_number, first.duplicate) == (1, False)
    assert (again.message_id, again.sequence_number, again.duplicate) == ("a", 1, True)
    [later] = await store.publish([publish("c", "d")], now=1_000 + WINDOW)
    assert (later.message_id, later.duplicate) == ("c", False)
    assert [m.body for m in await MessageStore(db).peek(
        fifo_queue.id, alive_after=0, limit=10)] == ["a", "c"]
    reloaded = PublishStore(db, WINDOW)
    await reloaded.load()
    assert reloaded.next_sequence(topic.id) == 4
