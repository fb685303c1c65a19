"""SNS topics end to end with boto3: lifecycle, attributes, tags, permissions and their errors.

AWS facts checked (SNS API Reference: CreateTopic, DeleteTopic, GetTopicAttributes,
SetTopicAttributes, ListTopics, TagResource, AddPermission; botocore's SNS model for codes and
statuses):
- CreateTopic is idempotent: the same name returns the same ARN; other attributes or tags fail;
- names are 1-256 of letters, digits, ``_`` and ``-``; FIFO topics set FifoTopic and end in .fifo;
- DeleteTopic of a topic that does not exist succeeds, and deletes the topic's subscriptions;
- a missing topic is NotFound (404) "Topic does not exist"; tags of a missing one ResourceNotFound;
- ListTopics pages by 100 with NextToken.
"""

from __future__ import annotations

import json
import random
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.e2e.conftest import REGION
from tests.e2e.sns_helpers import new_queue, subscribe_queue, unique
from tests.support.server import RunningServer


def error_of(call: Any, **kwargs: Any) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"], caught.value.response["ResponseMetadata"][
        "HTTPStatusCode"]


def account_client(server: RunningServer, account: str) -> Any:
    """An SNS client acting as ``account`` (a 12-digit access key id names the account)."""
    return boto3.client(
        "sns", endpoint_url=server.endpoint, region_name=REGION, aws_access_key_id=account,
        aws_secret_access_key="secret", config=Config(retries={"max_attempts": 1}),
    )


def test_create_is_idempotent_and_refuses_other_attributes_or_tags(sns: Any) -> None:
    name = unique("t")
    arn = sns.create_topic(Name=name, Attributes={"DisplayName": "Orders"},
                           Tags=[{"Key": "team", "Value": "a"}])["TopicArn"]
    assert arn == f"arn:aws:sns:us-east-1:000000000000:{name}"
    assert sns.create_topic(Name=name)["TopicArn"] == arn
    assert sns.create_topic(Name=name, Attributes={"DisplayName": "Orders"})["TopicArn"] == arn
    assert error_of(sns.create_topic, Name=name, Attributes={"DisplayName": "Other"}) == (
        "InvalidParameter",
        "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
        400,
    )
    assert error_of(sns.create_topic, Name=name, Tags=[{"Key": "team", "Value": "b"}]) == (
        "InvalidParameter",
        "Invalid parameter: Tags Reason: Topic already exists with different tags", 400,
    )


@pytest.mark.parametrize("name", ["has space", "x" * 257, "dotted.name", "", "plain.fifo"])
def test_invalid_standard_names(sns: Any, name: str) -> None:
    assert error_of(sns.create_topic, Name=name)[:2] == (
        "InvalidParameter", "Invalid parameter: Topic Name"
    )


def test_fifo_topics_need_the_suffix(sns: Any) -> None:
    code, message, _ = error_of(sns.create_topic, Name=unique("t"),
                                Attributes={"FifoTopic": "true"})
    assert code == "InvalidParameter"
    assert message.startswith("Invalid parameter: Fifo Topic names must end with .fifo")
    arn = sns.create_topic(Name=unique("t") + ".fifo", Attributes={"FifoTopic": "true"})[
        "TopicArn"]
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert (attributes["FifoTopic"], attributes["ContentBasedDeduplication"]) == ("true", "false")
    sns.set_topic_attributes(TopicArn=arn, AttributeName="ContentBasedDeduplication",
                             AttributeValue="true")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"][
        "ContentBasedDeduplication"] == "true"


def test_default_attributes(sns: Any) -> None:
    arn = sns.create_topic(Name=unique("t"))["TopicArn"]
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attributes["TopicArn"] == arn
    assert attributes["Owner"] == "000000000000"
    assert attributes["DisplayName"] == ""
    assert (attributes["SubscriptionsConfirmed"], attributes["SubscriptionsPending"],
            attributes["SubscriptionsDeleted"]) == ("0", "0", "0")
    assert "FifoTopic" not in attributes
    policy = json.loads(attributes["Policy"])
    [statement] = policy["Statement"]
    assert statement["Resource"] == arn
    assert statement["Condition"] == {"StringEquals": {"AWS:SourceOwner": "000000000000"}}
    assert "SNS:Publish" in statement["Action"]
    effective = json.loads(attributes["EffectiveDeliveryPolicy"])
    assert effective["http"]["defaultHealthyRetryPolicy"]["numRetries"] == 3


