"""The SNS state every handler works on: topics, subscriptions, the signer and the deliverers.

SNS delivers to SQS in-process, through the SQS backend's stores, so it holds a reference to it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from emulator.clock import Clock
from emulator.context import RequestContext
from emulator.sns.access import policy_allows
from emulator.sns.errors import authorization_error, subscription_not_found, topic_not_found
from emulator.sns.filter_policy import FilterPolicy, parse_filter_policy
from emulator.sns.http_delivery import HttpDeliverer, HttpDelivery
from emulator.sns.signing import Signer, generate_key_pair
from emulator.sns.topic_rules import parse_topic_arn
from emulator.sqs.backend import SqsBackend
from emulator.sqs.fifo_rules import DEDUPLICATION_WINDOW_MS as QUEUE_DEDUPLICATION_WINDOW_MS
from storage.database import Database
from storage.signing_keys import SigningKeyStore
from storage.subscriptions import Subscription, SubscriptionStore
from storage.topic_publish import PublishStore
from storage.topics import Topic, TopicStore


class SnsBackend:
    def __init__(self, db: Database, clock: Clock, sqs: SqsBackend) -> None:
        self.db = db
        self.clock = clock
        self.sqs = sqs
        self.topics = TopicStore(db)
        self.subscriptions = SubscriptionStore(db)
        self.publishes = PublishStore(db, QUEUE_DEDUPLICATION_WINDOW_MS)
        self.keys = SigningKeyStore(db)
        self.signer: Signer
        self.http = HttpDeliverer(clock, self._dead_letter_http)
        self._filters: dict[str, tuple[str, str, FilterPolicy]] = {}

    async def load(self) -> None:
        await self.topics.load()
        await self.subscriptions.load()
        await self.publishes.load()
        stored = await self.keys.get()
        if stored is None:
            generated = await asyncio.to_thread(generate_key_pair, datetime.now(UTC))
            stored = await self.keys.put_if_absent(*generated)
        self.signer = Signer(*stored)

    async def close(self) -> None:
        await self.http.close()

    # --- lookups --------------------------------------------------------------------------

    def topic(
        self, ctx: RequestContext, arn: str, action: str, parameter: str = "TopicArn"
    ) -> Topic:
        """The topic ``arn`` names, if the caller may call ``action`` on it."""
        parse_topic_arn(arn, parameter)
        topic = self.topics.by_arn(arn)
        if topic is None:
            raise topic_not_found()
        self.check_access(ctx, topic, action)
        return topic

    def topic_for_token(self, arn: str) -> Topic:
        """The topic of a ConfirmSubscription, whose token alone authorizes it."""
        parse_topic_arn(arn)
        topic = self.topics.by_arn(arn)
        if topic is None:
            raise topic_not_found()
        return topic

    def check_access(self, ctx: RequestContext, topic: Topic, action: str) -> None:
        if topic.account == ctx.account_id:
            return
        if policy_allows(topic.attributes.get("Policy"), ctx.account_id, action):
            return
        raise authorization_error(
            f"User: arn:aws:iam::{ctx.account_id}:root is not authorized to perform: "
            f"SNS:{action} on resource: {topic.arn}"
        )

    def subscription(self, ctx: RequestContext, arn: str, action: str) -> Subscription:
        subscription = self.subscriptions.by_arn(arn)
        if subscription is None:
            raise subscription_not_found()
        topic = self.topics.by_id(subscription.topic_id)
        if topic is not None and subscription.owner != ctx.account_id:
            self.check_access(ctx, topic, action)
        return subscription

    def filter_policy(self, subscription: Subscription) -> FilterPolicy | None:
        """The subscription's compiled FilterPolicy (compiled once per text and scope)."""
        text = subscription.attributes.get("FilterPolicy")
        if not text:
            return None
        scope = subscription.attributes.get("FilterPolicyScope", "MessageAttributes")
        cached = self._filters.get(subscription.arn)
        if cached is not None and cached[0] == text and cached[1] == scope:
            return cached[2]
        policy = parse_filter_policy(text, scope)
        self._filters[subscription.arn] = (text, scope, policy)
        return policy

    # --- state changes shared by several operations ----------------------------------------

    async def delete_topics(self, topics: list[Topic]) -> None:
        await self.topics.delete(topics)
        ids = [topic.id for topic in topics]
        for topic_id in ids:
            for subscription in self.subscriptions.of_topic(topic_id):
                self._filters.pop(subscription.arn, None)
        self.subscriptions.forget_topics(ids)
        self.publishes.forget(ids)

    async def delete_subscription(self, subscription: Subscription) -> None:
        await self.subscriptions.delete(subscription)
        self.topics.note_subscription_deleted(subscription.topic_id)
        self._filters.pop(subscription.arn, None)

    async def reset(self, topics: list[Topic] | None = None) -> None:
        """Drop ``topics`` (every topic when None) with their subscriptions, for test isolation."""
        await self.delete_topics(self.topics.all() if topics is None else topics)

    async def _dead_letter_http(self, delivery: HttpDelivery) -> None:
        from emulator.sns.dead_letters import dead_letter

        if delivery.subscription_arn is None:
            return
        subscription = self.subscriptions.by_arn(delivery.subscription_arn)
        if subscription is not None:
            await dead_letter(self, subscription, delivery.body)
