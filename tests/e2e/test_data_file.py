"""The data file's failure modes, through real ``kyu serve`` processes.

An older file is migrated and keeps its queues and messages. A file Kyu cannot own (newer schema,
random bytes, truncated, unwritable, a directory, held by another running Kyu) stops the server
with one ``kyu: ...`` line and a non-zero exit, never a traceback, and its bytes stay as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.schema import MIGRATIONS, SCHEMA_VERSION
from tests.e2e.conftest import make_client
from tests.support.server import REPO_ROOT, RunningServer, free_port

ACCOUNT = "000000000000"
REGION = "us-east-1"


def build_data_file(path: Path, version: int) -> sqlite3.Connection:
    """A data file holding the real migrations 1..``version``, as that Kyu would have left it."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    for number, script in enumerate(MIGRATIONS[:version], start=1):
        connection.executescript(f"BEGIN; {script}; PRAGMA user_version={number}; COMMIT;")
    return connection


def serve(data: Path, *, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """Run ``kyu serve`` on ``data``; it is expected to refuse the file and exit."""
    command = [*prefix, sys.executable, "-m", "emulator", "serve", "--host", "127.0.0.1",
               "--port", str(free_port()), "--data", str(data), "--log-level", "warning"]
    try:
        return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("kyu kept running on a data file it should have refused")


def assert_refused(result: subprocess.CompletedProcess[str], *phrases: str) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("kyu: ")
    for phrase in phrases:
        assert phrase in line
    return line


def unprivileged() -> tuple[str, ...]:
    """A command prefix under which file permissions apply (root ignores them otherwise)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file permissions cannot be enforced")
    return (setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner")


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "kyu.db"
    for path in tmp_path.rglob("*"):  # undo chmods so pytest can clean up
        path.chmod(0o755 if path.is_dir() else 0o644)
    tmp_path.chmod(0o755)


def test_a_version_1_file_is_migrated_and_keeps_its_queue_and_messages(data: Path) -> None:
    connection = build_data_file(data, version=1)
    attributes = {"VisibilityTimeout": "17", "MaximumMessageSize": "2048",
                  "MessageRetentionPeriod": "86400", "DelaySeconds": "0",
                  "ReceiveMessageWaitTimeSeconds": "0"}
    connection.execute(
        "INSERT INTO queues (region, account, name, fifo, attributes, tags, created_at,"
        " modified_at) VALUES (?, ?, 'legacy', 0, ?, ?, 1700000000, 1700000000)",
        (REGION, ACCOUNT, json.dumps(attributes), json.dumps({"team": "old"})),
    )
    queue_id = connection.execute("SELECT id FROM queues").fetchone()[0]
    bodies = [f"kept across the upgrade {n}" for n in range(3)]
    sent_at = int(time.time() * 1000)  # retention counts from here
    for body in bodies:
        connection.execute(
            "INSERT INTO messages (queue_id, message_id, body, md5_body, sender_id, sent_at,"
            " visible_at) VALUES (?, ?, ?, ?, 'AIDAEXAMPLE', ?, ?)",
            (queue_id, str(uuid.uuid4()), body, hashlib.md5(body.encode()).hexdigest(),
             sent_at, sent_at),
        )
    connection.close()

    server = RunningServer(data=data)
    try:
        sqs = make_client("sqs", server.endpoint)
        url = sqs.get_queue_url(QueueName="legacy")["QueueUrl"]
        got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        assert {name: got[name] for name in attributes} == attributes
        assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "old"}
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        assert sorted(m["Body"] for m in received) == bodies
        # The migrated file takes the features of later migrations: a FIFO queue works.
        fifo = sqs.create_queue(QueueName="new.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        sent = sqs.send_message(QueueUrl=fifo, MessageBody="x", MessageGroupId="g",
                                MessageDeduplicationId="d")
        assert sent["SequenceNumber"]
    finally:
        assert server.stop() == 0
    with sqlite3.connect(data) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    check.close()


def test_a_file_from_a_newer_kyu_is_refused_unchanged(data: Path) -> None:
    connection = build_data_file(data, version=SCHEMA_VERSION)
    connection.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    connection.close()
    before = data.read_bytes()
    line = assert_refused(serve(data), str(data), "newer Kyu", f"version {SCHEMA_VERSION + 1}")
    assert str(SCHEMA_VERSION) in line
    assert data.read_bytes() == before


def test_a_file_of_random_bytes_is_refused_unchanged(data: Path) -> None:
    data.write_bytes(os.urandom(64 * 1024))
    before = data.read_bytes()
    assert_refused(serve(data), str(data), "not a Kyu data file")
    assert data.read_bytes() == before


def test_a_truncated_data_file_is_refused_unchanged(data: Path) -> None:
    server = RunningServer(data=data)
    sqs = make_client("sqs", server.endpoint)
    url = sqs.create_queue(QueueName="full")["QueueUrl"]
    for start in range(0, 200, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(n), "MessageBody": "x" * 2000} for n in range(start, start + 10)
        ])
    assert server.stop() == 0
    whole = data.read_bytes()
    assert len(whole) > 8 * 4096
    data.write_bytes(whole[: len(whole) // 2])
    before = data.read_bytes()
    assert_refused(serve(data), str(data), "damaged")
    assert data.read_bytes() == before


def test_a_read_only_directory_is_refused(data: Path) -> None:
    build_data_file(data, version=SCHEMA_VERSION).close()
    before = data.read_bytes()
    data.parent.chmod(0o555)
    assert_refused(serve(data, prefix=unprivileged()), str(data), "Permission denied")
    assert data.read_bytes() == before


def test_an_unwritable_data_file_is_refused_unchanged(data: Path) -> None:
    build_data_file(data, version=SCHEMA_VERSION).close()
    before = data.read_bytes()
    data.chmod(0o444)
    assert_refused(serve(data, prefix=unprivileged()), f"cannot write the data file {data}")
    assert data.read_bytes() == before


def test_a_data_path_that_is_a_directory_is_refused(data: Path) -> None:
    data.mkdir()
    (data / "keep").write_text("untouched")
    assert_refused(serve(data), f"the data path {data} is a directory")
    assert [p.name for p in data.iterdir()] == ["keep"]


def test_a_file_held_by_a_running_kyu_is_refused_and_the_first_keeps_serving(data: Path) -> None:
    first = RunningServer(data=data)
    try:
        sqs: Any = make_client("sqs", first.endpoint)
        url = sqs.create_queue(QueueName="owned")["QueueUrl"]
        line = assert_refused(serve(data), str(data), "in use by another Kyu process")
        assert f"pid {first.process.pid}" in line
        sqs.send_message(QueueUrl=url, MessageBody="still mine")
        assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "still mine"
    finally:
        assert first.stop(signal.SIGTERM) == 0
    # Once the first server has exited the file is free again.
    second = RunningServer(data=data)
    try:
        assert make_client("sqs", second.endpoint).get_queue_url(QueueName="owned")["QueueUrl"]
    finally:
        second.stop()
