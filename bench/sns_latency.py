"""SNS to SQS: how soon a published message can be received, and how many publishes per second.

    python bench/sns_latency.py [--messages 500] [--threads 4] [--seconds 5]

A topic with one subscribed queue (RawMessageDelivery) on a real server with a data file. Raw HTTP
over keep-alive loopback connections (SNS query protocol, SQS JSON protocol).

1. latency: one long poll (WaitTimeSeconds=20) waits on the queue; messages are published one at a
   time, each only after the previous one was received. Reported: Publish round trip, and the time
   from sending the Publish request to the waiting ReceiveMessage returning the message.
2. throughput: ``--threads`` publishers for ``--seconds``; then the queue is drained and every
   acknowledged publish must be there exactly once.
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import re
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from _support import RunningServer, percentiles

IDLE_REUSE_SECONDS = 3  # uvicorn closes keep-alive connections idle for 5 s


class Client:
    """One keep-alive connection; ``sqs`` speaks JSON, ``sns`` the query protocol."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0

    def _post(self, body: bytes, headers: dict[str, str]) -> bytes:
        if self.connection is None or time.monotonic() - self.last_used > IDLE_REUSE_SECONDS:
            if self.connection is not None:
                self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        self.connection.request("POST", "/", body=body, headers=headers)
        reply = self.connection.getresponse()
        payload = reply.read()
        self.last_used = time.monotonic()
        if reply.status != 200:
            raise RuntimeError(f"HTTP {reply.status}: {payload[:300]!r}")
        return payload

    def sqs(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        payload = self._post(json.dumps(body).encode(), {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"AmazonSQS.{operation}"})
        return json.loads(payload) if payload else {}

    def sns(self, action: str, **parameters: str) -> str:
        form = urllib.parse.urlencode({"Action": action, "Version": "2010-03-31", **parameters})
        return self._post(form.encode(), {
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}).decode()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def xml_value(document: str, element: str) -> str:
    found = re.search(f"<{element}>([^<]*)</{element}>", document)
    if found is None:
        raise RuntimeError(f"no <{element}> in {document[:300]}")
    return found.group(1)


def set_up(port: int) -> tuple[str, str]:
    client = Client(port)
    url = client.sqs("CreateQueue", {"QueueName": "sns-latency"})["QueueUrl"]
    queue_arn = client.sqs("GetQueueAttributes", {"QueueUrl": url, "AttributeNames": [
        "QueueArn"]})["Attributes"]["QueueArn"]
    topic = xml_value(client.sns("CreateTopic", Name="sns-latency"), "TopicArn")
    client.sns("Subscribe", TopicArn=topic, Protocol="sqs", Endpoint=queue_arn,
               ReturnSubscriptionArn="true", **{"Attributes.entry.1.key": "RawMessageDelivery",
                                                "Attributes.entry.1.value": "true"})
    client.close()
    return url, topic


def latency_phase(port: int, url: str, topic: str, messages: int) -> dict[str, Any]:
    arrived: queue.Queue[tuple[str, float]] = queue.Queue()

    def poll() -> None:
        """Receive until the message "stop" (bounded: at most as many polls as messages + 5)."""
        client = Client(port)
        for _ in range(messages + 5):
            reply = client.sqs("ReceiveMessage", {"QueueUrl": url, "WaitTimeSeconds": 20,
                                                  "MaxNumberOfMessages": 10})
            now = time.perf_counter()
            bodies = []
            for message in reply.get("Messages", []):
                arrived.put((message["Body"], now))
                bodies.append(message["Body"])
                client.sqs("DeleteMessage", {"QueueUrl": url,
                                             "ReceiptHandle": message["ReceiptHandle"]})
            if "stop" in bodies:
                break
        client.close()

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    time.sleep(0.5)  # the long poll is waiting
    publisher = Client(port)
    publish: list[float] = []
    receivable: list[float] = []
    for number in range(messages):
        body = f"latency-{number}"
        started = time.perf_counter()
        publisher.sns("Publish", TopicArn=topic, Message=body)
        publish.append(time.perf_counter() - started)
        got, at = arrived.get(timeout=5)
        if got != body:
            raise RuntimeError(f"expected {body}, received {got}")
        receivable.append(at - started)
    publisher.sns("Publish", TopicArn=topic, Message="stop")  # ends the waiting poll
    poller.join(timeout=25)
    publisher.close()
    while not arrived.empty():
        arrived.get()
    return {"messages": messages, "Publish": percentiles(publish),
            "publish_to_received": percentiles(receivable)}


def throughput_phase(port: int, url: str, topic: str, threads: int,
                     seconds: float) -> dict[str, Any]:
    acknowledged: list[list[str]] = [[] for _ in range(threads)]

    def work(number: int) -> None:
        client = Client(port)
        deadline = time.perf_counter() + seconds
        mine = acknowledged[number]
        while time.perf_counter() < deadline and len(mine) < 100_000:
            body = f"t{number}-{len(mine)}"
            client.sns("Publish", TopicArn=topic, Message=body)
            mine.append(body)
        client.close()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    expected = {body for bodies in acknowledged for body in bodies}
    received: list[str] = []
    client = Client(port)
    for _ in range(len(expected) // 10 + 100):  # bounded drain
        reply = client.sqs("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10})
        messages = reply.get("Messages", [])
        if not messages:
            break
        received += [m["Body"] for m in messages]
        client.sqs("DeleteMessageBatch", {"QueueUrl": url, "Entries": [
            {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)]})
    client.close()
    missing = expected - set(received)
    return {"threads": threads, "publishes": len(expected),
            "publishes_per_second": round(len(expected) / elapsed),
            "received": len(received), "missing": sorted(missing)[:10],
            "all_received_once": sorted(received) == sorted(expected)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server = RunningServer(data=Path(folder) / "kyu.db")
        try:
            url, topic = set_up(server.port)
            report = {
                "latency": latency_phase(server.port, url, topic, args.messages),
                "throughput": throughput_phase(server.port, url, topic, args.threads,
                                               args.seconds),
            }
        finally:
            server.stop()
    print(json.dumps(report, indent=2))
    return 0 if report["throughput"]["all_received_once"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
