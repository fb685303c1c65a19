from __future__ import annotations

import asyncio

from storage.database import Database
from storage.messages import MessageStore, NewMessage, VisibilityChange
from storage.queues import Queue, QueueStore


def new(message_id: str, *, sent_at: int = 1_000, visible_at: int = 1_000) -> NewMessage:
    return NewMessage(
        message_id=message_id, body=f"body {message_id}", attributes=None,
        system_attributes=None, md5_body="0" * 32, md5_attributes=None,
        md5_system_attributes=None, sender_id="000000000000", sent_at=sent_at,
        visible_at=visible_at,
    )


async def claim(store: MessageStore, queue: Queue, now: int, limit: int = 10, until: int = 0):
    return await store.claim(queue.id, now=now, alive_after=now - 60_000, limit=limit,
                             visible_until=until or now + 30_000)


async def test_claim_hides_message_until_visibility_ends(messages: MessageStore, queue: Queue):
    await messages.insert(queue.id, [new("a")])
    first = await claim(messages, queue, now=1_000, until=5_000)
    assert [m.message_id for m in first] == ["a"]
    assert first[0].receive_count == 1 and first[0].first_received_at == 1_000
    assert await claim(messages, queue, now=4_999) == []
    again = await claim(messages, queue, now=5_000)
    assert again[0].receive_count == 2
    assert again[0].first_received_at == 1_000
    assert again[0].receipt != first[0].receipt


async def test_concurrent_claims_never_share_a_message(messages: MessageStore, queue: Queue):
    await messages.insert(queue.id, [new(str(i)) for i in range(200)])
    batches = await asyncio.gather(*(claim(messages, queue, now=2_000) for _ in range(40)))
    ids = [m.message_id for batch in batches for m in batch]
    assert sorted(ids, key=int) == [str(i) for i in range(200)]


async def test_counts_distinguish_visible_in_flight_and_delayed(
    messages: MessageStore, queue: Queue
):
    await messages.insert(queue.id, [new("v"), new("f"), new("d", visible_at=9_000)])
    await claim(messages, queue, now=1_000, limit=1)
    counts = await messages.counts(queue.id, now=1_000, alive_after=0)
    assert (counts.visible, counts.in_flight, counts.delayed) == (1, 1, 1)


async def test_retention_hides_and_deletes_old_messages(messages: MessageStore, queue: Queue):
    await messages.insert(queue.id, [new("old", sent_at=1_000), new("young", sent_at=50_000)])
    got = await messages.claim(queue.id, now=61_500, alive_after=1_500, limit=10,
                               visible_until=90_000)
    assert [m.message_id for m in got] == ["young"]
    assert await messages.delete_expired(queue.id, alive_after=1_500) == 1


async def test_next_visible_at_is_the_earliest_pending(messages: MessageStore, queue: Queue):
    assert await messages.next_visible_at(queue.id, now=1_000, alive_after=0) is None
    await messages.insert(queue.id, [new("a", visible_at=7_000), new("b", visible_at=3_000)])
    assert await messages.next_visible_at(queue.id, now=1_000, alive_after=0) == 3_000


async def test_delete_needs_the_latest_receipt(messages: MessageStore, queue: Queue):
    await messages.insert(queue.id, [new("a")])
    first = (await claim(messages, queue, now=1_000, until=2_000))[0]
    second = (await claim(messages, queue, now=2_000, until=3_000))[0]
    assert first.receipt and second.receipt
    assert not await messages.delete(queue.id, first.row_id, first.receipt)
    assert await messages.delete(queue.id, second.row_id, second.receipt)
    assert not await messages.delete(queue.id, second.row_id, second.receipt)


async def test_delete_many_deletes_only_under_the_latest_receipts(
    messages: MessageStore, queue: Queue
):
    await messages.insert(queue.id, [new("a"), new("b"), new("c")])
    first = await claim(messages, queue, now=1_000, until=2_000)
    again = {m.message_id: m for m in await claim(messages, queue, now=2_000, until=3_000)}
    stale = next(m for m in first if m.message_id == "a")
    latest = [again["b"], again["c"]]
    pairs = [(stale.row_id, stale.receipt or ""), *((m.row_id, m.receipt or "") for m in latest)]
    assert await messages.delete_many(queue.id, pairs) == 2
    assert await messages.delete_many(queue.id, []) == 0
    left = await claim(messages, queue, now=3_000)
    assert [m.message_id for m in left] == ["a"]


