"""Pure rules for SQS messages: body, message attributes, system attributes, sizes and batches.

Every check raises the error AWS answers with (code and message text); where no AWS text is
known, the message is written in AWS's style. Nothing here does I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from emulator.errors import AwsError, invalid_parameter_value, missing_parameter
from emulator.sqs import errors

# The characters a message may contain, as the SendMessage API reference lists them.
ALLOWED_CHARACTERS_MESSAGE = (
    "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"
)
# The same set as AWS spells it inside its InvalidMessageContents error.
_ALLOWED_CHARACTERS_IN_ERROR = (
    "#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]"
)
# Anything outside the allowed set; lone surrogates (#xD800-#xDFFF) fall outside it too.
_DISALLOWED_CHARACTER = re.compile(r"[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")

MAX_MESSAGE_ATTRIBUTES = 10
MAX_ATTRIBUTE_NAME_LENGTH = 256
MAX_DATA_TYPE_LENGTH = 256
MAX_BATCH_ENTRIES = 10
MAX_BATCH_ENTRY_ID_LENGTH = 80
NUMBER_MAX_DIGITS = 38
NUMBER_MAX_EXPONENT = 126
NUMBER_MIN_EXPONENT = -128

DATA_TYPE_PREFIXES = ("String", "Number", "Binary")
SYSTEM_ATTRIBUTE_NAMES = ("AWSTraceHeader",)
_RESERVED_NAME_PREFIXES = ("aws.", "amazon.")
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z0-9_.\-]+")
_BATCH_ENTRY_ID = re.compile(rf"[A-Za-z0-9_\-]{{1,{MAX_BATCH_ENTRY_ID_LENGTH}}}")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_LIST_VALUE_KEYS = ("StringListValues", "BinaryListValues")

Attributes = Mapping[str, Mapping[str, Any]]


# --- body --------------------------------------------------------------------------------------


def first_disallowed_character(text: str) -> str | None:
    """The first character of ``text`` outside the allowed set, if any."""
    match = _DISALLOWED_CHARACTER.search(text)
    return match.group() if match else None


def character_code(character: str) -> str:
    """A character as AWS names it in errors: ``#x`` and its code point in upper-case hex."""
    return f"#x{ord(character):X}"


def validate_message_body(body: str) -> None:
    if not body:
        raise missing_parameter("MessageBody")
    bad = first_disallowed_character(body)
    if bad is not None:
        raise errors.invalid_message_contents(
            f"Invalid binary character '{character_code(bad)}' was found in the message body, "
            f"the set of allowed characters is {_ALLOWED_CHARACTERS_IN_ERROR}."
        )


# --- message attributes ------------------------------------------------------------------------


def validate_message_attributes(
    attributes: Attributes | None, *, operation: str = "SendMessage"
) -> None:
    """Validate the user message attributes of one message.

    ``operation`` names the action in the error AWS gives for list values.
    """
    if not attributes:
        return
    if len(attributes) > MAX_MESSAGE_ATTRIBUTES:
        raise invalid_parameter_value(
            f"Number of message attributes [{len(attributes)}] exceeds the allowed maximum "
            f"[{MAX_MESSAGE_ATTRIBUTES}]."
        )
    for value in attributes.values():
        if any(value.get(key) is not None for key in _LIST_VALUE_KEYS):
            raise errors.unsupported_operation(
                f"Message attribute list values in {operation} operation are not supported."
            )
    for name, value in attributes.items():
        _check_attribute_name(name)
        _check_attribute_value(name, value, "(user)")


