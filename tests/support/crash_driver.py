"""SIGKILL a loaded Kyu server at random moments; check that nothing acknowledged is lost.

Producers and consumers keep working over a standard queue, a FIFO queue and a queue whose
messages are received and deliberately left in flight, while the driver SIGKILLs the server and
restarts it on the same data file and port. The invariants live in ``crash_ledger``; after every
restart the driver also checks queue attributes and tags and re-sends acknowledged FIFO messages
with their deduplication ids (the 5-minute window must survive). At the end it restarts once more,
moves the clock past every visibility timeout, drains the queues and checks that every
acknowledged send was delivered.

Each producer is one ``Worker``. One of them publishes to an SNS topic with two subscribed queues
(``crash_fanout``: one raw, one enveloped); an acknowledged publish is owed to both queues, and the
topic, its tags and both subscriptions are checked after every restart too.
"""

from __future__ import annotations

import random
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.exceptions import HTTPClientError

from tests.e2e.conftest import make_client
from tests.support import crash_fanout
from tests.support.crash_fanout import Fanout
from tests.support.crash_ledger import Held, Ledger, Outage
from tests.support.server import RunningServer, free_port

STANDARD = "crash-standard"
FIFO = "crash-orders.fifo"
HELD = "crash-held"
VISIBILITY = 10  # consumers delete well within it; lost receives come back within a run
HOLD_VISIBILITY = 3  # held messages: short, so they come back across the next restart
LATE_SLACK = 3.0  # a loaded 2-core machine may answer a due long poll this late
GROUPS = 4
DEDUP_WINDOW_SECONDS = 300
QUEUE_ATTRIBUTES = {
    STANDARD: {"VisibilityTimeout": str(VISIBILITY), "MessageRetentionPeriod": "86400",
               "MaximumMessageSize": "65536", "ReceiveMessageWaitTimeSeconds": "1"},
    FIFO: {"FifoQueue": "true", "VisibilityTimeout": str(VISIBILITY),
           "ContentBasedDeduplication": "false", "DeduplicationScope": "messageGroup",
           "FifoThroughputLimit": "perMessageGroupId"},
    HELD: {"VisibilityTimeout": str(VISIBILITY), "DelaySeconds": "0"},
    crash_fanout.RAW: {"VisibilityTimeout": str(VISIBILITY)},
    crash_fanout.ENVELOPED: {"VisibilityTimeout": str(VISIBILITY)},
}
EXPECTED_FAILURES = (BotoConnectionError, HTTPClientError)  # the server was killed mid-request


@dataclass
class CrashReport:
    cycles: int = 0
    acknowledged_sends: int = 0
    receipts_checked: int = 0
    redeliveries: int = 0
    held_checked: int = 0
    dedup_resends: int = 0
    acknowledged_publishes: int = 0  # SNS publishes, each owed to both subscribed queues
    seconds: float = 0.0
    violations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.cycles} kill/restart cycles in {self.seconds:.1f} s: "
                f"{self.acknowledged_sends} acknowledged sends all delivered (including "
                f"{self.acknowledged_publishes} SNS publishes owed to 2 queues each), "
                f"{self.receipts_checked} receipts checked ({self.redeliveries} of them "
                f"deliveries again), {self.held_checked} in-flight "
                f"messages seen to come back, {self.dedup_resends} deduplicated re-sends, "
                f"{len(self.violations)} violations")


class Worker(threading.Thread):
    """Repeats one step until told to stop; a step that fails because the server died is paused."""

    def __init__(self, name: str, step: Callable[[Any, random.Random], None], endpoint: str,
                 ledger: Ledger, seed: int, service: str = "sqs") -> None:
        super().__init__(name=name, daemon=True)
        self.step = step
        self.client = make_client(service, endpoint, connect_timeout=1)
        self.ledger = ledger
        self.rng = random.Random(seed)
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.step(self.client, self.rng)
            except EXPECTED_FAILURES:
                time.sleep(0.1)
            except Exception as error:  # an AWS error or a bad response: a real failure
                self.ledger.violation(f"{self.name}: {type(error).__name__}: {error}")
                time.sleep(0.1)


