"""Kyu inside a Python test run: a real server in a background thread, state in memory.

    from emulator.testing import KyuServer

    with KyuServer() as kyu:
        sqs = kyu.client("sqs")
        url = sqs.create_queue(QueueName="jobs")["QueueUrl"]

The server listens on a free loopback port with its own event loop, so it serves the blocking
boto3 clients of the test itself. The pytest plugin (``emulator.pytest_plugin``) builds its
fixtures on this class.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn

from emulator.app import Kyu, create_app
from emulator.config import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, Config

TEST_CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
START_TIMEOUT_SECONDS = 20.0
RESET_PATH = "/_kyu/reset"


class KyuStartError(RuntimeError):
    """The embedded server did not start (for example: a bootstrap file that cannot apply)."""


class KyuServer:
    """A Kyu server in this process. Use it as a context manager, or call start() and stop()."""

    def __init__(
        self,
        *,
        config: str | Path | None = None,
        data: str | Path | None = None,
        account_id: str = DEFAULT_ACCOUNT_ID,
        region: str = DEFAULT_REGION,
        hostname: str | None = None,
        log_level: str = "warning",
    ) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port = int(self._socket.getsockname()[1])
        self.region = region
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self._config = Config(
            host="127.0.0.1", port=self.port, data_path=Path(data) if data else None,
            account_id=account_id, region=region, log_level=log_level, hostname=hostname,
            bootstrap=Path(config) if config else None,
        )
        self._app = create_app(self._config)
        self.kyu: Kyu = self._app.state.kyu
        self._server = uvicorn.Server(uvicorn.Config(
            self._app, log_level=log_level, access_log=False, timeout_graceful_shutdown=5,
        ))
        self._thread = threading.Thread(target=self._run, name="kyu-server", daemon=True)

    def _run(self) -> None:
        # uvicorn exits this way when startup fails; start() reports why.
        with contextlib.suppress(SystemExit):
            self._server.run(sockets=[self._socket])

    def start(self) -> KyuServer:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                errors = self.kyu.startup_errors
                raise KyuStartError(errors[-1] if errors else "the Kyu server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self.kyu.sqs.waiters.close()  # answer waiting long polls now, so stopping is quick
            self._server.should_exit = True
            self._thread.join(timeout=15)
        self._socket.close()

    def __enter__(self) -> KyuServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client of ``service`` ("sqs", "sns", "sts") pointed at this server."""
        import boto3

        options: dict[str, Any] = {"region_name": self.region, **TEST_CREDENTIALS, **kwargs}
        return boto3.client(service, endpoint_url=self.endpoint_url, **options)

    def advance_clock(self, seconds: float) -> None:
        """Move Kyu's clock forward: visibility timeouts, delays and cool-downs pass at once."""
        self._post("/_kyu/clock/advance", {"seconds": seconds})

    def reset(self) -> bool:
        """Drop every queue, topic and message. False when this Kyu has no reset route."""
        if not any(getattr(route, "path", None) == RESET_PATH for route in self._app.routes):
            return False
        self._post(RESET_PATH, {})
        return True

    def _post(self, path: str, document: dict[str, Any]) -> None:
        request = urllib.request.Request(
            self.endpoint_url + path, data=json.dumps(document).encode(),
            headers={"Content-Type": "application/json"}, method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            reply.read()
