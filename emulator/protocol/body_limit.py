"""Reading a request body without letting a client make the server buffer without bound.

SQS accepts messages (and batches) of up to 1 MiB. On the wire that payload can grow: the query
protocol percent-encodes every non-ASCII byte (3 bytes each) and JSON 1.0 clients escape
non-ASCII characters as ``\\uXXXX`` (an astral character, 4 bytes of UTF-8, becomes 12), so a
legitimate request can be about three times its payload plus parameter names. The cap leaves room
for that and refuses anything larger.

AWS answers an over-large request with HTTP 413 and the text ``HTTP content length exceeded
<limit> bytes.``; Kyu keeps the status and the message but wraps them in an error of the request's
protocol, so that SDKs can parse it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from emulator.errors import AwsError

MAX_BODY_BYTES = 4 * 1024 * 1024


def request_entity_too_large(limit: int = MAX_BODY_BYTES) -> AwsError:
    return AwsError(
        "RequestEntityTooLarge", f"HTTP content length exceeded {limit} bytes.", 413,
        json_type="com.amazon.coral.service#RequestEntityTooLargeException",
    )


def check_content_length(header: str | None, limit: int = MAX_BODY_BYTES) -> None:
    """Refuse a request whose declared length is over ``limit`` before reading any of it."""
    if header is None:
        return
    text = header.strip()
    if not text.isdigit():
        raise AwsError("BadRequest", f"Invalid Content-Length header: {header[:40]!r}.")
    if int(text) > limit:
        raise request_entity_too_large(limit)


async def read_capped(chunks: AsyncIterator[bytes], limit: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, or ``RequestEntityTooLarge`` as soon as it grows past ``limit``."""
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise request_entity_too_large(limit)
        parts.append(chunk)
    return b"".join(parts)
