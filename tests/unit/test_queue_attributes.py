"""Queue names and queue attributes: names, defaults, value rules, canonical forms, AWS errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import botocore.session
import pytest

from emulator.errors import AwsError
from emulator.sqs.queue_attributes import (
    ALL_ATTRIBUTE_NAMES,
    READ_ONLY_ATTRIBUTES,
    SETTABLE_ATTRIBUTES,
    default_attributes,
    parse_redrive_allow_policy,
    parse_redrive_policy,
    validate_attribute_names,
    validate_attributes,
    validate_queue_name,
)

NAME_RULES = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
FIFO_NAME_RULES = (
    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
    "must end with .fifo suffix and be 1 to 80 in length"
)
ARN = "arn:aws:sqs:us-east-1:000000000000:dlq"
FIFO_ARN = "arn:aws:sqs:us-east-1:000000000000:dlq.fifo"
IAN = "InvalidAttributeName"
IAV = "InvalidAttributeValue"
IPV = "InvalidParameterValue"


def failure(call: Callable[[], object]) -> tuple[str, str]:
    with pytest.raises(AwsError) as caught:
        call()
    return caught.value.code, caught.value.message


def compact(document: dict[str, Any]) -> str:
    return json.dumps(document, separators=(",", ":"))


# --- queue names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fifo"),
    [
        ("q", False),
        ("a" * 80, False),
        ("Az09_-", False),
        ("orders.fifo", True),
        ("a" * 75 + ".fifo", True),
        ("x.fifo", True),
    ],
    ids=["one-char", "80-chars", "charset", "fifo", "fifo-80-with-suffix", "fifo-one-char-base"],
)
def test_valid_queue_names(name: str, fifo: bool) -> None:
    assert validate_queue_name(name) is fifo


@pytest.mark.parametrize(
    "name",
    [
        "",
        "a" * 81,
        "a" * 76 + ".fifo",
        ".fifo",
        "has space",
        "dotted.name",
        "slash/name",
        "ümlaut",
        "q.FIFO",
        "a.fifo.fifo",
        "bad name.fifo",
    ],
    ids=[
        "empty",
        "81-chars",
        "fifo-81-with-suffix",
        "suffix-only",
        "space",
        "period",
        "slash",
        "non-ascii",
        "upper-case-suffix",
        "double-suffix",
        "fifo-bad-base",
    ],
)
def test_invalid_queue_names(name: str) -> None:
    assert failure(lambda: validate_queue_name(name)) == (IPV, NAME_RULES)


# --- attribute name sets -------------------------------------------------------------------------


def test_attribute_names_are_the_api_enum() -> None:
    model = botocore.session.get_session().get_service_model("sqs")
    assert list(ALL_ATTRIBUTE_NAMES) == model.shape_for("QueueAttributeName").enum


def test_attribute_name_sets() -> None:
    read_only = {
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp",
        "LastModifiedTimestamp",
        "QueueArn",
    }
    assert read_only == READ_ONLY_ATTRIBUTES
    assert SETTABLE_ATTRIBUTES | READ_ONLY_ATTRIBUTES | {"All"} == set(ALL_ATTRIBUTE_NAMES)
    assert not SETTABLE_ATTRIBUTES & READ_ONLY_ATTRIBUTES


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        ([], []),
        (["VisibilityTimeout"], ["VisibilityTimeout"]),
        (["QueueArn", "DelaySeconds"], ["QueueArn", "DelaySeconds"]),
        (["DelaySeconds", "DelaySeconds"], ["DelaySeconds"]),
        (["All"], [name for name in ALL_ATTRIBUTE_NAMES if name != "All"]),
        (["VisibilityTimeout", "All"], [name for name in ALL_ATTRIBUTE_NAMES if name != "All"]),
    ],
    ids=["none", "one", "several", "repeated", "all", "all-with-name"],
)
def test_attribute_names_for_get(requested: list[str], expected: list[str]) -> None:
    assert validate_attribute_names(requested) == expected


@pytest.mark.parametrize(
    ("requested", "unknown"),
    [
        (["NoSuchThing"], "NoSuchThing"),
        (["VisibilityTimeout", "Nope"], "Nope"),
        (["All", "Nope"], "Nope"),
        (["visibilitytimeout"], "visibilitytimeout"),
        (["SenderId"], "SenderId"),
    ],
    ids=["unknown", "unknown-among-known", "unknown-with-all", "wrong-case", "message-attribute"],
)
def test_unknown_attribute_names_for_get(requested: list[str], unknown: str) -> None:
    assert failure(lambda: validate_attribute_names(requested)) == (
        IAN,
        f"Unknown Attribute {unknown}.",
    )


# --- defaults ------------------------------------------------------------------------------------

STANDARD_DEFAULTS = {
    "VisibilityTimeout": "30",
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "DelaySeconds": "0",
    "ReceiveMessageWaitTimeSeconds": "0",
    "SqsManagedSseEnabled": "true",
}


@pytest.mark.parametrize(
    ("fifo", "expected"),
    [
        (False, STANDARD_DEFAULTS),
        (
            True,
            {
                **STANDARD_DEFAULTS,
                "FifoQueue": "true",
                "ContentBasedDeduplication": "false",
                "DeduplicationScope": "queue",
                "FifoThroughputLimit": "perQueue",
            },
        ),
    ],
    ids=["standard", "fifo"],
)
def test_default_attributes(fifo: bool, expected: dict[str, str]) -> None:
    assert default_attributes(fifo) == expected


def test_defaults_are_valid_attributes() -> None:
    for fifo in (False, True):
        defaults = default_attributes(fifo)
        assert validate_attributes(defaults, fifo=fifo, creating=True) == defaults


# --- valid attributes and their canonical form ---------------------------------------------------

REDRIVE = {"deadLetterTargetArn": ARN, "maxReceiveCount": 5}
VALID: list[tuple[str, dict[str, Any], bool, bool, dict[str, str]]] = [
    ("nothing", {}, False, True, {}),
    ("visibility-low", {"VisibilityTimeout": "0"}, False, True, {"VisibilityTimeout": "0"}),
    (
        "visibility-high",
        {"VisibilityTimeout": "43200"},
        False,
        False,
        {"VisibilityTimeout": "43200"},
    ),
    ("size-low", {"MaximumMessageSize": "1024"}, False, True, {"MaximumMessageSize": "1024"}),
    (
        "size-high",
        {"MaximumMessageSize": "1048576"},
        False,
        True,
        {"MaximumMessageSize": "1048576"},
    ),
    (
        "retention-low",
        {"MessageRetentionPeriod": "60"},
        False,
        True,
        {"MessageRetentionPeriod": "60"},
    ),
    (
        "retention-high",
        {"MessageRetentionPeriod": "1209600"},
        False,
        True,
        {"MessageRetentionPeriod": "1209600"},
    ),
    ("delay-low", {"DelaySeconds": "0"}, False, True, {"DelaySeconds": "0"}),
    ("delay-high", {"DelaySeconds": "900"}, False, True, {"DelaySeconds": "900"}),
    (
        "wait-high",
        {"ReceiveMessageWaitTimeSeconds": "20"},
        False,
        True,
        {"ReceiveMessageWaitTimeSeconds": "20"},
    ),
    (
        "kms-reuse-low",
        {"KmsDataKeyReusePeriodSeconds": "60"},
        False,
        False,
        {"KmsDataKeyReusePeriodSeconds": "60"},
    ),
    (
        "kms-reuse-high",
        {"KmsDataKeyReusePeriodSeconds": "86400"},
        False,
        False,
        {"KmsDataKeyReusePeriodSeconds": "86400"},
    ),
    ("integer-leading-zeros", {"DelaySeconds": "007"}, False, True, {"DelaySeconds": "7"}),
    ("integer-as-number", {"DelaySeconds": 400}, False, True, {"DelaySeconds": "400"}),
    (
        "sse-false",
        {"SqsManagedSseEnabled": "false"},
        False,
        False,
        {"SqsManagedSseEnabled": "false"},
    ),
    (
        "sse-upper-case",
        {"SqsManagedSseEnabled": "TRUE"},
        False,
        True,
        {"SqsManagedSseEnabled": "true"},
    ),
    ("fifo-create", {"FifoQueue": "true"}, True, True, {"FifoQueue": "true"}),
    ("fifo-create-mixed-case", {"FifoQueue": "True"}, True, True, {"FifoQueue": "true"}),
    (
        "fifo-content-dedup",
        {"ContentBasedDeduplication": "True"},
        True,
        False,
        {"ContentBasedDeduplication": "true"},
    ),
    (
        "high-throughput",
        {
            "FifoQueue": "true",
            "DeduplicationScope": "messageGroup",
            "FifoThroughputLimit": "perMessageGroupId",
        },
        True,
        True,
        {
            "FifoQueue": "true",
            "DeduplicationScope": "messageGroup",
            "FifoThroughputLimit": "perMessageGroupId",
        },
    ),
    (
        "message-group-scope-per-queue-limit",
        {"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perQueue"},
        True,
        False,
        {"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perQueue"},
    ),
    (
        "per-group-limit-alone-on-set",
        {"FifoThroughputLimit": "perMessageGroupId"},
        True,
        False,
        {"FifoThroughputLimit": "perMessageGroupId"},
    ),
    (
        "policy",
        {"Policy": '{"Version": "2012-10-17", "Statement": []}'},
        False,
        False,
        {"Policy": '{"Version": "2012-10-17", "Statement": []}'},
    ),
    ("policy-empty-removes", {"Policy": ""}, False, False, {"Policy": ""}),
    (
        "redrive-compacted",
        {"RedrivePolicy": json.dumps(REDRIVE, indent=2)},
        False,
        False,
        {"RedrivePolicy": compact(REDRIVE)},
    ),
    (
        "redrive-count-as-string",
        {"RedrivePolicy": json.dumps({"deadLetterTargetArn": ARN, "maxReceiveCount": "10"})},
        False,
        True,
        {"RedrivePolicy": compact({"deadLetterTargetArn": ARN, "maxReceiveCount": 10})},
    ),
    (
        "redrive-count-bounds",
        {"RedrivePolicy": json.dumps({"maxReceiveCount": 1000, "deadLetterTargetArn": ARN})},
        False,
        False,
        {"RedrivePolicy": compact({"deadLetterTargetArn": ARN, "maxReceiveCount": 1000})},
    ),
    (
        "redrive-fifo-to-fifo",
        {"RedrivePolicy": json.dumps({"deadLetterTargetArn": FIFO_ARN, "maxReceiveCount": 1})},
        True,
        False,
        {"RedrivePolicy": compact({"deadLetterTargetArn": FIFO_ARN, "maxReceiveCount": 1})},
    ),
    ("redrive-empty-removes", {"RedrivePolicy": ""}, False, False, {"RedrivePolicy": ""}),
    (
        "allow-all",
        {"RedriveAllowPolicy": '{"redrivePermission": "allowAll"}'},
        False,
        False,
        {"RedriveAllowPolicy": '{"redrivePermission":"allowAll"}'},
    ),
    (
        "deny-all",
        {"RedriveAllowPolicy": '{"redrivePermission":"denyAll"}'},
        False,
        False,
        {"RedriveAllowPolicy": '{"redrivePermission":"denyAll"}'},
    ),
    (
        "by-queue-ten",
        {
            "RedriveAllowPolicy": compact(
                {
                    "redrivePermission": "byQueue",
                    "sourceQueueArns": [ARN + str(i) for i in range(10)],
                }
            )
        },
        False,
        False,
        {
            "RedriveAllowPolicy": compact(
                {
                    "redrivePermission": "byQueue",
                    "sourceQueueArns": [ARN + str(i) for i in range(10)],
                }
            )
        },
    ),
    (
        "allow-policy-empty-removes",
        {"RedriveAllowPolicy": ""},
        False,
        False,
        {"RedriveAllowPolicy": ""},
    ),
    (
        "kms-on-create-gets-its-defaults",
        {"KmsMasterKeyId": "alias/aws/sqs"},
        False,
        True,
        {
            "KmsMasterKeyId": "alias/aws/sqs",
            "SqsManagedSseEnabled": "false",
            "KmsDataKeyReusePeriodSeconds": "300",
        },
    ),
    (
        "kms-on-create-keeps-given-period",
        {"KmsMasterKeyId": "k", "KmsDataKeyReusePeriodSeconds": "860"},
        False,
        True,
        {
            "KmsMasterKeyId": "k",
            "KmsDataKeyReusePeriodSeconds": "860",
            "SqsManagedSseEnabled": "false",
        },
    ),
    (
        "kms-on-set-turns-sse-sqs-off",
        {"KmsMasterKeyId": "k"},
        False,
        False,
        {"KmsMasterKeyId": "k", "SqsManagedSseEnabled": "false"},
    ),
    (
        "kms-with-sse-sqs-false",
        {"KmsMasterKeyId": "k", "SqsManagedSseEnabled": "false"},
        False,
        False,
        {"KmsMasterKeyId": "k", "SqsManagedSseEnabled": "false"},
    ),
    (
        "kms-empty-with-sse-sqs",
        {"KmsMasterKeyId": "", "SqsManagedSseEnabled": "true"},
        False,
        False,
        {"KmsMasterKeyId": "", "SqsManagedSseEnabled": "true"},
    ),
]


@pytest.mark.parametrize(
    ("attributes", "fifo", "creating", "expected"),
    [case[1:] for case in VALID],
    ids=[case[0] for case in VALID],
)
def test_valid_attributes(
    attributes: dict[str, Any], fifo: bool, creating: bool, expected: dict[str, str]
) -> None:
    assert validate_attributes(attributes, fifo=fifo, creating=creating) == expected


# --- invalid attributes --------------------------------------------------------------------------


def invalid(name: str) -> tuple[str, str]:
    return IAV, f"Invalid value for the parameter {name}."


def unknown(name: str) -> tuple[str, str]:
    return IAN, f"Unknown Attribute {name}."


def redrive_error(value: str, reason: str) -> tuple[str, str]:
    return IPV, f"Value {value} for parameter RedrivePolicy is invalid. Reason: {reason}"


def allow_error(value: str, reason: str) -> tuple[str, str]:
    return (
        IAV,
        f"Value {value} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't "
        f"create the redrive allow policy. {reason}",
    )


NOT_A_MAP = (
    IAV,
    "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON "
    "map.",
)
UNSUPPORTED_ALLOW = (
    IAV,
    "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the "
    "redrive allow policy, as it\u2019s in an unsupported format.",
)
BY_QUEUE_NEEDS_ARNS = (
    "When you specify the byQueue permission type, you must also specify one or more "
    "sourceQueueArns values."
)
ARNS_NEED_BY_QUEUE = (
    "To specify one or more source queue ARNs, you must set redrivePermission to byQueue."
)
BAD_COUNT = "Invalid value for maxReceiveCount: {}, valid values are from 1 to 1000 both inclusive."
ELEVEN_ARNS = compact(
    {"redrivePermission": "byQueue", "sourceQueueArns": [ARN + str(i) for i in range(11)]}
)


def redrive(target: Any = ARN, count: Any = 5, **extra: Any) -> str:
    return json.dumps({"deadLetterTargetArn": target, "maxReceiveCount": count, **extra})


INVALID: list[tuple[str, dict[str, Any], bool, bool, tuple[str, str]]] = [
    # names
    ("unknown", {"Colour": "blue"}, False, False, unknown("Colour")),
    ("unknown-on-create", {"NoSuchAttribute": "1"}, False, True, unknown("NoSuchAttribute")),
    ("all-is-not-settable", {"All": "1"}, False, True, unknown("All")),
    ("wrong-case", {"visibilitytimeout": "1"}, False, False, unknown("visibilitytimeout")),
    ("read-only-arn", {"QueueArn": "x"}, False, False, unknown("QueueArn")),
    (
        "read-only-count",
        {"ApproximateNumberOfMessages": "1"},
        False,
        True,
        unknown("ApproximateNumberOfMessages"),
    ),
    ("read-only-created", {"CreatedTimestamp": "1"}, False, False, unknown("CreatedTimestamp")),
    # FifoQueue and the queue name
    ("fifo-true-on-standard-name", {"FifoQueue": "true"}, False, True, (IPV, FIFO_NAME_RULES)),
    ("fifo-false-on-standard-name", {"FifoQueue": "false"}, False, True, unknown("FifoQueue")),
    ("fifo-false-on-fifo-name", {"FifoQueue": "false"}, True, True, unknown("FifoQueue")),
    ("fifo-other-on-fifo-name", {"FifoQueue": "yes"}, True, True, unknown("FifoQueue")),
    ("fifo-name-without-attribute", {}, True, True, (IPV, NAME_RULES)),
    ("fifo-name-with-other-attribute", {"DelaySeconds": "1"}, True, True, (IPV, NAME_RULES)),
    ("fifo-set-on-standard", {"FifoQueue": "true"}, False, False, unknown("FifoQueue")),
    ("fifo-set-on-fifo", {"FifoQueue": "true"}, True, False, unknown("FifoQueue")),
    # FIFO-only attributes on standard queues
    (
        "content-dedup-on-standard",
        {"ContentBasedDeduplication": "true"},
        False,
        False,
        unknown("ContentBasedDeduplication"),
    ),
    (
        "dedup-scope-on-standard",
        {"DeduplicationScope": "queue"},
        False,
        True,
        unknown("DeduplicationScope"),
    ),
    (
        "throughput-on-standard",
        {"FifoThroughputLimit": "perQueue"},
        False,
        False,
        unknown("FifoThroughputLimit"),
    ),
    # integers
    (
        "visibility-above",
        {"VisibilityTimeout": "43201"},
        False,
        False,
        invalid("VisibilityTimeout"),
    ),
    ("visibility-negative", {"VisibilityTimeout": "-1"}, False, True, invalid("VisibilityTimeout")),
    ("size-below", {"MaximumMessageSize": "1023"}, False, False, invalid("MaximumMessageSize")),
    ("size-above", {"MaximumMessageSize": "1048577"}, False, True, invalid("MaximumMessageSize")),
    (
        "retention-below",
        {"MessageRetentionPeriod": "59"},
        False,
        False,
        invalid("MessageRetentionPeriod"),
    ),
    (
        "retention-above",
        {"MessageRetentionPeriod": "1209601"},
        False,
        True,
        invalid("MessageRetentionPeriod"),
    ),
    ("delay-above", {"DelaySeconds": "901"}, False, False, invalid("DelaySeconds")),
    (
        "wait-above",
        {"ReceiveMessageWaitTimeSeconds": "21"},
        False,
        False,
        invalid("ReceiveMessageWaitTimeSeconds"),
    ),
    (
        "kms-reuse-below",
        {"KmsDataKeyReusePeriodSeconds": "59"},
        False,
        False,
        invalid("KmsDataKeyReusePeriodSeconds"),
    ),
    (
        "kms-reuse-above",
        {"KmsDataKeyReusePeriodSeconds": "86401"},
        False,
        True,
        invalid("KmsDataKeyReusePeriodSeconds"),
    ),
    ("integer-words", {"DelaySeconds": "abc"}, False, False, invalid("DelaySeconds")),
    ("integer-empty", {"DelaySeconds": ""}, False, False, invalid("DelaySeconds")),
    ("integer-blank", {"VisibilityTimeout": " "}, False, True, invalid("VisibilityTimeout")),
    ("integer-padded", {"VisibilityTimeout": " 2"}, False, True, invalid("VisibilityTimeout")),
    ("integer-decimal", {"VisibilityTimeout": "1.5"}, False, True, invalid("VisibilityTimeout")),
    ("integer-exponent", {"DelaySeconds": "1e3"}, False, False, invalid("DelaySeconds")),
    ("integer-unit", {"VisibilityTimeout": "10s"}, False, True, invalid("VisibilityTimeout")),
    ("integer-lone-sign", {"DelaySeconds": "-"}, False, False, invalid("DelaySeconds")),
    ("integer-underscore", {"DelaySeconds": "1_0"}, False, False, invalid("DelaySeconds")),
    ("integer-arabic-digits", {"DelaySeconds": "\u0661"}, False, False, invalid("DelaySeconds")),
    ("integer-boolean", {"DelaySeconds": True}, False, False, invalid("DelaySeconds")),
    # booleans and choices
    (
        "sse-not-boolean",
        {"SqsManagedSseEnabled": "yes"},
        False,
        False,
        invalid("SqsManagedSseEnabled"),
    ),
    (
        "content-dedup-not-boolean",
        {"ContentBasedDeduplication": "1"},
        True,
        False,
        invalid("ContentBasedDeduplication"),
    ),
    (
        "dedup-scope-unknown",
        {"DeduplicationScope": "group"},
        True,
        False,
        invalid("DeduplicationScope"),
    ),
    (
        "dedup-scope-wrong-case",
        {"DeduplicationScope": "Queue"},
        True,
        False,
        invalid("DeduplicationScope"),
    ),
    (
        "throughput-unknown",
        {"FifoThroughputLimit": "perGroup"},
        True,
        False,
        invalid("FifoThroughputLimit"),
    ),
    (
        "per-group-limit-with-queue-scope",
        {"DeduplicationScope": "queue", "FifoThroughputLimit": "perMessageGroupId"},
        True,
        False,
        (
            IAV,
            "Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId "
            "value is allowed only when the value for DeduplicationScope is messageGroup.",
        ),
    ),
    (
        "per-group-limit-with-default-scope-on-create",
        {"FifoQueue": "true", "FifoThroughputLimit": "perMessageGroupId"},
        True,
        True,
        (
            IAV,
            "Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId "
            "value is allowed only when the value for DeduplicationScope is messageGroup.",
        ),
    ),
    # Policy
    ("policy-not-json", {"Policy": "not json"}, False, False, invalid("Policy")),
    ("policy-truncated", {"Policy": "{"}, False, False, invalid("Policy")),
    ("policy-array", {"Policy": "[1, 2]"}, False, False, invalid("Policy")),
    ("policy-single-quotes", {"Policy": "{'a': 'b'}"}, False, True, invalid("Policy")),
    # RedrivePolicy
    ("redrive-not-json", {"RedrivePolicy": "nope"}, False, False, NOT_A_MAP),
    ("redrive-blank", {"RedrivePolicy": " "}, False, False, NOT_A_MAP),
    ("redrive-array", {"RedrivePolicy": "[]"}, False, False, NOT_A_MAP),
    ("redrive-number", {"RedrivePolicy": "4"}, False, True, NOT_A_MAP),
    (
        "redrive-without-count",
        {"RedrivePolicy": "{}"},
        False,
        False,
        redrive_error(
            "{}", "Redrive policy does not contain mandatory attribute: maxReceiveCount."
        ),
    ),
    (
        "redrive-without-target",
        {"RedrivePolicy": '{"maxReceiveCount": 5}'},
        False,
        False,
        redrive_error(
            '{"maxReceiveCount": 5}',
            "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.",
        ),
    ),
    (
        "redrive-count-zero",
        {"RedrivePolicy": redrive(count=0)},
        False,
        False,
        redrive_error(redrive(count=0), BAD_COUNT.format("0")),
    ),
    (
        "redrive-count-1001",
        {"RedrivePolicy": redrive(count=1001)},
        False,
        True,
        redrive_error(redrive(count=1001), BAD_COUNT.format("1001")),
    ),
    (
        "redrive-count-negative",
        {"RedrivePolicy": redrive(count=-36)},
        False,
        False,
        redrive_error(redrive(count=-36), BAD_COUNT.format("-36")),
    ),
    (
        "redrive-count-words",
        {"RedrivePolicy": redrive(count="many")},
        False,
        False,
        redrive_error(redrive(count="many"), BAD_COUNT.format("many")),
    ),
    (
        "redrive-count-float",
        {"RedrivePolicy": redrive(count=2.5)},
        False,
        False,
        redrive_error(redrive(count=2.5), BAD_COUNT.format("2.5")),
    ),
    (
        "redrive-target-dummy",
        {"RedrivePolicy": redrive(target="dummy", count=42)},
        False,
        False,
        redrive_error(redrive(target="dummy", count=42), "Invalid value for deadLetterTargetArn."),
    ),
    (
        "redrive-target-bad-account",
        {"RedrivePolicy": redrive(target="arn:aws:sqs:us-east-1:123:dlq")},
        False,
        False,
        redrive_error(
            redrive(target="arn:aws:sqs:us-east-1:123:dlq"),
            "Invalid value for deadLetterTargetArn.",
        ),
    ),
    (
        "redrive-target-not-string",
        {"RedrivePolicy": redrive(target=7)},
        False,
        False,
        redrive_error(redrive(target=7), "Invalid value for deadLetterTargetArn."),
    ),
    (
        "redrive-target-sns",
        {"RedrivePolicy": redrive(target="arn:aws:sns:us-east-1:123456789012:MyTopic")},
        False,
        False,
        redrive_error(
            redrive(target="arn:aws:sns:us-east-1:123456789012:MyTopic"),
            "Only SQS queues are valid resources for deadLetterTargetArn.",
        ),
    ),
    (
        "redrive-extra-key",
        {"RedrivePolicy": redrive(dummyField="x")},
        False,
        False,
        redrive_error(
            redrive(dummyField="x"),
            "Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].",
        ),
    ),
    (
        "redrive-standard-to-fifo",
        {"RedrivePolicy": redrive(target=FIFO_ARN)},
        False,
        False,
        redrive_error(
            redrive(target=FIFO_ARN), "Dead-letter queue must be same type of queue as the source.."
        ),
    ),
    (
        "redrive-fifo-to-standard",
        {"RedrivePolicy": redrive()},
        True,
        False,
        redrive_error(redrive(), "Dead-letter queue must be same type of queue as the source.."),
    ),
    # RedriveAllowPolicy
    ("allow-not-json", {"RedriveAllowPolicy": "badjson"}, False, False, UNSUPPORTED_ALLOW),
    ("allow-array", {"RedriveAllowPolicy": "[]"}, False, False, UNSUPPORTED_ALLOW),
    ("allow-no-permission", {"RedriveAllowPolicy": "{}"}, False, False, UNSUPPORTED_ALLOW),
    (
        "allow-unknown-permission",
        {"RedriveAllowPolicy": '{"redrivePermission": "sometimes"}'},
        False,
        False,
        UNSUPPORTED_ALLOW,
    ),
    (
        "allow-unknown-key",
        {"RedriveAllowPolicy": '{"redrivePermission": "allowAll", "dummy": "value"}'},
        False,
        False,
        UNSUPPORTED_ALLOW,
    ),
    (
        "allow-arns-not-list",
        {"RedriveAllowPolicy": '{"redrivePermission": "byQueue", "sourceQueueArns": "arn"}'},
        False,
        False,
        UNSUPPORTED_ALLOW,
    ),
    (
        "allow-arns-not-strings",
        {"RedriveAllowPolicy": '{"redrivePermission": "byQueue", "sourceQueueArns": [{}]}'},
        False,
        False,
        UNSUPPORTED_ALLOW,
    ),
    (
        "allow-by-queue-without-arns",
        {"RedriveAllowPolicy": '{"redrivePermission":"byQueue"}'},
        False,
        False,
        allow_error('{"redrivePermission":"byQueue"}', BY_QUEUE_NEEDS_ARNS),
    ),
    (
        "allow-by-queue-empty-arns",
        {"RedriveAllowPolicy": '{"redrivePermission":"byQueue","sourceQueueArns":[]}'},
        False,
        True,
        allow_error('{"redrivePermission":"byQueue","sourceQueueArns":[]}', BY_QUEUE_NEEDS_ARNS),
    ),
    (
        "allow-by-queue-eleven-arns",
        {"RedriveAllowPolicy": ELEVEN_ARNS},
        False,
        False,
        allow_error(ELEVEN_ARNS, "The maximum number of source queue ARNs you can specify is 10."),
    ),
    (
        "allow-all-with-arns",
        {
            "RedriveAllowPolicy": compact(
                {"redrivePermission": "allowAll", "sourceQueueArns": [ARN]}
            )
        },
        False,
        False,
        allow_error(
            compact({"redrivePermission": "allowAll", "sourceQueueArns": [ARN]}), ARNS_NEED_BY_QUEUE
        ),
    ),
    (
        "deny-all-with-arns",
        {"RedriveAllowPolicy": compact({"redrivePermission": "denyAll", "sourceQueueArns": [ARN]})},
        False,
        False,
        allow_error(
            compact({"redrivePermission": "denyAll", "sourceQueueArns": [ARN]}), ARNS_NEED_BY_QUEUE
        ),
    ),
    # server-side encryption
    (
        "kms-and-sse-sqs",
        {"KmsMasterKeyId": "alias/aws/sqs", "SqsManagedSseEnabled": "true"},
        False,
        False,
        (
            IAN,
            "You can use one type of server-side encryption (SSE) at one time. You can either "
            "enable KMS SSE or SQS SSE.",
        ),
    ),
]


@pytest.mark.parametrize(
    ("attributes", "fifo", "creating", "expected"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_invalid_attributes(
    attributes: dict[str, Any], fifo: bool, creating: bool, expected: tuple[str, str]
) -> None:
    assert (
        failure(lambda: validate_attributes(attributes, fifo=fifo, creating=creating)) == expected
    )


def test_unknown_names_are_reported_before_bad_values() -> None:
    attributes = {"DelaySeconds": "901", "Colour": "blue"}
    assert failure(lambda: validate_attributes(attributes, fifo=False, creating=False)) == unknown(
        "Colour"
    )


# --- parsing stored policies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        (compact({"deadLetterTargetArn": ARN, "maxReceiveCount": 5}), (ARN, 5)),
        (json.dumps({"deadLetterTargetArn": ARN, "maxReceiveCount": "7"}), (ARN, 7)),
        ("", None),
        ("not json", None),
        ("[]", None),
        ('{"maxReceiveCount": 5}', None),
        (json.dumps({"deadLetterTargetArn": ARN}), None),
        (json.dumps({"deadLetterTargetArn": ARN, "maxReceiveCount": "x"}), None),
        (json.dumps({"deadLetterTargetArn": ARN, "maxReceiveCount": True}), None),
    ],
    ids=[
        "canonical",
        "count-as-string",
        "empty",
        "not-json",
        "not-a-map",
        "no-target",
        "no-count",
        "count-words",
        "count-boolean",
    ],
)
def test_parse_redrive_policy(value: str, parsed: tuple[str, int] | None) -> None:
    assert parse_redrive_policy(value) == parsed


def test_parse_validated_redrive_policy_round_trips() -> None:
    given = {"RedrivePolicy": json.dumps({"maxReceiveCount": "3", "deadLetterTargetArn": ARN})}
    stored = validate_attributes(given, fifo=False, creating=True)["RedrivePolicy"]
    assert parse_redrive_policy(stored) == (ARN, 3)


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ('{"redrivePermission":"allowAll"}', ("allowAll", [])),
        ('{"redrivePermission":"denyAll"}', ("denyAll", [])),
        (compact({"redrivePermission": "byQueue", "sourceQueueArns": [ARN]}), ("byQueue", [ARN])),
        ("", None),
        ("nope", None),
        ('{"redrivePermission":"sometimes"}', None),
    ],
    ids=["allow-all", "deny-all", "by-queue", "empty", "not-json", "unknown-permission"],
)
def test_parse_redrive_allow_policy(value: str, parsed: tuple[str, list[str]] | None) -> None:
    assert parse_redrive_allow_policy(value) == parsed
