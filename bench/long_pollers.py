"""Hundreds of concurrent long polls: idle cost, and how fast each wakes when a message arrives.

    python bench/long_pollers.py --pollers 500 [--idle-seconds 5]

Each poller is one connection doing raw JSON-protocol ReceiveMessage calls (WaitTimeSeconds=20,
VisibilityTimeout=600, so nothing comes back during the run) on one queue. While they wait, the
script measures the server's CPU time; then it sends one message per poller, one SendMessage after
another, and measures per message the time from its SendMessage response to the moment a poller
holds it, and the server's CPU time for the whole send phase. Every poller must get exactly one
distinct message.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from _support import RunningServer, cpu_seconds, percentiles, rss_mib

IDLE_REUSE_SECONDS = 3  # uvicorn closes keep-alive connections idle for 5 s


class Connection:
    """One keep-alive HTTP/1.1 connection speaking the SQS JSON protocol, on asyncio streams.

    (httpx's pool costs the client O(connections) per request: with hundreds of pollers the client,
    not the server, would be what is measured.)
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_used = 0.0

    async def call(self, operation: str, body: dict[str, object]) -> dict:
        if self.writer is not None and time.monotonic() - self.last_used > IDLE_REUSE_SECONDS:
            self.close()  # the server may be closing it right now
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        payload = json.dumps(body).encode()
        self.writer.write(
            f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            "Content-Type: application/x-amz-json-1.0\r\n"
            f"X-Amz-Target: AmazonSQS.{operation}\r\nContent-Length: {len(payload)}\r\n\r\n"
            .encode() + payload)
        await self.writer.drain()
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        length = next((int(line.split(":", 1)[1]) for line in head
                       if line.lower().startswith("content-length:")), 0)
        content = await self.reader.readexactly(length)
        self.last_used = time.monotonic()
        if status != 200:
            raise RuntimeError(f"{operation}: HTTP {status}: {content[:200]!r}")
        return json.loads(content) if content else {}

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def run(port: int, pid: int, pollers: int, idle_seconds: float) -> dict[str, object]:
    client = Connection(port)
    try:
        queue_url = (await client.call("CreateQueue", {"QueueName": "pollers"}))["QueueUrl"]
        sent_at: dict[str, float] = {}
        woke_after: list[float] = []
        bodies: list[str] = []

        async def poll() -> None:
            connection = Connection(port)
            try:
                for _ in range(10):  # bounded: at most 10 empty 20-second waits
                    reply = await connection.call("ReceiveMessage", {
                        "QueueUrl": queue_url, "WaitTimeSeconds": 20, "MaxNumberOfMessages": 1,
                        "VisibilityTimeout": 600,
                    })
                    messages = reply.get("Messages", [])
                    if messages:
                        now = time.perf_counter()
                        body = messages[0]["Body"]
                        woke_after.append(now - sent_at.get(body, now))
                        bodies.append(body)
                        return
            finally:
                connection.close()

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
            await client.call("SendMessage", {"QueueUrl": queue_url, "MessageBody": body})
        sending = time.perf_counter() - started
        cpu_sending = cpu_seconds(pid) - cpu_before - idle_cpu
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=60)
        elapsed = time.perf_counter() - started
    finally:
        client.close()

    return {
        "pollers": pollers,
        "idle_seconds": idle_seconds,
        "server_cpu_while_idle_s": round(idle_cpu, 3),
        "server_cpu_while_idle_percent": round(100 * idle_cpu / idle_seconds, 2),
        "server_rss_mib_with_pollers_waiting": round(rss_waiting, 1),
        "sends_took_s": round(sending, 2),
        "server_cpu_during_sends_s": round(cpu_sending, 2),
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
        report = asyncio.run(run(server.port, server.process.pid, args.pollers,
                                 args.idle_seconds))
    finally:
        server.stop()
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
