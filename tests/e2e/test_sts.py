"""STS on Kyu's endpoint: GetCallerIdentity, AssumeRole, and credentials that act in the role's
account."""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.e2e.conftest import REGION, make_client
from tests.support.server import RunningServer

ROLE_ARN = "arn:aws:iam::222233334444:role/service/QueueWorker"


def sts_client(server: RunningServer, key: str = "AKIDEXAMPLE", **kwargs: Any) -> Any:
    session = boto3.Session(aws_access_key_id=key, aws_secret_access_key="secret",
                            region_name=REGION, **kwargs)
    return session.client("sts", endpoint_url=server.endpoint,
                          config=Config(retries={"max_attempts": 1}))


@pytest.mark.parametrize(
    ("key", "account"),
    [("AKIDEXAMPLE", "000000000000"), ("test", "000000000000"), ("123456789012", "123456789012")],
)
def test_caller_identity_of_long_term_keys_is_the_account_root(
    server: RunningServer, key: str, account: str
) -> None:
    identity = sts_client(server, key).get_caller_identity()
    assert identity["Account"] == account
    assert identity["UserId"] == account
    assert identity["Arn"] == f"arn:aws:iam::{account}:root"


def _server_now(server: RunningServer) -> datetime:
    """The emulator's clock, which other tests on the shared server may have moved forward."""
    with urllib.request.urlopen(f"{server.endpoint}/_kyu/clock", timeout=5) as reply:
        return datetime.fromtimestamp(json.load(reply)["now"], UTC)


def test_assume_role_returns_credentials_for_the_role(server: RunningServer) -> None:
    before = _server_now(server)
    result = sts_client(server).assume_role(
        RoleArn=ROLE_ARN, RoleSessionName="worker-1", DurationSeconds=900
    )
    credentials = result["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z0-9]{16}", credentials["AccessKeyId"])
    assert len(credentials["SecretAccessKey"]) == 40
    assert len(credentials["SessionToken"]) > 100
    expiration = credentials["Expiration"]
    assert before + timedelta(seconds=898) <= expiration <= before + timedelta(seconds=902)
    user = result["AssumedRoleUser"]
    assert user["Arn"] == "arn:aws:sts::222233334444:assumed-role/QueueWorker/worker-1"
    assert re.fullmatch(r"AROA[A-Z0-9]{17}:worker-1", user["AssumedRoleId"])

    again = sts_client(server).assume_role(RoleArn=ROLE_ARN, RoleSessionName="worker-2")
    assert again["Credentials"]["AccessKeyId"] != credentials["AccessKeyId"]
    # The role id belongs to the role: the same for every session of it.
    assert again["AssumedRoleUser"]["AssumedRoleId"].split(":")[0] == (
        user["AssumedRoleId"].split(":")[0]
    )
    default_expiry = again["Credentials"]["Expiration"]
    assert timedelta(seconds=3590) <= default_expiry - before <= timedelta(seconds=3610)


def test_assumed_credentials_act_in_the_roles_account(server: RunningServer) -> None:
    result = sts_client(server).assume_role(RoleArn=ROLE_ARN, RoleSessionName="mover")
    credentials = result["Credentials"]
    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )
    config = Config(retries={"max_attempts": 1})
    identity = session.client("sts", endpoint_url=server.endpoint,
                              config=config).get_caller_identity()
    assert identity["Account"] == "222233334444"
    assert identity["Arn"] == "arn:aws:sts::222233334444:assumed-role/QueueWorker/mover"
    assert identity["UserId"] == result["AssumedRoleUser"]["AssumedRoleId"]

    name = f"role-{uuid.uuid4().hex[:10]}"
    as_role = session.client("sqs", endpoint_url=server.endpoint, config=config)
    url = as_role.create_queue(QueueName=name)["QueueUrl"]
    assert url == f"{server.endpoint}/222233334444/{name}"
    arn = as_role.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    assert arn["Attributes"]["QueueArn"] == f"arn:aws:sqs:{REGION}:222233334444:{name}"
    # The role's account holds the queue; the default account does not.
    assert url in as_role.list_queues(QueueNamePrefix=name)["QueueUrls"]
    default = make_client("sqs", server.endpoint)
    assert "QueueUrls" not in default.list_queues(QueueNamePrefix=name)
    # Another account sees the role's queue only once the owner grants it.
    with pytest.raises(default.exceptions.QueueDoesNotExist):
        default.get_queue_url(QueueName=name, QueueOwnerAWSAccountId="222233334444")
    as_role.add_permission(QueueUrl=url, Label="default-account",
                           AWSAccountIds=["000000000000"], Actions=["GetQueueUrl"])
    assert default.get_queue_url(QueueName=name, QueueOwnerAWSAccountId="222233334444")[
        "QueueUrl"
    ] == url


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"RoleSessionName": "a/b"},
         "1 validation error detected: Value 'a/b' at 'roleSessionName' failed to satisfy "
         "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
        ({"RoleSessionName": "s" * 65},
         f"1 validation error detected: Value '{'s' * 65}' at 'roleSessionName' failed to "
         "satisfy constraint: Member must have length less than or equal to 64"),
        ({"DurationSeconds": 43201},
         "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy "
         "constraint: Member must have value less than or equal to 43200"),
        ({"RoleArn": "arn:aws:iam::12345:role/x", "DurationSeconds": 899},
         "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy "
         "constraint: Member must have value greater than or equal to 900"),
        ({"RoleArn": "arn:aws:iam::222233334444:user/alice"}, "Request ARN is invalid"),
        ({"RoleArn": "not an arn at all, really"}, "Request ARN is invalid"),
    ],
)
def test_assume_role_validates_like_aws(
    server: RunningServer, arguments: dict[str, Any], message: str
) -> None:
    # botocore validates lengths and ranges itself; switch that off to reach the server.
    session = boto3.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                            region_name=REGION)
    sts = session.client("sts", endpoint_url=server.endpoint,
                         config=Config(retries={"max_attempts": 1}, parameter_validation=False))
    request = {"RoleArn": ROLE_ARN, "RoleSessionName": "ok", **arguments}
    with pytest.raises(ClientError) as caught:
        sts.assume_role(**request)
    error = caught.value.response
    assert error["Error"]["Code"] == "ValidationError"
    assert error["Error"]["Type"] == "Sender"
    assert error["Error"]["Message"].startswith(message)
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_several_problems_are_reported_together(server: RunningServer) -> None:
    session = boto3.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                            region_name=REGION)
    sts = session.client("sts", endpoint_url=server.endpoint,
                         config=Config(retries={"max_attempts": 1}, parameter_validation=False))
    with pytest.raises(ClientError) as caught:
        sts.assume_role(RoleArn="short", RoleSessionName="x", DurationSeconds=10)
    message = caught.value.response["Error"]["Message"]
    assert message.startswith("3 validation errors detected: Value 'short' at 'roleArn'")
    assert "Value 'x' at 'roleSessionName' failed" in message
    assert "Value '10' at 'durationSeconds' failed" in message


def test_a_plain_query_request_by_version_reaches_sts(server: RunningServer) -> None:
    body = b"Action=GetCallerIdentity&Version=2011-06-15"
    request = urllib.request.Request(
        server.endpoint + "/", data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as reply:
        text = reply.read().decode()
    assert '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' in text
    assert "<Arn>arn:aws:iam::000000000000:root</Arn>" in text
