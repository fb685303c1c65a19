"""JSON 1.0 responses (read back by botocore's JSON parser) and the query-JSON mirror."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.parsers import create_parser

from emulator.errors import AwsError, internal_error, missing_parameter
from emulator.protocol.json_input import serialization_exception
from emulator.protocol.json_output import (
    json_error,
    json_result,
    query_error_json,
    query_result_json,
)
from emulator.sqs.errors import purge_queue_in_progress, queue_does_not_exist
from tests.unit.test_query_input import BODY, QUEUE_URL, current
from tests.unit.test_xml_output import RESULTS


def botocore_parse(name: str, body: bytes, status: int = 200, headers: Any = None) -> Any:
    return create_parser("json").parse(
        {"status_code": status, "headers": headers or {}, "body": body},
        current(name).output_shape,
    )


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_botocore_json_parser_reads_the_result(name: str) -> None:
    result = RESULTS[name]
    parsed = botocore_parse(name, json_result(current(name), result))
    parsed.pop("ResponseMetadata")
    assert parsed == (result or {})


def test_no_output_and_none_members() -> None:
    assert json_result(current("DeleteQueue"), None) == b"{}"
    assert json_result(current("ListQueues"), None) == b"{}"
    body = json_result(current("ListQueues"), {"QueueUrls": [QUEUE_URL], "NextToken": None})
    assert json.loads(body) == {"QueueUrls": [QUEUE_URL]}


def test_blobs_are_base64_and_text_is_utf8() -> None:
    result = {
        "Messages": [
            {
                "Body": BODY,
                "MessageAttributes": {"b": {"DataType": "Binary", "BinaryValue": b"\x00\xff"}},
            }
        ]
    }
    body = json_result(current("ReceiveMessage"), result)
    assert "😀".encode() in body
    document = json.loads(body)
    assert document["Messages"][0]["MessageAttributes"]["b"]["BinaryValue"] == "AP8="
    assert document["Messages"][0]["Body"] == BODY


def test_lone_surrogate_still_gives_valid_json() -> None:
    body = json_result(current("GetQueueUrl"), {"QueueUrl": "a\ud800b"})
    assert json.loads(body) == {"QueueUrl": "a\ud800b"}


@pytest.mark.parametrize(
    ("error", "json_type", "header"),
    [
        (
            queue_does_not_exist(),
            "com.amazonaws.sqs#QueueDoesNotExist",
            "AWS.SimpleQueueService.NonExistentQueue;Sender",
        ),
        (
            purge_queue_in_progress(QUEUE_URL),
            "com.amazonaws.sqs#PurgeQueueInProgress",
            "AWS.SimpleQueueService.PurgeQueueInProgress;Sender",
        ),
        (
            missing_parameter("QueueUrl"),
            "com.amazonaws.sqs#MissingParameter",
            "MissingParameter;Sender",
        ),
        (
            serialization_exception("Start of list found where not expected."),
            "com.amazon.coral.service#SerializationException",
            "SerializationException;Sender",
        ),
        (internal_error(), "com.amazonaws.sqs#InternalFailure", "InternalFailure;Receiver"),
    ],
)
def test_json_error(error: AwsError, json_type: str, header: str) -> None:
    body, headers = json_error(error)
    assert json.loads(body) == {"__type": json_type, "message": error.message}
    assert headers == {"x-amzn-query-error": header}
    parsed = botocore_parse("GetQueueUrl", body, error.status, headers)
    assert parsed["Error"]["Code"] == error.code
    assert parsed["Error"]["Message"] == error.message
    assert parsed["Error"]["Type"] == error.fault


def test_query_json_mirror_of_receive_message() -> None:
    result = {
        "Messages": [
            {
                "MessageId": "m-1",
                "ReceiptHandle": "rh",
                "MD5OfBody": "md5",
                "Body": "hello\r\n",
                "Attributes": {"ApproximateReceiveCount": "1"},
                "MessageAttributes": {"raw": {"DataType": "Binary", "BinaryValue": b"\x01"}},
            }
        ]
    }
    body = query_result_json(current("ReceiveMessage"), result, "rid")
    assert json.loads(body) == {
        "ReceiveMessageResponse": {
            "ReceiveMessageResult": {
                "messages": [
                    {
                        "Attributes": {"ApproximateReceiveCount": "1"},
                        "Body": "hello\r\n",
                        "MD5OfBody": "md5",
                        "MD5OfMessageAttributes": None,
                        "MessageAttributes": {
                            "raw": {
                                "BinaryListValues": None,
                                "BinaryValue": "AQ==",
                                "DataType": "Binary",
                                "StringListValues": None,
                                "StringValue": None,
                            }
                        },
                        "MessageId": "m-1",
                        "ReceiptHandle": "rh",
                    }
                ]
            },
            "ResponseMetadata": {"RequestId": "rid"},
        }
    }
    # Members appear in sorted order, the Result before the metadata.
    assert body.index(b'"Attributes"') < body.index(b'"Body"') < body.index(b'"ReceiptHandle"')
    assert body.index(b"ReceiveMessageResult") < body.index(b"ResponseMetadata")


def test_query_json_mirror_of_empty_results() -> None:
    body = query_result_json(current("ReceiveMessage"), None, "rid")
    assert json.loads(body) == {
        "ReceiveMessageResponse": {
            "ReceiveMessageResult": {"messages": None},
            "ResponseMetadata": {"RequestId": "rid"},
        }
    }
    body = query_result_json(current("ListQueues"), {"QueueUrls": []}, "rid")
    assert json.loads(body)["ListQueuesResponse"]["ListQueuesResult"] == {
        "NextToken": None,
        "queueUrls": [],
    }


def test_query_json_mirror_of_maps_and_operations_without_output() -> None:
    body = query_result_json(current("ListQueueTags"), {"Tags": {"a": "1", "b": "2"}}, "rid")
    assert json.loads(body) == {
        "ListQueueTagsResponse": {
            "ListQueueTagsResult": {"Tags": {"a": "1", "b": "2"}},
            "ResponseMetadata": {"RequestId": "rid"},
        }
    }
    body = query_result_json(current("PurgeQueue"), None, "rid")
    assert json.loads(body) == {"PurgeQueueResponse": {"ResponseMetadata": {"RequestId": "rid"}}}


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_query_json_mirror_is_valid_for_every_operation(name: str) -> None:
    document = json.loads(query_result_json(current(name), RESULTS[name], "rid"))
    response = document[f"{name}Response"]
    assert response["ResponseMetadata"] == {"RequestId": "rid"}
    assert (f"{name}Result" in response) == (RESULTS[name] is not None)


def test_query_json_error() -> None:
    body = query_error_json(queue_does_not_exist(), "rid")
    assert body == (
        b'{"Error":{"Code":"AWS.SimpleQueueService.NonExistentQueue",'
        b'"Message":"The specified queue does not exist.","Type":"Sender"},"RequestId":"rid"}'
    )
    assert json.loads(query_error_json(internal_error(), "r"))["Error"]["Type"] == "Receiver"
