"""A deep queue: fill one queue with many messages, then report memory and latencies at depth.

    python bench/deep_queue.py --messages 1000000 [--threads 8]

The queue is filled through the real API (SendMessageBatch of 10 from several threads) into a
data file. The script then reports the server's RSS, and the latency of ReceiveMessage,
DeleteMessage, SendMessage and GetQueueAttributes with the queue at that depth.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from pathlib import Path

from _support import RunningServer, make_client, percentiles, rss_mib

BODY = "x" * 200


def fill(endpoint: str, url: str, messages: int, threads: int) -> float:
    per_thread = messages // threads // 10
    clients = [make_client("sqs", endpoint) for _ in range(threads)]

    def send(client: object) -> None:
        entries = [{"Id": str(i), "MessageBody": BODY} for i in range(10)]
        for _ in range(per_thread):
            reply = client.send_message_batch(QueueUrl=url, Entries=entries)  # type: ignore[attr-defined]
            assert not reply.get("Failed")

    started = time.perf_counter()
    workers = [threading.Thread(target=send, args=(c,)) for c in clients]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started


def timed(samples: list[float], call: object, **kwargs: object) -> dict:
    start = time.perf_counter()
    reply = call(**kwargs)  # type: ignore[operator]
    samples.append(time.perf_counter() - start)
    return reply  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "kyu.db"
        server = RunningServer(data=data)
        try:
            client = make_client("sqs", server.endpoint)
            url = client.create_queue(QueueName="deep", Attributes={"VisibilityTimeout": "600"})[
                "QueueUrl"]
            rss_empty = rss_mib(server.process.pid)
            fill_seconds = fill(server.endpoint, url, args.messages, args.threads)
            depth = int(client.get_queue_attributes(
                QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
            )["Attributes"]["ApproximateNumberOfMessages"])
            rss_full = rss_mib(server.process.pid)
            receive: list[float] = []
            delete: list[float] = []
            send: list[float] = []
            attributes: list[float] = []
            for _ in range(args.samples):
                reply = timed(receive, client.receive_message, QueueUrl=url,
                              MaxNumberOfMessages=10)
                for message in reply.get("Messages", []):
                    timed(delete, client.delete_message, QueueUrl=url,
                          ReceiptHandle=message["ReceiptHandle"])
                timed(send, client.send_message, QueueUrl=url, MessageBody=BODY)
                if len(attributes) < 50:
                    timed(attributes, client.get_queue_attributes, QueueUrl=url,
                          AttributeNames=["All"])
            rss_after = rss_mib(server.process.pid)
            file_mib = sum(p.stat().st_size for p in Path(folder).iterdir()) / 2**20
        finally:
            server.stop()
    report = {
        "messages_in_queue": depth,
        "fill_seconds": round(fill_seconds, 1),
        "fill_messages_per_second": round(depth / fill_seconds),
        "rss_mib_empty": round(rss_empty, 1),
        "rss_mib_at_depth": round(rss_full, 1),
        "rss_mib_after_samples": round(rss_after, 1),
        "data_files_mib": round(file_mib, 1),
        "ReceiveMessage_10": percentiles(receive),
        "DeleteMessage": percentiles(delete),
        "SendMessage": percentiles(send),
        "GetQueueAttributes_All": percentiles(attributes),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
