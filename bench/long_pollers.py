"""Hundreds of concurrent long polls: idle cost, and how fast each wakes when a message arrives.

    python bench/long_pollers.py --pollers 500 [--idle-seconds 5]

Each poller is one raw JSON-protocol ReceiveMessage (WaitTimeSeconds=20) on one queue. While they
wait, the script measures the server's CPU time; then it sends one message per poller and measures,
per message, the time from its SendMessage response to the moment a poller holds it. Every poller
must get exactly one distinct message.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

import httpx
from _support import RunningServer, cpu_seconds, percentiles, rss_mib

HEADERS = {"Content-Type": "application/x-amz-json-1.0"}


async def call(client: httpx.AsyncClient, operation: str, body: dict[str, object]) -> dict:
    reply = await client.post("/", content=json.dumps(body),
                              headers={**HEADERS, "X-Amz-Target": f"AmazonSQS.{operation}"})
    reply.raise_for_status()
    return reply.json() if reply.content else {}


async def run(endpoint: str, pid: int, pollers: int, idle_seconds: float) -> dict[str, object]:
    limits = httpx.Limits(max_connections=pollers + 10, max_keepalive_connections=pollers + 10)
    async with httpx.AsyncClient(base_url=endpoint, limits=limits, timeout=60) as client:
        queue_url = (await call(client, "CreateQueue", {"QueueName": "pollers"}))["QueueUrl"]
        sent_at: dict[str, float] = {}
        woke_after: list[float] = []
        bodies: list[str] = []

        async def poll() -> None:
            while True:
                reply = await call(client, "ReceiveMessage", {
                    "QueueUrl": queue_url, "WaitTimeSeconds": 20, "MaxNumberOfMessages": 1,
                })
                messages = reply.get("Messages", [])
                if messages:
                    now = time.perf_counter()
                    body = messages[0]["Body"]
                    woke_after.append(now - sent_at.get(body, now))
                    bodies.append(body)
                    return

        tasks = [asyncio.create_task(poll()) for _ in range(pollers)]
        await asyncio.sleep(2)  # let every poll reach the server and start waiting
        cpu_before = cpu_seconds(pid)
        await asyncio.sleep(idle_seconds)
        idle_cpu = cpu_seconds(pid) - cpu_before
        rss_waiting = rss_mib(pid)

        started = time.perf_counter()
        for number in range(pollers):
            body = f"m{number}"
            sent_at[body] = time.perf_counter()
            await call(client, "SendMessage", {"QueueUrl": queue_url, "MessageBody": body})
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)
        elapsed = time.perf_counter() - started

    return {
        "pollers": pollers,
        "idle_seconds": idle_seconds,
        "server_cpu_while_idle_s": round(idle_cpu, 3),
        "server_cpu_while_idle_percent": round(100 * idle_cpu / idle_seconds, 2),
        "server_rss_mib_with_pollers_waiting": round(rss_waiting, 1),
        "all_woken_in_s": round(elapsed, 2),
        "send_to_receive": percentiles(woke_after),
        "distinct_messages_received": len(set(bodies)),
        "ok": len(set(bodies)) == pollers == len(bodies),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pollers", type=int, default=500)
    parser.add_argument("--idle-seconds", type=float, default=5)
    args = parser.parse_args()
    server = RunningServer()
    try:
        report = asyncio.run(run(server.endpoint, server.process.pid, args.pollers,
                                 args.idle_seconds))
    finally:
        server.stop()
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
