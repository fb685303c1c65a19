"""SNS to http endpoints through boto3 and a real server: confirmation, notifications, raw
delivery, delivery policies, retries and the subscription's dead-letter queue.

The server is this module's own, because some tests move its clock forward.
"""

from __future__ import annotations

import json
import time
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.e2e.conftest import make_client
from tests.support.http_receiver import Receiver, running_receiver
from tests.support.server import RunningServer

USER_AGENT = "Amazon Simple Notification Service Agent"


@pytest.fixture(scope="module")
def own_server() -> Iterator[RunningServer]:
    running = RunningServer()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def sns(own_server: RunningServer) -> Any:
    return make_client("sns", own_server.endpoint)


@pytest.fixture(scope="module")
def sqs(own_server: RunningServer) -> Any:
    return make_client("sqs", own_server.endpoint)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def topic_arn(sns: Any) -> str:
    return str(sns.create_topic(Name=f"t-{uuid.uuid4().hex[:12]}")["TopicArn"])


@pytest.fixture
def path() -> str:
    return f"/hook/{uuid.uuid4().hex[:12]}"


def confirmed_subscription(
    sns: Any, receiver: Receiver, topic_arn: str, path: str, **attributes: str
) -> str:
    """Subscribe ``path`` and confirm it with the token SNS POSTs there."""
    sns.subscribe(TopicArn=topic_arn, Protocol="http", Endpoint=receiver.url + path,
                  Attributes=attributes)
    [confirmation] = receiver.wait_for_sync(path, 1)
    token = json.loads(confirmation.body)["Token"]
    return str(sns.confirm_subscription(TopicArn=topic_arn, Token=token)["SubscriptionArn"])


def test_subscription_confirmation_and_its_subscribe_url(
    sns: Any, receiver: Receiver, topic_arn: str, path: str
) -> None:
    answer = sns.subscribe(TopicArn=topic_arn, Protocol="http", Endpoint=receiver.url + path)
    assert answer["SubscriptionArn"] == "pending confirmation"
    [confirmation] = receiver.wait_for_sync(path, 1)
    body = json.loads(confirmation.body)
    assert confirmation.header("x-amz-sns-message-type") == "SubscriptionConfirmation"
    assert confirmation.header("x-amz-sns-message-id") == body["MessageId"]
    assert confirmation.header("x-amz-sns-topic-arn") == topic_arn
    assert confirmation.header("x-amz-sns-subscription-arn") is None
    assert confirmation.header("Content-Type") == "text/plain; charset=UTF-8"
    assert confirmation.header("User-Agent") == USER_AGENT
    assert body["Type"] == "SubscriptionConfirmation"
    assert body["TopicArn"] == topic_arn

    # Visiting the SubscribeURL (a plain GET, no credentials) confirms the subscription.
    with urllib.request.urlopen(body["SubscribeURL"], timeout=5) as reply:
        assert reply.status == 200
        assert b"ConfirmSubscriptionResult" in reply.read()
    [listed] = sns.list_subscriptions_by_topic(TopicArn=topic_arn)["Subscriptions"]
    assert listed["SubscriptionArn"].startswith(topic_arn + ":")
    attributes = sns.get_subscription_attributes(
        SubscriptionArn=listed["SubscriptionArn"])["Attributes"]
    assert attributes["PendingConfirmation"] == "false"


def test_notification_posts_with_aws_headers(
    sns: Any, receiver: Receiver, topic_arn: str, path: str
) -> None:
    subscription_arn = confirmed_subscription(sns, receiver, topic_arn, path)
    message_id = sns.publish(TopicArn=topic_arn, Message="héllo ✓", Subject="greeting")["MessageId"]
    notification = receiver.wait_for_sync(path, 2)[1]
    assert notification.header("x-amz-sns-message-type") == "Notification"
    assert notification.header("x-amz-sns-message-id") == message_id
    assert notification.header("x-amz-sns-topic-arn") == topic_arn
    assert notification.header("x-amz-sns-subscription-arn") == subscription_arn
    assert notification.header("x-amz-sns-rawdelivery") is None
    assert notification.header("Content-Type") == "text/plain; charset=UTF-8"
    assert notification.header("User-Agent") == USER_AGENT
    body = json.loads(notification.body)
    assert body["Type"] == "Notification"
    assert body["MessageId"] == message_id
    assert body["Message"] == "héllo ✓"
    assert body["Subject"] == "greeting"
    assert body["UnsubscribeURL"].endswith(subscription_arn)


