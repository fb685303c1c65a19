"""Long-poll wake-ups: a send wakes one waiter per message, oldest first; others stay asleep."""

from __future__ import annotations

import asyncio

from emulator.sqs.long_polling import Waiters


async def test_notify_wakes_the_oldest_waiters_one_per_message() -> None:
    waiters = Waiters()
    futures = [waiters.register(7) for _ in range(4)]
    waiters.notify(7, 2)
    assert [f.done() for f in futures] == [True, True, False, False]
    assert waiters.waiting == 2
    waiters.notify(7, 5)
    assert all(f.done() for f in futures)
    assert waiters.waiting == 0


async def test_notify_without_a_count_wakes_every_waiter_of_that_queue_only() -> None:
    waiters = Waiters()
    mine = [waiters.register(1) for _ in range(3)]
    other = waiters.register(2)
    waiters.notify(1)
    assert all(f.done() for f in mine) and not other.done()
    waiters.unregister(2, other)
    assert waiters.waiting == 0


async def test_an_unregistered_waiter_is_never_counted_as_woken() -> None:
    waiters = Waiters()
    gone, staying = waiters.register(3), waiters.register(3)
    waiters.unregister(3, gone)
    waiters.notify(3, 1)
    assert staying.done() and not gone.done()
    await asyncio.sleep(0)
