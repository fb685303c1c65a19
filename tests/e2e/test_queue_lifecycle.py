"""Lifecycle of standard queues: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue.

Every test runs over both SQS protocols (JSON 1.0 and query/XML). Expected behaviour comes from the
Amazon SQS API Reference (CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue) and the
error shapes of AWS's published query model (codes and HTTP statuses).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.e2e.conftest import make_client
from tests.support.server import RunningServer

ACCOUNT = "000000000000"
REGION = "us-east-1"
NAME_RULES = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"

# (attribute, minimum, maximum) from the CreateQueue API reference.
BOUNDS = [
    ("DelaySeconds", 0, 900),
    ("MaximumMessageSize", 1024, 1048576),
    ("MessageRetentionPeriod", 60, 1209600),
    ("ReceiveMessageWaitTimeSeconds", 0, 20),
    ("VisibilityTimeout", 0, 43200),
]


def unique(prefix: str = "q") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def expected_url(server: RunningServer, name: str) -> str:
    return f"{server.endpoint}/{ACCOUNT}/{name}"


def assert_error(error: ClientError, code: str, status: int = 400) -> None:
    assert error.response["Error"]["Code"] == code, error.response
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == status, error.response


def attributes(sqs: Any, url: str, *names: str) -> dict[str, str]:
    reply = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names or ["All"]))
    return dict(reply.get("Attributes", {}))


# --- CreateQueue -------------------------------------------------------------------------------


def test_create_queue_returns_the_queue_url(sqs: Any, server: RunningServer) -> None:
    name = unique()
    reply = sqs.create_queue(QueueName=name)
    assert reply["QueueUrl"] == expected_url(server, name)
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == reply["QueueUrl"]


def test_create_queue_with_attributes_stores_them(sqs: Any) -> None:
    name = unique()
    url = sqs.create_queue(
        QueueName=name,
        Attributes={
            "VisibilityTimeout": "45",
            "DelaySeconds": "5",
            "MaximumMessageSize": "2048",
            "MessageRetentionPeriod": "7200",
            "ReceiveMessageWaitTimeSeconds": "3",
        },
    )["QueueUrl"]
    got = attributes(sqs, url)
    assert got["VisibilityTimeout"] == "45"
    assert got["DelaySeconds"] == "5"
    assert got["MaximumMessageSize"] == "2048"
    assert got["MessageRetentionPeriod"] == "7200"
    assert got["ReceiveMessageWaitTimeSeconds"] == "3"
    assert got["QueueArn"] == f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def test_create_queue_is_idempotent_with_equal_attributes(sqs: Any) -> None:
    name = unique()
    attrs = {"VisibilityTimeout": "60", "DelaySeconds": "2"}
    first = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    second = sqs.create_queue(QueueName=name, Attributes=dict(attrs))["QueueUrl"]
    assert first == second
    assert attributes(sqs, first, "VisibilityTimeout")["VisibilityTimeout"] == "60"


def test_create_queue_without_attributes_twice_returns_same_url(sqs: Any) -> None:
    name = unique()
    assert (
        sqs.create_queue(QueueName=name)["QueueUrl"] == sqs.create_queue(QueueName=name)["QueueUrl"]
    )


def test_create_queue_with_a_different_attribute_value_fails(sqs: Any) -> None:
    name = unique()
    sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "60"})
    with pytest.raises(sqs.exceptions.QueueNameExists) as caught:
        sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "61"})
    assert_error(caught.value, "QueueAlreadyExists")
    assert "VisibilityTimeout" in caught.value.response["Error"]["Message"]


def test_create_queue_conflict_names_the_differing_attribute(sqs: Any) -> None:
    # AWS: "A queue already exists with the same name and a different value for attribute
    # DelaySeconds".
    name = unique()
    sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "1", "VisibilityTimeout": "40"})
    with pytest.raises(ClientError) as caught:
        sqs.create_queue(
            QueueName=name, Attributes={"DelaySeconds": "2", "VisibilityTimeout": "40"}
        )
    assert_error(caught.value, "QueueAlreadyExists")
    message = caught.value.response["Error"]["Message"]
    assert "DelaySeconds" in message
    assert "VisibilityTimeout" not in message


def test_create_queue_with_attribute_equal_to_default_matches_a_default_queue(sqs: Any) -> None:
    # QueueNameExists: "returned only if the request includes attributes whose values differ from
    # those of the existing queue" -- an explicit default value does not differ.
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    again = sqs.create_queue(
        QueueName=name, Attributes={"VisibilityTimeout": "30", "DelaySeconds": "0"}
    )["QueueUrl"]
    assert again == url


def test_create_queue_omitting_a_non_default_attribute_matches(sqs: Any) -> None:
    # Attributes left out of the request are not compared (they are not "included" in it).
    name = unique()
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "90"})["QueueUrl"]
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == url
    assert attributes(sqs, url, "VisibilityTimeout")["VisibilityTimeout"] == "90"


def test_create_queue_with_default_value_against_non_default_queue_fails(sqs: Any) -> None:
    name = unique()
    sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "90"})
    with pytest.raises(sqs.exceptions.QueueNameExists) as caught:
        sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "30"})
    assert_error(caught.value, "QueueAlreadyExists")


def test_queue_names_are_case_sensitive(sqs: Any) -> None:
    name = unique("Case")
    upper = sqs.create_queue(QueueName=name.upper())["QueueUrl"]
    lower = sqs.create_queue(QueueName=name.lower(), Attributes={"DelaySeconds": "7"})["QueueUrl"]
    assert upper != lower
    assert attributes(sqs, upper, "DelaySeconds")["DelaySeconds"] == "0"
    assert attributes(sqs, lower, "DelaySeconds")["DelaySeconds"] == "7"


def test_queue_name_of_80_characters_is_accepted(sqs: Any, server: RunningServer) -> None:
    name = ("n80-" + uuid.uuid4().hex * 3)[:80]
    assert len(name) == 80
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == expected_url(server, name)


def test_queue_name_of_81_characters_is_rejected(sqs: Any) -> None:
    name = ("n81-" + uuid.uuid4().hex * 3)[:81]
    with pytest.raises(ClientError) as caught:
        sqs.create_queue(QueueName=name)
    assert_error(caught.value, "InvalidParameterValue")
    assert caught.value.response["Error"]["Message"] == NAME_RULES


def test_queue_name_with_all_allowed_characters(sqs: Any, server: RunningServer) -> None:
    name = f"Az09_-{uuid.uuid4().hex[:8]}"
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == expected_url(server, name)


@pytest.mark.parametrize(
    "bad", ["has space", "dot.ted", "sla/sh", "col:on", "ex!cl", "st*r", "ümlaut", "tab\tbed"]
)
def test_queue_name_with_bad_characters_is_rejected(sqs: Any, bad: str) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.create_queue(QueueName=f"{bad}{uuid.uuid4().hex[:6]}")
    assert_error(caught.value, "InvalidParameterValue")


def test_fifo_suffix_without_fifo_attribute_is_rejected(sqs: Any) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.create_queue(QueueName=f"{unique()}.fifo")
    assert_error(caught.value, "InvalidParameterValue")
    assert caught.value.response["Error"]["Message"] == NAME_RULES


def test_fifo_attribute_without_fifo_suffix_is_rejected(sqs: Any) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.create_queue(QueueName=unique(), Attributes={"FifoQueue": "true"})
    assert_error(caught.value, "InvalidParameterValue")
    assert ".fifo" in caught.value.response["Error"]["Message"]


def test_fifo_name_with_fifo_attribute_is_accepted(sqs: Any, server: RunningServer) -> None:
    name = f"{unique()}.fifo"
    url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    assert url == expected_url(server, name)
    assert attributes(sqs, url, "FifoQueue")["FifoQueue"] == "true"


def test_fifo_name_counts_the_suffix_in_80_characters(sqs: Any) -> None:
    ok = ("f80-" + uuid.uuid4().hex * 3)[:75] + ".fifo"
    assert len(ok) == 80
    sqs.create_queue(QueueName=ok, Attributes={"FifoQueue": "true"})
    too_long = ("f81-" + uuid.uuid4().hex * 3)[:76] + ".fifo"
    with pytest.raises(ClientError) as caught:
        sqs.create_queue(QueueName=too_long, Attributes={"FifoQueue": "true"})
    assert_error(caught.value, "InvalidParameterValue")


def test_fifo_queue_false_on_a_standard_queue_is_an_unknown_attribute(sqs: Any) -> None:
    # AWS answers FifoQueue=false on a standard queue name with "Unknown Attribute FifoQueue."
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as caught:
        sqs.create_queue(QueueName=unique(), Attributes={"FifoQueue": "false"})
    assert_error(caught.value, "InvalidAttributeName")


def test_create_queue_with_unknown_attribute_is_rejected(sqs: Any) -> None:
    with pytest.raises(sqs.exceptions.InvalidAttributeName) as caught:
        sqs.create_queue(QueueName=unique(), Attributes={"NoSuchAttribute": "1"})
    assert_error(caught.value, "InvalidAttributeName")
    assert "NoSuchAttribute" in caught.value.response["Error"]["Message"]


@pytest.mark.parametrize(("attribute", "low", "high"), BOUNDS)
def test_attribute_at_its_bounds_is_accepted(sqs: Any, attribute: str, low: int, high: int) -> None:
    for value in (low, high):
        url = sqs.create_queue(QueueName=unique(), Attributes={attribute: str(value)})["QueueUrl"]
        assert attributes(sqs, url, attribute)[attribute] == str(value)


@pytest.mark.parametrize(("attribute", "low", "high"), BOUNDS)
@pytest.mark.parametrize("side", ["below", "above"])
def test_attribute_past_its_bounds_is_rejected(
    sqs: Any, attribute: str, low: int, high: int, side: str
) -> None:
    value = low - 1 if side == "below" else high + 1
    name = unique()
    with pytest.raises(ClientError) as caught:
        sqs.create_queue(QueueName=name, Attributes={attribute: str(value)})
    assert_error(caught.value, "InvalidAttributeValue")
    assert (
        f"Invalid value for the parameter {attribute}" in caught.value.response["Error"]["Message"]
    )
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.get_queue_url(QueueName=name)


@pytest.mark.parametrize("value", ["abc", "1.5", "10s", " "])
def test_non_integer_attribute_value_is_rejected(sqs: Any, value: str) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.create_queue(QueueName=unique(), Attributes={"VisibilityTimeout": value})
    assert_error(caught.value, "InvalidAttributeValue")


def test_create_queue_with_tags(sqs: Any) -> None:
    url = sqs.create_queue(QueueName=unique(), tags={"team": "orders", "env": "test", "empty": ""})[
        "QueueUrl"
    ]
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {
        "team": "orders",
        "env": "test",
        "empty": "",
    }


def test_queues_are_region_scoped(sqs: Any, server: RunningServer, protocol: str) -> None:
    west = make_client("sqs", server.endpoint, protocol, region_name="us-west-2")
    name = unique()
    east_url = sqs.create_queue(QueueName=name, Attributes={"DelaySeconds": "1"})["QueueUrl"]
    with pytest.raises(west.exceptions.QueueDoesNotExist):
        west.get_queue_url(QueueName=name)
    # The same name with other attributes is a different queue in another region.
    west_url = west.create_queue(QueueName=name, Attributes={"DelaySeconds": "9"})["QueueUrl"]
    assert attributes(west, west_url, "QueueArn")["QueueArn"] == (
        f"arn:aws:sqs:us-west-2:{ACCOUNT}:{name}"
    )
    assert attributes(west, west_url, "DelaySeconds")["DelaySeconds"] == "9"
    assert attributes(sqs, east_url, "DelaySeconds")["DelaySeconds"] == "1"
    assert (
        attributes(sqs, east_url, "QueueArn")["QueueArn"]
        == f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"
    )
    east_only = unique()
    sqs.create_queue(QueueName=east_only)
    assert west.list_queues(QueueNamePrefix=east_only).get("QueueUrls", []) == []


# --- GetQueueUrl -------------------------------------------------------------------------------


def test_get_queue_url_finds_the_queue(sqs: Any, queue_name: str, queue_url: str) -> None:
    reply = sqs.get_queue_url(QueueName=queue_name)
    assert reply["QueueUrl"] == queue_url
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_get_queue_url_of_missing_queue(sqs: Any) -> None:
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as caught:
        sqs.get_queue_url(QueueName=unique("missing"))
    assert_error(caught.value, "AWS.SimpleQueueService.NonExistentQueue")


def test_get_queue_url_is_case_sensitive(sqs: Any) -> None:
    name = unique("lower")
    sqs.create_queue(QueueName=name)
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.get_queue_url(QueueName=name.upper())


def test_get_queue_url_with_owner_account(sqs: Any, queue_name: str, queue_url: str) -> None:
    reply = sqs.get_queue_url(QueueName=queue_name, QueueOwnerAWSAccountId=ACCOUNT)
    assert reply["QueueUrl"] == queue_url


def test_get_queue_url_with_other_owner_account(sqs: Any, queue_name: str, queue_url: str) -> None:
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as caught:
        sqs.get_queue_url(QueueName=queue_name, QueueOwnerAWSAccountId="111122223333")
    assert_error(caught.value, "AWS.SimpleQueueService.NonExistentQueue")


# --- ListQueues --------------------------------------------------------------------------------


def make_queues(sqs: Any, prefix: str, count: int) -> list[str]:
    return [sqs.create_queue(QueueName=f"{prefix}-{i:02d}")["QueueUrl"] for i in range(count)]


def test_list_queues_includes_created_queues(sqs: Any) -> None:
    urls = make_queues(sqs, unique("all"), 2)
    listed = sqs.list_queues()
    assert set(urls) <= set(listed["QueueUrls"])
    assert len(listed["QueueUrls"]) <= 1000
    assert "NextToken" not in listed


def test_list_queues_with_prefix(sqs: Any) -> None:
    prefix = unique("pfx")
    urls = make_queues(sqs, prefix, 3)
    sqs.create_queue(QueueName=f"other{prefix}")
    listed = sqs.list_queues(QueueNamePrefix=prefix)
    assert sorted(listed["QueueUrls"]) == sorted(urls)
    assert "NextToken" not in listed


def test_list_queues_prefix_is_case_sensitive(sqs: Any) -> None:
    prefix = unique("lowpfx")
    make_queues(sqs, prefix, 1)
    assert sqs.list_queues(QueueNamePrefix=prefix.upper()).get("QueueUrls", []) == []


def test_list_queues_prefix_without_match_is_empty(sqs: Any) -> None:
    reply = sqs.list_queues(QueueNamePrefix=unique("nomatch"))
    assert reply.get("QueueUrls", []) == []
    assert "NextToken" not in reply


def test_list_queues_max_results_paginates_the_full_list(sqs: Any) -> None:
    prefix = unique("page")
    urls = make_queues(sqs, prefix, 7)
    seen: list[str] = []
    pages = []
    token = None
    while True:
        kwargs: dict[str, Any] = {"QueueNamePrefix": prefix, "MaxResults": 2}
        if token:
            kwargs["NextToken"] = token
        reply = sqs.list_queues(**kwargs)
        pages.append(len(reply.get("QueueUrls", [])))
        seen.extend(reply.get("QueueUrls", []))
        token = reply.get("NextToken")
        if not token:
            break
        assert len(pages) < 10, "pagination does not end"
    assert pages == [2, 2, 2, 1]
    assert len(seen) == len(set(seen))
    assert sorted(seen) == sorted(urls)


def test_list_queues_max_results_one(sqs: Any) -> None:
    prefix = unique("one")
    urls = make_queues(sqs, prefix, 2)
    first = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=1)
    assert len(first["QueueUrls"]) == 1
    assert first["NextToken"]
    second = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=1, NextToken=first["NextToken"])
    assert len(second["QueueUrls"]) == 1
    assert sorted(first["QueueUrls"] + second["QueueUrls"]) == sorted(urls)


def test_list_queues_max_results_larger_than_the_list(sqs: Any) -> None:
    prefix = unique("big")
    urls = make_queues(sqs, prefix, 3)
    reply = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=1000)
    assert sorted(reply["QueueUrls"]) == sorted(urls)
    assert "NextToken" not in reply


def test_list_queues_paginator_walks_everything(sqs: Any) -> None:
    prefix = unique("pgr")
    urls = make_queues(sqs, prefix, 5)
    paginator = sqs.get_paginator("list_queues")
    seen = [
        url
        for page in paginator.paginate(QueueNamePrefix=prefix, PaginationConfig={"PageSize": 2})
        for url in page.get("QueueUrls", [])
    ]
    assert sorted(seen) == sorted(urls)


def test_list_queues_next_token_without_max_results_continues(sqs: Any) -> None:
    # Without MaxResults a response holds up to 1,000 queues and never a NextToken; a NextToken
    # passed without MaxResults still continues after the page it came from.
    prefix = unique("cont")
    urls = make_queues(sqs, prefix, 5)
    first = sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
    rest = sqs.list_queues(QueueNamePrefix=prefix, NextToken=first["NextToken"])
    assert "NextToken" not in rest
    assert sorted(first["QueueUrls"] + rest["QueueUrls"]) == sorted(urls)
    assert not set(first["QueueUrls"]) & set(rest["QueueUrls"])


@pytest.mark.parametrize("value", [0, -1, 1001])
def test_list_queues_max_results_out_of_range(sqs: Any, value: int) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.list_queues(MaxResults=value)
    assert_error(caught.value, "InvalidParameterValue")


def test_list_queues_with_invalid_next_token(sqs: Any) -> None:
    with pytest.raises(ClientError) as caught:
        sqs.list_queues(MaxResults=5, NextToken="this is not a token")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


# --- DeleteQueue -------------------------------------------------------------------------------


def test_delete_queue_then_it_does_not_exist(sqs: Any, queue_name: str, queue_url: str) -> None:
    reply = sqs.delete_queue(QueueUrl=queue_url)
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as caught:
        sqs.get_queue_url(QueueName=queue_name)
    assert_error(caught.value, "AWS.SimpleQueueService.NonExistentQueue")
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.send_message(QueueUrl=queue_url, MessageBody="late")
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])
    with pytest.raises(sqs.exceptions.QueueDoesNotExist):
        sqs.receive_message(QueueUrl=queue_url)
    assert queue_url not in sqs.list_queues(QueueNamePrefix=queue_name).get("QueueUrls", [])


def test_delete_queue_removes_its_messages(sqs: Any, server: RunningServer) -> None:
    name = unique("del")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="gone")
    sqs.delete_queue(QueueUrl=url)
    server.advance_clock(61)
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []
    assert attributes(sqs, url, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"] == "0"


def test_delete_missing_queue(sqs: Any, server: RunningServer) -> None:
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as caught:
        sqs.delete_queue(QueueUrl=expected_url(server, unique("missing")))
    assert_error(caught.value, "AWS.SimpleQueueService.NonExistentQueue")


def test_recreate_within_60_seconds_is_refused(sqs: Any, queue_name: str, queue_url: str) -> None:
    sqs.delete_queue(QueueUrl=queue_url)
    with pytest.raises(sqs.exceptions.QueueDeletedRecently) as caught:
        sqs.create_queue(QueueName=queue_name)
    assert_error(caught.value, "AWS.SimpleQueueService.QueueDeletedRecently")


def test_recreate_after_60_seconds_is_allowed(
    sqs: Any, server: RunningServer, queue_name: str
) -> None:
    url = sqs.create_queue(QueueName=queue_name, Attributes={"VisibilityTimeout": "77"})["QueueUrl"]
    sqs.delete_queue(QueueUrl=url)
    server.advance_clock(61)
    again = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
    assert again == url
    # A brand-new queue: defaults again, not the deleted queue's attributes.
    assert attributes(sqs, again, "VisibilityTimeout")["VisibilityTimeout"] == "30"


# --- PurgeQueue --------------------------------------------------------------------------------


def test_purge_queue_empties_the_queue(sqs: Any, queue_url: str) -> None:
    for i in range(3):
        sqs.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")
    received = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1)["Messages"]
    assert len(received) == 1
    reply = sqs.purge_queue(QueueUrl=queue_url)
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    got = attributes(
        sqs,
        queue_url,
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    )
    assert got == {
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
    }
    assert sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []) == []


def test_purge_removes_delayed_messages(sqs: Any, server: RunningServer, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="later", DelaySeconds=5)
    sqs.purge_queue(QueueUrl=queue_url)
    server.advance_clock(6)
    assert sqs.receive_message(QueueUrl=queue_url).get("Messages", []) == []


def test_second_purge_within_60_seconds_fails(sqs: Any, queue_name: str, queue_url: str) -> None:
    sqs.purge_queue(QueueUrl=queue_url)
    with pytest.raises(sqs.exceptions.PurgeQueueInProgress) as caught:
        sqs.purge_queue(QueueUrl=queue_url)
    assert_error(caught.value, "AWS.SimpleQueueService.PurgeQueueInProgress", 403)
    assert caught.value.response["Error"]["Message"] == (
        f"Only one PurgeQueue operation on {queue_name} is allowed every 60 seconds."
    )


def test_purge_is_allowed_again_after_60_seconds(
    sqs: Any, server: RunningServer, queue_url: str
) -> None:
    sqs.purge_queue(QueueUrl=queue_url)
    server.advance_clock(61)
    sqs.send_message(QueueUrl=queue_url, MessageBody="again")
    assert sqs.purge_queue(QueueUrl=queue_url)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert sqs.receive_message(QueueUrl=queue_url).get("Messages", []) == []


def test_purge_cooldown_is_per_queue(sqs: Any) -> None:
    first = sqs.create_queue(QueueName=unique("p1"))["QueueUrl"]
    second = sqs.create_queue(QueueName=unique("p2"))["QueueUrl"]
    sqs.purge_queue(QueueUrl=first)
    assert sqs.purge_queue(QueueUrl=second)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_purge_missing_queue(sqs: Any, server: RunningServer) -> None:
    with pytest.raises(sqs.exceptions.QueueDoesNotExist) as caught:
        sqs.purge_queue(QueueUrl=expected_url(server, unique("missing")))
    assert_error(caught.value, "AWS.SimpleQueueService.NonExistentQueue")


def test_queue_keeps_working_after_purge(sqs: Any, server: RunningServer, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="before")
    sqs.purge_queue(QueueUrl=queue_url)
    # AWS: messages sent right after a purge may be deleted while the purge runs (up to 60 s).
    server.advance_clock(61)
    sqs.send_message(QueueUrl=queue_url, MessageBody="after")
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in messages] == ["after"]