def test_raw_delivery_posts_the_message_itself(
    sns: Any, receiver: Receiver, topic_arn: str, path: str
) -> None:
    subscription_arn = confirmed_subscription(sns, receiver, topic_arn, path)
    sns.set_subscription_attributes(SubscriptionArn=subscription_arn,
                                    AttributeName="RawMessageDelivery", AttributeValue="true")
    sns.publish(TopicArn=topic_arn, Message='{"order": 7}')
    notification = receiver.wait_for_sync(path, 2)[1]
    assert notification.body == b'{"order": 7}'
    assert notification.header("x-amz-sns-rawdelivery") == "true"
    assert notification.header("x-amz-sns-message-type") == "Notification"


def test_request_policy_sets_the_content_type(
    sns: Any, receiver: Receiver, topic_arn: str, path: str
) -> None:
    subscription_arn = confirmed_subscription(sns, receiver, topic_arn, path)
    sns.set_subscription_attributes(
        SubscriptionArn=subscription_arn, AttributeName="DeliveryPolicy",
        AttributeValue='{"requestPolicy":{"headerContentType":"application/json"}}')
    sns.publish(TopicArn=topic_arn, Message="m")
    assert receiver.wait_for_sync(path, 2)[1].header("Content-Type") == "application/json"


def test_server_errors_are_retried_with_the_same_message_id(
    sns: Any, receiver: Receiver, topic_arn: str, path: str
) -> None:
    confirmed_subscription(
        sns, receiver, topic_arn, path,
        DeliveryPolicy='{"healthyRetryPolicy":{"numRetries":3,"numNoDelayRetries":3}}',
    )
    receiver.statuses[path] = [500, 502]
    message_id = sns.publish(TopicArn=topic_arn, Message="again")["MessageId"]
    attempts = receiver.wait_for_sync(path, 4)[1:]
    assert [a.header("x-amz-sns-message-id") for a in attempts] == [message_id] * 3
    assert len({a.body for a in attempts}) == 1


def test_exhausted_retries_go_to_the_dead_letter_queue_when_the_clock_moves(
    sns: Any, sqs: Any, own_server: RunningServer, receiver: Receiver, topic_arn: str, path: str
) -> None:
    queue_url = sqs.create_queue(QueueName=f"dlq-{uuid.uuid4().hex[:12]}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    confirmed_subscription(
        sns, receiver, topic_arn, path,
        DeliveryPolicy='{"healthyRetryPolicy":{"numRetries":1,"minDelayTarget":600,'
                       '"maxDelayTarget":600}}',
        RedrivePolicy=json.dumps({"deadLetterTargetArn": queue_arn}),
    )
    receiver.statuses[path] = [500, 500]
    sns.publish(TopicArn=topic_arn, Message="undeliverable")
    receiver.wait_for_sync(path, 2)  # the confirmation and the first attempt
    assert sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0).get("Messages") is None
    own_server.advance_clock(601)  # the retry, ten minutes away, comes now
    receiver.wait_for_sync(path, 3)
    [dead] = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5)["Messages"]
    assert json.loads(dead["Body"])["Message"] == "undeliverable"


def test_client_errors_go_to_the_dead_letter_queue_without_retries(
    sns: Any, sqs: Any, receiver: Receiver, topic_arn: str, path: str
) -> None:
    queue_url = sqs.create_queue(QueueName=f"dlq-{uuid.uuid4().hex[:12]}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    confirmed_subscription(sns, receiver, topic_arn, path,
                           RedrivePolicy=json.dumps({"deadLetterTargetArn": queue_arn}))
    receiver.statuses[path] = [403]
    sns.publish(TopicArn=topic_arn, Message="forbidden")
    [dead] = sqs.receive_message(QueueUrl=queue_url, WaitTimeSeconds=5)["Messages"]
    assert json.loads(dead["Body"])["Message"] == "forbidden"
    assert len(receiver.on(path)) == 2  # the confirmation and one attempt


