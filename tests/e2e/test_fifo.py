"""FIFO queues end to end, over both SQS protocols.

AWS facts checked (SQS API Reference: SendMessage, SendMessageBatchRequestEntry, ReceiveMessage,
CreateQueue; Developer Guide: "FIFO queue key terms", "Using the message group ID", "High
throughput for FIFO queues", "Amazon SQS fair queues"):
- messages of one MessageGroupId are delivered in the order sent, one ReceiveMessage may return
  several of them, and while any is in flight no later message of that group is delivered;
- MessageGroupId is required on FIFO sends; MessageDeduplicationId, or ContentBasedDeduplication
  on the queue, is required; DelaySeconds cannot be set per message on a FIFO queue;
- SequenceNumber is returned by SendMessage(Batch) and as a system attribute, and grows;
- a ReceiveMessage retried with the same ReceiveRequestAttemptId returns the same messages and
  receipt handles while none of them was deleted or had its visibility changed;
- perMessageGroupId throughput needs DeduplicationScope=messageGroup;
- standard queues accept MessageGroupId (fair queues): messages of one group are not serialised.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.fifo_helpers import (
    bodies,
    counters,
    create_fifo,
    drain,
    error_of,
    receive,
    unique,
)
from tests.support.server import RunningServer

MISSING_DEDUPLICATION = (
    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
    "provided explicitly"
)


def send(sqs: Any, url: str, body: str, group: str = "g", **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("MessageDeduplicationId", body)
    return dict(sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, **kwargs))


@pytest.fixture
def fifo_url(sqs: Any) -> str:
    return create_fifo(sqs)


# --- order within a group --------------------------------------------------------------------


def test_one_receive_returns_a_group_in_the_order_sent(sqs: Any, fifo_url: str) -> None:
    for index in range(6):
        send(sqs, fifo_url, f"m{index}")
    first = receive(sqs, fifo_url, count=4, VisibilityTimeout=30)
    assert bodies(first) == ["m0", "m1", "m2", "m3"]
    assert {m["Attributes"]["MessageGroupId"] for m in first} == {"g"}
    for message in first:
        sqs.delete_message(QueueUrl=fifo_url, ReceiptHandle=message["ReceiptHandle"])
    assert bodies(receive(sqs, fifo_url, VisibilityTimeout=30)) == ["m4", "m5"]


def test_sequence_numbers_grow_and_are_returned_on_send_and_receive(
    sqs: Any, fifo_url: str
) -> None:
    sent = [send(sqs, fifo_url, f"m{index}", group=f"g{index % 2}") for index in range(4)]
    numbers = [int(s["SequenceNumber"]) for s in sent]
    assert numbers == sorted(numbers) and len(set(numbers)) == 4
    assert all(len(s["SequenceNumber"]) >= 20 for s in sent)  # AWS's are 20-digit strings
    received = drain(sqs, fifo_url)
    by_id = {m["MessageId"]: m["Attributes"] for m in received}
    for s in sent:
        assert by_id[s["MessageId"]]["SequenceNumber"] == s["SequenceNumber"]
        assert by_id[s["MessageId"]]["MessageDeduplicationId"] in {"m0", "m1", "m2", "m3"}


def test_a_group_in_flight_is_held_back_while_other_groups_flow(sqs: Any, fifo_url: str) -> None:
    for body, group in [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B")]:
        send(sqs, fifo_url, body, group=group)
    first = receive(sqs, fifo_url, count=1, VisibilityTimeout=30)
    assert bodies(first) == ["a1"]
    # A is blocked by a1 in flight: nobody gets a2, while B flows in order.
    second = receive(sqs, fifo_url, VisibilityTimeout=30)
    assert bodies(second) == ["b1", "b2"]
    assert receive(sqs, fifo_url, VisibilityTimeout=30) == []
    assert counters(sqs, fifo_url) == (1, 3, 0)
    sqs.delete_message(QueueUrl=fifo_url, ReceiptHandle=first[0]["ReceiptHandle"])
    assert bodies(receive(sqs, fifo_url, VisibilityTimeout=30)) == ["a2"]


def test_a_message_whose_visibility_expires_comes_back_before_later_ones(
    sqs: Any, fifo_url: str, server: RunningServer
) -> None:
    for body in ["m1", "m2", "m3"]:
        send(sqs, fifo_url, body)
    first = receive(sqs, fifo_url, count=1, VisibilityTimeout=5)
    assert bodies(first) == ["m1"]
    assert receive(sqs, fifo_url, VisibilityTimeout=5) == []
    server.advance_clock(6)
    again = receive(sqs, fifo_url, VisibilityTimeout=30)
    assert bodies(again) == ["m1", "m2", "m3"]
    assert again[0]["Attributes"]["ApproximateReceiveCount"] == "2"
    assert again[0]["ReceiptHandle"] != first[0]["ReceiptHandle"]


def test_visibility_zero_releases_the_group(sqs: Any, fifo_url: str) -> None:
    send(sqs, fifo_url, "m1")
    send(sqs, fifo_url, "m2")
    [first] = receive(sqs, fifo_url, count=1, VisibilityTimeout=60)
    sqs.change_message_visibility(
        QueueUrl=fifo_url, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=0
    )
    assert bodies(receive(sqs, fifo_url, VisibilityTimeout=60)) == ["m1", "m2"]


def test_a_long_poll_wakes_when_the_group_is_released(sqs: Any, fifo_url: str) -> None:
    send(sqs, fifo_url, "m1")
    send(sqs, fifo_url, "m2")
    [first] = receive(sqs, fifo_url, count=1, VisibilityTimeout=60)
    sqs.delete_message(QueueUrl=fifo_url, ReceiptHandle=first["ReceiptHandle"])
    assert bodies(receive(sqs, fifo_url, WaitTimeSeconds=1, VisibilityTimeout=60)) == ["m2"]


# --- what a FIFO send needs --------------------------------------------------------------------


def test_a_fifo_send_needs_a_message_group_id(sqs: Any, fifo_url: str) -> None:
    code, message, status = error_of(
        sqs.send_message, QueueUrl=fifo_url, MessageBody="x", MessageDeduplicationId="d"
    )
    assert (code, message, status) == (
        "MissingParameter", "The request must contain the parameter MessageGroupId.", 400
    )


def test_a_fifo_send_needs_a_deduplication_id_or_content_based_deduplication(
    sqs: Any, fifo_url: str
) -> None:
    code, message, status = error_of(
        sqs.send_message, QueueUrl=fifo_url, MessageBody="x", MessageGroupId="g"
    )
    assert (code, message, status) == ("InvalidParameterValue", MISSING_DEDUPLICATION, 400)
    content_based = create_fifo(sqs, ContentBasedDeduplication="true")
    sent = sqs.send_message(QueueUrl=content_based, MessageBody="x", MessageGroupId="g")
    [received] = receive(sqs, content_based)
    assert received["MessageId"] == sent["MessageId"]
    # The deduplication id AWS derives is the SHA-256 of the body, in hex.
    assert received["Attributes"]["MessageDeduplicationId"] == (
        "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    )


def test_per_message_delay_is_rejected_on_fifo_but_the_queue_delay_applies(
    sqs: Any, server: RunningServer
) -> None:
    url = create_fifo(sqs, DelaySeconds="5")
    code, message, _ = error_of(
        sqs.send_message, QueueUrl=url, MessageBody="x", MessageGroupId="g",
        MessageDeduplicationId="d", DelaySeconds=3,
    )
    assert code == "InvalidParameterValue"
    assert message == (
        "Value 3 for parameter DelaySeconds is invalid. Reason: The request include parameter "
        "that is not valid for this queue type."
    )
    send(sqs, url, "late", DelaySeconds=0)
    assert receive(sqs, url) == []
    assert counters(sqs, url) == (0, 0, 1)
    server.advance_clock(6)
    assert bodies(receive(sqs, url)) == ["late"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("MessageGroupId", "has space"), ("MessageGroupId", "x" * 129),
     ("MessageDeduplicationId", "tab\there"), ("MessageDeduplicationId", "é")],
)
def test_malformed_fifo_ids_are_rejected(
    sqs: Any, fifo_url: str, parameter: str, value: str
) -> None:
    ids = {"MessageGroupId": "g", "MessageDeduplicationId": "d", parameter: value}
    code, message, _ = error_of(sqs.send_message, QueueUrl=fifo_url, MessageBody="x", **ids)
    assert code == "InvalidParameterValue"
    assert message.startswith(f"Value {value} for parameter {parameter} is invalid.")


def test_ids_of_128_punctuation_characters_are_accepted(sqs: Any, fifo_url: str) -> None:
    group = ("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" * 5)[:128]
    send(sqs, fifo_url, "x", group=group, MessageDeduplicationId="D" * 128)
    [received] = receive(sqs, fifo_url)
    assert received["Attributes"]["MessageGroupId"] == group


# --- standard queues ---------------------------------------------------------------------------


def test_a_standard_queue_rejects_a_deduplication_id(sqs: Any, queue_url: str) -> None:
    code, message, _ = error_of(
        sqs.send_message, QueueUrl=queue_url, MessageBody="x", MessageDeduplicationId="d"
    )
    assert code == "InvalidParameterValue"
    assert message == (
        "Value d for parameter MessageDeduplicationId is invalid. Reason: The request include "
        "parameter that is not valid for this queue type."
    )


def test_a_standard_queue_takes_a_message_group_id_without_serialising_the_group(
    sqs: Any, queue_url: str
) -> None:
    # Fair queues: the group names a tenant; messages of one group are still processed in
    # parallel and get no sequence number.
    sent = [
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"t{i}", MessageGroupId="tenant-1")
        for i in range(3)
    ]
    assert all("SequenceNumber" not in s for s in sent)
    first = receive(sqs, queue_url, count=1, VisibilityTimeout=60)
    rest = receive(sqs, queue_url, VisibilityTimeout=60)
    received = first + rest
    assert sorted(bodies(received)) == ["t0", "t1", "t2"]
    for message in received:
        assert message["Attributes"]["MessageGroupId"] == "tenant-1"
        assert "SequenceNumber" not in message["Attributes"]
        assert "MessageDeduplicationId" not in message["Attributes"]


def test_a_standard_queue_still_checks_the_group_id_format(sqs: Any, queue_url: str) -> None:
    code, _, _ = error_of(
        sqs.send_message, QueueUrl=queue_url, MessageBody="x", MessageGroupId="no spaces"
    )
    assert code == "InvalidParameterValue"


# --- high throughput attributes -----------------------------------------------------------------


def test_high_throughput_settings_are_accepted_and_reported(sqs: Any) -> None:
    url = create_fifo(
        sqs, DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId"
    )
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["DeduplicationScope"] == "messageGroup"
    assert attributes["FifoThroughputLimit"] == "perMessageGroupId"


def test_per_group_throughput_needs_per_group_deduplication(sqs: Any) -> None:
    message = (
        "Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId "
        "value is allowed only when the value for DeduplicationScope is messageGroup."
    )
    name = f"{unique()}.fifo"
    code, text, _ = error_of(
        sqs.create_queue, QueueName=name,
        Attributes={"FifoQueue": "true", "DeduplicationScope": "queue",
                    "FifoThroughputLimit": "perMessageGroupId"},
    )
    assert (code, text) == ("InvalidAttributeValue", message)
    # The queue's current scope counts when only the limit is changed.
    url = create_fifo(sqs)
    code, text, _ = error_of(
        sqs.set_queue_attributes, QueueUrl=url,
        Attributes={"FifoThroughputLimit": "perMessageGroupId"},
    )
    assert (code, text) == ("InvalidAttributeValue", message)
    sqs.set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"
        },
    )
    code, text, _ = error_of(
        sqs.set_queue_attributes, QueueUrl=url, Attributes={"DeduplicationScope": "queue"}
    )
    assert (code, text) == ("InvalidAttributeValue", message)


@pytest.mark.parametrize(
    ("name", "value"),
    [("DeduplicationScope", "group"), ("FifoThroughputLimit", "perGroup"),
     ("ContentBasedDeduplication", "yes")],
)
def test_invalid_fifo_attribute_values(sqs: Any, fifo_url: str, name: str, value: str) -> None:
    code, message, _ = error_of(
        sqs.set_queue_attributes, QueueUrl=fifo_url, Attributes={name: value}
    )
    assert (code, message) == ("InvalidAttributeValue", f"Invalid value for the parameter {name}.")


@pytest.mark.parametrize(
    "name", ["ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"]
)
def test_fifo_attributes_are_unknown_on_standard_queues(
    sqs: Any, queue_url: str, name: str
) -> None:
    value = {"ContentBasedDeduplication": "true", "DeduplicationScope": "queue",
             "FifoThroughputLimit": "perQueue"}[name]
    code, message, _ = error_of(
        sqs.set_queue_attributes, QueueUrl=queue_url, Attributes={name: value}
    )
    assert (code, message) == ("InvalidAttributeName", f"Unknown Attribute {name}.")


# --- ReceiveRequestAttemptId ------------------------------------------------------------------


def test_a_retried_receive_attempt_returns_the_same_messages(sqs: Any, fifo_url: str) -> None:
    for body, group in [("a1", "A"), ("a2", "A"), ("b1", "B")]:
        send(sqs, fifo_url, body, group=group)
    first = receive(sqs, fifo_url, count=2, VisibilityTimeout=30, ReceiveRequestAttemptId="try-1")
    assert bodies(first) == ["a1", "a2"]
    retried = receive(sqs, fifo_url, count=2, VisibilityTimeout=30,
                      ReceiveRequestAttemptId="try-1")
    assert [(m["MessageId"], m["ReceiptHandle"]) for m in retried] == [
        (m["MessageId"], m["ReceiptHandle"]) for m in first
    ]
    other = receive(sqs, fifo_url, count=2, VisibilityTimeout=30, ReceiveRequestAttemptId="try-2")
    assert bodies(other) == ["b1"]
    # The first message was deleted: the attempt cannot be repeated, a fresh receive happens.
    sqs.delete_message(QueueUrl=fifo_url, ReceiptHandle=first[0]["ReceiptHandle"])
    assert receive(sqs, fifo_url, count=2, VisibilityTimeout=30,
                   ReceiveRequestAttemptId="try-1") == []


def test_a_retried_receive_attempt_restarts_the_visibility_timeout(
    sqs: Any, fifo_url: str, server: RunningServer
) -> None:
    send(sqs, fifo_url, "m1")
    [first] = receive(sqs, fifo_url, VisibilityTimeout=10, ReceiveRequestAttemptId="try")
    server.advance_clock(6)
    [again] = receive(sqs, fifo_url, VisibilityTimeout=10, ReceiveRequestAttemptId="try")
    assert again["ReceiptHandle"] == first["ReceiptHandle"]
    server.advance_clock(6)  # 12 s after the first receive, 6 s after the retry
    assert counters(sqs, fifo_url) == (0, 1, 0)
    assert receive(sqs, fifo_url) == []


# --- batches -------------------------------------------------------------------------------------


def test_a_fifo_batch_keeps_entry_order_and_reports_sequence_numbers(
    sqs: Any, fifo_url: str
) -> None:
    entries = [
        {"Id": f"e{i}", "MessageBody": f"m{i}", "MessageGroupId": "g",
         "MessageDeduplicationId": f"d{i}"}
        for i in range(10)
    ]
    reply = sqs.send_message_batch(QueueUrl=fifo_url, Entries=entries)
    assert reply.get("Failed", []) == []
    successful = sorted(reply["Successful"], key=lambda s: int(s["Id"][1:]))
    numbers = [int(s["SequenceNumber"]) for s in successful]
    assert numbers == sorted(numbers) and len(set(numbers)) == 10
    assert bodies(receive(sqs, fifo_url, VisibilityTimeout=30)) == [f"m{i}" for i in range(10)]


def test_a_fifo_batch_fails_bad_entries_on_their_own(sqs: Any, fifo_url: str) -> None:
    entries = [
        {"Id": "ok1", "MessageBody": "m1", "MessageGroupId": "g", "MessageDeduplicationId": "1"},
        {"Id": "nogroup", "MessageBody": "m2", "MessageDeduplicationId": "2"},
        {"Id": "nodedup", "MessageBody": "m3", "MessageGroupId": "g"},
        {"Id": "delayed", "MessageBody": "m4", "MessageGroupId": "g",
         "MessageDeduplicationId": "4", "DelaySeconds": 2},
        {"Id": "ok2", "MessageBody": "m5", "MessageGroupId": "g", "MessageDeduplicationId": "5"},
        {"Id": "dup", "MessageBody": "m6", "MessageGroupId": "g", "MessageDeduplicationId": "1"},
    ]
    reply = sqs.send_message_batch(QueueUrl=fifo_url, Entries=entries)
    failed = {f["Id"]: f for f in reply["Failed"]}
    assert set(failed) == {"nogroup", "nodedup", "delayed"}
    assert failed["nogroup"]["Code"] == "MissingParameter"
    assert failed["nodedup"]["Code"] == "InvalidParameterValue"
    assert failed["nodedup"]["Message"] == MISSING_DEDUPLICATION
    assert failed["delayed"]["Code"] == "InvalidParameterValue"
    assert all(f["SenderFault"] for f in failed.values())
    successful = {s["Id"]: s for s in reply["Successful"]}
    assert set(successful) == {"ok1", "ok2", "dup"}
    # A duplicate inside the batch is accepted with the original's id, and not stored twice.
    assert successful["dup"]["MessageId"] == successful["ok1"]["MessageId"]
    assert bodies(receive(sqs, fifo_url, VisibilityTimeout=30)) == ["m1", "m5"]


def test_visibility_batch_on_a_fifo_group_releases_it_in_order(sqs: Any, fifo_url: str) -> None:
    for body in ["m1", "m2", "m3"]:
        send(sqs, fifo_url, body)
    received = receive(sqs, fifo_url, VisibilityTimeout=60)
    assert bodies(received) == ["m1", "m2", "m3"]
    sqs.delete_message(QueueUrl=fifo_url, ReceiptHandle=received[0]["ReceiptHandle"])
    reply = sqs.change_message_visibility_batch(
        QueueUrl=fifo_url,
        Entries=[{"Id": f"e{i}", "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                 for i, m in enumerate(received[1:])],
    )
    assert len(reply["Successful"]) == 2
    assert bodies(receive(sqs, fifo_url, VisibilityTimeout=60)) == ["m2", "m3"]
