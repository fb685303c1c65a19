"""Pure rules for queue names and queue attributes (CreateQueue, SetQueueAttributes,
GetQueueAttributes): which names exist, which values are valid, the defaults of a new queue,
and the canonical form values are stored in."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from emulator.errors import AwsError, invalid_parameter_value
from emulator.sqs import errors

FIFO_SUFFIX = ".fifo"
MAX_QUEUE_NAME_LENGTH = 80
QUEUE_NAME_RULES = (
    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
)
FIFO_QUEUE_NAME_RULES = (
    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
    "underscores, must end with .fifo suffix and be 1 to 80 in length"
)
_QUEUE_NAME = re.compile(r"[A-Za-z0-9_\-]+")

# The QueueAttributeName enum of the SQS API, in its order.
ALL_ATTRIBUTE_NAMES: tuple[str, ...] = (
    "All",
    "Policy",
    "VisibilityTimeout",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
    "ApproximateNumberOfMessagesDelayed",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
    "RedrivePolicy",
    "FifoQueue",
    "ContentBasedDeduplication",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "DeduplicationScope",
    "FifoThroughputLimit",
    "RedriveAllowPolicy",
    "SqsManagedSseEnabled",
)
# Computed by the service; never accepted by CreateQueue or SetQueueAttributes.
READ_ONLY_ATTRIBUTES = frozenset(
    {
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp",
        "LastModifiedTimestamp",
        "QueueArn",
    }
)
# Accepted by CreateQueue; all but the create-only ones also by SetQueueAttributes.
SETTABLE_ATTRIBUTES = frozenset(ALL_ATTRIBUTE_NAMES) - READ_ONLY_ATTRIBUTES - {"All"}
CREATE_ONLY_ATTRIBUTES = frozenset({"FifoQueue"})
FIFO_ONLY_ATTRIBUTES = frozenset(
    {"FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"}
)

INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "VisibilityTimeout": (0, 43_200),
    "MaximumMessageSize": (1_024, 1_048_576),
    "MessageRetentionPeriod": (60, 1_209_600),
    "DelaySeconds": (0, 900),
    "ReceiveMessageWaitTimeSeconds": (0, 20),
    "KmsDataKeyReusePeriodSeconds": (60, 86_400),
}
BOOLEAN_ATTRIBUTES = frozenset({"FifoQueue", "ContentBasedDeduplication", "SqsManagedSseEnabled"})
CHOICE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "DeduplicationScope": ("messageGroup", "queue"),
    "FifoThroughputLimit": ("perQueue", "perMessageGroupId"),
}
DEFAULT_KMS_DATA_KEY_REUSE_PERIOD = "300"
MAX_RECEIVE_COUNT_RANGE = (1, 1_000)
MAX_SOURCE_QUEUE_ARNS = 10
REDRIVE_PERMISSIONS = ("allowAll", "denyAll", "byQueue")

_INTEGER = re.compile(r"-?[0-9]+")
_ACCOUNT_ID = re.compile(r"[0-9]{12}")


# --- names -------------------------------------------------------------------------------------


def validate_queue_name(name: str) -> bool:
    """Check a queue name; return whether it names a FIFO queue (ends with ``.fifo``).

    Whether the name agrees with the ``FifoQueue`` attribute is checked by
    ``validate_attributes``.
    """
    fifo = name.endswith(FIFO_SUFFIX)
    base = name[: -len(FIFO_SUFFIX)] if fifo else name
    if len(name) > MAX_QUEUE_NAME_LENGTH or not _QUEUE_NAME.fullmatch(base):
        raise invalid_parameter_value(QUEUE_NAME_RULES)
    return fifo


def validate_attribute_names(names: Sequence[str]) -> list[str]:
    """The attribute names GetQueueAttributes asked for, ``All`` expanded, without repeats."""
    for name in names:
        if name not in ALL_ATTRIBUTE_NAMES:
            raise _unknown_attribute(name)
    if "All" in names:
        return [name for name in ALL_ATTRIBUTE_NAMES if name != "All"]
    return list(dict.fromkeys(names))


# --- defaults ----------------------------------------------------------------------------------


def default_attributes(fifo: bool) -> dict[str, str]:
    """The attributes a queue created without any reports."""
    attributes = {
        "VisibilityTimeout": "30",
        "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600",
        "DelaySeconds": "0",
        "ReceiveMessageWaitTimeSeconds": "0",
        "SqsManagedSseEnabled": "true",
    }
    if fifo:
        attributes |= {
            "FifoQueue": "true",
            "ContentBasedDeduplication": "false",
            "DeduplicationScope": "queue",
            "FifoThroughputLimit": "perQueue",
        }
    return attributes


# --- values ------------------------------------------------------------------------------------


def validate_attributes(
    attributes: Mapping[str, str], *, fifo: bool, creating: bool
) -> dict[str, str]:
    """Validate the attributes of CreateQueue (``creating``) or SetQueueAttributes and return
    them canonicalised. An empty ``Policy``, ``RedrivePolicy``, ``RedriveAllowPolicy`` or
    ``KmsMasterKeyId`` stays empty: it removes the attribute."""
    for name in attributes:
        _check_attribute_name(name, attributes, fifo=fifo, creating=creating)
    if creating and fifo and _text(attributes.get("FifoQueue", "")).lower() != "true":
        raise invalid_parameter_value(QUEUE_NAME_RULES)

    result = {
        name: _canonical_value(name, _text(value), fifo=fifo) for name, value in attributes.items()
    }

    kms_key = result.get("KmsMasterKeyId", "")
    if kms_key and result.get("SqsManagedSseEnabled") == "true":
        raise errors.invalid_attribute_name(
            "You can use one type of server-side encryption (SSE) at one time. You can either "
            "enable KMS SSE or SQS SSE."
        )
    if kms_key:
        result.setdefault("SqsManagedSseEnabled", "false")
        if creating:
            result.setdefault("KmsDataKeyReusePeriodSeconds", DEFAULT_KMS_DATA_KEY_REUSE_PERIOD)

    if creating or "DeduplicationScope" in result:
        check_fifo_throughput(result)
    return result


def check_fifo_throughput(attributes: Mapping[str, str]) -> None:
    """perMessageGroupId throughput needs messageGroup deduplication; ``attributes`` are a
    queue's complete attributes (its current ones merged with a SetQueueAttributes request)."""
    scope = attributes.get("DeduplicationScope", "queue")
    if attributes.get("FifoThroughputLimit") == "perMessageGroupId" and scope == "queue":
        raise errors.invalid_attribute_value(
            "Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId "
            "value is allowed only when the value for DeduplicationScope is messageGroup."
        )


