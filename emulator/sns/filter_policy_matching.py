"""Matching a parsed SNS filter policy against a message's attributes or body.

A message is reduced to a map from property path to the list of its values: a message attribute
gives one value (``String``, ``Number``) or one per element (``String.Array``); a JSON body is
flattened, nested keys joined with ``.`` and every element of an array contributing a value at the
array's own path. Policy paths are joined the same way, so ``{"a.b": [...]}`` and
``{"a": {"b": [...]}}`` both reach ``{"a": {"b": 1}}`` and ``{"a.b": 1}`` alike, as on AWS.

Values keep their JSON type: a string never equals a number (``"100"`` is not ``100``), numbers
compare by value (``301.5`` equals ``3.015e2``), and ``true``/``false``/``null`` only equal
themselves.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

Value = str | Decimal | bool | None

# Numbers are matched within -10^9..10^9 with five digits after the decimal point.
NUMERIC_LIMIT = Decimal(10) ** 9
NUMERIC_PRECISION = Decimal("0.00001")


def comparable_number(value: Decimal) -> Decimal | None:
    """The number as SNS compares it, or None when it lies outside what SNS can compare."""
    if not value.is_finite() or abs(value) > NUMERIC_LIMIT:
        return None
    return value.quantize(NUMERIC_PRECISION, rounding=ROUND_HALF_EVEN)


def same_value(expected: Value, actual: Value) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool) or expected is None or actual is None:
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, Decimal) and isinstance(actual, Decimal):
        left, right = comparable_number(expected), comparable_number(actual)
        return left is not None and left == right
    return isinstance(expected, str) and isinstance(actual, str) and expected == actual


@dataclass(frozen=True)
class Exact:
    value: Value

    def accepts(self, value: Value) -> bool:
        return same_value(self.value, value)


@dataclass(frozen=True)
class Prefix:
    text: str

    def accepts(self, value: Value) -> bool:
        return isinstance(value, str) and value.startswith(self.text)


@dataclass(frozen=True)
class Suffix:
    text: str

    def accepts(self, value: Value) -> bool:
        return isinstance(value, str) and value.endswith(self.text)


@dataclass(frozen=True)
class EqualsIgnoreCase:
    text: str

    def accepts(self, value: Value) -> bool:
        return isinstance(value, str) and value.casefold() == self.text.casefold()


@dataclass(frozen=True)
class AnythingBut:
    excluded: tuple[Value, ...]

    def accepts(self, value: Value) -> bool:
        if value is None:
            return False
        return not any(same_value(item, value) for item in self.excluded)


@dataclass(frozen=True)
class AnythingButPrefix:
    text: str

    def accepts(self, value: Value) -> bool:
        return isinstance(value, str) and not value.startswith(self.text)


@dataclass(frozen=True)
class AnythingButSuffix:
    text: str

    def accepts(self, value: Value) -> bool:
        return isinstance(value, str) and not value.endswith(self.text)


@dataclass(frozen=True)
class Numeric:
    lower: Decimal | None = None
    lower_inclusive: bool = False
    upper: Decimal | None = None
    upper_inclusive: bool = False

    def accepts(self, value: Value) -> bool:
        if not isinstance(value, Decimal):
            return False
        number = comparable_number(value)
        if number is None:
            return False
        if self.lower is not None:
            bound = comparable_number(self.lower)
            if bound is None or number < bound or (number == bound and not self.lower_inclusive):
                return False
        if self.upper is not None:
            bound = comparable_number(self.upper)
            if bound is None or number > bound or (number == bound and not self.upper_inclusive):
                return False
        return True


@dataclass(frozen=True)
class Cidr:
    network: ipaddress.IPv4Network | ipaddress.IPv6Network

    def accepts(self, value: Value) -> bool:
        if not isinstance(value, str):
            return False
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return False
        return address.version == self.network.version and address in self.network


@dataclass(frozen=True)
class Exists:
    expected: bool


Matcher = (
    Exact
    | Prefix
    | Suffix
    | EqualsIgnoreCase
    | AnythingBut
    | AnythingButPrefix
    | AnythingButSuffix
    | Numeric
    | Cidr
    | Exists
)

Path = tuple[str, ...]
# One AND-combination of conditions; a policy is the OR of its combinations (``$or`` expands).
Condition = tuple[Path, tuple[Matcher, ...]]
Combination = tuple[Condition, ...]


def _condition_holds(matchers: Sequence[Matcher], values: Sequence[Value]) -> bool:
    for matcher in matchers:
        if isinstance(matcher, Exists):
            # "exists" needs a non-null value: a key holding null counts as absent.
            if any(value is not None for value in values) == matcher.expected:
                return True
        elif any(matcher.accepts(value) for value in values):
            return True
    return False


def evaluate(combinations: Iterable[Combination], values: Mapping[str, list[Value]]) -> bool:
    return any(
        all(_condition_holds(matchers, values.get(".".join(path), [])) for path, matchers in combo)
        for combo in combinations
    )


def _array_elements(text: str) -> list[Value]:
    try:
        parsed = json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_reject)
    except (ValueError, RecursionError):
        return [text]
    if not isinstance(parsed, list):
        return [text]
    flat: dict[str, list[Value]] = {}
    _flatten(parsed, flat)
    return flat.get("", [])


def attribute_values(attributes: Mapping[str, tuple[str, str]]) -> dict[str, list[Value]]:
    """Message attributes as paths to values; Binary attributes are ignored, as on AWS."""
    values: dict[str, list[Value]] = {}
    for name, (data_type, string_value) in attributes.items():
        base_type = data_type.split(".", 1)[0]
        if data_type == "String.Array":
            values[name] = _array_elements(string_value)
        elif base_type == "String":
            values[name] = [string_value]
        elif base_type == "Number":
            try:
                values[name] = [Decimal(string_value)]
            except InvalidOperation:
                continue
    return values


def _reject(constant: str) -> None:
    raise ValueError(f"not JSON: {constant}")


def _flatten(document: object, out: dict[str, list[Value]]) -> None:
    # Iterative: bodies may nest as deep as the JSON decoder allows.
    stack: list[tuple[str, object]] = [("", document)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, child in node.items():
                stack.append((f"{path}.{key}" if path else key, child))
        elif isinstance(node, list):
            stack.extend((path, child) for child in node)
        elif node is None or isinstance(node, str | bool | Decimal):
            out.setdefault(path, []).append(node)


def body_values(body: str) -> dict[str, list[Value]] | None:
    """A JSON-object body as paths to values; None when the body is not a (non-empty) object."""
    try:
        document = json.loads(body, parse_float=Decimal, parse_int=Decimal, parse_constant=_reject)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or not document:
        return None
    values: dict[str, list[Value]] = {}
    _flatten(document, values)
    return values
