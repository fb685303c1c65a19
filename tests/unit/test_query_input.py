"""Query requests: form decoding and parsing, checked against botocore's own query serializer.

The serializer is built from AWS's published query model of SQS (botocore 1.31.0), so the
parameter names it produces are AWS's, not Kyu's tables.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest
from botocore.awsrequest import AWSRequest
from botocore.model import OperationModel, ServiceModel
from botocore.serialize import create_serializer

from emulator.errors import AwsError
from emulator.protocol.model import operation, sqs_model
from emulator.protocol.query_input import decode_form, parse_query
from tests.support.query_model import model_search_path

QUEUE_URL = "http://127.0.0.1:4566/000000000000/orders"
FIFO_URL = "http://127.0.0.1:4566/000000000000/orders.fifo"
BODY = 'line1\r\nline2\ttab & <xml> "quotes" é 日本 😀 \U0001f680 end '

# A realistic request for each of the 23 operations, in the kwargs form. The query model of
# 1.31.0 predates MessageSystemAttributeNames, which has its own test below.
REQUESTS: dict[str, dict[str, Any]] = {
    "AddPermission": {
        "QueueUrl": QUEUE_URL,
        "Label": "AllowSend",
        "AWSAccountIds": ["111122223333", "444455556666"],
        "Actions": ["SendMessage", "ReceiveMessage"],
    },
    "CancelMessageMoveTask": {"TaskHandle": "eyJ0YXNrSWQiOiJkYTFkOWRlZS1jMWRlLTRkIn0="},
    "ChangeMessageVisibility": {
        "QueueUrl": QUEUE_URL,
        "ReceiptHandle": "AQEB+abc/def==",
        "VisibilityTimeout": 60,
    },
    "ChangeMessageVisibilityBatch": {
        "QueueUrl": QUEUE_URL,
        "Entries": [
            {"Id": "first", "ReceiptHandle": "rh-1", "VisibilityTimeout": 0},
            {"Id": "second", "ReceiptHandle": "rh-2", "VisibilityTimeout": 43200},
        ],
    },
    "CreateQueue": {
        "QueueName": "orders.fifo",
        "Attributes": {
            "FifoQueue": "true",
            "ContentBasedDeduplication": "true",
            "VisibilityTimeout": "45",
            "RedrivePolicy": '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq",'
            '"maxReceiveCount":"5"}',
        },
        "tags": {"team": "billing", "env": "dev"},
    },
    "DeleteMessage": {"QueueUrl": QUEUE_URL, "ReceiptHandle": "AQEB+abc/def=="},
    "DeleteMessageBatch": {
        "QueueUrl": QUEUE_URL,
        "Entries": [{"Id": "a", "ReceiptHandle": "rh-a"}, {"Id": "b", "ReceiptHandle": "rh-b"}],
    },
    "DeleteQueue": {"QueueUrl": QUEUE_URL},
    "GetQueueAttributes": {"QueueUrl": QUEUE_URL, "AttributeNames": ["All", "QueueArn"]},
    "GetQueueUrl": {"QueueName": "orders", "QueueOwnerAWSAccountId": "000000000000"},
    "ListDeadLetterSourceQueues": {"QueueUrl": QUEUE_URL, "NextToken": "tok", "MaxResults": 10},
    "ListMessageMoveTasks": {
        "SourceArn": "arn:aws:sqs:us-east-1:000000000000:dlq",
        "MaxResults": 5,
    },
    "ListQueueTags": {"QueueUrl": QUEUE_URL},
    "ListQueues": {"QueueNamePrefix": "ord", "NextToken": "next", "MaxResults": 1000},
    "PurgeQueue": {"QueueUrl": QUEUE_URL},
    "ReceiveMessage": {
        "QueueUrl": FIFO_URL,
        "AttributeNames": ["All"],
        "MessageAttributeNames": ["trace.*", "color"],
        "MaxNumberOfMessages": 10,
        "VisibilityTimeout": 30,
        "WaitTimeSeconds": 20,
        "ReceiveRequestAttemptId": "attempt-1",
    },
    "RemovePermission": {"QueueUrl": QUEUE_URL, "Label": "AllowSend"},
    "SendMessage": {
        "QueueUrl": FIFO_URL,
        "MessageBody": BODY,
        "DelaySeconds": 0,
        "MessageAttributes": {
            "color": {"DataType": "String", "StringValue": "blue"},
            "count": {"DataType": "Number", "StringValue": "-12.5e3"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff"},
            "lists": {
                "DataType": "String.custom",
                "StringValue": "x",
                "StringListValues": ["a", "b"],
                "BinaryListValues": [b"\x01", b"\x02\x03"],
            },
        },
        "MessageSystemAttributes": {
            "AWSTraceHeader": {
                "DataType": "String",
                "StringValue": "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
            }
        },
        "MessageDeduplicationId": "dedup-1",
        "MessageGroupId": "group-1",
    },
    "SendMessageBatch": {
        "QueueUrl": QUEUE_URL,
        "Entries": [
            {
                "Id": "m1",
                "MessageBody": BODY,
                "DelaySeconds": 900,
                "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}},
            },
            {
                "Id": "m2",
                "MessageBody": "{}",
                "MessageSystemAttributes": {
                    "AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-a-b"}
                },
                "MessageGroupId": "g",
                "MessageDeduplicationId": "d",
            },
        ],
    },
    "SetQueueAttributes": {
        "QueueUrl": QUEUE_URL,
        "Attributes": {"DelaySeconds": "10", "Policy": '{"Version":"2012-10-17"}'},
    },
    "StartMessageMoveTask": {
        "SourceArn": "arn:aws:sqs:us-east-1:000000000000:dlq",
        "DestinationArn": "arn:aws:sqs:us-east-1:000000000000:orders",
        "MaxNumberOfMessagesPerSecond": 50,
    },
    "TagQueue": {"QueueUrl": QUEUE_URL, "Tags": {"team": "billing", "cost-center": "42"}},
    "UntagQueue": {"QueueUrl": QUEUE_URL, "TagKeys": ["team", "cost-center"]},
}


@functools.cache
def query_model() -> ServiceModel:
    """AWS's own query model of SQS (botocore 1.31.0)."""
    path = model_search_path() / "sqs" / "2012-11-05" / "service-2.json"
    return ServiceModel(json.loads(path.read_text()), service_name="sqs")


