"""Who is asking, and where: what every handler needs to know about the request."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    account_id: str
    region: str
    access_key_id: str | None
    base_url: str  # scheme://host[:port] that clients used, for the URLs we hand out
    request_id: str
