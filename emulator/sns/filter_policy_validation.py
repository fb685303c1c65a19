"""Validating an SNS filter policy the way AWS does, with AWS's error texts and their positions.

AWS first parses the policy as JSON, then re-serializes it compactly and runs a token-by-token
compiler over that text. The compiler's errors carry the parser's position, rendered by Jackson
as ``\\n at [Source: (String)"<compact policy>"; line: 1, column: N]``. The walker below consumes
tokens in the same order and tracks the same position (Jackson reads a string value lazily: right
after the token only its opening quote is consumed; after a field name, the start of its value is
already consumed), so both the message and the column match what AWS returns.

After the compiler come the policy-wide checks: nesting in the ``MessageAttributes`` scope, at
most 5 keys, and at most 150 combinations, where ``$or`` expands into alternatives whose
combinations add up, and a key nested N levels deep counts N times its number of values.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NoReturn

from emulator.sns.filter_policy_matching import (
    NUMERIC_LIMIT,
    AnythingBut,
    AnythingButPrefix,
    AnythingButSuffix,
    Cidr,
    Combination,
    Condition,
    EqualsIgnoreCase,
    Exact,
    Exists,
    Matcher,
    Numeric,
    Path,
    Prefix,
    Suffix,
    Value,
)

MAX_POLICY_BYTES = 256 * 1024
MAX_KEYS = 5
MAX_COMBINATIONS = 150
OR_KEY = "$or"
MATCH_TYPES = frozenset(
    {"prefix", "suffix", "equals-ignore-case", "anything-but", "numeric", "exists", "cidr"}
)
ANYTHING_BUT_PATTERNS: dict[str, type[AnythingButPrefix | AnythingButSuffix]] = {
    "prefix": AnythingButPrefix,
    "suffix": AnythingButSuffix,
}
STRING_PATTERNS: dict[str, type[Prefix | Suffix | EqualsIgnoreCase]] = {
    "prefix": Prefix,
    "suffix": Suffix,
    "equals-ignore-case": EqualsIgnoreCase,
}
UPPER_BOUNDS = ("<", "<=")
LOWER_BOUNDS = (">", ">=")
JACKSON_SNIPPET_CHARS = 500


class FilterPolicyError(ValueError):
    """A policy AWS rejects (InvalidParameter, HTTP 400).

    ``message`` is AWS's text after the ``Invalid parameter: FilterPolicy: `` prefix (for the one
    error AWS reports outside that prefix, ``under_filter_policy`` is False); ``location`` is the
    parser position AWS appends to compiler errors, empty for the policy-wide checks.
    """

    def __init__(self, message: str, *, location: str = "", under_filter_policy: bool = True):
        super().__init__(message)
        self.message = message
        self.location = location
        self.under_filter_policy = under_filter_policy

    def aws_message(self, *, in_subscribe: bool = False) -> str:
        """The full message: SetSubscriptionAttributes, or Subscribe's ``Attributes Reason``."""
        head = "Invalid parameter: Attributes Reason: " if in_subscribe else "Invalid parameter: "
        if self.under_filter_policy:
            head += "FilterPolicy: "
        return head + self.message + self.location


@dataclass(frozen=True)
class _Token:
    kind: str  # { } [ ] name string number true false null
    text: str  # decoded text for names and strings, raw text otherwise
    start: int
    end: int

    @property
    def lazy_end(self) -> int:
        return self.start + 1 if self.kind == "string" else self.end


_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*")(?P<colon>:)?|(?P<punct>[{}\[\]])|(?P<sep>,)'
    r"|(?P<number>-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<literal>true|false|null)"
)


