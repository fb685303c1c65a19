"""HTTP/S delivery policies: AWS's limits and texts, the stored form, merging, retry schedules."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.sns.delivery_policy import (
    DEFAULT_RETRY_POLICY,
    DeliveryPolicyError,
    check_delivery_policy,
    effective_delivery_policy,
    effective_subscription_delivery_policy,
    effective_topic_delivery_policy,
    retry_delays,
)


def sub_policy(**retry: Any) -> str:
    return json.dumps({"healthyRetryPolicy": retry})


def topic_policy(**http: Any) -> str:
    return json.dumps({"http": http})


def rejection(text: str, scope: str) -> DeliveryPolicyError:
    with pytest.raises(DeliveryPolicyError) as caught:
        check_delivery_policy(text, scope=scope)
    return caught.value


BASE = {"minDelayTarget": 5, "maxDelayTarget": 30, "numRetries": 10}

VALID_SUBSCRIPTION = [
    "{}",
    sub_policy(numRetries=5),
    sub_policy(**BASE),
    sub_policy(minDelayTarget=1, maxDelayTarget=60, numRetries=50, numNoDelayRetries=3,
               numMinDelayRetries=2, numMaxDelayRetries=35, backoffFunction="exponential"),
    sub_policy(numRetries=0),
    sub_policy(numRetries=100, minDelayTarget=1, maxDelayTarget=1),
    sub_policy(**BASE, numNoDelayRetries=4, numMinDelayRetries=3, numMaxDelayRetries=3),
    sub_policy(minDelayTarget=1200, maxDelayTarget=1200, numRetries=3),  # exactly 3600 s
    json.dumps({"throttlePolicy": {"maxReceivesPerSecond": 1}}),
    json.dumps({"requestPolicy": {"headerContentType": "application/json"}}),
    json.dumps({"requestPolicy": {"headerContentType": "text/plain; charset=UTF-8"}}),
    json.dumps({"requestPolicy": {"headerContentType": "application/xml"}}),
    json.dumps({"guaranteed": True}),
]


@pytest.mark.parametrize("text", VALID_SUBSCRIPTION)
def test_valid_subscription_policies(text: str) -> None:
    check_delivery_policy(text, scope="subscription")


@pytest.mark.parametrize("text", [
    "{}",
    topic_policy(),
    topic_policy(defaultHealthyRetryPolicy={"numRetries": 5}),
    topic_policy(defaultHealthyRetryPolicy=BASE, disableSubscriptionOverrides=True,
                 defaultThrottlePolicy={"maxReceivesPerSecond": 5},
                 defaultRequestPolicy={"headerContentType": "application/json"}),
])
def test_valid_topic_policies(text: str) -> None:
    check_delivery_policy(text, scope="topic")


H = "healthyRetryPolicy"
INVALID_SUBSCRIPTION = [
    # Recorded from AWS (a Subscribe through CloudFormation, awsdocs/amazon-sns-developer-guide#5).
    (sub_policy(numRetries=0, minDelayTarget=0, maxDelayTarget=0, backoffFunction="exponential"),
     f"{H}.minDelayTarget must be greater than or equal to 1"),
    (sub_policy(**{**BASE, "maxDelayTarget": 3601}),
     f"{H}.maxDelayTarget must be less than or equal to 3600"),
    (sub_policy(**{**BASE, "minDelayTarget": 31}),
     f"{H}.maxDelayTarget must be greater than or equal to minDelayTarget"),
    (sub_policy(**{**BASE, "numRetries": 101}),
     f"{H}.numRetries must be less than or equal to 100"),
    (sub_policy(**{**BASE, "numRetries": -1}),
     f"{H}.numRetries must be greater than or equal to 0"),
    (sub_policy(**BASE, numNoDelayRetries=-1),
     f"{H}.numNoDelayRetries must be greater than or equal to 0"),
    (sub_policy(**BASE, numMinDelayRetries=-2),
     f"{H}.numMinDelayRetries must be greater than or equal to 0"),
    (sub_policy(**BASE, numMaxDelayRetries=-3),
     f"{H}.numMaxDelayRetries must be greater than or equal to 0"),
    (sub_policy(**BASE, numNoDelayRetries=4, numMinDelayRetries=4, numMaxDelayRetries=3),
     f"{H}.numRetries must be greater than or equal to total of numMinDelayRetries, "
     "numNoDelayRetries and numMaxDelayRetries"),
    (sub_policy(**BASE, backoffFunction="cubic"),
     f"{H}.backoffFunction: cubic is not a valid backoff function"),
    (sub_policy(**{**BASE, "numRetries": 1.5}), f"{H}.numRetries must be an integer"),
    (sub_policy(**{**BASE, "numRetries": "5"}), f"{H}.numRetries must be an integer"),
    (sub_policy(**{**BASE, "numRetries": True}), f"{H}.numRetries must be an integer"),
    (sub_policy(minDelayTarget=3599, maxDelayTarget=3600),
     f"{H}: Total policy retry time cannot be greater than 3600 seconds"),
    (sub_policy(minDelayTarget=1201, maxDelayTarget=1201, numRetries=3),
     f"{H}: Total policy retry time cannot be greater than 3600 seconds"),
    (sub_policy(**BASE, bogus=1), f"{H}.bogus is not a recognized field"),
    (json.dumps({"bogus": {}}), "bogus is not a recognized field"),
    (json.dumps({H: 5}), f"{H} must be an object"),
    (json.dumps({"throttlePolicy": {"maxReceivesPerSecond": 0}}),
     "throttlePolicy.maxReceivesPerSecond must be greater than or equal to 1"),
    (json.dumps({"requestPolicy": {"headerContentType": "text/bogus"}}),
     "requestPolicy.headerContentType: text/bogus is not a supported content type"),
    (json.dumps({"requestPolicy": {"headerContentType": "application/json; charset=latin1"}}),
     "requestPolicy.headerContentType: application/json; charset=latin1 "
     "is not a supported content type"),
    (json.dumps({"guaranteed": "yes"}), "guaranteed must be a boolean"),
    ("{", "Invalid JSON"),
    ("[]", "Invalid JSON"),
    ("null", "Invalid JSON"),
    # The topic form is not a subscription policy.
    (topic_policy(defaultHealthyRetryPolicy=BASE), "http is not a recognized field"),
]


@pytest.mark.parametrize(("text", "reason"), INVALID_SUBSCRIPTION)
def test_invalid_subscription_policies(text: str, reason: str) -> None:
    error = rejection(text, "subscription")
    assert error.reason == reason
    assert error.message == f"Invalid parameter: DeliveryPolicy: {reason}"
    assert error.aws_message(in_subscribe=True) == (
        f"Invalid parameter: Attributes Reason: DeliveryPolicy: {reason}")


T = "http.defaultHealthyRetryPolicy"
INVALID_TOPIC = [
    # The text AWS returned to SetTopicAttributes (AWS re:Post, "Total policy retry time ...").
    (topic_policy(defaultHealthyRetryPolicy={"minDelayTarget": 3599, "maxDelayTarget": 3600}),
     f"Invalid parameter: DeliveryPolicy: {T}: Total policy retry time cannot be greater "
     "than 3600 seconds"),
    (topic_policy(defaultHealthyRetryPolicy={**BASE, "minDelayTarget": 0}),
     f"Invalid parameter: DeliveryPolicy: {T}.minDelayTarget must be greater than or equal to 1"),
    (topic_policy(defaultThrottlePolicy={"maxReceivesPerSecond": 0}),
     "Invalid parameter: DeliveryPolicy: http.defaultThrottlePolicy.maxReceivesPerSecond "
     "must be greater than or equal to 1"),
    (topic_policy(disableSubscriptionOverrides="yes"),
     "Invalid parameter: DeliveryPolicy: http.disableSubscriptionOverrides must be a boolean"),
    (topic_policy(bogus=1),
     "Invalid parameter: DeliveryPolicy: http.bogus is not a recognized field"),
    (json.dumps({"https": {}}),
     "Invalid parameter: DeliveryPolicy: https is not a recognized field"),
    (json.dumps({"http": []}), "Invalid parameter: DeliveryPolicy: http must be an object"),
    (sub_policy(**BASE),
     "Invalid parameter: DeliveryPolicy: healthyRetryPolicy is not a recognized field"),
]


@pytest.mark.parametrize(("text", "message"), INVALID_TOPIC)
def test_invalid_topic_policies(text: str, message: str) -> None:
    assert rejection(text, "topic").message == message


def test_unknown_scope_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="scope"):
        check_delivery_policy("{}", scope="queue")


def test_subscription_policy_is_stored_with_every_field() -> None:
    # The form AWS returns for {"healthyRetryPolicy":{"maxDelayTarget":20,"minDelayTarget":5,
    # "numRetries":5}} (recorded in terraform-provider-aws's subscription tests).
    stored = check_delivery_policy(
        '{"healthyRetryPolicy":{"maxDelayTarget":20,"minDelayTarget":5,"numRetries":5}}',
        scope="subscription",
    )
    assert stored == (
        '{"healthyRetryPolicy":{"minDelayTarget":5,"maxDelayTarget":20,"numRetries":5,'
        '"numMaxDelayRetries":null,"numNoDelayRetries":null,"numMinDelayRetries":null,'
        '"backoffFunction":null},"sicklyRetryPolicy":null,"throttlePolicy":null,'
        '"requestPolicy":null,"guaranteed":false}'
    )
    assert check_delivery_policy(stored, scope="subscription") == stored


def test_topic_policy_is_stored_compactly() -> None:
    stored = check_delivery_policy(
        topic_policy(defaultThrottlePolicy={"maxReceivesPerSecond": 2}), scope="topic")
    assert stored == (
        '{"http":{"disableSubscriptionOverrides":false,'
        '"defaultThrottlePolicy":{"maxReceivesPerSecond":2}}}'
    )
    assert check_delivery_policy("{}", scope="topic") == "{}"


def test_effective_policy_defaults_are_aws_defaults() -> None:
    policy = effective_delivery_policy(None, None)
    assert policy["healthyRetryPolicy"] == DEFAULT_RETRY_POLICY
    assert policy["healthyRetryPolicy"] == {
        "minDelayTarget": 20, "maxDelayTarget": 20, "numRetries": 3, "numMaxDelayRetries": 0,
        "numNoDelayRetries": 0, "numMinDelayRetries": 0, "backoffFunction": "linear",
    }
    assert policy["throttlePolicy"] is None
    assert policy["requestPolicy"] == {"headerContentType": "text/plain; charset=UTF-8"}
    assert retry_delays(policy) == [20.0, 20.0, 20.0]


def stored(text: str, scope: str) -> str:
    return check_delivery_policy(text, scope=scope)


def test_topic_defaults_apply_and_subscription_sections_override() -> None:
    topic = stored(topic_policy(
        defaultHealthyRetryPolicy={"numRetries": 5, "minDelayTarget": 2, "maxDelayTarget": 2},
        defaultThrottlePolicy={"maxReceivesPerSecond": 5},
        defaultRequestPolicy={"headerContentType": "application/json"},
    ), "topic")
    from_topic = effective_delivery_policy(topic, None)
    assert from_topic["healthyRetryPolicy"]["numRetries"] == 5
    assert from_topic["healthyRetryPolicy"]["backoffFunction"] == "linear"
    assert from_topic["throttlePolicy"] == {"maxReceivesPerSecond": 5}
    assert from_topic["requestPolicy"] == {"headerContentType": "application/json"}

    subscription = stored(json.dumps({
        "healthyRetryPolicy": {"numRetries": 1},
        "requestPolicy": {"headerContentType": "application/xml"},
    }), "subscription")
    merged = effective_delivery_policy(topic, subscription)
    # A subscription section replaces the topic's; its missing fields are AWS's defaults.
    assert merged["healthyRetryPolicy"] == {**DEFAULT_RETRY_POLICY, "numRetries": 1}
    assert merged["requestPolicy"] == {"headerContentType": "application/xml"}
    assert merged["throttlePolicy"] == {"maxReceivesPerSecond": 5}


def test_topic_can_disable_subscription_overrides() -> None:
    topic = stored(topic_policy(
        defaultHealthyRetryPolicy={"numRetries": 2, "minDelayTarget": 1, "maxDelayTarget": 1},
        disableSubscriptionOverrides=True,
    ), "topic")
    subscription = stored(sub_policy(numRetries=9, minDelayTarget=1, maxDelayTarget=1),
                          "subscription")
    assert effective_delivery_policy(topic, subscription)["healthyRetryPolicy"]["numRetries"] == 2


def test_effective_policy_attributes() -> None:
    assert effective_topic_delivery_policy(None) == (
        '{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,'
        '"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,'
        '"backoffFunction":"linear"},"disableSubscriptionOverrides":false,'
        '"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}'
    )
    assert effective_subscription_delivery_policy(None, None) == (
        '{"healthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,'
        '"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,'
        '"backoffFunction":"linear"},"sicklyRetryPolicy":null,"throttlePolicy":null,'
        '"requestPolicy":{"headerContentType":"text/plain; charset=UTF-8"},"guaranteed":false}'
    )


def schedule(**retry: Any) -> list[float]:
    return retry_delays({"healthyRetryPolicy": retry})


@pytest.mark.parametrize(("retry", "delays"), [
    ({}, [20, 20, 20]),
    # The developer guide's example: maximum delay 40 s, linear: 20 s, 30 s, 40 s.
    ({"maxDelayTarget": 40}, [20, 30, 40]),
    ({"numRetries": 0}, []),
    ({"numRetries": 2, "numNoDelayRetries": 2}, [0, 0]),
    # 1 immediate, 2 at the minimum, 4 backing off, 3 at the maximum.
    ({"minDelayTarget": 5, "maxDelayTarget": 35, "numRetries": 10, "numNoDelayRetries": 1,
      "numMinDelayRetries": 2, "numMaxDelayRetries": 3},
     [0, 5, 5, 5, 15, 25, 35, 35, 35, 35]),
    ({"minDelayTarget": 5, "maxDelayTarget": 30, "numRetries": 3, "numNoDelayRetries": 1,
      "numMinDelayRetries": 1, "numMaxDelayRetries": 1, "backoffFunction": "exponential"},
     [0, 5, 30]),
    ({"minDelayTarget": 2, "maxDelayTarget": 32, "numRetries": 4, "backoffFunction": "arithmetic"},
     [2, 7, 17, 32]),
    ({"minDelayTarget": 2, "maxDelayTarget": 32, "numRetries": 4, "backoffFunction": "exponential"},
     [2, 6.286, 14.857, 32]),
    ({"minDelayTarget": 2, "maxDelayTarget": 16, "numRetries": 4, "backoffFunction": "geometric"},
     [2, 4, 8, 16]),
    ({"minDelayTarget": 7, "maxDelayTarget": 70, "numRetries": 1}, [7]),
])
def test_retry_schedules(retry: dict[str, Any], delays: list[float]) -> None:
    assert schedule(**retry) == pytest.approx(delays, abs=0.001)


@pytest.mark.parametrize("function", ["arithmetic", "exponential", "geometric", "linear"])
def test_backoff_rises_from_minimum_to_maximum(function: str) -> None:
    delays = schedule(minDelayTarget=5, maxDelayTarget=260, numRetries=10,
                      backoffFunction=function)
    assert delays[0] == 5 and delays[-1] == 260
    assert delays == sorted(delays)
    assert len(set(delays)) == 10


def test_effective_policy_or_its_retry_section_both_plan() -> None:
    retry = {**DEFAULT_RETRY_POLICY, "numRetries": 2}
    assert retry_delays(retry) == retry_delays({"healthyRetryPolicy": retry}) == [20.0, 20.0]
