"""Queue URLs: every form a client may send finds the queue, and the URLs Kyu hands out follow
the client's Host header unless ``--hostname`` / ``KYU_HOSTNAME`` fixes them."""

from __future__ import annotations

import os
import urllib.parse
import urllib.request
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.e2e.conftest import REGION, make_client
from tests.support.query_model import model_search_path
from tests.support.server import RunningServer


def url_forms(server: RunningServer, name: str, account: str = "000000000000") -> list[str]:
    return [
        f"{server.endpoint}/{account}/{name}",
        f"http://some-other-host:1234/{account}/{name}",
        f"https://sqs.{REGION}.amazonaws.com/{account}/{name}",
        f"https://{REGION}.queue.amazonaws.com/{account}/{name}",
        f"{server.endpoint}/{account}/{name}/",
        name,
    ]


def test_every_url_form_finds_the_queue(sqs: Any, queue_name: str, queue_url: str,
                                        server: RunningServer) -> None:
    for form in url_forms(server, queue_name):
        body = f"sent to {form}"
        sqs.send_message(QueueUrl=form, MessageBody=body)
        [message] = sqs.receive_message(QueueUrl=queue_url, VisibilityTimeout=0)["Messages"]
        assert message["Body"] == body, form
        sqs.delete_message(QueueUrl=form, ReceiptHandle=message["ReceiptHandle"])
        attributes = sqs.get_queue_attributes(QueueUrl=form, AttributeNames=["QueueArn"])
        assert attributes["Attributes"]["QueueArn"].endswith(f":000000000000:{queue_name}")


def test_a_url_of_another_region_or_account_names_another_queue(
    sqs: Any, queue_name: str, queue_url: str
) -> None:
    for other in (f"https://sqs.eu-west-1.amazonaws.com/000000000000/{queue_name}",
                  f"https://sqs.{REGION}.amazonaws.com/111122223333/{queue_name}",
                  f"https://sqs.{REGION}.amazonaws.com/{queue_name}/extra/segment"):
        with pytest.raises(ClientError) as caught:
            sqs.get_queue_attributes(QueueUrl=other, AttributeNames=["QueueArn"])
        assert caught.value.response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"


def test_a_queue_of_another_account_is_found_by_its_url(server: RunningServer, sqs: Any,
                                                        queue_name: str, protocol: str) -> None:
    other = _client_with_key(server, "111122223333", protocol)
    url = other.create_queue(QueueName=queue_name)["QueueUrl"]
    assert url == f"{server.endpoint}/111122223333/{queue_name}"
    aws_style = f"https://sqs.{REGION}.amazonaws.com/111122223333/{queue_name}"
    # Without a grant the queue of another account looks absent, as on AWS.
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.send_message(QueueUrl=aws_style, MessageBody="cross-account")
    other.add_permission(QueueUrl=url, Label="send", AWSAccountIds=["000000000000"],
                         Actions=["SendMessage"])
    sqs.send_message(QueueUrl=aws_style, MessageBody="cross-account")
    [message] = other.receive_message(QueueUrl=url)["Messages"]
    assert message["Body"] == "cross-account"


def _client_with_key(server: RunningServer, key: str, protocol: str) -> Any:
    """A client signing with ``key``: a 12-digit key names the caller's account."""
    session = botocore.session.get_session()
    if protocol == "query":
        session.get_component("data_loader").search_paths.insert(0, str(model_search_path()))
    boto = boto3.Session(botocore_session=session, region_name=REGION,
                         aws_access_key_id=key, aws_secret_access_key="secret")
    return boto.client("sqs", endpoint_url=server.endpoint,
                       config=Config(retries={"max_attempts": 1}))


def test_query_requests_sent_to_the_queue_url_path(sqs: Any, queue_name: str, queue_url: str,
                                                   server: RunningServer) -> None:
    path = f"/000000000000/{queue_name}"
    form = urllib.parse.urlencode({"Action": "SendMessage", "Version": "2012-11-05",
                                   "MessageBody": "by path"}).encode()
    request = urllib.request.Request(server.endpoint + path, data=form, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=5) as reply:
        assert b"<SendMessageResponse" in reply.read()
    query = urllib.parse.urlencode({"Action": "ReceiveMessage", "Version": "2012-11-05"})
    with urllib.request.urlopen(f"{server.endpoint}{path}?{query}", timeout=5) as reply:
        assert b"<Body>by path</Body>" in reply.read()


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_urls_follow_the_host_the_client_used(server: RunningServer, protocol: str,
                                              queue_name: str) -> None:
    for endpoint in (f"http://localhost:{server.port}", f"http://127.0.0.1:{server.port}"):
        sqs = make_client("sqs", endpoint, protocol)
        url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
        assert url == f"{endpoint}/000000000000/{queue_name}"
        assert sqs.get_queue_url(QueueName=queue_name)["QueueUrl"] == url
        assert sqs.list_queues(QueueNamePrefix=queue_name)["QueueUrls"] == [url]


@pytest.fixture(scope="module")
def fixed_host_server() -> Any:
    running = RunningServer(extra_args=["--hostname", "kyu.internal:9000"])
    yield running
    running.stop()


@pytest.mark.parametrize("protocol", ["json", "query"])
def test_hostname_fixes_the_urls(fixed_host_server: RunningServer, protocol: str,
                                 queue_name: str) -> None:
    sqs = make_client("sqs", fixed_host_server.endpoint, protocol)
    url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
    assert url == f"http://kyu.internal:9000/000000000000/{queue_name}"
    assert sqs.list_queues(QueueNamePrefix=queue_name)["QueueUrls"] == [url]
    # The fixed URL works as a QueueUrl, whatever host the client connects to.
    sqs.send_message(QueueUrl=url, MessageBody="fixed")
    [message] = sqs.receive_message(QueueUrl=url)["Messages"]
    assert message["Body"] == "fixed"


def test_the_environment_variable_fixes_the_urls(queue_name: str) -> None:
    os.environ["KYU_HOSTNAME"] = "queues.example.test"
    try:
        running = RunningServer()
    finally:
        del os.environ["KYU_HOSTNAME"]
    try:
        sqs = make_client("sqs", running.endpoint)
        url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
        assert url == f"http://queues.example.test/000000000000/{queue_name}"
    finally:
        running.stop()
