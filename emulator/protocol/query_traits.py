"""SQS's query-protocol names, written from the SQS API reference.

botocore's current SQS model is JSON-only, so it carries none of the names the query protocol
(form parameters in, XML out) uses. In SQS query every list and map is *flattened*: a list
repeats its element name with a 1-based index (``AttributeName.1``, ``AttributeName.2``), and in
XML repeats the element (``<QueueUrl>a</QueueUrl><QueueUrl>b</QueueUrl>``); a map is a list of
entries with a key and a value (``Attribute.1.Name`` / ``Attribute.1.Value``; tags use
``Key``/``Value``). The tables are keyed by the shape names of the current JSON model.

:class:`QueryTraits` also knows the unflattened layout (``Name.member.N`` lists and
``Name.entry.N.key`` maps) so that a query service with wrapped collections can reuse the parser
and the XML writer with its own tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.model import Shape

from emulator.protocol.required import Entry, Item, Member, Path

SQS_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/"


@dataclass(frozen=True)
class MapNames:
    """How one map is spelled: its entry element and the key and value element names."""

    entry: str
    key: str = "Name"
    value: str = "Value"
    flattened: bool = True


@dataclass(frozen=True)
class QueryTraits:
    """Query/XML names for the list and map shapes of one service model.

    ``lists`` maps a flattened list shape to its element name; ``maps`` maps a map shape to its
    names. Collections missing from the tables are wrapped (``member`` / ``entry``).
    """

    lists: Mapping[str, str]
    maps: Mapping[str, MapNames]
    wrapped_item: str = "member"
    wrapped_map: MapNames = field(
        default_factory=lambda: MapNames("entry", "key", "value", flattened=False)
    )

    def list_layout(self, shape: Shape) -> tuple[bool, str]:
        """(flattened, element name) of a list shape."""
        name = self.lists.get(shape.name)
        if name is not None:
            return True, name
        return False, self.wrapped_item

    def map_layout(self, shape: Shape) -> MapNames:
        return self.maps.get(shape.name, self.wrapped_map)

    def element_name(self, member_name: str, member_shape: Shape) -> str:
        """The name a structure member goes by in query parameters and XML."""
        if member_shape.type_name == "list":
            flattened, item = self.list_layout(member_shape)
            return item if flattened else member_name
        if member_shape.type_name == "map":
            names = self.map_layout(member_shape)
            return names.entry if names.flattened else member_name
        return member_name


# Element names from the SQS API reference ("AttributeName.N", "SendMessageBatchRequestEntry.N",
# "<Message>", "<BatchResultErrorEntry>", ...).
SQS_LISTS: Mapping[str, str] = {
    "AWSAccountIdList": "AWSAccountId",
    "ActionNameList": "ActionName",
    "AttributeNameList": "AttributeName",
    "BatchResultErrorEntryList": "BatchResultErrorEntry",
    "BinaryList": "BinaryListValue",
    "ChangeMessageVisibilityBatchRequestEntryList": "ChangeMessageVisibilityBatchRequestEntry",
    "ChangeMessageVisibilityBatchResultEntryList": "ChangeMessageVisibilityBatchResultEntry",
    "DeleteMessageBatchRequestEntryList": "DeleteMessageBatchRequestEntry",
    "DeleteMessageBatchResultEntryList": "DeleteMessageBatchResultEntry",
    "ListMessageMoveTasksResultEntryList": "ListMessageMoveTasksResultEntry",
    "MessageAttributeNameList": "MessageAttributeName",
    "MessageList": "Message",
    "MessageSystemAttributeList": "MessageSystemAttributeName",
    "QueueUrlList": "QueueUrl",
    "SendMessageBatchRequestEntryList": "SendMessageBatchRequestEntry",
    "SendMessageBatchResultEntryList": "SendMessageBatchResultEntry",
    "StringList": "StringListValue",
    "TagKeyList": "TagKey",
}

SQS_MAPS: Mapping[str, MapNames] = {
    "MessageBodyAttributeMap": MapNames("MessageAttribute"),
    "MessageBodySystemAttributeMap": MapNames("MessageSystemAttribute"),
    "MessageSystemAttributeMap": MapNames("Attribute"),
    "QueueAttributeMap": MapNames("Attribute"),
    "TagMap": MapNames("Tag", "Key", "Value"),
}

SQS_TRAITS = QueryTraits(lists=SQS_LISTS, maps=SQS_MAPS)


@dataclass
class SentIndexes:
    """The indexes a query client actually used, so that errors can name its parameters.

    ``lists`` maps the path of a list member to the index sent for each element; ``maps`` maps
    the path of a map member to the index sent for each key.
    """

    lists: dict[Path, list[int]] = field(default_factory=dict)
    maps: dict[Path, dict[str, int]] = field(default_factory=dict)


def param_name(
    traits: QueryTraits,
    shape: Shape,
    path: Path,
    value: Any = None,
    sent: SentIndexes | None = None,
) -> str:
    """The query parameter name of the member at ``path`` inside ``shape``.

    For example ``(Member("Entries"), Item(0), Member("Id"))`` in SendMessageBatchRequest is
    ``SendMessageBatchRequestEntry.1.Id``. Indexes come from ``sent`` when the client's own
    numbering is known, otherwise from the element's position in ``value`` (1-based).
    """
    parts: list[str] = []
    current = shape
    node: Any = value
    for depth, segment in enumerate(path):
        prefix = path[:depth]
        if isinstance(segment, Member):
            member_shape = current.members[segment.name]
            parts.append(traits.element_name(segment.name, member_shape))
            current = member_shape
            node = node.get(segment.name) if isinstance(node, dict) else None
        elif isinstance(segment, Item):
            flattened, item = traits.list_layout(current)
            if not flattened:
                parts.append(item)
            sent_list = sent.lists.get(prefix) if sent else None
            if sent_list is not None and segment.pos < len(sent_list):
                parts.append(str(sent_list[segment.pos]))
            else:
                parts.append(str(segment.pos + 1))
            current = current.member
            node = node[segment.pos] if isinstance(node, list) and segment.pos < len(node) else None
        else:
            names = traits.map_layout(current)
            if not names.flattened:
                parts.append(names.entry)
            parts.append(str(_entry_index(segment, prefix, node, sent)))
            parts.append(names.value)
            current = current.value
            node = node.get(segment.key) if isinstance(node, dict) else None
    return ".".join(parts)


def _entry_index(segment: Entry, prefix: Path, node: Any, sent: SentIndexes | None) -> int:
    sent_map = sent.maps.get(prefix) if sent else None
    if sent_map is not None and segment.key in sent_map:
        return sent_map[segment.key]
    if isinstance(node, dict):
        for pos, key in enumerate(node):
            if key == segment.key:
                return pos + 1
    return 1
