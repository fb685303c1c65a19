"""Helpers of the SNS end-to-end tests: names, queue ARNs, subscribing queues, receiving."""

from __future__ import annotations

import json
import uuid
from typing import Any


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def queue_arn(sqs: Any, url: str) -> str:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    return str(attributes["Attributes"]["QueueArn"])


def new_queue(sqs: Any, name: str | None = None, **attributes: str) -> tuple[str, str]:
    """A new queue's (URL, ARN)."""
    name = name or unique("q")
    url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url, queue_arn(sqs, url)


def subscribe_queue(sns: Any, topic: str, arn: str, **attributes: str) -> str:
    answer = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                           Attributes=attributes, ReturnSubscriptionArn=True)
    return str(answer["SubscriptionArn"])


def receive(sqs: Any, url: str, *, wait: int = 0, limit: int = 10) -> list[dict[str, Any]]:
    answer = sqs.receive_message(
        QueueUrl=url, MaxNumberOfMessages=limit, WaitTimeSeconds=wait,
        AttributeNames=["All"], MessageAttributeNames=["All"],
    )
    return list(answer.get("Messages", []))


def bodies(sqs: Any, url: str) -> list[str]:
    return [m["Body"] for m in receive(sqs, url)]


def envelopes(sqs: Any, url: str) -> list[dict[str, Any]]:
    return [json.loads(m["Body"]) for m in receive(sqs, url)]
