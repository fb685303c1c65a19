"""Publishing to SQS subscribers end to end, received over both SQS protocols.

AWS facts checked (SNS developer guide: "Amazon SNS message and JSON formats", "Verifying the
signatures of Amazon SNS messages", "Amazon SNS raw message delivery", "Amazon SNS message
filtering", "Amazon SNS dead-letter queues"; API Reference: Publish, PublishBatch):
- the envelope holds Type, MessageId, TopicArn, Subject (only when given), Message, Timestamp,
  SignatureVersion, Signature, SigningCertURL, UnsubscribeURL and MessageAttributes (only when
  there are any), pretty-printed with ``"Name" : value``;
- the signature is SHA1withRSA (version 1) of ``name\\nvalue\\n`` for Message, MessageId,
  Subject, Timestamp, TopicArn and Type, verifiable with the certificate at SigningCertURL;
- raw delivery stores the message itself, attributes carried over as SQS message attributes;
- MessageStructure json needs a "default" entry and picks the "sqs" one for queues;
- a subscription whose queue was deleted sends the message to its RedrivePolicy DLQ.
"""

from __future__ import annotations

import concurrent.futures
import json
import re
import time
import urllib.request
from typing import Any

import pytest

from emulator.sns import envelope, signing
from tests.e2e.sns_helpers import bodies, envelopes, new_queue, receive, subscribe_queue, unique
from tests.e2e.test_sns_topics import error_of

TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture
def topic(sns: Any) -> str:
    return str(sns.create_topic(Name=unique("t"))["TopicArn"])


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as reply:
        return str(reply.read().decode())


def test_the_notification_envelope(sns: Any, sqs: Any, topic: str) -> None:
    url, queue = new_queue(sqs)
    subscription = subscribe_queue(sns, topic, queue)
    published = sns.publish(TopicArn=topic, Message="hello\nworld ✓", Subject="Greeting",
                            MessageAttributes={
                                "colour": {"DataType": "String", "StringValue": "red"},
                                "size": {"DataType": "Number", "StringValue": "12"},
                                "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
                            })
    [message] = receive(sqs, url)
    assert message["Attributes"]["SenderId"] == "AIDAIT2UOQQY3AUEKVGXU"
    assert "MessageAttributes" not in message  # enveloped: attributes live in the body
    body = message["Body"]
    document = json.loads(body)
    assert list(document) == [
        "Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion",
        "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes",
    ]
    assert body.startswith('{\n  "Type" : "Notification",\n  "MessageId" : "')
    assert '\n    "colour" : {"Type":"String","Value":"red"}' in body
    assert body.endswith("\n  }\n}")
    assert document["MessageId"] == published["MessageId"]
    assert (document["TopicArn"], document["Subject"], document["Message"]) == (
        topic, "Greeting", "hello\nworld ✓")
    assert TIMESTAMP.fullmatch(document["Timestamp"])
    assert document["SignatureVersion"] == "1"
    assert document["MessageAttributes"] == {
        "colour": {"Type": "String", "Value": "red"},
        "size": {"Type": "Number", "Value": "12"},
        "blob": {"Type": "Binary", "Value": "AAE="},
    }
    assert document["UnsubscribeURL"].endswith(
        f"/?Action=Unsubscribe&SubscriptionArn={subscription}")
    certificate = fetch(document["SigningCertURL"])
    assert certificate.startswith("-----BEGIN CERTIFICATE-----")
    text = envelope.string_to_sign(document, "Notification")
    assert text.startswith("Message\nhello\nworld ✓\nMessageId\n")
    assert signing.verify(certificate, text, document["Signature"], "1")
    assert not signing.verify(certificate, text.replace("world", "word"),
                              document["Signature"], "1")


def test_signature_version_2_and_no_subject(sns: Any, sqs: Any, topic: str) -> None:
    sns.set_topic_attributes(TopicArn=topic, AttributeName="SignatureVersion", AttributeValue="2")
    url, queue = new_queue(sqs)
    subscribe_queue(sns, topic, queue)
    sns.publish(TopicArn=topic, Message="m")
    [document] = envelopes(sqs, url)
    assert "Subject" not in document and "MessageAttributes" not in document
    assert document["SignatureVersion"] == "2"
    certificate = fetch(document["SigningCertURL"])
    text = envelope.string_to_sign(document, "Notification")
    assert signing.verify(certificate, text, document["Signature"], "2")
    assert not signing.verify(certificate, text, document["Signature"], "1")