async def test_change_visibility_outcomes(messages: MessageStore, queue: Queue):
    await messages.insert(queue.id, [new("a")])
    got = (await claim(messages, queue, now=1_000, until=2_000))[0]
    assert got.receipt

    async def change(queue_id: int, row_id: int, receipt: str, **times: int) -> str:
        [outcome] = await messages.change_visibility_many(
            queue_id, [(row_id, receipt, times.pop("visible_at"))], **times
        )
        return outcome

    assert await change(queue.id, got.row_id, got.receipt, now=1_500, visible_at=1_600,
                        longest_from_receive=10_000) == VisibilityChange.CHANGED
    assert await change(queue.id, got.row_id, got.receipt, now=1_500, visible_at=20_000,
                        longest_from_receive=10_000) == VisibilityChange.TOO_LONG
    assert await change(queue.id, got.row_id, got.receipt, now=1_700, visible_at=1_800,
                        longest_from_receive=10_000) == VisibilityChange.NOT_IN_FLIGHT
    assert await change(queue.id, got.row_id, "stale", now=1_500, visible_at=1_600,
                        longest_from_receive=10_000) == VisibilityChange.UNKNOWN


async def test_change_visibility_many_gives_each_outcome_in_order(
    messages: MessageStore, queue: Queue
):
    await messages.insert(queue.id, [new("a"), new("b")])
    a, b = await claim(messages, queue, now=1_000, until=2_000)
    assert a.receipt and b.receipt
    outcomes = await messages.change_visibility_many(
        queue.id, [(a.row_id, a.receipt, 1_500), (b.row_id, "stale", 1_500),
                   (b.row_id, b.receipt, 99_000), (a.row_id, a.receipt, 1_200)],
        now=1_100, longest_from_receive=10_000,
    )
    assert outcomes == [VisibilityChange.CHANGED, VisibilityChange.UNKNOWN,
                        VisibilityChange.TOO_LONG, VisibilityChange.CHANGED]
    assert [m.message_id for m in await claim(messages, queue, now=1_200)] == ["a"]


async def test_delete_expired_removes_only_messages_past_retention(
    messages: MessageStore, queue: Queue
):
    await messages.insert(queue.id, [new("old", sent_at=1_000), new("young", sent_at=70_000)])
    assert await messages.delete_expired(queue.id, alive_after=61_000) == 1
    counts = await messages.counts(queue.id, now=71_000, alive_after=0)
    assert counts.visible == 1



async def test_counts_of_a_mix_leave_out_expired_messages_and_other_queues(
    db: Database, messages: MessageStore, queue: Queue
):
    other = await QueueStore(db).create("us-east-1", "000000000000", "other", fifo=False,
                                        attributes={}, tags={}, now=0)
    await messages.insert(other.id, [new("elsewhere", sent_at=50_000, visible_at=90_000)])
    await messages.insert(queue.id, [new("in-flight", sent_at=50_000, visible_at=50_000),
                                     new("expired-in-flight", sent_at=10_000, visible_at=10_000)])
    await messages.claim(queue.id, now=50_000, alive_after=0, limit=10, visible_until=120_000)
    await messages.insert(queue.id, [new("returned", sent_at=50_000, visible_at=50_000)])
    await messages.claim(queue.id, now=50_000, alive_after=0, limit=10, visible_until=65_000)
    await messages.insert(queue.id, [
        new("visible", sent_at=50_000, visible_at=50_000),
        new("delay-over", sent_at=50_000, visible_at=55_000),
        new("delayed", sent_at=50_000, visible_at=90_000),
        new("expired-visible", sent_at=10_000, visible_at=10_000),
        new("expired-delayed", sent_at=10_000, visible_at=90_000),
    ])

    alive = await messages.counts(queue.id, now=70_000, alive_after=20_000)
    # Visible: visible, delay-over and returned (received, its visibility over).
    assert (alive.visible, alive.in_flight, alive.delayed) == (3, 1, 1)
    everything = await messages.counts(queue.id, now=70_000, alive_after=0)
    assert (everything.visible, everything.in_flight, everything.delayed) == (4, 2, 2)
    assert await messages.delete_expired(queue.id, alive_after=20_000) == 3
    assert await messages.counts(queue.id, now=70_000, alive_after=0) == alive
    elsewhere = await messages.counts(other.id, now=70_000, alive_after=20_000)
    assert (elsewhere.visible, elsewhere.in_flight, elsewhere.delayed) == (0, 0, 1)