class CrashDriver:
    def __init__(self, data: Path, *, seed: int = 0, run_seconds: tuple[float, float] = (0.4, 1.2),
                 log: Callable[[str], None] | None = None,
                 server_args: list[str] | None = None) -> None:
        self.data = data
        self.server_args = server_args or []  # e.g. ["--durability", "normal"]
        self.rng = random.Random(seed)
        self.seed = seed
        self.run_seconds = run_seconds
        self.log = log or (lambda _: None)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.ledger = Ledger()
        self.fanout = Fanout(self.ledger)
        self.urls: dict[str, str] = {}
        self.tags: dict[str, dict[str, str]] = {}
        self.attributes = {name: dict(values) for name, values in QUEUE_ATTRIBUTES.items()}
        self.fifo_sent: dict[str, tuple[str, float]] = {}  # body -> (group, acknowledged at)
        self.fifo_lock = threading.Lock()
        self.server: RunningServer | None = None
        self.client: Any = None
        self.sns: Any = None

    # -- the run ----------------------------------------------------------------------------------

    def run(self, cycles: int) -> CrashReport:
        started = time.monotonic()
        self.server = RunningServer(data=self.data, port=self.port, extra_args=self.server_args)
        self.client = make_client("sqs", self.endpoint)
        self.sns = make_client("sns", self.endpoint)
        self._create_queues()
        self.fanout.create(self.sns, self.client, self.urls)
        producers = self._start(self._producers())
        consumers = self._start(self._consumers())
        for cycle in range(cycles):
            if cycle:
                self._restart()
            self._change_tags_and_attributes(cycle)
            time.sleep(self.rng.uniform(*self.run_seconds))
            self.ledger.check_held(HELD, LATE_SLACK)
            if cycle == cycles - 1:
                self._stop(producers)  # the final kill still lands on busy consumers
            self._kill()
            self.log(f"cycle {cycle + 1}/{cycles}: killed")
        self._restart()
        self._wait_for_held()
        self._stop(consumers)
        self._drain_everything()
        report = CrashReport(
            cycles=cycles,
            acknowledged_sends=self.ledger.check_everything_delivered(),
            receipts_checked=self.ledger.receipts_checked,
            redeliveries=self.ledger.redeliveries,
            held_checked=sum(1 for held in self.ledger.held.values() if held.seen_again_at),
            dedup_resends=self.ledger.dedup_resends,
            acknowledged_publishes=self.fanout.acknowledged_publishes,
        )
        assert self.server is not None
        if self.server.stop(signal.SIGTERM) != 0:
            self.ledger.violation("the server did not exit 0 on SIGTERM")
        report.violations = list(self.ledger.violations)
        report.seconds = time.monotonic() - started
        return report

    def _start(self, workers: list[Worker]) -> list[Worker]:
        for worker in workers:
            worker.start()
        return workers

    def _stop(self, workers: list[Worker]) -> None:
        for worker in workers:
            worker.stopping.set()
        for worker in workers:
            worker.join(timeout=30)

    def _worker(self, name: str, step: Callable[[Any, random.Random], None],
                service: str = "sqs") -> Worker:
        return Worker(name, step, self.endpoint, self.ledger, self.rng.randrange(1 << 30),
                      service)

    def _kill(self) -> None:
        assert self.server is not None
        self.killed_at = time.time()
        self.server.stop(signal.SIGKILL)

    def _restart(self) -> None:
        self.server = RunningServer(data=self.data, port=self.port, extra_args=self.server_args)
        self.ledger.outages.append(Outage(self.killed_at, time.time()))
        self.client = make_client("sqs", self.endpoint)
        self.sns = make_client("sns", self.endpoint)
        self._check_queues()
        self.fanout.check(self.sns)
        self._resend_acknowledged_fifo()

    # -- the queues -------------------------------------------------------------------------------

    def _create_queues(self) -> None:
        for name, attributes in self.attributes.items():
            self.tags[name] = {"suite": "crash", "queue": name}
            self.urls[name] = self.client.create_queue(
                QueueName=name, Attributes=attributes, tags=self.tags[name])["QueueUrl"]

    def _change_tags_and_attributes(self, cycle: int) -> None:
        url = self.urls[STANDARD]
        self.client.tag_queue(QueueUrl=url, Tags={"cycle": str(cycle)})
        self.tags[STANDARD]["cycle"] = str(cycle)
        size = str(65536 + 1024 * cycle)
        self.client.set_queue_attributes(QueueUrl=url, Attributes={"MaximumMessageSize": size})
        self.attributes[STANDARD]["MaximumMessageSize"] = size
        self.fanout.change(self.sns, cycle)

    def _check_queues(self) -> None:
        for name, expected in self.attributes.items():
            url = self.client.get_queue_url(QueueName=name)["QueueUrl"]
            got = self.client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
            actual = {key: got["Attributes"].get(key) for key in expected}
            if actual != expected:
                self.ledger.violation(f"{name}: attributes {actual} after restart, not {expected}")
            tags = self.client.list_queue_tags(QueueUrl=url).get("Tags", {})
            if tags != self.tags[name]:
                self.ledger.violation(f"{name}: tags {tags} after restart, not {self.tags[name]}")

    def _resend_acknowledged_fifo(self) -> None:
        """Send acknowledged FIFO messages again: deduplication must drop every one of them."""
        now = time.time()
        with self.fifo_lock:
            recent = [(body, group) for body, (group, at) in self.fifo_sent.items()
                      if now - at < DEDUP_WINDOW_SECONDS - 60]
        deleted = self.ledger.queues[FIFO].deleted
        candidates = ([item for item in recent if item[0] in deleted][-3:]
                      + [item for item in recent if item[0] not in deleted][:2])
        for body, group in candidates:
            self.client.send_message(QueueUrl=self.urls[FIFO], MessageBody=body,
                                     MessageGroupId=group, MessageDeduplicationId=body)
            self.ledger.dedup_resends += 1

    # -- producers --------------------------------------------------------------------------------

    def _producers(self) -> list[Worker]:
        return [
            self._worker("standard-producer-0", self._standard_producer("a")),
            self._worker("standard-producer-1", self._standard_producer("b")),
            self._worker("fifo-producer", self._fifo_producer()),
            self._worker("holder", self._holder),
            self._worker("sns-producer", self.fanout.producer(), "sns"),
        ]

    def _standard_producer(self, prefix: str) -> Callable[[Any, random.Random], None]:
        counter = iter(range(1 << 62))

        def step(client: Any, rng: random.Random) -> None:
            bodies = [f"{prefix}-{next(counter)}" for _ in range(rng.choice((1, 1, 1, 5)))]
            for body in bodies:
                self.ledger.attempt_send(STANDARD, body)
            if len(bodies) == 1:
                client.send_message(QueueUrl=self.urls[STANDARD], MessageBody=bodies[0])
                acknowledged = bodies
            else:
                reply = client.send_message_batch(QueueUrl=self.urls[STANDARD], Entries=[
                    {"Id": str(n), "MessageBody": body} for n, body in enumerate(bodies)])
                acknowledged = [bodies[int(entry["Id"])] for entry in reply.get("Successful", [])]
            for body in acknowledged:
                self.ledger.acknowledge_send(STANDARD, body)
            time.sleep(0.02)

        return step

    def _fifo_producer(self) -> Callable[[Any, random.Random], None]:
        """One message per group in turn; a failed send is re-sent, same id, until acknowledged."""
        next_index = [0] * GROUPS
        turn = iter(range(1 << 62))

        def step(client: Any, rng: random.Random) -> None:
            group_number = next(turn) % GROUPS
            group, index = f"g{group_number}", next_index[group_number]
            body = f"f-{group}-{index}"
            self.ledger.attempt_send(FIFO, body)
            while True:
                try:
                    client.send_message(QueueUrl=self.urls[FIFO], MessageBody=body,
                                        MessageGroupId=group, MessageDeduplicationId=body)
                    break
                except EXPECTED_FAILURES:
                    time.sleep(0.1)  # same id again: stored once whether or not it was before
            self.ledger.acknowledge_send(FIFO, body, group, index)
            with self.fifo_lock:
                self.fifo_sent[body] = (group, time.time())
            next_index[group_number] += 1
            time.sleep(0.02)

        return step

    def _holder(self, client: Any, rng: random.Random) -> None:
        """Receive messages and leave them in flight: they must come back when their time is up."""
        if len(self.ledger.pending_held()) >= 6:
            time.sleep(0.2)
            return
        bodies = [f"h-{rng.randrange(1 << 40):x}" for _ in range(2)]
        for body in bodies:
            self.ledger.attempt_send(HELD, body)
            client.send_message(QueueUrl=self.urls[HELD], MessageBody=body)
            self.ledger.acknowledge_send(HELD, body)
        asked = time.time()
        try:
            reply = client.receive_message(QueueUrl=self.urls[HELD], MaxNumberOfMessages=2,
                                           VisibilityTimeout=HOLD_VISIBILITY)
        except EXPECTED_FAILURES:
            self.ledger.lost_receive(HELD)
            raise
        answered = time.time()
        for message in reply.get("Messages", []):
            self.ledger.receive(HELD, message["Body"])
            self.ledger.seen_again(message["Body"])  # a message held before, come back
            self.ledger.hold(HELD, Held(message["Body"], asked, answered, HOLD_VISIBILITY))
        time.sleep(0.3)

    # -- consumers --------------------------------------------------------------------------------

    def _consumers(self) -> list[Worker]:
        return [
            self._worker("standard-consumer-0", self._consumer(STANDARD)),
            self._worker("standard-consumer-1", self._consumer(STANDARD)),
            self._worker("fifo-consumer-0", self._consumer(FIFO)),
            self._worker("fifo-consumer-1", self._consumer(FIFO)),
            self._worker("held-checker", self._consumer(HELD)),
            *(self._worker(f"{queue}-consumer", self._consumer(queue))
              for queue in crash_fanout.QUEUES),
        ]

    def _consumer(self, queue: str) -> Callable[[Any, random.Random], None]:
        def step(client: Any, rng: random.Random) -> None:
            self.consume_once(client, queue, wait=1)

        return step

    def consume_once(self, client: Any, queue: str, *, wait: int) -> int:
        """Receive up to 10 messages, check each, delete them; return how many came."""
        url = self.urls[queue]
        asked = time.time()
        try:
            reply = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                           WaitTimeSeconds=wait, VisibilityTimeout=VISIBILITY,
                                           MessageAttributeNames=["All"])
        except EXPECTED_FAILURES:
            self.ledger.lost_receive(queue)
            raise
        messages = reply.get("Messages", [])
        batch = self.ledger.next_batch()
        bodies = []
        for message in messages:
            body = message["Body"]
            if queue in crash_fanout.QUEUES:
                body = self.fanout.published_message(queue, message)
            bodies.append(body)
            if queue == FIFO:
                _, group, index = body.split("-")
                self.ledger.receive(queue, body, group, int(index), batch)
            else:
                self.ledger.receive(queue, body)
            if queue == HELD:
                self.ledger.seen_again(body)
            self.ledger.attempt_delete(queue, body)
        if not messages:
            return 0
        reply = client.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(n), "ReceiptHandle": message["ReceiptHandle"]}
            for n, message in enumerate(messages)])
        for entry in reply.get("Successful", []):
            body = bodies[int(entry["Id"])]
            self.ledger.acknowledge_delete(queue, body, received_at=asked, visibility=VISIBILITY)
        for entry in reply.get("Failed", []):
            self.ledger.violation(f"{queue}: delete failed: {entry}")
        return len(messages)

    # -- the end ----------------------------------------------------------------------------------

    def _wait_for_held(self) -> None:
        deadline = max((self.ledger.expected_back_by(held, LATE_SLACK)
                        for held in self.ledger.pending_held()), default=0.0)
        while self.ledger.pending_held() and time.time() < deadline:
            time.sleep(0.1)
        self.ledger.check_held(HELD, LATE_SLACK)

    def _drain_everything(self) -> None:
        assert self.server is not None
        self.server.advance_clock(VISIBILITY + HOLD_VISIBILITY + 1)  # everything in flight is back
        for queue in self.urls:
            while self.consume_once(self.client, queue, wait=0):
                pass
            counts = self.client.get_queue_attributes(QueueUrl=self.urls[queue], AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
            left = {name: int(value) for name, value in counts["Attributes"].items()}
            if any(left.values()):
                self.ledger.violation(f"{queue}: not empty after the final drain: {left}")
