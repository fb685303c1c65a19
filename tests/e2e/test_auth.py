"""Who gets in: the loopback-only default bind, and ``--auth sigv4`` against a credentials file."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import botocore.auth
import botocore.session
import httpx
import pytest
from botocore import UNSIGNED
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from emulator.cli import _config, _parser
from tests.support.query_model import model_search_path
from tests.support.server import REPO_ROOT, RunningServer, free_port

KEY_ID, SECRET, ACCOUNT = "AKIDKYUAUTH", "kyu-auth-secret", "333333333333"
NS = "{http://queue.amazonaws.com/doc/2012-11-05/}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    path: Path = tmp_path_factory.mktemp("auth") / "credentials"
    path.write_text(f"[ci]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n"
                    f"account_id = {ACCOUNT}\n")
    running = RunningServer(extra_args=["--auth", "sigv4", "--credentials", str(path)])
    yield running
    running.stop()


def client(server: RunningServer, protocol: str, key: str = KEY_ID, secret: str = SECRET,
           **config: Any) -> Any:
    session = botocore.session.get_session()
    if protocol == "query":
        session.get_component("data_loader").search_paths.insert(0, str(model_search_path()))
    boto = boto3.Session(botocore_session=session, region_name="us-east-1",
                         aws_access_key_id=key, aws_secret_access_key=secret)
    return boto.client("sqs", endpoint_url=server.endpoint,
                       config=Config(retries={"max_attempts": 1}, **config))


def refused(call: Any, **kwargs: Any) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"],
            response["Error"]["Message"])


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_a_correctly_signed_client_works_in_its_account(
    server: RunningServer, protocol: str
) -> None:
    sqs = client(server, protocol)
    url = sqs.create_queue(QueueName=f"signed-{protocol}")["QueueUrl"]
    assert url == f"{server.endpoint}/{ACCOUNT}/signed-{protocol}"
    sqs.send_message(QueueUrl=url, MessageBody="caf\u00e9 \u2713")
    [message] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)["Messages"]
    assert message["Body"] == "caf\u00e9 \u2713"


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_a_wrong_secret_does_not_match(server: RunningServer, protocol: str) -> None:
    code, status, message = refused(client(server, protocol, secret="wrong").list_queues)
    assert (code, status) == ("SignatureDoesNotMatch", 403)
    assert message.startswith("The request signature we calculated does not match")


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_an_unknown_access_key_is_refused(server: RunningServer, protocol: str) -> None:
    assert refused(client(server, protocol, key="AKIDUNKNOWN").list_queues) == (
        "InvalidClientTokenId", 403, "The security token included in the request is invalid."
    )


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_an_unsigned_request_is_refused(server: RunningServer, protocol: str) -> None:
    sqs = client(server, protocol, signature_version=UNSIGNED)
    assert refused(sqs.list_queues) == (
        "MissingAuthenticationToken", 403, "Request is missing Authentication Token"
    )


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_a_signature_older_than_15_minutes_has_expired(
    server: RunningServer, protocol: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_at = datetime.now(UTC) - timedelta(minutes=20)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: signed_at)
    code, status, message = refused(client(server, protocol).list_queues)
    assert (code, status) == ("SignatureDoesNotMatch", 403)
    assert message.startswith(f"Signature expired: {signed_at:%Y%m%dT%H%M%SZ} is now earlier than")


def test_raw_unsigned_requests_get_errors_in_their_protocol(server: RunningServer) -> None:
    with httpx.Client(base_url=server.endpoint, timeout=10) as http:
        reply = http.post("/", content=b"{}", headers={
            "X-Amz-Target": "AmazonSQS.ListQueues", "Content-Type": "application/x-amz-json-1.0"})
        assert reply.status_code == 403
        assert reply.headers["x-amzn-query-error"] == "MissingAuthenticationToken;Sender"
        assert json.loads(reply.content)["__type"].endswith("MissingAuthenticationTokenException")
        reply = http.post("/", content=b"Action=ListQueues&Version=2012-11-05",
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert reply.status_code == 403
        root = ET.fromstring(reply.content)
        assert root.findtext(f"{NS}Error/{NS}Code") == "MissingAuthenticationToken"
        assert root.findtext(f"{NS}RequestId")


def _presigned(server: RunningServer, query: str, expires: int = 60) -> str:
    request = AWSRequest(method="GET", url=f"{server.endpoint}/?{query}")
    SigV4QueryAuth(Credentials(KEY_ID, SECRET), "sqs", "us-east-1",
                   expires=expires).add_auth(request)
    return str(request.url)


def test_a_presigned_get_is_verified(server: RunningServer) -> None:
    sqs = client(server, "json")
    url = sqs.create_queue(QueueName="presigned")["QueueUrl"]
    query = f"Action=SendMessage&QueueUrl={url}&MessageBody=presigned%20hello&Version=2012-11-05"
    with httpx.Client(timeout=10) as http:
        reply = http.get(_presigned(server, query))
        assert reply.status_code == 200, reply.text
        tampered = _presigned(server, query).replace("presigned%20hello", "tampered")
        reply = http.get(tampered)
        assert reply.status_code == 403
        assert ET.fromstring(reply.content).findtext(f"{NS}Error/{NS}Code") == (
            "SignatureDoesNotMatch")
    [message] = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)["Messages"]
    assert message["Body"] == "presigned hello"


def test_an_unsigned_payload_is_accepted(server: RunningServer) -> None:
    sqs = client(server, "json")
    sqs.meta.events.register(
        "before-sign.sqs.*",
        lambda request, **_: request.headers.__setitem__("X-Amz-Content-SHA256",
                                                         "UNSIGNED-PAYLOAD"),
    )
    url = sqs.create_queue(QueueName="unsigned-payload")["QueueUrl"]
    assert url.endswith(f"/{ACCOUNT}/unsigned-payload")


def test_the_server_refuses_to_start_without_usable_credentials(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"AKID": {"account_id": "1"}}')
    for extra in ([], ["--credentials", str(broken)]):
        result = subprocess.run(
            [sys.executable, "-m", "emulator", "serve", "--in-memory", "--port",
             str(free_port()), "--auth", "sigv4", *extra],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=30,
            env={k: v for k, v in os.environ.items() if not k.startswith("KYU_")},
        )
        assert result.returncode == 2
        assert "credentials" in result.stderr


def test_the_default_bind_address_is_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KYU_HOST", raising=False)
    assert _config(_parser().parse_args(["serve", "--in-memory"])).host == "127.0.0.1"


def _outward_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent for a UDP connect
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_a_server_started_without_host_listens_on_loopback_only() -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KYU_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "emulator", "serve", "--in-memory", "--port", str(port),
         "--log-level", "warning"], cwd=REPO_ROOT, env=env)
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_kyu/health", timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    pytest.fail("kyu exited early")
                subprocess.run(["sleep", "0.05"], check=False)
        address = _outward_address()
        if address is None:
            pytest.skip("this machine has no non-loopback address to try")
        with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
            pass
    finally:
        process.terminate()
        process.wait(timeout=10)
