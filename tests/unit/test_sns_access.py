"""Which accounts a topic policy admits, and NextToken paging."""

from __future__ import annotations

import json

import pytest

from emulator.errors import AwsError
from emulator.sns import paging
from emulator.sns.access import policy_allows
from emulator.sns.topic_rules import default_policy


def policy(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_the_default_policy_admits_no_other_account() -> None:
    assert not policy_allows(default_policy("arn:aws:sns:us-east-1:1:t", "1"), "2", "Publish")


def test_allow_statements_name_an_account_and_an_action() -> None:
    grant = {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::222233334444:root"]},
             "Action": ["SNS:Publish"], "Resource": "*"}
    assert policy_allows(policy(grant), "222233334444", "Publish")
    assert not policy_allows(policy(grant), "222233334444", "Subscribe")
    assert not policy_allows(policy(grant), "999999999999", "Publish")
    everyone = {"Effect": "Allow", "Principal": "*", "Action": "sns:*"}
    assert policy_allows(policy(everyone), "999999999999", "Subscribe")
    deny = {"Effect": "Deny", "Principal": "*", "Action": "SNS:Publish"}
    assert not policy_allows(policy(everyone, deny), "999999999999", "Publish")
    assert not policy_allows("not json", "999999999999", "Publish")
    assert not policy_allows(None, "999999999999", "Publish")


def test_paging() -> None:
    items = list(range(7))
    first, token = paging.page(items, None, 3)
    assert first == [0, 1, 2] and token is not None
    second, token = paging.page(items, token, 3)
    third, last = paging.page(items, token, 3)
    assert (second, third, last) == ([3, 4, 5], [6], None)
    assert paging.page(items, None, 7) == (items, None)
    with pytest.raises(AwsError, match="NextToken"):
        paging.page(items, "bogus", 3)
