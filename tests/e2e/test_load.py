"""Load: 50 client threads of mixed operations, and hundreds of idle long polls.

The figures for longer runs come from ``bench/load.py`` and ``bench/long_pollers.py``; here the
runs are short and the checks are exact: no failed request, every acknowledged message delivered
and deleted exactly once, idle long polls costing (next to) no CPU and all woken by new messages.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import make_client
from tests.support.load_driver import problems, run_load
from tests.support.server import RunningServer

THREADS = 50
SECONDS = 3
POLLERS = 200


def test_fifty_threads_of_mixed_operations_lose_nothing(
    server: RunningServer, protocol: str, queue_name: str
) -> None:
    admin = make_client("sqs", server.endpoint, protocol)
    urls = [admin.create_queue(QueueName=f"{queue_name}-{i}")["QueueUrl"] for i in range(3)]
    ledger, _ = run_load(server.endpoint, protocol, urls, THREADS, SECONDS)
    assert problems(ledger) == []
    assert len(ledger.sent) > THREADS  # the run did real work
    assert sum(ledger.deleted.values()) == len(ledger.sent)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


async def _poll_until_message(client: httpx.AsyncClient, queue_url: str) -> str:
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "X-Amz-Target": "AmazonSQS.ReceiveMessage"}
    while True:
        reply = await client.post("/", headers=headers, content=json.dumps(
            {"QueueUrl": queue_url, "WaitTimeSeconds": 20, "MaxNumberOfMessages": 1}))
        assert reply.status_code == 200, reply.text
        messages: list[dict[str, Any]] = reply.json().get("Messages", [])
        if messages:
            return str(messages[0]["Body"])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc for CPU time")
def test_hundreds_of_idle_long_polls_cost_no_cpu_and_all_wake(queue_name: str) -> None:
    server = RunningServer()
    try:
        sqs = make_client("sqs", server.endpoint)
        queue_url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]

        async def scenario() -> tuple[float, list[str], float]:
            limits = httpx.Limits(max_connections=POLLERS + 5)
            async with httpx.AsyncClient(base_url=server.endpoint, limits=limits,
                                         timeout=30) as client:
                polls = [asyncio.create_task(_poll_until_message(client, queue_url))
                         for _ in range(POLLERS)]
                await asyncio.sleep(1.0)
                before = _cpu_seconds(server.process.pid)
                await asyncio.sleep(1.0)
                idle_cpu = _cpu_seconds(server.process.pid) - before
                started = time.monotonic()
                await asyncio.to_thread(_send_all, sqs, queue_url)
                bodies = await asyncio.wait_for(asyncio.gather(*polls), timeout=20)
                return idle_cpu, list(bodies), time.monotonic() - started

        idle_cpu, bodies, woke_in = asyncio.run(scenario())
    finally:
        server.stop()
    # A poll loop with any tick would burn far more than this over a second with 200 waiters.
    assert idle_cpu < 0.2
    assert sorted(bodies) == sorted(f"m{i}" for i in range(POLLERS))
    assert woke_in < 15


def _send_all(sqs: Any, queue_url: str) -> None:
    for start in range(0, POLLERS, 10):
        entries = [{"Id": str(i), "MessageBody": f"m{start + i}"} for i in range(10)]
        assert not sqs.send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed")
