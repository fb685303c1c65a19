"""FIFO topics to FIFO queues end to end: group order, deduplication, sequence numbers.

AWS facts checked (SNS developer guide: "Message ordering details for FIFO topics", "Message
deduplication for FIFO topics"; API Reference: Publish MessageGroupId, MessageDeduplicationId,
SequenceNumber):
- every message to a FIFO topic needs a MessageGroupId, and a MessageDeduplicationId unless the
  topic has ContentBasedDeduplication (SHA-256 of the message);
- a duplicate within 5 minutes is accepted and not delivered again;
- Publish answers a SequenceNumber that grows; the queue gets the group and deduplication ids;
- envelopes from FIFO topics carry a SequenceNumber and (as observed on AWS) no signature fields.
"""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.sns_helpers import new_queue, receive, subscribe_queue, unique
from tests.e2e.test_sns_topics import error_of
from tests.support.server import RunningServer


def fifo_topic(sns: Any, **attributes: str) -> str:
    return str(sns.create_topic(Name=unique("t") + ".fifo",
                                Attributes={"FifoTopic": "true", **attributes})["TopicArn"])


def fifo_queue(sqs: Any) -> tuple[str, str]:
    return new_queue(sqs, unique("q") + ".fifo", FifoQueue="true")


def drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    """Receive and delete until the queue answers nothing (FIFO groups unblock as we delete)."""
    received: list[dict[str, Any]] = []
    while True:
        batch = receive(sqs, url)
        if not batch:
            return received
        received += batch
        for message in batch:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_group_order_and_sequence_numbers(sns: Any, sqs: Any) -> None:
    topic = fifo_topic(sns)
    url, queue = fifo_queue(sqs)
    subscribe_queue(sns, topic, queue)
    sequences = []
    for n in range(6):
        group = "a" if n % 2 == 0 else "b"
        answer = sns.publish(TopicArn=topic, Message=f"{group}{n}", MessageGroupId=group,
                             MessageDeduplicationId=f"d{n}")
        sequences.append(int(answer["SequenceNumber"]))
    assert sequences == sorted(sequences) and len(set(sequences)) == 6
    received = drain(sqs, url)
    documents = [json.loads(m["Body"]) for m in received]
    by_group: dict[str, list[str]] = {}
    for message, document in zip(received, documents, strict=True):
        by_group.setdefault(message["Attributes"]["MessageGroupId"], []).append(
            document["Message"])
    assert by_group == {"a": ["a0", "a2", "a4"], "b": ["b1", "b3", "b5"]}
    first = documents[0]
    assert list(first) == ["Type", "MessageId", "SequenceNumber", "TopicArn", "Message",
                           "Timestamp", "UnsubscribeURL"]
    assert int(first["SequenceNumber"]) in sequences
    assert {m["Attributes"]["MessageDeduplicationId"] for m in received} == {
        f"d{n}" for n in range(6)}


def test_deduplication_window(sns: Any, sqs: Any, server: RunningServer) -> None:
    topic = fifo_topic(sns)
    url, queue = fifo_queue(sqs)
    subscribe_queue(sns, topic, queue, RawMessageDelivery="true")
    first = sns.publish(TopicArn=topic, Message="one", MessageGroupId="g",
                        MessageDeduplicationId="same")
    again = sns.publish(TopicArn=topic, Message="two", MessageGroupId="g",
                        MessageDeduplicationId="same")
    assert again["MessageId"] == first["MessageId"]
    assert again["SequenceNumber"] == first["SequenceNumber"]
    assert [m["Body"] for m in drain(sqs, url)] == ["one"]
    server.advance_clock(301)
    third = sns.publish(TopicArn=topic, Message="three", MessageGroupId="g",
                        MessageDeduplicationId="same")
    assert third["MessageId"] != first["MessageId"]
    assert int(third["SequenceNumber"]) > int(first["SequenceNumber"])
    assert [m["Body"] for m in drain(sqs, url)] == ["three"]


def test_content_based_deduplication(sns: Any, sqs: Any) -> None:
    topic = fifo_topic(sns, ContentBasedDeduplication="true")
    url, queue = fifo_queue(sqs)
    subscribe_queue(sns, topic, queue, RawMessageDelivery="true")
    for body in ("x", "x", "y"):
        sns.publish(TopicArn=topic, Message=body, MessageGroupId="g")
    assert [m["Body"] for m in drain(sqs, url)] == ["x", "y"]


def test_fifo_publish_errors(sns: Any) -> None:
    topic = fifo_topic(sns)
    assert error_of(sns.publish, TopicArn=topic, Message="m")[:2] == (
        "InvalidParameter",
        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
    assert error_of(sns.publish, TopicArn=topic, Message="m", MessageGroupId="g")[:2] == (
        "InvalidParameter",
        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
        "MessageDeduplicationId provided explicitly")


def test_a_standard_queue_on_a_fifo_topic_gets_every_message(sns: Any, sqs: Any) -> None:
    topic = fifo_topic(sns, ContentBasedDeduplication="true")
    url, queue = new_queue(sqs)
    subscribe_queue(sns, topic, queue, RawMessageDelivery="true")
    sns.publish(TopicArn=topic, Message="m1", MessageGroupId="g")
    assert [m["Body"] for m in receive(sqs, url)] == ["m1"]


def test_fifo_publish_batch(sns: Any, sqs: Any) -> None:
    topic = fifo_topic(sns)
    url, queue = fifo_queue(sqs)
    subscribe_queue(sns, topic, queue, RawMessageDelivery="true")
    answer = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": f"e{n}", "Message": f"m{n}", "MessageGroupId": "g",
         "MessageDeduplicationId": f"d{n % 3}"} for n in range(5)
    ] + [{"Id": "nogroup", "Message": "x", "MessageDeduplicationId": "z"}])
    assert [e["Id"] for e in answer["Successful"]] == [f"e{n}" for n in range(5)]
    assert [e["Id"] for e in answer["Failed"]] == ["nogroup"]
    ids = [e["MessageId"] for e in answer["Successful"]]
    assert ids[3] == ids[0] and ids[4] == ids[1]  # duplicates within the batch
    assert [m["Body"] for m in drain(sqs, url)] == ["m0", "m1", "m2"]
