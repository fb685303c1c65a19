"""Required-member checking shared by the query and JSON request parsers.

Both parsers first turn a request into the kwargs form, then call :func:`enforce_required` on it.
A missing required scalar or structure raises ``MissingParameter``; the parser supplies the
function that names the missing member the way its protocol spells it.

A required *list* or *map* that is absent is filled in as an empty container instead: AWS
reports an empty or absent collection with an operation-specific error (``EmptyBatchRequest``
for batches, ``MissingParameter`` for ``Attribute.Name`` on SetQueueAttributes, ...), which the
handlers raise. In the query protocol "absent" and "empty" cannot even be told apart, and
handlers can rely on every required member being present.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from botocore.model import Shape

from emulator.errors import missing_parameter


class Member(NamedTuple):
    """A structure member, by its model name."""

    name: str


class Item(NamedTuple):
    """A list element, by its 0-based position."""

    pos: int


class Entry(NamedTuple):
    """A map value, by its key."""

    key: str


Segment = Member | Item | Entry
Path = tuple[Segment, ...]
Namer = Callable[[Path], str]


def enforce_required(shape: Shape, value: Any, name_of: Namer, path: Path = ()) -> None:
    """Raise MissingParameter for the first required member missing anywhere in ``value``.

    Absent required lists and maps are set to ``[]`` / ``{}`` in place.
    """
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        for name in shape.required_members:
            if value.get(name) is not None:
                continue
            member_shape = members[name]
            if member_shape.type_name == "list":
                value[name] = []
            elif member_shape.type_name == "map":
                value[name] = {}
            else:
                raise missing_parameter(name_of((*path, Member(name))))
        for name, member_value in value.items():
            if member_value is not None and name in members:
                enforce_required(members[name], member_value, name_of, (*path, Member(name)))
    elif kind == "list" and isinstance(value, list):
        item_shape = shape.member
        for pos, item in enumerate(value):
            enforce_required(item_shape, item, name_of, (*path, Item(pos)))
    elif kind == "map" and isinstance(value, dict):
        value_shape = shape.value
        for key, item in value.items():
            enforce_required(value_shape, item, name_of, (*path, Entry(key)))
