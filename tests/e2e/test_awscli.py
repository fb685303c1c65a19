"""The AWS CLI (PyPI ``awscli``) against Kyu: SQS round trips, STS, and an SNS publish."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import RunningServer

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("awscli") is None,
    reason="the AWS CLI (PyPI package awscli) is not installed",
)


def aws(server: RunningServer, tmp_path: Path, *args: str) -> Any:
    """Run ``aws <args>`` and return its parsed JSON output (None when it prints nothing)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") or key == "AWS_CA_BUNDLE"
    }
    env.update(
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_PAGER="",
    )
    command = [
        sys.executable,
        "-m",
        "awscli",
        *args,
        "--endpoint-url",
        server.endpoint,
        "--output",
        "json",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{command}\nstdout: {done.stdout}\nstderr: {done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None


def aws_failing(
    server: RunningServer, tmp_path: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_MAX_ATTEMPTS="1",
        AWS_PAGER="",
    )
    command = [sys.executable, "-m", "awscli", *args, "--endpoint-url", server.endpoint]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_cli_round_trip(server: RunningServer, tmp_path: Path) -> None:
    name = f"cli-{uuid.uuid4().hex[:12]}"
    created = aws(
        server,
        tmp_path,
        "sqs",
        "create-queue",
        "--queue-name",
        name,
        "--attributes",
        "VisibilityTimeout=45",
    )
    url = f"{server.endpoint}/000000000000/{name}"
    assert created == {"QueueUrl": url}

    assert aws(server, tmp_path, "sqs", "get-queue-url", "--queue-name", name) == {"QueueUrl": url}

    body = "hello from the CLI"
    sent = aws(server, tmp_path, "sqs", "send-message", "--queue-url", url, "--message-body", body)
    assert sent["MD5OfMessageBody"] == hashlib.md5(body.encode()).hexdigest()
    assert sent["MessageId"]

    received = aws(
        server,
        tmp_path,
        "sqs",
        "receive-message",
        "--queue-url",
        url,
        "--attribute-names",
        "All",
        "--max-number-of-messages",
        "10",
    )
    [message] = received["Messages"]
    assert message["Body"] == body
    assert message["MessageId"] == sent["MessageId"]
    assert message["MD5OfBody"] == sent["MD5OfMessageBody"]
    assert message["Attributes"]["ApproximateReceiveCount"] == "1"
    assert message["ReceiptHandle"]

    attrs = aws(
        server,
        tmp_path,
        "sqs",
        "get-queue-attributes",
        "--queue-url",
        url,
        "--attribute-names",
        "VisibilityTimeout",
        "ApproximateNumberOfMessagesNotVisible",
    )
    assert attrs == {
        "Attributes": {"VisibilityTimeout": "45", "ApproximateNumberOfMessagesNotVisible": "1"}
    }

    assert (
        aws(
            server,
            tmp_path,
            "sqs",
            "delete-message",
            "--queue-url",
            url,
            "--receipt-handle",
            message["ReceiptHandle"],
        )
        is None
    )

    after = aws(server, tmp_path, "sqs", "receive-message", "--queue-url", url)
    assert after is None or after.get("Messages", []) == []

    listed = aws(server, tmp_path, "sqs", "list-queues", "--queue-name-prefix", name)
    assert listed["QueueUrls"] == [url]

    assert aws(server, tmp_path, "sqs", "delete-queue", "--queue-url", url) is None


def test_cli_reports_a_missing_queue(server: RunningServer, tmp_path: Path) -> None:
    done = aws_failing(
        server, tmp_path, "sqs", "get-queue-url", "--queue-name", f"missing-{uuid.uuid4().hex[:8]}"
    )
    # AWS CLI v1 exits with 255 on a service error (v2 uses 254).
    assert done.returncode in (254, 255), done.stderr
    assert "AWS.SimpleQueueService.NonExistentQueue" in done.stderr


def test_cli_batch_round_trip_with_attributes(server: RunningServer, tmp_path: Path) -> None:
    name = f"cli-{uuid.uuid4().hex[:12]}"
    url = aws(server, tmp_path, "sqs", "create-queue", "--queue-name", name)["QueueUrl"]
    entries = [
        {"Id": f"m{i}", "MessageBody": f"body {i}",
         "MessageAttributes": {"n": {"DataType": "Number", "StringValue": str(i)}}}
        for i in range(3)
    ]
    sent = aws(server, tmp_path, "sqs", "send-message-batch", "--queue-url", url,
               "--entries", json.dumps(entries))
    assert sorted(entry["Id"] for entry in sent["Successful"]) == ["m0", "m1", "m2"]
    received = aws(server, tmp_path, "sqs", "receive-message", "--queue-url", url,
                   "--max-number-of-messages", "10", "--message-attribute-names", "All",
                   "--wait-time-seconds", "1")["Messages"]
    assert sorted((m["Body"], m["MessageAttributes"]["n"]["StringValue"]) for m in received) == [
        ("body 0", "0"), ("body 1", "1"), ("body 2", "2")
    ]
    deletes = [{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]}
               for i, m in enumerate(received)]
    deleted = aws(server, tmp_path, "sqs", "delete-message-batch", "--queue-url", url,
                  "--entries", json.dumps(deletes))
    assert len(deleted["Successful"]) == len(received)
    counts = aws(server, tmp_path, "sqs", "get-queue-attributes", "--queue-url", url,
                 "--attribute-names", "ApproximateNumberOfMessages",
                 "ApproximateNumberOfMessagesNotVisible")
    assert counts["Attributes"] == {"ApproximateNumberOfMessages": "0",
                                    "ApproximateNumberOfMessagesNotVisible": "0"}


def test_cli_sts_identity_and_assume_role(server: RunningServer, tmp_path: Path) -> None:
    identity = aws(server, tmp_path, "sts", "get-caller-identity")
    assert identity == {"UserId": "000000000000", "Account": "000000000000",
                        "Arn": "arn:aws:iam::000000000000:root"}
    assumed = aws(server, tmp_path, "sts", "assume-role", "--role-arn",
                  "arn:aws:iam::210987654321:role/ci", "--role-session-name", "cli")
    assert assumed["AssumedRoleUser"]["Arn"] == "arn:aws:sts::210987654321:assumed-role/ci/cli"
    assert assumed["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_cli_publishes_to_a_subscribed_queue(server: RunningServer, tmp_path: Path) -> None:
    name = f"cli-{uuid.uuid4().hex[:12]}"
    topic = aws(server, tmp_path, "sns", "create-topic", "--name", name)["TopicArn"]
    url = aws(server, tmp_path, "sqs", "create-queue", "--queue-name", name)["QueueUrl"]
    arn = aws(server, tmp_path, "sqs", "get-queue-attributes", "--queue-url", url,
              "--attribute-names", "QueueArn")["Attributes"]["QueueArn"]
    aws(server, tmp_path, "sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs",
        "--notification-endpoint", arn)
    published = aws(server, tmp_path, "sns", "publish", "--topic-arn", topic,
                    "--message", "from the CLI", "--subject", "hello")
    [message] = aws(server, tmp_path, "sqs", "receive-message", "--queue-url", url,
                    "--wait-time-seconds", "2")["Messages"]
    envelope = json.loads(message["Body"])
    assert envelope["Type"] == "Notification"
    assert envelope["MessageId"] == published["MessageId"]
    assert (envelope["TopicArn"], envelope["Subject"], envelope["Message"]) == (
        topic, "hello", "from the CLI"
    )