def current(name: str) -> OperationModel:
    op = operation(sqs_model(), name)
    assert op is not None
    return op


def botocore_query_body(name: str, params: dict[str, Any]) -> bytes:
    """The form body botocore's query client sends for ``params``."""
    op = query_model().operation_model(name)
    request = create_serializer("query").serialize_to_request(params, op)
    prepared = AWSRequest(
        method="POST", url="https://sqs.us-east-1.amazonaws.com/", data=request["body"]
    ).prepare()
    body = prepared.body
    return body.encode("ascii") if isinstance(body, str) else body


def parse(name: str, raw: bytes) -> dict[str, Any]:
    return parse_query(current(name), decode_form(raw))


def error_of(name: str, raw: bytes) -> AwsError:
    with pytest.raises(AwsError) as info:
        parse(name, raw)
    return info.value


def test_every_operation_has_a_sample() -> None:
    assert sorted(REQUESTS) == sorted(sqs_model().operation_names)
    assert len(REQUESTS) == 23


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_botocore_query_request_round_trips(name: str) -> None:
    params = REQUESTS[name]
    assert parse(name, botocore_query_body(name, params)) == params


def test_botocore_empty_batch_marker_is_an_empty_list() -> None:
    body = botocore_query_body("SendMessageBatch", {"QueueUrl": QUEUE_URL, "Entries": []})
    assert b"Entries=" in body
    assert parse("SendMessageBatch", body) == {"QueueUrl": QUEUE_URL, "Entries": []}


def test_message_system_attribute_names() -> None:
    raw = (
        b"Action=ReceiveMessage&QueueUrl=q&MessageSystemAttributeName.1=SentTimestamp"
        b"&MessageSystemAttributeName.2=All"
    )
    assert parse("ReceiveMessage", raw) == {
        "QueueUrl": "q",
        "MessageSystemAttributeNames": ["SentTimestamp", "All"],
    }


def test_lists_follow_index_order_and_skip_garbage() -> None:
    raw = (
        b"QueueUrl=q&AttributeName.10=ten&AttributeName.2=two&AttributeName.0=zero"
        b"&AttributeName.x=x&AttributeName.-1=neg&AttributeName.01=lead&AttributeName.1=one"
        b"&AttributeName.99999999999999999999=huge"
    )
    assert parse("GetQueueAttributes", raw)["AttributeNames"] == ["one", "two", "ten"]


