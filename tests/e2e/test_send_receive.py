"""SendMessage, ReceiveMessage and DeleteMessage on standard queues, checked against AWS's rules.

References (AWS SQS API Reference and Developer Guide):
- SendMessage: body 1 character to the queue's MaximumMessageSize (default and maximum 1 MiB,
  1,048,576 bytes, counting message attributes); allowed characters
  #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF, anything else is rejected with
  InvalidMessageContents; an empty body is answered with MissingParameter.
- "Message metadata for Amazon SQS": at most 10 message attributes; name rules; String, Number and
  Binary data types with optional custom labels; the MD5 digest algorithm for message attributes;
  AWSTraceHeader is the only message system attribute and does not count towards the message size.
- ReceiveMessage: MaxNumberOfMessages 1-10 ("Value N for parameter MaxNumberOfMessages is invalid.
  Reason: Must be between 1 and 10, if provided."); MessageAttributeNames accepts names, "All",
  ".*" and "prefix.*"; AttributeNames/MessageSystemAttributeNames select the system attributes.
"""

from __future__ import annotations

import base64
import hashlib
import struct
import time
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from botocore.exceptions import ClientError

MAX_MESSAGE_SIZE = 1_048_576
TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


# --- an independent implementation of AWS's message-attribute digest ------------------------------


