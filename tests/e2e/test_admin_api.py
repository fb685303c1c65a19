"""Kyu's own JSON API under /_kyu: clock control, queue listing and peeking at messages.

Peeking must change nothing: no receive count, no visibility, no receipt handle handed out.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest

from tests.e2e.conftest import make_client
from tests.support.admin_api import AdminApi
from tests.support.server import RunningServer

ACCOUNT = "000000000000"


@pytest.fixture(scope="module")
def admin(server: RunningServer) -> AdminApi:
    return AdminApi(server.endpoint)


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Any:
    return make_client("sqs", server.endpoint)


def unique(prefix: str = "adm") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def client_in(server: RunningServer, *, region: str = "us-east-1", key: str = "test") -> Any:
    return boto3.client("sqs", endpoint_url=server.endpoint, region_name=region,
                        aws_access_key_id=key, aws_secret_access_key="secret")


def counts(client: Any, url: str) -> dict[str, str]:
    return dict(client.get_queue_attributes(QueueUrl=url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ])["Attributes"])


# --- clock ------------------------------------------------------------------------------------


def test_health_answers_ok(admin: AdminApi) -> None:
    assert admin.get("/_kyu/health") == {"status": "ok"}


def test_the_clock_reports_now_and_moves_forward_by_the_offset(admin: AdminApi) -> None:
    before = admin.get("/_kyu/clock")
    assert set(before) == {"now", "nowMs", "iso", "offsetSeconds"}
    assert abs(before["nowMs"] - before["now"] * 1000) < 2
    advanced = admin.post("/_kyu/clock/advance", {"seconds": 120})
    assert advanced["offsetSeconds"] == pytest.approx(before["offsetSeconds"] + 120, abs=0.05)
    assert advanced["now"] - before["now"] >= 120
    assert admin.get("/_kyu/clock")["offsetSeconds"] == pytest.approx(
        advanced["offsetSeconds"], abs=0.05
    )


@pytest.mark.parametrize("body", [
    b'{"seconds": -1}', b'{"seconds": "300"}', b'{"seconds": true}', b'{"seconds": Infinity}',
    b'{"seconds": NaN}', b'{}', b'[300]', b'not json',
])
def test_a_bad_advance_is_a_json_400_and_leaves_the_clock(admin: AdminApi, body: bytes) -> None:
    before = admin.get("/_kyu/clock")["offsetSeconds"]
    status, document = admin.call("POST", "/_kyu/clock/advance", raw=body)
    assert status == 400
    assert document["code"] == "BadRequest" and document["error"]
    assert admin.get("/_kyu/clock")["offsetSeconds"] == pytest.approx(before, abs=0.05)


def test_advancing_the_clock_makes_a_delayed_message_visible(
    admin: AdminApi, client: Any
) -> None:
    url = client.create_queue(QueueName=unique())["QueueUrl"]
    client.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=900)
    assert "Messages" not in client.receive_message(QueueUrl=url)
    admin.post("/_kyu/clock/advance", {"seconds": 900})
    assert client.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "later"


# --- listing ----------------------------------------------------------------------------------


def test_the_listing_counts_each_state_and_names_dead_letter_sources(
    admin: AdminApi, client: Any, server: RunningServer
) -> None:
    dlq_name, work_name = unique("dlq"), unique("work")
    dlq = client.create_queue(QueueName=dlq_name)["QueueUrl"]
    dlq_arn = client.get_queue_attributes(
        QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})
    work = client.create_queue(QueueName=work_name, Attributes={"RedrivePolicy": policy})[
        "QueueUrl"]
    for body in ("a", "b", "c"):
        client.send_message(QueueUrl=work, MessageBody=body)
    client.send_message(QueueUrl=work, MessageBody="d", DelaySeconds=600)
    client.receive_message(QueueUrl=work, VisibilityTimeout=600)

    queues = {q["name"]: q for q in admin.get("/_kyu/queues")["queues"]}
    listed = queues[work_name]
    assert listed["counts"] == {"visible": 2, "inFlight": 1, "delayed": 1}
    assert listed["url"] == work and listed["account"] == ACCOUNT
    assert listed["deadLetterTarget"] == {"arn": dlq_arn, "maxReceiveCount": 3}
    assert queues[dlq_name]["deadLetterSources"] == [
        {"name": work_name, "arn": listed["arn"]}
    ]
    assert queues[dlq_name]["counts"] == {"visible": 0, "inFlight": 0, "delayed": 0}
    sqs_counts = counts(client, work)
    assert sqs_counts["ApproximateNumberOfMessages"] == "2"
    assert sqs_counts["ApproximateNumberOfMessagesNotVisible"] == "1"
    assert admin.get(f"/_kyu/queues/{ACCOUNT}/{work_name}") == listed


def test_the_listing_narrows_to_an_account_and_a_region(
    admin: AdminApi, server: RunningServer
) -> None:
    other = client_in(server, key="123456789012")
    west = client_in(server, region="eu-west-1")
    name = unique()
    other.create_queue(QueueName=name)
    west.create_queue(QueueName=name)
    in_account = admin.get("/_kyu/queues?account=123456789012")["queues"]
    assert [(q["name"], q["region"]) for q in in_account if q["name"] == name] == [
        (name, "us-east-1")]
    assert all(q["account"] == "123456789012" for q in in_account)
    in_region = admin.get("/_kyu/queues?region=eu-west-1")["queues"]
    assert [(q["name"], q["account"]) for q in in_region if q["name"] == name] == [
        (name, ACCOUNT)]


# --- peek -------------------------------------------------------------------------------------


def test_peek_shows_every_state_without_receipts_and_changes_nothing(
    admin: AdminApi, client: Any
) -> None:
    name = unique()
    url = client.create_queue(QueueName=name)["QueueUrl"]
    taken = client.send_message(QueueUrl=url, MessageBody="taken")["MessageId"]
    waiting = client.send_message(
        QueueUrl=url, MessageBody="<script>alert(1)</script>",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "card"},
                           "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff"}},
    )["MessageId"]
    delayed = client.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=300)[
        "MessageId"]
    received = client.receive_message(QueueUrl=url, VisibilityTimeout=300)["Messages"][0]
    assert received["MessageId"] == taken
    before = counts(client, url)

    peeked = admin.get(f"/_kyu/queues/{ACCOUNT}/{name}/messages")
    by_id = {m["messageId"]: m for m in peeked["messages"]}
    assert [m["messageId"] for m in peeked["messages"]] == [taken, waiting, delayed]
    assert by_id[taken]["state"] == "inFlight"
    assert by_id[taken]["receiveCount"] == 1
    assert by_id[taken]["visibleAt"] - peeked["now"] == pytest.approx(300_000, abs=5_000)
    assert by_id[waiting]["state"] == "visible" and by_id[waiting]["visibleAt"] is None
    assert by_id[waiting]["body"] == "<script>alert(1)</script>"
    assert by_id[waiting]["messageAttributes"] == {
        "kind": {"DataType": "String", "StringValue": "card"},
        "blob": {"DataType": "Binary", "BinaryValue": "AP8="},
    }
    assert by_id[delayed]["state"] == "delayed" and by_id[delayed]["receiveCount"] == 0
    assert received["ReceiptHandle"] not in json.dumps(peeked)
    assert peeked["queue"]["counts"] == {"visible": 1, "inFlight": 1, "delayed": 1}
    assert peeked["truncated"] is False

    admin.get(f"/_kyu/queues/{ACCOUNT}/{name}/messages")
    assert counts(client, url) == before
    again = client.receive_message(
        QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
    assert again["MessageId"] == waiting
    assert again["Attributes"]["ApproximateReceiveCount"] == "1"


def test_peek_of_a_fifo_queue_shows_groups_and_sequence_numbers(
    admin: AdminApi, client: Any
) -> None:
    name = unique() + ".fifo"
    url = client.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    sent = client.send_message(QueueUrl=url, MessageBody="o1", MessageGroupId="order-7",
                               MessageDeduplicationId="d1")
    message = admin.get(f"/_kyu/queues/{ACCOUNT}/{name}/messages")["messages"][0]
    assert message["messageGroupId"] == "order-7"
    assert message["messageDeduplicationId"] == "d1"
    assert message["sequenceNumber"] == sent["SequenceNumber"]


def test_peek_takes_a_limit_and_says_when_it_is_truncated(admin: AdminApi, client: Any) -> None:
    name = unique()
    url = client.create_queue(QueueName=name)["QueueUrl"]
    client.send_message_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "MessageBody": f"m{i}"} for i in range(5)])
    page = admin.get(f"/_kyu/queues/{ACCOUNT}/{name}/messages?limit=3")
    assert [m["body"] for m in page["messages"]] == ["m0", "m1", "m2"]
    assert page["truncated"] is True
    assert admin.get(f"/_kyu/queues/{ACCOUNT}/{name}/messages?limit=5")["truncated"] is False
    for bad in ("0", "1001", "x"):
        status, error = admin.call("GET", f"/_kyu/queues/{ACCOUNT}/{name}/messages?limit={bad}")
        assert status == 400 and "limit" in error["error"]


def test_peek_picks_the_region_of_a_name_used_in_two(
    admin: AdminApi, server: RunningServer
) -> None:
    name = unique()
    east = client_in(server)
    west = client_in(server, region="eu-west-1")
    east.send_message(QueueUrl=east.create_queue(QueueName=name)["QueueUrl"], MessageBody="e")
    west.send_message(QueueUrl=west.create_queue(QueueName=name)["QueueUrl"], MessageBody="w")
    path = f"/_kyu/queues/{ACCOUNT}/{name}/messages"
    assert admin.get(path)["messages"][0]["body"] == "e"  # the server's default region
    assert admin.get(path + "?region=eu-west-1")["messages"][0]["body"] == "w"


@pytest.mark.parametrize("method,suffix", [
    ("GET", ""), ("GET", "/messages"), ("POST", "/send"), ("POST", "/purge"),
    ("POST", "/redrive"), ("GET", "/move-tasks"),
])
def test_an_unknown_queue_is_a_json_404(admin: AdminApi, method: str, suffix: str) -> None:
    status, document = admin.call(
        method, f"/_kyu/queues/{ACCOUNT}/no-such-queue{suffix}",
        {"body": "x"} if method == "POST" else None,
    )
    assert status == 404
    assert document == {
        "error": f"The queue no-such-queue does not exist in account {ACCOUNT}.",
        "code": "NotFound",
    }


def test_a_queue_called_kyu_lives_beside_the_admin_prefix(
    admin: AdminApi, client: Any, server: RunningServer
) -> None:
    """AWS paths are `/` or `/<account>/<queue>`, so no queue URL can start with `/_kyu`."""
    url = client.create_queue(QueueName="_kyu")["QueueUrl"]
    assert url == f"{server.endpoint}/{ACCOUNT}/_kyu"
    client.send_message(QueueUrl=url, MessageBody="not an admin call")
    assert client.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "not an admin call"
    assert admin.get("/_kyu/health") == {"status": "ok"}
    assert "_kyu" in [q["name"] for q in admin.get(f"/_kyu/queues?account={ACCOUNT}")["queues"]]
