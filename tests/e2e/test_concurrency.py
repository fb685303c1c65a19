"""Many consumers on one standard queue.

AWS (Developer Guide, "Amazon SQS visibility timeout"): a received message stays in the queue but
is hidden from other consumers for the visibility timeout, so while it is in flight no other
ReceiveMessage returns it. Kyu stores every message once, so the "at least once" of distributed
standard queues becomes exactly once here: with a long visibility timeout, each message is handed
to exactly one consumer.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from tests.e2e.conftest import make_client

MESSAGES = 500
CONSUMERS = 8


def fill(sqs: Any, queue_url: str) -> dict[str, str]:
    sent: dict[str, str] = {}
    for chunk in range(MESSAGES // 10):
        entries = [
            {"Id": f"e{i}", "MessageBody": f"message {chunk * 10 + i}"} for i in range(10)
        ]
        reply = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
        assert reply.get("Failed", []) == []
        bodies = {entry["Id"]: entry["MessageBody"] for entry in entries}
        for entry in reply["Successful"]:
            sent[entry["MessageId"]] = bodies[entry["Id"]]
    assert len(sent) == MESSAGES
    return sent


def counters(sqs: Any, queue_url: str) -> dict[str, int]:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return {name: int(attributes[name]) for name in names}


def run_consumers(
    endpoint: str, protocol: str, queue_url: str, delete: bool
) -> tuple[list[dict[str, Any]], list[BaseException]]:
    received: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(CONSUMERS)

    def consume() -> None:
        try:
            client = make_client("sqs", endpoint, protocol)
            start.wait()
            while True:
                messages = client.receive_message(
                    QueueUrl=queue_url,
                    MaxNumberOfMessages=10,
                    WaitTimeSeconds=1,
                    VisibilityTimeout=120,
                    AttributeNames=["ApproximateReceiveCount"],
                ).get("Messages", [])
                if not messages:
                    return
                with lock:
                    received.extend(messages)
                if delete:
                    reply = client.delete_message_batch(
                        QueueUrl=queue_url,
                        Entries=[
                            {"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]}
                            for i, m in enumerate(messages)
                        ],
                    )
                    if reply.get("Failed"):
                        raise AssertionError(f"delete failed: {reply['Failed']}")
        except BaseException as error:  # reported by the test
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=consume, daemon=True) for _ in range(CONSUMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert all(not thread.is_alive() for thread in threads), "a consumer did not finish"
    return received, errors


def test_consumers_that_delete_receive_every_message_once(
    sqs: Any, server: Any, protocol: str, queue_url: str
) -> None:
    sent = fill(sqs, queue_url)
    received, errors = run_consumers(server.endpoint, protocol, queue_url, delete=True)
    assert errors == []
    counts = Counter(m["MessageId"] for m in received)
    duplicates = {message_id: n for message_id, n in counts.items() if n > 1}
    assert duplicates == {}
    assert set(counts) == set(sent)
    for message in received:
        assert message["Body"] == sent[message["MessageId"]]
        assert message["Attributes"]["ApproximateReceiveCount"] == "1"
    assert counters(sqs, queue_url) == {
        "ApproximateNumberOfMessages": 0,
        "ApproximateNumberOfMessagesNotVisible": 0,
    }


def test_in_flight_messages_are_never_handed_out_twice(
    sqs: Any, server: Any, protocol: str, queue_url: str
) -> None:
    sent = fill(sqs, queue_url)
    received, errors = run_consumers(server.endpoint, protocol, queue_url, delete=False)
    assert errors == []
    counts = Counter(m["MessageId"] for m in received)
    assert max(counts.values()) == 1
    assert set(counts) == set(sent)
    handles = [m["ReceiptHandle"] for m in received]
    assert len(set(handles)) == MESSAGES
    assert counters(sqs, queue_url) == {
        "ApproximateNumberOfMessages": 0,
        "ApproximateNumberOfMessagesNotVisible": MESSAGES,
    }
