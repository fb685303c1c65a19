"""MD5OfMessageBody and MD5OfMessageAttributes against independently computed and published values.

The installed botocore has no client-side SQS digest checker, so the attribute digests are
checked three ways: against byte strings assembled by hand from the developer guide's algorithm
("Calculating the MD5 message digest for message attributes"), against digests published with
known inputs, and against digests real SQS returned for known inputs.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from emulator.sqs.md5 import md5_of_attributes, md5_of_body


def md5_hex(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


# --- body ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["hello", "msg", "a", " ", "héllo wörld", "emoji 😀 and 𝄞", "\t\r\n", "x" * 1_048_576],
    ids=["hello", "msg", "one-char", "space", "latin1", "astral", "control-whitespace", "1MiB"],
)
def test_body_digest_is_md5_of_utf8(body: str) -> None:
    assert md5_of_body(body) == md5_hex(body.encode("utf-8"))


@pytest.mark.parametrize(
    ("body", "digest"),
    [
        ("hello", "5d41402abc4b2a76b9719d911017c592"),  # the widely published MD5 of "hello"
        ("msg", "6e2baaf3b97dbeef01c0043275f9a0e7"),  # MD5OfMessageBody returned by SQS
        ("test", "098f6bcd4621d373cade4e832627b4f6"),  # MD5OfBody returned by SQS
        ("", "d41d8cd98f00b204e9800998ecf8427e"),  # RFC 1321 test suite: MD5("")
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),  # RFC 1321 test suite: MD5("abc")
    ],
)
def test_body_digest_known_values(body: str, digest: str) -> None:
    assert md5_of_body(body) == digest


# --- attributes: assembled by hand ---------------------------------------------------------------

# Each case spells out the bytes the developer guide's algorithm feeds to MD5: length-prefixed
# name, length-prefixed data type, transport byte, length-prefixed value.
# fmt: off
HAND_BUILT: list[tuple[str, dict[str, dict[str, Any]], bytes]] = [
    (
        "one-string",
        {"k": {"DataType": "String", "StringValue": "v"}},
        b"\x00\x00\x00\x01" + b"k"
        + b"\x00\x00\x00\x06" + b"String"
        + b"\x01"
        + b"\x00\x00\x00\x01" + b"v",
    ),
    (
        "number-uses-string-transport",
        {"n": {"DataType": "Number", "StringValue": "-12.5"}},
        b"\x00\x00\x00\x01" + b"n"
        + b"\x00\x00\x00\x06" + b"Number"
        + b"\x01"
        + b"\x00\x00\x00\x05" + b"-12.5",
    ),
    (
        "binary-raw-bytes",
        {"b": {"DataType": "Binary", "BinaryValue": b"\x00\xff\x10"}},
        b"\x00\x00\x00\x01" + b"b"
        + b"\x00\x00\x00\x06" + b"Binary"
        + b"\x02"
        + b"\x00\x00\x00\x03" + b"\x00\xff\x10",
    ),
    (
        "custom-labels-keep-their-transport",
        {
            "c": {"DataType": "Number.int", "StringValue": "42"},
            "d": {"DataType": "Binary.gz", "BinaryValue": b"\x1f\x8b"},
            "e": {"DataType": "String.json", "StringValue": "{}"},
        },
        b"\x00\x00\x00\x01" + b"c"
        + b"\x00\x00\x00\x0a" + b"Number.int"
        + b"\x01"
        + b"\x00\x00\x00\x02" + b"42"
        + b"\x00\x00\x00\x01" + b"d"
        + b"\x00\x00\x00\x09" + b"Binary.gz"
        + b"\x02"
        + b"\x00\x00\x00\x02" + b"\x1f\x8b"
        + b"\x00\x00\x00\x01" + b"e"
        + b"\x00\x00\x00\x0b" + b"String.json"
        + b"\x01"
        + b"\x00\x00\x00\x02" + b"{}",
    ),
    (
        "names-sorted-regardless-of-given-order",
        {
            "zeta": {"DataType": "String", "StringValue": "z"},
            "Alpha": {"DataType": "String", "StringValue": "a"},
        },
        b"\x00\x00\x00\x05" + b"Alpha"
        + b"\x00\x00\x00\x06" + b"String"
        + b"\x01"
        + b"\x00\x00\x00\x01" + b"a"
        + b"\x00\x00\x00\x04" + b"zeta"
        + b"\x00\x00\x00\x06" + b"String"
        + b"\x01"
        + b"\x00\x00\x00\x01" + b"z",
    ),
    (
        "lengths-count-utf8-bytes",
        {"x": {"DataType": "String", "StringValue": "é😀"}},
        b"\x00\x00\x00\x01" + b"x"
        + b"\x00\x00\x00\x06" + b"String"
        + b"\x01"
        + b"\x00\x00\x00\x06" + "é😀".encode(),
    ),
    (
        "value-longer-than-255-bytes",
        {"long": {"DataType": "String", "StringValue": "v" * 300}},
        b"\x00\x00\x00\x04" + b"long"
        + b"\x00\x00\x00\x06" + b"String"
        + b"\x01"
        + b"\x00\x00\x01\x2c" + b"v" * 300,
    ),
]
# fmt: on


@pytest.mark.parametrize(
    ("attributes", "encoded"),
    [(attributes, encoded) for _, attributes, encoded in HAND_BUILT],
    ids=[case_id for case_id, _, _ in HAND_BUILT],
)
def test_attribute_digest_matches_hand_built_bytes(
    attributes: dict[str, dict[str, Any]], encoded: bytes
) -> None:
    assert md5_of_attributes(attributes) == md5_hex(encoded)


# --- attributes: published and service-returned values --------------------------------------------

# Inputs and digests published with the aws-md5-of-message-attributes package
# (https://npmjs.com/package/aws-md5-of-message-attributes).
STRING_1 = {"attribName1": {"DataType": "String", "StringValue": "attribValue 1"}}
NUMBER_FLOAT = {
    "customNumberTypeAttrib": {
        "DataType": "Number.float",
        "StringValue": "4563442423554324324264524243.32543234",
    }
}
BINARY = {"binaryAttribute": {"DataType": "Binary", "BinaryValue": b"Hello binary world!"}}
# MessageAttributes sent to and received from real SQS, with the MD5OfMessageAttributes it
# returned (recorded in LocalStack's AWS-validated snapshots of its SQS tests).
KENOBI = {
    "Help.Me": {"DataType": "String", "StringValue": "Me"},
    "Hello": {"DataType": "String", "StringValue": "There"},
    "General": {"DataType": "String", "StringValue": "Kenobi"},
}
TRACEPARENT = b"traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"


@pytest.mark.parametrize(
    ("attributes", "digest"),
    [
        (STRING_1, "19e27d4e946b072f3f58da80d94fd778"),
        (NUMBER_FLOAT, "9fe1b90bbd9965bdf77bac517c7d2495"),
        (BINARY, "31a92b15d92f8db860eda32aceb656c3"),
        ({**STRING_1, **NUMBER_FLOAT, **BINARY}, "c932db14a896c663f83c260297d594ff"),
        (KENOBI, "4c360f3fdafd970e05fae2f149d997f5"),
        ({k: KENOBI[k] for k in ("Hello", "General")}, "fca026605781cb4126a1e9044df24232"),
        ({"Hello": KENOBI["Hello"]}, "a311262e065454b75da111d535b8dacd"),
        ({k: KENOBI[k] for k in ("Hello", "Help.Me")}, "83fee93c1bcd8b9a5a923ffacdc636c7"),
        ({"Foo": {"DataType": "String", "StringValue": "Bar"}}, "ae7155c6026991b6d54b11589678bf9c"),
        (
            {"attr1": {"DataType": "Binary", "BinaryValue": TRACEPARENT}},
            "8cbe4db156db8a94db8b801b7addb984",
        ),
    ],
    ids=[
        "published-string",
        "published-custom-number",
        "published-binary",
        "published-all-three",
        "sqs-three-strings",
        "sqs-two-strings",
        "sqs-one-string",
        "sqs-dotted-name",
        "sqs-foo-bar",
        "sqs-binary-with-control-byte",
    ],
)
def test_attribute_digest_known_values(attributes: dict[str, dict[str, Any]], digest: str) -> None:
    assert md5_of_attributes(attributes) == digest


@pytest.mark.parametrize("attributes", [None, {}], ids=["none", "empty"])
def test_no_attributes_have_no_digest(attributes: dict[str, dict[str, Any]] | None) -> None:
    assert md5_of_attributes(attributes) is None


def test_binary_value_may_be_any_bytes_like() -> None:
    as_bytes = {"b": {"DataType": "Binary", "BinaryValue": b"\x01\x02"}}
    as_bytearray = {"b": {"DataType": "Binary", "BinaryValue": bytearray(b"\x01\x02")}}
    as_memoryview = {"b": {"DataType": "Binary", "BinaryValue": memoryview(b"\x01\x02")}}
    assert md5_of_attributes(as_bytes) == md5_of_attributes(as_bytearray)
    assert md5_of_attributes(as_bytes) == md5_of_attributes(as_memoryview)


def test_unrelated_keys_do_not_change_the_digest() -> None:
    plain = {"k": {"DataType": "String", "StringValue": "v"}}
    with_extras = {"k": {"DataType": "String", "StringValue": "v", "BinaryValue": None}}
    assert md5_of_attributes(plain) == md5_of_attributes(with_extras)


def test_system_attribute_digest_uses_the_same_algorithm() -> None:
    header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    encoded = (
        b"\x00\x00\x00\x0e"
        + b"AWSTraceHeader"
        + b"\x00\x00\x00\x06"
        + b"String"
        + b"\x01"
        + len(header).to_bytes(4, "big")
        + header.encode()
    )
    system = {"AWSTraceHeader": {"DataType": "String", "StringValue": header}}
    assert md5_of_attributes(system) == md5_hex(encoded)
