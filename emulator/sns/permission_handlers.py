"""AddPermission / RemovePermission: labelled statements in the topic's Policy."""

from __future__ import annotations

import json
from typing import Any

from emulator.context import RequestContext
from emulator.sns.backend import SnsBackend
from emulator.sns.errors import invalid_parameter
from emulator.sns.topic_rules import default_policy
from storage.topics import Topic


def _policy(topic: Topic) -> dict[str, Any]:
    text = topic.attributes.get("Policy") or default_policy(topic.arn, topic.account)
    try:
        document = json.loads(text)
    except ValueError:
        document = {}
    if not isinstance(document, dict):
        document = {}
    statements = document.get("Statement", [])
    document["Statement"] = statements if isinstance(statements, list) else [statements]
    return document


def _one_or_many(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


async def add_permission(
    sns: SnsBackend,
    ctx: RequestContext,
    TopicArn: str,
    Label: str,
    AWSAccountId: list[str],
    ActionName: list[str],
) -> None:
    topic = sns.topic(ctx, TopicArn, "AddPermission")
    if not AWSAccountId:
        raise invalid_parameter("Invalid parameter: AWSAccountId")
    if not ActionName:
        raise invalid_parameter("Invalid parameter: ActionName")
    document = _policy(topic)
    if any(isinstance(s, dict) and s.get("Sid") == Label for s in document["Statement"]):
        raise invalid_parameter("Invalid parameter: Statement already exists")
    document["Statement"].append({
        "Sid": Label,
        "Effect": "Allow",
        "Principal": {"AWS": _one_or_many(
            [f"arn:aws:iam::{account}:root" for account in AWSAccountId]
        )},
        "Action": _one_or_many([f"SNS:{action}" for action in ActionName]),
        "Resource": topic.arn,
    })
    await sns.topics.set_attributes(
        topic, {"Policy": json.dumps(document, separators=(",", ":"))}
    )


async def remove_permission(
    sns: SnsBackend, ctx: RequestContext, TopicArn: str, Label: str
) -> None:
    topic = sns.topic(ctx, TopicArn, "RemovePermission")
    document = _policy(topic)
    kept = [s for s in document["Statement"] if not (isinstance(s, dict) and s.get("Sid") == Label)]
    if len(kept) == len(document["Statement"]):
        return
    document["Statement"] = kept
    await sns.topics.set_attributes(
        topic, {"Policy": json.dumps(document, separators=(",", ":"))}
    )
