"""Regressions found by fuzzing: inputs that once made Kyu answer 500 or malformed documents."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from emulator.errors import AwsError
from emulator.protocol import json_input
from emulator.protocol.model import sqs_model
from emulator.protocol.xml_output import query_error_xml
from emulator.sqs.errors import receipt_handle_is_invalid
from emulator.sqs.queue_attributes import validate_attributes

NS = "{http://queue.amazonaws.com/doc/2012-11-05/}"


@pytest.mark.parametrize("bad", ["\x00", "\x1f", "\x0b", "\ufffe", "\uffff", "\ud800"])
def test_an_error_echoing_xml_forbidden_characters_is_still_well_formed_xml(bad: str) -> None:
    document = query_error_xml(receipt_handle_is_invalid(f"a{bad}b"), "req-1")
    root = ET.fromstring(document)
    message = root.findtext(f"{NS}Error/{NS}Message")
    assert message == 'The input receipt handle "a\ufffdb" is not a valid receipt handle.'


def test_deeply_nested_json_is_a_serialization_error() -> None:
    op = sqs_model().operation_model("ListQueues")
    with pytest.raises(AwsError) as caught:
        json_input.parse_json(op, b"[" * 100_000 + b"]" * 100_000)
    assert caught.value.code == "SerializationException"


@pytest.mark.parametrize("name", ["Policy", "RedrivePolicy", "RedriveAllowPolicy"])
def test_deeply_nested_json_in_a_queue_attribute_is_an_invalid_value(name: str) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    with pytest.raises(AwsError) as caught:
        validate_attributes({name: nested}, fifo=False, creating=False)
    assert caught.value.status == 400
