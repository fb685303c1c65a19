"""The SNS envelope: AWS's layout, field order, optional fields, the string to sign."""

from __future__ import annotations

import json
from typing import Any

from emulator.sns import envelope


def notification(**overrides: Any) -> str:
    fields = envelope.notification_fields(
        message_id="m-1", topic_arn="arn:aws:sns:us-east-1:000000000000:t", message="hi",
        timestamp_text="2012-03-29T05:12:16.901Z", **overrides,
    )
    return envelope.notification(
        fields, signature=("1", "c2ln", "http://h/cert.pem"),
        unsubscribe_url="http://h/?Action=Unsubscribe&SubscriptionArn=s",
        attributes=envelope.envelope_attributes({
            "colour": {"DataType": "String", "StringValue": "red"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x01"},
        }),
    )


def test_the_layout_is_aws_pretty_print() -> None:
    assert notification(subject="S") == (
        "{\n"
        '  "Type" : "Notification",\n'
        '  "MessageId" : "m-1",\n'
        '  "TopicArn" : "arn:aws:sns:us-east-1:000000000000:t",\n'
        '  "Subject" : "S",\n'
        '  "Message" : "hi",\n'
        '  "Timestamp" : "2012-03-29T05:12:16.901Z",\n'
        '  "SignatureVersion" : "1",\n'
        '  "Signature" : "c2ln",\n'
        '  "SigningCertURL" : "http://h/cert.pem",\n'
        '  "UnsubscribeURL" : "http://h/?Action=Unsubscribe&SubscriptionArn=s",\n'
        '  "MessageAttributes" : {\n'
        '    "colour" : {"Type":"String","Value":"red"},\n'
        '    "blob" : {"Type":"Binary","Value":"AQ=="}\n'
        "  }\n"
        "}"
    )


def test_optional_fields_are_left_out_and_a_sequence_number_follows_the_id() -> None:
    fields = envelope.notification_fields(
        message_id="m", topic_arn="t", message="x", timestamp_text="ts", sequence_number="10"
    )
    document = envelope.notification(fields, signature=None, unsubscribe_url="u",
                                     attributes=None)
    assert list(json.loads(document)) == [
        "Type", "MessageId", "SequenceNumber", "TopicArn", "Message", "Timestamp",
        "UnsubscribeURL",
    ]


def test_messages_keep_their_characters_escaped_only_as_json_needs() -> None:
    document = notification(subject=None)
    assert json.loads(document)["Message"] == "hi"
    fields = envelope.notification_fields(message_id="m", topic_arn="t",
                                          message='a "quoted"\nline ✓', timestamp_text="ts")
    text = envelope.notification(fields, signature=None, unsubscribe_url="u", attributes=None)
    assert '"Message" : "a \\"quoted\\"\\nline ✓"' in text


def test_timestamps_have_milliseconds_and_z() -> None:
    assert envelope.timestamp(1_333_000_336_901) == "2012-03-29T05:52:16.901Z"
    assert envelope.timestamp(1_333_000_336_000) == "2012-03-29T05:52:16.000Z"


def test_the_string_to_sign() -> None:
    fields = {"Type": "Notification", "MessageId": "m", "TopicArn": "t", "Subject": "s",
              "Message": "x", "Timestamp": "ts", "UnsubscribeURL": "u"}
    assert envelope.string_to_sign(fields, "Notification") == (
        "Message\nx\nMessageId\nm\nSubject\ns\nTimestamp\nts\nTopicArn\nt\nType\nNotification\n"
    )
    del fields["Subject"]
    assert "Subject" not in envelope.string_to_sign(fields, "Notification")
    confirmation = envelope.confirmation_fields(
        message_type="SubscriptionConfirmation", message_id="m", token="tok", topic_arn="t",
        message="x", subscribe_url="url", timestamp_text="ts",
    )
    assert envelope.string_to_sign(confirmation, "SubscriptionConfirmation") == (
        "Message\nx\nMessageId\nm\nSubscribeURL\nurl\nTimestamp\nts\nToken\ntok\nTopicArn\nt\n"
        "Type\nSubscriptionConfirmation\n"
    )


def test_the_confirmation_message() -> None:
    assert envelope.subscribe_message("arn:t") == (
        "You have chosen to subscribe to the topic arn:t.\n"
        "To confirm the subscription, visit the SubscribeURL included in this message."
    )
