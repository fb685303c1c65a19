"""The FIFO deduplication window, end to end over both protocols, with the clock moved forward.

AWS facts checked (Developer Guide: "FIFO queue key terms", "Exactly-once processing",
"High throughput for FIFO queues"; API Reference: SendMessage MessageDeduplicationId):
- a message sent with a deduplication id already used within the 5-minute interval is accepted
  (the original MessageId is returned) but not delivered again;
- SQS keeps tracking the deduplication id after the message was received and deleted;
- with ContentBasedDeduplication the id is the SHA-256 of the body; an explicit
  MessageDeduplicationId overrides it;
- DeduplicationScope=messageGroup deduplicates within a message group, =queue across the queue.
Inferred: the interval counts from the successful send (a duplicate does not extend it).
"""

from __future__ import annotations

from typing import Any

from tests.e2e.fifo_helpers import bodies, counters, create_fifo, drain, receive
from tests.support.server import RunningServer

WINDOW_SECONDS = 300


def send(sqs: Any, url: str, body: str, group: str = "g", **kwargs: Any) -> str:
    reply = sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, **kwargs)
    return str(reply["MessageId"])


def test_a_duplicate_is_accepted_with_the_original_id_and_not_delivered(sqs: Any) -> None:
    url = create_fifo(sqs)
    original = send(sqs, url, "first", MessageDeduplicationId="order-1")
    duplicate = send(sqs, url, "second body", MessageDeduplicationId="order-1")
    assert duplicate == original
    assert counters(sqs, url) == (1, 0, 0)
    received = drain(sqs, url)
    assert [(m["MessageId"], m["Body"]) for m in received] == [(original, "first")]


def test_the_window_holds_after_the_message_was_received_and_deleted(
    sqs: Any, server: RunningServer
) -> None:
    url = create_fifo(sqs)
    original = send(sqs, url, "x", MessageDeduplicationId="d")
    assert [m["MessageId"] for m in drain(sqs, url)] == [original]
    server.advance_clock(120)
    assert send(sqs, url, "x", MessageDeduplicationId="d") == original
    assert drain(sqs, url) == []


def test_after_five_minutes_the_same_id_is_a_new_message(sqs: Any, server: RunningServer) -> None:
    url = create_fifo(sqs)
    original = send(sqs, url, "x", MessageDeduplicationId="d")
    drain(sqs, url)
    server.advance_clock(WINDOW_SECONDS - 2)
    assert send(sqs, url, "x", MessageDeduplicationId="d") == original  # still inside
    server.advance_clock(3)  # the window counts from the first send, not from the duplicate
    fresh = send(sqs, url, "x", MessageDeduplicationId="d")
    assert fresh != original
    assert [m["MessageId"] for m in drain(sqs, url)] == [fresh]
    # The new message opens a window of its own.
    assert send(sqs, url, "x", MessageDeduplicationId="d") == fresh


def test_content_based_deduplication_uses_the_body(sqs: Any, server: RunningServer) -> None:
    url = create_fifo(sqs, ContentBasedDeduplication="true")
    first = send(sqs, url, "same")
    assert send(sqs, url, "same") == first
    other = send(sqs, url, "different")
    assert other != first
    # An explicit id overrides the body's hash.
    explicit = send(sqs, url, "same", MessageDeduplicationId="explicit")
    assert explicit not in (first, other)
    assert bodies(drain(sqs, url)) == ["same", "different", "same"]
    server.advance_clock(WINDOW_SECONDS + 1)
    assert send(sqs, url, "same") != first


def test_queue_scope_deduplicates_across_groups(sqs: Any) -> None:
    url = create_fifo(sqs, DeduplicationScope="queue")
    first = send(sqs, url, "a", group="A", MessageDeduplicationId="d")
    assert send(sqs, url, "b", group="B", MessageDeduplicationId="d") == first
    assert bodies(drain(sqs, url)) == ["a"]


def test_message_group_scope_deduplicates_within_a_group_only(sqs: Any) -> None:
    url = create_fifo(
        sqs, DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId"
    )
    in_a = send(sqs, url, "a", group="A", MessageDeduplicationId="d")
    in_b = send(sqs, url, "b", group="B", MessageDeduplicationId="d")
    assert in_a != in_b
    assert send(sqs, url, "a again", group="A", MessageDeduplicationId="d") == in_a
    received = drain(sqs, url)
    assert sorted(bodies(received)) == ["a", "b"]


def test_duplicates_inside_one_batch_and_across_batches(sqs: Any) -> None:
    url = create_fifo(sqs)

    def batch(*ids: str) -> list[str]:
        entries = [
            {"Id": f"e{i}", "MessageBody": f"body-{d}", "MessageGroupId": "g",
             "MessageDeduplicationId": d}
            for i, d in enumerate(ids)
        ]
        reply = sqs.send_message_batch(QueueUrl=url, Entries=entries)
        assert reply.get("Failed", []) == []
        by_id = {s["Id"]: s["MessageId"] for s in reply["Successful"]}
        return [by_id[f"e{i}"] for i in range(len(ids))]

    first = batch("1", "2", "1")
    assert first[0] == first[2] and first[0] != first[1]
    second = batch("2", "3")
    assert second[0] == first[1]
    assert bodies(drain(sqs, url)) == ["body-1", "body-2", "body-3"]


def test_a_duplicate_does_not_disturb_group_order(sqs: Any) -> None:
    url = create_fifo(sqs)
    send(sqs, url, "m1", MessageDeduplicationId="1")
    send(sqs, url, "m2", MessageDeduplicationId="2")
    send(sqs, url, "m1 again", MessageDeduplicationId="1")
    send(sqs, url, "m3", MessageDeduplicationId="3")
    assert bodies(receive(sqs, url, VisibilityTimeout=30)) == ["m1", "m2", "m3"]