def test_map_entries_and_tags_use_their_own_names() -> None:
    raw = (
        b"QueueName=q&Attribute.2.Name=DelaySeconds&Attribute.2.Value=5"
        b"&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=&Tag.1.Key=k&Tag.1.Value=v"
    )
    assert parse("CreateQueue", raw) == {
        "QueueName": "q",
        "Attributes": {"VisibilityTimeout": "", "DelaySeconds": "5"},
        "tags": {"k": "v"},
    }


def test_unknown_and_common_parameters_are_ignored() -> None:
    raw = (
        b"Action=DeleteQueue&Version=2012-11-05&QueueUrl=q&AWSAccessKeyId=AKID&Signature=x"
        b"&SignatureMethod=HmacSHA256&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc"
        b"&Bogus.1.Thing=2&QueueUrl.1=nested"
    )
    assert parse("DeleteQueue", raw) == {"QueueUrl": "q"}


def test_required_collections_absent_become_empty() -> None:
    assert parse("SetQueueAttributes", b"QueueUrl=q") == {"QueueUrl": "q", "Attributes": {}}
    assert parse("SendMessageBatch", b"QueueUrl=q") == {"QueueUrl": "q", "Entries": []}


def test_operation_without_input_members() -> None:
    assert parse("ListQueues", b"Action=ListQueues") == {}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", {}),
        (b"a=1&b=2", {"a": "1", "b": "2"}),
        (b"a=x+y%20z", {"a": "x y z"}),
        (b"a=%2B%26%3D", {"a": "+&="}),
        (b"a=1&a=2", {"a": "1"}),
        (b"flag&&=empty&b=", {"flag": "", "": "empty", "b": ""}),
        (b"k=%F0%9F%98%80%E6%97%A5", {"k": "😀日"}),
        (b"k=%0D%0A", {"k": "\r\n"}),
        ("caf\u00e9=th\u00e9".encode(), {"café": "thé"}),
    ],
)
def test_decode_form(raw: bytes, expected: dict[str, str]) -> None:
    assert decode_form(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [b"a=%", b"a=%4", b"a=%zz", b"a%G1=1", b"a=%FF", b"a=%C3%28", b"a=\xff", b"%80=1"],
)
def test_decode_form_rejects_broken_input(raw: bytes) -> None:
    with pytest.raises(AwsError) as info:
        decode_form(raw)
    assert info.value.code == "MalformedQueryString"
    assert info.value.status == 400


E = "SendMessageBatchRequestEntry"
MISSING = "The request must contain the parameter {}."


