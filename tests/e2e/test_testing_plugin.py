"""The embedded server (emulator.testing) and the pytest plugin, used the way a project would:
a separate pytest run of an example test file that only names the fixtures."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import textwrap
import threading
import time
import tomllib
from pathlib import Path

import pytest

from emulator.testing import KyuServer
from tests.support.server import REPO_ROOT

EXAMPLE = '''
from emulator.testing import KyuServer


def test_send_receive_delete(kyu_sqs):
    url = kyu_sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "30"})[
        "QueueUrl"
    ]
    kyu_sqs.send_message(QueueUrl=url, MessageBody="hello")
    [message] = kyu_sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
    assert message["Body"] == "hello"
    kyu_sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def test_the_session_server_is_shared(kyu_server, kyu):
    assert kyu is kyu_server
    assert isinstance(kyu, KyuServer)
    assert kyu.endpoint_url == f"http://127.0.0.1:{kyu.port}"


def test_the_clock_moves_without_waiting(kyu, kyu_sqs):
    url = kyu_sqs.create_queue(QueueName="clocked")["QueueUrl"]
    kyu_sqs.send_message(QueueUrl=url, MessageBody="again")
    first = kyu_sqs.receive_message(QueueUrl=url, VisibilityTimeout=600)["Messages"]
    assert kyu_sqs.receive_message(QueueUrl=url).get("Messages", []) == []
    kyu.advance_clock(601)
    [again] = kyu_sqs.receive_message(QueueUrl=url)["Messages"]
    assert again["MessageId"] == first[0]["MessageId"]


def test_clients_of_each_service(kyu, kyu_sns, kyu_sts):
    assert kyu_sns.meta.service_model.service_name == "sns"
    assert kyu_sns.meta.endpoint_url == kyu.endpoint_url
    assert kyu_sts.get_caller_identity()["Account"] == "000000000000"
'''

RESET_EXAMPLE = '''
def test_first(kyu_sqs):
    kyu_sqs.create_queue(QueueName="left-behind")


def test_second_starts_empty(kyu_sqs):
    assert "QueueUrls" not in kyu_sqs.list_queues()
'''


def run_pytest(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_example.py").write_text(textwrap.dedent(source))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
               "-p", "no:randomly", "test_example.py"]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env=_env())


def _env() -> dict[str, str]:
    # The example project imports Kyu as an installed package would be imported.
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT)}


def test_the_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["pytest11"] == {"kyu": "emulator.pytest_plugin"}
    try:
        installed = importlib.metadata.distribution("kyu").entry_points
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("Kyu is not installed as a distribution here")
    assert [e.value for e in installed if e.group == "pytest11"] == ["emulator.pytest_plugin"]


def test_an_example_project_uses_the_fixtures(tmp_path: Path) -> None:
    done = run_pytest(tmp_path, EXAMPLE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout


def test_each_test_starts_from_an_empty_server_when_kyu_can_reset(tmp_path: Path) -> None:
    with KyuServer() as probe:
        assert probe.reset(), "POST /_kyu/reset must answer"
    done = run_pytest(tmp_path, RESET_EXAMPLE)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout


def test_the_embedded_server_stops_cleanly_with_a_long_poll_waiting() -> None:
    with KyuServer() as server:
        sqs = server.client("sqs")
        url = sqs.create_queue(QueueName="waiting")["QueueUrl"]
        answers: list[dict[str, object]] = []
        poller = threading.Thread(
            target=lambda: answers.append(sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20))
        )
        poller.start()
        time.sleep(0.2)
        started = time.monotonic()
    assert time.monotonic() - started < 5
    poller.join(timeout=5)
    assert len(answers) == 1 and "Messages" not in answers[0]
