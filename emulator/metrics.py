"""Counters for the Prometheus metrics endpoint, kept in memory since start.

Requests are counted by service, operation and HTTP status; messages sent, received and deleted
by queue (read off each successful call's parameters and result, so handlers stay unaware).
Queue depths are not counted here: they are read from storage when the metrics are scraped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# What one successful SQS call did to messages: (counter name, how many).
_MESSAGE_EFFECTS = {
    "SendMessage": ("sent", lambda result: 1),
    "SendMessageBatch": ("sent", lambda result: len(result.get("Successful", []))),
    "ReceiveMessage": ("received", lambda result: len(result.get("Messages", []))),
    "DeleteMessage": ("deleted", lambda result: 1),
    "DeleteMessageBatch": ("deleted", lambda result: len(result.get("Successful", []))),
}


@dataclass(frozen=True)
class QueueDepth:
    account: str
    queue: str
    visible: int
    in_flight: int
    delayed: int


class Metrics:
    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.messages: Counter[tuple[str, str]] = Counter()  # (kind, queue URL path)

    def request(self, service: str, operation: str, status: int) -> None:
        self.requests[(service, operation, status)] += 1

    def sqs_result(self, operation: str, params: Mapping[str, Any],
                   result: Mapping[str, Any] | None) -> None:
        effect = _MESSAGE_EFFECTS.get(operation)
        if effect is None:
            return
        kind, count = effect
        queue = _queue_label(str(params.get("QueueUrl", "")))
        self.messages[(kind, queue)] += count(result or {})

    def render(self, depths: Iterable[QueueDepth]) -> str:
        """The Prometheus text exposition format (version 0.0.4)."""
        lines = [
            "# HELP kyu_requests_total AWS API requests by service, operation and HTTP status.",
            "# TYPE kyu_requests_total counter",
        ]
        for (service, operation, status), value in sorted(self.requests.items()):
            lines.append(
                f'kyu_requests_total{{service="{_escape(service)}",'
                f'operation="{_escape(operation)}",status="{status}"}} {value}'
            )
        for kind in ("sent", "received", "deleted"):
            name = f"kyu_messages_{kind}_total"
            lines += [f"# HELP {name} Messages {kind} per queue.", f"# TYPE {name} counter"]
            for (counted, queue), value in sorted(self.messages.items()):
                if counted == kind:
                    lines.append(f'{name}{{queue="{_escape(queue)}"}} {value}')
        lines += [
            "# HELP kyu_queue_messages Messages in a queue by state.",
            "# TYPE kyu_queue_messages gauge",
        ]
        for depth in depths:
            label = _escape(f"{depth.account}/{depth.queue}")
            for state, value in (("visible", depth.visible), ("in_flight", depth.in_flight),
                                 ("delayed", depth.delayed)):
                lines.append(f'kyu_queue_messages{{queue="{label}",state="{state}"}} {value}')
        return "\n".join(lines) + "\n"


def _queue_label(queue_url: str) -> str:
    """``<account>/<name>`` of a queue URL (or the URL itself when it has no such path)."""
    segments = [s for s in queue_url.split("?", 1)[0].split("/") if s]
    return "/".join(segments[-2:]) if len(segments) >= 2 else queue_url


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
