"""Helpers shared by the FIFO, dead-letter and move-task end-to-end tests."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError


def unique(prefix: str = "f") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def create_fifo(sqs: Any, name: str | None = None, **attributes: str) -> str:
    """A new FIFO queue; attributes are given as keyword arguments (strings)."""
    queue_name = f"{name or unique()}.fifo"
    reply = sqs.create_queue(QueueName=queue_name, Attributes={"FifoQueue": "true", **attributes})
    return str(reply["QueueUrl"])


def arn_of(sqs: Any, queue_url: str) -> str:
    reply = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
    return str(reply["Attributes"]["QueueArn"])


def redrive_policy(target_arn: str, max_receive_count: int) -> str:
    return json.dumps({"deadLetterTargetArn": target_arn, "maxReceiveCount": max_receive_count})


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str, int]:
    """Call an operation that must fail; return (error code, message, HTTP status)."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return (
        str(response["Error"]["Code"]),
        str(response["Error"].get("Message", "")),
        int(response["ResponseMetadata"]["HTTPStatusCode"]),
    )


def receive(sqs: Any, queue_url: str, count: int = 10, **kwargs: Any) -> list[dict[str, Any]]:
    """One ReceiveMessage asking for every system attribute; returns the messages.

    ``AttributeNames`` rather than ``MessageSystemAttributeNames``: AWS's query model of SQS
    knows only the former, and both protocols take it."""
    kwargs.setdefault("WaitTimeSeconds", 0)
    reply = sqs.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=count, AttributeNames=["All"],
        MessageAttributeNames=["All"], **kwargs,
    )
    return list(reply.get("Messages", []))


def bodies(messages: list[dict[str, Any]]) -> list[str]:
    return [m["Body"] for m in messages]


def drain(sqs: Any, queue_url: str, *, delete: bool = True, **kwargs: Any) -> list[dict[str, Any]]:
    """Receive (and by default delete) until a receive comes back empty."""
    received: list[dict[str, Any]] = []
    kwargs.setdefault("VisibilityTimeout", 600)
    while True:
        batch = receive(sqs, queue_url, **kwargs)
        if not batch:
            return received
        received.extend(batch)
        if delete:
            for message in batch:
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


def counters(sqs: Any, queue_url: str) -> tuple[int, int, int]:
    """(visible, in flight, delayed) as the Approximate* attributes report them."""
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    visible, in_flight, delayed = (int(attributes[name]) for name in names)
    return visible, in_flight, delayed


def wait_until(condition: Callable[[], Any], timeout: float = 10.0, step: float = 0.05) -> Any:
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(step)