def _check_attribute_name(name: str) -> None:
    if not name:
        raise invalid_parameter_value("The request must contain non-empty message attribute name.")
    if len(name) > MAX_ATTRIBUTE_NAME_LENGTH:
        raise invalid_parameter_value(
            f"Message (user) attribute names must be shorter than {MAX_ATTRIBUTE_NAME_LENGTH} Bytes"
        )
    if not _ATTRIBUTE_NAME.fullmatch(name):
        raise invalid_parameter_value(
            "Message (user) attributes name can only contain upper and lower score characters, "
            "digits, periods, hyphens and underscores. "
        )
    lowered = name.lower()
    if lowered.startswith(_RESERVED_NAME_PREFIXES) or name.startswith(".") or name.endswith("."):
        raise invalid_parameter_value(
            "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. "
            "These strings are reserved for internal use. Additionally, they cannot start or "
            "end with '.'."
        )
    if ".." in name:
        raise invalid_parameter_value(
            "Message (user) attribute name must not have successive '.' characters."
        )


def data_type_prefix(data_type: str) -> str:
    """The logical type of a data type: the part before any custom label."""
    return data_type.split(".", 1)[0]


def _check_attribute_value(name: str, value: Mapping[str, Any], kind: str) -> None:
    data_type = value.get("DataType")
    if not isinstance(data_type, str) or data_type_prefix(data_type) not in DATA_TYPE_PREFIXES:
        raise invalid_parameter_value(
            f"The type of message {kind} attribute '{name}' is invalid. You must use only the "
            "following supported type prefixes: Binary, Number, String."
        )
    if len(data_type) > MAX_DATA_TYPE_LENGTH:
        raise invalid_parameter_value(
            f"Message {kind} attribute types must be shorter than {MAX_DATA_TYPE_LENGTH} Bytes"
        )
    bad = first_disallowed_character(data_type)
    if bad is not None:
        raise invalid_parameter_value(
            f"Invalid binary character '{character_code(bad)}' was found in the type of message "
            f"{kind} attribute '{name}', the set of allowed characters is "
            f"{_ALLOWED_CHARACTERS_IN_ERROR}."
        )
    prefix = data_type_prefix(data_type)
    string_value = value.get("StringValue")
    binary_value = value.get("BinaryValue")
    if string_value is not None and binary_value is not None:
        raise invalid_parameter_value(
            f"Message {kind} attribute '{name}' must have a single value."
        )
    if prefix == "Binary":
        if string_value is not None:
            raise invalid_parameter_value(
                f"Message {kind} attribute '{name}' with type 'Binary' must use field 'Binary'."
            )
        if not binary_value:
            raise _empty_value(name, data_type, kind)
        return
    if binary_value is not None:
        raise invalid_parameter_value(
            f"Message {kind} attribute '{name}' with type '{data_type}' must use field 'String'."
        )
    if not string_value:
        raise _empty_value(name, data_type, kind)
    text = str(string_value)
    bad = first_disallowed_character(text)
    if bad is not None:
        raise invalid_parameter_value(
            f"Invalid binary character '{character_code(bad)}' was found in the value of message "
            f"{kind} attribute '{name}', the set of allowed characters is "
            f"{_ALLOWED_CHARACTERS_IN_ERROR}."
        )
    if prefix == "Number":
        _check_number(name, text, kind)


def _empty_value(name: str, data_type: str, kind: str) -> AwsError:
    return invalid_parameter_value(
        f"Message {kind} attribute '{name}' must contain a non-empty value of type '{data_type}'."
    )


def _check_number(name: str, text: str, kind: str) -> None:
    if not _NUMBER.fullmatch(text):
        raise invalid_parameter_value(
            f"Can't cast the value of message {kind} attribute '{name}' to a number."
        )
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimal numerals
        raise invalid_parameter_value(
            f"Can't cast the value of message {kind} attribute '{name}' to a number."
        ) from None
    if not number_in_range(number):
        raise invalid_parameter_value(
            f"Value {text} for message {kind} attribute '{name}' is invalid. Reason: A number "
            f"can have up to {NUMBER_MAX_DIGITS} digits of precision and must be between "
            f"10^{NUMBER_MIN_EXPONENT} and 10^+{NUMBER_MAX_EXPONENT}."
        )


