"""POST /_kyu/reset: wipe everything, one account, one region or one queue, for test isolation.

A reset leaves the server fully usable: no QueueDeletedRecently cool-down for what it removed,
waiting receives answered, message move tasks of removed queues gone and the others running.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.support.admin_api import AdminApi
from tests.support.server import RunningServer

OTHER_ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    """A server of this module alone: its resets must not empty other modules' queues."""
    running = RunningServer()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def admin(server: RunningServer) -> AdminApi:
    return AdminApi(server.endpoint)


def client_in(server: RunningServer, *, region: str = "us-east-1", key: str = "test") -> Any:
    return boto3.client("sqs", endpoint_url=server.endpoint, region_name=region,
                        aws_access_key_id=key, aws_secret_access_key="secret")


@pytest.fixture(scope="module")
def sqs(server: RunningServer) -> Any:
    return client_in(server)


def unique(prefix: str = "r") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def names(sqs: Any) -> set[str]:
    return {url.rsplit("/", 1)[1] for url in sqs.list_queues().get("QueueUrls", [])}


def arn_of(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def test_reset_wipes_everything_and_names_can_be_reused_at_once(
    admin: AdminApi, sqs: Any, server: RunningServer
) -> None:
    kept_name, deleted_name = unique(), unique()
    url = sqs.create_queue(QueueName=kept_name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="old")
    sqs.delete_queue(QueueUrl=sqs.create_queue(QueueName=deleted_name)["QueueUrl"])
    with pytest.raises(ClientError, match="QueueDeletedRecently"):
        sqs.create_queue(QueueName=deleted_name)
    other = client_in(server, key=OTHER_ACCOUNT)
    other.create_queue(QueueName=unique())

    answer = admin.post("/_kyu/reset")
    assert answer["scope"] == "all" and answer["queuesRemoved"] >= 2
    assert names(sqs) == set() and names(other) == set()
    assert admin.get("/_kyu/queues")["queues"] == []

    url = sqs.create_queue(QueueName=kept_name)["QueueUrl"]
    sqs.create_queue(QueueName=deleted_name)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    sqs.send_message(QueueUrl=url, MessageBody="new")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "new"


def test_reset_of_one_queue_deletes_it_without_the_cool_down(
    admin: AdminApi, sqs: Any
) -> None:
    gone, kept = unique(), unique()
    gone_url = sqs.create_queue(QueueName=gone)["QueueUrl"]
    kept_url = sqs.create_queue(QueueName=kept)["QueueUrl"]
    sqs.send_message(QueueUrl=gone_url, MessageBody="x")
    sqs.send_message(QueueUrl=kept_url, MessageBody="y")

    answer = admin.post(f"/_kyu/reset?queue={gone}")
    assert answer == {"scope": "queue", "queuesRemoved": 1,
                      "queue": f"arn:aws:sqs:us-east-1:000000000000:{gone}"}
    assert gone not in names(sqs) and kept in names(sqs)
    with pytest.raises(ClientError, match=r"NonExistentQueue|QueueDoesNotExist"):
        sqs.send_message(QueueUrl=gone_url, MessageBody="x")
    recreated = sqs.create_queue(QueueName=gone)["QueueUrl"]
    assert "Messages" not in sqs.receive_message(QueueUrl=recreated)
    assert sqs.receive_message(QueueUrl=kept_url)["Messages"][0]["Body"] == "y"


def test_reset_takes_its_scope_from_a_json_body_too(admin: AdminApi, sqs: Any) -> None:
    name = unique()
    sqs.create_queue(QueueName=name)
    assert admin.post("/_kyu/reset", {"queue": name, "account": "000000000000"})[
        "queuesRemoved"] == 1
    assert name not in names(sqs)


def test_reset_of_an_account_leaves_other_accounts(
    admin: AdminApi, sqs: Any, server: RunningServer
) -> None:
    other = client_in(server, key=OTHER_ACCOUNT)
    mine, theirs, deleted = unique(), unique(), unique()
    sqs.create_queue(QueueName=mine)
    other.create_queue(QueueName=theirs)
    other.delete_queue(QueueUrl=other.create_queue(QueueName=deleted)["QueueUrl"])

    answer = admin.post(f"/_kyu/reset?account={OTHER_ACCOUNT}")
    assert answer["scope"] == "account" and answer["queuesRemoved"] == 1
    assert theirs not in names(other) and mine in names(sqs)
    other.create_queue(QueueName=deleted)  # the account's cool-downs are forgotten too


def test_reset_of_a_region_leaves_other_regions(
    admin: AdminApi, sqs: Any, server: RunningServer
) -> None:
    west = client_in(server, region="eu-west-1")
    name = unique()
    sqs.create_queue(QueueName=name)
    west.create_queue(QueueName=name)
    assert admin.post("/_kyu/reset?region=eu-west-1")["scope"] == "region"
    assert name not in names(west) and name in names(sqs)


def test_reset_of_a_name_in_two_accounts_must_say_which(
    admin: AdminApi, server: RunningServer
) -> None:
    name = unique()
    client_in(server, key=OTHER_ACCOUNT).create_queue(QueueName=name)
    client_in(server, key="210987654321").create_queue(QueueName=name)
    status, error = admin.call("POST", f"/_kyu/reset?queue={name}", {})
    assert status == 409 and error["code"] == "Ambiguous"
    assert admin.post(f"/_kyu/reset?queue={name}&account={OTHER_ACCOUNT}")["queuesRemoved"] == 1


@pytest.mark.parametrize("query,body,status", [
    ("?queue=no-such-queue", {}, 404),
    ("?bogus=1", {}, 400),
    ("", {"queue": 7}, 400),
    ("", {"queue": ""}, 400),
    ("", [1], 400),
])
def test_bad_reset_requests_are_json_errors_and_remove_nothing(
    admin: AdminApi, sqs: Any, query: str, body: Any, status: int
) -> None:
    name = unique()
    sqs.create_queue(QueueName=name)
    answer_status, answer = admin.call("POST", "/_kyu/reset" + query, body)
    assert answer_status == status and answer["error"]
    assert name in names(sqs)


def test_a_receive_waiting_on_a_reset_queue_returns_at_once(
    admin: AdminApi, sqs: Any, server: RunningServer
) -> None:
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    poller = client_in(server)
    answers: list[dict[str, Any]] = []
    thread = threading.Thread(
        target=lambda: answers.append(poller.receive_message(QueueUrl=url, WaitTimeSeconds=20)))
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    admin.post(f"/_kyu/reset?queue={name}")
    thread.join(timeout=10)
    assert time.monotonic() - started < 5
    assert answers and "Messages" not in answers[0]


def test_reset_ends_the_move_tasks_of_removed_queues_and_keeps_the_others(
    admin: AdminApi, sqs: Any
) -> None:
    def dead_letter_pair(count: int) -> tuple[str, str]:
        dlq = sqs.create_queue(QueueName=unique("dlq"))["QueueUrl"]
        policy = json.dumps({"deadLetterTargetArn": arn_of(sqs, dlq), "maxReceiveCount": 1})
        work = sqs.create_queue(QueueName=unique("work"),
                                Attributes={"RedrivePolicy": policy})["QueueUrl"]
        for start in range(0, count, 10):
            ids = range(start, min(count, start + 10))
            sqs.send_message_batch(QueueUrl=work, Entries=[
                {"Id": str(i), "MessageBody": str(i)} for i in ids])
        for _ in range(2):  # received once, then moved to the DLQ on the next receive
            while sqs.receive_message(QueueUrl=work, MaxNumberOfMessages=10,
                                      VisibilityTimeout=0).get("Messages"):
                pass
        assert sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=[
            "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"] == str(
            count)
        return work, dlq

    gone_work, gone_dlq = dead_letter_pair(30)
    _, kept_dlq = dead_letter_pair(3)
    sqs.start_message_move_task(SourceArn=arn_of(sqs, gone_dlq), MaxNumberOfMessagesPerSecond=1)
    sqs.start_message_move_task(SourceArn=arn_of(sqs, kept_dlq), MaxNumberOfMessagesPerSecond=1)
    gone_name = gone_dlq.rsplit("/", 1)[1]
    admin.post(f"/_kyu/reset?queue={gone_name}")

    moved_back = int(sqs.get_queue_attributes(QueueUrl=gone_work, AttributeNames=[
        "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"])
    assert moved_back < 30
    recreated = sqs.create_queue(QueueName=gone_name)["QueueUrl"]
    assert sqs.list_message_move_tasks(SourceArn=arn_of(sqs, recreated))["Results"] == []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        tasks = sqs.list_message_move_tasks(SourceArn=arn_of(sqs, kept_dlq))["Results"]
        if tasks[0]["Status"] == "COMPLETED":
            break
        time.sleep(0.2)
    assert tasks[0]["Status"] == "COMPLETED", tasks
    assert tasks[0]["ApproximateNumberOfMessagesMoved"] == 3
    time.sleep(1.2)  # a cancelled task would have moved one more message by now
    assert int(sqs.get_queue_attributes(QueueUrl=gone_work, AttributeNames=[
        "ApproximateNumberOfMessages"])["Attributes"]["ApproximateNumberOfMessages"]) == moved_back


def test_a_cross_origin_page_cannot_reset(admin: AdminApi, sqs: Any) -> None:
    name = unique()
    sqs.create_queue(QueueName=name)
    status, error = admin.call("POST", "/_kyu/reset", {},
                               headers={"Origin": "http://evil.example"})
    assert status == 403 and error["code"] == "Forbidden"
    assert name in names(sqs)
