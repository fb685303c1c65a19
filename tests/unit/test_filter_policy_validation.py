"""Filter policy validation: AWS's error texts, the parser position AWS appends, and the limits.

The ``AWS_RECORDED`` table holds policies whose rejection was recorded against AWS (message and
column); the other tables cover the rest of the language's checks.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.sns.filter_policy import (
    FilterPolicyError,
    parse_filter_policy,
    scope_error_message,
)


def rejection(policy: Any, scope: str = "MessageAttributes") -> FilterPolicyError:
    text = policy if isinstance(policy, str) else json.dumps(policy)
    with pytest.raises(FilterPolicyError) as caught:
        parse_filter_policy(text, scope)
    return caught.value


def location(policy: Any, column: int) -> str:
    compact = json.dumps(policy, separators=(",", ":"))
    return f'\n at [Source: (String)"{compact}"; line: 1, column: {column}]'


AWS_RECORDED: list[tuple[Any, str, int]] = [
    ({"key": [["value"]]}, "Match value must be String, number, true, false, or null", 10),
    ({"key": [{"wrong-operator": True}]}, "Unrecognized match type wrong-operator", 31),
    (
        {"key": [{"suffix": "value", "prefix": "value2"}]},
        "Only one key allowed in match expression",
        37,
    ),
    ({"key": [{"suffix": 100}]}, "suffix match pattern must be a string", 22),
    ({"key": [{"suffix": None}]}, "suffix match pattern must be a string", 23),
    ({"key": {"suffix": "value"}}, '"suffix" must be an object or an array', 19),
    ({"key": [{"suffix": []}]}, "suffix match pattern must be a string", 20),
    ({"key": [{"suffix": ["test", "test2"]}]}, "suffix match pattern must be a string", 20),
    ({"key": {"suffix": "value", "prefix": "value"}}, '"suffix" must be an object or an array', 19),
    ({"key": {"not-an-operator": "value"}}, '"not-an-operator" must be an object or an array', 28),
    ({"key_a": "value_one"}, '"key_a" must be an object or an array', 11),
    ({"key": [{"numeric": []}]}, "Invalid member in numeric match: ]", 22),
    ({"key": [{"numeric": ["operator"]}]}, "Unrecognized numeric range operator: operator", 32),
    ({"key": [{"numeric": [1, "<="]}]}, "Invalid member in numeric match: 1", 22),
    ({"key": [{"numeric": ["=", "000"]}]}, "Value of equals must be numeric", 26),
    ({"key": [{"numeric": [">="]}]}, "Value of >= must be numeric", 26),
    ({"key": [{"numeric": ["<", 100, ">", 10]}]}, "Too many elements in numeric expression", 30),
    ({"key": [{"numeric": [">=", 1, ">", 2]}]}, "Bad numeric range operator: >", 31),
    ({"key": [{"numeric": [">", 3, "<", 1]}]}, "Bottom must be less than top", 33),
    ({"key": [{"numeric": [">", 20, "<="]}]}, "Value of <= must be numeric", 33),
    ({"key": [{"numeric": [">", 20, 30]}]}, "Bad value in numeric range: 30", 30),
    ({"key": [{"numeric": [">", 20, "test"]}]}, "Bad numeric range operator: test", 34),
    ({"key": [{"numeric": [">", "20", "<", "30"]}]}, "Value of > must be numeric", 26),
    ({"key": [{"numeric": [">", 20, "<", "30"]}]}, "Value of < must be numeric", 33),
    (
        {"key": [{"numeric": [">", 20, "<", 30, "<", 50]}]},
        "Too many terms in numeric range expression",
        36,
    ),
    ({"key": [{"exists": None}]}, "exists match pattern must be either true or false.", 23),
    ({"key": [{"exists": "no"}]}, "exists match pattern must be either true or false.", 20),
    (
        {"key": [{"anything-but": {"wrong-operator": None}}]},
        "Unsupported anything-but pattern: wrong-operator",
        47,
    ),
    (
        {"key": [{"anything-but": {"exists": False}}]},
        "Unsupported anything-but pattern: exists",
        40,
    ),
    (
        {"key": [{"anything-but": {"prefix": False}}]},
        "prefix match pattern must be a string",
        40,
    ),
]


@pytest.mark.parametrize(("policy", "message", "column"), AWS_RECORDED)
def test_aws_recorded_rejections(policy: Any, message: str, column: int) -> None:
    error = rejection(policy)
    assert (error.message, error.location) == (message, location(policy, column))


@pytest.mark.parametrize(("policy", "message", "column"), AWS_RECORDED)
def test_compiler_errors_do_not_depend_on_scope(policy: Any, message: str, column: int) -> None:
    error = rejection(policy, "MessageBody")
    assert (error.message, error.location) == (message, location(policy, column))


# The position is taken on the compact re-serialization, whatever spacing the caller sent.
def test_position_is_counted_on_the_compact_policy() -> None:
    spaced = '{ "key" :   [ [ "value" ] ] }'
    error = rejection(spaced)
    assert error.location == location({"key": [["value"]]}, 10)


def test_long_policies_are_truncated_in_the_position_like_jackson() -> None:
    policy = {"a" * 600: [{"wrong": 1}]}
    error = rejection(policy)
    compact = json.dumps(policy, separators=(",", ":"))
    hidden = len(compact) - 500
    assert error.location == (
        f'\n at [Source: (String)"{compact[:500]}"[truncated {hidden} chars]; '
        f"line: 1, column: {len(compact) - 2}]"
    )


OTHER_COMPILER_ERRORS: list[tuple[Any, str]] = [
    ({"key": []}, "Empty arrays are not allowed"),
    ({"key": {}}, "Empty objects are not allowed"),
    ({"key": [{}]}, "Match expression name not found"),
    ({"key": ["a", ["b"]]}, "Match value must be String, number, true, false, or null"),
    ({"key": [{"prefix": 1}]}, "prefix match pattern must be a string"),
    ({"key": [{"prefix": ["a"]}]}, "prefix match pattern must be a string"),
    ({"key": [{"equals-ignore-case": 5}]}, "equals-ignore-case match pattern must be a string"),
    ({"key": [{"equals-ignore-case": None}]}, "equals-ignore-case match pattern must be a string"),
    ({"key": [{"numeric": 5}]}, "Value of numeric must be an array."),
    ({"key": [{"numeric": ">"}]}, "Value of numeric must be an array."),
    ({"key": [{"numeric": [True]}]}, "Invalid member in numeric match: true"),
    ({"key": [{"numeric": [["<"]]}]}, "Invalid member in numeric match: ["),
    ({"key": [{"numeric": ["=", 1, "<", 2]}]}, "Too many elements in numeric expression"),
    ({"key": [{"numeric": ["<=", 1, 2]}]}, "Too many elements in numeric expression"),
    ({"key": [{"numeric": [">", 5, "<", 5]}]}, "Bottom must be less than top"),
    ({"key": [{"numeric": [">=", 5, "<=", 5]}]}, "Bottom must be less than top"),
    ({"key": [{"numeric": [">", 1, ">", 2]}]}, "Bad numeric range operator: >"),
    ({"key": [{"numeric": [">", 1, True]}]}, "Bad value in numeric range: true"),
    ({"key": [{"numeric": ["==", 1]}]}, "Unrecognized numeric range operator: =="),
    ({"key": [{"numeric": ["=", None]}]}, "Value of equals must be numeric"),
    ({"key": [{"exists": 1}]}, "exists match pattern must be either true or false."),
    ({"key": [{"exists": [True]}]}, "exists match pattern must be either true or false."),
    ({"key": [{"exists": True, "prefix": "a"}]}, "Only one key allowed in match expression"),
    (
        {"key": [{"anything-but": None}]},
        "Value of anything-but must be an array or single string/number value.",
    ),
    (
        {"key": [{"anything-but": True}]},
        "Value of anything-but must be an array or single string/number value.",
    ),
    (
        {"key": [{"anything-but": ["a", None]}]},
        "Inside anything but list, start|null|boolean is not supported.",
    ),
    (
        {"key": [{"anything-but": [["a"]]}]},
        "Inside anything but list, start|null|boolean is not supported.",
    ),
    ({"key": [{"anything-but": {}}]}, "Anything-But expression name not found"),
    ({"key": [{"anything-but": {"prefix": ""}}]}, "Null prefix not allowed"),
    ({"key": [{"anything-but": {"suffix": ""}}]}, "Null suffix not allowed"),
    ({"key": [{"anything-but": {"suffix": 1}}]}, "suffix match pattern must be a string"),
    (
        {"key": [{"anything-but": {"numeric": [">", 1]}}]},
        "Unsupported anything-but pattern: numeric",
    ),
    (
        {"key": [{"anything-but": {"equals-ignore-case": "a"}}]},
        "Unsupported anything-but pattern: equals-ignore-case",
    ),
    (
        {"key": [{"anything-but": {"prefix": "a", "suffix": "b"}}]},
        "Only one key allowed in match expression",
    ),
    ({"key": [{"cidr": 10}]}, "cidr match pattern must be a string"),
    ({"key": [{"cidr": "10.0.0.0"}]}, "Malformed CIDR, one '/' required"),
    ({"key": [{"cidr": "10.0.0.0/8/8"}]}, "Malformed CIDR, one '/' required"),
    ({"key": [{"cidr": "10.0.0.0/x"}]}, "Malformed CIDR, mask bits must be an integer"),
    ({"key": [{"cidr": "10.0.0.0/"}]}, "Malformed CIDR, mask bits must be an integer"),
    ({"key": [{"cidr": "10.0.0/24"}]}, "Nonstandard IP address: 10.0.0"),
    ({"key": [{"cidr": "example.com/24"}]}, "Nonstandard IP address: example.com"),
    ({"key": [{"cidr": "10.0.0.0/-1"}]}, "Malformed CIDR, mask bits must not be negative"),
    ({"key": [{"cidr": "10.0.0.0/33"}]}, "Malformed CIDR, mask bits must not exceed 32"),
    ({"key": [{"cidr": "2001:db8::/129"}]}, "Malformed CIDR, mask bits must not exceed 128"),
    ({"key": [{"equals": "a"}]}, "Unrecognized match type equals"),
    ({"key": [{"Prefix": "a"}]}, "Unrecognized match type Prefix"),
    ({"key": [{"wildcard": "a*"}]}, "Unrecognized match type wildcard"),
    # A single-branch "$or" is an ordinary key, so its objects are match expressions.
    ({"$or": [{"a": ["x"]}]}, "Unrecognized match type a"),
]


@pytest.mark.parametrize(("policy", "message"), OTHER_COMPILER_ERRORS)
def test_compiler_errors(policy: Any, message: str) -> None:
    error = rejection(policy, "MessageBody")
    assert error.message == message
    assert error.location.startswith("\n at [Source: (String)")


POLICY_WIDE_ERRORS: list[tuple[str, str, str]] = [
    ("{}", "MessageAttributes", "Filter policy can not be empty"),
    ("{}", "MessageBody", "Filter policy can not be empty"),
    ("{invalidjson}", "MessageAttributes", "failed to parse JSON."),
    ('{"a": ["b"]', "MessageAttributes", "failed to parse JSON."),
    ('{"a": [NaN]}', "MessageAttributes", "failed to parse JSON."),
    ('{"a": [1e999]}', "MessageAttributes", "failed to parse JSON."),
    ("", "MessageAttributes", "failed to parse JSON."),
    ('["a"]', "MessageAttributes", "Filter is not an object"),
    ('"a"', "MessageBody", "Filter is not an object"),
    ('{"a": [1000000001]}', "MessageAttributes", "Value out of range: 1000000001"),
    (
        '{"a": [{"numeric": ["<", -1000000000.5]}]}',
        "MessageAttributes",
        "Value out of range: -1000000000.5",
    ),
    (
        '{"a": [{"anything-but": [2000000000]}]}',
        "MessageAttributes",
        "Value out of range: 2000000000",
    ),
]


@pytest.mark.parametrize(("text", "scope", "message"), POLICY_WIDE_ERRORS)
def test_policy_wide_errors(text: str, scope: str, message: str) -> None:
    error = rejection(text, scope)
    assert (error.message, error.location) == (message, "")


def values(count: int) -> list[str]:
    return [f"value{i}" for i in range(count)]


TOO_COMPLEX: list[tuple[Any, str]] = [
    ({"key": values(151)}, "MessageAttributes"),
    ({"key1": values(100), "key2": values(51)}, "MessageAttributes"),
    ({"a": values(10), "b": values(4), "c": values(4)}, "MessageAttributes"),
    # Documented arithmetic for nested keys: 3 levels x 4 values, 2 x 3, 1 x 3 = 216.
    (
        {
            "key_a": {"key_b": {"key_c": values(4)}},
            "key_d": {"key_e": values(3)},
            "key_f": values(3),
        },
        "MessageBody",
    ),
    ({"a": {"b": {"c": {"d": {"e": values(31)}}}}}, "MessageBody"),
    # $or alternatives add up: (4 x 6) + (4 x 4 x 4) + (4 x 4 x 4) = 152.
    (
        {
            "source": values(4),
            "$or": [
                {"metricName": values(6)},
                {"metricType": values(4), "$or": [{"metricId": values(4)}, {"spaceId": values(4)}]},
            ],
        },
        "MessageAttributes",
    ),
    ({"$or": [{f"k{i}": ["v"]} for i in range(151)]}, "MessageAttributes"),
    (
        {"$or": [{"a": ["v"]}, {"b": ["v"]}], "c": {"$or": [{"d": values(38)}, {"e": ["v"]}]}},
        "MessageBody",
    ),
    # Every nested leaf weighs its depth: 2 ** 8 = 256.
    ({"a": {f"k{i}": ["v"] for i in range(8)}}, "MessageBody"),
]


@pytest.mark.parametrize(("policy", "scope"), TOO_COMPLEX)
def test_too_complex(policy: Any, scope: str) -> None:
    error = rejection(policy, scope)
    assert (error.message, error.location) == ("Filter policy is too complex", "")


WITHIN_LIMITS: list[tuple[Any, str]] = [
    ({"key": values(150)}, "MessageAttributes"),
    ({"a": values(10), "b": values(5), "c": values(3)}, "MessageAttributes"),
    ({"key_a": [1, 2, 3], "key_b": ["x"], "key_c": ["y", "z"]}, "MessageAttributes"),
    ({"key_a": {"key_b": {"key_c": values(4)}}, "key_d": {"key_e": values(3)}}, "MessageBody"),
    ({"a": {"b": {"c": {"d": {"e": values(30)}}}}}, "MessageBody"),
    (
        {
            "source": values(4),
            "$or": [
                {"metricName": values(6)},
                {"metricType": values(4), "$or": [{"metricId": values(4)}, {"spaceId": values(3)}]},
            ],
        },
        "MessageAttributes",
    ),
    ({"$or": [{f"k{i}": ["v"]} for i in range(150)]}, "MessageAttributes"),
    ({f"k{i}": ["v"] for i in range(5)}, "MessageAttributes"),
    ({f"k{i}": {"inner": ["v"]} for i in range(5)}, "MessageBody"),
    ({"a": {f"k{i}": ["v"] for i in range(7)}}, "MessageBody"),
    (
        {"a": ["v"], "$or": [{f"k{i}": ["v"]} for i in range(4)] + [{"b": ["v"], "c": ["v"]}]},
        "MessageAttributes",
    ),
]


@pytest.mark.parametrize(("policy", "scope"), WITHIN_LIMITS)
def test_policies_within_the_limits_are_accepted(policy: Any, scope: str) -> None:
    assert parse_filter_policy(json.dumps(policy), scope).scope == scope


TOO_MANY_KEYS: list[tuple[Any, str]] = [
    ({f"key{i}": [f"value{i}"] for i in range(1, 7)}, "MessageAttributes"),
    ({f"key{i}": [f"value{i}"] for i in range(1, 7)}, "MessageBody"),
    ({f"k{i}": {"inner": ["v"]} for i in range(6)}, "MessageBody"),
    (
        {**{f"k{i}": ["v"] for i in range(4)}, "$or": [{"x": ["v"], "y": ["v"]}, {"z": ["v"]}]},
        "MessageAttributes",
    ),
]


@pytest.mark.parametrize(("policy", "scope"), TOO_MANY_KEYS)
def test_at_most_five_keys(policy: Any, scope: str) -> None:
    error = rejection(policy, scope)
    assert (error.message, error.location) == ("Filter policy can not have more than 5 keys", "")


NESTED: list[Any] = [
    {"object": {"key": [{"prefix": "auto-"}]}},
    {"a": ["x"], "b": {"c": ["y"]}},
    {"$or": [{"a": ["x"]}, {"b": {"c": ["y"]}}]},
]


@pytest.mark.parametrize("policy", NESTED)
def test_nested_policies_need_the_message_body_scope(policy: Any) -> None:
    error = rejection(policy, "MessageAttributes")
    assert error.aws_message() == (
        "Invalid parameter: Filter policy scope MessageAttributes does not support nested "
        "filter policy"
    )
    assert parse_filter_policy(json.dumps(policy), "MessageBody").scope == "MessageBody"


def test_policy_size_limit_is_256_kib() -> None:
    long_value = "v" * (256 * 1024 - len('{"k":[""]}'))
    exactly_256_kib = json.dumps({"k": [long_value]}, separators=(",", ":"))
    assert parse_filter_policy(exactly_256_kib).scope == "MessageAttributes"
    error = rejection(exactly_256_kib.replace('"]', 'v"]'))
    assert error.message == "Filter policy is too long"


def test_absurdly_deep_policies_are_rejected_not_crashed() -> None:
    deep = '{"a":' * 5000 + '["v"]' + "}" * 5000
    assert rejection(deep, "MessageBody").message in (
        "failed to parse JSON.",
        "Filter policy is too complex",
    )
    moderately_deep = '{"a":' * 300 + '["v"]' + "}" * 300
    assert rejection(moderately_deep, "MessageBody").message == "Filter policy is too complex"
    assert not rejection(moderately_deep, "MessageAttributes").under_filter_policy


def test_full_messages_per_operation() -> None:
    error = rejection({"key": [{"exists": "no"}]})
    suffix = location({"key": [{"exists": "no"}]}, 20)
    assert error.aws_message() == (
        "Invalid parameter: FilterPolicy: exists match pattern must be either true or false."
        + suffix
    )
    assert error.aws_message(in_subscribe=True) == (
        "Invalid parameter: Attributes Reason: FilterPolicy: exists match pattern must be "
        "either true or false." + suffix
    )
    assert rejection("{").aws_message() == "Invalid parameter: FilterPolicy: failed to parse JSON."


def test_scope_error_message() -> None:
    assert scope_error_message("RandomValue") == (
        "Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. "
        "Please use either MessageBody or MessageAttributes"
    )


def test_unknown_scope_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown filter policy scope"):
        parse_filter_policy('{"a": ["b"]}', "Body")


ACCEPTED: list[Any] = [
    {"store": ["example_corp"], "event": [{"anything-but": "order_cancelled"}]},
    {"price_usd": [{"numeric": [">=", 100]}], "n": [{"numeric": ["=", 301.5]}]},
    {"r": [{"numeric": [">", 0, "<=", 150]}], "s": [{"numeric": [">=", -1e9, "<", 1e9]}]},
    {"k": [None, True, False, 0, -1.5, "", "x"]},
    {"k": [{"anything-but": []}]},
    {"k": [{"anything-but": [1, "a"]}]},
    {"k": [{"anything-but": {"prefix": "order-"}}]},
    {"k": [{"anything-but": {"suffix": "-test"}}]},
    {"k": [{"cidr": "10.0.0.0/24"}, {"cidr": "2001:db8::/32"}, {"cidr": "10.0.0.7/32"}]},
    {"k": [{"prefix": ""}, {"suffix": ""}, {"equals-ignore-case": ""}]},
    {"k": [{"exists": True}], "j": [{"exists": False}]},
    {"$or": [{"prefix": "a"}, {"suffix": "b"}]},
    {"$or": [{"prefix": "x"}]},
]


@pytest.mark.parametrize("policy", ACCEPTED)
def test_valid_policies_are_accepted(policy: Any) -> None:
    assert parse_filter_policy(json.dumps(policy)).combinations


def test_or_needs_two_objects_without_match_types_or_is_an_ordinary_key() -> None:
    single = parse_filter_policy(json.dumps({"$or": [{"prefix": "x"}]}))
    assert [path for path, _ in single.combinations[0]] == [("$or",)]
    with_keyword = parse_filter_policy(json.dumps({"$or": [{"prefix": "a"}, {"suffix": "b"}]}))
    assert [path for path, _ in with_keyword.combinations[0]] == [("$or",)]
    real = parse_filter_policy(json.dumps({"$or": [{"a": ["x"]}, {"b": ["y"]}]}))
    assert [[path for path, _ in combo] for combo in real.combinations] == [[("a",)], [("b",)]]