@pytest.mark.parametrize(
    ("name", "raw", "code", "message"),
    [
        ("CreateQueue", b"Action=CreateQueue", "MissingParameter", MISSING.format("QueueName")),
        ("SendMessage", b"QueueUrl=q", "MissingParameter", MISSING.format("MessageBody")),
        ("DeleteQueue", b"QueueUrl.1=q", "MissingParameter", MISSING.format("QueueUrl")),
        (
            "ChangeMessageVisibility",
            b"QueueUrl=q&ReceiptHandle=r",
            "MissingParameter",
            MISSING.format("VisibilityTimeout"),
        ),
        (
            "SendMessageBatch",
            f"QueueUrl=q&{E}.1.Id=a&{E}.1.MessageBody=x&{E}.3.MessageBody=y".encode(),
            "MissingParameter",
            MISSING.format(f"{E}.3.Id"),
        ),
        (
            "SendMessageBatch",
            f"QueueUrl=q&{E}.1.Id=a".encode(),
            "MissingParameter",
            MISSING.format(f"{E}.1.MessageBody"),
        ),
        (
            "DeleteMessageBatch",
            b"QueueUrl=q&DeleteMessageBatchRequestEntry.1.Id=a",
            "MissingParameter",
            MISSING.format("DeleteMessageBatchRequestEntry.1.ReceiptHandle"),
        ),
        (
            "SendMessage",
            b"QueueUrl=q&MessageBody=b&MessageAttribute.2.Name=k"
            b"&MessageAttribute.2.Value.StringValue=v",
            "MissingParameter",
            MISSING.format("MessageAttribute.2.Value.DataType"),
        ),
        (
            "SendMessageBatch",
            f"QueueUrl=q&{E}.4.Id=a&{E}.4.MessageBody=b&{E}.4.MessageAttribute.7.Name=k"
            f"&{E}.4.MessageAttribute.7.Value.StringValue=v".encode(),
            "MissingParameter",
            MISSING.format(f"{E}.4.MessageAttribute.7.Value.DataType"),
        ),
        (
            "SendMessage",
            b"QueueUrl=q&MessageBody=b&MessageAttribute.1.Value.DataType=String"
            b"&MessageAttribute.1.Value.StringValue=v",
            "MissingParameter",
            MISSING.format("MessageAttribute.1.Name"),
        ),
        (
            "SendMessage",
            b"QueueUrl=q&MessageBody=b&MessageAttribute.1.Name=k",
            "MissingParameter",
            MISSING.format("MessageAttribute.1.Value"),
        ),
        (
            "SetQueueAttributes",
            b"QueueUrl=q&Attribute.1.Value=5",
            "MissingParameter",
            MISSING.format("Attribute.1.Name"),
        ),
        (
            "TagQueue",
            b"QueueUrl=q&Tag.1.Key=k",
            "MissingParameter",
            MISSING.format("Tag.1.Value"),
        ),
        (
            "ReceiveMessage",
            b"QueueUrl=q&MaxNumberOfMessages=abc",
            "InvalidParameterValue",
            "Value abc for parameter MaxNumberOfMessages is invalid. Reason: Must be an integer.",
        ),
        (
            "ReceiveMessage",
            b"QueueUrl=q&WaitTimeSeconds=1.5",
            "InvalidParameterValue",
            "Value 1.5 for parameter WaitTimeSeconds is invalid. Reason: Must be an integer.",
        ),
        (
            "ReceiveMessage",
            b"QueueUrl=q&VisibilityTimeout=",
            "InvalidParameterValue",
            "Value  for parameter VisibilityTimeout is invalid. Reason: Must be an integer.",
        ),
        (
            "SendMessage",
            b"QueueUrl=q&MessageBody=b&DelaySeconds=2147483648",
            "InvalidParameterValue",
            "Value 2147483648 for parameter DelaySeconds is invalid. Reason: Must be an integer.",
        ),
        (
            "SendMessageBatch",
            f"QueueUrl=q&{E}.2.Id=a&{E}.2.MessageBody=b&{E}.2.DelaySeconds=soon".encode(),
            "InvalidParameterValue",
            f"Value soon for parameter {E}.2.DelaySeconds is invalid. Reason: Must be an integer.",
        ),
        (
            "SendMessage",
            b"QueueUrl=q&MessageBody=b&MessageAttribute.1.Name=k"
            b"&MessageAttribute.1.Value.DataType=Binary&MessageAttribute.1.Value.BinaryValue=%%%",
            "MalformedQueryString",
            None,
        ),
        (
            "SendMessage",
            b"QueueUrl=q&MessageBody=b&MessageAttribute.1.Name=k"
            b"&MessageAttribute.1.Value.DataType=Binary&MessageAttribute.1.Value.BinaryValue=AAE",
            "InvalidParameterValue",
            "Value for parameter MessageAttribute.1.Value.BinaryValue is invalid. "
            "Reason: Must be a valid base64 string.",
        ),
        (
            "SendMessage",
            b"QueueUrl=q&MessageBody=b&MessageAttribute.1.Name=k"
            b"&MessageAttribute.1.Value.DataType=Binary"
            b"&MessageAttribute.1.Value.BinaryListValue.1=not*base64",
            "InvalidParameterValue",
            "Value for parameter MessageAttribute.1.Value.BinaryListValue.1 is invalid. "
            "Reason: Must be a valid base64 string.",
        ),
    ],
)
def test_parse_errors(name: str, raw: bytes, code: str, message: str | None) -> None:
    error = error_of(name, raw)
    assert error.code == code
    assert error.status == 400
    assert error.fault == "Sender"
    if message is not None:
        assert error.message == message


def test_base64_with_line_breaks_is_accepted() -> None:
    raw = (
        b"QueueUrl=q&MessageBody=b&MessageAttribute.1.Name=k"
        b"&MessageAttribute.1.Value.DataType=Binary"
        b"&MessageAttribute.1.Value.BinaryValue=AAEC%0D%0AAwQF"
    )
    attrs = parse("SendMessage", raw)["MessageAttributes"]
    assert attrs == {"k": {"DataType": "Binary", "BinaryValue": bytes(range(6))}}


def test_signed_get_query_string() -> None:
    raw = (
        b"Action=GetQueueUrl&QueueName=my-queue&Version=2012-11-05"
        b"&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        b"&X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fsqs%2Faws4_request"
        b"&X-Amz-Date=20240101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=deadbeef"
    )
    assert parse("GetQueueUrl", raw) == {"QueueName": "my-queue"}
