"""Story 5: push instead of poll — SNS → SQS → a consumer that forwards to another product.

A data sync that polled an API every 5 minutes became a pipeline: the producer publishes each
change to a topic, the topic delivers it to a queue (raw delivery), and consumers long-poll the
queue and forward each change to the other product as soon as it arrives. The program measures
the latency from publish to receive over N messages and prints its percentiles.

    python examples/push_pipeline.py --endpoint http://127.0.0.1:4566 --messages 500
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time

import boto3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="http://127.0.0.1:4566")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--consumers", type=int, default=2)
    parser.add_argument("--max-p99", type=float, default=5.0, help="seconds")
    args = parser.parse_args()
    options = {"endpoint_url": args.endpoint, "region_name": "us-east-1",
               "aws_access_key_id": "test", "aws_secret_access_key": "test"}
    sqs, sns = boto3.client("sqs", **options), boto3.client("sns", **options)

    topic_arn = sns.create_topic(Name="product-changes")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="product-sync")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    # The queue lets the topic send to it: AWS delivers nothing to a queue without this.
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]}
    sqs.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(policy)})
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn,
                  Attributes={"RawMessageDelivery": "true"})

    # The other product: a stub that records what it is sent, with when it arrived.
    forwarded: dict[int, float] = {}
    lock = threading.Lock()

    def other_product_update(change: dict, received_at: float) -> None:
        with lock:
            forwarded[change["id"]] = received_at - change["published_at"]

    published_all = threading.Event()

    def consumer() -> None:
        client = boto3.client("sqs", **options)  # one client per thread
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            messages = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                              WaitTimeSeconds=1).get("Messages", [])
            received_at = time.time()
            for message in messages:
                other_product_update(json.loads(message["Body"]), received_at)
            if messages:
                client.delete_message_batch(QueueUrl=queue_url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                    for i, m in enumerate(messages)])
            elif published_all.is_set() and len(forwarded) >= args.messages:
                return

    threads = [threading.Thread(target=consumer) for _ in range(args.consumers)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    for number in range(args.messages):
        change = {"id": number, "product": f"P-{number % 17}", "published_at": time.time()}
        sns.publish(TopicArn=topic_arn, Message=json.dumps(change))
    published_all.set()
    elapsed = time.monotonic() - started
    for thread in threads:
        thread.join()

    print(f"published {args.messages} changes in {elapsed:.2f} s "
          f"({args.messages / elapsed:.0f}/s); forwarded {len(forwarded)}")
    if sorted(forwarded) != list(range(args.messages)):
        print(f"lost {args.messages - len(forwarded)} changes")
        return 1
    cuts = statistics.quantiles(forwarded.values(), n=100, method="inclusive")
    p50, p90, p99 = (cuts[49], cuts[89], cuts[98])
    print(f"publish -> receive latency: p50 {p50 * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms, "
          f"p99 {p99 * 1000:.1f} ms, max {max(forwarded.values()) * 1000:.1f} ms")
    if p99 > args.max_p99:
        print(f"p99 above {args.max_p99} s")
        return 1
    print("done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
