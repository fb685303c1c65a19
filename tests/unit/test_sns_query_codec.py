"""SNS's query names, as botocore's SNS model spells them: wrapped lists (``member``), wrapped
maps (``entry`` with ``key``/``value``, or ``Name``/``Value`` for message attributes)."""

from __future__ import annotations

import xmltodict

from emulator.protocol import model, query_input, xml_output
from emulator.sns.operations import SNS_NAMESPACE, SNS_TRAITS, sns_model


def test_publish_batch_parameters_parse() -> None:
    operation = model.operation(sns_model(), "PublishBatch")
    assert operation is not None
    entry = "PublishBatchRequestEntries.member.1"
    parsed = query_input.parse_query(operation, {
        "TopicArn": "arn:aws:sns:us-east-1:000000000000:t",
        f"{entry}.Id": "a",
        f"{entry}.Message": "m",
        f"{entry}.MessageAttributes.entry.1.Name": "colour",
        f"{entry}.MessageAttributes.entry.1.Value.DataType": "String",
        f"{entry}.MessageAttributes.entry.1.Value.StringValue": "red",
        f"{entry}.MessageAttributes.entry.2.Name": "blob",
        f"{entry}.MessageAttributes.entry.2.Value.DataType": "Binary",
        f"{entry}.MessageAttributes.entry.2.Value.BinaryValue": "AAE=",
    }, SNS_TRAITS)
    assert parsed["PublishBatchRequestEntries"] == [{
        "Id": "a", "Message": "m", "MessageAttributes": {
            "colour": {"DataType": "String", "StringValue": "red"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        },
    }]


def test_create_topic_attributes_and_tags_parse() -> None:
    operation = model.operation(sns_model(), "CreateTopic")
    assert operation is not None
    parsed = query_input.parse_query(operation, {
        "Name": "t",
        "Attributes.entry.1.key": "DisplayName", "Attributes.entry.1.value": "D",
        "Tags.member.1.Key": "team", "Tags.member.1.Value": "a",
    }, SNS_TRAITS)
    assert parsed == {"Name": "t", "Attributes": {"DisplayName": "D"},
                      "Tags": [{"Key": "team", "Value": "a"}]}


def test_results_are_written_as_wrapped_collections() -> None:
    operation = model.operation(sns_model(), "GetTopicAttributes")
    assert operation is not None
    body = xml_output.query_result_xml(operation, {"Attributes": {"Owner": "1"}}, "r",
                                       namespace=SNS_NAMESPACE, traits=SNS_TRAITS)
    document = xmltodict.parse(body)["GetTopicAttributesResponse"]
    assert document["@xmlns"] == SNS_NAMESPACE
    assert document["GetTopicAttributesResult"]["Attributes"]["entry"] == {
        "key": "Owner", "value": "1"}
    operation = model.operation(sns_model(), "ListTopics")
    assert operation is not None
    body = xml_output.query_result_xml(operation, {"Topics": [{"TopicArn": "a"}]}, "r",
                                       namespace=SNS_NAMESPACE, traits=SNS_TRAITS)
    result = xmltodict.parse(body)["ListTopicsResponse"]["ListTopicsResult"]
    assert result["Topics"]["member"] == {"TopicArn": "a"}
