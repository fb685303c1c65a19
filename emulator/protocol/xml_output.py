"""Query-protocol responses: the kwargs form in, XML out.

The layout follows the sample responses of the SQS API reference::

    <?xml version="1.0"?>
    <SendMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/">
      <SendMessageResult>...</SendMessageResult>
      <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
    </SendMessageResponse>

(without the whitespace). Operations without an output shape have no ``Result`` element. Lists
and maps are written per ``query_traits``; integers as decimal text, booleans as ``true`` /
``false``, blobs in base64. Text is escaped so that it survives an XML parser unchanged:
``&``, ``<`` and ``>`` as entities and carriage returns as ``&#xD;`` (a parser would otherwise
turn ``\\r\\n`` into ``\\n``). The namespace and traits are parameters so that another query
service can reuse the writer.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from botocore.model import OperationModel, Shape

from emulator.errors import AwsError
from emulator.protocol.query_traits import SQS_NAMESPACE, SQS_TRAITS, MapNames, QueryTraits

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;"})
_ATTRIBUTE_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\r": "&#xD;",
        "\n": "&#xA;",
        "\t": "&#x9;",
    }
)


# Characters XML 1.0 cannot carry at all, not even as character references. Stored values never
# hold them (SQS rejects them on input), but an error message may echo the rejected input.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value).translate(_ESCAPES)


def _encode(document: str) -> bytes:
    # Lone surrogates cannot be encoded; handlers reject them in message bodies, so this only
    # keeps a stray one elsewhere from failing the whole response.
    return document.encode("utf-8", "replace")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, str):
        return _text(value)
    return _text(str(value))


class _XmlWriter:
    def __init__(self, traits: QueryTraits) -> None:
        self.traits = traits
        self.parts: list[str] = []

    def structure(self, shape: Shape, value: dict[str, Any]) -> None:
        for name, member in shape.members.items():
            item = value.get(name)
            if item is not None:
                self.member(name, member, item)

    def member(self, name: str, shape: Shape, value: Any) -> None:
        kind = shape.type_name
        if kind == "list":
            flattened, item = self.traits.list_layout(shape)
            if flattened:
                self.items(item, shape, value)
            else:
                self.parts.append(f"<{name}>")
                self.items(item, shape, value)
                self.parts.append(f"</{name}>")
        elif kind == "map":
            names = self.traits.map_layout(shape)
            if names.flattened:
                self.entries(names, shape, value)
            else:
                self.parts.append(f"<{name}>")
                self.entries(names, shape, value)
                self.parts.append(f"</{name}>")
        else:
            self.element(name, shape, value)

    def items(self, tag: str, shape: Shape, values: list[Any]) -> None:
        for item in values:
            if item is not None:
                self.element(tag, shape.member, item)

    def entries(self, names: MapNames, shape: Shape, values: dict[str, Any]) -> None:
        for key, item in values.items():
            if item is not None:
                self.parts.append(f"<{names.entry}><{names.key}>{_text(key)}</{names.key}>")
                self.element(names.value, shape.value, item)
                self.parts.append(f"</{names.entry}>")

    def element(self, tag: str, shape: Shape, value: Any) -> None:
        kind = shape.type_name
        if kind == "structure":
            self.parts.append(f"<{tag}>")
            self.structure(shape, value)
            self.parts.append(f"</{tag}>")
        elif kind in ("list", "map"):
            # A collection directly inside another one has no member name to flatten into.
            self.parts.append(f"<{tag}>")
            if kind == "list":
                self.items(self.traits.wrapped_item, shape, value)
            else:
                self.entries(self.traits.wrapped_map, shape, value)
            self.parts.append(f"</{tag}>")
        else:
            self.parts.append(f"<{tag}>{_scalar(value)}</{tag}>")


def query_result_xml(
    op: OperationModel,
    result: dict[str, Any] | None,
    request_id: str,
    *,
    namespace: str = SQS_NAMESPACE,
    traits: QueryTraits = SQS_TRAITS,
) -> bytes:
    """The XML response of a successful query-protocol call of ``op``."""
    name = op.name
    writer = _XmlWriter(traits)
    parts = writer.parts
    parts.append('<?xml version="1.0"?>')
    parts.append(f'<{name}Response xmlns="{namespace.translate(_ATTRIBUTE_ESCAPES)}">')
    shape = op.output_shape
    if shape is not None:
        parts.append(f"<{name}Result>")
        writer.structure(shape, result or {})
        parts.append(f"</{name}Result>")
    parts.append(f"<ResponseMetadata><RequestId>{_text(request_id)}</RequestId></ResponseMetadata>")
    parts.append(f"</{name}Response>")
    return _encode("".join(parts))


def query_error_xml(error: AwsError, request_id: str, *, namespace: str = SQS_NAMESPACE) -> bytes:
    """The XML ``ErrorResponse`` of a failed query-protocol call."""
    return _encode(
        '<?xml version="1.0"?>'
        f'<ErrorResponse xmlns="{namespace.translate(_ATTRIBUTE_ESCAPES)}">'
        f"<Error><Type>{error.fault}</Type><Code>{_text(error.code)}</Code>"
        f"<Message>{_text(error.message)}</Message><Detail/></Error>"
        f"<RequestId>{_text(request_id)}</RequestId></ErrorResponse>"
    )
