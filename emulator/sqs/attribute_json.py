"""Message attributes as stored: JSON, with binary values in base64."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

_BINARY_KEYS = ("BinaryValue",)


def dump(attributes: Mapping[str, Mapping[str, Any]] | None) -> str | None:
    if not attributes:
        return None
    stored = {}
    for name, value in attributes.items():
        entry = {k: v for k, v in value.items() if v is not None and k not in _BINARY_KEYS}
        if value.get("BinaryValue") is not None:
            entry["BinaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
        stored[name] = entry
    return json.dumps(stored, ensure_ascii=False)


def load(text: str | None) -> dict[str, dict[str, Any]]:
    if not text:
        return {}
    attributes: dict[str, dict[str, Any]] = json.loads(text)
    for value in attributes.values():
        if "BinaryValue" in value:
            value["BinaryValue"] = base64.b64decode(value["BinaryValue"])
    return attributes