def test_the_unsubscribe_url_unsubscribes(sns: Any, sqs: Any, topic: str) -> None:
    url, queue = new_queue(sqs)
    subscription = subscribe_queue(sns, topic, queue)
    sns.publish(TopicArn=topic, Message="m")
    [document] = envelopes(sqs, url)
    fetch(document["UnsubscribeURL"])
    assert error_of(sns.get_subscription_attributes, SubscriptionArn=subscription)[0] == "NotFound"


def test_raw_delivery_carries_attributes_over(sns: Any, sqs: Any, topic: str) -> None:
    url, queue = new_queue(sqs)
    subscribe_queue(sns, topic, queue, RawMessageDelivery="true")
    sns.publish(TopicArn=topic, Message='{"order": 7}', Subject="ignored", MessageAttributes={
        "colour": {"DataType": "String", "StringValue": "red"},
        "size": {"DataType": "Number.int", "StringValue": "12"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        "tags": {"DataType": "String.Array", "StringValue": '["a", "b"]'},
    })
    [message] = receive(sqs, url)
    assert message["Body"] == '{"order": 7}'
    assert message["MessageAttributes"] == {
        "colour": {"DataType": "String", "StringValue": "red"},
        "size": {"DataType": "Number.int", "StringValue": "12"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        "tags": {"DataType": "String", "StringValue": '["a", "b"]'},
    }


def test_fan_out_follows_each_filter_policy(sns: Any, sqs: Any, topic: str) -> None:
    everything, all_arn = new_queue(sqs)
    red, red_arn = new_queue(sqs)
    big, big_arn = new_queue(sqs)
    urgent, urgent_arn = new_queue(sqs)
    subscribe_queue(sns, topic, all_arn, RawMessageDelivery="true")
    subscribe_queue(sns, topic, red_arn, RawMessageDelivery="true",
                    FilterPolicy=json.dumps({"colour": ["red"]}))
    subscribe_queue(sns, topic, big_arn, RawMessageDelivery="true",
                    FilterPolicy=json.dumps({"size": [{"numeric": [">", 100]}]}))
    subscribe_queue(sns, topic, urgent_arn, RawMessageDelivery="true",
                    FilterPolicyScope="MessageBody",
                    FilterPolicy=json.dumps({"priority": {"level": ["urgent"]}}))

    def publish(message: str, **attributes: str) -> None:
        sns.publish(TopicArn=topic, Message=message, MessageAttributes={
            name: {"DataType": "Number" if name == "size" else "String", "StringValue": value}
            for name, value in attributes.items()
        })

    publish("red small", colour="red", size="5")
    publish("blue big", colour="blue", size="500")
    publish('{"priority": {"level": "urgent"}}')
    publish("plain")
    assert sorted(bodies(sqs, everything)) == sorted(
        ["red small", "blue big", '{"priority": {"level": "urgent"}}', "plain"])
    assert bodies(sqs, red) == ["red small"]
    assert bodies(sqs, big) == ["blue big"]
    assert bodies(sqs, urgent) == ['{"priority": {"level": "urgent"}}']


def test_message_structure_json(sns: Any, sqs: Any, topic: str) -> None:
    url, queue = new_queue(sqs)
    subscribe_queue(sns, topic, queue, RawMessageDelivery="true")
    sns.publish(TopicArn=topic, MessageStructure="json",
                Message=json.dumps({"default": "for everyone", "sqs": "for queues"}))
    sns.publish(TopicArn=topic, MessageStructure="json",
                Message=json.dumps({"default": "only default", "http": "for http"}))
    assert sorted(bodies(sqs, url)) == ["for queues", "only default"]
    assert error_of(sns.publish, TopicArn=topic, MessageStructure="json",
                    Message=json.dumps({"sqs": "x"}))[:2] == (
        "InvalidParameter",
        "Invalid parameter: Message Structure - No default entry in JSON message body")
    assert error_of(sns.publish, TopicArn=topic, MessageStructure="json",
                    Message="not json")[1] == (
        "Invalid parameter: Message Structure - JSON message body failed to parse")


def test_publish_errors(sns: Any, topic: str) -> None:
    assert error_of(sns.publish, TopicArn=topic, Message="")[:2] == (
        "InvalidParameter", "Invalid parameter: Empty message")
    assert error_of(sns.publish, TopicArn=topic, Message="x" * (256 * 1024 + 1))[:2] == (
        "InvalidParameter", "Invalid parameter: Message too long")
    assert error_of(sns.publish, TopicArn=topic, Message="x", Subject="a\nb")[:2] == (
        "InvalidParameter", "Invalid parameter: Subject")
    code, message, _ = error_of(sns.publish, TopicArn=topic, Message="x", MessageAttributes={
        "n": {"DataType": "Number", "StringValue": "twelve"}})
    assert (code, message) == ("ParameterValueInvalid",
                               "Could not cast message attribute 'n' value to number.")
    code, _, _ = error_of(sns.publish, TopicArn=topic, Message="x", MessageDeduplicationId="d")
    assert code == "InvalidParameter"
    assert sns.publish(TopicArn=topic, Message="x" * (256 * 1024))["MessageId"]


def test_a_deleted_queue_is_skipped_and_others_still_receive(
    sns: Any, sqs: Any, topic: str
) -> None:
    gone, gone_arn = new_queue(sqs)
    kept, kept_arn = new_queue(sqs)
    subscribe_queue(sns, topic, gone_arn)
    subscribe_queue(sns, topic, kept_arn)
    sqs.delete_queue(QueueUrl=gone)
    assert sns.publish(TopicArn=topic, Message="still here")["MessageId"]
    assert [d["Message"] for d in envelopes(sqs, kept)] == ["still here"]


def test_failed_deliveries_go_to_the_subscription_dead_letter_queue(
    sns: Any, sqs: Any, topic: str
) -> None:
    gone, gone_arn = new_queue(sqs)
    dlq, dlq_arn = new_queue(sqs)
    subscribe_queue(sns, topic, gone_arn,
                    RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn}))
    sqs.delete_queue(QueueUrl=gone)
    published = sns.publish(TopicArn=topic, Message="undeliverable")
    [document] = envelopes(sqs, dlq)
    assert (document["MessageId"], document["Message"]) == (published["MessageId"],
                                                            "undeliverable")


