"""Pure STS rules: AssumeRole's constraints and messages, role ARNs, identifier formats."""

from __future__ import annotations

import re

import pytest

from emulator.errors import AwsError
from emulator.sts import rules

ROLE = "arn:aws:iam::123456789012:role/Worker"


@pytest.mark.parametrize(
    ("arn", "partition", "account", "name"),
    [
        (ROLE, "aws", "123456789012", "Worker"),
        ("arn:aws:iam::123456789012:role/team/app/Reader", "aws", "123456789012", "Reader"),
        ("arn:aws-cn:iam::123456789012:role/x+=,.@-_", "aws-cn", "123456789012", "x+=,.@-_"),
    ],
)
def test_role_arns_parse(arn: str, partition: str, account: str, name: str) -> None:
    role = rules.check_assume_role(arn, "session", None, None)
    assert (role.partition, role.account_id, role.name) == (partition, account, name)
    assert role.assumed_role_arn("s1") == f"arn:{partition}:sts::{account}:assumed-role/{name}/s1"


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::123456789012:user/Worker",
        "arn:aws:iam:us-east-1:123456789012:role/Worker",
        "arn:aws:iam::12345678901:role/Worker",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:sqs:us-east-1:123456789012:queue",
    ],
)
def test_other_arns_are_invalid(arn: str) -> None:
    with pytest.raises(AwsError) as caught:
        rules.check_assume_role(arn, "session", None, None)
    assert caught.value.code == "ValidationError"
    assert caught.value.message == "Request ARN is invalid"


@pytest.mark.parametrize(
    ("session", "duration", "external_id", "problems"),
    [
        ("a", None, None, ["Value 'a' at 'roleSessionName' failed to satisfy constraint: Member "
                           "must have length greater than or equal to 2"]),
        ("a b", None, None, ["Value 'a b' at 'roleSessionName' failed to satisfy constraint: "
                             "Member must satisfy regular expression pattern: [\\w+=,.@-]*"]),
        ("ok", 899, None, ["Value '899' at 'durationSeconds' failed to satisfy constraint: "
                           "Member must have value greater than or equal to 900"]),
        ("ok", 43201, None, ["Value '43201' at 'durationSeconds' failed to satisfy constraint: "
                             "Member must have value less than or equal to 43200"]),
        ("ok", None, "x", ["Value 'x' at 'externalId' failed to satisfy constraint: Member must "
                           "have length greater than or equal to 2"]),
        ("é", 1, None, [
            "Value 'é' at 'roleSessionName' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [\\w+=,.@-]*",
            "Value 'é' at 'roleSessionName' failed to satisfy constraint: Member must have "
            "length greater than or equal to 2",
            "Value '1' at 'durationSeconds' failed to satisfy constraint: Member must have "
            "value greater than or equal to 900",
        ]),
    ],
)
def test_constraints_are_reported_like_aws(
    session: str, duration: int | None, external_id: str | None, problems: list[str]
) -> None:
    with pytest.raises(AwsError) as caught:
        rules.check_assume_role(ROLE, session, duration, external_id)
    count = len(problems)
    expected = (f"{count} validation {'error' if count == 1 else 'errors'} detected: "
                + "; ".join(problems))
    assert (caught.value.code, caught.value.status, caught.value.message) == (
        "ValidationError", 400, expected
    )


@pytest.mark.parametrize("duration", [900, 3600, 43200, None])
def test_durations_in_range_pass(duration: int | None) -> None:
    assert rules.check_assume_role(ROLE, "a" * 64, duration, "ext:id/1").name == "Worker"


def test_identifier_formats() -> None:
    assert re.fullmatch(r"ASIA[A-Z0-9]{16}", rules.temporary_access_key_id())
    assert rules.temporary_access_key_id() != rules.temporary_access_key_id()
    assert len(rules.secret_access_key()) == 40
    assert rules.role_id(ROLE) == rules.role_id(ROLE)
    assert re.fullmatch(r"AROA[A-Z0-9]{17}", rules.role_id(ROLE))
    assert rules.role_id(ROLE) != rules.role_id(ROLE + "2")
