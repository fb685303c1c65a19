"""Fixtures for end-to-end tests: a real server and real boto3 clients of both SQS protocols."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config

from tests.support.query_model import model_search_path
from tests.support.server import RunningServer

REGION = "us-east-1"
CREDENTIALS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret"}


@pytest.fixture(scope="session")
def server() -> Iterator[RunningServer]:
    running = RunningServer()
    yield running
    running.stop()


def make_client(
    service: str, endpoint: str, protocol: str = "json", **config: Any
) -> Any:
    session = botocore.session.get_session()
    if protocol == "query":
        session.get_component("data_loader").search_paths.insert(0, str(model_search_path()))
    boto = boto3.Session(botocore_session=session, region_name=REGION, **CREDENTIALS)
    return boto.client(
        service,
        endpoint_url=endpoint,
        config=Config(retries={"max_attempts": 1}, read_timeout=30, **config),
    )


@pytest.fixture(scope="session", params=["json", "query"])
def protocol(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def sqs(server: RunningServer, protocol: str) -> Any:
    """An SQS client; every test using it runs once per protocol."""
    client = make_client("sqs", server.endpoint, protocol)
    assert client.meta.service_model.protocol == protocol
    return client


@pytest.fixture
def queue_name() -> str:
    return f"q-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def queue_url(sqs: Any, queue_name: str) -> str:
    return str(sqs.create_queue(QueueName=queue_name)["QueueUrl"])


@pytest.fixture(scope="session")
def sns(server: RunningServer) -> Any:
    """An SNS client (SNS speaks the query protocol only)."""
    return make_client("sns", server.endpoint)
