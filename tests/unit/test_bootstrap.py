"""The bootstrap file's structure: what parses into which specs, and which message each mistake
gets (every message names the file and the entry)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.bootstrap import BootstrapError, DeadLetter, load, parse

FULL = """
account_id: "123456789012"
region: eu-west-1
queues:
  - name: orders
    attributes:
      VisibilityTimeout: 45
      ContentBasedDeduplication: false
      Policy: {Version: "2012-10-17", Statement: []}
    dead_letter: {queue: orders-dlq, max_receive_count: 3}
    tags: {team: billing, cost-center: 42}
  - name: orders-dlq
topics:
  - name: events
    attributes: {DisplayName: Events}
    tags: {team: billing}
    subscriptions:
      - queue: orders
        raw_message_delivery: true
        filter_policy: {type: [card]}
        filter_policy_scope: MessageAttributes
      - protocol: https
        endpoint: https://example.com/hook
"""


def test_a_full_file_parses_into_specs() -> None:
    spec = parse(FULL, "kyu.yaml")
    assert (spec.source, spec.account_id, spec.region) == ("kyu.yaml", "123456789012", "eu-west-1")
    assert [q.name for q in spec.queues] == ["orders-dlq", "orders"]  # targets first
    orders = spec.queues[1]
    assert orders.attributes == {
        "VisibilityTimeout": "45",
        "ContentBasedDeduplication": "false",
        "Policy": '{"Version":"2012-10-17","Statement":[]}',
    }
    assert orders.dead_letter == DeadLetter("orders-dlq", 3)
    assert orders.tags == {"team": "billing", "cost-center": "42"}
    assert orders.where == 'queues[0] "orders"'
    [topic] = spec.topics
    assert (topic.name, dict(topic.attributes), dict(topic.tags)) == (
        "events", {"DisplayName": "Events"}, {"team": "billing"}
    )
    to_queue, to_https = topic.subscriptions
    assert (to_queue.protocol, to_queue.queue, to_queue.endpoint) == ("sqs", "orders", None)
    assert to_queue.attributes == {
        "RawMessageDelivery": "true",
        "FilterPolicy": '{"type":["card"]}',
        "FilterPolicyScope": "MessageAttributes",
    }
    assert (to_https.protocol, to_https.endpoint, to_https.queue) == (
        "https", "https://example.com/hook", None
    )


def test_json_files_parse_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "kyu.json"
    path.write_text(json.dumps({"queues": [{"name": "a", "attributes": {"DelaySeconds": 5}}]}))
    spec = load(path)
    assert spec.source == str(path)
    assert [(q.name, dict(q.attributes)) for q in spec.queues] == [("a", {"DelaySeconds": "5"})]


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "queues: []\n", "{}"])
def test_an_empty_file_declares_nothing(text: str) -> None:
    spec = parse(text)
    assert spec.queues == () and spec.topics == ()


def test_chains_of_dead_letter_queues_are_ordered_targets_first() -> None:
    spec = parse("""
queues:
  - {name: a, dead_letter: {queue: b, max_receive_count: 1}}
  - {name: b, dead_letter: {queue: c, max_receive_count: 1}}
  - {name: c}
  - name: d
    attributes:
      RedrivePolicy: {deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:a",
                      maxReceiveCount: 2}
  - {name: e, dead_letter: {queue: elsewhere, max_receive_count: 1}}
""")
    assert [q.name for q in spec.queues] == ["c", "b", "a", "d", "e"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "f.yaml: the file must hold a mapping"),
        ("queue: []\n", "f.yaml: unknown key 'queue'"),
        ("queues: {name: a}\n", "f.yaml: queues must be a list"),
        ("queues: [a]\n", "f.yaml: queues[0]: a queue must be a mapping"),
        ("queues: [{attributes: {}}]\n", "f.yaml: queues[0]: name must be non-empty text"),
        ("queues: [{name: a}, {name: b, colour: red}]\n",
         "f.yaml: queues[1] \"b\": unknown key 'colour'"),
        ("queues: [{name: a}, {name: a}]\n",
         "f.yaml: queues[1] \"a\": the queue 'a' is declared twice"),
        ("queues: [{name: a, attributes: [1]}]\n", 'f.yaml: queues[0] "a": attributes: must be'),
        ("queues: [{name: a, attributes: {DelaySeconds: null}}]\n",
         'f.yaml: queues[0] "a": attributes.DelaySeconds: must be text, a number'),
        ("queues: [{name: a, tags: {t: [1]}}]\n", 'f.yaml: queues[0] "a": tags.t: must be text'),
        ("queues: [{name: a, dead_letter: b}]\n", 'f.yaml: queues[0] "a": dead_letter: must be'),
        ("queues: [{name: a, dead_letter: {queue: b, max_receive_count: three}}]\n",
         'f.yaml: queues[0] "a": dead_letter: max_receive_count must be a whole number'),
        ("queues: [{name: a, dead_letter: {max_receive_count: 3}}]\n",
         'f.yaml: queues[0] "a": dead_letter: queue must name the dead-letter queue'),
        ("queues: [{name: a, dead_letter: {queue: b, max_receive_count: 1},"
         " attributes: {RedrivePolicy: x}}]\n",
         'f.yaml: queues[0] "a": give either dead_letter or a RedrivePolicy attribute'),
        ("queues:\n - {name: a, dead_letter: {queue: b, max_receive_count: 1}}\n"
         " - {name: b, dead_letter: {queue: a, max_receive_count: 1}}\n",
         'f.yaml: queues[0] "a": dead-letter queues form a cycle (a -> b -> a)'),
        ("account_id: 123\n", "f.yaml: account_id must be non-empty text"),
        ("account_id: '123'\n", "f.yaml: account_id: '123' is not a 12-digit account id"),
        ("topics: [{name: t, subscriptions: [{queue: q, endpoint: x}]}]\n",
         'f.yaml: topics[0] "t": subscriptions[0]: give either queue or protocol and endpoint'),
        ("topics: [{name: t, subscriptions: [{protocol: https}]}]\n",
         'f.yaml: topics[0] "t": subscriptions[0]: give queue (a queue name) or protocol'),
        ("topics: [{name: t, subscriptions: [{queue: q, raw_message_delivery: true,"
         " attributes: {RawMessageDelivery: 'true'}}]}]\n",
         'f.yaml: topics[0] "t": subscriptions[0]: give either raw_message_delivery or the'),
        ("topics: [{name: t}, {name: t}]\n", 'f.yaml: topics[1] "t": the topic \'t\' is declared'),
        ("queues: [{name: a\n", "f.yaml: not valid YAML or JSON at line 2"),
    ],
)
def test_each_mistake_gets_one_message_naming_the_entry(text: str, message: str) -> None:
    with pytest.raises(BootstrapError) as caught:
        parse(text, "f.yaml")
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_file_is_reported_by_path(tmp_path: Path) -> None:
    with pytest.raises(BootstrapError, match=r"missing\.yaml: cannot read the bootstrap file"):
        load(tmp_path / "missing.yaml")


def test_the_readme_example_parses() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Bootstrap file\n", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    spec = parse(example, "README")
    assert [q.name for q in spec.queues] == ["orders-dlq", "orders", "order-updates.fifo"]
    assert spec.queues[1].dead_letter == DeadLetter("orders-dlq", 3)
    [topic] = spec.topics
    assert [s.protocol for s in topic.subscriptions] == ["sqs", "https"]
