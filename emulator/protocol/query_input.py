"""Query-protocol requests: form-encoded parameters in, the kwargs form out.

``decode_form`` turns an ``application/x-www-form-urlencoded`` body (or a GET query string) into
flat parameters; ``parse_query`` reads the operation's members out of them, driven by the
operation's input shape and the query names of ``query_traits``. Parameters the model does not
know (``Action``, ``Version``, ``X-Amz-*``, ``AWSAccessKeyId``, ``Signature``...) are ignored.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

from botocore.model import OperationModel, Shape

from emulator.errors import invalid_parameter_value, malformed_query_string, missing_parameter
from emulator.protocol.query_traits import SQS_TRAITS, QueryTraits, SentIndexes, param_name
from emulator.protocol.required import Entry, Item, Member, Path, enforce_required

_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_INDEX = re.compile(r"[1-9][0-9]{0,8}")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}


def decode_form(raw: bytes) -> dict[str, str]:
    """Decode a form body or query string. The first occurrence of a repeated name wins."""
    params: dict[str, str] = {}
    for pair in raw.split(b"&"):
        if not pair:
            continue
        key, _, value = pair.partition(b"=")
        name = _unquote(key)
        text = _unquote(value)
        params.setdefault(name, text)
    return params


def _unquote(part: bytes) -> str:
    part = part.replace(b"+", b" ")
    bad = _BAD_ESCAPE.search(part)
    if bad is not None:
        snippet = part[bad.start() : bad.start() + 3].decode("latin-1")
        raise malformed_query_string(
            f"The query string contains an invalid percent-encoding: '{snippet}'."
        )
    try:
        return unquote_to_bytes(part).decode("utf-8")
    except UnicodeDecodeError:
        raise malformed_query_string("The query string is not valid UTF-8.") from None


@dataclass
class _Node:
    """Flat parameters regrouped by their dotted names."""

    value: str | None = None
    children: dict[str, _Node] = field(default_factory=dict)


def _tree(params: Mapping[str, str]) -> _Node:
    root = _Node()
    for key, value in params.items():
        node = root
        for part in key.split("."):
            node = node.children.setdefault(part, _Node())
        node.value = value
    return root


def _indexed(node: _Node) -> list[tuple[int, _Node]]:
    """The children of ``node`` named by a valid 1-based index, in index order."""
    found = [(int(k), child) for k, child in node.children.items() if _INDEX.fullmatch(k)]
    return sorted(found, key=lambda pair: pair[0])


class _QueryReader:
    def __init__(self, traits: QueryTraits) -> None:
        self.traits = traits
        self.sent = SentIndexes()

    def structure(self, shape: Shape, node: _Node, prefix: str, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, member in shape.members.items():
            member_path = (*path, Member(name))
            kind = member.type_name
            if kind == "list":
                value: Any = self.list(member, node, name, prefix, member_path)
            elif kind == "map":
                value = self.map(member, node, name, prefix, member_path)
            else:
                child = node.children.get(name)
                value = (
                    None if child is None else self.value(member, child, prefix + name, member_path)
                )
            if value is not None:
                out[name] = value
        return out

    def value(self, shape: Shape, node: _Node, key: str, path: Path) -> Any:
        if shape.type_name == "structure":
            return self.structure(shape, node, key + ".", path)
        if node.value is None:
            return None
        return _scalar(shape, node.value, key)

    def _collection(
        self, node: _Node, member_name: str, element: str, flattened: bool, wrapped: str
    ) -> tuple[_Node | None, str]:
        """The node holding the indexed elements, and the parameter prefix they share."""
        if not flattened:
            holder = node.children.get(member_name)
            inner = holder.children.get(wrapped) if holder else None
            return inner, f"{member_name}.{wrapped}"
        holder = node.children.get(element)
        if holder is not None or element == member_name:
            return holder, element
        # Also accept the member's own name, which is what some clients send (botocore marks an
        # empty flattened list as "Entries=", for example).
        return node.children.get(member_name), member_name

    def list(
        self, shape: Shape, node: _Node, member_name: str, prefix: str, path: Path
    ) -> list[Any] | None:
        flattened, item = self.traits.list_layout(shape)
        element = item if flattened else member_name
        holder, name = self._collection(node, member_name, element, flattened, item)
        if holder is None:
            return None
        item_shape = shape.member
        items: list[Any] = []
        indexes: list[int] = []
        for index, child in _indexed(holder):
            item_path = (*path, Item(len(items)))
            value = self.value(item_shape, child, f"{prefix}{name}.{index}", item_path)
            if value is not None:
                items.append(value)
                indexes.append(index)
        self.sent.lists[path] = indexes
        return items

    def map(
        self, shape: Shape, node: _Node, member_name: str, prefix: str, path: Path
    ) -> dict[str, Any] | None:
        names = self.traits.map_layout(shape)
        holder, name = self._collection(
            node, member_name, names.entry, names.flattened, names.entry
        )
        if holder is None:
            return None
        value_shape = shape.value
        out: dict[str, Any] = {}
        indexes: dict[str, int] = {}
        for index, child in _indexed(holder):
            entry = f"{prefix}{name}.{index}"
            key_node = child.children.get(names.key)
            if key_node is None or key_node.value is None:
                raise missing_parameter(f"{entry}.{names.key}")
            key = key_node.value
            value_node = child.children.get(names.value)
            value = None
            if value_node is not None:
                value = self.value(
                    value_shape, value_node, f"{entry}.{names.value}", (*path, Entry(key))
                )
            if value is None:
                raise missing_parameter(f"{entry}.{names.value}")
            out[key] = value
            indexes[key] = index
        self.sent.maps[path] = indexes
        return out


def _scalar(shape: Shape, text: str, key: str) -> Any:
    kind = shape.type_name
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        if _INTEGER.fullmatch(text) and low <= int(text) <= high:
            return int(text)
        raise invalid_parameter_value(
            f"Value {text} for parameter {key} is invalid. Reason: Must be an integer."
        )
    if kind == "boolean":
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        raise invalid_parameter_value(
            f"Value {text} for parameter {key} is invalid. Reason: Must be a boolean."
        )
    if kind == "blob":
        try:
            return base64.b64decode(text.replace("\r", "").replace("\n", ""), validate=True)
        except (binascii.Error, ValueError):
            raise invalid_parameter_value(
                f"Value for parameter {key} is invalid. Reason: Must be a valid base64 string."
            ) from None
    if kind in ("float", "double"):
        try:
            return float(text)
        except ValueError:
            raise invalid_parameter_value(
                f"Value {text} for parameter {key} is invalid. Reason: Must be a number."
            ) from None
    return text


def parse_query(
    op: OperationModel, params: Mapping[str, str], traits: QueryTraits = SQS_TRAITS
) -> dict[str, Any]:
    """The kwargs form of ``op``'s input, read from flat query parameters."""
    shape = op.input_shape
    if shape is None:
        return {}
    reader = _QueryReader(traits)
    result = reader.structure(shape, _tree(params), "", ())
    enforce_required(
        shape, result, lambda path: param_name(traits, shape, path, result, reader.sent)
    )
    return result
