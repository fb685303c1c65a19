"""The SNS part of the crash driver: a topic fanning out to two subscribed queues.

One queue's subscription has RawMessageDelivery, the other receives the JSON notification envelope.
Every Publish (or PublishBatch entry) that was acknowledged is owed to *both* queues, and is
checked there exactly as an acknowledged SendMessage is. After every restart the topic's
attributes and tags and both subscriptions (ARNs, endpoints, RawMessageDelivery) must be as they
were.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from typing import Any

from tests.support.crash_ledger import Ledger

TOPIC = "crash-events"
RAW = "crash-fanout-raw"
ENVELOPED = "crash-fanout-enveloped"
QUEUES = (RAW, ENVELOPED)
KIND = {"DataType": "String", "StringValue": "crash"}  # a message attribute both must carry


class Fanout:
    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.topic_arn = ""
        self.topic_attributes = {"DisplayName": "crash events"}
        self.topic_tags = {"suite": "crash"}
        self.subscriptions: dict[str, dict[str, str]] = {}  # ARN -> what must stay so
        self.acknowledged_publishes = 0

    # -- set-up and checks ------------------------------------------------------------------------

    def create(self, sns: Any, sqs: Any, urls: dict[str, str]) -> None:
        self.topic_arn = sns.create_topic(
            Name=TOPIC, Attributes=self.topic_attributes,
            Tags=[{"Key": k, "Value": v} for k, v in self.topic_tags.items()],
        )["TopicArn"]
        for queue in QUEUES:
            queue_arn = sqs.get_queue_attributes(
                QueueUrl=urls[queue], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            raw = "true" if queue == RAW else "false"
            arn = sns.subscribe(TopicArn=self.topic_arn, Protocol="sqs", Endpoint=queue_arn,
                                Attributes={"RawMessageDelivery": raw},
                                ReturnSubscriptionArn=True)["SubscriptionArn"]
            self.subscriptions[arn] = {"Endpoint": queue_arn, "Protocol": "sqs",
                                       "RawMessageDelivery": raw, "TopicArn": self.topic_arn}

    def change(self, sns: Any, cycle: int) -> None:
        """Change the topic's attributes and tags, so that restarts must keep recent changes."""
        name = f"crash events, cycle {cycle}"
        sns.set_topic_attributes(TopicArn=self.topic_arn, AttributeName="DisplayName",
                                 AttributeValue=name)
        self.topic_attributes["DisplayName"] = name
        sns.tag_resource(ResourceArn=self.topic_arn, Tags=[{"Key": "cycle", "Value": str(cycle)}])
        self.topic_tags["cycle"] = str(cycle)

    def check(self, sns: Any) -> None:
        got = sns.get_topic_attributes(TopicArn=self.topic_arn)["Attributes"]
        actual = {key: got.get(key) for key in self.topic_attributes}
        if actual != self.topic_attributes:
            self.ledger.violation(f"{TOPIC}: attributes {actual} after restart, "
                                  f"not {self.topic_attributes}")
        tags = {tag["Key"]: tag["Value"]
                for tag in sns.list_tags_for_resource(ResourceArn=self.topic_arn)["Tags"]}
        if tags != self.topic_tags:
            self.ledger.violation(f"{TOPIC}: tags {tags} after restart, not {self.topic_tags}")
        listed = {s["SubscriptionArn"]: s for s in sns.list_subscriptions_by_topic(
            TopicArn=self.topic_arn)["Subscriptions"]}
        if set(listed) != set(self.subscriptions):
            self.ledger.violation(f"{TOPIC}: subscriptions {sorted(listed)} after restart, "
                                  f"not {sorted(self.subscriptions)}")
        for arn, expected in self.subscriptions.items():
            got = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
            actual = {key: got.get(key) for key in expected}
            if actual != expected:
                self.ledger.violation(f"subscription {arn}: {actual} after restart, "
                                      f"not {expected}")

    # -- the producer -----------------------------------------------------------------------------

    def producer(self) -> Callable[[Any, random.Random], None]:
        counter = iter(range(1 << 62))

        def step(sns: Any, rng: random.Random) -> None:
            messages = [f"p-{next(counter)}" for _ in range(rng.choice((1, 1, 1, 3)))]
            for message in messages:
                for queue in QUEUES:
                    self.ledger.attempt_send(queue, message)
            attributes = {"kind": KIND}
            if len(messages) == 1:
                sns.publish(TopicArn=self.topic_arn, Message=messages[0],
                            MessageAttributes=attributes)
                acknowledged = messages
            else:
                reply = sns.publish_batch(TopicArn=self.topic_arn, PublishBatchRequestEntries=[
                    {"Id": str(n), "Message": message, "MessageAttributes": attributes}
                    for n, message in enumerate(messages)])
                acknowledged = [messages[int(entry["Id"])] for entry in reply.get("Successful", [])]
                for entry in reply.get("Failed", []):
                    self.ledger.violation(f"{TOPIC}: PublishBatch entry failed: {entry}")
            for message in acknowledged:
                for queue in QUEUES:
                    self.ledger.acknowledge_send(queue, message)
            self.acknowledged_publishes += len(acknowledged)
            time.sleep(0.02)

        return step

    # -- what the queues receive ------------------------------------------------------------------

    def published_message(self, queue: str, message: dict[str, Any]) -> str:
        """The published text a delivered SQS message carries; its delivery format is checked."""
        if queue == RAW:
            attributes = message.get("MessageAttributes", {})
            if attributes.get("kind", {}).get("StringValue") != "crash":
                self.ledger.violation(f"{RAW}: message attributes {attributes}")
            return str(message["Body"])
        try:
            notification = json.loads(message["Body"])
        except ValueError:
            self.ledger.violation(f"{ENVELOPED}: not a JSON envelope: {message['Body']!r}")
            return str(message["Body"])
        kind = notification.get("MessageAttributes", {}).get("kind", {})
        if (notification.get("Type") != "Notification"
                or notification.get("TopicArn") != self.topic_arn
                or kind != {"Type": "String", "Value": "crash"}):
            self.ledger.violation(f"{ENVELOPED}: unexpected envelope {notification}")
        return str(notification.get("Message"))