def _length_prefixed(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def md5_of_attributes(attributes: Mapping[str, Mapping[str, Any]]) -> str:
    """MD5 over the attributes sorted by name: name, data type, transport type byte, value.

    String and Number values (and their custom labels) use transport type 1 and their UTF-8 bytes;
    Binary values use transport type 2 and their raw bytes. Lengths are 4-byte big-endian.
    """
    buffer = bytearray()
    for name in sorted(attributes):
        attribute = attributes[name]
        data_type = str(attribute["DataType"])
        buffer += _length_prefixed(name.encode("utf-8"))
        buffer += _length_prefixed(data_type.encode("utf-8"))
        if data_type.split(".", 1)[0] == "Binary":
            buffer += b"\x02" + _length_prefixed(bytes(attribute["BinaryValue"]))
        else:
            buffer += b"\x01" + _length_prefixed(str(attribute["StringValue"]).encode("utf-8"))
    return hashlib.md5(bytes(buffer)).hexdigest()


def md5_of_body(body: str) -> str:
    return hashlib.md5(body.encode("utf-8")).hexdigest()


def md5_of_trace_header(value: str) -> str:
    return md5_of_attributes({"AWSTraceHeader": {"DataType": "String", "StringValue": value}})


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str, int]:
    """Call an operation that must fail; return (legacy error code, message, HTTP status)."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return (
        str(response["Error"]["Code"]),
        str(response["Error"].get("Message", "")),
        int(response["ResponseMetadata"]["HTTPStatusCode"]),
    )


def receive_one(sqs: Any, queue_url: str, **kwargs: Any) -> dict[str, Any]:
    reply = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1, **kwargs)
    messages = reply.get("Messages", [])
    assert len(messages) == 1, reply
    return dict(messages[0])


def queue_counters(sqs: Any, queue_url: str) -> dict[str, int]:
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return {name: int(attributes[name]) for name in names}


ALL_KINDS: dict[str, dict[str, Any]] = {
    "plain.string": {"DataType": "String", "StringValue": "héllo wörld 😀"},
    "plain.number": {"DataType": "Number", "StringValue": "-12.5"},
    "plain.binary": {"DataType": "Binary", "BinaryValue": bytes(range(256))},
    "custom.json": {"DataType": "String.json", "StringValue": '{"a": [1, 2], "b": null}'},
    "custom.int": {"DataType": "Number.int", "StringValue": "42"},
    "custom.gz": {"DataType": "Binary.gz", "BinaryValue": b"\x1f\x8b\x08\x00\x00\xff"},
}


# --- the digest helper against digests AWS published for known inputs -----------------------------


def test_md5_helper_matches_published_digests() -> None:
    assert md5_of_attributes(
        {"attribName1": {"DataType": "String", "StringValue": "attribValue 1"}}
    ) == "19e27d4e946b072f3f58da80d94fd778"
    assert md5_of_attributes(
        {"binaryAttribute": {"DataType": "Binary", "BinaryValue": b"Hello binary world!"}}
    ) == "31a92b15d92f8db860eda32aceb656c3"
    assert md5_of_attributes(
        {
            "attribName1": {"DataType": "String", "StringValue": "attribValue 1"},
            "customNumberTypeAttrib": {
                "DataType": "Number.float",
                "StringValue": "4563442423554324324264524243.32543234",
            },
            "binaryAttribute": {"DataType": "Binary", "BinaryValue": b"Hello binary world!"},
        }
    ) == "c932db14a896c663f83c260297d594ff"
    assert md5_of_body("hello") == "5d41402abc4b2a76b9719d911017c592"


# --- basics --------------------------------------------------------------------------------------


def test_send_receive_delete_round_trip(sqs: Any, queue_url: str) -> None:
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="hello")
    assert sent["MD5OfMessageBody"] == "5d41402abc4b2a76b9719d911017c592"
    assert sent["MessageId"]
    assert "MD5OfMessageAttributes" not in sent
    assert "MD5OfMessageSystemAttributes" not in sent
    assert "SequenceNumber" not in sent

    message = receive_one(sqs, queue_url)
    assert message["MessageId"] == sent["MessageId"]
    assert message["Body"] == "hello"
    assert message["MD5OfBody"] == "5d41402abc4b2a76b9719d911017c592"
    assert message["ReceiptHandle"]
    assert "MessageAttributes" not in message
    assert "Attributes" not in message

    # In flight: not received again while the visibility timeout (default 30 s) runs.
    assert sqs.receive_message(QueueUrl=queue_url).get("Messages", []) == []
    assert queue_counters(sqs, queue_url) == {
        "ApproximateNumberOfMessages": 0,
        "ApproximateNumberOfMessagesNotVisible": 1,
        "ApproximateNumberOfMessagesDelayed": 0,
    }

    deleted = sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert queue_counters(sqs, queue_url) == {
        "ApproximateNumberOfMessages": 0,
        "ApproximateNumberOfMessagesNotVisible": 0,
        "ApproximateNumberOfMessagesDelayed": 0,
    }
    assert sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=0).get("Messages", []) == []


def test_message_ids_are_unique(sqs: Any, queue_url: str) -> None:
    ids = {sqs.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")["MessageId"] for i in range(5)}
    assert len(ids) == 5
    assert queue_counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 5


def test_receive_from_empty_queue_returns_no_messages(sqs: Any, queue_url: str) -> None:
    reply = sqs.receive_message(QueueUrl=queue_url)
    assert reply.get("Messages", []) == []
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200


# --- digests and attributes ----------------------------------------------------------------------


def test_send_returns_correct_digests_for_all_attribute_kinds(sqs: Any, queue_url: str) -> None:
    body = "digest me ✓"
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody=body, MessageAttributes=ALL_KINDS)
    assert sent["MD5OfMessageBody"] == md5_of_body(body)
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(ALL_KINDS)

    message = receive_one(sqs, queue_url, MessageAttributeNames=["All"])
    assert message["MD5OfBody"] == md5_of_body(body)
    assert message["MD5OfMessageAttributes"] == md5_of_attributes(ALL_KINDS)


def test_attributes_of_every_type_round_trip_exactly(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="typed", MessageAttributes=ALL_KINDS)
    message = receive_one(sqs, queue_url, MessageAttributeNames=["All"])
    received = message["MessageAttributes"]
    assert set(received) == set(ALL_KINDS)
    for name, expected in ALL_KINDS.items():
        got = received[name]
        assert got["DataType"] == expected["DataType"], name
        if "BinaryValue" in expected:
            assert got["BinaryValue"] == expected["BinaryValue"], name
            assert "StringValue" not in got, name
        else:
            assert got["StringValue"] == expected["StringValue"], name
            assert "BinaryValue" not in got, name


def test_binary_attribute_with_every_byte_value_and_its_digest(sqs: Any, queue_url: str) -> None:
    payload = bytes(range(256)) * 4 + base64.b64encode(b"not decoded twice")
    attributes = {"blob": {"DataType": "Binary", "BinaryValue": payload}}
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="bin", MessageAttributes=attributes)
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attributes)
    message = receive_one(sqs, queue_url, MessageAttributeNames=["blob"])
    assert message["MessageAttributes"]["blob"]["BinaryValue"] == payload


def test_trace_header_system_attribute_digest_and_receive(sqs: Any, queue_url: str) -> None:
    sent = sqs.send_message(
        QueueUrl=queue_url,
        MessageBody="traced",
        MessageSystemAttributes={
            "AWSTraceHeader": {"DataType": "String", "StringValue": TRACE_HEADER}
        },
    )
    assert sent["MD5OfMessageSystemAttributes"] == md5_of_trace_header(TRACE_HEADER)
    assert sent["MD5OfMessageBody"] == md5_of_body("traced")
    assert "MD5OfMessageAttributes" not in sent

    message = receive_one(sqs, queue_url, AttributeNames=["AWSTraceHeader"], VisibilityTimeout=0)
    assert message["Attributes"] == {"AWSTraceHeader": TRACE_HEADER}

    message = receive_one(sqs, queue_url, AttributeNames=["All"], VisibilityTimeout=0)
    assert message["Attributes"]["AWSTraceHeader"] == TRACE_HEADER

    # A trace header is a system attribute, not a message attribute.
    message = receive_one(sqs, queue_url, MessageAttributeNames=["All"])
    assert "MessageAttributes" not in message


def test_message_system_attribute_names_select_trace_header(
    sqs: Any, queue_url: str, protocol: str
) -> None:
    if protocol == "query":
        pytest.skip("AWS's 2012-11-05 query model has no MessageSystemAttributeNames member")
    sqs.send_message(
        QueueUrl=queue_url,
        MessageBody="traced",
        MessageSystemAttributes={
            "AWSTraceHeader": {"DataType": "String", "StringValue": TRACE_HEADER}
        },
    )
    message = receive_one(
        sqs, queue_url, MessageSystemAttributeNames=["AWSTraceHeader"], VisibilityTimeout=0
    )
    assert message["Attributes"] == {"AWSTraceHeader": TRACE_HEADER}

    message = receive_one(sqs, queue_url, MessageSystemAttributeNames=["All"], VisibilityTimeout=0)
    assert message["Attributes"]["AWSTraceHeader"] == TRACE_HEADER
    assert message["Attributes"]["ApproximateReceiveCount"] == "2"
    assert {"SenderId", "SentTimestamp", "ApproximateFirstReceiveTimestamp"} <= set(
        message["Attributes"]
    )

    message = receive_one(sqs, queue_url, MessageSystemAttributeNames=["SentTimestamp"])
    assert set(message["Attributes"]) == {"SentTimestamp"}


def test_message_without_trace_header_has_none(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="untraced")
    message = receive_one(sqs, queue_url, AttributeNames=["All"])
    assert "AWSTraceHeader" not in message["Attributes"]


# --- MessageAttributeNames selection -------------------------------------------------------------

SELECTION_ATTRIBUTES: dict[str, dict[str, Any]] = {
    "app.user": {"DataType": "String", "StringValue": "ann"},
    "app.count": {"DataType": "Number", "StringValue": "3"},
    "fruit": {"DataType": "String", "StringValue": "apple"},
    "other": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
}


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        (None, set()),
        (["All"], set(SELECTION_ATTRIBUTES)),
        ([".*"], set(SELECTION_ATTRIBUTES)),
        (["app.*"], {"app.user", "app.count"}),
        (["other"], {"other"}),
        (["fruit", "app.count", "missing"], {"fruit", "app.count"}),
        (["missing"], set()),
    ],
    ids=["none", "All", "dot-star", "prefix", "exact", "several-exact", "unknown"],
)
def test_message_attribute_names_select_attributes(
    sqs: Any, queue_url: str, requested: list[str] | None, expected: set[str]
) -> None:
    sqs.send_message(
        QueueUrl=queue_url, MessageBody="select", MessageAttributes=SELECTION_ATTRIBUTES
    )
    kwargs: dict[str, Any] = {} if requested is None else {"MessageAttributeNames": requested}
    message = receive_one(sqs, queue_url, **kwargs)
    received = message.get("MessageAttributes", {})
    assert set(received) == expected
    if expected:
        # The digest covers exactly the attributes returned (what SDKs verify on receive).
        subset = {name: SELECTION_ATTRIBUTES[name] for name in expected}
        assert message["MD5OfMessageAttributes"] == md5_of_attributes(subset)


# --- system attributes ---------------------------------------------------------------------------


def test_receive_count_and_first_receive_timestamp(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="counted")
    seen = []
    for _ in range(3):
        message = receive_one(
            sqs,
            queue_url,
            VisibilityTimeout=0,
            AttributeNames=["ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp"],
        )
        seen.append(message["Attributes"])
    assert [attrs["ApproximateReceiveCount"] for attrs in seen] == ["1", "2", "3"]
    first = {attrs["ApproximateFirstReceiveTimestamp"] for attrs in seen}
    assert len(first) == 1, "ApproximateFirstReceiveTimestamp must not change on later receives"
    assert set(seen[0]) == {"ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp"}


def test_sent_and_first_receive_timestamps_are_epoch_milliseconds(
    sqs: Any, queue_url: str
) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="early")
    time.sleep(0.3)
    sqs.send_message(QueueUrl=queue_url, MessageBody="late")
    stamps: dict[str, dict[str, str]] = {}
    for _ in range(2):
        message = receive_one(sqs, queue_url, AttributeNames=["All"])
        stamps[message["Body"]] = message["Attributes"]
    early, late = stamps["early"], stamps["late"]
    for attrs in (early, late):
        assert attrs["SentTimestamp"].isdigit()
        assert attrs["ApproximateFirstReceiveTimestamp"].isdigit()
        # Milliseconds since the epoch: 13 digits from 2001 until 2286.
        assert len(attrs["SentTimestamp"]) == 13
        assert int(attrs["SentTimestamp"]) <= int(attrs["ApproximateFirstReceiveTimestamp"])
        assert attrs["ApproximateReceiveCount"] == "1"
        assert attrs["SenderId"]
    gap = int(late["SentTimestamp"]) - int(early["SentTimestamp"])
    assert 250 <= gap <= 2000


def test_attribute_names_select_only_requested(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="pick")
    message = receive_one(
        sqs, queue_url, AttributeNames=["SentTimestamp", "SenderId"], VisibilityTimeout=0
    )
    assert set(message["Attributes"]) == {"SentTimestamp", "SenderId"}

    message = receive_one(sqs, queue_url, AttributeNames=["All"])
    attrs = message["Attributes"]
    assert {
        "SenderId",
        "SentTimestamp",
        "ApproximateReceiveCount",
        "ApproximateFirstReceiveTimestamp",
    } <= set(attrs)
    # FIFO-only attributes are absent on a standard queue.
    assert not {"MessageGroupId", "MessageDeduplicationId", "SequenceNumber"} & set(attrs)


# --- MaxNumberOfMessages -------------------------------------------------------------------------


def test_max_number_of_messages_bounds_each_receive(sqs: Any, queue_url: str) -> None:
    bodies = {f"n{i}" for i in range(12)}
    for body in sorted(bodies):
        sqs.send_message(QueueUrl=queue_url, MessageBody=body)

    one = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1)["Messages"]
    assert len(one) == 1

    ten = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    assert len(ten["Messages"]) == 10

    rest = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    assert len(rest["Messages"]) == 1

    received = [m["Body"] for m in one + ten["Messages"] + rest["Messages"]]
    assert sorted(received) == sorted(bodies)


@pytest.mark.parametrize("count", [0, 11, -1, 100])
def test_max_number_of_messages_out_of_range(sqs: Any, queue_url: str, count: int) -> None:
    code, message, status = error_of(
        sqs.receive_message, QueueUrl=queue_url, MaxNumberOfMessages=count
    )
    assert code == "InvalidParameterValue"
    assert status == 400
    assert message == (
        f"Value {count} for parameter MaxNumberOfMessages is invalid. "
        "Reason: Must be between 1 and 10, if provided."
    )


# --- characters ----------------------------------------------------------------------------------

ROUND_TRIP_BODIES = {
    "emoji": "emoji 😀🎉 and a clef 𝄞 and the last plane \U0010fffd",
    "tab": "a\tb\t",
    "lf": "line1\nline2\n",
    "crlf": "line1\r\nline2\r\n",
    "lone-cr": "before\rafter\r",
    "mixed": "\r\n\t\r\r\n\n x",
    "xml-specials": "<tag attr=\"v\">&amp; 'quoted' ]]> </tag>",
    "bmp-edges": "\x20\ud7ff\ue000\ufffd",
    "leading-trailing-space": "  padded  ",
    "json": '{"key": "value", "list": [1, 2, 3]}',
}


@pytest.mark.parametrize("body", list(ROUND_TRIP_BODIES.values()), ids=list(ROUND_TRIP_BODIES))
def test_allowed_characters_round_trip_exactly(sqs: Any, queue_url: str, body: str) -> None:
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    assert sent["MD5OfMessageBody"] == md5_of_body(body)
    message = receive_one(sqs, queue_url)
    assert message["Body"] == body
    assert message["Body"].encode("utf-8") == body.encode("utf-8")
    assert message["MD5OfBody"] == md5_of_body(body)


def test_string_attribute_values_keep_control_whitespace(sqs: Any, queue_url: str) -> None:
    attributes = {
        "text": {"DataType": "String", "StringValue": "a\r\nb\rc\td 😀"},
        "custom": {"DataType": "String.crlf", "StringValue": "\r"},
    }
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="x", MessageAttributes=attributes)
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attributes)
    message = receive_one(sqs, queue_url, MessageAttributeNames=["All"])
    assert message["MessageAttributes"]["text"]["StringValue"] == "a\r\nb\rc\td 😀"
    assert message["MessageAttributes"]["custom"]["StringValue"] == "\r"
    assert message["MD5OfMessageAttributes"] == md5_of_attributes(attributes)


@pytest.mark.parametrize(
    "body",
    ["\x00", "nul \x00 inside", "unit separator \x1f", "backspace \x08", "vt \x0b", "\ufffe",
     "\uffff", "ok then bad \x01"],
    ids=["nul", "nul-inside", "x1f", "x08", "x0b", "ufffe", "uffff", "x01-at-end"],
)
def test_invalid_characters_are_rejected(sqs: Any, queue_url: str, body: str) -> None:
    code, _, status = error_of(sqs.send_message, QueueUrl=queue_url, MessageBody=body)
    assert code == "InvalidMessageContents"
    assert status == 400
    assert queue_counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 0


def test_invalid_characters_in_string_attribute_value_are_rejected(
    sqs: Any, queue_url: str
) -> None:
    code, _, status = error_of(
        sqs.send_message,
        QueueUrl=queue_url,
        MessageBody="fine",
        MessageAttributes={"bad": {"DataType": "String", "StringValue": "nul\x00"}},
    )
    assert code in {"InvalidMessageContents", "InvalidParameterValue"}
    assert status == 400
    assert queue_counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 0


def test_empty_body_is_missing_parameter(sqs: Any, queue_url: str) -> None:
    code, message, status = error_of(sqs.send_message, QueueUrl=queue_url, MessageBody="")
    assert code == "MissingParameter"
    assert message == "The request must contain the parameter MessageBody."
    assert status == 400


# --- size ----------------------------------------------------------------------------------------


def test_body_at_default_maximum_size_is_accepted(sqs: Any, queue_url: str) -> None:
    body = "a" * MAX_MESSAGE_SIZE
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody=body)
    assert sent["MD5OfMessageBody"] == md5_of_body(body)
    message = receive_one(sqs, queue_url)
    assert len(message["Body"]) == MAX_MESSAGE_SIZE
    assert message["MD5OfBody"] == md5_of_body(body)


def test_body_one_byte_over_default_maximum_is_rejected(sqs: Any, queue_url: str) -> None:
    code, message, status = error_of(
        sqs.send_message, QueueUrl=queue_url, MessageBody="a" * (MAX_MESSAGE_SIZE + 1)
    )
    assert code == "InvalidParameterValue"
    assert status == 400
    assert message == (
        "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes."
    )
    assert queue_counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 0


def test_size_is_counted_in_utf8_bytes(sqs: Any, queue_url: str) -> None:
    two_byte = "é" * (MAX_MESSAGE_SIZE // 2)  # exactly 1 MiB of UTF-8
    sqs.send_message(QueueUrl=queue_url, MessageBody=two_byte)
    code, _, _ = error_of(sqs.send_message, QueueUrl=queue_url, MessageBody=two_byte + "a")
    assert code == "InvalidParameterValue"
    four_byte = "😀" * (MAX_MESSAGE_SIZE // 4)
    sqs.send_message(QueueUrl=queue_url, MessageBody=four_byte)
    assert queue_counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 2


def test_message_attributes_count_towards_the_size(sqs: Any, queue_url: str) -> None:
    # name (1) + data type (6) + value (93) = 100 bytes of attributes
    attributes = {"n": {"DataType": "String", "StringValue": "v" * 93}}
    fits = "a" * (MAX_MESSAGE_SIZE - 100)
    sqs.send_message(QueueUrl=queue_url, MessageBody=fits, MessageAttributes=attributes)
    code, _, _ = error_of(
        sqs.send_message, QueueUrl=queue_url, MessageBody=fits + "a", MessageAttributes=attributes
    )
    assert code == "InvalidParameterValue"
    assert queue_counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 1


def test_trace_header_does_not_count_towards_the_size(sqs: Any, queue_url: str) -> None:
    sent = sqs.send_message(
        QueueUrl=queue_url,
        MessageBody="a" * MAX_MESSAGE_SIZE,
        MessageSystemAttributes={
            "AWSTraceHeader": {"DataType": "String", "StringValue": TRACE_HEADER}
        },
    )
    assert sent["MD5OfMessageSystemAttributes"] == md5_of_trace_header(TRACE_HEADER)


def test_queue_maximum_message_size_is_enforced(sqs: Any, queue_name: str) -> None:
    url = sqs.create_queue(QueueName=queue_name, Attributes={"MaximumMessageSize": "1024"})[
        "QueueUrl"
    ]
    sqs.send_message(QueueUrl=url, MessageBody="b" * 1024)
    code, message, status = error_of(sqs.send_message, QueueUrl=url, MessageBody="b" * 1025)
    assert code == "InvalidParameterValue"
    assert status == 400
    assert "1024" in message
    attributes = {"k": {"DataType": "String", "StringValue": "v"}}  # 1 + 6 + 1 = 8 bytes
    sqs.send_message(QueueUrl=url, MessageBody="b" * 1016, MessageAttributes=attributes)
    code, _, _ = error_of(
        sqs.send_message, QueueUrl=url, MessageBody="b" * 1017, MessageAttributes=attributes
    )
    assert code == "InvalidParameterValue"
    assert queue_counters(sqs, url)["ApproximateNumberOfMessages"] == 2


# --- attribute validation ------------------------------------------------------------------------


def test_ten_attributes_are_accepted(sqs: Any, queue_url: str) -> None:
    attributes = {f"a{i}": {"DataType": "String", "StringValue": str(i)} for i in range(10)}
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="ten", MessageAttributes=attributes)
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attributes)
    message = receive_one(sqs, queue_url, MessageAttributeNames=["All"])
    assert len(message["MessageAttributes"]) == 10


def test_eleven_attributes_are_rejected(sqs: Any, queue_url: str) -> None:
    attributes = {f"a{i}": {"DataType": "String", "StringValue": str(i)} for i in range(11)}
    code, message, status = error_of(
        sqs.send_message, QueueUrl=queue_url, MessageBody="eleven", MessageAttributes=attributes
    )
    assert code == "InvalidParameterValue"
    assert status == 400
    assert message == "Number of message attributes [11] exceeds the allowed maximum [10]."
    assert queue_counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 0


@pytest.mark.parametrize(
    "name",
    ["AWS.reserved", "aws.lower", "Amazon.reserved", "AMAZON.upper", ".leading", "trailing.",
     "double..dot", "has space", "slash/name", "ümlaut", "x" * 257],
    ids=["AWS.", "aws.", "Amazon.", "AMAZON.", "leading-dot", "trailing-dot", "double-dot",
         "space", "slash", "non-ascii", "257-chars"],
)
def test_invalid_attribute_names_are_rejected(sqs: Any, queue_url: str, name: str) -> None:
    code, _, status = error_of(
        sqs.send_message,
        QueueUrl=queue_url,
        MessageBody="named",
        MessageAttributes={name: {"DataType": "String", "StringValue": "v"}},
    )
    assert code == "InvalidParameterValue"
    assert status == 400


def test_valid_attribute_name_characters_are_accepted(sqs: Any, queue_url: str) -> None:
    attributes = {
        "Az09_-.x": {"DataType": "String", "StringValue": "v"},
        "n" * 256: {"DataType": "String", "StringValue": "long name"},
        "AWSish": {"DataType": "String", "StringValue": "not the reserved prefix"},
    }
    sent = sqs.send_message(QueueUrl=queue_url, MessageBody="ok", MessageAttributes=attributes)
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attributes)


@pytest.mark.parametrize(
    "attribute",
    [
        {"DataType": "string", "StringValue": "lowercase type"},
        {"DataType": "Int", "StringValue": "1"},
        {"DataType": "Number", "StringValue": "not a number"},
        {"DataType": "String", "StringValue": ""},
        {"DataType": "Binary", "BinaryValue": b""},
        {"DataType": "String."  + "x" * 256, "StringValue": "type too long"},
    ],
    ids=["lowercase-string", "unknown-type", "number-not-numeric", "empty-string", "empty-binary",
         "type-257-chars"],
)
def test_invalid_attribute_types_and_values_are_rejected(
    sqs: Any, queue_url: str, attribute: dict[str, Any]
) -> None:
    code, _, status = error_of(
        sqs.send_message,
        QueueUrl=queue_url,
        MessageBody="typed",
        MessageAttributes={"attr": attribute},
    )
    assert code == "InvalidParameterValue"
    assert status == 400
    assert queue_counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 0


# --- unknown queue -------------------------------------------------------------------------------


def test_operations_on_a_missing_queue(sqs: Any, server: Any) -> None:
    url = f"{server.endpoint}/000000000000/no-such-queue-{time.monotonic_ns()}"
    calls: list[tuple[Callable[..., Any], dict[str, Any]]] = [
        (sqs.send_message, {"MessageBody": "x"}),
        (sqs.receive_message, {}),
        (sqs.delete_message, {"ReceiptHandle": "handle"}),
    ]
    for call, kwargs in calls:
        code, _, status = error_of(call, QueueUrl=url, **kwargs)
        assert code == "AWS.SimpleQueueService.NonExistentQueue"
        assert status == 400


def test_missing_queue_maps_to_modeled_exception(sqs: Any, server: Any) -> None:
    url = f"{server.endpoint}/000000000000/no-such-queue-{time.monotonic_ns()}"
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.send_message(QueueUrl=url, MessageBody="x")
