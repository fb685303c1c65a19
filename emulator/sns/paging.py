"""NextToken paging of SNS list operations: the token is an opaque offset."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

from emulator.sns.errors import invalid_parameter

T = TypeVar("T")


def page(items: Sequence[T], token: str | None, size: int) -> tuple[list[T], str | None]:
    """One page of ``items`` from ``token`` on, and the token of the next page (if any)."""
    start = _offset(token) if token else 0
    chunk = list(items[start:start + size])
    end = start + size
    return chunk, (_token(end) if end < len(items) else None)


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"kyu:{offset}".encode()).decode("ascii")


def _offset(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    prefix, _, number = text.partition(":")
    if prefix != "kyu" or not number.isdigit():
        raise invalid_parameter("Invalid parameter: NextToken")
    return int(number)
