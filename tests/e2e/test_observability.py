"""The Prometheus metrics endpoint and the structured request log."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.request
from typing import Any

from tests.e2e.conftest import make_client
from tests.support.server import REPO_ROOT, RunningServer, free_port


def _metrics(endpoint: str) -> str:
    with urllib.request.urlopen(f"{endpoint}/_kyu/metrics", timeout=5) as reply:
        assert reply.headers["Content-Type"].startswith("text/plain")
        return str(reply.read().decode())


def test_metrics_count_requests_messages_and_depths(
    server: RunningServer, sqs: Any, protocol: str, queue_name: str
) -> None:
    url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
    sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "MessageBody": f"m{i}"} for i in range(3)
    ])
    received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=60)
    sqs.delete_message(QueueUrl=url, ReceiptHandle=received["Messages"][0]["ReceiptHandle"])
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=60)
    text = _metrics(server.endpoint)
    label = f'queue="000000000000/{queue_name}"'
    assert f"kyu_messages_sent_total{{{label}}} 3" in text
    assert f"kyu_messages_received_total{{{label}}} 2" in text
    assert f"kyu_messages_deleted_total{{{label}}} 1" in text
    assert f'kyu_queue_messages{{{label},state="visible"}} 1' in text
    assert f'kyu_queue_messages{{{label},state="in_flight"}} 1' in text
    assert f'kyu_queue_messages{{{label},state="delayed"}} 0' in text
    assert 'operation="SendMessageBatch",status="200"}' in text


def test_failed_requests_are_counted_with_their_status(server: RunningServer, sqs: Any) -> None:
    before = _count(_metrics(server.endpoint), "GetQueueUrl", 400)
    with contextlib.suppress(sqs.exceptions.QueueDoesNotExist):
        sqs.get_queue_url(QueueName="no-such-queue-for-metrics")
    assert _count(_metrics(server.endpoint), "GetQueueUrl", 400) == before + 1


def _count(text: str, operation: str, status: int) -> int:
    for line in text.splitlines():
        if f'operation="{operation}",status="{status}"' in line:
            return int(line.rsplit(" ", 1)[1])
    return 0


def test_each_request_is_logged_as_one_json_line() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--in-memory", "--port", str(port),
         "--log-level", "info"],
        cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/_kyu/health", timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.05)
        sqs = make_client("sqs", endpoint)
        sqs.create_queue(QueueName="logged")
        with contextlib.suppress(sqs.exceptions.QueueDoesNotExist):
            sqs.get_queue_url(QueueName="missing")
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=15)
    entries = [json.loads(line.split("kyu.requests ", 1)[1])
               for line in stderr.splitlines() if "kyu.requests {" in line]
    created = [e for e in entries if e["operation"] == "CreateQueue"]
    failed = [e for e in entries if e["operation"] == "GetQueueUrl"]
    assert created and created[0]["status"] == 200 and created[0]["service"] == "sqs"
    assert created[0]["account"] == "000000000000" and created[0]["ms"] >= 0
    assert failed and failed[0]["status"] == 400
    assert failed[0]["error"] == "AWS.SimpleQueueService.NonExistentQueue"
