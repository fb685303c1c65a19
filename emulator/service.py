"""A query-protocol (and optionally JSON-protocol) AWS service as the HTTP layer sees it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.model import ServiceModel

from emulator.protocol.query_traits import QueryTraits

Handler = Callable[..., Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True)
class Service:
    """What the HTTP layer needs to serve one AWS service.

    ``handlers`` maps operation names to plain async functions called as
    ``handler(backend, ctx, **members)``; ``json_target_prefix`` is set for services that also
    speak JSON 1.0 (``X-Amz-Target: <prefix><Operation>``).
    """

    name: str
    model: ServiceModel
    handlers: Mapping[str, Handler]
    backend: Any
    namespace: str
    traits: QueryTraits
    json_target_prefix: str | None = None
