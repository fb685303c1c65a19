"""FIFO state, dead-letter queues and move tasks survive a restart on the same data file.

Each test runs a private server on a file under tmp_path, stops it in the middle of the story and
starts a new one on the same file, over both protocols. What must hold (design notes: "a restart
loses nothing"): the deduplication window, an in-flight message blocking its group until its
visibility timeout ends, sequence numbers that keep growing, dead-lettered messages and the
redrive configuration, and a running move task, which carries on where it stopped.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import make_client
from tests.e2e.fifo_helpers import (
    arn_of,
    bodies,
    counters,
    create_fifo,
    drain,
    receive,
    redrive_policy,
    unique,
    wait_until,
)
from tests.support.server import RunningServer


class Restartable:
    """One data file; the current server on it, and a client of the test's protocol."""

    def __init__(self, data: Path, protocol: str) -> None:
        self.data = data
        self.protocol = protocol
        self.server = RunningServer(data=data)
        self.sqs = self._client()

    def _client(self) -> Any:
        return make_client("sqs", self.server.endpoint, self.protocol)

    def restart(self, sig: int = signal.SIGTERM) -> Any:
        self.server.stop(sig)
        self.server = RunningServer(data=self.data, port=self.server.port)
        self.sqs = self._client()
        return self.sqs

    def stop(self) -> None:
        self.server.stop(signal.SIGKILL)


@pytest.fixture
def node(tmp_path: Path, protocol: str) -> Iterator[Restartable]:
    running = Restartable(tmp_path / "kyu.db", protocol)
    try:
        yield running
    finally:
        running.stop()


def send(sqs: Any, url: str, body: str, group: str = "g") -> dict[str, Any]:
    return dict(sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group,
                                 MessageDeduplicationId=body))


def test_the_deduplication_window_survives_a_restart(node: Restartable) -> None:
    url = create_fifo(node.sqs)
    original = send(node.sqs, url, "order-1")
    drain(node.sqs, url)
    sqs = node.restart()
    again = send(sqs, url, "order-1")
    assert again["MessageId"] == original["MessageId"]
    assert drain(sqs, url) == []
    node.server.advance_clock(301)
    fresh = send(sqs, url, "order-1")
    assert fresh["MessageId"] != original["MessageId"]
    # Sequence numbers keep growing across the restart.
    assert int(fresh["SequenceNumber"]) > int(original["SequenceNumber"])
    assert bodies(drain(sqs, url)) == ["order-1"]


def test_an_in_flight_group_stays_blocked_then_comes_back_in_order(node: Restartable) -> None:
    url = create_fifo(node.sqs)
    for body, group in [("a1", "A"), ("a2", "A"), ("b1", "B")]:
        send(node.sqs, url, body, group)
    assert bodies(receive(node.sqs, url, count=1, VisibilityTimeout=600)) == ["a1"]
    sqs = node.restart(signal.SIGKILL)
    [b1] = receive(sqs, url, VisibilityTimeout=600)
    assert b1["Body"] == "b1"
    sqs.delete_message(QueueUrl=url, ReceiptHandle=b1["ReceiptHandle"])
    assert receive(sqs, url) == []
    assert counters(sqs, url) == (1, 1, 0)
    node.server.advance_clock(601)
    back = receive(sqs, url, VisibilityTimeout=600)
    assert bodies(back) == ["a1", "a2"]
    assert back[0]["Attributes"]["ApproximateReceiveCount"] == "2"


def test_dead_letters_and_the_redrive_policy_survive_a_restart(node: Restartable) -> None:
    sqs = node.sqs
    dlq = sqs.create_queue(QueueName=unique("dlq"))["QueueUrl"]
    source = sqs.create_queue(
        QueueName=unique("src"), Attributes={"RedrivePolicy": redrive_policy(arn_of(sqs, dlq), 1)}
    )["QueueUrl"]
    sent = sqs.send_message(QueueUrl=source, MessageBody="before")
    receive(sqs, source, VisibilityTimeout=0)
    assert receive(sqs, source) == []  # moved
    sqs = node.restart()
    [dead] = receive(sqs, dlq, VisibilityTimeout=0)
    assert (dead["MessageId"], dead["Body"]) == (sent["MessageId"], "before")
    assert dead["Attributes"]["DeadLetterQueueSourceArn"] == arn_of(sqs, source)
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [source]
    # The policy still acts after the restart.
    sqs.send_message(QueueUrl=source, MessageBody="after")
    receive(sqs, source, VisibilityTimeout=0)
    assert receive(sqs, source) == []
    assert sorted(bodies(drain(sqs, dlq))) == ["after", "before"]


def test_a_fifo_dead_letter_queue_keeps_its_order_across_a_restart(node: Restartable) -> None:
    sqs = node.sqs
    dlq = create_fifo(sqs)
    source = create_fifo(sqs, RedrivePolicy=redrive_policy(arn_of(sqs, dlq), 1))
    for body in ["m0", "m1", "m2"]:
        send(sqs, source, body)
    assert bodies(receive(sqs, source, VisibilityTimeout=0)) == ["m0", "m1", "m2"]
    assert receive(sqs, source) == []
    sqs = node.restart(signal.SIGKILL)
    assert bodies(receive(sqs, dlq, VisibilityTimeout=30)) == ["m0", "m1", "m2"]


def test_a_running_move_task_resumes_after_a_restart(node: Restartable) -> None:
    sqs = node.sqs
    dlq = sqs.create_queue(QueueName=unique("dlq"))["QueueUrl"]
    source = sqs.create_queue(
        QueueName=unique("src"), Attributes={"RedrivePolicy": redrive_policy(arn_of(sqs, dlq), 1)}
    )["QueueUrl"]
    total = 4
    for index in range(total):
        sqs.send_message(QueueUrl=source, MessageBody=f"m{index}")
    drain(sqs, source, delete=False, VisibilityTimeout=0)
    assert receive(sqs, source) == []
    assert counters(sqs, dlq)[0] == total
    dlq_arn = arn_of(sqs, dlq)
    handle = sqs.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)[
        "TaskHandle"
    ]
    wait_until(lambda: counters(sqs, source)[0] >= 1)
    sqs = node.restart(signal.SIGKILL)
    # Nothing lost or doubled by the kill: every message is in exactly one of the two queues.
    assert counters(sqs, source)[0] + counters(sqs, dlq)[0] == total
    [task] = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    assert task["ApproximateNumberOfMessagesToMove"] == total
    if task["Status"] == "RUNNING":
        assert task["TaskHandle"] == handle

    def completed() -> dict[str, Any] | None:
        [latest] = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
        return latest if latest["Status"] == "COMPLETED" else None

    done = wait_until(completed, timeout=15)
    assert done["ApproximateNumberOfMessagesMoved"] == total
    assert counters(sqs, dlq) == (0, 0, 0)
    assert sorted(bodies(drain(sqs, source))) == [f"m{i}" for i in range(total)]