def _check_attribute_name(
    name: str, attributes: Mapping[str, str], *, fifo: bool, creating: bool
) -> None:
    if name not in SETTABLE_ATTRIBUTES:
        raise _unknown_attribute(name)
    if name in CREATE_ONLY_ATTRIBUTES and not creating:
        raise _unknown_attribute(name)
    if name in FIFO_ONLY_ATTRIBUTES and not fifo:
        if name == "FifoQueue" and _text(attributes[name]).lower() == "true":
            raise invalid_parameter_value(FIFO_QUEUE_NAME_RULES)
        raise _unknown_attribute(name)
    if name == "FifoQueue" and _text(attributes[name]).lower() != "true":
        # A FifoQueue other than true makes the queue a standard one, which has no such
        # attribute.
        raise _unknown_attribute(name)


def _unknown_attribute(name: str) -> AwsError:
    return errors.invalid_attribute_name(f"Unknown Attribute {name}.")


def _invalid_value(name: str) -> AwsError:
    return errors.invalid_attribute_value(f"Invalid value for the parameter {name}.")


def _text(value: Any) -> str:
    """An attribute value as text (the JSON protocol may carry plain numbers or booleans)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _canonical_value(name: str, value: str, *, fifo: bool) -> str:
    if name in INTEGER_RANGES:
        low, high = INTEGER_RANGES[name]
        if not _INTEGER.fullmatch(value) or not low <= int(value) <= high:
            raise _invalid_value(name)
        return str(int(value))
    if name in BOOLEAN_ATTRIBUTES:
        lowered = value.lower()
        if lowered not in ("true", "false"):
            raise _invalid_value(name)
        return lowered
    if name in CHOICE_ATTRIBUTES:
        if value not in CHOICE_ATTRIBUTES[name]:
            raise _invalid_value(name)
        return value
    if name == "Policy":
        return _canonical_policy(value)
    if name == "RedrivePolicy":
        return _canonical_redrive_policy(value, fifo=fifo)
    if name == "RedriveAllowPolicy":
        return _canonical_redrive_allow_policy(value)
    return value  # KmsMasterKeyId


def _json_object(value: str) -> dict[str, Any] | None:
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None


def _compact(document: Mapping[str, Any]) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def _canonical_policy(value: str) -> str:
    if value == "":
        return value
    if _json_object(value) is None:
        raise _invalid_value("Policy")
    return value


# --- RedrivePolicy -----------------------------------------------------------------------------


def _redrive_policy_error(value: str, reason: str) -> AwsError:
    return invalid_parameter_value(
        f"Value {value} for parameter RedrivePolicy is invalid. Reason: {reason}"
    )


def _canonical_redrive_policy(value: str, *, fifo: bool) -> str:
    if value == "":
        return value
    policy = _json_object(value)
    if policy is None:
        raise errors.invalid_attribute_value(
            "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a "
            "valid JSON map."
        )
    for required in ("maxReceiveCount", "deadLetterTargetArn"):
        if required not in policy:
            raise _redrive_policy_error(
                value, f"Redrive policy does not contain mandatory attribute: {required}."
            )
    raw_count = policy["maxReceiveCount"]
    count = _max_receive_count(raw_count)
    low, high = MAX_RECEIVE_COUNT_RANGE
    if count is None or not low <= count <= high:
        shown = raw_count if isinstance(raw_count, str) else json.dumps(raw_count)
        raise _redrive_policy_error(
            value,
            f"Invalid value for maxReceiveCount: {shown}, valid values are from {low} to "
            f"{high} both inclusive.",
        )
    target = policy["deadLetterTargetArn"]
    arn_parts = _arn_parts(target)
    if arn_parts is None:
        raise _redrive_policy_error(value, "Invalid value for deadLetterTargetArn.")
    if arn_parts[2] != "sqs":
        raise _redrive_policy_error(
            value, "Only SQS queues are valid resources for deadLetterTargetArn."
        )
    if set(policy) - {"maxReceiveCount", "deadLetterTargetArn"}:
        raise _redrive_policy_error(
            value,
            "Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].",
        )
    if arn_parts[5].endswith(FIFO_SUFFIX) != fifo:
        raise _redrive_policy_error(
            value, "Dead-letter queue must be same type of queue as the source.."
        )
    return _compact({"deadLetterTargetArn": target, "maxReceiveCount": count})


def _max_receive_count(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and _INTEGER.fullmatch(raw):
        return int(raw)
    return None


def _arn_parts(arn: Any) -> list[str] | None:
    """The six parts of a well-formed ``arn:partition:service:region:account:name``."""
    if not isinstance(arn, str):
        return None
    parts = arn.split(":")
    if len(parts) != 6 or parts[0] != "arn" or not all(parts[1:4]) or not parts[5]:
        return None
    if not _ACCOUNT_ID.fullmatch(parts[4]):
        return None
    return parts


def parse_redrive_policy(value: str) -> tuple[str, int] | None:
    """(deadLetterTargetArn, maxReceiveCount) of a stored RedrivePolicy; None when the value
    is empty or not a usable policy."""
    if not value:
        return None
    policy = _json_object(value)
    if policy is None:
        return None
    target = policy.get("deadLetterTargetArn")
    count = _max_receive_count(policy.get("maxReceiveCount"))
    if not isinstance(target, str) or not target or count is None:
        return None
    return target, count


# --- RedriveAllowPolicy ------------------------------------------------------------------------


def _canonical_redrive_allow_policy(value: str) -> str:
    if value == "":
        return value
    unsupported = errors.invalid_attribute_value(
        "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create "
        "the redrive allow policy, as it\u2019s in an unsupported format."
    )
    policy = _json_object(value)
    if policy is None or policy.get("redrivePermission") not in REDRIVE_PERMISSIONS:
        raise unsupported
    if set(policy) - {"redrivePermission", "sourceQueueArns"}:
        raise unsupported
    arns = policy.get("sourceQueueArns")
    if arns is not None and (
        not isinstance(arns, list) or not all(isinstance(arn, str) for arn in arns)
    ):
        raise unsupported

    def refuse(reason: str) -> AwsError:
        return errors.invalid_attribute_value(
            f"Value {value} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS "
            f"can't create the redrive allow policy. {reason}"
        )

    if policy["redrivePermission"] != "byQueue":
        if arns is not None:
            raise refuse(
                "To specify one or more source queue ARNs, you must set redrivePermission to "
                "byQueue."
            )
    elif not arns:
        raise refuse(
            "When you specify the byQueue permission type, you must also specify one or more "
            "sourceQueueArns values."
        )
    elif len(arns) > MAX_SOURCE_QUEUE_ARNS:
        raise refuse(
            f"The maximum number of source queue ARNs you can specify is {MAX_SOURCE_QUEUE_ARNS}."
        )
    return _compact(policy)


def parse_redrive_allow_policy(value: str) -> tuple[str, list[str]] | None:
    """(redrivePermission, sourceQueueArns) of a stored RedriveAllowPolicy; None when unset."""
    policy = _json_object(value) if value else None
    if policy is None or policy.get("redrivePermission") not in REDRIVE_PERMISSIONS:
        return None
    arns = policy.get("sourceQueueArns") or []
    return policy["redrivePermission"], [arn for arn in arns if isinstance(arn, str)]