def test_delivery_policies_are_validated_like_aws(
    sns: Any, receiver: Receiver, topic_arn: str, path: str
) -> None:
    with pytest.raises(ClientError) as caught:
        sns.set_topic_attributes(
            TopicArn=topic_arn, AttributeName="DeliveryPolicy",
            AttributeValue='{"http":{"defaultHealthyRetryPolicy":'
                           '{"minDelayTarget":3599,"maxDelayTarget":3600}}}')
    assert caught.value.response["Error"]["Code"] == "InvalidParameter"
    assert caught.value.response["Error"]["Message"] == (
        "Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy: Total policy retry "
        "time cannot be greater than 3600 seconds")

    with pytest.raises(ClientError) as caught:
        sns.subscribe(TopicArn=topic_arn, Protocol="http", Endpoint=receiver.url + path,
                      Attributes={"DeliveryPolicy": '{"healthyRetryPolicy":{"numRetries":0,'
                                  '"minDelayTarget":0,"maxDelayTarget":0}}'})
    assert caught.value.response["Error"]["Message"] == (
        "Invalid parameter: Attributes Reason: DeliveryPolicy: "
        "healthyRetryPolicy.minDelayTarget must be greater than or equal to 1")


def test_effective_delivery_policies(
    sns: Any, receiver: Receiver, topic_arn: str, path: str
) -> None:
    attributes = sns.get_topic_attributes(TopicArn=topic_arn)["Attributes"]
    effective = attributes["EffectiveDeliveryPolicy"]
    assert json.loads(effective)["http"]["defaultHealthyRetryPolicy"]["numRetries"] == 3
    sns.set_topic_attributes(
        TopicArn=topic_arn, AttributeName="DeliveryPolicy",
        AttributeValue='{"http":{"defaultHealthyRetryPolicy":{"numRetries":5}}}')
    subscription_arn = confirmed_subscription(sns, receiver, topic_arn, path)
    attributes = sns.get_subscription_attributes(SubscriptionArn=subscription_arn)["Attributes"]
    policy = json.loads(attributes["EffectiveDeliveryPolicy"])
    assert policy["healthyRetryPolicy"]["numRetries"] == 5
    assert policy["healthyRetryPolicy"]["minDelayTarget"] == 20


def hanging_subscription(sns: Any, receiver: Receiver, topic_arn: str) -> str:
    """A confirmed subscription whose endpoint never answers a notification."""
    path = f"/hang/{uuid.uuid4().hex[:12]}"
    sns.subscribe(TopicArn=topic_arn, Protocol="http", Endpoint=receiver.url + path)
    [confirmation] = receiver.wait_for_sync(path, 1)
    token = json.loads(confirmation.body)["Token"]
    sns.confirm_subscription(TopicArn=topic_arn, Token=token)
    return path


def test_a_hanging_endpoint_holds_neither_publishers_nor_other_endpoints(
    sns: Any, receiver: Receiver, topic_arn: str, path: str
) -> None:
    hanging = hanging_subscription(sns, receiver, topic_arn)
    confirmed_subscription(sns, receiver, topic_arn, path)
    started = time.monotonic()
    for n in range(3):
        sns.publish(TopicArn=topic_arn, Message=f"m{n}")
    receiver.wait_for_sync(path, 4, timeout=2)
    receiver.wait_for_sync(hanging, 4, timeout=2)
    assert time.monotonic() - started < 2


def test_shutdown_is_quick_with_deliveries_in_flight(receiver: Receiver) -> None:
    server = RunningServer()
    try:
        sns = make_client("sns", server.endpoint)
        topic_arn = sns.create_topic(Name="in-flight")["TopicArn"]
        hanging = hanging_subscription(sns, receiver, topic_arn)
        sns.publish(TopicArn=topic_arn, Message="never answered")
        receiver.wait_for_sync(hanging, 2)
        started = time.monotonic()
    finally:
        code = server.stop()
    assert code == 0
    assert time.monotonic() - started < 3
