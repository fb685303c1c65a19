"""The SubscriptionConfirmation and UnsubscribeConfirmation an http/https endpoint receives.

The SubscribeURL is a GET of ``ConfirmSubscription`` on this server, so visiting it confirms the
subscription, as on AWS.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from emulator.context import RequestContext
from emulator.sns import envelope
from emulator.sns.backend import SnsBackend
from emulator.sns.delivery_policy import effective_delivery_policy
from emulator.sns.http_delivery import HttpDelivery
from storage.subscriptions import Subscription
from storage.topics import Topic


def subscribe_url(ctx: RequestContext, topic_arn: str, token: str) -> str:
    return (f"{ctx.base_url}/?Action=ConfirmSubscription&TopicArn={quote(topic_arn, safe=':')}"
            f"&Token={token}")


def _send(
    sns: SnsBackend, ctx: RequestContext, topic: Topic, subscription: Subscription,
    message_type: str, message: str, subscription_arn: str | None,
) -> None:
    token = subscription.token or ""
    message_id = str(uuid.uuid4())
    fields = envelope.confirmation_fields(
        message_type=message_type, message_id=message_id, token=token, topic_arn=topic.arn,
        message=message, subscribe_url=subscribe_url(ctx, topic.arn, token),
        timestamp_text=envelope.timestamp(sns.clock.now_ms()),
    )
    version = topic.attributes.get("SignatureVersion", "1")
    signer = sns.signer
    signature = signer.sign(envelope.string_to_sign(fields, message_type), version)
    body = envelope.confirmation(
        fields, signature=(version, signature, signer.certificate_url(ctx.base_url))
    )
    sns.http.submit(HttpDelivery(
        endpoint=subscription.endpoint, message_type=message_type, message_id=message_id,
        topic_arn=topic.arn, subscription_arn=subscription_arn, body=body, raw=False,
        delivery_policy=effective_delivery_policy(
            topic.attributes.get("DeliveryPolicy"), subscription.attributes.get("DeliveryPolicy")
        ),
    ))


def send_subscription_confirmation(
    sns: SnsBackend, ctx: RequestContext, topic: Topic, subscription: Subscription
) -> None:
    _send(sns, ctx, topic, subscription, "SubscriptionConfirmation",
          envelope.subscribe_message(topic.arn), None)


def send_unsubscribe_confirmation(
    sns: SnsBackend, ctx: RequestContext, topic: Topic, subscription: Subscription
) -> None:
    _send(sns, ctx, topic, subscription, "UnsubscribeConfirmation",
          envelope.unsubscribe_message(subscription.arn), subscription.arn)
