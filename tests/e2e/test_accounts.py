"""Accounts are isolated: one account cannot see or touch another's queues, in either auth mode.

Without ``--auth`` a 12-digit access key id names the account; with ``--auth sigv4`` the
credentials file does. Another account's queue answers as AWS answers a caller without access
(``AWS.SimpleQueueService.NonExistentQueue``) until the owner grants access with AddPermission.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.support.query_model import model_search_path
from tests.support.server import RunningServer

ACCOUNT_A, ACCOUNT_B = "111111111111", "222222222222"
SIGNING_KEYS = {
    ACCOUNT_A: ("AKIDTEAMA", "secret-a"),
    ACCOUNT_B: ("AKIDTEAMB", "secret-b"),
}


@pytest.fixture(scope="module", params=["none", "sigv4"])
def auth_mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def server(auth_mode: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    args = []
    if auth_mode == "sigv4":
        path: Path = tmp_path_factory.mktemp("auth") / "credentials.json"
        path.write_text(json.dumps({
            key: {"secret_access_key": secret, "account_id": account}
            for account, (key, secret) in SIGNING_KEYS.items()
        }))
        args = ["--auth", "sigv4", "--credentials", str(path)]
    running = RunningServer(extra_args=args)
    yield running
    running.stop()


@pytest.fixture(params=["json", "query"])
def clients(request: pytest.FixtureRequest, server: RunningServer, auth_mode: str,
            ) -> tuple[Any, Any]:
    def client(account: str) -> Any:
        session = botocore.session.get_session()
        if request.param == "query":
            session.get_component("data_loader").search_paths.insert(
                0, str(model_search_path()))
        key, secret = SIGNING_KEYS[account] if auth_mode == "sigv4" else (account, "anything")
        boto = boto3.Session(botocore_session=session, region_name="us-east-1",
                             aws_access_key_id=key, aws_secret_access_key=secret)
        return boto.client("sqs", endpoint_url=server.endpoint,
                           config=Config(retries={"max_attempts": 1}))

    return client(ACCOUNT_A), client(ACCOUNT_B)


def no_access(call: Any, **kwargs: Any) -> None:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    assert error["Code"] == "AWS.SimpleQueueService.NonExistentQueue", error
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.fixture
def a_queue(clients: tuple[Any, Any]) -> tuple[str, str]:
    sqs_a, _ = clients
    name = f"owned-{uuid.uuid4().hex[:10]}"
    url = sqs_a.create_queue(QueueName=name)["QueueUrl"]
    sqs_a.send_message(QueueUrl=url, MessageBody="for account A only")
    return name, url


def test_queue_urls_name_the_callers_account(
    clients: tuple[Any, Any], a_queue: tuple[str, str]
) -> None:
    assert f"/{ACCOUNT_A}/{a_queue[0]}" in a_queue[1]


def test_another_account_cannot_list_or_find_the_queue(
    clients: tuple[Any, Any], a_queue: tuple[str, str]
) -> None:
    sqs_a, sqs_b = clients
    name, url = a_queue
    assert url in sqs_a.list_queues(QueueNamePrefix=name).get("QueueUrls", [])
    assert sqs_b.list_queues(QueueNamePrefix=name).get("QueueUrls", []) == []
    no_access(sqs_b.get_queue_url, QueueName=name)
    no_access(sqs_b.get_queue_url, QueueName=name, QueueOwnerAWSAccountId=ACCOUNT_A)


def test_another_account_cannot_use_the_queue_by_its_url(
    clients: tuple[Any, Any], a_queue: tuple[str, str]
) -> None:
    sqs_a, sqs_b = clients
    _, url = a_queue
    no_access(sqs_b.send_message, QueueUrl=url, MessageBody="intruder")
    no_access(sqs_b.send_message_batch, QueueUrl=url,
              Entries=[{"Id": "1", "MessageBody": "intruder"}])
    no_access(sqs_b.receive_message, QueueUrl=url, WaitTimeSeconds=0)
    no_access(sqs_b.get_queue_attributes, QueueUrl=url, AttributeNames=["All"])
    no_access(sqs_b.set_queue_attributes, QueueUrl=url, Attributes={"DelaySeconds": "5"})
    no_access(sqs_b.purge_queue, QueueUrl=url)
    no_access(sqs_b.tag_queue, QueueUrl=url, Tags={"owner": "b"})
    no_access(sqs_b.delete_queue, QueueUrl=url)
    attributes = sqs_a.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "1"
    assert attributes["DelaySeconds"] == "0"
    assert sqs_a.list_queue_tags(QueueUrl=url).get("Tags", {}) == {}
    received = sqs_a.receive_message(QueueUrl=url, WaitTimeSeconds=0)["Messages"]
    assert [m["Body"] for m in received] == ["for account A only"]


def test_each_account_has_its_own_queue_of_a_name(
    clients: tuple[Any, Any], a_queue: tuple[str, str]
) -> None:
    _, sqs_b = clients
    name, url_a = a_queue
    url_b = sqs_b.create_queue(QueueName=name)["QueueUrl"]
    assert f"/{ACCOUNT_B}/{name}" in url_b and url_b != url_a
    assert sqs_b.receive_message(QueueUrl=url_b, WaitTimeSeconds=0).get("Messages", []) == []


def test_add_permission_grants_another_account_exactly_the_granted_actions(
    clients: tuple[Any, Any], a_queue: tuple[str, str]
) -> None:
    sqs_a, sqs_b = clients
    name, url = a_queue
    sqs_a.add_permission(QueueUrl=url, Label="b-sends", AWSAccountIds=[ACCOUNT_B],
                         Actions=["SendMessage", "GetQueueUrl"])
    assert sqs_b.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=ACCOUNT_A)["QueueUrl"]
    sqs_b.send_message(QueueUrl=url, MessageBody="granted")
    sqs_b.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "batched"}])
    no_access(sqs_b.receive_message, QueueUrl=url, WaitTimeSeconds=0)
    no_access(sqs_b.purge_queue, QueueUrl=url)
    depth = sqs_a.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert depth["ApproximateNumberOfMessages"] == "3"
    sqs_a.remove_permission(QueueUrl=url, Label="b-sends")
    no_access(sqs_b.send_message, QueueUrl=url, MessageBody="revoked")
