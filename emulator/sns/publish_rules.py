"""Pure rules of Publish and PublishBatch: message, subject, attributes, size, MessageStructure,
FIFO group and deduplication ids. Every check raises the error AWS answers with."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from emulator.sns.errors import invalid_parameter, parameter_value_invalid

MAX_MESSAGE_BYTES = 256 * 1024
MAX_SUBJECT = 100
DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000
_ID = re.compile(r"[A-Za-z0-9!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]{1,128}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,256}")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
DATA_TYPE_PREFIXES = ("String", "Number", "Binary")

Attributes = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class FifoFields:
    group_id: str
    deduplication_id: str


def check_message(message: str) -> None:
    if message == "":
        raise invalid_parameter("Invalid parameter: Empty message")


def check_subject(subject: str | None) -> None:
    """UTF-8 text without line breaks or control characters, less than 100 characters long."""
    if subject is None:
        return
    if not subject or len(subject) >= MAX_SUBJECT or _CONTROL.search(subject):
        raise invalid_parameter("Invalid parameter: Subject")


def data_type_base(data_type: str) -> str:
    """String.Array keeps its name; any other custom label reduces to its base type."""
    if data_type == "String.Array":
        return data_type
    return data_type.split(".", 1)[0]


def check_attributes(attributes: Attributes | None) -> None:
    for name, value in (attributes or {}).items():
        if not _ATTRIBUTE_NAME.fullmatch(name) or name.lower().startswith(("aws.", "amazon.")):
            raise parameter_value_invalid(f"Invalid attribute name: {name}")
        data_type = str(value.get("DataType") or "")
        base = data_type_base(data_type)
        if base not in (*DATA_TYPE_PREFIXES, "String.Array"):
            raise parameter_value_invalid(
                f"The message attribute '{name}' has an invalid message attribute type, the set "
                "of supported type prefixes is Binary, Number, and String."
            )
        if base == "Binary":
            if not value.get("BinaryValue"):
                raise _empty_value(name, data_type)
            continue
        text = value.get("StringValue")
        if text is None or text == "":
            raise _empty_value(name, data_type)
        if base == "Number" and not _is_number(text):
            raise parameter_value_invalid(
                f"Could not cast message attribute '{name}' value to number."
            )
        if base == "String.Array" and not _is_json_array(text):
            raise parameter_value_invalid(
                f"Invalid attribute value: the value of the message attribute '{name}' of type "
                "'String.Array' must be a JSON array."
            )


def _empty_value(name: str, data_type: str) -> Exception:
    return parameter_value_invalid(
        f"The message attribute '{name}' must contain non-empty message attribute value for "
        f"message attribute type '{data_type}'."
    )


def _is_number(text: str) -> bool:
    if not _NUMBER.fullmatch(text):
        return False
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def _is_json_array(text: str) -> bool:
    try:
        return isinstance(json.loads(text), list)
    except ValueError:
        return False


def message_size(message: str, attributes: Attributes | None) -> int:
    """Bytes counted against the 256 KiB limit: the message and every attribute's parts."""
    size = len(message.encode("utf-8", "surrogatepass"))
    for name, value in (attributes or {}).items():
        size += len(name.encode()) + len(str(value.get("DataType") or "").encode())
        if value.get("BinaryValue") is not None:
            size += len(value["BinaryValue"])
        else:
            size += len(str(value.get("StringValue") or "").encode("utf-8", "surrogatepass"))
    return size


def check_size(message: str, attributes: Attributes | None) -> int:
    size = message_size(message, attributes)
    if size > MAX_MESSAGE_BYTES:
        raise invalid_parameter("Invalid parameter: Message too long")
    return size


def parse_structure(message: str, structure: str | None) -> dict[str, str] | None:
    """Per-protocol messages of ``MessageStructure=json`` (None without a structure)."""
    if structure is None:
        return None
    if structure != "json":
        raise invalid_parameter("Invalid parameter: MessageStructure")
    try:
        document = json.loads(message)
    except ValueError:
        document = None
    if not isinstance(document, dict) or not all(
        isinstance(value, str) for value in document.values()
    ):
        raise invalid_parameter(
            "Invalid parameter: Message Structure - JSON message body failed to parse"
        )
    if "default" not in document:
        raise invalid_parameter(
            "Invalid parameter: Message Structure - No default entry in JSON message body"
        )
    return document


def message_for(protocol: str, message: str, structure: Mapping[str, str] | None) -> str:
    if structure is None:
        return message
    return structure.get(protocol, structure["default"])


def _check_id(name: str, value: str) -> None:
    if not _ID.fullmatch(value):
        raise invalid_parameter(
            f"Invalid parameter: {name} Reason: {name} can only include alphanumeric and "
            "punctuation characters. 1 to 128 in length."
        )


def check_fifo_fields(
    *, fifo: bool, content_based: bool, message: str, group_id: str | None,
    deduplication_id: str | None,
) -> FifoFields | None:
    """A FIFO topic's group and deduplication ids; None on a standard topic."""
    if not fifo:
        if deduplication_id is not None:
            raise invalid_parameter(
                "Invalid parameter: MessageDeduplicationId Reason: The request includes "
                "MessageDeduplicationId parameter that is not valid for this topic type"
            )
        if group_id is not None:
            _check_id("MessageGroupId", group_id)
        return None
    if group_id is None:
        raise invalid_parameter(
            "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
        )
    _check_id("MessageGroupId", group_id)
    if deduplication_id is not None:
        _check_id("MessageDeduplicationId", deduplication_id)
        return FifoFields(group_id, deduplication_id)
    if not content_based:
        raise invalid_parameter(
            "Invalid parameter: The topic should either have ContentBasedDeduplication enabled "
            "or MessageDeduplicationId provided explicitly"
        )
    return FifoFields(group_id, hashlib.sha256(message.encode("utf-8")).hexdigest())
