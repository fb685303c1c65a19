"""AddPermission / RemovePermission: statements in the queue's Policy, as AWS writes them."""

from __future__ import annotations

import json
import re
from typing import Any

from emulator.context import RequestContext
from emulator.errors import invalid_parameter_value, missing_parameter
from emulator.sqs.backend import SqsBackend

# The actions AddPermission accepts (batch actions are implied by their single forms).
GRANTABLE_ACTIONS = frozenset(
    {
        "*",
        "ChangeMessageVisibility",
        "DeleteMessage",
        "GetQueueAttributes",
        "GetQueueUrl",
        "ListDeadLetterSourceQueues",
        "PurgeQueue",
        "ReceiveMessage",
        "SendMessage",
    }
)
_LABEL = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_ACCOUNT = re.compile(r"^\d{12}$")


def _one_or_many(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


def _policy(queue_policy: str | None, queue_arn: str) -> dict[str, Any]:
    if queue_policy:
        parsed = json.loads(queue_policy)
        if isinstance(parsed, dict):
            parsed.setdefault("Statement", [])
            return parsed
    return {"Version": "2008-10-17", "Id": f"{queue_arn}/SQSDefaultPolicy", "Statement": []}


async def add_permission(
    sqs: SqsBackend,
    ctx: RequestContext,
    QueueUrl: str,
    Label: str,
    AWSAccountIds: list[str],
    Actions: list[str],
) -> None:
    queue = sqs.resolve(ctx, QueueUrl)
    if not _LABEL.match(Label):
        raise invalid_parameter_value(
            f"Value {Label} for parameter Label is invalid. Reason: Can only include alphanumeric "
            "characters, hyphens, or underscores. 1 to 80 in length."
        )
    if not AWSAccountIds:
        raise missing_parameter("AWSAccountId")
    if not Actions:
        raise missing_parameter("ActionName")
    for account in AWSAccountIds:
        if not _ACCOUNT.match(account):
            raise invalid_parameter_value(
                f"Value [{account}] for parameter PrincipalId is invalid. Reason: Unable to verify."
            )
    for action in Actions:
        if action not in GRANTABLE_ACTIONS:
            raise invalid_parameter_value(
                f"Value SQS:{action} for parameter ActionName is invalid. "
                "Reason: Only the queue owner is allowed to invoke this action."
                if action in {"AddPermission", "RemovePermission", "SetQueueAttributes",
                              "CreateQueue", "DeleteQueue"}
                else f"Value SQS:{action} for parameter ActionName is invalid. "
                "Reason: Please refer to the appropriate WSDL for a list of valid actions."
            )
    policy = _policy(queue.attributes.get("Policy"), queue.arn)
    if any(s.get("Sid") == Label for s in policy["Statement"]):
        raise invalid_parameter_value(
            f"Value {Label} for parameter Label is invalid. Reason: Already exists."
        )
    policy["Statement"].append(
        {
            "Sid": Label,
            "Effect": "Allow",
            "Principal": {
                "AWS": _one_or_many([f"arn:aws:iam::{a}:root" for a in AWSAccountIds])
            },
            "Action": _one_or_many([f"SQS:{a}" for a in Actions]),
            "Resource": queue.arn,
        }
    )
    await sqs.queues.set_attributes(
        queue, {"Policy": json.dumps(policy, separators=(",", ":"))}, sqs.clock.now_ms() // 1000
    )


async def remove_permission(
    sqs: SqsBackend, ctx: RequestContext, QueueUrl: str, Label: str
) -> None:
    queue = sqs.resolve(ctx, QueueUrl)
    policy = _policy(queue.attributes.get("Policy"), queue.arn)
    kept = [s for s in policy["Statement"] if s.get("Sid") != Label]
    if len(kept) == len(policy["Statement"]):
        raise invalid_parameter_value(
            f"Value {Label} for parameter Label is invalid. "
            "Reason: can't find label."
        )
    policy["Statement"] = kept
    value = json.dumps(policy, separators=(",", ":")) if kept else ""
    await sqs.queues.set_attributes(queue, {"Policy": value}, sqs.clock.now_ms() // 1000)
