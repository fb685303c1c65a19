"""Queue tags (TagQueue, UntagQueue, ListQueueTags) and permissions (AddPermission,
RemovePermission), over both SQS protocols.

Expected behaviour comes from the Amazon SQS API Reference (TagQueue, UntagQueue, ListQueueTags,
AddPermission, RemovePermission), the developer guide's queue quotas (tag rules), and the policy
document AWS writes for AddPermission (version 2008-10-17, one statement per label, the Id
``<queue arn>/SQSDefaultPolicy``, single principals and actions written as plain strings).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.support.server import RunningServer

ACCOUNT = "000000000000"
OTHER_ACCOUNT = "111122223333"
REGION = "us-east-1"


def unique(prefix: str = "q") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def assert_error(error: ClientError, code: str, status: int = 400) -> None:
    assert error.response["Error"]["Code"] == code, error.response
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == status, error.response


def tags_of(sqs: Any, url: str) -> dict[str, str]:
    return dict(sqs.list_queue_tags(QueueUrl=url).get("Tags", {}))


def missing_url(server: RunningServer) -> str:
    return f"{server.endpoint}/{ACCOUNT}/{unique('missing')}"


def arn_of(name: str) -> str:
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def policy_of(sqs: Any, url: str) -> dict[str, Any] | None:
    reply = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
    text = reply.get("Attributes", {}).get("Policy")
    return None if text is None else dict(json.loads(text))


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- Tags --------------------------------------------------------------------------------------


def test_tag_and_list(sqs: Any, queue_url: str) -> None:
    reply = sqs.tag_queue(QueueUrl=queue_url, Tags={"team": "orders", "env": "test"})
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert tags_of(sqs, queue_url) == {"team": "orders", "env": "test"}


def test_untagged_queue_has_no_tags(sqs: Any, queue_url: str) -> None:
    reply = sqs.list_queue_tags(QueueUrl=queue_url)
    assert reply.get("Tags", {}) == {}
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_tags_from_create_queue(sqs: Any) -> None:
    url = sqs.create_queue(QueueName=unique(), tags={"owner": "billing", "tier": "1"})["QueueUrl"]
    assert tags_of(sqs, url) == {"owner": "billing", "tier": "1"}
    sqs.tag_queue(QueueUrl=url, Tags={"extra": "yes"})
    assert tags_of(sqs, url) == {"owner": "billing", "tier": "1", "extra": "yes"}


def test_tagging_adds_to_existing_tags(sqs: Any, queue_url: str) -> None:
    sqs.tag_queue(QueueUrl=queue_url, Tags={"a": "1"})
    sqs.tag_queue(QueueUrl=queue_url, Tags={"b": "2"})
    assert tags_of(sqs, queue_url) == {"a": "1", "b": "2"}


def test_same_key_overwrites_the_value(sqs: Any, queue_url: str) -> None:
    sqs.tag_queue(QueueUrl=queue_url, Tags={"env": "test", "keep": "me"})
    sqs.tag_queue(QueueUrl=queue_url, Tags={"env": "prod"})
    assert tags_of(sqs, queue_url) == {"env": "prod", "keep": "me"}


def test_tags_are_case_sensitive(sqs: Any, queue_url: str) -> None:
    sqs.tag_queue(QueueUrl=queue_url, Tags={"Env": "A", "env": "b"})
    assert tags_of(sqs, queue_url) == {"Env": "A", "env": "b"}


def test_empty_tag_value_is_allowed(sqs: Any, queue_url: str) -> None:
    sqs.tag_queue(QueueUrl=queue_url, Tags={"flag": ""})
    assert tags_of(sqs, queue_url) == {"flag": ""}


def test_untag_removes_only_the_given_keys(sqs: Any, queue_url: str) -> None:
    sqs.tag_queue(QueueUrl=queue_url, Tags={"a": "1", "b": "2", "c": "3"})
    reply = sqs.untag_queue(QueueUrl=queue_url, TagKeys=["a", "c"])
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert tags_of(sqs, queue_url) == {"b": "2"}


def test_untag_of_a_missing_key_is_fine(sqs: Any, queue_url: str) -> None:
    sqs.tag_queue(QueueUrl=queue_url, Tags={"a": "1"})
    sqs.untag_queue(QueueUrl=queue_url, TagKeys=["not-there"])
    assert tags_of(sqs, queue_url) == {"a": "1"}


def test_untag_everything(sqs: Any, queue_url: str) -> None:
    sqs.tag_queue(QueueUrl=queue_url, Tags={"a": "1", "b": "2"})
    sqs.untag_queue(QueueUrl=queue_url, TagKeys=["a", "b"])
    assert tags_of(sqs, queue_url) == {}


def test_fifty_tags_are_accepted(sqs: Any, queue_url: str) -> None:
    tags = {f"key{i:02d}": f"value{i}" for i in range(50)}
    sqs.tag_queue(QueueUrl=queue_url, Tags=tags)
    assert tags_of(sqs, queue_url) == tags


def test_longest_key_and_value_are_accepted(sqs: Any, queue_url: str) -> None:
    # Quotas: tag keys up to 128 and values up to 256 Unicode characters.
    key, value = "k" * 128, "v" * 256
    sqs.tag_queue(QueueUrl=queue_url, Tags={key: value})
    assert tags_of(sqs, queue_url) == {key: value}


def test_unicode_and_allowed_special_characters(sqs: Any, queue_url: str) -> None:
    tags = {"Größe _.:/=+-@": "wert mit leerzeichen _.:/=+-@", "ключ": "значение"}
    sqs.tag_queue(QueueUrl=queue_url, Tags=tags)
    assert tags_of(sqs, queue_url) == tags


@pytest.mark.parametrize(
    "tags",
    [{"k" * 129: "v"}, {"key": "v" * 257}, {"": "empty key"}],
    ids=["key-129", "value-257", "empty-key"],
)
def test_tag_limits_are_enforced(sqs: Any, queue_url: str, tags: dict[str, str]) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.tag_queue(QueueUrl=queue_url, Tags=tags)
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert tags_of(sqs, queue_url) == {}


def test_tag_operations_on_a_missing_queue(sqs: Any, server: RunningServer) -> None:
    url = missing_url(server)
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as caught:
        sqs.tag_queue(QueueUrl=url, Tags={"a": "1"})
    assert_error(caught.value, "AWS.SimpleQueueService.NonExistentQueue")
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.untag_queue(QueueUrl=url, TagKeys=["a"])
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.list_queue_tags(QueueUrl=url)


def test_tags_are_per_queue(sqs: Any) -> None:
    first = sqs.create_queue(QueueName=unique())["QueueUrl"]
    second = sqs.create_queue(QueueName=unique())["QueueUrl"]
    sqs.tag_queue(QueueUrl=first, Tags={"only": "first"})
    assert tags_of(sqs, second) == {}


# --- AddPermission -----------------------------------------------------------------------------


def test_add_permission_writes_the_policy_aws_writes(
    sqs: Any, queue_name: str, queue_url: str
) -> None:
    reply = sqs.add_permission(
        QueueUrl=queue_url, Label="AllowSend", AWSAccountIds=[ACCOUNT], Actions=["SendMessage"]
    )
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert policy_of(sqs, queue_url) == {
        "Version": "2008-10-17",
        "Id": f"{arn_of(queue_name)}/SQSDefaultPolicy",
        "Statement": [
            {
                "Sid": "AllowSend",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "SQS:SendMessage",
                "Resource": arn_of(queue_name),
            }
        ],
    }


def test_add_permission_statement_content(sqs: Any, queue_name: str, queue_url: str) -> None:
    # The statement's meaning, independent of whether single values are written as lists.
    sqs.add_permission(
        QueueUrl=queue_url, Label="AllowSend", AWSAccountIds=[ACCOUNT], Actions=["SendMessage"]
    )
    policy = policy_of(sqs, queue_url)
    assert policy is not None
    [statement] = policy["Statement"]
    assert statement["Sid"] == "AllowSend"
    assert statement["Effect"] == "Allow"
    assert as_list(statement["Principal"]["AWS"]) == [f"arn:aws:iam::{ACCOUNT}:root"]
    assert as_list(statement["Action"]) == ["SQS:SendMessage"]
    assert statement["Resource"] == arn_of(queue_name)


def test_add_permission_with_several_accounts_and_actions(sqs: Any, queue_url: str) -> None:
    sqs.add_permission(
        QueueUrl=queue_url,
        Label="Shared",
        AWSAccountIds=[OTHER_ACCOUNT, ACCOUNT],
        Actions=["SendMessage", "ReceiveMessage"],
    )
    policy = policy_of(sqs, queue_url)
    assert policy is not None
    [statement] = policy["Statement"]
    assert sorted(statement["Principal"]["AWS"]) == sorted(
        [f"arn:aws:iam::{OTHER_ACCOUNT}:root", f"arn:aws:iam::{ACCOUNT}:root"]
    )
    assert sorted(statement["Action"]) == ["SQS:ReceiveMessage", "SQS:SendMessage"]


def test_add_permission_for_all_actions(sqs: Any, queue_url: str) -> None:
    sqs.add_permission(
        QueueUrl=queue_url, Label="Everything", AWSAccountIds=[ACCOUNT], Actions=["*"]
    )
    policy = policy_of(sqs, queue_url)
    assert policy is not None
    assert as_list(policy["Statement"][0]["Action"]) == ["SQS:*"]


def test_each_label_is_its_own_statement(sqs: Any, queue_url: str) -> None:
    sqs.add_permission(
        QueueUrl=queue_url, Label="First", AWSAccountIds=[ACCOUNT], Actions=["SendMessage"]
    )
    sqs.add_permission(
        QueueUrl=queue_url, Label="Second", AWSAccountIds=[ACCOUNT], Actions=["DeleteMessage"]
    )
    policy = policy_of(sqs, queue_url)
    assert policy is not None
    assert [s["Sid"] for s in policy["Statement"]] == ["First", "Second"]
    assert as_list(policy["Statement"][1]["Action"]) == ["SQS:DeleteMessage"]


def test_policy_appears_in_all_attributes(sqs: Any, queue_url: str) -> None:
    sqs.add_permission(
        QueueUrl=queue_url, Label="InAll", AWSAccountIds=[ACCOUNT], Actions=["GetQueueUrl"]
    )
    got = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    assert json.loads(got["Policy"])["Statement"][0]["Sid"] == "InAll"


def test_duplicate_label_is_rejected(sqs: Any, queue_url: str) -> None:
    sqs.add_permission(
        QueueUrl=queue_url, Label="Twice", AWSAccountIds=[ACCOUNT], Actions=["SendMessage"]
    )
    with pytest.raises(ClientError) as caught:
        sqs.add_permission(
            QueueUrl=queue_url, Label="Twice", AWSAccountIds=[ACCOUNT], Actions=["ReceiveMessage"]
        )
    assert_error(caught.value, "InvalidParameterValue")
    assert caught.value.response["Error"]["Message"] == (
        "Value Twice for parameter Label is invalid. Reason: Already exists."
    )
    policy = policy_of(sqs, queue_url)
    assert policy is not None
    assert len(policy["Statement"]) == 1
    assert as_list(policy["Statement"][0]["Action"]) == ["SQS:SendMessage"]


def test_invalid_action_name_is_rejected(sqs: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.add_permission(
            QueueUrl=queue_url, Label="Bad", AWSAccountIds=[ACCOUNT], Actions=["FlyToTheMoon"]
        )
    assert_error(caught.value, "InvalidParameterValue")
    assert policy_of(sqs, queue_url) is None


def test_add_permission_on_a_missing_queue(sqs: Any, server: RunningServer) -> None:
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as caught:
        sqs.add_permission(
            QueueUrl=missing_url(server),
            Label="Nope",
            AWSAccountIds=[ACCOUNT],
            Actions=["SendMessage"],
        )
    assert_error(caught.value, "AWS.SimpleQueueService.NonExistentQueue")


# --- RemovePermission --------------------------------------------------------------------------


def test_remove_permission_removes_the_statement(sqs: Any, queue_url: str) -> None:
    for label in ("Keep", "Drop"):
        sqs.add_permission(
            QueueUrl=queue_url, Label=label, AWSAccountIds=[ACCOUNT], Actions=["SendMessage"]
        )
    reply = sqs.remove_permission(QueueUrl=queue_url, Label="Drop")
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    policy = policy_of(sqs, queue_url)
    assert policy is not None
    assert [s["Sid"] for s in policy["Statement"]] == ["Keep"]


def test_removing_the_last_permission_removes_the_policy(sqs: Any, queue_url: str) -> None:
    sqs.add_permission(
        QueueUrl=queue_url, Label="Only", AWSAccountIds=[ACCOUNT], Actions=["SendMessage"]
    )
    sqs.remove_permission(QueueUrl=queue_url, Label="Only")
    assert policy_of(sqs, queue_url) is None


def test_label_can_be_reused_after_removal(sqs: Any, queue_url: str) -> None:
    sqs.add_permission(
        QueueUrl=queue_url, Label="Again", AWSAccountIds=[ACCOUNT], Actions=["SendMessage"]
    )
    sqs.remove_permission(QueueUrl=queue_url, Label="Again")
    sqs.add_permission(
        QueueUrl=queue_url, Label="Again", AWSAccountIds=[ACCOUNT], Actions=["ReceiveMessage"]
    )
    policy = policy_of(sqs, queue_url)
    assert policy is not None
    assert as_list(policy["Statement"][0]["Action"]) == ["SQS:ReceiveMessage"]


def test_remove_unknown_label_is_rejected(sqs: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.remove_permission(QueueUrl=queue_url, Label="NeverAdded")
    assert_error(caught.value, "InvalidParameterValue")
    assert caught.value.response["Error"]["Message"] == (
        "Value NeverAdded for parameter Label is invalid. Reason: can't find label."
    )


def test_remove_permission_on_a_missing_queue(sqs: Any, server: RunningServer) -> None:
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.remove_permission(QueueUrl=missing_url(server), Label="Nope")
