"""Message rules: body, message attributes, system attributes, sizes, batches, attribute selection.

Each rule is exercised with passing and failing inputs; failures assert AWS's code and message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from emulator.errors import AwsError
from emulator.sqs.message_rules import (
    ALLOWED_CHARACTERS_MESSAGE,
    check_batch_size,
    check_message_size,
    message_size,
    select_message_attributes,
    validate_batch_entries,
    validate_message_attributes,
    validate_message_body,
    validate_system_attributes,
)

ALLOWED_IN_ERROR = "#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]"
TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


def failure(call: Callable[[], object]) -> tuple[str, str]:
    with pytest.raises(AwsError) as caught:
        call()
    return caught.value.code, caught.value.message


def string(value: str, data_type: str = "String") -> dict[str, Any]:
    return {"DataType": data_type, "StringValue": value}


def binary(value: bytes, data_type: str = "Binary") -> dict[str, Any]:
    return {"DataType": data_type, "BinaryValue": value}


def body_error(code: str) -> str:
    return (
        f"Invalid binary character '{code}' was found in the message body, the set of allowed "
        f"characters is {ALLOWED_IN_ERROR}."
    )


def test_allowed_characters_text() -> None:
    assert ALLOWED_CHARACTERS_MESSAGE == (
        "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"
    )


# --- body ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "x",
        "\t\n\r",
        " ",
        "\x20\ud7ff\ue000\ufffd",
        "\U00010000\U0010ffff",
        "emoji 😀🎉 clef 𝄞",
        '<xml attr="v">&amp;</xml>',
        "é" * 1000,
    ],
    ids=["one-char", "tab-lf-cr", "space", "bmp-edges", "astral-edges", "emoji", "xml", "latin1"],
)
def test_valid_bodies(body: str) -> None:
    validate_message_body(body)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("\x00", "#x0"),
        ("ok \x01 then", "#x1"),
        ("bell \x07", "#x7"),
        ("\x08", "#x8"),
        ("\x0b", "#xB"),
        ("\x0c", "#xC"),
        ("\x1f", "#x1F"),
        ("\ufffe", "#xFFFE"),
        ("\uffff", "#xFFFF"),
        ("lone high \ud800", "#xD800"),
        ("lone low \udfff", "#xDFFF"),
        ("first wins \x02\x03", "#x2"),
    ],
    ids=[
        "nul",
        "x01",
        "x07",
        "x08",
        "vt",
        "ff",
        "x1f",
        "fffe",
        "ffff",
        "lone-high-surrogate",
        "lone-low-surrogate",
        "first-reported",
    ],
)
def test_invalid_body_characters(body: str, code: str) -> None:
    assert failure(lambda: validate_message_body(body)) == (
        "InvalidMessageContents",
        body_error(code),
    )


def test_empty_body_is_a_missing_parameter() -> None:
    assert failure(lambda: validate_message_body("")) == (
        "MissingParameter",
        "The request must contain the parameter MessageBody.",
    )


# --- message attributes --------------------------------------------------------------------------


VALID_ATTRIBUTES: list[tuple[str, dict[str, dict[str, Any]] | None]] = [
    ("none", None),
    ("empty", {}),
    ("string", {"a": string("v")}),
    ("number-int", {"n": string("42", "Number")}),
    ("number-negative-decimal", {"n": string("-12.5", "Number")}),
    ("number-plus-sign", {"n": string("+7", "Number")}),
    ("number-leading-point", {"n": string(".5", "Number")}),
    ("number-exponent", {"n": string("1.5e10", "Number")}),
    ("number-zero", {"n": string("0", "Number")}),
    ("number-38-digits", {"n": string("9" * 38, "Number")}),
    ("number-trailing-zeros-not-significant", {"n": string("1" + "0" * 100, "Number")}),
    ("number-max", {"n": string("1e126", "Number")}),
    ("number-min", {"n": string("1e-128", "Number")}),
    ("number-negative-max", {"n": string("-1e126", "Number")}),
    ("binary", {"b": binary(b"\x00\xff")}),
    (
        "custom-types",
        {
            "s": string("{}", "String.json"),
            "n": string("1", "Number.int"),
            "b": binary(b"gif", "Binary.gif"),
        },
    ),
    ("ten-attributes", {f"a{i}": string(str(i)) for i in range(10)}),
    ("name-charset", {"Az09_-.x": string("v")}),
    ("name-256", {"n" * 256: string("v")}),
    ("name-aws-without-dot", {"AWSish": string("v")}),
    ("name-amazon-inside", {"my.Amazon.name": string("v")}),
    ("type-256", {"t": string("v", "String." + "x" * 249)}),
    ("value-control-whitespace", {"t": string("a\r\nb\tc")}),
    ("value-emoji", {"t": string("😀")}),
    ("null-list-values-ignored", {"t": {**string("v"), "StringListValues": None}}),
]


@pytest.mark.parametrize(
    "attributes",
    [attributes for _, attributes in VALID_ATTRIBUTES],
    ids=[case_id for case_id, _ in VALID_ATTRIBUTES],
)
def test_valid_message_attributes(attributes: dict[str, dict[str, Any]] | None) -> None:
    validate_message_attributes(attributes)


BAD_NAME_CHARS = (
    "Message (user) attributes name can only contain upper and lower score characters, digits, "
    "periods, hyphens and underscores. "
)
RESERVED_NAME = (
    "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings "
    "are reserved for internal use. Additionally, they cannot start or end with '.'."
)


def bad_type(name: str) -> str:
    return (
        f"The type of message (user) attribute '{name}' is invalid. You must use only the "
        "following supported type prefixes: Binary, Number, String."
    )


def empty_value(name: str, data_type: str) -> str:
    return (
        f"Message (user) attribute '{name}' must contain a non-empty value of type '{data_type}'."
    )


def not_a_number(name: str) -> str:
    return f"Can't cast the value of message (user) attribute '{name}' to a number."


def out_of_range(value: str, name: str) -> str:
    return (
        f"Value {value} for message (user) attribute '{name}' is invalid. Reason: A number can "
        "have up to 38 digits of precision and must be between 10^-128 and 10^+126."
    )


IPV = "InvalidParameterValue"
INVALID_ATTRIBUTES: list[tuple[str, dict[str, dict[str, Any]], str, str]] = [
    (
        "eleven",
        {f"a{i}": string(str(i)) for i in range(11)},
        IPV,
        "Number of message attributes [11] exceeds the allowed maximum [10].",
    ),
    (
        "string-list-values",
        {"l": {"DataType": "String", "StringListValues": ["a"]}},
        "AWS.SimpleQueueService.UnsupportedOperation",
        "Message attribute list values in SendMessage operation are not supported.",
    ),
    (
        "empty-binary-list-values",
        {"l": {"DataType": "Binary", "BinaryValue": b"x", "BinaryListValues": []}},
        "AWS.SimpleQueueService.UnsupportedOperation",
        "Message attribute list values in SendMessage operation are not supported.",
    ),
    (
        "empty-name",
        {"": string("v")},
        IPV,
        "The request must contain non-empty message attribute name.",
    ),
    (
        "name-257",
        {"n" * 257: string("v")},
        IPV,
        "Message (user) attribute names must be shorter than 256 Bytes",
    ),
    ("name-space", {"has space": string("v")}, IPV, BAD_NAME_CHARS),
    ("name-slash", {"slash/name": string("v")}, IPV, BAD_NAME_CHARS),
    ("name-non-ascii", {"ümlaut": string("v")}, IPV, BAD_NAME_CHARS),
    ("name-aws", {"AWS.reserved": string("v")}, IPV, RESERVED_NAME),
    ("name-aws-lower", {"aws.lower": string("v")}, IPV, RESERVED_NAME),
    ("name-amazon", {"Amazon.reserved": string("v")}, IPV, RESERVED_NAME),
    ("name-amazon-upper", {"AMAZON.upper": string("v")}, IPV, RESERVED_NAME),
    ("name-leading-period", {".leading": string("v")}, IPV, RESERVED_NAME),
    ("name-trailing-period", {"trailing.": string("v")}, IPV, RESERVED_NAME),
    (
        "name-double-period",
        {"double..dot": string("v")},
        IPV,
        "Message (user) attribute name must not have successive '.' characters.",
    ),
    ("type-missing", {"t": {"StringValue": "v"}}, IPV, bad_type("t")),
    ("type-empty", {"t": string("v", "")}, IPV, bad_type("t")),
    ("type-lowercase", {"t": string("v", "string")}, IPV, bad_type("t")),
    ("type-unknown", {"t": string("1", "Int")}, IPV, bad_type("t")),
    ("type-prefix-glued", {"t": string("v", "StringX")}, IPV, bad_type("t")),
    (
        "type-257",
        {"t": string("v", "String." + "x" * 250)},
        IPV,
        "Message (user) attribute types must be shorter than 256 Bytes",
    ),
    (
        "type-bad-character",
        {"t": string("v", "String.\x00")},
        IPV,
        "Invalid binary character '#x0' was found in the type of message (user) attribute 't', "
        f"the set of allowed characters is {ALLOWED_IN_ERROR}.",
    ),
    ("string-empty", {"s": string("")}, IPV, empty_value("s", "String")),
    ("string-missing", {"s": {"DataType": "String"}}, IPV, empty_value("s", "String")),
    ("custom-string-empty", {"s": string("", "String.x")}, IPV, empty_value("s", "String.x")),
    ("number-empty", {"n": string("", "Number")}, IPV, empty_value("n", "Number")),
    ("binary-empty", {"b": binary(b"")}, IPV, empty_value("b", "Binary")),
    ("binary-missing", {"b": {"DataType": "Binary"}}, IPV, empty_value("b", "Binary")),
    (
        "both-values",
        {"x": {"DataType": "String", "StringValue": "v", "BinaryValue": b"v"}},
        IPV,
        "Message (user) attribute 'x' must have a single value.",
    ),
    (
        "binary-with-string-value",
        {"b": string("v", "Binary")},
        IPV,
        "Message (user) attribute 'b' with type 'Binary' must use field 'Binary'.",
    ),
    (
        "string-with-binary-value",
        {"s": binary(b"v", "String")},
        IPV,
        "Message (user) attribute 's' with type 'String' must use field 'String'.",
    ),
    (
        "string-bad-character",
        {"s": string("nul\x00")},
        IPV,
        "Invalid binary character '#x0' was found in the value of message (user) attribute 's', "
        f"the set of allowed characters is {ALLOWED_IN_ERROR}.",
    ),
    (
        "string-lone-surrogate",
        {"s": string("\udc00")},
        IPV,
        "Invalid binary character '#xDC00' was found in the value of message (user) attribute "
        f"'s', the set of allowed characters is {ALLOWED_IN_ERROR}.",
    ),
    ("number-words", {"n": string("not a number", "Number")}, IPV, not_a_number("n")),
    ("number-spaces", {"n": string(" 5", "Number")}, IPV, not_a_number("n")),
    ("number-lone-sign", {"n": string("-", "Number")}, IPV, not_a_number("n")),
    ("number-lone-point", {"n": string(".", "Number")}, IPV, not_a_number("n")),
    ("number-nan", {"n": string("NaN", "Number")}, IPV, not_a_number("n")),
    ("number-infinity", {"n": string("Infinity", "Number")}, IPV, not_a_number("n")),
    ("number-hex", {"n": string("0x10", "Number")}, IPV, not_a_number("n")),
    ("number-underscore", {"n": string("1_000", "Number")}, IPV, not_a_number("n")),
    ("number-arabic-digits", {"n": string("\u0661\u0662", "Number")}, IPV, not_a_number("n")),
    ("custom-number-words", {"n": string("x", "Number.int")}, IPV, not_a_number("n")),
    ("number-39-digits", {"n": string("1" * 39, "Number")}, IPV, out_of_range("1" * 39, "n")),
    ("number-too-big", {"n": string("2e126", "Number")}, IPV, out_of_range("2e126", "n")),
    ("number-way-too-big", {"n": string("1e127", "Number")}, IPV, out_of_range("1e127", "n")),
    ("number-too-small", {"n": string("1e-129", "Number")}, IPV, out_of_range("1e-129", "n")),
]


@pytest.mark.parametrize(
    ("attributes", "code", "message"),
    [case[1:] for case in INVALID_ATTRIBUTES],
    ids=[case[0] for case in INVALID_ATTRIBUTES],
)
def test_invalid_message_attributes(
    attributes: dict[str, dict[str, Any]], code: str, message: str
) -> None:
    assert failure(lambda: validate_message_attributes(attributes)) == (code, message)


def test_list_values_error_names_the_operation() -> None:
    attributes = {"l": {"DataType": "String", "StringListValues": ["a"]}}
    _, message = failure(
        lambda: validate_message_attributes(attributes, operation="SendMessageBatch")
    )
    assert (
        message == "Message attribute list values in SendMessageBatch operation are not supported."
    )


def test_attribute_count_is_checked_before_names() -> None:
    attributes = {f"AWS.{i}": string("v") for i in range(11)}
    _, message = failure(lambda: validate_message_attributes(attributes))
    assert message.startswith("Number of message attributes [11]")


# --- system attributes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attributes",
    [None, {}, {"AWSTraceHeader": string(TRACE_HEADER)}],
    ids=["none", "empty", "trace-header"],
)
def test_valid_system_attributes(attributes: dict[str, dict[str, Any]] | None) -> None:
    validate_system_attributes(attributes)


INVALID_SYSTEM: list[tuple[str, dict[str, dict[str, Any]], str]] = [
    (
        "unknown-name",
        {"SenderId": string("x")},
        "Message system attribute name 'SenderId' is invalid.",
    ),
    (
        "unknown-beside-trace-header",
        {"AWSTraceHeader": string(TRACE_HEADER), "Other": string("x")},
        "Message system attribute name 'Other' is invalid.",
    ),
    (
        "binary-type",
        {"AWSTraceHeader": binary(b"x")},
        "The message system attribute 'AWSTraceHeader' is reserved for AWS X-Ray trace header. "
        "The type must be 'String'.",
    ),
    (
        "custom-string-type",
        {"AWSTraceHeader": string(TRACE_HEADER, "String.x")},
        "The message system attribute 'AWSTraceHeader' is reserved for AWS X-Ray trace header. "
        "The type must be 'String'.",
    ),
    (
        "empty-value",
        {"AWSTraceHeader": string("")},
        "Message system attribute 'AWSTraceHeader' must contain a non-empty value of type "
        "'String'.",
    ),
    (
        "bad-character",
        {"AWSTraceHeader": string("Root=\x00")},
        "Invalid binary character '#x0' was found in the value of message system attribute "
        f"'AWSTraceHeader', the set of allowed characters is {ALLOWED_IN_ERROR}.",
    ),
]


@pytest.mark.parametrize(
    ("attributes", "message"),
    [case[1:] for case in INVALID_SYSTEM],
    ids=[case[0] for case in INVALID_SYSTEM],
)
def test_invalid_system_attributes(attributes: dict[str, dict[str, Any]], message: str) -> None:
    assert failure(lambda: validate_system_attributes(attributes)) == (IPV, message)


# --- sizes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "attributes", "size"),
    [
        ("abc", None, 3),
        ("é", None, 2),
        ("😀", {}, 4),
        ("a" * 100, {"n": string("v" * 93)}, 100 + 1 + 6 + 93),
        ("", {"k": string("v")}, 1 + 6 + 1),
        ("", {"é": string("😀", "String.é")}, 2 + 9 + 4),
        ("", {"b": binary(b"\x00" * 10)}, 1 + 6 + 10),
        ("x", {"a": string("1", "Number"), "b": binary(b"12")}, 1 + (1 + 6 + 1) + (1 + 6 + 2)),
    ],
    ids=[
        "ascii",
        "two-byte",
        "four-byte",
        "attribute-adds-name-type-value",
        "attribute-only",
        "utf8-name-and-type",
        "binary-raw-length",
        "several",
    ],
)
def test_message_size(body: str, attributes: dict[str, dict[str, Any]] | None, size: int) -> None:
    assert message_size(body, attributes) == size


@pytest.mark.parametrize(("size", "limit"), [(0, 1024), (1024, 1024), (1_048_576, 1_048_576)])
def test_message_size_within_limit(size: int, limit: int) -> None:
    check_message_size(size, limit)


@pytest.mark.parametrize(("size", "limit"), [(1025, 1024), (1_048_577, 1_048_576)])
def test_message_size_over_limit(size: int, limit: int) -> None:
    assert failure(lambda: check_message_size(size, limit)) == (
        IPV,
        f"One or more parameters are invalid. Reason: Message must be shorter than {limit} bytes.",
    )


# --- batches -------------------------------------------------------------------------------------


def entries(*ids: Any) -> list[dict[str, Any]]:
    return [{"Id": entry_id, "MessageBody": "x"} for entry_id in ids]


@pytest.mark.parametrize(
    "batch",
    [
        entries("1"),
        entries(*[str(i) for i in range(10)]),
        entries("a" * 80),
        entries("Az09_-"),
        entries("a", "A"),
    ],
    ids=["one", "ten", "id-80", "id-charset", "ids-case-sensitive"],
)
def test_valid_batches(batch: list[dict[str, Any]]) -> None:
    validate_batch_entries(batch, "SendMessageBatchRequestEntry")


INVALID_ID = (
    "AWS.SimpleQueueService.InvalidBatchEntryId",
    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
    "It can be at most 80 letters long.",
)
INVALID_BATCHES: list[tuple[str, list[dict[str, Any]], tuple[str, str]]] = [
    (
        "empty",
        [],
        (
            "AWS.SimpleQueueService.EmptyBatchRequest",
            "There should be at least one SendMessageBatchRequestEntry in the request.",
        ),
    ),
    (
        "eleven",
        entries(*[str(i) for i in range(11)]),
        (
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
            "Maximum number of entries per request are 10. You have sent 11.",
        ),
    ),
    (
        "eleven-with-bad-ids",
        entries(*["bad id"] * 11),
        (
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
            "Maximum number of entries per request are 10. You have sent 11.",
        ),
    ),
    ("empty-id", entries(""), INVALID_ID),
    ("missing-id", [{"MessageBody": "x"}], INVALID_ID),
    ("id-81", entries("a" * 81), INVALID_ID),
    ("id-colon", entries("invalid:id"), INVALID_ID),
    ("id-period", entries("a.b"), INVALID_ID),
    ("id-non-ascii", entries("é"), INVALID_ID),
    ("id-not-a-string", entries(7), INVALID_ID),
    (
        "duplicate",
        entries("a", "b", "a"),
        ("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id a repeated."),
    ),
    ("invalid-id-before-duplicate", entries("a", "a", "bad id"), INVALID_ID),
]


@pytest.mark.parametrize(
    ("batch", "expected"),
    [case[1:] for case in INVALID_BATCHES],
    ids=[case[0] for case in INVALID_BATCHES],
)
def test_invalid_batches(batch: list[dict[str, Any]], expected: tuple[str, str]) -> None:
    assert (
        failure(lambda: validate_batch_entries(batch, "SendMessageBatchRequestEntry")) == expected
    )


def test_empty_batch_names_the_entry() -> None:
    _, message = failure(lambda: validate_batch_entries([], "DeleteMessageBatchRequestEntry"))
    assert message == "There should be at least one DeleteMessageBatchRequestEntry in the request."


@pytest.mark.parametrize(("total", "limit"), [(0, 1_048_576), (1_048_576, 1_048_576)])
def test_batch_within_limit(total: int, limit: int) -> None:
    check_batch_size(total, limit)


def test_batch_over_limit() -> None:
    assert failure(lambda: check_batch_size(1_048_577, 1_048_576)) == (
        "AWS.SimpleQueueService.BatchRequestTooLong",
        "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.",
    )


# --- ReceiveMessage selection --------------------------------------------------------------------

STORED = {
    "Help.Me": string("Me"),
    "Hello": string("There"),
    "General": string("Kenobi"),
    "bar.baz": string("1"),
}


@pytest.mark.parametrize(
    ("requested", "selected"),
    [
        (None, []),
        ([], []),
        (["All"], ["Help.Me", "Hello", "General", "bar.baz"]),
        ([".*"], ["Help.Me", "Hello", "General", "bar.baz"]),
        (["*"], ["Help.Me", "Hello", "General", "bar.baz"]),
        (["Hello", "All"], ["Help.Me", "Hello", "General", "bar.baz"]),
        (["Foo", "Help"], []),
        (["Hello", "General"], ["Hello", "General"]),
        (["Foo", "Hello"], ["Hello"]),
        (["Hel.*"], ["Help.Me", "Hello"]),
        (["bar.*"], ["bar.baz"]),
        (["Help.*"], ["Help.Me"]),
        (["hello"], []),
        (["AWS."], []),
        (["..foo"], []),
        (["Hello", "Hello"], ["Hello"]),
    ],
    ids=[
        "none",
        "empty",
        "all",
        "dot-star",
        "star",
        "all-among-names",
        "only-unknown",
        "exact-names",
        "known-and-unknown",
        "prefix-without-dot",
        "prefix-with-dot",
        "prefix-to-dot",
        "case-sensitive",
        "illegal-name",
        "illegal-dots",
        "repeated",
    ],
)
def test_select_message_attributes(requested: list[str] | None, selected: list[str]) -> None:
    result = select_message_attributes(STORED, requested)
    assert list(result) == selected
    assert all(result[name] == STORED[name] for name in result)


@pytest.mark.parametrize("stored", [None, {}], ids=["none", "empty"])
def test_select_from_no_attributes(stored: dict[str, dict[str, Any]] | None) -> None:
    assert select_message_attributes(stored, ["All"]) == {}
