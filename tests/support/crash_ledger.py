"""What clients were told, and the crash-safety invariants checked against it.

Only acknowledged operations are owed: a send whose response was lost may or may not be stored,
a delete whose response was lost may or may not have happened. So every send is first recorded as
*attempted* (what may exist) and then, on success, as *acknowledged* (what must exist); deletes
likewise. Every message body is unique, so a body identifies one send.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

# A delete acknowledged this close to the end of the visibility timeout may have used a stale
# receipt handle, which AWS accepts without deleting; such a delete is not counted as owed.
DELETE_MARGIN_SECONDS = 1.0


@dataclass
class Held:
    """A message received and deliberately not deleted: it must come back after its timeout."""

    body: str
    asked_at: float  # wall clock when the ReceiveMessage was sent
    answered_at: float  # wall clock when its response arrived
    visibility: int
    seen_again_at: float | None = None

    @property
    def due(self) -> float:
        return self.answered_at + self.visibility


@dataclass
class Outage:
    killed_at: float
    ready_at: float


@dataclass
class QueueBook:
    attempted: set[str] = field(default_factory=set)
    acknowledged: set[str] = field(default_factory=set)
    received: set[str] = field(default_factory=set)
    delete_attempted: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)  # acknowledged in time: must never come back


@dataclass
class GroupBook:
    acknowledged: set[int] = field(default_factory=set)
    received: set[int] = field(default_factory=set)
    highest_delivered: int = -1
    batch_of: dict[int, int] = field(default_factory=dict)  # index -> receive that last gave it


class Ledger:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queues: dict[str, QueueBook] = defaultdict(QueueBook)
        self.groups: dict[tuple[str, str], GroupBook] = defaultdict(GroupBook)
        self.held: dict[str, Held] = {}
        self.lost_receives: dict[str, list[float]] = defaultdict(list)  # queue -> when
        self.outages: list[Outage] = []
        self.violations: list[str] = []
        self.receipts_checked = 0
        self.redeliveries = 0  # a message delivered again (held back on purpose, or delete lost)
        self.dedup_resends = 0
        self.batches = itertools.count(1)

    def violation(self, text: str) -> None:
        with self.lock:
            self.violations.append(text)

    # -- sends ------------------------------------------------------------------------------------

    def attempt_send(self, queue: str, body: str) -> None:
        with self.lock:
            self.queues[queue].attempted.add(body)

    def acknowledge_send(self, queue: str, body: str, group: str | None = None,
                         index: int | None = None) -> None:
        with self.lock:
            self.queues[queue].acknowledged.add(body)
            if group is not None and index is not None:
                self.groups[(queue, group)].acknowledged.add(index)

    # -- receives and deletes ---------------------------------------------------------------------

    def next_batch(self) -> int:
        """An id for one ReceiveMessage response (FIFO order checks need to know)."""
        with self.lock:
            return next(self.batches)

    def receive(self, queue: str, body: str, group: str | None = None,
                index: int | None = None, batch: int = 0) -> None:
        """Check one delivered message against everything acknowledged so far."""
        with self.lock:
            self.receipts_checked += 1
            book = self.queues[queue]
            if body not in book.attempted:
                self.violations.append(f"{queue}: received {body!r}, which no client sent")
            if body in book.deleted:
                self.violations.append(f"{queue}: received {body!r} after its delete succeeded")
            if body in book.received:
                self.redeliveries += 1
            book.received.add(body)
            if group is not None and index is not None:
                self._check_group_order(queue, group, index, batch)

    def _check_group_order(self, queue: str, group: str, index: int, batch: int) -> None:
        """First deliveries come in order; a message delivered again (its delete was lost, or not
        acknowledged in time) may only precede later messages that left in the same response as
        it did the last time: those were in flight with it, nothing after them was handed out."""
        book = self.groups[(queue, group)]
        if index in book.received:
            previous = book.batch_of[index]
            for later in range(index + 1, book.highest_delivered + 1):
                if later in book.received and book.batch_of[later] != previous:
                    self.violations.append(
                        f"{queue} group {group}: #{index} delivered again after #{later}, "
                        "which was handed out while it was still pending"
                    )
                    break
            book.batch_of[index] = batch
            return
        if index < book.highest_delivered:
            self.violations.append(
                f"{queue} group {group}: #{index} delivered after #{book.highest_delivered}"
            )
        for earlier in range(book.highest_delivered + 1, index):
            if earlier in book.acknowledged and earlier not in book.received:
                self.violations.append(
                    f"{queue} group {group}: #{index} delivered before acknowledged #{earlier}"
                )
        book.received.add(index)
        book.batch_of[index] = batch
        book.highest_delivered = max(book.highest_delivered, index)

    def lost_receive(self, queue: str) -> None:
        """A ReceiveMessage without a response: it may have put messages in flight unseen."""
        with self.lock:
            self.lost_receives[queue].append(time.time())

    def attempt_delete(self, queue: str, body: str) -> None:
        with self.lock:
            self.queues[queue].delete_attempted.add(body)

    def acknowledge_delete(self, queue: str, body: str, *, received_at: float,
                           visibility: int) -> None:
        if time.time() > received_at + visibility - DELETE_MARGIN_SECONDS:
            return
        with self.lock:
            self.queues[queue].deleted.add(body)

    # -- in-flight messages across restarts -------------------------------------------------------

    def hold(self, queue: str, held: Held) -> None:
        with self.lock:
            self.held[held.body] = held

    def seen_again(self, body: str) -> None:
        """A held message came back: never before its visibility timeout ended."""
        now = time.time()
        with self.lock:
            held = self.held.get(body)
            if held is None or held.seen_again_at is not None:
                return
            held.seen_again_at = now
            if now < held.asked_at + held.visibility - 0.05:
                self.violations.append(
                    f"held {body!r} came back {held.asked_at + held.visibility - now:.2f} s early"
                )

    def expected_back_by(self, held: Held, slack: float) -> float:
        """When a held message must have come back, allowing for the server being down."""
        moment = held.due
        for outage in self.outages:
            if outage.ready_at <= moment:
                continue
            if outage.killed_at <= moment or outage.killed_at < moment + slack:
                moment = outage.ready_at
        return moment + slack

    def check_held(self, queue: str, slack: float) -> None:
        """Every held message whose time has come (and gone, plus slack) was delivered again."""
        now = time.time()
        with self.lock:
            lost = self.lost_receives[queue]
            for held in self.held.values():
                if held.seen_again_at is not None:
                    continue
                # A receive whose response was lost may have taken it again; then only the
                # final drain can tell.
                if any(moment >= held.due for moment in lost):
                    continue
                if now > self.expected_back_by(held, slack):
                    self.violations.append(
                        f"held {held.body!r} did not come back: due {now - held.due:.1f} s ago"
                    )
                    held.seen_again_at = now  # report once

    def pending_held(self) -> list[Held]:
        with self.lock:
            return [held for held in self.held.values() if held.seen_again_at is None]

    # -- the end ----------------------------------------------------------------------------------

    def check_everything_delivered(self) -> int:
        """Every acknowledged send was received; return how many acknowledged sends were checked."""
        checked = 0
        with self.lock:
            for queue, book in self.queues.items():
                missing = book.acknowledged - book.received
                checked += len(book.acknowledged)
                for body in sorted(missing)[:20]:
                    self.violations.append(f"{queue}: acknowledged {body!r} never delivered")
        return checked
