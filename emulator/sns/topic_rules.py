"""Pure rules of SNS topics: names, ARNs, settable attributes and their defaults.

Texts follow the SNS API reference (CreateTopic, SetTopicAttributes, GetTopicAttributes) and the
errors AWS answers with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from emulator.sns.errors import invalid_parameter

FIFO_SUFFIX = ".fifo"
_NAME = re.compile(r"[A-Za-z0-9_-]{1,256}")
_FIFO_NAME = re.compile(r"[A-Za-z0-9_-]{1,251}\.fifo")
_ARN = re.compile(r"arn:aws:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]+)")
DEFAULT_POLICY_ACTIONS = (
    "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
    "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic",
    "SNS:Publish",
)
# The topic-level default EffectiveDeliveryPolicy GetTopicAttributes shows (HTTP retries).
DEFAULT_EFFECTIVE_DELIVERY_POLICY = json.dumps({
    "http": {
        "defaultHealthyRetryPolicy": {
            "minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3,
            "numMaxDelayRetries": 0, "numNoDelayRetries": 0, "numMinDelayRetries": 0,
            "backoffFunction": "linear",
        },
        "disableSubscriptionOverrides": False,
        "defaultRequestPolicy": {"headerContentType": "text/plain; charset=UTF-8"},
    }
}, separators=(",", ":"))
FEEDBACK_PROTOCOLS = ("Application", "HTTP", "Firehose", "Lambda", "SQS")
FEEDBACK_ATTRIBUTES = frozenset(
    f"{protocol}{kind}"
    for protocol in FEEDBACK_PROTOCOLS
    for kind in ("SuccessFeedbackRoleArn", "FailureFeedbackRoleArn", "SuccessFeedbackSampleRate")
)
FIFO_ONLY_ATTRIBUTES = ("ContentBasedDeduplication", "ArchivePolicy", "FifoThroughputScope")
CREATE_ONLY_ATTRIBUTES = ("FifoTopic",)
MAX_DISPLAY_NAME = 100


@dataclass(frozen=True)
class TopicArn:
    region: str
    account: str
    name: str


def parse_topic_arn(arn: str, parameter: str = "TopicArn") -> TopicArn:
    """A topic ARN's parts; AWS's InvalidParameter when it is not a topic ARN at all."""
    match = _ARN.fullmatch(arn)
    if match is None:
        parts = arn.split(":")
        if len(parts) < 6:
            raise invalid_parameter(
                f"Invalid parameter: {parameter} Reason: An ARN must have at least 6 elements, "
                f"not {len(parts)}"
            )
        raise invalid_parameter(f"Invalid parameter: {parameter}")
    return TopicArn(match.group(1), match.group(2), match.group(3))


def check_topic_name(name: str, *, fifo: bool) -> None:
    if fifo:
        if not _FIFO_NAME.fullmatch(name):
            raise invalid_parameter(
                "Invalid parameter: Fifo Topic names must end with .fifo and must be made up of "
                "only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, "
                "and must be between 1 and 256 characters long."
            )
    elif not _NAME.fullmatch(name):
        raise invalid_parameter("Invalid parameter: Topic Name")


def wants_fifo(attributes: Mapping[str, str]) -> bool:
    value = attributes.get("FifoTopic")
    if value is None:
        return False
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise invalid_parameter("Invalid parameter: FifoTopic Reason: Invalid value for FifoTopic")
    return lowered == "true"


def default_policy(arn: str, account: str) -> str:
    return json.dumps({
        "Version": "2008-10-17",
        "Id": "__default_policy_ID",
        "Statement": [{
            "Sid": "__default_statement_ID",
            "Effect": "Allow",
            "Principal": {"AWS": "*"},
            "Action": list(DEFAULT_POLICY_ACTIONS),
            "Resource": arn,
            "Condition": {"StringEquals": {"AWS:SourceOwner": account}},
        }],
    }, separators=(",", ":"))


def _boolean(name: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value.lower() not in ("true", "false"):
            raise invalid_parameter(f"Invalid parameter: {name}")
        return value.lower()
    return check


def _one_of(name: str, allowed: tuple[str, ...]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in allowed:
            raise invalid_parameter(f"Invalid parameter: {name}")
        return value
    return check


def _display_name(value: str) -> str:
    if len(value) > MAX_DISPLAY_NAME:
        raise invalid_parameter("Invalid parameter: DisplayName")
    return value


def _policy(value: str) -> str:
    try:
        document = json.loads(value)
    except ValueError:
        raise invalid_parameter("Invalid parameter: Policy Error: null") from None
    if not isinstance(document, dict) or not isinstance(document.get("Statement"), list | dict):
        raise invalid_parameter("Invalid parameter: Policy Error: null")
    return value


def _json_object(name: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value == "":
            return value
        try:
            document = json.loads(value)
        except ValueError:
            document = None
        if not isinstance(document, dict):
            raise invalid_parameter(f"Invalid parameter: {name}")
        return value
    return check


def _any(value: str) -> str:
    return value


CHECKS: Mapping[str, Callable[[str], str]] = {
    "DisplayName": _display_name,
    "Policy": _policy,
    "KmsMasterKeyId": _any,
    "SignatureVersion": _one_of("SignatureVersion", ("1", "2")),
    "TracingConfig": _one_of("TracingConfig", ("PassThrough", "Active")),
    "ContentBasedDeduplication": _boolean("ContentBasedDeduplication"),
    "FifoThroughputScope": _one_of("FifoThroughputScope", ("Topic", "MessageGroup")),
    "ArchivePolicy": _json_object("ArchivePolicy"),
    **dict.fromkeys(FEEDBACK_ATTRIBUTES, _any),
}


def check_topic_attribute(
    name: str, value: str, *, fifo: bool, delivery_policy: Callable[[str], str],
) -> str:
    """The value to store for a settable attribute, or AWS's InvalidParameter.

    ``delivery_policy`` validates a DeliveryPolicy (and normalizes it).
    """
    if name == "DeliveryPolicy":
        return delivery_policy(value) if value else value
    check = CHECKS.get(name)
    if check is None:
        raise invalid_parameter("Invalid parameter: AttributeName")
    if name in FIFO_ONLY_ATTRIBUTES and not fifo:
        raise invalid_parameter(
            f"Invalid parameter: {name} Reason: {name} is only valid for FIFO topics"
        )
    return check(value)


def check_create_attributes(
    attributes: Mapping[str, str], *, fifo: bool, delivery_policy: Callable[[str], str],
) -> dict[str, str]:
    """CreateTopic's attributes, validated; FifoTopic itself is kept as AWS shows it."""
    checked: dict[str, str] = {}
    for name, value in attributes.items():
        if name in CREATE_ONLY_ATTRIBUTES:
            continue
        checked[name] = check_topic_attribute(
            name, value, fifo=fifo, delivery_policy=delivery_policy
        )
    return {k: v for k, v in checked.items() if v != ""}


def fifo_defaults() -> dict[str, str]:
    return {"FifoTopic": "true", "ContentBasedDeduplication": "false"}
