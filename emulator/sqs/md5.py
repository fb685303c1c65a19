"""The MD5 digests SQS returns for a message body and for its (system) attributes.

SDKs recompute these digests and reject a response whose digest differs, so they follow AWS's
published algorithm byte for byte ("Calculating the MD5 message digest for message attributes"
in the Amazon SQS Developer Guide):

* attributes are sorted by name;
* each contributes, in order: the name and the data type, each as a 4-byte big-endian length
  followed by its UTF-8 bytes; one transport byte (1 for String and Number data types, custom
  labels included, 2 for Binary); then the value as a 4-byte big-endian length followed by the
  UTF-8 bytes of ``StringValue`` or the raw bytes of ``BinaryValue``;
* the digest is the hex MD5 of the concatenation.

The same digest serves ``MD5OfMessageAttributes`` and ``MD5OfMessageSystemAttributes``.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping
from typing import Any

STRING_TRANSPORT = 1
BINARY_TRANSPORT = 2


def md5_of_body(body: str) -> str:
    """Hex MD5 of the UTF-8 encoded message body."""
    return hashlib.md5(body.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def md5_of_attributes(attributes: Mapping[str, Mapping[str, Any]] | None) -> str | None:
    """AWS's digest of message (or message system) attributes; None when there are none."""
    if not attributes:
        return None
    digest = hashlib.md5(usedforsecurity=False)
    for name in sorted(attributes):
        digest.update(_encode_attribute(name, attributes[name]))
    return digest.hexdigest()


def _encode_attribute(name: str, attribute: Mapping[str, Any]) -> bytes:
    data_type = str(attribute.get("DataType") or "")
    parts = [_length_prefixed(_utf8(name)), _length_prefixed(_utf8(data_type))]
    if transport_of(data_type) == BINARY_TRANSPORT:
        parts.append(bytes((BINARY_TRANSPORT,)))
        parts.append(_length_prefixed(_binary(attribute.get("BinaryValue"))))
    else:
        parts.append(bytes((STRING_TRANSPORT,)))
        parts.append(_length_prefixed(_utf8(str(attribute.get("StringValue") or ""))))
    return b"".join(parts)


def transport_of(data_type: str) -> int:
    """The transport type of a data type: Binary (with any custom label) or else String."""
    return BINARY_TRANSPORT if data_type.split(".", 1)[0] == "Binary" else STRING_TRANSPORT


def _length_prefixed(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _binary(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, str):
        return _utf8(value)
    return bytes(value)
