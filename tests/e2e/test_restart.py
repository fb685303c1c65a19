"""A file-backed server keeps everything it acknowledged across a restart.

Kyu keeps its state in one SQLite file (design notes: "a restart loses nothing"). AWS semantics that
must survive: queues with their attributes and tags, stored messages with their message attributes
and digests, in-flight messages staying invisible until their visibility timeout ends (counted from
the original receive), deletes staying deleted.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import make_client
from tests.e2e.test_send_receive import md5_of_attributes, md5_of_body
from tests.support.server import RunningServer

QUEUE_ATTRIBUTES = {
    "VisibilityTimeout": "45",
    "MaximumMessageSize": "4096",
    "MessageRetentionPeriod": "7200",
    "DelaySeconds": "0",
    "ReceiveMessageWaitTimeSeconds": "0",
}
TAGS = {"team": "core", "env": "test"}
MESSAGE_ATTRIBUTES = {
    "kind": {"DataType": "String.kind", "StringValue": "order 😀"},
    "count": {"DataType": "Number", "StringValue": "12"},
    "blob": {"DataType": "Binary", "BinaryValue": bytes(range(32))},
}


class Servers:
    """Starts servers on one data file and stops whatever is still running at the end."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.started: list[RunningServer] = []

    def start(self) -> RunningServer:
        server = RunningServer(data=self.data)
        self.started.append(server)
        return server

    def stop_all(self) -> None:
        for server in self.started:
            server.stop(signal.SIGKILL)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    running = Servers(tmp_path / "kyu.db")
    try:
        yield running
    finally:
        running.stop_all()


def counters(sqs: Any, queue_url: str) -> dict[str, int]:
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return {name: int(attributes[name]) for name in names}


def drain(sqs: Any, queue_url: str, **kwargs: Any) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=600, **kwargs
        ).get("Messages", [])
        if not batch:
            return messages
        messages.extend(batch)


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_graceful_restart_keeps_queues_messages_and_visibility(
    servers: Servers, protocol: str
) -> None:
    first = servers.start()
    sqs = make_client("sqs", first.endpoint, protocol)
    main_url = sqs.create_queue(QueueName="orders", Attributes=QUEUE_ATTRIBUTES, tags=TAGS)[
        "QueueUrl"
    ]
    other_url = sqs.create_queue(QueueName="audit-log", tags={"owner": "ops"})["QueueUrl"]
    before_attributes = sqs.get_queue_attributes(QueueUrl=main_url, AttributeNames=["All"])[
        "Attributes"
    ]

    # A deleted message.
    sqs.send_message(QueueUrl=main_url, MessageBody="deleted")
    deleted = sqs.receive_message(QueueUrl=main_url)["Messages"][0]
    assert deleted["Body"] == "deleted"
    sqs.delete_message(QueueUrl=main_url, ReceiptHandle=deleted["ReceiptHandle"])

    # An in-flight message, hidden for 30 s from now.
    sqs.send_message(QueueUrl=main_url, MessageBody="in flight")
    in_flight = sqs.receive_message(QueueUrl=main_url, VisibilityTimeout=30)["Messages"][0]
    assert in_flight["Body"] == "in flight"

    # Stored messages, one with attributes, one delayed.
    kept = sqs.send_message(
        QueueUrl=main_url, MessageBody="kept with attributes", MessageAttributes=MESSAGE_ATTRIBUTES
    )
    sqs.send_message(QueueUrl=main_url, MessageBody="kept plain")
    sqs.send_message(QueueUrl=main_url, MessageBody="kept delayed", DelaySeconds=120)
    sqs.send_message(QueueUrl=other_url, MessageBody="audit entry")
    assert counters(sqs, main_url) == {
        "ApproximateNumberOfMessages": 2,
        "ApproximateNumberOfMessagesNotVisible": 1,
        "ApproximateNumberOfMessagesDelayed": 1,
    }

    first.stop(signal.SIGTERM)
    assert first.process.poll() is not None

    second = servers.start()
    sqs = make_client("sqs", second.endpoint, protocol)
    main_url = sqs.get_queue_url(QueueName="orders")["QueueUrl"]
    other_url = sqs.get_queue_url(QueueName="audit-log")["QueueUrl"]
    assert main_url == f"{second.endpoint}/000000000000/orders"
    listed = sqs.list_queues().get("QueueUrls", [])
    assert sorted(listed) == sorted([main_url, other_url])

    after_attributes = sqs.get_queue_attributes(QueueUrl=main_url, AttributeNames=["All"])[
        "Attributes"
    ]
    for name, value in QUEUE_ATTRIBUTES.items():
        assert after_attributes[name] == value, name
    for name in ("QueueArn", "CreatedTimestamp", "LastModifiedTimestamp"):
        assert after_attributes[name] == before_attributes[name], name
    assert sqs.list_queue_tags(QueueUrl=main_url).get("Tags", {}) == TAGS
    assert sqs.list_queue_tags(QueueUrl=other_url).get("Tags", {}) == {"owner": "ops"}

    assert counters(sqs, main_url) == {
        "ApproximateNumberOfMessages": 2,
        "ApproximateNumberOfMessagesNotVisible": 1,
        "ApproximateNumberOfMessagesDelayed": 1,
    }
    stored = drain(sqs, main_url, MessageAttributeNames=["All"], AttributeNames=["All"])
    by_body = {m["Body"]: m for m in stored}
    assert set(by_body) == {"kept with attributes", "kept plain"}
    with_attributes = by_body["kept with attributes"]
    assert with_attributes["MessageId"] == kept["MessageId"]
    assert with_attributes["MD5OfBody"] == md5_of_body("kept with attributes")
    assert with_attributes["MD5OfMessageAttributes"] == md5_of_attributes(MESSAGE_ATTRIBUTES)
    assert with_attributes["MessageAttributes"]["blob"]["BinaryValue"] == bytes(range(32))
    assert with_attributes["MessageAttributes"]["kind"]["StringValue"] == "order 😀"
    assert with_attributes["Attributes"]["ApproximateReceiveCount"] == "1"
    assert [m["Body"] for m in drain(sqs, other_url)] == ["audit entry"]

    # The in-flight message is still hidden until 30 s after its receive, then comes back.
    assert drain(sqs, main_url) == []
    second.advance_clock(31)
    returned = drain(sqs, main_url, AttributeNames=["ApproximateReceiveCount"])
    assert [m["MessageId"] for m in returned] == [in_flight["MessageId"]]
    assert returned[0]["Attributes"]["ApproximateReceiveCount"] == "2"

    # The delayed message keeps its delay; the deleted one never returns.
    second.advance_clock(120)
    assert [m["Body"] for m in drain(sqs, main_url)] == ["kept delayed"]
    second.advance_clock(700)
    bodies = sorted(m["Body"] for m in drain(sqs, main_url))
    assert "deleted" not in bodies
    assert bodies == ["in flight", "kept delayed", "kept plain", "kept with attributes"]
    second.stop(signal.SIGTERM)


