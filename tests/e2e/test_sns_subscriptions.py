"""SNS subscriptions end to end: Subscribe, the listings, attributes, Unsubscribe and errors.

AWS facts checked (SNS API Reference: Subscribe, ListSubscriptionsByTopic,
GetSubscriptionAttributes, SetSubscriptionAttributes, Unsubscribe; the developer guide's FIFO
topic pages, whose example subscribes a standard queue to a FIFO topic):
- an sqs subscription is confirmed at once; re-subscribing the same endpoint returns its ARN;
- an sqs endpoint must be a queue ARN ("Invalid parameter: SQS endpoint ARN"); a FIFO queue
  cannot subscribe to a standard topic;
- filter policies are validated with AWS's messages, prefixed ``Attributes Reason:`` in Subscribe;
- listings page by 100 with NextToken.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.sns_helpers import new_queue, subscribe_queue, unique
from tests.e2e.test_sns_topics import error_of


@pytest.fixture
def topic(sns: Any) -> str:
    return str(sns.create_topic(Name=unique("t"))["TopicArn"])


def test_sqs_subscriptions_are_confirmed_at_once_and_idempotent(
    sns: Any, sqs: Any, topic: str
) -> None:
    _, queue = new_queue(sqs)
    answer = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue)
    arn = answer["SubscriptionArn"]
    assert arn.startswith(topic + ":")
    assert subscribe_queue(sns, topic, queue) == arn
    listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert listed == [{"SubscriptionArn": arn, "Owner": "000000000000", "Protocol": "sqs",
                       "Endpoint": queue, "TopicArn": topic}]
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert {k: attributes[k] for k in (
        "SubscriptionArn", "TopicArn", "Owner", "Protocol", "Endpoint", "PendingConfirmation",
        "ConfirmationWasAuthenticated", "RawMessageDelivery")} == {
        "SubscriptionArn": arn, "TopicArn": topic, "Owner": "000000000000", "Protocol": "sqs",
        "Endpoint": queue, "PendingConfirmation": "false",
        "ConfirmationWasAuthenticated": "true", "RawMessageDelivery": "false",
    }
    topic_attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert topic_attributes["SubscriptionsConfirmed"] == "1"


def test_attributes_at_subscribe_and_later(sns: Any, sqs: Any, topic: str) -> None:
    _, queue = new_queue(sqs)
    policy = json.dumps({"kind": ["order"]})
    arn = subscribe_queue(sns, topic, queue, RawMessageDelivery="true", FilterPolicy=policy)
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert attributes["RawMessageDelivery"] == "true"
    assert json.loads(attributes["FilterPolicy"]) == {"kind": ["order"]}
    assert attributes["FilterPolicyScope"] == "MessageAttributes"
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicyScope",
                                    AttributeValue="MessageBody")
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="RawMessageDelivery",
                                    AttributeValue="false")
    attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
    assert (attributes["FilterPolicyScope"], attributes["RawMessageDelivery"]) == (
        "MessageBody", "false")
    sns.set_subscription_attributes(SubscriptionArn=arn, AttributeName="FilterPolicy",
                                    AttributeValue="")
    assert "FilterPolicy" not in sns.get_subscription_attributes(SubscriptionArn=arn)[
        "Attributes"]


def test_attribute_errors(sns: Any, sqs: Any, topic: str) -> None:
    _, queue = new_queue(sqs)
    code, message, _ = error_of(sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=queue,
                                Attributes={"FilterPolicy": "{\"a\": \"b\"}"})
    assert code == "InvalidParameter"
    assert message.startswith("Invalid parameter: Attributes Reason: FilterPolicy: ")
    arn = subscribe_queue(sns, topic, queue)
    code, message, _ = error_of(sns.set_subscription_attributes, SubscriptionArn=arn,
                                AttributeName="FilterPolicy", AttributeValue="{\"a\": \"b\"}")
    assert message.startswith("Invalid parameter: FilterPolicy: ")
    assert error_of(sns.set_subscription_attributes, SubscriptionArn=arn,
                    AttributeName="Colour", AttributeValue="x")[:2] == (
        "InvalidParameter", "Invalid parameter: AttributeName")
    code, message, _ = error_of(sns.set_subscription_attributes, SubscriptionArn=arn,
                                AttributeName="RawMessageDelivery", AttributeValue="yes")
    assert code == "InvalidParameter" and "RawMessageDelivery" in message
    code, message, _ = error_of(sns.set_subscription_attributes, SubscriptionArn=arn,
                                AttributeName="FilterPolicyScope", AttributeValue="Body")
    assert message == ("Invalid parameter: FilterPolicyScope: Invalid value [Body]. "
                       "Please use either MessageBody or MessageAttributes")
    code, message, _ = error_of(sns.set_subscription_attributes, SubscriptionArn=arn,
                                AttributeName="RedrivePolicy",
                                AttributeValue='{"deadLetterTargetArn": "nope"}')
    assert code == "InvalidParameter" and "RedrivePolicy" in message


def test_endpoint_and_protocol_errors(sns: Any, sqs: Any, topic: str) -> None:
    assert error_of(sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint="my-queue")[:2] == (
        "InvalidParameter", "Invalid parameter: SQS endpoint ARN")
    code, message, _ = error_of(sns.subscribe, TopicArn=topic, Protocol="carrier-pigeon",
                                Endpoint="x")
    assert message == ("Invalid parameter: Amazon SNS does not support this protocol string: "
                       "carrier-pigeon")
    code, message, _ = error_of(sns.subscribe, TopicArn=topic, Protocol="email",
                                Endpoint="a@example.com")
    assert code == "InvalidParameter" and "Kyu does not deliver to email" in message
    code, message, _ = error_of(sns.subscribe, TopicArn=topic, Protocol="https",
                                Endpoint="http://example.com/")
    assert code == "InvalidParameter"
    _, fifo_queue = new_queue(sqs, unique("q") + ".fifo", FifoQueue="true")
    assert error_of(sns.subscribe, TopicArn=topic, Protocol="sqs", Endpoint=fifo_queue)[1] == (
        "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be "
        "subscribed to standard SNS topics")


def test_a_fifo_topic_takes_fifo_and_standard_queues(sns: Any, sqs: Any) -> None:
    topic = sns.create_topic(Name=unique("t") + ".fifo", Attributes={"FifoTopic": "true"})[
        "TopicArn"]
    _, fifo_queue = new_queue(sqs, unique("q") + ".fifo", FifoQueue="true")
    _, standard_queue = new_queue(sqs)
    assert subscribe_queue(sns, topic, fifo_queue).startswith(topic)
    assert subscribe_queue(sns, topic, standard_queue).startswith(topic)
    code, _, _ = error_of(sns.subscribe, TopicArn=topic, Protocol="https",
                          Endpoint="https://example.com/")
    assert code == "InvalidParameter"


def test_unsubscribe(sns: Any, sqs: Any, topic: str) -> None:
    _, queue = new_queue(sqs)
    arn = subscribe_queue(sns, topic, queue)
    sns.unsubscribe(SubscriptionArn=arn)
    assert error_of(sns.get_subscription_attributes, SubscriptionArn=arn) == (
        "NotFound", "Subscription does not exist", 404)
    assert sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] == []
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsDeleted"] == "1"
    sns.unsubscribe(SubscriptionArn=arn)  # already gone: no error
    assert error_of(sns.unsubscribe, SubscriptionArn="nonsense")[0] == "InvalidParameter"


def test_listings_page_by_100(sns: Any, topic: str) -> None:
    # Subscribing does not need the queue to exist (deliveries to it would fail).
    arns = [subscribe_queue(sns, topic, f"arn:aws:sqs:us-east-1:000000000000:absent-{i}")
            for i in range(105)]
    first = sns.list_subscriptions_by_topic(TopicArn=topic)
    assert len(first["Subscriptions"]) == 100
    second = sns.list_subscriptions_by_topic(TopicArn=topic, NextToken=first["NextToken"])
    assert "NextToken" not in second
    assert [s["SubscriptionArn"] for s in first["Subscriptions"] + second["Subscriptions"]] == arns
    everything: list[str] = []
    token = None
    while True:
        page = sns.list_subscriptions(**({"NextToken": token} if token else {}))
        everything += [s["SubscriptionArn"] for s in page["Subscriptions"]]
        token = page.get("NextToken")
        if not token:
            break
    assert set(arns) <= set(everything)
