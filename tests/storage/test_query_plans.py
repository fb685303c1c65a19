"""The message queries read index ranges: none scans a queue's rows, and the retention index is
used only by the queries written for it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from storage.database import Database
from storage.fifo import FifoStore
from storage.messages import MessageStore, NewMessage, Redrive
from storage.queues import Queue, QueueStore


async def plans_of(db: Database, run: Callable[[], Awaitable[object]]) -> list[str]:
    """Every query plan line of the message statements ``run`` makes."""
    statements: list[str] = []
    await db.connection.set_trace_callback(statements.append)
    try:
        await run()
    finally:
        await db.connection.set_trace_callback(None)
    lines = []
    for sql in statements:
        if " messages" in sql and not sql.lstrip().upper().startswith("INSERT"):
            rows = await db.fetch_all(f"EXPLAIN QUERY PLAN {sql}")
            lines.extend(row["detail"] for row in rows)
    return lines


def new(message_id: str, group_id: str | None = None) -> NewMessage:
    return NewMessage(
        message_id=message_id, body="b", attributes=None, system_attributes=None,
        md5_body="0" * 32, md5_attributes=None, md5_system_attributes=None,
        sender_id="000000000000", sent_at=1_000, visible_at=1_000, group_id=group_id,
    )


async def test_counts_read_only_the_two_indexes(db: Database, messages: MessageStore, queue: Queue):
    await messages.insert(queue.id, [new("a"), new("b")])
    plans = await plans_of(db, lambda: messages.counts(queue.id, now=2_000, alive_after=0))
    assert plans == [
        "SEARCH messages USING INDEX messages_by_visibility (queue_id=? AND visible_at>?)",
        "SCALAR SUBQUERY 1",
        "SEARCH messages USING COVERING INDEX messages_by_retention (queue_id=? AND sent_at>?)",
    ]


async def test_expiry_deletes_an_index_range(db: Database, messages: MessageStore, queue: Queue):
    plans = await plans_of(db, lambda: messages.delete_expired(queue.id, alive_after=5_000))
    assert len(plans) == 1
    assert plans[0].startswith("SEARCH messages USING")
    assert "INDEX messages_by_retention (queue_id=? AND sent_at" in plans[0]


async def test_receiving_keeps_to_the_visibility_index(
    db: Database, messages: MessageStore, queue: Queue
):
    fifo_queue = await QueueStore(db).create("us-east-1", "000000000000", "q.fifo", fifo=True,
                                             attributes={}, tags={}, now=0)
    fifo = FifoStore(db)
    redrive = Redrive(fifo_queue.id, 3, "arn:aws:sqs:us-east-1:000000000000:q",
                      restart_retention=True)

    async def receive() -> None:
        for to in (None, redrive):
            await messages.claim(queue.id, now=2_000, alive_after=0, limit=10,
                                 visible_until=9_000, redrive=to)
            await fifo.claim(fifo_queue.id, now=2_000, alive_after=0, limit=10,
                             visible_until=9_000, redrive=to)
        await messages.next_visible_at(queue.id, now=2_000, alive_after=0)

    plans = await plans_of(db, receive)
    assert plans and not [line for line in plans if line.startswith("SCAN")]
    assert not [line for line in plans if "messages_by_retention" in line]
