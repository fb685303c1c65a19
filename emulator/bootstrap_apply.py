"""Apply a bootstrap file through the services' own handlers, so every AWS rule holds.

Applying is idempotent: a queue, topic or subscription that already matches the file is not
touched, so a restart with the same file changes nothing. Attributes and tags the file names
are set when they differ; attributes and tags it does not name are left as they are.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.bootstrap import Bootstrap, BootstrapError, QueueSpec, SubscriptionSpec, TopicSpec
from emulator.context import RequestContext
from emulator.errors import AwsError
from emulator.service import Service
from emulator.sqs.backend import SqsBackend
from emulator.sqs.queue_attributes import (
    CREATE_ONLY_ATTRIBUTES,
    FIFO_SUFFIX,
    default_attributes,
    validate_attributes,
)

log = logging.getLogger("kyu.bootstrap")


async def apply(
    services: Mapping[str, Service], spec: Bootstrap, ctx: RequestContext
) -> list[str]:
    """Make the server hold what ``spec`` declares; returns what was changed, one line each."""
    applier = _Applier(services, spec, ctx)
    for queue in spec.queues:
        await applier.queue(queue)
    if spec.topics and "sns" not in services:
        raise BootstrapError(f"{spec.source}: {spec.topics[0].where}: SNS is not available")
    for topic in spec.topics:
        await applier.topic(topic)
    for change in applier.changes:
        log.info("%s", change)
    return applier.changes


class _Applier:
    def __init__(
        self, services: Mapping[str, Service], spec: Bootstrap, ctx: RequestContext
    ) -> None:
        self.services = services
        self.source = spec.source
        self.ctx = ctx
        self.changes: list[str] = []

    async def call(self, service: str, operation: str, where: str, **members: Any) -> Any:
        target = self.services[service]
        try:
            return await target.handlers[operation](target.backend, self.ctx, **members)
        except AwsError as error:
            raise BootstrapError(
                f"{self.source}: {where}: {operation} failed: {error.code}: {error.message}"
            ) from None

    def sqs_arn(self, name: str) -> str:
        return f"arn:aws:sqs:{self.ctx.region}:{self.ctx.account_id}:{name}"

    # --- queues ---------------------------------------------------------------------------

    async def queue(self, spec: QueueSpec) -> None:
        fifo = spec.name.endswith(FIFO_SUFFIX)
        attributes = dict(spec.attributes)
        if fifo:
            attributes.setdefault("FifoQueue", "true")
        if spec.dead_letter is not None:
            attributes["RedrivePolicy"] = json.dumps({
                "deadLetterTargetArn": self.sqs_arn(spec.dead_letter.queue),
                "maxReceiveCount": spec.dead_letter.max_receive_count,
            })
        backend: SqsBackend = self.services["sqs"].backend
        existing = backend.queues.get(self.ctx.region, self.ctx.account_id, spec.name)
        if existing is None:
            await self.call("sqs", "CreateQueue", spec.where, QueueName=spec.name,
                            Attributes=attributes or None, tags=dict(spec.tags) or None)
            self.changes.append(f"created queue {spec.name}")
            return
        url = backend.queue_url(self.ctx, existing)
        try:
            wanted = validate_attributes(attributes, fifo=existing.fifo, creating=True)
        except AwsError as error:
            raise BootstrapError(
                f"{self.source}: {spec.where}: {error.code}: {error.message}"
            ) from None
        current = {**default_attributes(existing.fifo), **existing.attributes}
        changed = {
            name: value for name, value in wanted.items()
            if current.get(name, "") != value and name not in CREATE_ONLY_ATTRIBUTES
        }
        if changed:
            await self.call("sqs", "SetQueueAttributes", spec.where,
                            QueueUrl=url, Attributes=changed)
            self.changes.append(f"set {', '.join(sorted(changed))} of queue {spec.name}")
        tags = {k: v for k, v in spec.tags.items() if existing.tags.get(k) != v}
        if tags:
            await self.call("sqs", "TagQueue", spec.where, QueueUrl=url, Tags=tags)
            self.changes.append(f"tagged queue {spec.name} with {', '.join(sorted(tags))}")

    # --- topics and subscriptions ---------------------------------------------------------

    async def topic(self, spec: TopicSpec) -> None:
        arn = f"arn:aws:sns:{self.ctx.region}:{self.ctx.account_id}:{spec.name}"
        current = await self.topic_attributes(arn, spec.where)
        if current is None:
            tags = [{"Key": k, "Value": v} for k, v in spec.tags.items()]
            attributes = dict(spec.attributes)
            if spec.name.endswith(FIFO_SUFFIX):
                attributes.setdefault("FifoTopic", "true")
            created = await self.call("sns", "CreateTopic", spec.where, Name=spec.name,
                                      Attributes=attributes or None,
                                      Tags=tags or None)
            arn = created["TopicArn"]
            self.changes.append(f"created topic {spec.name}")
        else:
            for name, value in spec.attributes.items():
                if current.get(name) != value:
                    await self.call("sns", "SetTopicAttributes", spec.where, TopicArn=arn,
                                    AttributeName=name, AttributeValue=value)
                    self.changes.append(f"set {name} of topic {spec.name}")
            listed = await self.call("sns", "ListTagsForResource", spec.where, ResourceArn=arn)
            have = {t["Key"]: t["Value"] for t in (listed or {}).get("Tags", [])}
            tags = [{"Key": k, "Value": v} for k, v in spec.tags.items() if have.get(k) != v]
            if tags:
                await self.call("sns", "TagResource", spec.where, ResourceArn=arn, Tags=tags)
                self.changes.append(f"tagged topic {spec.name}")
        for subscription in spec.subscriptions:
            await self.subscription(arn, spec.name, subscription)

    async def topic_attributes(self, arn: str, where: str) -> dict[str, str] | None:
        sns = self.services["sns"]
        try:
            result = await sns.handlers["GetTopicAttributes"](sns.backend, self.ctx, TopicArn=arn)
        except AwsError as error:
            if error.code == "NotFound":
                return None
            raise BootstrapError(f"{self.source}: {where}: {error.code}: {error.message}") from None
        return dict((result or {}).get("Attributes", {}))

    async def subscription(self, topic_arn: str, topic: str, spec: SubscriptionSpec) -> None:
        endpoint = self.sqs_arn(spec.queue) if spec.queue is not None else spec.endpoint
        existing = await self.find_subscription(topic_arn, spec.protocol, endpoint, spec.where)
        if existing is None:
            await self.call("sns", "Subscribe", spec.where, TopicArn=topic_arn,
                            Protocol=spec.protocol, Endpoint=endpoint,
                            Attributes=dict(spec.attributes) or None, ReturnSubscriptionArn=True)
            self.changes.append(f"subscribed {endpoint} to topic {topic}")
            return
        got = await self.call("sns", "GetSubscriptionAttributes", spec.where,
                              SubscriptionArn=existing)
        current = dict((got or {}).get("Attributes", {}))
        for name, value in spec.attributes.items():
            if current.get(name) != value:
                await self.call("sns", "SetSubscriptionAttributes", spec.where,
                                SubscriptionArn=existing, AttributeName=name,
                                AttributeValue=value)
                self.changes.append(f"set {name} of the subscription of {endpoint} to {topic}")

    async def find_subscription(
        self, topic_arn: str, protocol: str, endpoint: str | None, where: str
    ) -> str | None:
        token: str | None = None
        while True:
            page = await self.call("sns", "ListSubscriptionsByTopic", where,
                                   TopicArn=topic_arn, NextToken=token)
            for item in (page or {}).get("Subscriptions", []):
                if item.get("Protocol") == protocol and item.get("Endpoint") == endpoint:
                    arn = item.get("SubscriptionArn")
                    if arn and arn.startswith("arn:"):
                        return str(arn)
            token = (page or {}).get("NextToken")
            if not token:
                return None


class ReportStartupFailure:
    """Reports a bootstrap file that cannot be applied as its one message, not a traceback.

    The ASGI server logs whatever the failed startup carries; Starlette fills that with the
    traceback, which buries the one line that says which entry of the file is wrong.
    """

    def __init__(self, app: ASGIApp, errors: list[str]) -> None:
        self.app = app
        self.errors = errors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def report(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed" and self.errors:
                message = {**message, "message": self.errors[-1]}
            await send(message)

        await self.app(scope, receive, report)
