"""Topic names, ARNs and attributes, with AWS's errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.errors import AwsError
from emulator.sns import topic_rules as rules


def no_policy(value: str) -> str:
    return value


def fails(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(AwsError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == "InvalidParameter"
    return caught.value.message


def test_names() -> None:
    rules.check_topic_name("a" * 256, fifo=False)
    rules.check_topic_name("Orders_2-x", fifo=False)
    rules.check_topic_name("a" * 251 + ".fifo", fifo=True)
    for bad in ("", "a" * 257, "a.b", "x.fifo", "sp ace"):
        assert fails(rules.check_topic_name, bad, fifo=False) == "Invalid parameter: Topic Name"
    for bad in ("plain", "a" * 252 + ".fifo", "a.b.fifo"):
        assert fails(rules.check_topic_name, bad, fifo=True).startswith(
            "Invalid parameter: Fifo Topic names must end with .fifo")


def test_arns() -> None:
    arn = rules.parse_topic_arn("arn:aws:sns:eu-west-1:123456789012:t.fifo")
    assert (arn.region, arn.account, arn.name) == ("eu-west-1", "123456789012", "t.fifo")
    assert fails(rules.parse_topic_arn, "t") == (
        "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1")
    assert fails(rules.parse_topic_arn, "arn:aws:sqs:eu-west-1:123456789012:q") == (
        "Invalid parameter: TopicArn")


def test_fifo_flag() -> None:
    assert rules.wants_fifo({"FifoTopic": "TRUE"})
    assert not rules.wants_fifo({})
    assert not rules.wants_fifo({"FifoTopic": "false"})
    assert "FifoTopic" in fails(rules.wants_fifo, {"FifoTopic": "yes"})


@pytest.mark.parametrize(("name", "value", "fifo"), [
    ("DisplayName", "x" * 101, False),
    ("SignatureVersion", "3", False),
    ("TracingConfig", "On", False),
    ("Policy", "not json", False),
    ("ContentBasedDeduplication", "maybe", True),
    ("ContentBasedDeduplication", "true", False),
    ("FifoThroughputScope", "Everything", True),
    ("Colour", "red", False),
])
def test_invalid_attributes(name: str, value: str, fifo: bool) -> None:
    fails(rules.check_topic_attribute, name, value, fifo=fifo, delivery_policy=no_policy)


def test_valid_attributes_are_normalized() -> None:
    check = rules.check_topic_attribute
    assert check("ContentBasedDeduplication", "TRUE", fifo=True, delivery_policy=no_policy) == (
        "true")
    assert check("HTTPSuccessFeedbackSampleRate", "50", fifo=False,
                 delivery_policy=no_policy) == "50"
    assert check("DeliveryPolicy", "{}", fifo=False, delivery_policy=lambda v: "normalized") == (
        "normalized")
    created = rules.check_create_attributes({"FifoTopic": "true", "DisplayName": ""}, fifo=True,
                                            delivery_policy=no_policy)
    assert created == {}


def test_the_default_policy_binds_the_owner() -> None:
    policy = json.loads(rules.default_policy("arn:aws:sns:us-east-1:1:t", "1"))
    [statement] = policy["Statement"]
    assert statement["Principal"] == {"AWS": "*"}
    assert statement["Condition"] == {"StringEquals": {"AWS:SourceOwner": "1"}}
