"""SNS subscription filter policies: parse and validate a FilterPolicy, match messages against it.

The language is AWS's (Amazon SNS developer guide, "Amazon SNS message filtering"): exact string,
number, ``true``/``false``/``null`` values; ``prefix``, ``suffix``, ``equals-ignore-case``,
``anything-but`` (a value, a list, ``{"prefix": ...}``, ``{"suffix": ...}``), ``numeric``
comparisons and ranges, ``exists``, ``cidr``; AND across keys, OR within a key's list and through
``$or``. With ``FilterPolicyScope`` ``MessageAttributes`` the policy is flat and reads the message
attributes; with ``MessageBody`` it may nest and reads the JSON body.

An empty FilterPolicy text removes the policy on AWS: callers handle that before parsing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from emulator.sns.filter_policy_matching import (
    Combination,
    attribute_values,
    body_values,
    evaluate,
)
from emulator.sns.filter_policy_validation import FilterPolicyError, compile_policy

__all__ = [
    "FILTER_POLICY_SCOPES",
    "FilterPolicy",
    "FilterPolicyError",
    "matches",
    "parse_filter_policy",
    "scope_error_message",
]

FILTER_POLICY_SCOPES = ("MessageAttributes", "MessageBody")


def scope_error_message(value: str) -> str:
    """AWS's InvalidParameter message for a FilterPolicyScope outside FILTER_POLICY_SCOPES."""
    return (
        f"Invalid parameter: FilterPolicyScope: Invalid value [{value}]. "
        "Please use either MessageBody or MessageAttributes"
    )


@dataclass(frozen=True)
class FilterPolicy:
    scope: str
    # The policy as alternatives ($or expanded), each a conjunction of (path, matchers) conditions.
    combinations: tuple[Combination, ...]


def parse_filter_policy(text: str, scope: str = "MessageAttributes") -> FilterPolicy:
    """Validate a FilterPolicy for its FilterPolicyScope; raise FilterPolicyError as AWS would."""
    if scope not in FILTER_POLICY_SCOPES:
        raise ValueError(f"unknown filter policy scope: {scope}")
    return FilterPolicy(scope, compile_policy(text, scope))


def matches(policy: FilterPolicy, *, attributes: Mapping[str, tuple[str, str]], body: str) -> bool:
    """Whether a message passes the policy.

    ``attributes`` maps each message attribute name to (DataType, StringValue); Binary attributes
    are ignored. A MessageBody policy never passes a body that is not a JSON object, and (as AWS
    documents for ``"exists": false``) a message with no attributes never passes a
    MessageAttributes policy.
    """
    if policy.scope == "MessageBody":
        values = body_values(body)
        return values is not None and evaluate(policy.combinations, values)
    if not attributes:
        return False
    return evaluate(policy.combinations, attribute_values(attributes))
