"""Who may use a queue: the account that owns it, or another account its ``Policy`` allows.

Queues are per account, as on AWS. A request that names another account's queue (by its URL, by
``QueueOwnerAWSAccountId`` or by its ARN) is answered as AWS answers a caller without access:
``AWS.SimpleQueueService.NonExistentQueue``, "The specified queue does not exist or you do not
have access to it." -- unless the queue's policy has an ``Allow`` statement for the caller's
account (``"*"``, the account id or ``arn:aws:iam::<account>:...``) and the action (``*``,
``sqs:*`` or ``sqs:<Action>``; batch actions are covered by their single forms, as AddPermission
grants them) and no ``Deny`` statement matches. Policy conditions are not evaluated.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from emulator import resource_policy
from emulator.context import RequestContext
from emulator.errors import AwsError
from emulator.sqs.backend import SqsBackend
from storage.queues import Queue

Handler = Callable[..., Awaitable[dict[str, Any] | None]]

SINGLE_FORM = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
}


def no_access() -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist or you do not have access to it.",
        json_type="QueueDoesNotExist",
    )


def policy_allows(policy: str | None, account: str, action: str) -> bool:
    """Whether ``policy`` (a queue's Policy attribute) lets ``account`` call ``action``."""
    return resource_policy.policy_allows(
        policy, account, SINGLE_FORM.get(action, action), service="sqs", skip_conditional=False
    )


def _check(ctx: RequestContext, action: str, queue: Queue | None) -> None:
    if queue is None or queue.account == ctx.account_id:
        return
    if not policy_allows(queue.attributes.get("Policy"), ctx.account_id, action):
        raise no_access()


def check_access(
    sqs: SqsBackend, ctx: RequestContext, action: str, members: Mapping[str, Any]
) -> None:
    """Raise unless the caller's account may call ``action`` on the queue it names."""
    if isinstance(members.get("QueueUrl"), str):
        _check(ctx, action, sqs.resolve(ctx, members["QueueUrl"]))
    owner = members.get("QueueOwnerAWSAccountId")
    if action == "GetQueueUrl" and owner and isinstance(members.get("QueueName"), str):
        _check(ctx, action, sqs.queues.get(ctx.region, owner, members["QueueName"]))
    for arn_member in ("SourceArn", "DestinationArn"):
        if isinstance(members.get(arn_member), str):
            _check(ctx, action, sqs.queues.by_arn(members[arn_member]))


def guarded(action: str, handler: Handler) -> Handler:
    """``handler``, called only once the caller's access to the named queue is checked."""

    async def call(sqs: SqsBackend, ctx: RequestContext, **members: Any) -> Any:
        check_access(sqs, ctx, action, members)
        return await handler(sqs, ctx, **members)

    call.__name__ = getattr(handler, "__name__", action)
    call.__doc__ = handler.__doc__
    return call
