"""SNS state survives a restart on the same data file: topics with their attributes and tags,
subscriptions (pending ones with their token), the signing certificate, FIFO sequence numbers and
deduplication, and delivery of what was published just before the stop."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from tests.e2e.conftest import make_client
from tests.e2e.sns_helpers import new_queue, receive, subscribe_queue
from tests.support.server import RunningServer


def test_topics_and_subscriptions_survive_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "kyu.sqlite3"
    server = RunningServer(data=data)
    try:
        sns, sqs = make_client("sns", server.endpoint), make_client("sqs", server.endpoint)
        topic = sns.create_topic(Name="orders", Attributes={"DisplayName": "Orders"},
                                 Tags=[{"Key": "team", "Value": "a"}])["TopicArn"]
        fifo = sns.create_topic(Name="updates.fifo", Attributes={"FifoTopic": "true"})[
            "TopicArn"]
        url, queue = new_queue(sqs, "orders-queue")
        subscription = subscribe_queue(sns, topic, queue, RawMessageDelivery="true",
                                       FilterPolicy=json.dumps({"kind": ["order"]}))
        pending = sns.subscribe(TopicArn=topic, Protocol="http",
                                Endpoint="http://127.0.0.1:9/hook")["SubscriptionArn"]
        assert pending == "pending confirmation"
        fifo_url, fifo_queue = new_queue(sqs, "updates.fifo", FifoQueue="true")
        subscribe_queue(sns, fifo, fifo_queue, RawMessageDelivery="true")
        before = sns.publish(TopicArn=fifo, Message="one", MessageGroupId="g",
                             MessageDeduplicationId="d1")
        sns.publish(TopicArn=topic, Message="just before the stop", MessageAttributes={
            "kind": {"DataType": "String", "StringValue": "order"}})
        sns.set_topic_attributes(TopicArn=topic, AttributeName="SignatureVersion",
                                 AttributeValue="1")
        raw_url, raw_queue = new_queue(sqs, "enveloped")
        subscribe_queue(sns, topic, raw_queue)
        sns.publish(TopicArn=topic, Message="signed")
        [signed] = receive(sqs, raw_url)
        certificate_url = json.loads(signed["Body"])["SigningCertURL"]
    finally:
        server.stop()

    server = RunningServer(data=data, port=server.port)
    try:
        sns, sqs = make_client("sns", server.endpoint), make_client("sqs", server.endpoint)
        attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
        assert attributes["DisplayName"] == "Orders"
        assert (attributes["SubscriptionsConfirmed"], attributes["SubscriptionsPending"]) == (
            "2", "1")
        assert sns.list_tags_for_resource(ResourceArn=topic)["Tags"] == [
            {"Key": "team", "Value": "a"}]
        kept = sns.get_subscription_attributes(SubscriptionArn=subscription)["Attributes"]
        assert kept["RawMessageDelivery"] == "true"
        assert json.loads(kept["FilterPolicy"]) == {"kind": ["order"]}
        assert [m["Body"] for m in receive(sqs, url)] == ["just before the stop"]
        duplicate = sns.publish(TopicArn=fifo, Message="one again", MessageGroupId="g",
                                MessageDeduplicationId="d1")
        assert duplicate["MessageId"] == before["MessageId"]
        after = sns.publish(TopicArn=fifo, Message="two", MessageGroupId="g",
                            MessageDeduplicationId="d2")
        assert int(after["SequenceNumber"]) > int(before["SequenceNumber"])
        assert [m["Body"] for m in receive(sqs, fifo_url)] == ["one", "two"]
        sns.publish(TopicArn=topic, Message="signed again")
        [signed] = receive(sqs, raw_url)
        assert json.loads(signed["Body"])["SigningCertURL"] == certificate_url
    finally:
        server.stop()


def test_a_publish_answered_survives_a_kill_right_after(tmp_path: Path) -> None:
    data = tmp_path / "kyu.sqlite3"
    server = RunningServer(data=data)
    try:
        sns, sqs = make_client("sns", server.endpoint), make_client("sqs", server.endpoint)
        topic = sns.create_topic(Name="events")["TopicArn"]
        urls = []
        for name in ("a", "b", "c"):
            url, queue = new_queue(sqs, name)
            subscribe_queue(sns, topic, queue, RawMessageDelivery="true")
            urls.append(url)
        published = [sns.publish(TopicArn=topic, Message=f"m{n}")["MessageId"] for n in range(5)]
    finally:
        server.stop(signal.SIGKILL)
    assert len(published) == 5
    server = RunningServer(data=data, port=server.port)
    try:
        sqs = make_client("sqs", server.endpoint)
        for url in urls:
            assert sorted(m["Body"] for m in receive(sqs, url)) == [f"m{n}" for n in range(5)]
    finally:
        server.stop()
