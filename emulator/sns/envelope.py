"""The JSON documents SNS delivers: Notification, SubscriptionConfirmation, UnsubscribeConfirmation.

AWS writes them pretty-printed with two-space indentation and `` : `` between a name and its value,
fields in a fixed order, and each message attribute on one compact line::

    {
      "Type" : "Notification",
      "MessageId" : "…",
      "TopicArn" : "…",
      "Message" : "…",
      …
      "MessageAttributes" : {
        "color" : {"Type":"String","Value":"red"}
      }
    }

Optional fields (Subject, SequenceNumber, the signature fields, MessageAttributes) are left out
when absent. The signature covers only the fields of :func:`string_to_sign`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

NOTIFICATION_SIGNED = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
CONFIRMATION_SIGNED = (
    "Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"
)


def timestamp(ms: int) -> str:
    """ISO-8601 in UTC with milliseconds and a Z, as in ``2012-03-29T05:12:16.901Z``."""
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def envelope_attributes(attributes: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    """Message attributes as the envelope shows them: ``{name: {"Type", "Value"}}``.

    Binary values are base64; every other type shows its StringValue.
    """
    shown: dict[str, Any] = {}
    for name, value in (attributes or {}).items():
        binary = value.get("BinaryValue")
        text = (base64.b64encode(binary).decode("ascii") if binary is not None
                else value.get("StringValue"))
        shown[name] = {"Type": value.get("DataType"), "Value": text}
    return shown


def string_to_sign(fields: Mapping[str, str], message_type: str) -> str:
    """AWS's canonical string: each signed field present as ``name\\nvalue\\n``, in name order."""
    names = NOTIFICATION_SIGNED if message_type == "Notification" else CONFIRMATION_SIGNED
    return "".join(f"{name}\n{fields[name]}\n" for name in names if name in fields)


def render(fields: Mapping[str, Any]) -> str:
    """The document in AWS's layout; ``fields`` is ordered and holds only present fields."""
    lines = []
    for name, value in fields.items():
        if name == "MessageAttributes":
            lines.append(f'  "MessageAttributes" : {_attribute_block(value)}')
        else:
            lines.append(f"  {_json(name)} : {_json(value)}")
    return "{\n" + ",\n".join(lines) + "\n}"


def _attribute_block(attributes: Mapping[str, Any]) -> str:
    entries = [
        f"    {_json(name)} : {json.dumps(value, ensure_ascii=False, separators=(',', ':'))}"
        for name, value in attributes.items()
    ]
    return "{\n" + ",\n".join(entries) + "\n  }"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def notification_fields(
    *, message_id: str, topic_arn: str, message: str, timestamp_text: str,
    subject: str | None = None, sequence_number: str | None = None,
) -> dict[str, str]:
    """The signed (and ordering) part of a Notification, before signature and URLs."""
    fields = {"Type": "Notification", "MessageId": message_id}
    if sequence_number is not None:
        fields["SequenceNumber"] = sequence_number
    fields["TopicArn"] = topic_arn
    if subject is not None:
        fields["Subject"] = subject
    fields["Message"] = message
    fields["Timestamp"] = timestamp_text
    return fields


def notification(
    fields: Mapping[str, str], *, signature: tuple[str, str, str] | None, unsubscribe_url: str,
    attributes: Mapping[str, Any] | None,
) -> str:
    """A Notification document: ``fields`` from :func:`notification_fields`, then
    ``signature`` = (SignatureVersion, Signature, SigningCertURL) when signed, the
    UnsubscribeURL and the MessageAttributes when there are any."""
    document: dict[str, Any] = dict(fields)
    if signature is not None:
        version, value, cert_url = signature
        document.update(SignatureVersion=version, Signature=value, SigningCertURL=cert_url)
    document["UnsubscribeURL"] = unsubscribe_url
    if attributes:
        document["MessageAttributes"] = attributes
    return render(document)


def confirmation_fields(
    *, message_type: str, message_id: str, token: str, topic_arn: str, message: str,
    subscribe_url: str, timestamp_text: str,
) -> dict[str, str]:
    return {
        "Type": message_type, "MessageId": message_id, "Token": token, "TopicArn": topic_arn,
        "Message": message, "SubscribeURL": subscribe_url, "Timestamp": timestamp_text,
    }


def confirmation(fields: Mapping[str, str], *, signature: tuple[str, str, str]) -> str:
    version, value, cert_url = signature
    return render({**fields, "SignatureVersion": version, "Signature": value,
                   "SigningCertURL": cert_url})


def subscribe_message(topic_arn: str) -> str:
    return (
        f"You have chosen to subscribe to the topic {topic_arn}.\n"
        "To confirm the subscription, visit the SubscribeURL included in this message."
    )


def unsubscribe_message(subscription_arn: str) -> str:
    return (
        f"You have chosen to deactivate subscription {subscription_arn}.\n"
        "To cancel this operation and restore the subscription, visit the SubscribeURL included "
        "in this message."
    )
