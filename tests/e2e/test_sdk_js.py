"""The AWS SDK for JavaScript v3 (npm @aws-sdk/client-sqs and client-sns, run with the machine's
node) against a real Kyu: tests/sdk/js/roundtrip.mjs does the calls, this checks its report."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.server import REPO_ROOT, RunningServer

JS_DIR = REPO_ROOT / "tests" / "sdk" / "js"
MODULES = ("@aws-sdk/client-sqs", "@aws-sdk/client-sns")
OFFLINE_SIGNS = ("ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "ECONNREFUSED", "ECONNRESET",
                 "ENETUNREACH", "network", "self-signed certificate", "403 Forbidden")

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or shutil.which("npm") is None,
    reason="node and npm are not installed, so the AWS SDK for JavaScript cannot run",
)


def modules_present() -> bool:
    return all((JS_DIR / "node_modules" / module / "package.json").exists() for module in MODULES)


def install_modules() -> None:
    """``npm ci`` into tests/sdk/js once per run; concurrent runs wait for each other."""
    with open(JS_DIR / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if modules_present():
            return
        done = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel", "error"], cwd=JS_DIR,
            capture_output=True, text=True, timeout=600,
        )
    if done.returncode != 0:
        output = done.stdout + done.stderr
        if any(sign in output for sign in OFFLINE_SIGNS):
            pytest.skip(f"the npm registry is unreachable, so the JavaScript SDK cannot be "
                        f"installed: {output.strip().splitlines()[-1]}")
        pytest.fail(f"npm ci failed:\n{output}")


@pytest.fixture(scope="module")
def js_ready() -> Iterator[None]:
    if not modules_present():
        install_modules()
    yield


def run_roundtrip(server: RunningServer, name: str, *flags: str) -> dict[str, Any]:
    done = subprocess.run(
        ["node", "roundtrip.mjs", name, *flags], cwd=JS_DIR, capture_output=True, text=True,
        timeout=120, env={**os.environ, "KYU_ENDPOINT": server.endpoint},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_send_receive_delete(js_ready: None, server: RunningServer) -> None:
    name = f"js-{uuid.uuid4().hex[:12]}"
    report = run_roundtrip(server, name)
    assert report["queueUrl"] == f"{server.endpoint}/000000000000/{name}"
    body = "hello from JavaScript ✓"
    assert report["sent"]["md5OfBody"] == hashlib.md5(body.encode()).hexdigest()
    assert report["received"] == [{
        "messageId": report["sent"]["messageId"],
        "body": body,
        "md5OfBody": report["sent"]["md5OfBody"],
        "receiveCount": "1",
        "kind": "greeting",
    }]
    assert report["afterDelete"] == {
        "ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0",
    }


def test_publish_through_a_topic(js_ready: None, server: RunningServer) -> None:
    name = f"js-{uuid.uuid4().hex[:12]}"
    report = run_roundtrip(server, name, "--sns")
    assert report["published"]["messageId"]
    assert report["published"]["delivered"] == ["published from JavaScript"]


def test_the_lockfile_pins_the_declared_modules() -> None:
    lock = json.loads((JS_DIR / "package-lock.json").read_text())
    declared = json.loads((JS_DIR / "package.json").read_text())["dependencies"]
    assert set(declared) == set(MODULES)
    assert set(lock["packages"][""]["dependencies"]) == set(declared)
    for module in MODULES:
        assert lock["packages"][f"node_modules/{module}"]["version"]

