"""Over-large and deeply nested requests: refused with AWS errors, without unbounded buffering."""

from __future__ import annotations

import base64
import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from emulator.protocol.body_limit import MAX_BODY_BYTES
from tests.e2e.conftest import make_client
from tests.support.server import RunningServer

NS = "{http://queue.amazonaws.com/doc/2012-11-05/}"
JSON_HEADERS = {"X-Amz-Target": "AmazonSQS.SendMessage",
                "Content-Type": "application/x-amz-json-1.0"}
FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    running = RunningServer()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.endpoint, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def queue_url(server: RunningServer) -> str:
    return str(make_client("sqs", server.endpoint).create_queue(QueueName="limits")["QueueUrl"])


def queue_depth(server: RunningServer, url: str) -> str:
    attributes = make_client("sqs", server.endpoint).get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    return str(attributes["ApproximateNumberOfMessages"])


def json_error(reply: httpx.Response) -> tuple[int, str, str]:
    document = json.loads(reply.content)
    return reply.status_code, reply.headers["x-amzn-query-error"], document["message"]


def xml_error(reply: httpx.Response) -> tuple[int, str | None, str | None]:
    root = ET.fromstring(reply.content)
    return (reply.status_code, root.findtext(f"{NS}Error/{NS}Code"),
            root.findtext(f"{NS}Error/{NS}Message"))


TOO_LARGE = f"HTTP content length exceeded {MAX_BODY_BYTES} bytes."


def test_an_over_large_json_body_is_refused_with_413(
    server: RunningServer, http: httpx.Client, queue_url: str
) -> None:
    body = json.dumps({"QueueUrl": queue_url, "MessageBody": "x" * MAX_BODY_BYTES}).encode()
    reply = http.post("/", content=body, headers=JSON_HEADERS)
    assert json_error(reply) == (413, "RequestEntityTooLarge;Sender", TOO_LARGE)
    assert queue_depth(server, queue_url) == "0"


def test_an_over_large_query_body_is_refused_with_413(
    server: RunningServer, http: httpx.Client, queue_url: str
) -> None:
    body = b"Action=SendMessage&MessageBody=" + b"x" * MAX_BODY_BYTES
    reply = http.post(queue_url, content=body, headers=FORM_HEADERS)
    assert xml_error(reply) == (413, "RequestEntityTooLarge", TOO_LARGE)
    assert queue_depth(server, queue_url) == "0"


def test_a_streamed_body_without_content_length_is_cut_off_at_the_limit(
    http: httpx.Client, queue_url: str
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"Action=SendMessage&MessageBody="
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"y" * 65536

    try:
        reply = http.post(queue_url, content=chunks(), headers=FORM_HEADERS)
    except httpx.TransportError:
        # The server may answer and close before the client has written everything.
        return
    assert "content-length" not in reply.request.headers
    assert xml_error(reply) == (413, "RequestEntityTooLarge", TOO_LARGE)


def test_a_declared_content_length_over_the_limit_is_refused_before_reading(
    server: RunningServer,
) -> None:
    # Only the headers are sent: an answer proves the server did not wait for the body.
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"X-Amz-Target: AmazonSQS.ListQueues\r\n"
            b"Content-Type: application/x-amz-json-1.0\r\n"
            b"Content-Length: 1000000000000\r\n\r\n"
        )
        answer = b""
        while b"}" not in answer:  # the JSON error ends the answer; the socket stays open
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413")
    assert b"x-amzn-query-error: RequestEntityTooLarge;Sender" in head
    assert json.loads(body)["message"] == TOO_LARGE


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_the_largest_message_with_the_costliest_encoding_fits_under_the_limit(
    server: RunningServer, protocol: str
) -> None:
    # 1 MiB of two-byte characters: 3 bytes each on the wire in both protocols.
    sqs = make_client("sqs", server.endpoint, protocol)
    url = sqs.create_queue(QueueName=f"largest-{protocol}")["QueueUrl"]
    body = "\u00e9" * (1024 * 1024 // 2)
    sqs.send_message(QueueUrl=url, MessageBody=body)
    received = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)["Messages"]
    assert received[0]["Body"] == body


@pytest.mark.parametrize("path", ["/", "/000000000000/limits"])
@pytest.mark.parametrize("depth", [1000, 200_000])
def test_deeply_nested_json_is_a_serialization_error(
    http: httpx.Client, path: str, depth: int, queue_url: str
) -> None:
    body = b'{"QueueUrl": ' + b"[" * depth + b"]" * depth + b"}"
    reply = http.post(path, content=body, headers=JSON_HEADERS)
    status, header, _ = json_error(reply)
    assert (status, header) == (400, "SerializationException;Sender")


def test_deeply_nested_json_in_an_attribute_value_is_an_invalid_attribute(
    server: RunningServer, queue_url: str
) -> None:
    sqs = make_client("sqs", server.endpoint)
    nested = "[" * 100_000 + "]" * 100_000
    with pytest.raises(sqs.exceptions.ClientError) as caught:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"RedrivePolicy": nested})
    error: dict[str, Any] = caught.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["Error"]["Code"] in ("InvalidAttributeValue", "InvalidParameterValue")


def test_a_deeply_nested_task_handle_is_an_unknown_task(server: RunningServer) -> None:
    sqs = make_client("sqs", server.endpoint)
    handle = base64.b64encode(b"[" * 100_000 + b"]" * 100_000).decode()
    with pytest.raises(sqs.exceptions.ResourceNotFoundException):
        sqs.cancel_message_move_task(TaskHandle=handle)
