"""What ``--durability full`` costs against ``--durability normal``: throughput and latency.

    python bench/durability.py [--threads 1,8] [--seconds 5] [--rounds 3] [--dir PATH]

For each mode a real server is started on a data file in ``--dir`` (default: a temporary
directory, which should sit on the disk you care about; tmpfs makes fsync free). Raw JSON-protocol
requests over keep-alive loopback connections, so the client costs little:

1. send: every thread sends one message per SendMessage for ``--seconds``;
2. receive+delete: every thread receives up to 10 (no wait) and deletes them with one
   DeleteMessageBatch, until the queue is empty (bounded by 4x ``--seconds``).

Each phase must account for every message (all sent are received and deleted). Rounds run the
modes in turn, so a neighbour's load on the machine falls on both; rates are the median round,
latencies are pooled over all rounds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from _support import RunningServer, percentiles

MODES = ("full", "normal")
MAX_MESSAGES_PER_THREAD = 200_000  # a bound on the send phase besides its time
DRAIN_BOUND = 4  # the receive+delete phase stops when the queue is empty, or after 4x --seconds


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


def send_phase(port: int, url: str, threads: int, seconds: float) -> tuple[int, float, list[float]]:
    """Messages sent, elapsed seconds, SendMessage latencies."""
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
    return len(merged), elapsed, merged


def receive_delete_phase(port: int, url: str, threads: int,
                         seconds: float) -> tuple[int, float, list[float], list[float]]:
    """Messages deleted, elapsed seconds, ReceiveMessage and DeleteMessageBatch latencies."""
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
    return (sum(deleted), elapsed, [s for samples in receive for s in samples],
            [s for samples in delete for s in samples])


class Tally:
    """Rates per round and latencies pooled over rounds, for one mode and thread count."""

    def __init__(self) -> None:
        self.send_rates: list[float] = []
        self.drain_rates: list[float] = []
        self.send: list[float] = []
        self.receive: list[float] = []
        self.delete: list[float] = []

    def report(self) -> dict[str, Any]:
        return {
            "send_per_second": round(statistics.median(self.send_rates)),
            "receive_delete_messages_per_second": round(statistics.median(self.drain_rates)),
            "SendMessage": percentiles(self.send),
            "ReceiveMessage_10": percentiles(self.receive),
            "DeleteMessageBatch_10": percentiles(self.delete),
        }


def one_round(mode: str, folder: Path, threads: list[int], seconds: float,
              tallies: dict[tuple[str, int], Tally]) -> None:
    data = folder / f"kyu-{mode}.db"
    server = RunningServer(data=data, extra_args=["--durability", mode])
    try:
        for count in threads:
            admin = Client(server.port)  # a fresh connection: the server drops idle ones
            url = admin.call("CreateQueue", {"QueueName": f"durability-{count}"})["QueueUrl"]
            admin.close()
            tally = tallies[(mode, count)]
            sent, elapsed, latencies = send_phase(server.port, url, count, seconds)
            tally.send_rates.append(sent / elapsed)
            tally.send += latencies
            deleted, elapsed, receive, delete = receive_delete_phase(server.port, url, count,
                                                                     DRAIN_BOUND * seconds)
            if deleted != sent:
                raise RuntimeError(f"{mode}: sent {sent} but received and deleted {deleted}")
            tally.drain_rates.append(deleted / elapsed)
            tally.receive += receive
            tally.delete += delete
    finally:
        server.stop()
    for path in folder.glob(f"kyu-{mode}.db*"):
        path.unlink()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,8", help="comma-separated client thread counts")
    parser.add_argument("--seconds", type=float, default=5, help="length of each phase")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds, modes interleaved; rates are the median round")
    parser.add_argument("--dir", type=Path, default=None, help="where the data files go")
    args = parser.parse_args()
    threads = [int(part) for part in args.threads.split(",")]
    tallies = {(mode, count): Tally() for mode in MODES for count in threads}
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        for _ in range(args.rounds):
            for mode in MODES:
                one_round(mode, Path(folder), threads, args.seconds, tallies)
    report = {"seconds_per_phase": args.seconds, "rounds": args.rounds,
              **{f"{mode}, {count} threads": tally.report()
                 for (mode, count), tally in tallies.items()}}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
