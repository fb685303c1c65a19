"""Story 3: order updates through a FIFO queue, in order and without duplicates.

Quantity changes and cancellations of each order go to a FIFO queue with the order id as the
MessageGroupId, so they are applied in the order they were sent; content-based deduplication drops
a re-sent update for 5 minutes, so a retrying producer cannot apply it twice.

    python examples/fifo_order_updates.py --endpoint http://127.0.0.1:4566
"""

from __future__ import annotations

import argparse
import json

import boto3


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="http://127.0.0.1:4566")
    args = parser.parse_args()
    sqs = boto3.client("sqs", endpoint_url=args.endpoint, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test")
    queue_url = sqs.create_queue(QueueName="order-updates.fifo", Attributes={
        "FifoQueue": "true", "ContentBasedDeduplication": "true",
    })["QueueUrl"]

    updates = [
        {"order": "A-1", "quantity": 1},
        {"order": "B-7", "quantity": 5},
        {"order": "A-1", "quantity": 3},
        {"order": "B-7", "cancelled": True},
        {"order": "A-1", "quantity": 2},
    ]
    for update in updates:
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(update),
                         MessageGroupId=update["order"])
    # A producer retrying after a lost response re-sends the same update: it is not delivered twice.
    retry = sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(updates[2]),
                             MessageGroupId="A-1")
    print(f"re-sent update accepted as message {retry['MessageId']}")

    orders: dict[str, dict[str, object]] = {}
    applied = 0
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            break
        for message in messages:
            update = json.loads(message["Body"])
            orders.setdefault(update.pop("order"), {}).update(update)
            applied += 1
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    print(f"applied {applied} updates: {json.dumps(orders, sort_keys=True)}")
    ok = applied == len(updates) and orders == {
        "A-1": {"quantity": 2}, "B-7": {"quantity": 5, "cancelled": True},
    }
    print("done" if ok else "unexpected result")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
