"""Many consumers on one FIFO queue: group order holds and nothing is handed out twice.

Eight threads, each with its own client, receive batches of up to ten from a queue holding 50
groups of 40 messages, sent interleaved. Every receive is checked, under one lock, against what
the other threads hold: a group must not be handed to a thread while another thread still holds
messages of it (AWS: "no two messages from the same group are processed simultaneously"), each
group's messages must arrive in exactly the order sent, and no message may arrive twice (the
visibility timeout is long enough that nothing expires during the run).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.e2e.conftest import make_client
from tests.e2e.fifo_helpers import counters, create_fifo
from tests.support.server import RunningServer

THREADS = 8
GROUPS = 50
PER_GROUP = 40
TOTAL = GROUPS * PER_GROUP


class Ledger:
    """What every consumer holds and has processed, checked at each receive."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held: dict[str, int] = defaultdict(int)  # group -> messages held by a consumer
        self.next_index: dict[str, int] = defaultdict(int)
        self.seen: set[str] = set()
        self.processed = 0
        self.receives = 0
        self.violations: list[str] = []

    def received(self, messages: list[dict[str, Any]]) -> None:
        by_group: dict[str, list[int]] = defaultdict(list)
        with self.lock:
            self.receives += 1
            for message in messages:
                if message["MessageId"] in self.seen:
                    self.violations.append(f"delivered twice: {message['Body']}")
                self.seen.add(message["MessageId"])
                group, index = message["Body"].split(":")
                if message["Attributes"]["MessageGroupId"] != group:
                    self.violations.append(f"wrong group on {message['Body']}")
                by_group[group].append(int(index))
            for group, indexes in by_group.items():
                if self.held[group]:
                    self.violations.append(f"group {group} handed out while held elsewhere")
                first = self.next_index[group]
                expected = list(range(first, first + len(indexes)))
                if indexes != expected:
                    self.violations.append(f"group {group}: got {indexes}, expected {expected}")
                self.next_index[group] += len(indexes)
                self.held[group] += len(indexes)

    def releasing(self, messages: list[dict[str, Any]]) -> None:
        """Called just before the messages are deleted: from then on the group may move on."""
        with self.lock:
            for message in messages:
                self.held[message["Body"].split(":")[0]] -= 1
            self.processed += len(messages)

    def done(self) -> bool:
        with self.lock:
            return self.processed >= TOTAL or bool(self.violations)


def consume(endpoint: str, protocol: str, url: str, ledger: Ledger, deadline: float) -> None:
    client = make_client("sqs", endpoint, protocol)
    while not ledger.done() and time.monotonic() < deadline:
        reply = client.receive_message(
            QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=120, WaitTimeSeconds=1,
            AttributeNames=["MessageGroupId"],
        )
        messages = reply.get("Messages", [])
        if not messages:
            continue
        ledger.received(messages)
        ledger.releasing(messages)
        deleted = client.delete_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                     for i, m in enumerate(messages)],
        )
        assert not deleted.get("Failed"), deleted


def send_all(client: Any, url: str) -> None:
    """Send every group's messages in order, interleaving the groups, ten to a batch."""
    bodies = [f"g{g}:{i}" for i in range(PER_GROUP) for g in range(GROUPS)]
    for start in range(0, TOTAL, 10):
        reply = client.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": str(i), "MessageBody": body, "MessageGroupId": body.split(":")[0],
                      "MessageDeduplicationId": body.replace(":", "-")}
                     for i, body in enumerate(bodies[start:start + 10])],
        )
        assert not reply.get("Failed"), reply


def test_consumers_never_break_group_order_or_share_a_group(
    server: RunningServer, sqs: Any, protocol: str
) -> None:
    url = create_fifo(sqs)
    started = time.monotonic()
    send_all(sqs, url)
    sent = time.monotonic()
    ledger = Ledger()
    deadline = time.monotonic() + 60
    with ThreadPoolExecutor(THREADS) as pool:
        futures = [
            pool.submit(consume, server.endpoint, protocol, url, ledger, deadline)
            for _ in range(THREADS)
        ]
        for future in futures:
            future.result()
    finished = time.monotonic()
    assert ledger.violations == []
    assert ledger.processed == TOTAL
    assert all(ledger.next_index[f"g{g}"] == PER_GROUP for g in range(GROUPS))
    assert counters(sqs, url) == (0, 0, 0)
    print(f"\n{protocol}: sent {TOTAL} in {sent - started:.1f} s, consumed in "
          f"{finished - sent:.1f} s over {ledger.receives} receives")
