"""The ``kyu`` admin commands (ls, peek, reset, advance) against a real server, as subprocesses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from tests.support.admin_api import AdminApi
from tests.support.server import REPO_ROOT, RunningServer, free_port

OTHER_ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    """A server of this module alone: `kyu reset` must not empty other modules' queues."""
    running = RunningServer()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def sqs(server: RunningServer) -> Any:
    return client_for(server)


def client_for(server: RunningServer, key: str = "test") -> Any:
    return boto3.client("sqs", endpoint_url=server.endpoint, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key="secret")


def kyu(*args: str, endpoint: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "KYU_ENDPOINT": endpoint} if endpoint else dict(os.environ)
    return subprocess.run([sys.executable, "-m", "emulator", *args], cwd=REPO_ROOT,
                          env=environment, capture_output=True, text=True, timeout=60)


def ok(*args: str, server: RunningServer) -> str:
    done = kyu(*args, endpoint=server.endpoint)
    assert done.returncode == 0, done.stderr
    return done.stdout


def unique() -> str:
    return f"cli-{uuid.uuid4().hex[:10]}"


def test_ls_lists_queues_with_their_counts(server: RunningServer, sqs: Any) -> None:
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    for body in ("a", "b", "c"):
        sqs.send_message(QueueUrl=url, MessageBody=body)
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)

    row = next(line for line in ok("ls", server=server).splitlines() if line.startswith(name))
    assert row.split()[:7] == [name, "000000000000", "us-east-1", "standard", "2", "1", "0"]
    assert "QUEUE" in ok("ls", server=server).splitlines()[0]

    listing = json.loads(ok("ls", "--json", server=server))
    queue = next(q for q in listing["queues"] if q["name"] == name)
    assert queue["counts"] == {"visible": 2, "inFlight": 1, "delayed": 0}
    assert listing["topics"] is None or isinstance(listing["topics"], list)


def test_ls_names_dead_letter_queues_and_narrows_to_an_account(
    server: RunningServer, sqs: Any
) -> None:
    dlq_name, source_name = unique(), unique()
    dlq = sqs.create_queue(QueueName=dlq_name)["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"})
    sqs.create_queue(QueueName=source_name, Attributes={"RedrivePolicy": policy})
    other = unique()
    client_for(server, key=OTHER_ACCOUNT).create_queue(QueueName=other)

    text = ok("ls", server=server)
    assert f"DLQ of {source_name}" in text
    assert f"-> {dlq_name} after 3 receives" in text
    in_other = ok("ls", "--account", OTHER_ACCOUNT, server=server)
    assert other in in_other and dlq_name not in in_other


def test_peek_shows_messages_without_receiving_them(server: RunningServer, sqs: Any) -> None:
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="first line\nsecond <b>line</b>",
                     MessageAttributes={"kind": {"DataType": "String", "StringValue": "import"}})
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=120)

    text = ok("peek", name, server=server)
    assert text.splitlines()[0] == (
        f"{name} (000000000000, us-east-1): 1 visible, 0 in flight, 1 delayed")
    assert "  first line\n  second <b>line</b>" in text
    assert "attribute kind = import (String)" in text
    assert re.search(r"delayed \(visible in (11\d|120) s\)", text)

    peeked = json.loads(ok("peek", name, "--json", "--limit", "1", server=server))
    assert [m["body"] for m in peeked["messages"]] == ["first line\nsecond <b>line</b>"]
    assert peeked["truncated"] is True
    assert "receiptHandle" not in json.dumps(peeked).lower().replace("_", "")
    untouched = sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])
    assert untouched["Messages"][0]["Attributes"]["ApproximateReceiveCount"] == "1"


def test_peek_asks_which_account_when_a_name_is_in_two(server: RunningServer, sqs: Any) -> None:
    name = unique()
    sqs.create_queue(QueueName=name)
    other_url = client_for(server, key=OTHER_ACCOUNT).create_queue(QueueName=name)["QueueUrl"]
    client_for(server, key=OTHER_ACCOUNT).send_message(QueueUrl=other_url, MessageBody="theirs")

    done = kyu("peek", name, endpoint=server.endpoint)
    assert done.returncode == 1
    assert "--account" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert "theirs" in ok("peek", name, "--account", OTHER_ACCOUNT, server=server)


