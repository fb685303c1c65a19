"""``kyu serve --config``: queues declared in a file exist at start, restarts are idempotent, a
changed file updates them, and a bad file stops the server with one clear message."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import KyuServer, KyuStartError
from tests.e2e.conftest import make_client
from tests.support.server import REPO_ROOT, RunningServer, free_port

FILE = """
queues:
  - name: orders
    attributes:
      VisibilityTimeout: 45
      DelaySeconds: 2
    dead_letter: {queue: orders-dlq, max_receive_count: 3}
    tags: {team: billing}
  - name: orders-dlq
    attributes:
      MessageRetentionPeriod: 1209600
  - name: updates.fifo
    attributes:
      ContentBasedDeduplication: true
"""


def attributes(sqs: Any, name: str) -> dict[str, str]:
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    return dict(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"])


def tags(sqs: Any, name: str) -> dict[str, str]:
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    return dict(sqs.list_queue_tags(QueueUrl=url).get("Tags", {}))


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_declared_queues_exist_at_start(tmp_path: Path, protocol: str) -> None:
    config = tmp_path / "kyu.yaml"
    config.write_text(FILE)
    server = RunningServer(extra_args=["--config", str(config)])
    try:
        sqs = make_client("sqs", server.endpoint, protocol)
        urls = sqs.list_queues()["QueueUrls"]
        assert sorted(urls) == [
            f"{server.endpoint}/000000000000/{name}"
            for name in ("orders", "orders-dlq", "updates.fifo")
        ]
        orders = attributes(sqs, "orders")
        assert (orders["VisibilityTimeout"], orders["DelaySeconds"]) == ("45", "2")
        assert json.loads(orders["RedrivePolicy"]) == {
            "deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:orders-dlq",
            "maxReceiveCount": 3,
        }
        assert tags(sqs, "orders") == {"team": "billing"}
        assert attributes(sqs, "orders-dlq")["MessageRetentionPeriod"] == "1209600"
        fifo = attributes(sqs, "updates.fifo")
        assert (fifo["FifoQueue"], fifo["ContentBasedDeduplication"]) == ("true", "true")
        dlq_url = sqs.get_queue_url(QueueName="orders-dlq")["QueueUrl"]
        assert sqs.list_dead_letter_source_queues(QueueUrl=dlq_url)["queueUrls"] == [
            f"{server.endpoint}/000000000000/orders"
        ]
    finally:
        server.stop()


def test_the_environment_variable_names_the_file(tmp_path: Path) -> None:
    config = tmp_path / "kyu.json"
    config.write_text(json.dumps({"queues": [{"name": "from-env"}]}))
    os.environ["KYU_CONFIG"] = str(config)
    try:
        server = RunningServer()
    finally:
        del os.environ["KYU_CONFIG"]
    try:
        sqs = make_client("sqs", server.endpoint)
        assert sqs.list_queues()["QueueUrls"] == [f"{server.endpoint}/000000000000/from-env"]
    finally:
        server.stop()


def test_a_restart_with_the_same_file_changes_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "kyu.yaml"
    config.write_text(FILE)
    data = tmp_path / "kyu.sqlite3"
    caplog.set_level(logging.INFO, logger="kyu.bootstrap")
    with KyuServer(config=config, data=data) as first:
        sqs = first.client("sqs")
        before = {name: attributes(sqs, name) for name in ("orders", "orders-dlq", "updates.fifo")}
    created = [r.getMessage() for r in caplog.records if r.name == "kyu.bootstrap"]
    assert created == ["created queue orders-dlq", "created queue orders",
                       "created queue updates.fifo"]
    caplog.clear()
    with KyuServer(config=config, data=data) as second:
        sqs = second.client("sqs")
        after = {name: attributes(sqs, name) for name in before}
        assert tags(sqs, "orders") == {"team": "billing"}
    assert [r.getMessage() for r in caplog.records if r.name == "kyu.bootstrap"] == []
    assert after == before  # LastModifiedTimestamp included


def test_a_changed_file_updates_attributes_and_tags(tmp_path: Path) -> None:
    config = tmp_path / "kyu.yaml"
    config.write_text(FILE)
    data = tmp_path / "kyu.sqlite3"
    server = RunningServer(data=data, extra_args=["--config", str(config)])
    server.stop()
    config.write_text(FILE.replace("VisibilityTimeout: 45", "VisibilityTimeout: 60")
                      .replace("max_receive_count: 3", "max_receive_count: 5")
                      .replace("{team: billing}", "{team: payments, tier: gold}")
                      + "  - name: added-later\n")
    server = RunningServer(data=data, extra_args=["--config", str(config)])
    try:
        sqs = make_client("sqs", server.endpoint)
        orders = attributes(sqs, "orders")
        assert orders["VisibilityTimeout"] == "60"
        assert orders["DelaySeconds"] == "2"
        assert json.loads(orders["RedrivePolicy"])["maxReceiveCount"] == 5
        assert tags(sqs, "orders") == {"team": "payments", "tier": "gold"}
        assert "added-later" in attributes(sqs, "added-later")["QueueArn"]
    finally:
        server.stop()


def serve_with(config: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "emulator", "serve", "--in-memory", "--port",
               str(free_port()), "--config", str(config)]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("queues:\n  - name: ok\n  - name: orders\n    visibility: 30\n",
         "queues[1] \"orders\": unknown key 'visibility'"),
        ("queues: [{name: orders, attributes: {VisibilityTimeout: 99999}}]\n",
         'queues[0] "orders": CreateQueue failed: InvalidAttributeValue: '
         "Invalid value for the parameter VisibilityTimeout."),
        ("queues: [{name: 'bad name'}]\n",
         "queues[0] \"bad name\": CreateQueue failed: InvalidParameterValue: "),
        ("queues: [{name: orders, dead_letter: {queue: nowhere, max_receive_count: 3}}]\n",
         'queues[0] "orders": CreateQueue failed: InvalidParameterValue: Value '),
    ],
)
def test_a_bad_file_stops_the_server_with_one_message(
    tmp_path: Path, text: str, message: str
) -> None:
    config = tmp_path / "kyu.yaml"
    config.write_text(text)
    done = serve_with(config)
    assert done.returncode != 0
    assert f"{config}: {message}" in done.stderr
    assert "Traceback" not in done.stderr
    assert len([line for line in done.stderr.splitlines() if str(config) in line]) == 1


def test_the_embedded_server_reports_the_bad_entry(tmp_path: Path) -> None:
    config = tmp_path / "kyu.yaml"
    config.write_text("queues: [{name: q, attributes: {Colour: red}}]\n")
    with pytest.raises(KyuStartError) as caught:
        KyuServer(config=config).start()
    assert str(caught.value) == (
        f'{config}: queues[0] "q": CreateQueue failed: InvalidAttributeName: '
        "Unknown Attribute Colour."
    )
