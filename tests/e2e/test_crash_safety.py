"""Crash safety, proven by SIGKILL: a short run of the kill/restart driver (``bench/soak.py`` runs
it for longer).

Producers and consumers work a standard queue, a FIFO queue and a queue of messages left in
flight while the server is killed with SIGKILL at random moments and restarted on the same data
file. Owed afterwards, for acknowledged operations only: every send is delivered, no successfully
deleted message comes back, FIFO order within each group holds, re-sent deduplication ids stay
deduplicated, in-flight messages come back when their visibility timeout (counted from the
original receive, downtime included) ends, and queue attributes and tags are intact. An SNS topic
fans out to a raw and an enveloped queue: every acknowledged publish reaches both, and the topic's
attributes, tags and subscriptions survive every restart.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.crash_driver import CrashDriver

CYCLES = 5


def test_nothing_acknowledged_is_lost_when_the_server_is_killed(tmp_path: Path) -> None:
    report = CrashDriver(tmp_path / "kyu.db", seed=20240521).run(CYCLES)
    print(report.summary())
    assert report.violations == []
    assert report.cycles == CYCLES
    # The run must have exercised what it claims to check.
    assert report.acknowledged_sends > 100
    assert report.receipts_checked >= report.acknowledged_sends
    assert report.held_checked > 0
    assert report.dedup_resends > 0
    assert report.acknowledged_publishes > 20
