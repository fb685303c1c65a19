"""Long polling: a waiting ReceiveMessage returns as soon as a message can be received.

References (AWS SQS Developer Guide "Amazon SQS short and long polling"; API Reference
ReceiveMessage): "If a message is available, the call returns sooner than WaitTimeSeconds. If no
messages are available and the wait time expires, the call returns successfully with an empty list
of messages." WaitTimeSeconds is 0-20 ("Value N for parameter WaitTimeSeconds is invalid. Reason:
Must be >= 0 and <= 20, if provided."); without it, the queue's ReceiveMessageWaitTimeSeconds
applies.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.e2e.conftest import make_client


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return (
        str(response["Error"]["Code"]),
        str(response["Error"].get("Message", "")),
        int(response["ResponseMetadata"]["HTTPStatusCode"]),
    )


def timed_receive(sqs: Any, **kwargs: Any) -> tuple[list[dict[str, Any]], float, float]:
    """Receive; return (messages, start, end) in time.monotonic() seconds."""
    start = time.monotonic()
    reply = sqs.receive_message(**kwargs)
    end = time.monotonic()
    return list(reply.get("Messages", [])), start, end


def send_after(
    sqs: Any, queue_url: str, delay: float, sent_at: list[float], **kwargs: Any
) -> threading.Thread:
    def run() -> None:
        time.sleep(delay)
        sent_at.append(time.monotonic())
        sqs.send_message(QueueUrl=queue_url, **kwargs)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime field 14 and stime field 15 (1-based).
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


# --- waking up -----------------------------------------------------------------------------------


def test_returns_as_soon_as_a_message_is_sent(sqs: Any, queue_url: str) -> None:
    sent_at: list[float] = []
    sender = send_after(sqs, queue_url, 0.5, sent_at, MessageBody="wake up")
    messages, start, end = timed_receive(sqs, QueueUrl=queue_url, WaitTimeSeconds=5)
    sender.join()
    assert [m["Body"] for m in messages] == ["wake up"]
    assert sent_at and sent_at[0] >= start
    assert end - sent_at[0] < 0.5, f"returned {end - sent_at[0]:.3f} s after the send"
    assert end - start < 1.5


def test_wakes_on_a_message_sent_in_a_batch(sqs: Any, queue_url: str) -> None:
    sent_at: list[float] = []

    def run() -> None:
        time.sleep(0.4)
        sent_at.append(time.monotonic())
        sqs.send_message_batch(
            QueueUrl=queue_url,
            Entries=[{"Id": f"e{i}", "MessageBody": f"batch {i}"} for i in range(3)],
        )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    messages, _, end = timed_receive(
        sqs, QueueUrl=queue_url, WaitTimeSeconds=5, MaxNumberOfMessages=10
    )
    thread.join()
    assert 1 <= len(messages) <= 3
    assert {m["Body"] for m in messages} <= {"batch 0", "batch 1", "batch 2"}
    assert end - sent_at[0] < 0.5


def test_wakes_when_a_delay_elapses(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="delayed", DelaySeconds=1)
    messages, start, end = timed_receive(sqs, QueueUrl=queue_url, WaitTimeSeconds=5)
    assert [m["Body"] for m in messages] == ["delayed"]
    assert 0.7 <= end - start < 2.0, f"returned after {end - start:.3f} s"


def test_wakes_when_visibility_expires(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="retry")
    first = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=1)["Messages"][0]
    messages, start, end = timed_receive(sqs, QueueUrl=queue_url, WaitTimeSeconds=5)
    assert [m["MessageId"] for m in messages] == [first["MessageId"]]
    assert 0.6 <= end - start < 2.0, f"returned after {end - start:.3f} s"


def test_wakes_when_visibility_is_changed_to_zero(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="released")
    first = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=600)["Messages"][0]
    released_at: list[float] = []

    def release() -> None:
        time.sleep(0.4)
        released_at.append(time.monotonic())
        sqs.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=0
        )

    thread = threading.Thread(target=release, daemon=True)
    thread.start()
    messages, _, end = timed_receive(sqs, QueueUrl=queue_url, WaitTimeSeconds=5)
    thread.join()
    assert [m["MessageId"] for m in messages] == [first["MessageId"]]
    assert end - released_at[0] < 0.5


@pytest.mark.parametrize("batch", [False, True])
def test_fifo_wakes_when_the_message_holding_its_group_is_deleted(
    sqs: Any, queue_name: str, batch: bool
) -> None:
    url = sqs.create_queue(QueueName=f"{queue_name}.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    for body in ("first", "second"):
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="g")
    held = sqs.receive_message(QueueUrl=url, VisibilityTimeout=600)["Messages"][0]
    deleted_at: list[float] = []

    def delete() -> None:
        time.sleep(0.5)
        deleted_at.append(time.monotonic())
        if batch:
            sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": "1", "ReceiptHandle": held["ReceiptHandle"]}])
        else:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=held["ReceiptHandle"])

    thread = threading.Thread(target=delete, daemon=True)
    thread.start()
    messages, _, end = timed_receive(sqs, QueueUrl=url, WaitTimeSeconds=5)
    thread.join()
    assert [m["Body"] for m in messages] == ["second"]
    assert end - deleted_at[0] < 0.5, f"returned {end - deleted_at[0]:.3f} s after the delete"


def test_wakes_when_the_clock_is_advanced(sqs: Any, queue_url: str, server: Any) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="far future", DelaySeconds=600)
    advanced_at: list[float] = []

    def advance() -> None:
        time.sleep(0.4)
        advanced_at.append(time.monotonic())
        server.advance_clock(601)

    thread = threading.Thread(target=advance, daemon=True)
    thread.start()
    messages, _, end = timed_receive(sqs, QueueUrl=queue_url, WaitTimeSeconds=5)
    thread.join()
    assert [m["Body"] for m in messages] == ["far future"]
    assert end - advanced_at[0] < 0.5


def test_available_message_returns_immediately(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="ready")
    messages, start, end = timed_receive(sqs, QueueUrl=queue_url, WaitTimeSeconds=5)
    assert [m["Body"] for m in messages] == ["ready"]
    assert end - start < 0.5


# --- waiting the full time -----------------------------------------------------------------------


def test_empty_queue_returns_empty_after_the_wait(sqs: Any, queue_url: str) -> None:
    messages, start, end = timed_receive(sqs, QueueUrl=queue_url, WaitTimeSeconds=1)
    assert messages == []
    assert 0.9 <= end - start < 2.0, f"returned after {end - start:.3f} s"


def test_short_poll_returns_at_once(sqs: Any, queue_url: str) -> None:
    messages, start, end = timed_receive(sqs, QueueUrl=queue_url, WaitTimeSeconds=0)
    assert messages == []
    assert end - start < 0.5


def test_queue_receive_wait_time_applies_without_request_value(
    sqs: Any, queue_name: str
) -> None:
    url = sqs.create_queue(
        QueueName=queue_name, Attributes={"ReceiveMessageWaitTimeSeconds": "1"}
    )["QueueUrl"]
    messages, start, end = timed_receive(sqs, QueueUrl=url)
    assert messages == []
    assert 0.9 <= end - start < 2.0, f"returned after {end - start:.3f} s"

    # An explicit WaitTimeSeconds=0 overrides the queue's wait.
    messages, start, end = timed_receive(sqs, QueueUrl=url, WaitTimeSeconds=0)
    assert messages == []
    assert end - start < 0.5


def test_queue_receive_wait_time_wakes_on_send(sqs: Any, queue_name: str) -> None:
    url = sqs.create_queue(
        QueueName=queue_name, Attributes={"ReceiveMessageWaitTimeSeconds": "5"}
    )["QueueUrl"]
    sent_at: list[float] = []
    sender = send_after(sqs, url, 0.4, sent_at, MessageBody="queue-level wait")
    messages, _, end = timed_receive(sqs, QueueUrl=url)
    sender.join()
    assert [m["Body"] for m in messages] == ["queue-level wait"]
    assert end - sent_at[0] < 0.5


@pytest.mark.parametrize("wait", [21, -1])
def test_wait_time_out_of_range(sqs: Any, queue_url: str, wait: int) -> None:
    code, message, status = error_of(sqs.receive_message, QueueUrl=queue_url, WaitTimeSeconds=wait)
    assert code == "InvalidParameterValue"
    assert status == 400
    assert message == (
        f"Value {wait} for parameter WaitTimeSeconds is invalid. "
        "Reason: Must be >= 0 and <= 20, if provided."
    )


# --- many pollers --------------------------------------------------------------------------------


def test_fifty_pollers_share_fifty_messages(server: Any, protocol: str, queue_name: str) -> None:
    client = make_client("sqs", server.endpoint, protocol, max_pool_connections=64)
    url = client.create_queue(QueueName=queue_name)["QueueUrl"]
    results: list[list[dict[str, Any]]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    started = threading.Barrier(51)

    def poll() -> None:
        try:
            started.wait()
            reply = client.receive_message(QueueUrl=url, WaitTimeSeconds=5, MaxNumberOfMessages=1)
            with lock:
                results.append(list(reply.get("Messages", [])))
        except BaseException as error:  # reported below
            with lock:
                errors.append(error)

    pollers = [threading.Thread(target=poll, daemon=True) for _ in range(50)]
    for thread in pollers:
        thread.start()
    started.wait()
    time.sleep(0.5)  # let the pollers reach the server
    begin = time.monotonic()
    sent_ids = set()
    for chunk in range(5):
        reply = client.send_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": f"m{i}", "MessageBody": f"message {chunk * 10 + i}"} for i in range(10)
            ],
        )
        assert reply.get("Failed", []) == []
        sent_ids |= {entry["MessageId"] for entry in reply["Successful"]}
    for thread in pollers:
        thread.join(timeout=10)
    elapsed = time.monotonic() - begin

    assert errors == []
    assert all(not thread.is_alive() for thread in pollers)
    assert len(results) == 50
    received = Counter(m["MessageId"] for messages in results for m in messages)
    assert set(received) == sent_ids
    assert max(received.values()) == 1
    assert all(len(messages) == 1 for messages in results)
    assert elapsed < 3.0, f"pollers took {elapsed:.2f} s to return"


def test_idle_pollers_cost_little_cpu(server: Any, protocol: str, queue_name: str) -> None:
    client = make_client("sqs", server.endpoint, protocol, max_pool_connections=32)
    url = client.create_queue(QueueName=queue_name)["QueueUrl"]
    client.receive_message(QueueUrl=url)  # warm up the connection and the code paths
    durations: list[float] = []
    received: list[dict[str, Any]] = []
    lock = threading.Lock()

    def poll() -> None:
        start = time.monotonic()
        reply = client.receive_message(QueueUrl=url, WaitTimeSeconds=2)
        with lock:
            received.extend(reply.get("Messages", []))
            durations.append(time.monotonic() - start)

    pid = server.process.pid
    before = process_cpu_seconds(pid)
    pollers = [threading.Thread(target=poll, daemon=True) for _ in range(20)]
    for thread in pollers:
        thread.start()
    for thread in pollers:
        thread.join(timeout=10)
    used = process_cpu_seconds(pid) - before

    assert len(durations) == 20
    assert received == []
    assert all(1.8 <= duration < 4.0 for duration in durations), durations
    assert used < 0.3, f"the server used {used:.2f} s of CPU for 20 idle 2 s polls"
