"""Reset for test isolation: wipe everything, or one account, one region, one queue or topic."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from emulator.admin import lookup
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
    sqs = kyu.sqs
    if scope.topic is not None:
        raise bad_request("This Kyu has no topics (SNS is not available).")
    if scope.everything:
        removed = len(sqs.queues.all())
        await sqs.reset()
        return {"scope": "all", "queuesRemoved": removed}
    if scope.queue is not None:
        queue = lookup.find_queue(
            sqs, scope.queue, account=scope.account, region=scope.region,
            default_account=kyu.config.account_id, default_region=kyu.config.region,
        )
        await sqs.reset([queue])
        return {"scope": "queue", "queuesRemoved": 1, "queue": queue.arn}
    queues = lookup.matching_queues(sqs, account=scope.account, region=scope.region)
    # A whole account forgets its recently deleted names too; one region of it keeps them.
    await sqs.reset(queues, account=scope.account if scope.region is None else None)
    return {"scope": "account" if scope.account else "region", "queuesRemoved": len(queues)}
