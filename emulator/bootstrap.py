"""The bootstrap file (``kyu serve --config kyu.yaml``): parsed and checked into plain data.

The file declares queues, topics and subscriptions that exist once the server has started.
This module only reads and checks the file's structure; the values themselves are checked by
the AWS handlers when ``bootstrap_apply`` applies the file, so every AWS rule holds there too.
Every error names the entry it is about (``queues[2] "orders": ...``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

QUEUE_KEYS = frozenset({"name", "attributes", "tags", "dead_letter"})
DEAD_LETTER_KEYS = frozenset({"queue", "max_receive_count"})
TOPIC_KEYS = frozenset({"name", "attributes", "tags", "subscriptions"})
SUBSCRIPTION_KEYS = frozenset({
    "queue", "protocol", "endpoint", "attributes",
    "raw_message_delivery", "filter_policy", "filter_policy_scope",
})
TOP_KEYS = frozenset({"account_id", "region", "queues", "topics"})
_ACCOUNT_ID = re.compile(r"[0-9]{12}")


class BootstrapError(Exception):
    """A bootstrap file that cannot be applied; the message names the file and the entry."""


@dataclass(frozen=True)
class DeadLetter:
    queue: str
    max_receive_count: int


@dataclass(frozen=True)
class QueueSpec:
    name: str
    where: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    dead_letter: DeadLetter | None = None

    def dead_letter_target(self) -> str | None:
        """The name of the queue this one sends exhausted messages to, if it names one."""
        if self.dead_letter is not None:
            return self.dead_letter.queue
        try:
            arn = json.loads(self.attributes.get("RedrivePolicy", ""))["deadLetterTargetArn"]
        except (ValueError, KeyError, TypeError):
            return None
        return arn.rsplit(":", 1)[-1] if isinstance(arn, str) else None


@dataclass(frozen=True)
class SubscriptionSpec:
    """An SNS subscription: ``protocol`` sqs with ``queue`` naming a queue, or any endpoint."""

    protocol: str
    endpoint: str | None
    queue: str | None
    where: str
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TopicSpec:
    name: str
    where: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    subscriptions: tuple[SubscriptionSpec, ...] = ()


@dataclass(frozen=True)
class Bootstrap:
    source: str
    account_id: str | None = None
    region: str | None = None
    queues: tuple[QueueSpec, ...] = ()  # dead-letter targets before their sources
    topics: tuple[TopicSpec, ...] = ()


def load(path: Path) -> Bootstrap:
    """Read and check a bootstrap file (YAML, of which JSON is a subset)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise BootstrapError(f"{path}: cannot read the bootstrap file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise BootstrapError(f"{path}: the bootstrap file is not UTF-8 text") from None
    return parse(text, str(path))


def parse(text: str, source: str = "bootstrap") -> Bootstrap:
    try:
        document = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "invalid syntax"
        raise BootstrapError(f"{source}: not valid YAML or JSON{at}: {problem}") from None
    return _Reader(source).bootstrap(document)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> BootstrapError:
        return BootstrapError(f"{self.source}: {where}: {message}" if where
                              else f"{self.source}: {message}")

    def bootstrap(self, document: Any) -> Bootstrap:
        if document is None:
            document = {}
        top = self.mapping(document, "", "the file must hold a mapping")
        self.known_keys(top, TOP_KEYS, "")
        queues = [self.queue(entry, i) for i, entry in enumerate(self.items(top, "queues"))]
        topics = [self.topic(entry, i) for i, entry in enumerate(self.items(top, "topics"))]
        self.unique([q.name for q in queues], [q.where for q in queues], "queue")
        self.unique([t.name for t in topics], [t.where for t in topics], "topic")
        account_id = self.optional_text(top, "account_id", "")
        if account_id is not None and not _ACCOUNT_ID.fullmatch(account_id):
            raise self.fail("account_id", f"{account_id!r} is not a 12-digit account id")
        return Bootstrap(
            source=self.source,
            account_id=account_id,
            region=self.optional_text(top, "region", ""),
            queues=self.targets_first(queues),
            topics=tuple(topics),
        )

    # --- entries --------------------------------------------------------------------------

    def queue(self, entry: Any, index: int) -> QueueSpec:
        where = f"queues[{index}]"
        item = self.mapping(entry, where, "a queue must be a mapping with at least a name")
        name = self.name(item, where)
        where = f'{where} "{name}"'
        self.known_keys(item, QUEUE_KEYS, where)
        attributes = self.attributes(item, where)
        dead_letter = None
        if "dead_letter" in item:
            if "RedrivePolicy" in attributes:
                raise self.fail(where, "give either dead_letter or a RedrivePolicy attribute")
            dead_letter = self.dead_letter(item["dead_letter"], where)
        return QueueSpec(name, where, attributes, self.tags(item, where), dead_letter)

    def dead_letter(self, value: Any, where: str) -> DeadLetter:
        where = f"{where}: dead_letter"
        item = self.mapping(value, where, "must be a mapping with queue and max_receive_count")
        self.known_keys(item, DEAD_LETTER_KEYS, where)
        queue = item.get("queue")
        if not isinstance(queue, str) or not queue:
            raise self.fail(where, "queue must name the dead-letter queue")
        count = item.get("max_receive_count")
        if isinstance(count, bool) or not isinstance(count, int):
            raise self.fail(where, "max_receive_count must be a whole number")
        return DeadLetter(queue, count)

    def topic(self, entry: Any, index: int) -> TopicSpec:
        where = f"topics[{index}]"
        item = self.mapping(entry, where, "a topic must be a mapping with at least a name")
        name = self.name(item, where)
        where = f'{where} "{name}"'
        self.known_keys(item, TOPIC_KEYS, where)
        subscriptions = tuple(
            self.subscription(sub, f"{where}: subscriptions[{i}]")
            for i, sub in enumerate(self.items(item, "subscriptions", where))
        )
        return TopicSpec(name, where, self.attributes(item, where), self.tags(item, where),
                         subscriptions)

    def subscription(self, entry: Any, where: str) -> SubscriptionSpec:
        item = self.mapping(entry, where, "a subscription must be a mapping")
        self.known_keys(item, SUBSCRIPTION_KEYS, where)
        queue = self.optional_text(item, "queue", where)
        protocol = self.optional_text(item, "protocol", where)
        endpoint = self.optional_text(item, "endpoint", where)
        if queue is not None:
            if endpoint is not None or protocol not in (None, "sqs"):
                raise self.fail(where, "give either queue or protocol and endpoint")
            protocol = "sqs"
        elif protocol is None or endpoint is None:
            raise self.fail(where, "give queue (a queue name) or protocol and endpoint")
        attributes = dict(self.attributes(item, where))
        shorthands = {
            "raw_message_delivery": "RawMessageDelivery",
            "filter_policy": "FilterPolicy",
            "filter_policy_scope": "FilterPolicyScope",
        }
        for key, name in shorthands.items():
            if key in item:
                if name in attributes:
                    raise self.fail(where, f"give either {key} or the {name} attribute")
                attributes[name] = self.attribute_value(item[key], f"{where}: {key}")
        return SubscriptionSpec(protocol, endpoint, queue, where, attributes)

    # --- values ---------------------------------------------------------------------------

    def mapping(self, value: Any, where: str, message: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, message)
        for key in value:
            if not isinstance(key, str):
                raise self.fail(where, f"key {key!r} is not text")
        return value

    def items(self, item: Mapping[str, Any], key: str, where: str = "") -> list[Any]:
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, f"{key} must be a list")
        return value

    def known_keys(self, item: Mapping[str, Any], known: frozenset[str], where: str) -> None:
        for key in item:
            if key not in known:
                raise self.fail(
                    where, f"unknown key {key!r} (expected one of {', '.join(sorted(known))})"
                )

    def name(self, item: Mapping[str, Any], where: str) -> str:
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail(where, "name must be non-empty text")
        return name

    def optional_text(self, item: Mapping[str, Any], key: str, where: str) -> str | None:
        value = item.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise self.fail(where, f"{key} must be non-empty text (quote numbers)")
        return value

    def attributes(self, item: Mapping[str, Any], where: str) -> dict[str, str]:
        value = item.get("attributes")
        if value is None:
            return {}
        attributes = self.mapping(value, f"{where}: attributes", "must be a mapping")
        return {
            name: self.attribute_value(v, f"{where}: attributes.{name}")
            for name, v in attributes.items()
        }

    def attribute_value(self, value: Any, where: str) -> str:
        """Attribute values are text on AWS; numbers, booleans and JSON documents are written
        the way AWS expects them as text."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return value
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, dict | list):
            return json.dumps(value, separators=(",", ":"))
        raise self.fail(where, "must be text, a number, a boolean or a JSON document")

    def tags(self, item: Mapping[str, Any], where: str) -> dict[str, str]:
        value = item.get("tags")
        if value is None:
            return {}
        tags = self.mapping(value, f"{where}: tags", "must be a mapping")
        result = {}
        for key, tag in tags.items():
            if isinstance(tag, bool) or not isinstance(tag, str | int | float):
                raise self.fail(f"{where}: tags.{key}", "must be text")
            result[key] = str(tag)
        return result

    def unique(self, names: list[str], wheres: list[str], kind: str) -> None:
        seen: set[str] = set()
        for name, where in zip(names, wheres, strict=True):
            if name in seen:
                raise self.fail(where, f"the {kind} {name!r} is declared twice")
            seen.add(name)

    def targets_first(self, queues: list[QueueSpec]) -> tuple[QueueSpec, ...]:
        """Order queues so that every dead-letter queue of the file precedes its sources."""
        by_name = {q.name: q for q in queues}
        ordered: list[QueueSpec] = []
        done: set[str] = set()
        for queue in queues:
            chain: list[QueueSpec] = []
            current: QueueSpec | None = queue
            while current is not None and current.name not in done:
                if current in chain:
                    cycle = " -> ".join([*(q.name for q in chain), current.name])
                    raise self.fail(current.where, f"dead-letter queues form a cycle ({cycle})")
                chain.append(current)
                target = current.dead_letter_target()
                current = by_name.get(target) if target else None
            for item in reversed(chain):
                ordered.append(item)
                done.add(item.name)
        return tuple(ordered)
