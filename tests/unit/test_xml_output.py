"""Query XML responses, read back by botocore's own query parser built from AWS's query model."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import pytest
from botocore.model import ServiceModel
from botocore.parsers import create_parser

from emulator.errors import AwsError, internal_error
from emulator.protocol.query_traits import MapNames, QueryTraits
from emulator.protocol.xml_output import query_error_xml, query_result_xml
from emulator.sqs.errors import purge_queue_in_progress, queue_does_not_exist
from tests.unit.test_query_input import BODY, FIFO_URL, QUEUE_URL, current, query_model

NS = "{http://queue.amazonaws.com/doc/2012-11-05/}"
REQUEST_ID = "6fde8d1e-52cd-4581-8cd9-c512f4c64223"
ARN = "arn:aws:sqs:us-east-1:000000000000"

# A realistic result for each of the 23 operations (None where the operation has no output).
RESULTS: dict[str, dict[str, Any] | None] = {
    "AddPermission": None,
    "CancelMessageMoveTask": {"ApproximateNumberOfMessagesMoved": 12345678901},
    "ChangeMessageVisibility": None,
    "ChangeMessageVisibilityBatch": {
        "Successful": [{"Id": "first"}, {"Id": "third"}],
        "Failed": [
            {
                "Id": "second",
                "SenderFault": True,
                "Code": "ReceiptHandleIsInvalid",
                "Message": 'The input receipt handle "x" is not a valid receipt handle.',
            }
        ],
    },
    "CreateQueue": {"QueueUrl": FIFO_URL},
    "DeleteMessage": None,
    "DeleteMessageBatch": {
        "Successful": [{"Id": "a"}],
        "Failed": [{"Id": "b", "SenderFault": False, "Code": "InternalError"}],
    },
    "DeleteQueue": None,
    "GetQueueAttributes": {
        "Attributes": {
            "QueueArn": f"{ARN}:orders",
            "ApproximateNumberOfMessages": "3",
            "VisibilityTimeout": "30",
            "Policy": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}',
            "RedrivePolicy": '{"deadLetterTargetArn":"arn","maxReceiveCount":5}',
            "FifoQueue": "false",
        }
    },
    "GetQueueUrl": {"QueueUrl": QUEUE_URL},
    "ListDeadLetterSourceQueues": {
        "queueUrls": [QUEUE_URL, FIFO_URL],
        "NextToken": "eyJuZXh0IjoyfQ==",
    },
    "ListMessageMoveTasks": {
        "Results": [
            {
                "TaskHandle": "handle-1",
                "Status": "RUNNING",
                "SourceArn": f"{ARN}:dlq",
                "DestinationArn": f"{ARN}:orders",
                "MaxNumberOfMessagesPerSecond": 50,
                "ApproximateNumberOfMessagesMoved": 10,
                "ApproximateNumberOfMessagesToMove": 20,
                "StartedTimestamp": 1700000000000,
            },
            {
                "Status": "FAILED",
                "SourceArn": f"{ARN}:dlq",
                "ApproximateNumberOfMessagesMoved": 0,
                "FailureReason": "AWS.SimpleQueueService.NonExistentQueue",
                "StartedTimestamp": 1690000000000,
            },
        ]
    },
    "ListQueueTags": {"Tags": {"team": "billing", "env": "dev & <test>"}},
    "ListQueues": {"QueueUrls": [QUEUE_URL, FIFO_URL], "NextToken": "next"},
    "PurgeQueue": None,
    "ReceiveMessage": {
        "Messages": [
            {
                "MessageId": "5fea7756-0ea4-451a-a703-a558b933e274",
                "ReceiptHandle": "MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSas+Cw==",
                "MD5OfBody": "fafb00f5732ab283681e124bf8747ed1",
                "Body": BODY,
                "Attributes": {
                    "SenderId": "195004372649",
                    "SentTimestamp": "1238099229000",
                    "ApproximateReceiveCount": "5",
                    "ApproximateFirstReceiveTimestamp": "1250700979248",
                },
                "MD5OfMessageAttributes": "b02f0ab1e3b1e8a8e0d9f0bf1e6f6f1a",
                "MessageAttributes": {
                    "color": {"StringValue": "blue", "DataType": "String"},
                    "raw": {"BinaryValue": b"\x00\x01\xfe\xff", "DataType": "Binary"},
                },
            },
            {
                "MessageId": "m2",
                "ReceiptHandle": "rh2",
                "MD5OfBody": "99914b932bd37a50b983c5e7c90ae93b",
                "Body": "{}",
            },
        ]
    },
    "RemovePermission": None,
    "SendMessage": {
        "MD5OfMessageBody": "fafb00f5732ab283681e124bf8747ed1",
        "MD5OfMessageAttributes": "3ae8f24a165a8cedc005670c81a27295",
        "MD5OfMessageSystemAttributes": "5ae8f24a165a8cedc005670c81a27295",
        "MessageId": "5fea7756-0ea4-451a-a703-a558b933e274",
        "SequenceNumber": "18849496460467696128",
    },
    "SendMessageBatch": {
        "Successful": [
            {
                "Id": "m1",
                "MessageId": "id-1",
                "MD5OfMessageBody": "fafb00f5732ab283681e124bf8747ed1",
                "MD5OfMessageAttributes": "3ae8f24a165a8cedc005670c81a27295",
                "SequenceNumber": "18849496460467696128",
            }
        ],
        "Failed": [
            {
                "Id": "m2",
                "SenderFault": True,
                "Code": "InvalidParameterValue",
                "Message": "One or more parameters are invalid.",
            }
        ],
    },
    "SetQueueAttributes": None,
    "StartMessageMoveTask": {"TaskHandle": "eyJ0YXNrSWQiOiJkYTFkOWRlZS1jMWRlLTRkIn0="},
    "TagQueue": None,
    "UntagQueue": None,
}


def botocore_parse(name: str, body: bytes, status: int = 200) -> dict[str, Any]:
    op = query_model().operation_model(name)
    parsed: dict[str, Any] = create_parser("query").parse(
        {"status_code": status, "headers": {}, "body": body}, op.output_shape
    )
    return parsed


def test_every_operation_has_a_sample() -> None:
    assert sorted(RESULTS) == sorted(query_model().operation_names)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_botocore_query_parser_reads_the_result(name: str) -> None:
    result = RESULTS[name]
    parsed = botocore_parse(name, query_result_xml(current(name), result, REQUEST_ID))
    metadata = parsed.pop("ResponseMetadata")
    assert metadata["RequestId"] == REQUEST_ID
    assert parsed == (result or {})


def test_envelope_with_result() -> None:
    xml = query_result_xml(current("GetQueueUrl"), {"QueueUrl": QUEUE_URL}, "r-1")
    assert (
        xml
        == (
            '<?xml version="1.0"?>'
            '<GetQueueUrlResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">'
            f"<GetQueueUrlResult><QueueUrl>{QUEUE_URL}</QueueUrl></GetQueueUrlResult>"
            "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>"
            "</GetQueueUrlResponse>"
        ).encode()
    )


def test_operation_without_output_has_no_result_element() -> None:
    xml = query_result_xml(current("DeleteQueue"), None, "r-2")
    assert xml == (
        b'<?xml version="1.0"?>'
        b'<DeleteQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">'
        b"<ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata>"
        b"</DeleteQueueResponse>"
    )


def test_empty_result_and_none_members() -> None:
    xml = query_result_xml(current("ListQueues"), {"QueueUrls": [], "NextToken": None}, "r")
    assert b"<ListQueuesResult></ListQueuesResult>" in xml
    xml = query_result_xml(current("ReceiveMessage"), None, "r")
    assert b"<ReceiveMessageResult></ReceiveMessageResult>" in xml


def test_flattened_layout() -> None:
    xml = query_result_xml(current("ReceiveMessage"), RESULTS["ReceiveMessage"], "r").decode()
    assert xml.count("<Message>") == 2
    assert "<Messages>" not in xml
    assert (
        "<Attribute><Name>SenderId</Name><Value>195004372649</Value></Attribute>"
        "<Attribute><Name>SentTimestamp</Name>"
    ) in xml
    assert (
        "<MessageAttribute><Name>color</Name><Value><StringValue>blue</StringValue>"
        "<DataType>String</DataType></Value></MessageAttribute>"
        "<MessageAttribute><Name>raw</Name><Value><BinaryValue>AAH+/w==</BinaryValue>"
        "<DataType>Binary</DataType></Value></MessageAttribute>"
    ) in xml
    xml = query_result_xml(current("ListQueueTags"), {"Tags": {"a": "1"}}, "r").decode()
    assert "<Tag><Key>a</Key><Value>1</Value></Tag>" in xml
    xml = query_result_xml(current("ListQueues"), RESULTS["ListQueues"], "r").decode()
    assert f"<QueueUrl>{QUEUE_URL}</QueueUrl><QueueUrl>{FIFO_URL}</QueueUrl>" in xml
    failed = RESULTS["SendMessageBatch"]
    xml = query_result_xml(current("SendMessageBatch"), failed, "r").decode()
    assert "<BatchResultErrorEntry><Id>m2</Id><SenderFault>true</SenderFault>" in xml
    assert "<SendMessageBatchResultEntry><Id>m1</Id>" in xml


@pytest.mark.parametrize(
    "text",
    [
        "carriage\rreturn",
        "crlf\r\nand lf\n",
        "\r",
        "tab\there",
        "  leading and trailing  ",
        "a & b < c > d ]]> e",
        "quotes \" and ' stay",
        "astral \U0001f600\U0001f680\U00010000\U0010ffff",
        "BMP \ud7ff\ue000\ufffd é 日本",
        "<![CDATA[x]]>",
        "&amp; is not unescaped",
    ],
)
def test_text_survives_xml_parsers(text: str) -> None:
    result = {"Messages": [{"MessageId": "m", "Body": text}]}
    xml = query_result_xml(current("ReceiveMessage"), result, "r")
    parsed = botocore_parse("ReceiveMessage", xml)
    assert parsed["Messages"][0]["Body"] == text
    body = ElementTree.fromstring(xml).find(f".//{NS}Body")
    assert body is not None
    assert body.text == text


def test_carriage_return_is_a_character_reference() -> None:
    xml = query_result_xml(current("GetQueueUrl"), {"QueueUrl": "a\r\nb"}, "r")
    assert b"<QueueUrl>a&#xD;\nb</QueueUrl>" in xml


def test_output_is_utf8() -> None:
    xml = query_result_xml(current("GetQueueUrl"), {"QueueUrl": "日😀"}, "r")
    assert "日😀".encode() in xml


@pytest.mark.parametrize(
    "error",
    [
        queue_does_not_exist(),
        purge_queue_in_progress(QUEUE_URL),
        internal_error(),
        AwsError("InvalidParameterValue", "Value <x> & 'y' is\r\ninvalid."),
    ],
)
def test_error_response(error: AwsError) -> None:
    xml = query_error_xml(error, REQUEST_ID)
    parsed = botocore_parse("GetQueueUrl", xml, status=error.status)
    assert parsed["Error"]["Code"] == error.code
    assert parsed["Error"]["Message"] == error.message
    assert parsed["Error"]["Type"] == error.fault
    assert parsed["ResponseMetadata"]["RequestId"] == REQUEST_ID


def test_error_response_layout() -> None:
    xml = query_error_xml(queue_does_not_exist(), "r-3")
    assert xml == (
        b'<?xml version="1.0"?>'
        b'<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">'
        b"<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>"
        b"<Message>The specified queue does not exist.</Message><Detail/></Error>"
        b"<RequestId>r-3</RequestId></ErrorResponse>"
    )
    receiver = query_error_xml(internal_error(), "r")
    assert b"<Type>Receiver</Type>" in receiver


def test_namespace_and_wrapped_collections_for_other_services() -> None:
    # A query service with wrapped lists and maps (member / entry, key / value).
    model = ServiceModel(
        {
            "metadata": {"protocol": "query", "apiVersion": "2010-03-31"},
            "operations": {
                "ListThings": {
                    "name": "ListThings",
                    "http": {"method": "POST", "requestUri": "/"},
                    "output": {"shape": "ListThingsResponse"},
                }
            },
            "shapes": {
                "ListThingsResponse": {
                    "type": "structure",
                    "members": {
                        "Things": {"shape": "ThingList"},
                        "Attributes": {"shape": "AttrMap"},
                    },
                },
                "ThingList": {"type": "list", "member": {"shape": "String"}},
                "AttrMap": {
                    "type": "map",
                    "key": {"shape": "String"},
                    "value": {"shape": "String"},
                },
                "String": {"type": "string"},
            },
        },
        service_name="things",
    )
    traits = QueryTraits(lists={}, maps={})
    xml = query_result_xml(
        model.operation_model("ListThings"),
        {"Things": ["a", "b"], "Attributes": {"k": "v"}},
        "r",
        namespace="http://sns.amazonaws.com/doc/2010-03-31/",
        traits=traits,
    )
    assert xml.decode() == (
        '<?xml version="1.0"?>'
        '<ListThingsResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">'
        "<ListThingsResult><Things><member>a</member><member>b</member></Things>"
        "<Attributes><entry><key>k</key><value>v</value></entry></Attributes>"
        "</ListThingsResult>"
        "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListThingsResponse>"
    )
    flattened = QueryTraits(lists={"ThingList": "Thing"}, maps={"AttrMap": MapNames("Attr")})
    xml = query_result_xml(
        model.operation_model("ListThings"),
        {"Things": ["a"], "Attributes": {"k": "v"}},
        "r",
        traits=flattened,
    )
    assert b"<Thing>a</Thing><Attr><Name>k</Name><Value>v</Value></Attr>" in xml
    error = query_error_xml(queue_does_not_exist(), "r", namespace="urn:x")
    assert b'<ErrorResponse xmlns="urn:x">' in error
