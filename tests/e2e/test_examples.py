"""Every program in examples/ runs against a real server and reports success."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.server import REPO_ROOT, RunningServer

EXAMPLES = sorted((REPO_ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_example_runs_to_success(example: Path) -> None:
    server = RunningServer()  # each story starts from an empty emulator
    try:
        result = subprocess.run(
            [sys.executable, str(example), "--endpoint", server.endpoint],
            capture_output=True, text=True, timeout=60,
        )
    finally:
        server.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("done"), result.stdout
