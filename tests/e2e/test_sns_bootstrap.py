"""Topics and subscriptions declared in a bootstrap file exist at start, deliver, and a restart
with the same file changes nothing."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from emulator.testing import KyuServer

FILE = """
queues:
  - name: cards
  - name: updates.fifo
topics:
  - name: events
    attributes: {DisplayName: Events}
    tags: {team: billing}
    subscriptions:
      - queue: cards
        raw_message_delivery: true
        filter_policy: {type: [card]}
  - name: updates.fifo
    attributes: {ContentBasedDeduplication: "true"}
    subscriptions:
      - queue: updates.fifo
        raw_message_delivery: true
"""


def test_declared_topics_deliver_and_a_restart_changes_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "kyu.yaml"
    config.write_text(FILE)
    data = tmp_path / "kyu.sqlite3"
    caplog.set_level(logging.INFO, logger="kyu.bootstrap")
    with KyuServer(config=config, data=data) as kyu:
        sns, sqs = kyu.client("sns"), kyu.client("sqs")
        events = "arn:aws:sns:us-east-1:000000000000:events"
        attributes = sns.get_topic_attributes(TopicArn=events)["Attributes"]
        assert (attributes["DisplayName"], attributes["SubscriptionsConfirmed"]) == ("Events", "1")
        assert sns.list_tags_for_resource(ResourceArn=events)["Tags"] == [
            {"Key": "team", "Value": "billing"}]
        [subscription] = sns.list_subscriptions_by_topic(TopicArn=events)["Subscriptions"]
        shown = sns.get_subscription_attributes(
            SubscriptionArn=subscription["SubscriptionArn"])["Attributes"]
        assert json.loads(shown["FilterPolicy"]) == {"type": ["card"]}
        for kind in ("card", "other"):
            sns.publish(TopicArn=events, Message=kind, MessageAttributes={
                "type": {"DataType": "String", "StringValue": kind}})
        url = sqs.get_queue_url(QueueName="cards")["QueueUrl"]
        assert [m["Body"] for m in sqs.receive_message(QueueUrl=url)["Messages"]] == ["card"]
        fifo = "arn:aws:sns:us-east-1:000000000000:updates.fifo"
        assert sns.get_topic_attributes(TopicArn=fifo)["Attributes"]["FifoTopic"] == "true"
        sns.publish(TopicArn=fifo, Message="u1", MessageGroupId="g")
        fifo_url = sqs.get_queue_url(QueueName="updates.fifo")["QueueUrl"]
        assert [m["Body"] for m in sqs.receive_message(QueueUrl=fifo_url)["Messages"]] == ["u1"]
    changes = [r.getMessage() for r in caplog.records if r.name == "kyu.bootstrap"]
    assert "created topic events" in changes and "created topic updates.fifo" in changes
    caplog.clear()
    with KyuServer(config=config, data=data) as kyu:
        assert len(kyu.client("sns").list_topics()["Topics"]) == 2
    assert [r.getMessage() for r in caplog.records if r.name == "kyu.bootstrap"] == []
