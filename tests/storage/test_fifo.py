from __future__ import annotations

import asyncio
from dataclasses import replace

from storage.database import Database
from storage.fifo import FifoSend, FifoStore
from storage.messages import MessageStore, NewMessage, Redrive
from storage.queues import Queue, QueueStore

WINDOW = 300_000


def send(message_id: str, group: str, dedup: str | None = None, at: int = 1_000) -> FifoSend:
    message = NewMessage(
        message_id=message_id, body=message_id, attributes=None, system_attributes=None,
        md5_body="0" * 32, md5_attributes=None, md5_system_attributes=None,
        sender_id="000000000000", sent_at=at, visible_at=at, group_id=group,
        deduplication_id=dedup or message_id,
    )
    return FifoSend(message, "", dedup or message_id)


async def claim(fifo: FifoStore, queue: Queue, now: int, limit: int = 10, until: int = 0,
                redrive: Redrive | None = None):
    return await fifo.claim(queue.id, now=now, alive_after=now - 60_000, limit=limit,
                            visible_until=until or now + 30_000, redrive=redrive)


async def test_sequence_numbers_increase_and_duplicates_return_the_original(
    db: Database, queue: Queue
):
    fifo = FifoStore(db)
    first = await fifo.send(queue.id, [send("a", "g"), send("b", "g")], now=1_000,
                            window_ms=WINDOW)
    again = await fifo.send(queue.id, [send("c", "g", dedup="a")], now=2_000, window_ms=WINDOW)
    assert [s.sequence_number for s in first] == [1, 2]
    assert again[0].duplicate and again[0].message_id == "a" and again[0].sequence_number == 1
    later = await fifo.send(queue.id, [send("d", "g", dedup="a")], now=1_000 + WINDOW,
                            window_ms=WINDOW)
    assert not later[0].duplicate and later[0].sequence_number == 3


async def test_a_group_with_a_message_in_flight_is_blocked(db: Database, queue: Queue):
    fifo = FifoStore(db)
    await fifo.send(queue.id, [send("a1", "a"), send("b1", "b"), send("a2", "a")], now=1_000,
                    window_ms=WINDOW)
    first = await claim(fifo, queue, now=1_000, limit=1, until=5_000)
    assert [m.message_id for m in first] == ["a1"]
    second = await claim(fifo, queue, now=1_000, until=5_000)
    assert [m.message_id for m in second] == ["b1"]
    assert await claim(fifo, queue, now=2_000) == []
    # a1's visibility ends: it comes back before a2.
    third = await claim(fifo, queue, now=5_000, limit=1, until=9_000)
    assert [m.message_id for m in third] == ["a1"]


async def test_one_receive_returns_a_group_run_in_order(db: Database, queue: Queue):
    fifo = FifoStore(db)
    await fifo.send(queue.id, [send(f"m{i}", "g") for i in range(5)], now=1_000,
                    window_ms=WINDOW)
    got = await claim(fifo, queue, now=1_000, limit=3)
    assert [m.message_id for m in got] == ["m0", "m1", "m2"]


async def test_concurrent_claims_keep_groups_exclusive(db: Database, queue: Queue):
    fifo = FifoStore(db)
    await fifo.send(queue.id, [send(f"{g}-{i}", g) for i in range(5) for g in "abcd"],
                    now=1_000, window_ms=WINDOW)
    batches = await asyncio.gather(*(claim(fifo, queue, now=1_000) for _ in range(8)))
    groups = [{m.group_id for m in b} for b in batches if b]
    seen: set[str | None] = set()
    for batch_groups in groups:
        assert not batch_groups & seen
        seen |= batch_groups


async def test_redrive_moves_exhausted_messages(db: Database, queue: Queue):
    store = QueueStore(db)
    dlq = await store.create("us-east-1", "000000000000", "dlq", fifo=False,
                             attributes={}, tags={}, now=0)
    messages = MessageStore(db)
    await messages.insert(queue.id, [replace(send("x", "g").message, group_id=None)])
    redrive = Redrive(dlq.id, 1, queue.arn, restart_retention=False)
    got = await messages.claim(queue.id, now=1_000, alive_after=0, limit=1, visible_until=2_000,
                               redrive=redrive)
    assert [m.message_id for m in got] == ["x"]
    assert await messages.claim(queue.id, now=2_000, alive_after=0, limit=1,
                                visible_until=3_000, redrive=redrive) == []
    moved = await messages.claim(dlq.id, now=2_000, alive_after=0, limit=1, visible_until=3_000)
    assert [m.message_id for m in moved] == ["x"]
    assert moved[0].dead_letter_source_arn == queue.arn
