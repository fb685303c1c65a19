"""Receipt handles: opaque to clients, naming the queue, the stored message and one receive."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from emulator.sqs.errors import receipt_handle_is_invalid

_PREFIX = "kyu1"


@dataclass(frozen=True)
class Receipt:
    queue_id: int
    row_id: int
    token: str


def encode(queue_id: int, row_id: int, token: str) -> str:
    raw = f"{_PREFIX}:{queue_id}:{row_id}:{token}".encode()
    return base64.b64encode(raw).decode()


def decode(handle: str) -> Receipt:
    try:
        text = base64.b64decode(handle.encode(), validate=True).decode()
        prefix, queue_id, row_id, token = text.split(":")
        if prefix != _PREFIX or not token:
            raise ValueError(prefix)
        return Receipt(int(queue_id), int(row_id), token)
    except (ValueError, UnicodeError, binascii.Error):
        raise receipt_handle_is_invalid(handle) from None
