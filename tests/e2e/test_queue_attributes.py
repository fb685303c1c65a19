"""GetQueueAttributes and SetQueueAttributes on standard queues, over both SQS protocols.

Expected values come from the Amazon SQS API Reference (GetQueueAttributes, SetQueueAttributes,
CreateQueue attribute tables) and the developer guide (dead-letter queues, redrive allow policy,
server-side encryption).
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.server import RunningServer

ACCOUNT = "000000000000"
REGION = "us-east-1"

DEFAULTS = {
    "VisibilityTimeout": "30",
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "DelaySeconds": "0",
    "ReceiveMessageWaitTimeSeconds": "0",
    "ApproximateNumberOfMessages": "0",
    "ApproximateNumberOfMessagesNotVisible": "0",
    "ApproximateNumberOfMessagesDelayed": "0",
    # SSE-SQS is on by default for queues created through CreateQueue.
    "SqsManagedSseEnabled": "true",
}
# What "All" returns for a new standard queue without policy, redrive or KMS settings.
ALL_KEYS = {*DEFAULTS, "QueueArn", "CreatedTimestamp", "LastModifiedTimestamp"}

BOUNDS = [
    ("DelaySeconds", 0, 900),
    ("MaximumMessageSize", 1024, 1048576),
    ("MessageRetentionPeriod", 60, 1209600),
    ("ReceiveMessageWaitTimeSeconds", 0, 20),
    ("VisibilityTimeout", 0, 43200),
    ("KmsDataKeyReusePeriodSeconds", 60, 86400),
]
COUNTERS = (
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
)


def unique(prefix: str = "q") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def assert_error(error: ClientError, code: str, status: int = 400) -> None:
    assert error.response["Error"]["Code"] == code, error.response
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == status, error.response


def attributes(sqs: Any, url: str, *names: str) -> dict[str, str]:
    reply = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names or ["All"]))
    return dict(reply.get("Attributes", {}))


def counters(sqs: Any, url: str) -> tuple[int, ...]:
    """(visible, in flight, delayed)."""
    got = attributes(sqs, url, *COUNTERS)
    return tuple(int(got[name]) for name in COUNTERS)


def arn_of(name: str) -> str:
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def new_queue(sqs: Any, **attrs: str) -> tuple[str, str]:
    name = unique()
    url = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    return name, url


# --- GetQueueAttributes ------------------------------------------------------------------------


def test_all_attributes_of_a_new_standard_queue(sqs: Any, queue_name: str, queue_url: str) -> None:
    got = attributes(sqs, queue_url, "All")
    assert set(got) == ALL_KEYS
    for name, value in DEFAULTS.items():
        assert got[name] == value, name
    assert got["QueueArn"] == arn_of(queue_name)


def test_timestamps_are_epoch_seconds(sqs: Any, queue_url: str) -> None:
    got = attributes(sqs, queue_url, "CreatedTimestamp", "LastModifiedTimestamp")
    created = got["CreatedTimestamp"]
    assert created.isdigit() and len(created) == 10, created
    # The shared server's clock may have been moved forward by other tests, never back.
    assert time.time() - 60 <= int(created) <= time.time() + 7 * 86400
    assert got["LastModifiedTimestamp"] == created


@pytest.mark.parametrize("name", sorted(ALL_KEYS))
def test_each_attribute_on_its_own(sqs: Any, queue_name: str, queue_url: str, name: str) -> None:
    got = attributes(sqs, queue_url, name)
    assert set(got) == {name}
    if name in DEFAULTS:
        assert got[name] == DEFAULTS[name]
    if name == "QueueArn":
        assert got[name] == arn_of(queue_name)


def test_several_names_return_exactly_those(sqs: Any, queue_url: str) -> None:
    got = attributes(sqs, queue_url, "VisibilityTimeout", "DelaySeconds", "QueueArn")
    assert set(got) == {"VisibilityTimeout", "DelaySeconds", "QueueArn"}


def test_all_together_with_a_name_returns_all(sqs: Any, queue_url: str) -> None:
    assert set(attributes(sqs, queue_url, "All", "VisibilityTimeout")) == ALL_KEYS


def test_unset_optional_attribute_is_absent(sqs: Any, queue_url: str) -> None:
    assert attributes(sqs, queue_url, "Policy") == {}
    assert attributes(sqs, queue_url, "RedrivePolicy") == {}


def test_no_attribute_names_returns_no_attributes(sqs: Any, queue_url: str) -> None:
    reply = sqs.get_queue_attributes(QueueUrl=queue_url)
    assert reply.get("Attributes", {}) == {}
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_unknown_attribute_name(sqs: Any, queue_url: str) -> None:
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as caught:
        sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["NoSuchThing"])
    assert_error(caught.value, "InvalidAttributeName")
    assert caught.value.response["Error"]["Message"] == "Unknown Attribute NoSuchThing."


def test_unknown_attribute_name_among_known_ones(sqs: Any, queue_url: str) -> None:
    with pytest.raises(sqs.exceptions.InvalidAttributeName):
        sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["VisibilityTimeout", "Nope"])


def test_get_attributes_of_missing_queue(sqs: Any, server: RunningServer) -> None:
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as caught:
        sqs.get_queue_attributes(
            QueueUrl=f"{server.endpoint}/{ACCOUNT}/{unique('missing')}", AttributeNames=["All"]
        )
    assert_error(caught.value, "AWS.SimpleQueueService.NonExistentQueue")


# --- Approximate* counters ---------------------------------------------------------------------


def test_counters_follow_sends_receives_and_delays(
    sqs: Any, server: RunningServer, queue_url: str
) -> None:
    for i in range(3):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"now-{i}")
    for i in range(2):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"later-{i}", DelaySeconds=10)
    assert counters(sqs, queue_url) == (3, 0, 2)

    received = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=2)["Messages"]
    assert len(received) == 2
    assert {m["Body"] for m in received} <= {"now-0", "now-1", "now-2"}
    assert counters(sqs, queue_url) == (1, 2, 2)

    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=received[0]["ReceiptHandle"])
    assert counters(sqs, queue_url) == (1, 1, 2)

    server.advance_clock(11)  # the delayed messages become available
    assert counters(sqs, queue_url) == (3, 1, 0)

    server.advance_clock(30)  # the received, undeleted message comes back
    assert counters(sqs, queue_url) == (4, 0, 0)


def test_counters_with_a_delay_queue(sqs: Any, server: RunningServer) -> None:
    _, url = new_queue(sqs, DelaySeconds="5")
    sqs.send_message(QueueUrl=url, MessageBody="queue delay")
    sqs.send_message(QueueUrl=url, MessageBody="no delay", DelaySeconds=0)
    assert counters(sqs, url) == (1, 0, 1)
    server.advance_clock(6)
    assert counters(sqs, url) == (2, 0, 0)


def test_counters_after_change_visibility(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = sqs.receive_message(QueueUrl=queue_url)["Messages"][0]["ReceiptHandle"]
    assert counters(sqs, queue_url) == (0, 1, 0)
    sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=0)
    assert counters(sqs, queue_url) == (1, 0, 0)


# --- SetQueueAttributes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DelaySeconds", "10"),
        ("MaximumMessageSize", "4096"),
        ("MessageRetentionPeriod", "86400"),
        ("ReceiveMessageWaitTimeSeconds", "5"),
        ("VisibilityTimeout", "120"),
        ("KmsDataKeyReusePeriodSeconds", "600"),
        ("SqsManagedSseEnabled", "false"),
    ],
)
def test_set_each_plain_attribute(sqs: Any, queue_url: str, name: str, value: str) -> None:
    reply = sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={name: value})
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert attributes(sqs, queue_url, name) == {name: value}


def test_set_several_attributes_at_once(sqs: Any, queue_url: str) -> None:
    sqs.set_queue_attributes(
        QueueUrl=queue_url,
        Attributes={"VisibilityTimeout": "69", "MaximumMessageSize": "2048", "DelaySeconds": "420"},
    )
    got = attributes(sqs, queue_url)
    assert got["VisibilityTimeout"] == "69"
    assert got["MaximumMessageSize"] == "2048"
    assert got["DelaySeconds"] == "420"
    assert got["MessageRetentionPeriod"] == "345600"


@pytest.mark.parametrize(("name", "low", "high"), BOUNDS)
def test_set_attribute_at_its_bounds(
    sqs: Any, queue_url: str, name: str, low: int, high: int
) -> None:
    for value in (str(low), str(high)):
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={name: value})
        assert attributes(sqs, queue_url, name) == {name: value}


@pytest.mark.parametrize(("name", "low", "high"), BOUNDS)
@pytest.mark.parametrize("side", ["below", "above"])
def test_set_attribute_past_its_bounds(
    sqs: Any, queue_url: str, name: str, low: int, high: int, side: str
) -> None:
    before = attributes(sqs, queue_url)
    value = low - 1 if side == "below" else high + 1
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={name: str(value)})
    assert_error(caught.value, "InvalidAttributeValue")
    assert f"Invalid value for the parameter {name}" in caught.value.response["Error"]["Message"]
    after = attributes(sqs, queue_url)
    assert after.get(name) == before.get(name)


@pytest.mark.parametrize("value", ["abc", "", "1e3", "-"])
def test_set_non_integer_value(sqs: Any, queue_url: str, value: str) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"DelaySeconds": value})
    assert_error(caught.value, "InvalidAttributeValue")


def test_invalid_value_changes_nothing(sqs: Any, queue_url: str) -> None:
    with pytest.raises(ClientError):
        sqs.set_queue_attributes(
            QueueUrl=queue_url, Attributes={"VisibilityTimeout": "50", "DelaySeconds": "901"}
        )
    assert attributes(sqs, queue_url, "VisibilityTimeout") == {"VisibilityTimeout": "30"}


def test_last_modified_timestamp_changes(sqs: Any, server: RunningServer, queue_url: str) -> None:
    before = attributes(sqs, queue_url, "CreatedTimestamp", "LastModifiedTimestamp")
    server.advance_clock(5)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "31"})
    after = attributes(sqs, queue_url, "CreatedTimestamp", "LastModifiedTimestamp")
    assert after["CreatedTimestamp"] == before["CreatedTimestamp"]
    assert int(after["LastModifiedTimestamp"]) >= int(before["LastModifiedTimestamp"]) + 4


@pytest.mark.parametrize(
    "name",
    [
        "QueueArn",
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp",
        "LastModifiedTimestamp",
    ],
)
def test_read_only_attribute_cannot_be_set(sqs: Any, queue_url: str, name: str) -> None:
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as caught:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={name: "1"})
    assert_error(caught.value, "InvalidAttributeName")


def test_unknown_attribute_cannot_be_set(sqs: Any, queue_url: str) -> None:
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as caught:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Colour": "blue"})
    assert_error(caught.value, "InvalidAttributeName")
    assert caught.value.response["Error"]["Message"] == "Unknown Attribute Colour."


def test_fifo_queue_cannot_be_set_on_a_standard_queue(sqs: Any, queue_url: str) -> None:
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as caught:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"FifoQueue": "true"})
    assert_error(caught.value, "InvalidAttributeName")
    assert caught.value.response["Error"]["Message"] == "Unknown Attribute FifoQueue."
    assert "FifoQueue" not in attributes(sqs, queue_url)


def test_content_based_deduplication_is_unknown_on_a_standard_queue(
    sqs: Any, queue_url: str
) -> None:
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as caught:
        sqs.set_queue_attributes(
            QueueUrl=queue_url, Attributes={"ContentBasedDeduplication": "true"}
        )
    assert_error(caught.value, "InvalidAttributeName")


def test_set_attributes_without_attributes(sqs: Any, queue_url: str) -> None:
    # AWS: "The request must contain the parameter Attribute.Name."
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={})
    assert_error(caught.value, "MissingParameter")


def test_set_attributes_of_missing_queue(sqs: Any, server: RunningServer) -> None:
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.set_queue_attributes(
            QueueUrl=f"{server.endpoint}/{ACCOUNT}/{unique('missing')}",
            Attributes={"DelaySeconds": "1"},
        )


# --- Policy ------------------------------------------------------------------------------------


def policy_for(queue_name: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Id": "kyu-test-policy",
        "Statement": [
            {
                "Sid": "AllowSend",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "sqs:SendMessage",
                "Resource": arn_of(queue_name),
            }
        ],
    }


def test_policy_is_stored_and_returned(sqs: Any, queue_name: str, queue_url: str) -> None:
    policy = policy_for(queue_name)
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})
    got = attributes(sqs, queue_url, "Policy")
    assert json.loads(got["Policy"]) == policy
    assert "Policy" in attributes(sqs, queue_url)


def test_policy_on_create_queue(sqs: Any) -> None:
    name = unique()
    policy = policy_for(name)
    url = sqs.create_queue(QueueName=name, Attributes={"Policy": json.dumps(policy)})["QueueUrl"]
    assert json.loads(attributes(sqs, url, "Policy")["Policy"]) == policy


@pytest.mark.parametrize("bad", ["not json", "{", "[1, 2", "{'single': 'quotes'}"])
def test_policy_must_be_json(sqs: Any, queue_url: str, bad: str) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": bad})
    assert_error(caught.value, "InvalidAttributeValue")
    assert caught.value.response["Error"]["Message"].startswith(
        "Invalid value for the parameter Policy"
    )
    assert attributes(sqs, queue_url, "Policy") == {}


def test_empty_policy_removes_the_policy(sqs: Any, queue_name: str, queue_url: str) -> None:
    sqs.set_queue_attributes(
        QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy_for(queue_name))}
    )
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": ""})
    assert attributes(sqs, queue_url, "Policy") == {}


# --- RedrivePolicy -----------------------------------------------------------------------------


def test_redrive_policy_with_existing_target(sqs: Any, queue_url: str) -> None:
    dlq_name, _ = new_queue(sqs)
    policy = {"deadLetterTargetArn": arn_of(dlq_name), "maxReceiveCount": 5}
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"RedrivePolicy": json.dumps(policy)})
    stored = json.loads(attributes(sqs, queue_url, "RedrivePolicy")["RedrivePolicy"])
    assert stored["deadLetterTargetArn"] == arn_of(dlq_name)
    assert int(stored["maxReceiveCount"]) == 5
    assert "RedrivePolicy" in attributes(sqs, queue_url)


def test_redrive_policy_on_create_queue(sqs: Any) -> None:
    dlq_name, _ = new_queue(sqs)
    policy = json.dumps({"deadLetterTargetArn": arn_of(dlq_name), "maxReceiveCount": 3})
    _, url = new_queue(sqs, RedrivePolicy=policy)
    stored = json.loads(attributes(sqs, url, "RedrivePolicy")["RedrivePolicy"])
    assert stored["deadLetterTargetArn"] == arn_of(dlq_name)
    assert int(stored["maxReceiveCount"]) == 3


def test_redrive_policy_with_missing_target(sqs: Any, queue_url: str) -> None:
    # AWS: "Value {...} for parameter RedrivePolicy is invalid. Reason: Dead letter target does
    # not exist."
    policy = {"deadLetterTargetArn": arn_of(unique("nodlq")), "maxReceiveCount": 5}
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(
            QueueUrl=queue_url, Attributes={"RedrivePolicy": json.dumps(policy)}
        )
    assert_error(caught.value, "InvalidParameterValue")
    assert "Dead letter target does not exist" in caught.value.response["Error"]["Message"]
    assert attributes(sqs, queue_url, "RedrivePolicy") == {}


def test_redrive_policy_with_invalid_target_arn(sqs: Any, queue_url: str) -> None:
    # AWS: "... Reason: Invalid value for deadLetterTargetArn."
    policy = {"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(
            QueueUrl=queue_url, Attributes={"RedrivePolicy": json.dumps(policy)}
        )
    assert_error(caught.value, "InvalidParameterValue")


@pytest.mark.parametrize("count", [0, 1001])
def test_redrive_policy_max_receive_count_range(sqs: Any, queue_url: str, count: int) -> None:
    dlq_name, _ = new_queue(sqs)
    policy = {"deadLetterTargetArn": arn_of(dlq_name), "maxReceiveCount": count}
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(
            QueueUrl=queue_url, Attributes={"RedrivePolicy": json.dumps(policy)}
        )
    assert_error(caught.value, "InvalidParameterValue")


def test_redrive_policy_bounds_of_max_receive_count(sqs: Any, queue_url: str) -> None:
    dlq_name, _ = new_queue(sqs)
    for count in (1, 1000):
        policy = {"deadLetterTargetArn": arn_of(dlq_name), "maxReceiveCount": count}
        sqs.set_queue_attributes(
            QueueUrl=queue_url, Attributes={"RedrivePolicy": json.dumps(policy)}
        )
        stored = json.loads(attributes(sqs, queue_url, "RedrivePolicy")["RedrivePolicy"])
        assert int(stored["maxReceiveCount"]) == count


def test_redrive_policy_to_a_fifo_queue_is_rejected(sqs: Any, queue_url: str) -> None:
    # "The dead-letter queue of a standard queue must also be a standard queue."
    fifo = f"{unique()}.fifo"
    sqs.create_queue(QueueName=fifo, Attributes={"FifoQueue": "true"})
    policy = {"deadLetterTargetArn": arn_of(fifo), "maxReceiveCount": 2}
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(
            QueueUrl=queue_url, Attributes={"RedrivePolicy": json.dumps(policy)}
        )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert attributes(sqs, queue_url, "RedrivePolicy") == {}


def test_empty_redrive_policy_removes_it(sqs: Any, queue_url: str) -> None:
    dlq_name, _ = new_queue(sqs)
    policy = {"deadLetterTargetArn": arn_of(dlq_name), "maxReceiveCount": 5}
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"RedrivePolicy": json.dumps(policy)})
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"RedrivePolicy": ""})
    assert attributes(sqs, queue_url, "RedrivePolicy") == {}


# --- RedriveAllowPolicy ------------------------------------------------------------------------


@pytest.mark.parametrize("permission", ["allowAll", "denyAll"])
def test_redrive_allow_policy_simple_permissions(sqs: Any, queue_url: str, permission: str) -> None:
    policy = {"redrivePermission": permission}
    sqs.set_queue_attributes(
        QueueUrl=queue_url, Attributes={"RedriveAllowPolicy": json.dumps(policy)}
    )
    stored = json.loads(attributes(sqs, queue_url, "RedriveAllowPolicy")["RedriveAllowPolicy"])
    assert stored == policy
    assert "RedriveAllowPolicy" in attributes(sqs, queue_url)


def test_redrive_allow_policy_by_queue(sqs: Any, queue_url: str) -> None:
    sources = [arn_of(unique("src")) for _ in range(10)]
    policy = {"redrivePermission": "byQueue", "sourceQueueArns": sources}
    sqs.set_queue_attributes(
        QueueUrl=queue_url, Attributes={"RedriveAllowPolicy": json.dumps(policy)}
    )
    stored = json.loads(attributes(sqs, queue_url, "RedriveAllowPolicy")["RedriveAllowPolicy"])
    assert stored["redrivePermission"] == "byQueue"
    assert stored["sourceQueueArns"] == sources


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        json.dumps({"redrivePermission": "sometimes"}),
        json.dumps({"redrivePermission": "byQueue"}),
        json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": []}),
        json.dumps(
            {
                "redrivePermission": "byQueue",
                "sourceQueueArns": [arn_of(f"src-{i}") for i in range(11)],
            }
        ),
        json.dumps({"redrivePermission": "allowAll", "sourceQueueArns": [arn_of("src")]}),
        json.dumps({"sourceQueueArns": [arn_of("src")]}),
    ],
    ids=[
        "not-json",
        "unknown-permission",
        "byQueue-without-arns",
        "byQueue-empty-arns",
        "byQueue-11-arns",
        "allowAll-with-arns",
        "no-permission",
    ],
)
def test_redrive_allow_policy_syntax_errors(sqs: Any, queue_url: str, bad: str) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"RedriveAllowPolicy": bad})
    assert_error(caught.value, "InvalidAttributeValue")
    assert "RedriveAllowPolicy" in caught.value.response["Error"]["Message"]
    assert attributes(sqs, queue_url, "RedriveAllowPolicy") == {}


def test_deny_all_target_refuses_a_redrive_policy(sqs: Any, queue_url: str) -> None:
    dlq_name, dlq_url = new_queue(sqs)
    sqs.set_queue_attributes(
        QueueUrl=dlq_url,
        Attributes={"RedriveAllowPolicy": json.dumps({"redrivePermission": "denyAll"})},
    )
    policy = {"deadLetterTargetArn": arn_of(dlq_name), "maxReceiveCount": 2}
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(
            QueueUrl=queue_url, Attributes={"RedrivePolicy": json.dumps(policy)}
        )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert attributes(sqs, queue_url, "RedrivePolicy") == {}


def test_by_queue_target_accepts_a_listed_source(sqs: Any) -> None:
    dlq_name, dlq_url = new_queue(sqs)
    source_name, source_url = new_queue(sqs)
    allow = {"redrivePermission": "byQueue", "sourceQueueArns": [arn_of(source_name)]}
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={"RedriveAllowPolicy": json.dumps(allow)})
    policy = {"deadLetterTargetArn": arn_of(dlq_name), "maxReceiveCount": 2}
    sqs.set_queue_attributes(QueueUrl=source_url, Attributes={"RedrivePolicy": json.dumps(policy)})
    assert "RedrivePolicy" in attributes(sqs, source_url, "RedrivePolicy")
    _, other_url = new_queue(sqs)
    with pytest.raises(ClientError) as caught:
        sqs.set_queue_attributes(
            QueueUrl=other_url, Attributes={"RedrivePolicy": json.dumps(policy)}
        )
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# --- Server-side encryption --------------------------------------------------------------------


def test_kms_key_attributes(sqs: Any) -> None:
    _, url = new_queue(sqs, KmsMasterKeyId="alias/aws/sqs")
    got = attributes(sqs, url)
    assert got["KmsMasterKeyId"] == "alias/aws/sqs"
    assert got["KmsDataKeyReusePeriodSeconds"] == "300"
    assert got["SqsManagedSseEnabled"] == "false"


def test_kms_and_sqs_managed_sse_are_exclusive(sqs: Any, queue_url: str) -> None:
    # AWS: "You can use one type of server-side encryption (SSE) at one time. You can either
    # enable KMS SSE or SQS SSE."
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as caught:
        sqs.set_queue_attributes(
            QueueUrl=queue_url,
            Attributes={"KmsMasterKeyId": "alias/aws/sqs", "SqsManagedSseEnabled": "true"},
        )
    assert_error(caught.value, "InvalidAttributeName")
