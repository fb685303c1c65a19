"""Every program in examples/ runs against a real server, reports success and the right outcome."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.server import REPO_ROOT, RunningServer

EXAMPLES = sorted((REPO_ROOT / "examples").glob("*.py"))


def crm_import_worker(lines: list[str]) -> None:
    assert {"customer 7: stored", "customer 1001: stored", "customer 1002: stored",
            "customer 42: moved to the dead-letter queue"} <= set(lines)


def fifo_order_updates(lines: list[str]) -> None:
    assert ('applied 5 updates: {"A-1": {"quantity": 2}, "B-7": {"cancelled": true, '
            '"quantity": 5}}') in lines


def sns_fanout_workers(lines: list[str]) -> None:
    # Both cards end at their latest version although c2's first write failed and was retried.
    assert 'cards: {"c1": ["Ada L.", 2], "c2": ["Bob M.", 2]}' in lines
    assert "audit: 4 events; retried: 1" in lines
    assert "index: database is locked writing card c2; the message will come back" in lines
    indexed = [line for line in lines if line.startswith("index: card ")]
    for event in ("c1 imported (v1)", "c1 updated (v2)", "c2 imported (v1)", "c2 updated (v2)"):
        assert any(line.startswith(f"index: card {event}") for line in indexed), lines
    assert len(indexed) == 4, lines


def filter_policy_routing(lines: list[str]) -> None:
    assert [line for line in lines if line.startswith("step ")] == [
        "step 1: worker <- card.imported | batch <- card.deleted, card.updated, invoice.paid",
        "step 2: worker <- card.imported, card.updated | batch <- card.deleted, invoice.paid",
        "step 3: worker <- card.deleted, card.imported, card.updated | batch <- invoice.paid",
    ]


def push_pipeline(lines: list[str]) -> None:
    assert re.fullmatch(r"published 200 changes in [\d.]+ s \(\d+/s\); forwarded 200", lines[0])
    latency = re.fullmatch(r"publish -> receive latency: p50 ([\d.]+) ms, p90 ([\d.]+) ms, "
                           r"p99 ([\d.]+) ms, max ([\d.]+) ms", lines[1])
    assert latency, lines
    p50, p90, p99, highest = map(float, latency.groups())
    assert 0 < p50 <= p90 <= p99 <= highest


OUTCOMES: dict[str, Callable[[list[str]], None]] = {
    check.__name__: check for check in (crm_import_worker, fifo_order_updates,
                                        sns_fanout_workers, filter_policy_routing, push_pipeline)
}


def test_every_example_has_an_outcome_check() -> None:
    assert sorted(OUTCOMES) == sorted(path.stem for path in EXAMPLES)


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
    OUTCOMES[example.stem](result.stdout.splitlines())

