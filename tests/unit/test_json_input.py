"""JSON 1.0 requests, checked against botocore's own JSON serializer on the current SQS model."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.serialize import create_serializer

from emulator.errors import AwsError
from emulator.protocol.json_input import SERIALIZATION_TYPE, parse_json
from tests.unit.test_query_input import REQUESTS, current

JSON_REQUESTS: dict[str, dict[str, Any]] = {
    **REQUESTS,
    "ReceiveMessage": {
        **REQUESTS["ReceiveMessage"],
        "MessageSystemAttributeNames": ["SentTimestamp", "MessageGroupId"],
    },
}


def botocore_json_body(name: str, params: dict[str, Any]) -> bytes:
    request = create_serializer("json").serialize_to_request(params, current(name))
    body = request["body"]
    return body.encode("utf-8") if isinstance(body, str) else body


def error_of(name: str, body: bytes | str | Any) -> AwsError:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    with pytest.raises(AwsError) as info:
        parse_json(current(name), raw)
    return info.value


@pytest.mark.parametrize("name", sorted(JSON_REQUESTS))
def test_botocore_json_request_round_trips(name: str) -> None:
    params = JSON_REQUESTS[name]
    assert parse_json(current(name), botocore_json_body(name, params)) == params


@pytest.mark.parametrize("body", [b"", b"  \n", b"{}"])
def test_empty_body_is_an_empty_request(body: bytes) -> None:
    assert parse_json(current("ListQueues"), body) == {}


def test_unknown_members_and_nulls_are_ignored() -> None:
    body = {"QueueUrl": "q", "Bogus": [1, 2], "MaxNumberOfMessages": None, "WaitTimeSeconds": 3}
    assert parse_json(current("ReceiveMessage"), json.dumps(body).encode()) == {
        "QueueUrl": "q",
        "WaitTimeSeconds": 3,
    }
    # An unknown member is not type-checked either.
    body = {"TaskHandle": "t", "ApproximateNumberOfMessagesMoved": "not a number"}
    assert parse_json(current("CancelMessageMoveTask"), json.dumps(body).encode()) == {
        "TaskHandle": "t"
    }


def test_required_collections_absent_become_empty() -> None:
    body = json.dumps({"QueueUrl": "q"}).encode()
    assert parse_json(current("SendMessageBatch"), body) == {"QueueUrl": "q", "Entries": []}
    assert parse_json(current("TagQueue"), body) == {"QueueUrl": "q", "Tags": {}}


def test_body_text_survives() -> None:
    text = "a\r\nb\t\u0000c 😀 \U0010ffff"
    body = json.dumps({"QueueUrl": "q", "MessageBody": text}).encode()
    assert parse_json(current("SendMessage"), body)["MessageBody"] == text


MISSING = "The request must contain the parameter {}."


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("CreateQueue", {}, MISSING.format("QueueName")),
        ("SendMessage", {"QueueUrl": "q"}, MISSING.format("MessageBody")),
        ("GetQueueUrl", {"QueueName": None}, MISSING.format("QueueName")),
        (
            "SendMessageBatch",
            {"QueueUrl": "q", "Entries": [{"Id": "a", "MessageBody": "x"}, {"MessageBody": "y"}]},
            MISSING.format("SendMessageBatchRequestEntry.2.Id"),
        ),
        (
            "ChangeMessageVisibilityBatch",
            {"QueueUrl": "q", "Entries": [{"ReceiptHandle": "r"}]},
            MISSING.format("ChangeMessageVisibilityBatchRequestEntry.1.Id"),
        ),
        (
            "SendMessage",
            {
                "QueueUrl": "q",
                "MessageBody": "b",
                "MessageAttributes": {
                    "ok": {"DataType": "String", "StringValue": "v"},
                    "bad": {"StringValue": "v"},
                },
            },
            MISSING.format("MessageAttribute.2.Value.DataType"),
        ),
        (
            "SendMessageBatch",
            {
                "QueueUrl": "q",
                "Entries": [
                    {
                        "Id": "a",
                        "MessageBody": "b",
                        "MessageSystemAttributes": {"AWSTraceHeader": {"StringValue": "x"}},
                    }
                ],
            },
            MISSING.format(
                "SendMessageBatchRequestEntry.1.MessageSystemAttribute.1.Value.DataType"
            ),
        ),
    ],
)
def test_missing_parameters(name: str, body: dict[str, Any], message: str) -> None:
    error = error_of(name, body)
    assert error.code == error.json_type == "MissingParameter"
    assert error.message == message
    assert error.status == 400


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("ListQueues", b"{", None),
        ("ListQueues", b'{"QueueNamePrefix": "a",}', None),
        ("ListQueues", b"\xff\xfe{}", None),
        ("ListQueues", b'{"QueueNamePrefix": "\xc3\x28"}', None),
        ("ListQueues", b"[]", "Start of list found where not expected."),
        ("ListQueues", b'"text"', "Unexpected value type in payload"),
        ("ListQueues", b"42", "Unexpected value type in payload"),
        ("ListQueues", b"null", "Unexpected value type in payload"),
        ("SendMessage", b'{"QueueUrl": "q", "MessageBody": NaN}', None),
        ("ListQueues", {"MaxResults": "10"}, "STRING_VALUE cannot be converted to Integer"),
        ("ListQueues", {"MaxResults": True}, "TRUE_VALUE cannot be converted to Integer"),
        ("ListQueues", {"MaxResults": 1.5}, "DECIMAL_VALUE cannot be converted to Integer"),
        ("ListQueues", {"MaxResults": 2**31}, "Numeric value (2147483648) out of range of integer"),
        ("ListQueues", {"QueueNamePrefix": 5}, "NUMBER_VALUE cannot be converted to String"),
        ("ListQueues", {"QueueNamePrefix": False}, "FALSE_VALUE cannot be converted to String"),
        (
            "ListQueues",
            {"QueueNamePrefix": {}},
            "Start of structure or map found where not expected.",
        ),
        ("ListQueues", {"QueueNamePrefix": ["a"]}, "Start of list found where not expected."),
        ("GetQueueAttributes", {"QueueUrl": "q", "AttributeNames": "All"}, "Unexpected field type"),
        (
            "GetQueueAttributes",
            {"QueueUrl": "q", "AttributeNames": {"a": "All"}},
            "Start of structure or map found where not expected.",
        ),
        (
            "GetQueueAttributes",
            {"QueueUrl": "q", "AttributeNames": ["All", 1]},
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            "SetQueueAttributes",
            {"QueueUrl": "q", "Attributes": ["DelaySeconds"]},
            "Start of list found where not expected.",
        ),
        (
            "SetQueueAttributes",
            {"QueueUrl": "q", "Attributes": {"DelaySeconds": 5}},
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            "SendMessageBatch",
            {"QueueUrl": "q", "Entries": ["x"]},
            "Unexpected value type in payload",
        ),
        (
            "SendMessage",
            {
                "QueueUrl": "q",
                "MessageBody": "b",
                "MessageAttributes": {"k": {"DataType": "Binary", "BinaryValue": "AAE"}},
            },
            None,
        ),
        (
            "SendMessage",
            {
                "QueueUrl": "q",
                "MessageBody": "b",
                "MessageAttributes": {"k": {"DataType": "Binary", "BinaryValue": 12}},
            },
            "only base-64-encoded strings are convertible to bytes",
        ),
    ],
)
def test_serialization_errors(name: str, body: Any, message: str | None) -> None:
    error = error_of(name, body)
    assert error.code == "SerializationException"
    assert error.json_type == SERIALIZATION_TYPE
    assert error.status == 400
    if message is not None:
        assert error.message == message
