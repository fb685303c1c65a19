"""A real HTTP endpoint on 127.0.0.1 that records what SNS POSTs to it and answers as told."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG_PREFIX = "/hang"


@dataclass
class Received:
    path: str
    headers: list[tuple[str, str]]
    body: bytes
    at: float

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[0] if values else None


@dataclass
class Receiver:
    """``statuses[path]`` lists the answers to give in turn, then 200; paths under /hang never
    answer (until the receiver stops)."""

    url: str = ""
    statuses: dict[str, list[int]] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, request: Received) -> int:
        with self.changed:
            self.requests.append(request)
            self.changed.notify_all()
            answers = self.statuses.get(request.path) or []
            return answers.pop(0) if answers else 200

    def on(self, path: str) -> list[Received]:
        with self.changed:
            return [r for r in self.requests if r.path == path]

    def wait_for_sync(self, path: str, count: int, timeout: float = 5.0) -> list[Received]:
        with self.changed:
            arrived = self.changed.wait_for(
                lambda: sum(r.path == path for r in self.requests) >= count, timeout)
        assert arrived, f"{path} got {len(self.on(path))} of {count} requests"
        return self.on(path)

    async def wait_for(self, path: str, count: int, timeout: float = 5.0) -> list[Received]:
        return await asyncio.to_thread(self.wait_for_sync, path, count, timeout)


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = state.record(
                Received(self.path, list(self.headers.items()), body, time.time()))
            if self.path.startswith(HANG_PREFIX):
                state.release.wait(30)
                return
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
