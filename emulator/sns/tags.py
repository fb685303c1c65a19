"""Topic tags: TagResource, UntagResource, ListTagsForResource and their rules.

Limits from the SNS API reference: at most 50 tags per topic; keys 1-128 characters, values
0-256, of letters, digits, spaces and ``_ . : / = + - @``; keys may not start with ``aws:``.
"""

from __future__ import annotations

import re
from typing import Any

from emulator.context import RequestContext
from emulator.sns.backend import SnsBackend
from emulator.sns.errors import invalid_parameter, resource_not_found, tag_limit_exceeded
from storage.topics import Topic

MAX_TAGS = 50
_KEY = re.compile(r"[\w .:/=+\-@]{1,128}", re.UNICODE)
_VALUE = re.compile(r"[\w .:/=+\-@]{0,256}", re.UNICODE)


def check_tags(tags: list[dict[str, str]]) -> dict[str, str]:
    checked: dict[str, str] = {}
    for tag in tags:
        key, value = tag.get("Key", ""), tag.get("Value", "")
        if not _KEY.fullmatch(key) or key.lower().startswith("aws:"):
            raise invalid_parameter(f"Invalid parameter: Tags Reason: invalid tag key: {key}")
        if not _VALUE.fullmatch(value):
            raise invalid_parameter(f"Invalid parameter: Tags Reason: invalid tag value: {value}")
        checked[key] = value
    if len(checked) > MAX_TAGS:
        raise tag_limit_exceeded()
    return checked


def _tagged_topic(sns: SnsBackend, ctx: RequestContext, arn: str, action: str) -> Topic:
    topic = sns.topics.by_arn(arn)
    if topic is None:
        raise resource_not_found()
    sns.check_access(ctx, topic, action)
    return topic


async def tag_resource(
    sns: SnsBackend, ctx: RequestContext, ResourceArn: str, Tags: list[dict[str, str]]
) -> dict[str, Any]:
    topic = _tagged_topic(sns, ctx, ResourceArn, "TagResource")
    merged = {**topic.tags, **check_tags(Tags)}
    if len(merged) > MAX_TAGS:
        raise tag_limit_exceeded()
    await sns.topics.set_tags(topic, merged)
    return {}


async def untag_resource(
    sns: SnsBackend, ctx: RequestContext, ResourceArn: str, TagKeys: list[str]
) -> dict[str, Any]:
    topic = _tagged_topic(sns, ctx, ResourceArn, "UntagResource")
    removed = set(TagKeys)
    remaining = {k: v for k, v in topic.tags.items() if k not in removed}
    await sns.topics.set_tags(topic, remaining)
    return {}


async def list_tags_for_resource(
    sns: SnsBackend, ctx: RequestContext, ResourceArn: str
) -> dict[str, Any]:
    topic = _tagged_topic(sns, ctx, ResourceArn, "ListTagsForResource")
    return {"Tags": [{"Key": k, "Value": v} for k, v in topic.tags.items()]}
