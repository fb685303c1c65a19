"""Kyu's own API for SNS: ``GET /_kyu/topics`` and ``POST /_kyu/reset`` of topics.

The server is this module's own, since resetting drops what other tests created.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import make_client
from tests.e2e.sns_helpers import new_queue, subscribe_queue, unique
from tests.support.admin_api import AdminApi
from tests.support.server import RunningServer


@pytest.fixture(scope="module")
def own_server() -> Iterator[RunningServer]:
    running = RunningServer()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def admin(own_server: RunningServer) -> AdminApi:
    return AdminApi(own_server.endpoint)


@pytest.fixture(scope="module")
def sns(own_server: RunningServer) -> Any:
    return make_client("sns", own_server.endpoint)


@pytest.fixture(scope="module")
def sqs(own_server: RunningServer) -> Any:
    return make_client("sqs", own_server.endpoint)


def test_topics_are_listed_with_their_subscriptions(admin: AdminApi, sns: Any, sqs: Any) -> None:
    name = unique("t")
    topic = sns.create_topic(Name=name, Attributes={"DisplayName": "Shown"},
                             Tags=[{"Key": "k", "Value": "v"}])["TopicArn"]
    _, queue = new_queue(sqs)
    subscribe_queue(sns, topic, queue, RawMessageDelivery="true",
                    FilterPolicy=json.dumps({"kind": ["a"]}))
    sns.subscribe(TopicArn=topic, Protocol="http", Endpoint="http://127.0.0.1:9/hook")
    [document] = [t for t in admin.get("/_kyu/topics")["topics"] if t["arn"] == topic]
    assert (document["name"], document["account"], document["region"], document["fifo"]) == (
        name, "000000000000", "us-east-1", False)
    assert document["attributes"]["DisplayName"] == "Shown"
    assert document["attributes"]["SubscriptionsPending"] == "1"
    assert document["tags"] == {"k": "v"}
    to_queue, to_http = document["subscriptions"]
    assert to_queue["arn"].startswith(topic + ":")
    assert {k: v for k, v in to_queue.items() if k != "arn"} == {
        "protocol": "sqs", "endpoint": queue, "pendingConfirmation": False,
        "rawMessageDelivery": True, "filterPolicy": {"kind": ["a"]},
        "filterPolicyScope": "MessageAttributes",
    }
    assert to_http == {
        "arn": None, "protocol": "http", "endpoint": "http://127.0.0.1:9/hook",
        "pendingConfirmation": True, "rawMessageDelivery": False, "filterPolicy": None,
        "filterPolicyScope": None,
    }
    assert admin.get("/_kyu/topics?account=123456789012") == {"topics": []}


def test_reset_of_one_topic_and_of_everything(admin: AdminApi, sns: Any, sqs: Any) -> None:
    gone = sns.create_topic(Name=unique("gone"))["TopicArn"]
    kept = sns.create_topic(Name=unique("kept"))["TopicArn"]
    _, queue = new_queue(sqs)
    subscription = subscribe_queue(sns, gone, queue)
    answer = admin.post(f"/_kyu/reset?topic={gone.rsplit(':', 1)[1]}")
    assert answer == {"scope": "topic", "topicsRemoved": 1, "topic": gone}
    arns = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    assert gone not in arns and kept in arns
    with pytest.raises(sns.exceptions.NotFoundException):
        sns.get_subscription_attributes(SubscriptionArn=subscription)
    status, error = admin.call("POST", "/_kyu/reset?topic=no-such-topic", {})
    assert status == 404 and "no-such-topic" in json.dumps(error)
    answer = admin.post("/_kyu/reset")
    assert answer["scope"] == "all" and answer["topicsRemoved"] >= 1
    assert sns.list_topics()["Topics"] == []
    assert sns.list_subscriptions()["Subscriptions"] == []
