"""Graceful shutdown on SIGTERM and SIGINT (Ctrl-C).

Waiting long polls are answered at once with no messages, writes in progress finish, the database
is closed cleanly (the WAL checkpointed into the data file) and the process exits 0 quickly.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import make_client
from tests.support.server import RunningServer

LONG_POLLS = 20
# Generous for a loaded 2-core machine; an idle server stops in a few hundred milliseconds.
EXIT_WITHIN_SECONDS = 2.5


def wal_is_checkpointed(data: Path) -> bool:
    wal = data.with_name(data.name + "-wal")
    return not wal.exists() or wal.stat().st_size == 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_waiting_long_polls_end_at_once_and_the_server_exits_cleanly(
    tmp_path: Path, sig: signal.Signals
) -> None:
    data = tmp_path / "kyu.db"
    server = RunningServer(data=data)
    sqs = make_client("sqs", server.endpoint, max_pool_connections=LONG_POLLS + 2)
    url = sqs.create_queue(QueueName="idle")["QueueUrl"]
    sqs.tag_queue(QueueUrl=url, Tags={"kept": "yes"})
    polls_started = threading.Barrier(LONG_POLLS + 1)

    def long_poll(_: int) -> tuple[list[Any], float]:
        polls_started.wait()
        reply = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)
        return reply.get("Messages", []), time.monotonic()

    with ThreadPoolExecutor(LONG_POLLS) as pool:
        futures = [pool.submit(long_poll, n) for n in range(LONG_POLLS)]
        polls_started.wait()
        time.sleep(0.5)  # let every request reach the server and start waiting
        assert not any(future.done() for future in futures)
        signalled = time.monotonic()
        code = server.stop(sig)
        exited = time.monotonic() - signalled
        results = [future.result(timeout=5) for future in futures]

    assert code == 0
    assert exited < EXIT_WITHIN_SECONDS
    assert [messages for messages, _ in results] == [[]] * LONG_POLLS
    assert max(answered for _, answered in results) - signalled < EXIT_WITHIN_SECONDS
    assert wal_is_checkpointed(data)
    with sqlite3.connect(f"file:{data}?mode=ro", uri=True) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT name FROM queues").fetchall() == [("idle",)]
    check.close()


def test_sends_in_progress_at_sigterm_are_kept(tmp_path: Path) -> None:
    data = tmp_path / "kyu.db"
    server = RunningServer(data=data)
    sqs = make_client("sqs", server.endpoint, max_pool_connections=8)
    url = sqs.create_queue(QueueName="busy")["QueueUrl"]
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def produce(worker: int) -> None:
        n = 0
        while not stop.is_set():
            body = f"{worker}-{n}"
            n += 1
            try:
                sqs.send_message(QueueUrl=url, MessageBody=body)
            except Exception:
                return  # the server stopped accepting; this send was not acknowledged
            with lock:
                acknowledged.append(body)

    with ThreadPoolExecutor(6) as pool:
        workers = [pool.submit(produce, n) for n in range(6)]
        time.sleep(0.7)
        code = server.stop(signal.SIGTERM)
        stop.set()
        for worker in workers:
            worker.result(timeout=10)

    assert code == 0
    assert len(acknowledged) > 20
    assert wal_is_checkpointed(data)
    with sqlite3.connect(f"file:{data}?mode=ro", uri=True) as check:
        stored = {row[0] for row in check.execute("SELECT body FROM messages")}
    check.close()
    assert set(acknowledged) <= stored