def _tokens(compact: str) -> list[_Token]:
    tokens = []
    for found in _TOKEN.finditer(compact):
        if found["sep"]:
            continue
        if found["string"]:
            kind = "name" if found["colon"] else "string"
            start = found.start("string")
            tokens.append(_Token(kind, json.loads(found["string"]), start, found.end("string")))
        elif found["punct"]:
            tokens.append(_Token(found["punct"], found["punct"], found.start(), found.end()))
        elif found["number"]:
            tokens.append(_Token("number", found["number"], found.start(), found.end()))
        else:
            tokens.append(_Token(found["literal"], found["literal"], found.start(), found.end()))
    return tokens


def _source(compact: str) -> str:
    if len(compact) <= JACKSON_SNIPPET_CHARS:
        return f'(String)"{compact}"'
    hidden = len(compact) - JACKSON_SNIPPET_CHARS
    return f'(String)"{compact[:JACKSON_SNIPPET_CHARS]}"[truncated {hidden} chars]'


@dataclass
class PolicyObject:
    """One JSON object of the policy: its keys (leaf matchers or nested objects) and $or groups."""

    fields: list[tuple[str, PolicyObject | tuple[Matcher, ...]]] = field(default_factory=list)
    or_groups: list[list[PolicyObject]] = field(default_factory=list)


def _is_or_group(value: object) -> bool:
    # AWS reads "$or" as an operator only for an array of at least two objects that use no
    # match-type keyword as a key; otherwise "$or" is an ordinary key.
    return (
        isinstance(value, list)
        and len(value) >= 2
        and all(isinstance(item, dict) and not MATCH_TYPES & item.keys() for item in value)
    )