def test_in_flight_message_reappears_in_real_time_after_restart(servers: Servers) -> None:
    first = servers.start()
    sqs = make_client("sqs", first.endpoint)
    url = sqs.create_queue(QueueName="short-visibility")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="comes back")
    message = sqs.receive_message(QueueUrl=url, VisibilityTimeout=2)["Messages"][0]
    first.stop(signal.SIGTERM)

    second = servers.start()
    sqs = make_client("sqs", second.endpoint)
    url = sqs.get_queue_url(QueueName="short-visibility")["QueueUrl"]
    # Whatever part of the 2 s the restart took, a 3 s long poll sees the message come back.
    again = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=3).get("Messages", [])
    assert [m["MessageId"] for m in again] == [message["MessageId"]]
    second.stop(signal.SIGTERM)


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_nothing_acknowledged_is_lost_after_sigkill(servers: Servers, protocol: str) -> None:
    first = servers.start()
    sqs = make_client("sqs", first.endpoint, protocol)
    url = sqs.create_queue(QueueName="durable", Attributes={"VisibilityTimeout": "600"})[
        "QueueUrl"
    ]
    sent: dict[str, str] = {}
    for i in range(5):
        sent[sqs.send_message(QueueUrl=url, MessageBody=f"single {i}")["MessageId"]] = f"single {i}"
    for chunk in range(2):
        reply = sqs.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": f"e{i}", "MessageBody": f"batch {chunk}-{i}"} for i in range(10)],
        )
        assert reply.get("Failed", []) == []
        bodies = {f"e{i}": f"batch {chunk}-{i}" for i in range(10)}
        for entry in reply["Successful"]:
            sent[entry["MessageId"]] = bodies[entry["Id"]]
    assert len(sent) == 25

    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert len(received) >= 6
    deleted_ids = set()
    for message in received[:3]:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        deleted_ids.add(message["MessageId"])
    reply = sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]}
            for i, m in enumerate(received[3:5])
        ],
    )
    assert len(reply["Successful"]) == 2
    deleted_ids |= {m["MessageId"] for m in received[3:5]}
    # The rest of what was received is released again.
    for message in received[5:]:
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    sqs.create_queue(QueueName="created-last")

    first.stop(signal.SIGKILL)
    assert first.process.returncode == -signal.SIGKILL

    second = servers.start()
    sqs = make_client("sqs", second.endpoint, protocol)
    url = sqs.get_queue_url(QueueName="durable")["QueueUrl"]
    sqs.get_queue_url(QueueName="created-last")
    remaining = drain(sqs, url)
    remaining_ids = [m["MessageId"] for m in remaining]
    assert len(remaining_ids) == len(set(remaining_ids))
    assert set(remaining_ids) == set(sent) - deleted_ids
    for message in remaining:
        assert message["Body"] == sent[message["MessageId"]]
        assert message["MD5OfBody"] == md5_of_body(message["Body"])
    second.stop(signal.SIGTERM)
