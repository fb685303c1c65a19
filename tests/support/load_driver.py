"""Mixed SQS load from many threads, with exact accounting of every message.

Every message body is unique. After a run the queues are drained and ``problems`` lists what went
wrong: an acknowledged send never delivered, a message deleted twice, a message delivered again
although no client released it with ChangeMessageVisibility(0), or any failed request.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from typing import Any

from tests.e2e.conftest import make_client

CLIENTS = 10
VISIBILITY = 300  # long enough that nothing comes back on its own during a run


class Ledger:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: set[str] = set()
        self.deliveries: Counter[str] = Counter()
        self.releases: Counter[str] = Counter()
        self.deleted: Counter[str] = Counter()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []


def worker(number: int, client: Any, urls: list[str], deadline: list[float],
           ledger: Ledger, start: threading.Barrier) -> None:
    start.wait()
    rng = random.Random(number)
    sequence = 0

    def timed(name: str, call: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        reply = call(**kwargs)
        elapsed = time.perf_counter() - start
        with ledger.lock:
            ledger.latency[name].append(elapsed)
        return reply

    def consume(url: str, release: bool) -> None:
        reply = timed("ReceiveMessage", client.receive_message, QueueUrl=url,
                      MaxNumberOfMessages=10, WaitTimeSeconds=1, VisibilityTimeout=VISIBILITY)
        for message in reply.get("Messages", []):
            body = message["Body"]
            with ledger.lock:
                ledger.deliveries[body] += 1
            if release and rng.random() < 0.5:
                timed("ChangeMessageVisibility", client.change_message_visibility, QueueUrl=url,
                      ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)
                with ledger.lock:
                    ledger.releases[body] += 1
                continue
            timed("DeleteMessage", client.delete_message, QueueUrl=url,
                  ReceiptHandle=message["ReceiptHandle"])
            with ledger.lock:
                ledger.deleted[body] += 1

    while time.monotonic() < deadline[0]:
        url = rng.choice(urls)
        roll = rng.random()
        try:
            if roll < 0.35:
                sequence += 1
                body = f"w{number}-{sequence}"
                timed("SendMessage", client.send_message, QueueUrl=url, MessageBody=body)
                with ledger.lock:
                    ledger.sent.add(body)
            elif roll < 0.45:
                bodies = []
                for _ in range(10):
                    sequence += 1
                    bodies.append(f"w{number}-{sequence}")
                entries = [{"Id": str(i), "MessageBody": b} for i, b in enumerate(bodies)]
                reply = timed("SendMessageBatch", client.send_message_batch, QueueUrl=url,
                              Entries=entries)
                if reply.get("Failed"):
                    raise RuntimeError(f"batch entries failed: {reply['Failed']}")
                with ledger.lock:
                    ledger.sent.update(bodies)
            elif roll < 0.85:
                consume(url, release=roll > 0.80)
            elif roll < 0.93:
                timed("GetQueueAttributes", client.get_queue_attributes, QueueUrl=url,
                      AttributeNames=["All"])
            else:
                timed("ListQueues", client.list_queues, QueueNamePrefix="load-")
        except Exception as error:  # every failure is counted and reported
            with ledger.lock:
                ledger.errors.append(f"{type(error).__name__}: {error}")


def drain(client: Any, urls: list[str], ledger: Ledger) -> None:
    for url in urls:
        while True:
            reply = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                           WaitTimeSeconds=0, VisibilityTimeout=VISIBILITY)
            messages = reply.get("Messages", [])
            if not messages:
                break
            for message in messages:
                ledger.deliveries[message["Body"]] += 1
                client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                ledger.deleted[message["Body"]] += 1


def problems(ledger: Ledger) -> list[str]:
    problems = list(ledger.errors[:20])
    unknown = set(ledger.deliveries) - ledger.sent
    if unknown:
        problems.append(f"{len(unknown)} delivered bodies were never acknowledged as sent")
    missing = ledger.sent - set(ledger.deleted)
    if missing:
        problems.append(f"{len(missing)} acknowledged sends were never delivered")
    twice = [b for b, n in ledger.deleted.items() if n != 1]
    if twice:
        problems.append(f"{len(twice)} messages were deleted more than once")
    for body, count in ledger.deliveries.items():
        if count != 1 + ledger.releases[body]:
            problems.append(f"{body} delivered {count} times, released {ledger.releases[body]}")
            break
    return problems


def run_load(endpoint: str, protocol: str, urls: list[str], threads: int,
             seconds: float) -> tuple[Ledger, float]:
    """Run ``threads`` workers for ``seconds``, drain the queues; return the ledger and run time."""
    ledger = Ledger()
    # botocore clients are thread-safe; a few shared ones keep start-up short.
    clients = [make_client("sqs", endpoint, protocol) for _ in range(min(threads, CLIENTS))]
    deadline = [0.0]
    start = threading.Barrier(threads + 1)
    workers = [
        threading.Thread(
            target=worker, args=(n, clients[n % len(clients)], urls, deadline, ledger, start)
        )
        for n in range(threads)
    ]
    for thread in workers:
        thread.start()
    started = time.monotonic()
    deadline[0] = started + seconds
    start.wait()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    drain(clients[0], urls, ledger)
    return ledger, elapsed
