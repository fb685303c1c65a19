"""Subscription protocols, endpoints and attributes, with AWS's errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.errors import AwsError
from emulator.sns import subscription_rules as rules


def invalid(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(AwsError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == "InvalidParameter"
    return caught.value.message


def check(attributes: dict[str, str], current: dict[str, str] | None = None) -> dict[str, str]:
    return rules.check_subscription_attributes(
        attributes, current=current or {}, delivery_policy=lambda v: v
    )


def test_protocols() -> None:
    assert rules.check_protocol("SQS") == "sqs"
    assert rules.check_protocol("https") == "https"
    assert "Kyu does not deliver to lambda" in invalid(rules.check_protocol, "lambda")
    assert invalid(rules.check_protocol, "pigeon") == (
        "Invalid parameter: Amazon SNS does not support this protocol string: pigeon")


def test_endpoints() -> None:
    queue = "arn:aws:sqs:us-east-1:123456789012:q"
    assert rules.check_endpoint("sqs", queue, fifo_topic=False) == queue
    assert rules.check_endpoint("sqs", queue, fifo_topic=True) == queue
    assert invalid(rules.check_endpoint, "sqs", "q", fifo_topic=False) == (
        "Invalid parameter: SQS endpoint ARN")
    assert "FIFO SQS Queues can not be subscribed" in invalid(
        rules.check_endpoint, "sqs", queue + ".fifo", fifo_topic=False)
    assert rules.check_endpoint("http", "http://h/x", fifo_topic=False) == "http://h/x"
    assert invalid(rules.check_endpoint, "https", "http://h/x", fifo_topic=False) == (
        "Invalid parameter: Endpoint must match the specified protocol")
    invalid(rules.check_endpoint, "http", "http://h/x", fifo_topic=True)


def test_attributes() -> None:
    assert check({"RawMessageDelivery": "TRUE"}) == {"RawMessageDelivery": "true"}
    with pytest.raises(rules.AttributeReason) as caught:
        check({"RawMessageDelivery": "yes"})
    assert caught.value.reason == "RawMessageDelivery: Invalid value [yes]. Must be true or false."
    with pytest.raises(rules.AttributeReason, match="AttributeName"):
        check({"Colour": "red"})
    with pytest.raises(rules.AttributeReason, match="deadLetterTargetArn"):
        check({"RedrivePolicy": json.dumps({"deadLetterTargetArn": "x"})})
    dlq = json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq"})
    assert check({"RedrivePolicy": dlq}) == {"RedrivePolicy": dlq}
    assert check({"RedrivePolicy": ""}) == {"RedrivePolicy": ""}


def test_filter_policies_are_checked_in_their_scope() -> None:
    nested = json.dumps({"a": {"b": ["c"]}})
    with pytest.raises(rules.FilterPolicyError):
        check({"FilterPolicy": nested})
    assert check({"FilterPolicy": nested, "FilterPolicyScope": "MessageBody"}) == {
        "FilterPolicy": nested, "FilterPolicyScope": "MessageBody"}
    # A scope change is checked against the policy already set.
    with pytest.raises(rules.FilterPolicyError):
        check({"FilterPolicyScope": "MessageAttributes"},
              current={"FilterPolicy": nested, "FilterPolicyScope": "MessageBody"})
    with pytest.raises(rules.AttributeReason, match=r"Invalid value \[Body\]"):
        check({"FilterPolicyScope": "Body"})