def test_set_attributes_and_their_errors(sns: Any) -> None:
    arn = sns.create_topic(Name=unique("t"))["TopicArn"]
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Hi")
    sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="2")
    attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert (attributes["DisplayName"], attributes["SignatureVersion"]) == ("Hi", "2")
    assert error_of(sns.set_topic_attributes, TopicArn=arn, AttributeName="SignatureVersion",
                    AttributeValue="3")[:2] == (
        "InvalidParameter", "Invalid parameter: SignatureVersion")
    assert error_of(sns.set_topic_attributes, TopicArn=arn, AttributeName="Colour",
                    AttributeValue="red")[:2] == (
        "InvalidParameter", "Invalid parameter: AttributeName")
    code, message, _ = error_of(sns.set_topic_attributes, TopicArn=arn,
                                AttributeName="ContentBasedDeduplication", AttributeValue="true")
    assert code == "InvalidParameter" and "ContentBasedDeduplication" in message


def test_a_missing_topic(sns: Any) -> None:
    arn = f"arn:aws:sns:us-east-1:000000000000:{unique('missing')}"
    assert error_of(sns.get_topic_attributes, TopicArn=arn) == (
        "NotFound", "Topic does not exist", 404)
    assert error_of(sns.publish, TopicArn=arn, Message="m") == (
        "NotFound", "Topic does not exist", 404)
    assert error_of(sns.list_tags_for_resource, ResourceArn=arn) == (
        "ResourceNotFound", "Resource does not exist", 404)
    sns.delete_topic(TopicArn=arn)  # idempotent
    code, message, status = error_of(sns.get_topic_attributes, TopicArn="not-an-arn")
    assert (code, status) == ("InvalidParameter", 400) and "TopicArn" in message


def test_delete_removes_the_topic_and_its_subscriptions(sns: Any, sqs: Any) -> None:
    arn = sns.create_topic(Name=unique("t"))["TopicArn"]
    _, queue = new_queue(sqs)
    subscription = subscribe_queue(sns, arn, queue)
    sns.delete_topic(TopicArn=arn)
    assert error_of(sns.get_topic_attributes, TopicArn=arn)[0] == "NotFound"
    assert error_of(sns.get_subscription_attributes, SubscriptionArn=subscription)[0] == "NotFound"
    listed = [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]]
    assert subscription not in listed


def test_list_topics_pages_by_100(server: RunningServer) -> None:
    client = account_client(server, str(random.randrange(10**11, 10**12)))
    arns = [client.create_topic(Name=f"page-{i:03d}")["TopicArn"] for i in range(105)]
    first = client.list_topics()
    assert len(first["Topics"]) == 100 and "NextToken" in first
    second = client.list_topics(NextToken=first["NextToken"])
    assert "NextToken" not in second
    assert [t["TopicArn"] for t in first["Topics"] + second["Topics"]] == arns
    assert error_of(client.list_topics, NextToken="garbage")[0] == "InvalidParameter"


def test_tags(sns: Any) -> None:
    arn = sns.create_topic(Name=unique("t"), Tags=[{"Key": "a", "Value": "1"}])["TopicArn"]
    sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "3"}])
    listed = sns.list_tags_for_resource(ResourceArn=arn)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in listed) == [("a", "3"), ("b", "2")]
    sns.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
    many = [{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    assert error_of(sns.tag_resource, ResourceArn=arn, Tags=many)[0] == "TagLimitExceeded"


def test_permissions_let_another_account_publish(sns: Any, server: RunningServer) -> None:
    arn = sns.create_topic(Name=unique("t"))["TopicArn"]
    other_account = "111122223333"
    other = account_client(server, other_account)
    code, message, status = error_of(other.publish, TopicArn=arn, Message="m")
    assert (code, status) == ("AuthorizationError", 403)
    assert message == (f"User: arn:aws:iam::{other_account}:root is not authorized to perform: "
                       f"SNS:Publish on resource: {arn}")
    sns.add_permission(TopicArn=arn, Label="partners", AWSAccountId=[other_account],
                       ActionName=["Publish"])
    policy = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
    added = [s for s in policy["Statement"] if s.get("Sid") == "partners"]
    assert added == [{"Sid": "partners", "Effect": "Allow",
                      "Principal": {"AWS": f"arn:aws:iam::{other_account}:root"},
                      "Action": "SNS:Publish", "Resource": arn}]
    assert other.publish(TopicArn=arn, Message="m")["MessageId"]
    assert error_of(sns.add_permission, TopicArn=arn, Label="partners",
                    AWSAccountId=[other_account], ActionName=["Publish"])[0] == "InvalidParameter"
    sns.remove_permission(TopicArn=arn, Label="partners")
    assert error_of(other.publish, TopicArn=arn, Message="m")[0] == "AuthorizationError"


def test_unsupported_operations_say_so(sns: Any) -> None:
    code, message, status = error_of(sns.list_platform_applications)
    assert (code, status) == ("InvalidAction", 400)
    assert "not supported by Kyu" in message
    code, _, _ = error_of(sns.publish, PhoneNumber="+12065550100", Message="m")
    assert code == "InvalidParameter"