def test_unsubscribed_queues_receive_nothing(sns: Any, sqs: Any, topic: str) -> None:
    url, queue = new_queue(sqs)
    subscription = subscribe_queue(sns, topic, queue)
    sns.unsubscribe(SubscriptionArn=subscription)
    sns.publish(TopicArn=topic, Message="m")
    assert receive(sqs, url) == []


def test_publish_batch(sns: Any, sqs: Any, topic: str) -> None:
    url, queue = new_queue(sqs)
    subscribe_queue(sns, topic, queue, RawMessageDelivery="true")
    answer = sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "a", "Message": "first"},
        {"Id": "b", "Message": ""},
        {"Id": "c", "Message": "third", "MessageAttributes": {
            "k": {"DataType": "String", "StringValue": "v"}}},
    ])
    assert [entry["Id"] for entry in answer["Successful"]] == ["a", "c"]
    assert answer["Failed"] == [{"Id": "b", "Code": "InvalidParameter",
                                 "Message": "Invalid parameter: Empty message",
                                 "SenderFault": True}]
    assert sorted(bodies(sqs, url)) == ["first", "third"]
    assert error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "x", "Message": "1"}, {"Id": "x", "Message": "2"}])[0] == "BatchEntryIdsNotDistinct"
    assert error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": f"i{n}", "Message": "m"} for n in range(11)])[0] == "TooManyEntriesInBatchRequest"
    assert error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": "bad id", "Message": "m"}])[0] == "InvalidBatchEntryId"
    assert error_of(sns.publish_batch, TopicArn=topic, PublishBatchRequestEntries=[
        {"Id": f"i{n}", "Message": "x" * 30_000} for n in range(10)])[0] == "BatchRequestTooLong"


def test_a_waiting_long_poll_gets_the_published_message_at_once(
    sns: Any, sqs: Any, topic: str
) -> None:
    url, queue = new_queue(sqs)
    subscribe_queue(sns, topic, queue, RawMessageDelivery="true")
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        waiting = pool.submit(receive, sqs, url, wait=10)
        time.sleep(0.3)
        sns.publish(TopicArn=topic, Message="wake up")
        received = waiting.result(timeout=15)
        elapsed = time.monotonic() - started
    assert [m["Body"] for m in received] == ["wake up"]
    assert elapsed < 5