def test_advance_moves_the_clock_by_a_duration(server: RunningServer) -> None:
    admin = AdminApi(server.endpoint)
    before = admin.get("/_kyu/clock")["offsetSeconds"]
    text = ok("advance", "5m", server=server)
    assert text.startswith("Advanced the clock by 300 s")
    assert admin.get("/_kyu/clock")["offsetSeconds"] == pytest.approx(before + 300, abs=1)
    answer = json.loads(ok("advance", "90", "--json", server=server))
    assert answer["offsetSeconds"] == pytest.approx(before + 390, abs=1)


def test_a_bad_duration_is_a_usage_error(server: RunningServer) -> None:
    done = kyu("advance", "5 minutes", endpoint=server.endpoint)
    assert done.returncode == 2
    assert "not a duration" in done.stderr


def test_errors_are_one_line_and_exit_non_zero(server: RunningServer) -> None:
    missing = kyu("peek", "no-such-queue", "--account", "000000000000",
                  endpoint=server.endpoint)
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.strip() == (
        "kyu peek: The queue no-such-queue does not exist in account 000000000000. "
        "(HTTP 404 NotFound)")
    bad_limit = kyu("peek", "no-such-queue", "--account", "000000000000", "--limit", "0",
                    endpoint=server.endpoint)
    assert bad_limit.returncode == 1 and len(bad_limit.stderr.strip().splitlines()) == 1


def test_an_unreachable_server_is_one_line_and_exit_1() -> None:
    endpoint = f"http://127.0.0.1:{free_port()}"
    for command in (["ls"], ["peek", "q"], ["reset"], ["advance", "1m"]):
        done = kyu(*command, endpoint=endpoint)
        assert done.returncode == 1, command
        assert done.stderr.strip().splitlines() == [
            f"kyu {command[0]}: cannot reach Kyu at {endpoint}: [Errno 111] Connection refused"
        ]


def test_the_endpoint_option_wins_over_the_environment(server: RunningServer) -> None:
    done = kyu("ls", "--endpoint", server.endpoint, endpoint=f"http://127.0.0.1:{free_port()}")
    assert done.returncode == 0, done.stderr


def test_ls_lists_topics_with_subscriptions_and_filter_policies(
    server: RunningServer, sqs: Any
) -> None:
    listing = json.loads(ok("ls", "--json", server=server))
    assert listing["topics"] is not None, "GET /_kyu/topics must answer"
    sns = boto3.client("sns", endpoint_url=server.endpoint, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="secret")
    topic_name, queue_name = unique(), unique()
    topic_arn = sns.create_topic(Name=topic_name)["TopicArn"]
    queue_url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn, Attributes={
        "FilterPolicy": json.dumps({"event": ["card-imported"]}), "RawMessageDelivery": "true"})

    lines = ok("ls", server=server).splitlines()
    topic_line = lines.index(next(line for line in lines if line.startswith(topic_name)))
    assert lines[topic_line].split() == [topic_name, "000000000000", "us-east-1", "standard", "1"]
    assert "SUBSCRIPTIONS" in lines[topic_line - 1] or lines[topic_line - 1].startswith("  ")
    assert lines[topic_line + 1].split() == [
        "sqs", queue_arn, "(raw)", "filter", "on", "MessageAttributes:",
        '{"event":["card-imported"]}']

    assert ok("reset", "--topic", topic_name, server=server) == (
        "Reset topic: removed 1 topic(s).\n")
    assert topic_name not in ok("ls", server=server)


def test_reset_removes_one_queue_or_everything(server: RunningServer, sqs: Any) -> None:
    keep, drop = unique(), unique()
    sqs.create_queue(QueueName=keep)
    sqs.create_queue(QueueName=drop)
    assert ok("reset", "--queue", drop, server=server).startswith("Reset queue: removed 1 queue")
    names = [q["name"] for q in json.loads(ok("ls", "--json", server=server))["queues"]]
    assert keep in names and drop not in names

    answer = json.loads(ok("reset", "--json", server=server))
    assert answer["scope"] == "all" and answer["queuesRemoved"] >= 1
    assert json.loads(ok("ls", "--json", server=server))["queues"] == []
    assert "No queues." in ok("ls", server=server)