def number_in_range(number: Decimal) -> bool:
    """Whether a Number attribute value is one SQS stores: up to 38 significant digits, and a
    magnitude between 10^-128 and 10^+126 (zero allowed)."""
    if number.is_zero():
        return True
    digits = number.as_tuple().digits
    significant = "".join(map(str, digits)).strip("0")
    if len(significant) > NUMBER_MAX_DIGITS:
        return False
    magnitude = number.adjusted()
    if magnitude > NUMBER_MAX_EXPONENT:
        return False
    if magnitude == NUMBER_MAX_EXPONENT and significant != "1":
        return False
    return magnitude >= NUMBER_MIN_EXPONENT


# --- message system attributes -----------------------------------------------------------------


def validate_system_attributes(attributes: Attributes | None) -> None:
    if not attributes:
        return
    for name in attributes:
        if name not in SYSTEM_ATTRIBUTE_NAMES:
            raise invalid_parameter_value(f"Message system attribute name '{name}' is invalid.")
    trace = attributes.get("AWSTraceHeader")
    if trace is None:
        return
    if trace.get("DataType") != "String":
        raise invalid_parameter_value(
            "The message system attribute 'AWSTraceHeader' is reserved for AWS X-Ray trace "
            "header. The type must be 'String'."
        )
    _check_attribute_value("AWSTraceHeader", trace, "system")


# --- sizes -------------------------------------------------------------------------------------


def message_size(body: str, attributes: Attributes | None) -> int:
    """The bytes AWS counts toward the message size: the UTF-8 body, plus, for every message
    attribute, its name, data type and value (UTF-8 for strings, raw bytes for binary)."""
    size = len(_utf8(body))
    for name, value in (attributes or {}).items():
        size += len(_utf8(name)) + len(_utf8(str(value.get("DataType") or "")))
        string_value = value.get("StringValue")
        if string_value is not None:
            size += len(_utf8(str(string_value)))
        binary_value = value.get("BinaryValue")
        if binary_value is not None:
            size += len(_utf8(binary_value) if isinstance(binary_value, str) else binary_value)
    return size


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def check_message_size(size: int, max_size: int) -> None:
    if size > max_size:
        raise invalid_parameter_value(
            f"One or more parameters are invalid. Reason: Message must be shorter than "
            f"{max_size} bytes."
        )


# --- batches -----------------------------------------------------------------------------------


def validate_batch_entries(entries: Sequence[Mapping[str, Any]], entry_name: str) -> None:
    """Whole-request checks of a batch: not empty, at most ten entries, well-formed and
    distinct ids (in that order)."""
    if not entries:
        raise errors.empty_batch_request(entry_name)
    if len(entries) > MAX_BATCH_ENTRIES:
        raise errors.too_many_entries_in_batch_request(len(entries))
    ids: list[str] = []
    for entry in entries:
        entry_id = entry.get("Id")
        if not isinstance(entry_id, str) or not _BATCH_ENTRY_ID.fullmatch(entry_id):
            raise errors.invalid_batch_entry_id()
        ids.append(entry_id)
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise errors.batch_entry_ids_not_distinct(entry_id)
        seen.add(entry_id)


def check_batch_size(total: int, limit: int) -> None:
    if total > limit:
        raise errors.batch_request_too_long(total, limit)


# --- ReceiveMessage ----------------------------------------------------------------------------


def select_message_attributes(
    attributes: Attributes | None, requested_names: Sequence[str] | None
) -> dict[str, Any]:
    """The message attributes ReceiveMessage returns for ``MessageAttributeNames``.

    Nothing is returned unless names are requested. ``All``, ``*`` and ``.*`` select every
    attribute; a name ending in ``.*`` selects the attributes whose names start with what
    precedes it (AWS returns ``Hello`` and ``Help.Me`` for ``Hel.*``); any other name selects
    the attribute of exactly that name.
    """
    if not attributes or not requested_names:
        return {}
    names = set(requested_names)
    if names & {"All", "*", ".*"}:
        return dict(attributes)
    prefixes = tuple(name[:-2] for name in names if name.endswith(".*"))
    return {
        name: value
        for name, value in attributes.items()
        if name in names or (prefixes and name.startswith(prefixes))
    }
