"""One structured (JSON) log line per AWS request, on the ``kyu.requests`` logger at INFO."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

log = logging.getLogger("kyu.requests")


@dataclass
class Call:
    """What a request turned out to be, filled in as it is dispatched."""

    request_id: str
    service: str = "unknown"
    operation: str = "unknown"
    account: str | None = None
    error: str | None = None


def record(call: Call, status: int, seconds: float) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    entry = {
        "request_id": call.request_id,
        "service": call.service,
        "operation": call.operation,
        "account": call.account,
        "status": status,
        "ms": round(seconds * 1000, 2),
    }
    if call.error is not None:
        entry["error"] = call.error
    log.info(json.dumps(entry))
