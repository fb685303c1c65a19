"""Start a real Kyu server (``python -m emulator serve``) on a free loopback port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RunningServer:
    def __init__(self, *, data: Path | None = None, port: int | None = None,
                 extra_args: list[str] | None = None) -> None:
        self.port = port or free_port()
        self.data = data
        self.endpoint = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "emulator", "serve", "--host", "127.0.0.1",
                "--port", str(self.port), "--log-level", "warning"]
        args += ["--data", str(data)] if data else ["--in-memory"]
        args += extra_args or []
        self.process = subprocess.Popen(args, cwd=REPO_ROOT, env={**os.environ})
        self._wait_ready()

    def _wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"kyu exited early with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/_kyu/health", timeout=1) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("kyu did not become ready")

    def advance_clock(self, seconds: float) -> None:
        request = urllib.request.Request(
            f"{self.endpoint}/_kyu/clock/advance",
            data=json.dumps({"seconds": seconds}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as reply:
            assert reply.status == 200

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return int(self.process.returncode)
