"""Pure STS rules: AssumeRole's parameter constraints, role ARNs, and the identifiers AWS hands
out (formats from the STS API reference; values are random or derived, never real)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import string
from dataclasses import dataclass

from emulator.errors import AwsError

MIN_DURATION_SECONDS = 900
MAX_DURATION_SECONDS = 43_200
DEFAULT_DURATION_SECONDS = 3_600

_ROLE_ARN = re.compile(
    r"arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::(\d{12}):"
    r"role/((?:[\w+=,.@-]+/)*)([\w+=,.@-]{1,64})",
    re.ASCII,
)
_SESSION_NAME = re.compile(r"[\w+=,.@-]*", re.ASCII)
_EXTERNAL_ID = re.compile(r"[\w+=,.@:\/-]*", re.ASCII)
_ID_ALPHABET = string.ascii_uppercase + string.digits


@dataclass(frozen=True)
class RoleArn:
    partition: str
    account_id: str
    name: str  # the last part of the role's path

    def assumed_role_arn(self, session_name: str) -> str:
        return (f"arn:{self.partition}:sts::{self.account_id}:"
                f"assumed-role/{self.name}/{session_name}")


def validation_error(problems: list[str]) -> AwsError:
    count = len(problems)
    noun = "error" if count == 1 else "errors"
    return AwsError("ValidationError", f"{count} validation {noun} detected: {'; '.join(problems)}")


def _problem(value: object, member: str, constraint: str) -> str:
    return f"Value '{value}' at '{member}' failed to satisfy constraint: Member must {constraint}"


def check_text(
    problems: list[str], value: str | None, member: str, low: int, high: int,
    pattern: re.Pattern[str] | None = None,
) -> None:
    """Collect AWS's validation messages for one text member (AWS reports them all at once)."""
    if value is None:
        return
    if pattern is not None and not pattern.fullmatch(value):
        problems.append(_problem(value, member, f"satisfy regular expression pattern: "
                                                f"{pattern.pattern}"))
    if len(value) < low:
        problems.append(_problem(value, member, f"have length greater than or equal to {low}"))
    if len(value) > high:
        problems.append(_problem(value, member, f"have length less than or equal to {high}"))


def check_assume_role(
    role_arn: str, session_name: str, duration: int | None, external_id: str | None
) -> RoleArn:
    """Validate AssumeRole's parameters like AWS does; returns the parsed role ARN."""
    problems: list[str] = []
    check_text(problems, role_arn, "roleArn", 20, 2048)
    check_text(problems, session_name, "roleSessionName", 2, 64, _SESSION_NAME)
    if duration is not None and duration < MIN_DURATION_SECONDS:
        problems.append(_problem(duration, "durationSeconds",
                                 f"have value greater than or equal to {MIN_DURATION_SECONDS}"))
    if duration is not None and duration > MAX_DURATION_SECONDS:
        problems.append(_problem(duration, "durationSeconds",
                                 f"have value less than or equal to {MAX_DURATION_SECONDS}"))
    check_text(problems, external_id, "externalId", 2, 1224, _EXTERNAL_ID)
    if problems:
        raise validation_error(problems)
    match = _ROLE_ARN.fullmatch(role_arn)
    if match is None:
        raise AwsError("ValidationError", "Request ARN is invalid")
    return RoleArn(match.group(1), match.group(2), match.group(4))


def _random_id(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(length - len(prefix)))


def temporary_access_key_id() -> str:
    """Temporary credentials' access key ids start with ASIA (long-term ones with AKIA)."""
    return _random_id("ASIA", 20)


def secret_access_key() -> str:
    return base64.b64encode(secrets.token_bytes(30)).decode("ascii")


def session_token() -> str:
    return base64.b64encode(secrets.token_bytes(264)).decode("ascii")


def role_id(role_arn: str) -> str:
    """A role's unique id (AROA...): stable for one role ARN, as AWS's is for one role."""
    digest = hashlib.sha256(role_arn.encode()).digest()
    return "AROA" + "".join(_ID_ALPHABET[b % len(_ID_ALPHABET)] for b in digest[:17])