class _Compiler:
    def __init__(self, compact: str) -> None:
        self.compact = compact
        self.tokens = _tokens(compact)
        self.index = 0
        self.position = 0

    def next(self) -> _Token:
        token = self.tokens[self.index]
        after_name = self.index > 0 and self.tokens[self.index - 1].kind == "name"
        self.index += 1
        if token.kind == "name":
            self.position = self.tokens[self.index].lazy_end
        elif not after_name:
            self.position = token.lazy_end
        return token

    def text(self, token: _Token) -> str:
        if token.kind == "string":
            self.position = token.end
        return token.text

    def fail(self, message: str) -> NoReturn:
        column = self.position + 1
        location = f"\n at [Source: {_source(self.compact)}; line: 1, column: {column}]"
        raise FilterPolicyError(message, location=location)

    def number(self, token: _Token) -> Decimal:
        value = Decimal(token.text)
        if abs(value) > NUMERIC_LIMIT:
            raise FilterPolicyError(f"Value out of range: {token.text}")
        return value

    def policy_object(self, node: dict[str, object]) -> PolicyObject:
        """Compile an object whose ``{`` was just read."""
        result = PolicyObject()
        if not node:
            self.next()
            self.fail("Empty objects are not allowed")
        for name, value in node.items():
            self.next()
            if name == OR_KEY and _is_or_group(value):
                assert isinstance(value, list)
                self.next()
                branches = []
                for branch in value:
                    self.next()
                    branches.append(self.policy_object(branch))
                self.next()
                result.or_groups.append(branches)
                continue
            token = self.next()
            if token.kind == "{":
                assert isinstance(value, dict)
                result.fields.append((name, self.policy_object(value)))
            elif token.kind == "[":
                assert isinstance(value, list)
                result.fields.append((name, self.match_list(value)))
            else:
                self.fail(f'"{name}" must be an object or an array')
        self.next()
        return result

    def match_list(self, values: list[object]) -> tuple[Matcher, ...]:
        """Compile the list of match values whose ``[`` was just read."""
        matchers: list[Matcher] = []
        if not values:
            self.next()
            self.fail("Empty arrays are not allowed")
        for _ in values:
            token = self.next()
            if token.kind == "string":
                matchers.append(Exact(self.text(token)))
            elif token.kind == "number":
                matchers.append(Exact(self.number(token)))
            elif token.kind in ("true", "false"):
                matchers.append(Exact(token.kind == "true"))
            elif token.kind == "null":
                matchers.append(Exact(None))
            elif token.kind == "{":
                matchers.append(self.match_expression())
            else:
                self.fail("Match value must be String, number, true, false, or null")
        self.next()
        return tuple(matchers)

    def match_expression(self) -> Matcher:
        token = self.next()
        if token.kind != "name":
            self.fail("Match expression name not found")
        match_type = token.text
        matcher: Matcher
        if match_type in STRING_PATTERNS:
            value = self.next()
            if value.kind != "string":
                self.fail(f"{match_type} match pattern must be a string")
            matcher = STRING_PATTERNS[match_type](self.text(value))
        elif match_type == "numeric":
            if self.next().kind != "[":
                self.fail("Value of numeric must be an array.")
            matcher = self.numeric()
        elif match_type == "anything-but":
            matcher = self.anything_but()
        elif match_type == "exists":
            value = self.next()
            if value.kind not in ("true", "false"):
                self.fail("exists match pattern must be either true or false.")
            matcher = Exists(value.kind == "true")
        elif match_type == "cidr":
            value = self.next()
            if value.kind != "string":
                self.fail("cidr match pattern must be a string")
            matcher = Cidr(self.cidr_network(self.text(value)))
        else:
            self.fail(f"Unrecognized match type {match_type}")
        if self.next().kind != "}":
            self.fail("Only one key allowed in match expression")
        return matcher

    def numeric(self) -> Numeric:
        token = self.next()
        if token.kind != "string":
            self.fail(f"Invalid member in numeric match: {token.text}")
        operator = self.text(token)
        value = self.next()
        if operator != "=" and operator not in UPPER_BOUNDS + LOWER_BOUNDS:
            self.fail(f"Unrecognized numeric range operator: {operator}")
        if value.kind != "number":
            self.fail(f"Value of {'equals' if operator == '=' else operator} must be numeric")
        first = self.number(value)
        if operator == "=" or operator in UPPER_BOUNDS:
            if self.next().kind != "]":
                self.fail("Too many elements in numeric expression")
            if operator == "=":
                return Numeric(first, True, first, True)
            return Numeric(upper=first, upper_inclusive=operator == "<=")
        token = self.next()
        if token.kind == "]":
            return Numeric(lower=first, lower_inclusive=operator == ">=")
        if token.kind != "string":
            self.fail(f"Bad value in numeric range: {token.text}")
        upper_operator = self.text(token)
        if upper_operator not in UPPER_BOUNDS:
            self.fail(f"Bad numeric range operator: {upper_operator}")
        value = self.next()
        if value.kind != "number":
            self.fail(f"Value of {upper_operator} must be numeric")
        second = self.number(value)
        if self.next().kind != "]":
            self.fail("Too many terms in numeric range expression")
        if first >= second:
            self.fail("Bottom must be less than top")
        return Numeric(first, operator == ">=", second, upper_operator == "<=")

    def anything_but(self) -> Matcher:
        token = self.next()
        if token.kind == "{":
            name = self.next()
            if name.kind != "name":
                self.fail("Anything-But expression name not found")
            pattern = ANYTHING_BUT_PATTERNS.get(name.text)
            if pattern is None:
                self.fail(f"Unsupported anything-but pattern: {name.text}")
            value = self.next()
            if value.kind != "string":
                self.fail(f"{name.text} match pattern must be a string")
            text = self.text(value)
            if not text:
                self.fail(f"Null {name.text} not allowed")
            if self.next().kind != "}":
                self.fail("Only one key allowed in match expression")
            return pattern(text)
        if token.kind == "string":
            return AnythingBut((self.text(token),))
        if token.kind == "number":
            return AnythingBut((self.number(token),))
        if token.kind != "[":
            self.fail("Value of anything-but must be an array or single string/number value.")
        excluded: list[Value] = []
        while (item := self.next()).kind != "]":
            if item.kind == "string":
                excluded.append(self.text(item))
            elif item.kind == "number":
                excluded.append(self.number(item))
            else:
                self.fail("Inside anything but list, start|null|boolean is not supported.")
        return AnythingBut(tuple(excluded))

    def cidr_network(self, text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
        address, slash, mask = text.partition("/")
        if not slash or "/" in mask:
            self.fail("Malformed CIDR, one '/' required")
        if not re.fullmatch(r"-?[0-9]+", mask):
            self.fail("Malformed CIDR, mask bits must be an integer")
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            self.fail(f"Nonstandard IP address: {address}")
        bits = int(mask)
        if bits < 0:
            self.fail("Malformed CIDR, mask bits must not be negative")
        if bits > ip.max_prefixlen:
            self.fail(f"Malformed CIDR, mask bits must not exceed {ip.max_prefixlen}")
        return ipaddress.ip_network(f"{ip}/{bits}", strict=False)


def _too_complex() -> FilterPolicyError:
    return FilterPolicyError("Filter policy is too complex")


def _nested_in_attributes() -> FilterPolicyError:
    return FilterPolicyError(
        "Filter policy scope MessageAttributes does not support nested filter policy",
        under_filter_policy=False,
    )


def _cross(left: list[Combination], right: list[Combination]) -> list[Combination]:
    # Every combination counts at least 1 towards the limit: past it, stop expanding.
    if len(left) * len(right) > MAX_COMBINATIONS:
        raise _too_complex()
    return [first + second for first in left for second in right]


def _combinations(policy: PolicyObject, path: Path = ()) -> list[Combination]:
    combos: list[Combination] = [()]
    for name, child in policy.fields:
        if isinstance(child, PolicyObject):
            combos = _cross(combos, _combinations(child, (*path, name)))
        else:
            condition: Condition = ((*path, name), child)
            combos = _cross(combos, [(condition,)])
    for branches in policy.or_groups:
        options = [combo for branch in branches for combo in _combinations(branch, path)]
        combos = _cross(combos, options)
    return combos


def _is_nested(policy: PolicyObject) -> bool:
    return any(isinstance(child, PolicyObject) for _, child in policy.fields) or any(
        _is_nested(branch) for branches in policy.or_groups for branch in branches
    )


def _weight(combo: Combination) -> int:
    weight = 1
    for path, matchers in combo:
        weight *= len(path) * len(matchers)
    return weight


def compile_policy(text: str, scope: str) -> tuple[Combination, ...]:
    """Validate a FilterPolicy text; return it as alternatives of AND-ed conditions."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_POLICY_BYTES:
        raise FilterPolicyError("Filter policy is too long")
    try:
        document = json.loads(text, parse_constant=_not_json, parse_float=_finite_float)
    except (ValueError, RecursionError) as exc:
        raise FilterPolicyError("failed to parse JSON.") from exc
    if not isinstance(document, dict):
        raise FilterPolicyError("Filter is not an object")
    if not document:
        raise FilterPolicyError("Filter policy can not be empty")
    try:
        compact = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
        compiler = _Compiler(compact)
        compiler.next()
        policy = compiler.policy_object(document)
        if scope == "MessageAttributes" and _is_nested(policy):
            raise _nested_in_attributes()
        combos = _combinations(policy)
    except RecursionError as exc:
        # Only absurdly deep objects get here: nested, and far past the combination limit.
        raise (_nested_in_attributes() if scope == "MessageAttributes" else _too_complex()) from exc
    if any(len({path[0] for path, _ in combo}) > MAX_KEYS for combo in combos):
        raise FilterPolicyError(f"Filter policy can not have more than {MAX_KEYS} keys")
    if sum(_weight(combo) for combo in combos) > MAX_COMBINATIONS:
        raise _too_complex()
    return tuple(combos)


def _not_json(constant: str) -> NoReturn:
    raise ValueError(f"not JSON: {constant}")


def _finite_float(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"number out of range: {text}")
    return number
