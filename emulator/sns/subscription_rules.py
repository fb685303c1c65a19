"""Pure rules of SNS subscriptions: protocols, endpoints and settable attributes.

Attribute errors are *reasons*: SetSubscriptionAttributes answers ``Invalid parameter: <reason>``
and Subscribe ``Invalid parameter: Attributes Reason: <reason>``, as AWS does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from emulator.sns.errors import invalid_parameter
from emulator.sns.filter_policy import (
    FILTER_POLICY_SCOPES,
    FilterPolicyError,
    parse_filter_policy,
    scope_error_message,
)

SUPPORTED_PROTOCOLS = ("sqs", "http", "https")
# Protocols AWS knows that Kyu does not deliver to.
OTHER_AWS_PROTOCOLS = ("email", "email-json", "sms", "application", "lambda", "firehose")
_SQS_ARN = re.compile(r"arn:aws:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(?:\.fifo)?)")
SETTABLE = (
    "DeliveryPolicy", "FilterPolicy", "FilterPolicyScope", "RawMessageDelivery",
    "RedrivePolicy", "SubscriptionRoleArn", "ReplayPolicy",
)


class AttributeReason(Exception):
    """An invalid subscription attribute; ``reason`` is AWS's text after its prefix."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class QueueArn:
    region: str
    account: str
    name: str

    @property
    def fifo(self) -> bool:
        return self.name.endswith(".fifo")


def parse_queue_arn(arn: str) -> QueueArn | None:
    match = _SQS_ARN.fullmatch(arn)
    return None if match is None else QueueArn(match.group(1), match.group(2), match.group(3))


def check_protocol(protocol: str) -> str:
    lowered = protocol.lower()
    if lowered in SUPPORTED_PROTOCOLS:
        return lowered
    if lowered in OTHER_AWS_PROTOCOLS:
        raise invalid_parameter(
            f"Invalid parameter: Protocol Reason: Kyu does not deliver to {lowered} endpoints; "
            f"it supports {', '.join(SUPPORTED_PROTOCOLS)}"
        )
    raise invalid_parameter(
        f"Invalid parameter: Amazon SNS does not support this protocol string: {protocol}"
    )


def check_endpoint(protocol: str, endpoint: str | None, *, fifo_topic: bool) -> str:
    """The endpoint of a new subscription, or AWS's InvalidParameter."""
    if protocol == "sqs":
        queue = parse_queue_arn(endpoint or "")
        if queue is None:
            raise invalid_parameter("Invalid parameter: SQS endpoint ARN")
        if queue.fifo and not fifo_topic:
            raise invalid_parameter(
                "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not "
                "be subscribed to standard SNS topics"
            )
        return endpoint or ""
    if fifo_topic:
        raise invalid_parameter(
            "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO topics only support "
            "sqs subscriptions"
        )
    if not endpoint or not endpoint.lower().startswith(f"{protocol}://"):
        raise invalid_parameter("Invalid parameter: Endpoint must match the specified protocol")
    return endpoint


def _boolean(name: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value.lower() not in ("true", "false"):
            raise AttributeReason(f"{name}: Invalid value [{value}]. Must be true or false.")
        return value.lower()
    return check


def _redrive_policy(value: str) -> str:
    try:
        document = json.loads(value)
    except ValueError:
        raise AttributeReason("RedrivePolicy: Invalid RedrivePolicy, please provide valid "
                              "json") from None
    if not isinstance(document, dict):
        raise AttributeReason("RedrivePolicy: Invalid RedrivePolicy, please provide valid json")
    target = document.get("deadLetterTargetArn")
    if not isinstance(target, str) or parse_queue_arn(target) is None:
        raise AttributeReason("RedrivePolicy: deadLetterTargetArn is an invalid arn")
    return value


def _any(value: str) -> str:
    return value


def check_subscription_attributes(
    attributes: Mapping[str, str], *, current: Mapping[str, str],
    delivery_policy: Callable[[str], str],
) -> dict[str, str]:
    """Validate new attribute values against a subscription's ``current`` ones.

    Raises AttributeReason (or FilterPolicyError for a policy AWS rejects). An empty value removes
    an attribute (FilterPolicy, RedrivePolicy, DeliveryPolicy).
    """
    checks: dict[str, Callable[[str], str]] = {
        "RawMessageDelivery": _boolean("RawMessageDelivery"),
        "RedrivePolicy": _redrive_policy,
        "DeliveryPolicy": delivery_policy,
        "SubscriptionRoleArn": _any,
        "ReplayPolicy": _any,
    }
    checked: dict[str, str] = {}
    for name, value in attributes.items():
        if name in ("FilterPolicy", "FilterPolicyScope"):
            continue
        check = checks.get(name)
        if check is None:
            raise AttributeReason("AttributeName")
        checked[name] = check(value) if value != "" else ""
    if "FilterPolicyScope" in attributes or "FilterPolicy" in attributes:
        checked.update(_filter_attributes(attributes, current))
    return checked


def _filter_attributes(
    attributes: Mapping[str, str], current: Mapping[str, str]
) -> dict[str, str]:
    scope = attributes.get("FilterPolicyScope", current.get("FilterPolicyScope"))
    if scope is not None and scope not in FILTER_POLICY_SCOPES:
        raise AttributeReason(scope_error_message(scope).removeprefix("Invalid parameter: "))
    policy = attributes.get("FilterPolicy", current.get("FilterPolicy", ""))
    out: dict[str, str] = {}
    if "FilterPolicyScope" in attributes:
        out["FilterPolicyScope"] = attributes["FilterPolicyScope"]
    if "FilterPolicy" in attributes:
        out["FilterPolicy"] = policy
    if policy:
        parse_filter_policy(policy, scope or "MessageAttributes")  # raises FilterPolicyError
    return out


__all__ = [
    "AttributeReason",
    "FilterPolicyError",
    "QueueArn",
    "check_endpoint",
    "check_protocol",
    "check_subscription_attributes",
    "parse_queue_arn",
]
