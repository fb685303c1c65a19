"""SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch on standard queues.

References (AWS SQS API Reference): SendMessageBatch ("The result of sending each message is
reported individually in the response ... check for batch errors even when the call returns an
HTTP status code of 200"; individual and total payload both at most 1 MiB, 1,048,576 bytes; an
entry without DelaySeconds takes the queue's default), the batch request entries (Id: up to 80
characters of alphanumerics, hyphens and underscores, distinct within a request) and the errors
EmptyBatchRequest, TooManyEntriesInBatchRequest, BatchEntryIdsNotDistinct, InvalidBatchEntryId and
BatchRequestTooLong (legacy codes AWS.SimpleQueueService.*), BatchResultErrorEntry (Id, Code,
Message, SenderFault).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.e2e.test_send_receive import md5_of_attributes, md5_of_body, md5_of_trace_header

TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
INVALID_ID_MESSAGE = (
    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
    "It can be at most 80 letters long."
)


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return (
        str(response["Error"]["Code"]),
        str(response["Error"].get("Message", "")),
        int(response["ResponseMetadata"]["HTTPStatusCode"]),
    )


def counters(sqs: Any, queue_url: str) -> dict[str, int]:
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return {name: int(attributes[name]) for name in names}


def receive_all(sqs: Any, queue_url: str, expected: int, **kwargs: Any) -> list[dict[str, Any]]:
    """Receive until ``expected`` messages arrived (or a receive comes back empty)."""
    messages: list[dict[str, Any]] = []
    while len(messages) < expected:
        batch = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1, **kwargs
        ).get("Messages", [])
        if not batch:
            break
        messages.extend(batch)
    return messages


def by_id(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {entry["Id"]: entry for entry in entries}


# --- SendMessageBatch successes ------------------------------------------------------------------


def test_send_batch_reports_ids_message_ids_and_digests(sqs: Any, queue_url: str) -> None:
    attributes = {
        "kind": {"DataType": "String.kind", "StringValue": "order"},
        "size": {"DataType": "Number", "StringValue": "7"},
        "raw": {"DataType": "Binary", "BinaryValue": b"\x00\xff\x10"},
    }
    entries = [
        {"Id": "plain", "MessageBody": "first"},
        {"Id": "with-attrs", "MessageBody": "second 😀", "MessageAttributes": attributes},
        {
            "Id": "traced_1",
            "MessageBody": "third",
            "MessageSystemAttributes": {
                "AWSTraceHeader": {"DataType": "String", "StringValue": TRACE_HEADER}
            },
        },
    ]
    reply = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert reply.get("Failed", []) == []
    successful = by_id(reply["Successful"])
    assert set(successful) == {"plain", "with-attrs", "traced_1"}

    assert successful["plain"]["MD5OfMessageBody"] == md5_of_body("first")
    assert "MD5OfMessageAttributes" not in successful["plain"]
    assert "MD5OfMessageSystemAttributes" not in successful["plain"]

    assert successful["with-attrs"]["MD5OfMessageBody"] == md5_of_body("second 😀")
    assert successful["with-attrs"]["MD5OfMessageAttributes"] == md5_of_attributes(attributes)

    assert successful["traced_1"]["MD5OfMessageSystemAttributes"] == md5_of_trace_header(
        TRACE_HEADER
    )

    message_ids = {entry["MessageId"] for entry in successful.values()}
    assert len(message_ids) == 3
    for entry in successful.values():
        assert "SequenceNumber" not in entry

    received = receive_all(
        sqs, queue_url, 3, MessageAttributeNames=["All"], AttributeNames=["AWSTraceHeader"]
    )
    assert {m["MessageId"] for m in received} == message_ids
    bodies = {m["Body"]: m for m in received}
    assert set(bodies) == {"first", "second 😀", "third"}
    assert bodies["second 😀"]["MessageAttributes"]["raw"]["BinaryValue"] == b"\x00\xff\x10"
    assert bodies["second 😀"]["MD5OfMessageAttributes"] == md5_of_attributes(attributes)
    assert bodies["third"]["Attributes"] == {"AWSTraceHeader": TRACE_HEADER}


def test_send_batch_of_ten(sqs: Any, queue_url: str) -> None:
    entries = [{"Id": f"e{i}", "MessageBody": f"body {i}"} for i in range(10)]
    reply = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert sorted(e["Id"] for e in reply["Successful"]) == sorted(f"e{i}" for i in range(10))
    assert reply.get("Failed", []) == []
    assert counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 10


def test_entry_id_of_80_allowed_characters_is_accepted(sqs: Any, queue_url: str) -> None:
    long_id = ("Az9_-" * 16)[:80]
    reply = sqs.send_message_batch(
        QueueUrl=queue_url, Entries=[{"Id": long_id, "MessageBody": "x"}]
    )
    assert [e["Id"] for e in reply["Successful"]] == [long_id]


# --- per-entry failures --------------------------------------------------------------------------


def test_entry_with_invalid_characters_fails_alone(sqs: Any, queue_url: str) -> None:
    entries = [
        {"Id": "good1", "MessageBody": "fine"},
        {"Id": "bad", "MessageBody": "nul \x00 here"},
        {"Id": "good2", "MessageBody": "also fine"},
    ]
    reply = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert sorted(e["Id"] for e in reply["Successful"]) == ["good1", "good2"]
    failed = by_id(reply["Failed"])
    assert set(failed) == {"bad"}
    assert failed["bad"]["Code"] == "InvalidMessageContents"
    assert failed["bad"]["SenderFault"] is True
    assert failed["bad"].get("Message")
    assert sorted(m["Body"] for m in receive_all(sqs, queue_url, 2)) == ["also fine", "fine"]


def test_entry_over_the_size_limit_fails_alone(sqs: Any, queue_name: str) -> None:
    url = sqs.create_queue(QueueName=queue_name, Attributes={"MaximumMessageSize": "1024"})[
        "QueueUrl"
    ]
    entries = [
        {"Id": "fits", "MessageBody": "a" * 1024},
        {"Id": "too_big", "MessageBody": "a" * 1025},
    ]
    reply = sqs.send_message_batch(QueueUrl=url, Entries=entries)
    assert [e["Id"] for e in reply["Successful"]] == ["fits"]
    failed = by_id(reply["Failed"])
    assert set(failed) == {"too_big"}
    assert failed["too_big"]["Code"] == "InvalidParameterValue"
    assert failed["too_big"]["SenderFault"] is True
    assert counters(sqs, url)["ApproximateNumberOfMessages"] == 1


def test_entry_with_bad_attribute_fails_alone(sqs: Any, queue_url: str) -> None:
    entries = [
        {"Id": "ok", "MessageBody": "fine"},
        {
            "Id": "reserved",
            "MessageBody": "bad name",
            "MessageAttributes": {"AWS.reserved": {"DataType": "String", "StringValue": "v"}},
        },
        {
            "Id": "bad_type",
            "MessageBody": "bad type",
            "MessageAttributes": {"n": {"DataType": "Decimal", "StringValue": "1"}},
        },
    ]
    reply = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert [e["Id"] for e in reply["Successful"]] == ["ok"]
    failed = by_id(reply["Failed"])
    assert set(failed) == {"reserved", "bad_type"}
    for entry in failed.values():
        assert entry["Code"] == "InvalidParameterValue"
        assert entry["SenderFault"] is True
    assert counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 1


def test_entry_with_delay_out_of_range_fails_alone(sqs: Any, queue_url: str) -> None:
    entries = [
        {"Id": "ok", "MessageBody": "fine"},
        {"Id": "late", "MessageBody": "too late", "DelaySeconds": 901},
    ]
    reply = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert [e["Id"] for e in reply["Successful"]] == ["ok"]
    failed = by_id(reply["Failed"])
    assert failed["late"]["Code"] == "InvalidParameterValue"
    assert failed["late"]["SenderFault"] is True


# --- whole-request errors ------------------------------------------------------------------------


def _entries(operation: str, ids: list[str]) -> list[dict[str, Any]]:
    if operation == "send_message_batch":
        return [{"Id": entry_id, "MessageBody": "x"} for entry_id in ids]
    if operation == "delete_message_batch":
        return [{"Id": entry_id, "ReceiptHandle": "handle"} for entry_id in ids]
    return [{"Id": entry_id, "ReceiptHandle": "handle", "VisibilityTimeout": 0} for entry_id in ids]


BATCH_OPERATIONS = ["send_message_batch", "delete_message_batch", "change_message_visibility_batch"]
ENTRY_NAMES = {
    "send_message_batch": "SendMessageBatchRequestEntry",
    "delete_message_batch": "DeleteMessageBatchRequestEntry",
    "change_message_visibility_batch": "ChangeMessageVisibilityBatchRequestEntry",
}


@pytest.mark.parametrize("operation", BATCH_OPERATIONS)
def test_empty_batch(sqs: Any, queue_url: str, operation: str) -> None:
    code, message, status = error_of(getattr(sqs, operation), QueueUrl=queue_url, Entries=[])
    assert code == "AWS.SimpleQueueService.EmptyBatchRequest"
    assert status == 400
    assert message == f"There should be at least one {ENTRY_NAMES[operation]} in the request."


@pytest.mark.parametrize("operation", BATCH_OPERATIONS)
def test_eleven_entries(sqs: Any, queue_url: str, operation: str) -> None:
    entries = _entries(operation, [f"id{i}" for i in range(11)])
    code, message, status = error_of(getattr(sqs, operation), QueueUrl=queue_url, Entries=entries)
    assert code == "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"
    assert status == 400
    assert message == "Maximum number of entries per request are 10. You have sent 11."
    assert counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 0


@pytest.mark.parametrize("operation", BATCH_OPERATIONS)
def test_duplicate_ids(sqs: Any, queue_url: str, operation: str) -> None:
    entries = _entries(operation, ["one", "two", "one"])
    code, message, status = error_of(getattr(sqs, operation), QueueUrl=queue_url, Entries=entries)
    assert code == "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"
    assert status == 400
    assert "one" in message
    assert counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 0


@pytest.mark.parametrize("operation", BATCH_OPERATIONS)
@pytest.mark.parametrize(
    "bad_id",
    ["a" * 81, "has space", "dot.ted", "colon:id", "slash/id", "ümlaut", "bang!"],
    ids=["81-chars", "space", "dot", "colon", "slash", "non-ascii", "bang"],
)
def test_invalid_entry_id(sqs: Any, queue_url: str, operation: str, bad_id: str) -> None:
    entries = _entries(operation, ["fine", bad_id])
    code, message, status = error_of(getattr(sqs, operation), QueueUrl=queue_url, Entries=entries)
    assert code == "AWS.SimpleQueueService.InvalidBatchEntryId"
    assert status == 400
    assert message == INVALID_ID_MESSAGE
    assert counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 0


def test_total_size_over_the_limit(sqs: Any, queue_url: str) -> None:
    # Each entry alone is within the 1 MiB message limit; together they exceed the batch limit.
    entries = [
        {"Id": "half1", "MessageBody": "a" * 600_000},
        {"Id": "half2", "MessageBody": "b" * 600_000},
    ]
    code, message, status = error_of(sqs.send_message_batch, QueueUrl=queue_url, Entries=entries)
    assert code == "AWS.SimpleQueueService.BatchRequestTooLong"
    assert status == 400
    assert message == (
        "Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes."
    )
    assert counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 0


def test_total_size_exactly_at_the_limit(sqs: Any, queue_url: str) -> None:
    entries = [
        {"Id": "a", "MessageBody": "a" * 524_288},
        {"Id": "b", "MessageBody": "b" * 524_288},
    ]
    reply = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert sorted(e["Id"] for e in reply["Successful"]) == ["a", "b"]
    assert reply.get("Failed", []) == []


def test_batch_to_missing_queue(sqs: Any, server: Any) -> None:
    url = f"{server.endpoint}/000000000000/no-such-batch-queue"
    code, _, status = error_of(
        sqs.send_message_batch, QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x"}]
    )
    assert code == "AWS.SimpleQueueService.NonExistentQueue"
    assert status == 400


# --- delays in a batch ---------------------------------------------------------------------------


def test_per_entry_delay_seconds(sqs: Any, queue_url: str, server: Any) -> None:
    reply = sqs.send_message_batch(
        QueueUrl=queue_url,
        Entries=[
            {"Id": "now", "MessageBody": "immediate"},
            {"Id": "later", "MessageBody": "delayed", "DelaySeconds": 5},
        ],
    )
    assert sorted(e["Id"] for e in reply["Successful"]) == ["later", "now"]
    assert counters(sqs, queue_url) == {
        "ApproximateNumberOfMessages": 1,
        "ApproximateNumberOfMessagesNotVisible": 0,
        "ApproximateNumberOfMessagesDelayed": 1,
    }
    first = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in first] == ["immediate"]
    assert sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []) == []

    server.advance_clock(6)
    later = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    assert [m["Body"] for m in later["Messages"]] == ["delayed"]


def test_entries_without_delay_take_the_queue_default(
    sqs: Any, queue_name: str, server: Any
) -> None:
    url = sqs.create_queue(QueueName=queue_name, Attributes={"DelaySeconds": "10"})["QueueUrl"]
    sqs.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "default", "MessageBody": "queue delay"},
            {"Id": "short", "MessageBody": "own delay", "DelaySeconds": 1},
        ],
    )
    assert counters(sqs, url)["ApproximateNumberOfMessagesDelayed"] == 2
    server.advance_clock(2)
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in got] == ["own delay"]
    server.advance_clock(9)
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in got] == ["queue delay"]


# --- DeleteMessageBatch --------------------------------------------------------------------------


def test_delete_batch_with_one_invalid_handle(sqs: Any, queue_url: str) -> None:
    sqs.send_message_batch(
        QueueUrl=queue_url,
        Entries=[{"Id": f"m{i}", "MessageBody": f"body {i}"} for i in range(3)],
    )
    messages = receive_all(sqs, queue_url, 3)
    assert len(messages) == 3
    entries = [
        {"Id": f"d{i}", "ReceiptHandle": message["ReceiptHandle"]}
        for i, message in enumerate(messages[:2])
    ]
    entries.append({"Id": "broken", "ReceiptHandle": "not-a-receipt-handle"})
    reply = sqs.delete_message_batch(QueueUrl=queue_url, Entries=entries)
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert sorted(e["Id"] for e in reply["Successful"]) == ["d0", "d1"]
    failed = by_id(reply["Failed"])
    assert set(failed) == {"broken"}
    assert failed["broken"]["Code"] == "ReceiptHandleIsInvalid"
    assert failed["broken"]["SenderFault"] is True
    assert counters(sqs, queue_url)["ApproximateNumberOfMessagesNotVisible"] == 1


def test_delete_batch_then_queue_is_empty(sqs: Any, queue_url: str) -> None:
    sqs.send_message_batch(
        QueueUrl=queue_url,
        Entries=[{"Id": f"m{i}", "MessageBody": f"body {i}"} for i in range(10)],
    )
    messages = receive_all(sqs, queue_url, 10)
    assert len(messages) == 10
    reply = sqs.delete_message_batch(
        QueueUrl=queue_url,
        Entries=[
            {"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)
        ],
    )
    assert len(reply["Successful"]) == 10
    assert reply.get("Failed", []) == []
    assert counters(sqs, queue_url) == {
        "ApproximateNumberOfMessages": 0,
        "ApproximateNumberOfMessagesNotVisible": 0,
        "ApproximateNumberOfMessagesDelayed": 0,
    }


# --- ChangeMessageVisibilityBatch ----------------------------------------------------------------


def test_change_visibility_batch(sqs: Any, queue_url: str) -> None:
    sqs.send_message_batch(
        QueueUrl=queue_url,
        Entries=[{"Id": f"m{i}", "MessageBody": f"body {i}"} for i in range(3)],
    )
    messages = receive_all(sqs, queue_url, 3, VisibilityTimeout=300)
    assert len(messages) == 3
    release, keep, _ = messages
    reply = sqs.change_message_visibility_batch(
        QueueUrl=queue_url,
        Entries=[
            {"Id": "release", "ReceiptHandle": release["ReceiptHandle"], "VisibilityTimeout": 0},
            {"Id": "keep", "ReceiptHandle": keep["ReceiptHandle"], "VisibilityTimeout": 600},
            {"Id": "broken", "ReceiptHandle": "garbage", "VisibilityTimeout": 0},
        ],
    )
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert sorted(e["Id"] for e in reply["Successful"]) == ["keep", "release"]
    failed = by_id(reply["Failed"])
    assert set(failed) == {"broken"}
    assert failed["broken"]["Code"] == "ReceiptHandleIsInvalid"
    assert failed["broken"]["SenderFault"] is True

    again = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    assert [m["MessageId"] for m in again["Messages"]] == [release["MessageId"]]


def test_change_visibility_batch_out_of_range_fails_per_entry(sqs: Any, queue_url: str) -> None:
    sqs.send_message_batch(
        QueueUrl=queue_url,
        Entries=[{"Id": f"m{i}", "MessageBody": f"body {i}"} for i in range(2)],
    )
    first, second = receive_all(sqs, queue_url, 2)
    reply = sqs.change_message_visibility_batch(
        QueueUrl=queue_url,
        Entries=[
            {"Id": "ok", "ReceiptHandle": first["ReceiptHandle"], "VisibilityTimeout": 60},
            {
                "Id": "too_long",
                "ReceiptHandle": second["ReceiptHandle"],
                "VisibilityTimeout": 43201,
            },
        ],
    )
    assert [e["Id"] for e in reply["Successful"]] == ["ok"]
    failed = by_id(reply["Failed"])
    assert failed["too_long"]["Code"] == "InvalidParameterValue"
    assert failed["too_long"]["SenderFault"] is True
