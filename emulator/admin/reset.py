"""Reset for test isolation: wipe everything, or one account, one region, one queue or topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from emulator.admin import lookup, topic_views
from emulator.admin.errors import bad_request

if TYPE_CHECKING:
    from emulator.app import Kyu

SCOPE_KEYS = ("account", "region", "queue", "topic")


@dataclass(frozen=True)
class ResetScope:
    account: str | None = None
    region: str | None = None
    queue: str | None = None
    topic: str | None = None

    @property
    def everything(self) -> bool:
        return self == ResetScope()


async def reset(kyu: Kyu, scope: ResetScope) -> dict[str, Any]:
    """Drop what ``scope`` names; answer how many queues and topics went."""
    sqs, sns = kyu.sqs, kyu.sns
    if scope.queue is not None and scope.topic is not None:
        raise bad_request("Reset one queue or one topic, not both at once.")
    if scope.everything:
        queue_count, topic_count = len(sqs.queues.all()), len(sns.topics.all())
        await sns.reset()
        await sqs.reset()
        return {"scope": "all", "queuesRemoved": queue_count, "topicsRemoved": topic_count}
    defaults = {"default_account": kyu.config.account_id, "default_region": kyu.config.region}
    if scope.topic is not None:
        topic = topic_views.find_topic(sns, scope.topic, account=scope.account,
                                       region=scope.region, **defaults)
        await sns.reset([topic])
        return {"scope": "topic", "topicsRemoved": 1, "topic": topic.arn}
    if scope.queue is not None:
        queue = lookup.find_queue(sqs, scope.queue, account=scope.account, region=scope.region,
                                  **defaults)
        await sqs.reset([queue])
        return {"scope": "queue", "queuesRemoved": 1, "queue": queue.arn}
    queues = lookup.matching_queues(sqs, account=scope.account, region=scope.region)
    topics = topic_views.matching_topics(sns, account=scope.account, region=scope.region)
    await sns.reset(topics)
    # A whole account forgets its recently deleted names too; one region of it keeps them.
    await sqs.reset(queues, account=scope.account if scope.region is None else None)
    return {"scope": "account" if scope.account else "region", "queuesRemoved": len(queues),
            "topicsRemoved": len(topics)}
