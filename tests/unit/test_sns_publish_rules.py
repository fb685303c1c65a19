"""Publish validation with AWS's errors: message, subject, attributes, size, MessageStructure,
FIFO ids."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from emulator.errors import AwsError
from emulator.sns import publish_rules as rules


def fails(call: Any, *args: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(AwsError) as caught:
        call(*args, **kwargs)
    return caught.value.code, caught.value.message


def test_message_and_subject() -> None:
    assert fails(rules.check_message, "") == (
        "InvalidParameter", "Invalid parameter: Empty message")
    rules.check_subject(None)
    rules.check_subject("Order 7: shipped!")
    rules.check_subject("caf\u00e9 " + "x" * 94)
    for bad in ("", "x" * 100, "line\nbreak", "tab\there", "bell\x07"):
        assert fails(rules.check_subject, bad) == ("InvalidParameter", "Invalid parameter: Subject")


def test_size_counts_the_message_and_every_attribute_part() -> None:
    attributes = {"ab": {"DataType": "String", "StringValue": "xyz"},
                  "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}}
    assert rules.message_size("é", attributes) == 2 + (2 + 6 + 3) + (1 + 6 + 2)
    rules.check_size("x" * rules.MAX_MESSAGE_BYTES, None)
    assert fails(rules.check_size, "x" * (rules.MAX_MESSAGE_BYTES + 1), None) == (
        "InvalidParameter", "Invalid parameter: Message too long")


@pytest.mark.parametrize(("attributes", "message"), [
    ({"n": {"DataType": "Number", "StringValue": "1e"}},
     "Could not cast message attribute 'n' value to number."),
    ({"s": {"DataType": "String", "StringValue": ""}},
     "The message attribute 's' must contain non-empty message attribute value for message "
     "attribute type 'String'."),
    ({"t": {"DataType": "Text", "StringValue": "x"}},
     "The message attribute 't' has an invalid message attribute type, the set of supported "
     "type prefixes is Binary, Number, and String."),
    ({"b": {"DataType": "Binary"}},
     "The message attribute 'b' must contain non-empty message attribute value for message "
     "attribute type 'Binary'."),
])
def test_attribute_errors(attributes: dict[str, Any], message: str) -> None:
    assert fails(rules.check_attributes, attributes) == ("ParameterValueInvalid", message)


def test_valid_attributes() -> None:
    rules.check_attributes({
        "s": {"DataType": "String.custom", "StringValue": "x"},
        "n": {"DataType": "Number", "StringValue": "-1.5E3"},
        "a": {"DataType": "String.Array", "StringValue": '["a", 1, true]'},
        "b": {"DataType": "Binary", "BinaryValue": b"\x00"},
    })
    assert fails(rules.check_attributes, {
        "a": {"DataType": "String.Array", "StringValue": "not json"}})[0] == "ParameterValueInvalid"


def test_message_structure() -> None:
    assert rules.parse_structure("x", None) is None
    parsed = rules.parse_structure('{"default": "d", "sqs": "q"}', "json")
    assert parsed is not None
    assert rules.message_for("sqs", "raw", parsed) == "q"
    assert rules.message_for("http", "raw", parsed) == "d"
    assert rules.message_for("http", "raw", None) == "raw"
    assert fails(rules.parse_structure, '{"sqs": "q"}', "json")[1] == (
        "Invalid parameter: Message Structure - No default entry in JSON message body")
    for bad in ("[]", "nope", '{"default": 1}'):
        assert fails(rules.parse_structure, bad, "json")[1] == (
            "Invalid parameter: Message Structure - JSON message body failed to parse")
    assert fails(rules.parse_structure, "{}", "xml")[1] == "Invalid parameter: MessageStructure"


def test_fifo_fields() -> None:
    def check(**kwargs: Any) -> Any:
        base = {"fifo": True, "content_based": False, "message": "m", "group_id": "g",
                "deduplication_id": None}
        return rules.check_fifo_fields(**{**base, **kwargs})

    assert check(deduplication_id="d") == rules.FifoFields("g", "d")
    assert check(content_based=True) == rules.FifoFields("g", hashlib.sha256(b"m").hexdigest())
    assert fails(check, group_id=None, deduplication_id="d")[1] == (
        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
    assert fails(check)[1] == (
        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
        "MessageDeduplicationId provided explicitly")
    assert fails(check, group_id="has space", deduplication_id="d")[0] == "InvalidParameter"
    assert check(fifo=False, group_id=None) is None
    assert check(fifo=False, group_id="g") is None
    assert "MessageDeduplicationId" in fails(check, fifo=False, deduplication_id="d")[1]
