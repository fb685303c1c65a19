"""The SNS service as Kyu serves it: query protocol only, on the same endpoint as SQS and STS.

Operations on SMS, mobile push (platform applications and endpoints) and data protection are
answered with a clear ``InvalidAction`` error: Kyu does not emulate them.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.loaders
from botocore.model import ServiceModel

from emulator.context import RequestContext
from emulator.protocol.query_traits import MapNames, QueryTraits
from emulator.service import Handler, Service
from emulator.sns import (
    permission_handlers,
    publish_handlers,
    subscription_handlers,
    tags,
    topic_handlers,
)
from emulator.sns.backend import SnsBackend
from emulator.sns.errors import not_supported

SNS_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/"
# SNS's lists and maps are wrapped (``member`` / ``entry``); MessageAttributeMap names its key
# and value ``Name`` and ``Value`` (locationName in botocore's model), the others key/value.
SNS_TRAITS = QueryTraits(
    lists={}, maps={"MessageAttributeMap": MapNames("entry", "Name", "Value", flattened=False)}
)

HANDLERS: dict[str, Handler] = {
    "CreateTopic": topic_handlers.create_topic,
    "DeleteTopic": topic_handlers.delete_topic,
    "ListTopics": topic_handlers.list_topics,
    "GetTopicAttributes": topic_handlers.get_topic_attributes,
    "SetTopicAttributes": topic_handlers.set_topic_attributes,
    "Subscribe": subscription_handlers.subscribe,
    "ConfirmSubscription": subscription_handlers.confirm_subscription,
    "Unsubscribe": subscription_handlers.unsubscribe,
    "ListSubscriptions": subscription_handlers.list_subscriptions,
    "ListSubscriptionsByTopic": subscription_handlers.list_subscriptions_by_topic,
    "GetSubscriptionAttributes": subscription_handlers.get_subscription_attributes,
    "SetSubscriptionAttributes": subscription_handlers.set_subscription_attributes,
    "Publish": publish_handlers.publish_message,
    "PublishBatch": publish_handlers.publish_batch,
    "TagResource": tags.tag_resource,
    "UntagResource": tags.untag_resource,
    "ListTagsForResource": tags.list_tags_for_resource,
    "AddPermission": permission_handlers.add_permission,
    "RemovePermission": permission_handlers.remove_permission,
}

UNSUPPORTED = (
    "CheckIfPhoneNumberIsOptedOut", "CreatePlatformApplication", "CreatePlatformEndpoint",
    "CreateSMSSandboxPhoneNumber", "DeleteEndpoint", "DeletePlatformApplication",
    "DeleteSMSSandboxPhoneNumber", "GetDataProtectionPolicy", "GetEndpointAttributes",
    "GetPlatformApplicationAttributes", "GetSMSAttributes", "GetSMSSandboxAccountStatus",
    "ListEndpointsByPlatformApplication", "ListOriginationNumbers", "ListPhoneNumbersOptedOut",
    "ListPlatformApplications", "ListSMSSandboxPhoneNumbers", "OptInPhoneNumber",
    "PutDataProtectionPolicy", "SetEndpointAttributes", "SetPlatformApplicationAttributes",
    "SetSMSAttributes", "VerifySMSSandboxPhoneNumber",
)


def _refuse(operation: str) -> Handler:
    async def refuse(sns: SnsBackend, ctx: RequestContext, **members: Any) -> None:
        raise not_supported(operation)
    return refuse


ALL_HANDLERS: dict[str, Handler] = {
    **HANDLERS, **{operation: _refuse(operation) for operation in UNSUPPORTED}
}


@functools.cache
def sns_model() -> ServiceModel:
    loader = botocore.loaders.create_loader()
    return ServiceModel(loader.load_service_model("sns", "service-2"), service_name="sns")


def sns_service(backend: SnsBackend) -> Service:
    return Service("sns", sns_model(), ALL_HANDLERS, backend, SNS_NAMESPACE, SNS_TRAITS)
