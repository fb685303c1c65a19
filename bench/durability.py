"""What ``--durability full`` costs against ``--durability normal``: throughput and latency.

    python bench/durability.py [--threads 1,8] [--seconds 8] [--dir PATH]

For each mode a real server is started on a data file in ``--dir`` (default: a temporary
directory, which should sit on the disk you care about; tmpfs makes fsync free). Raw JSON-protocol
requests over keep-alive loopback connections, so the client costs little:

1. send: every thread sends one message per SendMessage for ``--seconds``;
2. receive+delete: every thread receives up to 10 (no wait) and deletes them with one
   DeleteMessageBatch, until the queue is empty or ``--seconds`` have passed.

Each phase reports operations per second and p50/p99 latency per request.
"""

from __future__ import annotations

import argparse
import http.client
import json
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from _support import RunningServer, percentiles

MODES = ("full", "normal")
MAX_MESSAGES_PER_THREAD = 200_000  # a bound on the send phase besides its time


class Client:
    """One keep-alive HTTP connection speaking the SQS JSON protocol."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        self.connection.request("POST", "/", body=json.dumps(body), headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"AmazonSQS.{operation}",
        })
        reply = self.connection.getresponse()
        payload = reply.read()
        if reply.status != 200:
            raise RuntimeError(f"{operation}: HTTP {reply.status}: {payload[:200]!r}")
        return json.loads(payload) if payload else {}

    def close(self) -> None:
        self.connection.close()


def run_threads(threads: int, work: Any) -> float:
    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


def send_phase(port: int, url: str, threads: int, seconds: float) -> dict[str, Any]:
    latencies: list[list[float]] = [[] for _ in range(threads)]

    def work(number: int) -> None:
        client = Client(port)
        deadline = time.perf_counter() + seconds
        samples = latencies[number]
        while time.perf_counter() < deadline and len(samples) < MAX_MESSAGES_PER_THREAD:
            start = time.perf_counter()
            client.call("SendMessage", {"QueueUrl": url, "MessageBody": f"{number}-{len(samples)}"})
            samples.append(time.perf_counter() - start)
        client.close()

    elapsed = run_threads(threads, work)
    merged = [sample for samples in latencies for sample in samples]
    return {"messages": len(merged), "per_second": round(len(merged) / elapsed),
            "SendMessage": percentiles(merged)}


def receive_delete_phase(port: int, url: str, threads: int, seconds: float) -> dict[str, Any]:
    receive: list[list[float]] = [[] for _ in range(threads)]
    delete: list[list[float]] = [[] for _ in range(threads)]
    deleted = [0] * threads

    def work(number: int) -> None:
        client = Client(port)
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            reply = client.call("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10,
                                                   "VisibilityTimeout": 600})
            receive[number].append(time.perf_counter() - start)
            messages = reply.get("Messages", [])
            if not messages:
                break
            start = time.perf_counter()
            reply = client.call("DeleteMessageBatch", {"QueueUrl": url, "Entries": [
                {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]}
                for n, m in enumerate(messages)]})
            delete[number].append(time.perf_counter() - start)
            if reply.get("Failed"):
                raise RuntimeError(f"DeleteMessageBatch failed: {reply['Failed']}")
            deleted[number] += len(messages)
        client.close()

    elapsed = run_threads(threads, work)
    return {"messages": sum(deleted), "per_second": round(sum(deleted) / elapsed),
            "ReceiveMessage_10": percentiles([s for samples in receive for s in samples]),
            "DeleteMessageBatch": percentiles([s for samples in delete for s in samples])}


def measure(mode: str, folder: Path, threads: list[int], seconds: float) -> dict[str, Any]:
    data = folder / f"kyu-{mode}.db"
    server = RunningServer(data=data, extra_args=["--durability", mode])
    results: dict[str, Any] = {}
    try:
        for count in threads:
            admin = Client(server.port)  # a fresh connection: the server drops idle ones
            url = admin.call("CreateQueue", {"QueueName": f"durability-{count}"})["QueueUrl"]
            admin.close()
            results[f"{count}_threads"] = {
                "send": send_phase(server.port, url, count, seconds),
                "receive_delete": receive_delete_phase(server.port, url, count, seconds),
            }
    finally:
        server.stop()
    for path in folder.glob(f"kyu-{mode}.db*"):
        path.unlink()
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,8", help="comma-separated client thread counts")
    parser.add_argument("--seconds", type=float, default=8, help="length of each phase")
    parser.add_argument("--dir", type=Path, default=None, help="where the data files go")
    args = parser.parse_args()
    threads = [int(part) for part in args.threads.split(",")]
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        report = {
            "data_dir": folder,
            "seconds_per_phase": args.seconds,
            **{mode: measure(mode, Path(folder), threads, args.seconds) for mode in MODES},
        }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
