"""Wake-ups for receivers waiting on a queue.

A waiter registers *before* it looks for messages, so a send that lands between its look and its
wait still wakes it. Waiters also sleep no longer than until the next delayed or in-flight message
becomes visible, which the receiver asks storage for; nothing polls on a tick.

A send wakes one waiter per message it stored, oldest waiter first, not every waiter of the queue:
a woken waiter always claims before it sleeps again, so one per message is enough, and waking all
of N waiters for each of N messages would cost N * N claims.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence


class Waiters:
    def __init__(self) -> None:
        # Futures in the order they registered (a dict keeps it).
        self._by_queue: dict[int, dict[asyncio.Future[None], None]] = {}
        self.closing = False

    def register(self, queue_id: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.closing:
            future.set_result(None)
        self._by_queue.setdefault(queue_id, {})[future] = None
        return future

    def unregister(self, queue_id: int, future: asyncio.Future[None]) -> None:
        waiting = self._by_queue.get(queue_id)
        if waiting is not None:
            waiting.pop(future, None)
            if not waiting:
                del self._by_queue[queue_id]

    def notify_stored(self, queue_id: int, visible_at: Sequence[int], now_ms: int) -> None:
        """After messages were stored in the queue: one waiter per message visible at once, but
        every waiter when one is delayed, so that each sleeps no later than its delay ends."""
        delayed = any(at > now_ms for at in visible_at)
        self.notify(queue_id, None if delayed else len(visible_at))

    def notify(self, queue_id: int, messages: int | None = None) -> None:
        """Wake the queue's waiters: all of them, or the ``messages`` oldest."""
        waiting = self._by_queue.get(queue_id)
        if not waiting:
            return
        if messages is None or messages >= len(waiting):
            woken = list(waiting)
            del self._by_queue[queue_id]
        else:
            woken = list(itertools.islice(waiting, messages))
            for future in woken:
                del waiting[future]
        for future in woken:
            if not future.done():
                future.set_result(None)

    def notify_all(self) -> None:
        for queue_id in list(self._by_queue):
            self.notify(queue_id)

    def close(self) -> None:
        """Shutting down: answer every waiting receive now."""
        self.closing = True
        self.notify_all()

    @property
    def waiting(self) -> int:
        return sum(len(w) for w in self._by_queue.values())
