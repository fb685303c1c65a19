"""Story 1: decoupling an import job, with retries and a dead-letter queue.

An admin screen sends customer ids to a queue; a worker receives each id, fetches the customer from
a CRM, stores it, and deletes the message only after success. A failure leaves the message in the
queue: it comes back when its visibility timeout ends, and after 3 failed receives SQS moves it to
the dead-letter queue.

    python examples/crm_import_worker.py --endpoint http://127.0.0.1:4566
"""

from __future__ import annotations

import argparse
import json
import time

import boto3

BROKEN_CUSTOMER = "42"  # the CRM always fails for this one


def fetch_from_crm(customer_id: str) -> dict[str, str]:
    if customer_id == BROKEN_CUSTOMER:
        raise ConnectionError("CRM timed out")
    return {"id": customer_id, "name": f"Customer {customer_id}"}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="http://127.0.0.1:4566")
    args = parser.parse_args()
    sqs = boto3.client("sqs", endpoint_url=args.endpoint, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test")

    dlq_url = sqs.create_queue(QueueName="crm-import-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(QueueName="crm-import", Attributes={
        "VisibilityTimeout": "1",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "3"}),
    })["QueueUrl"]

    # The admin screen.
    customer_ids = ["7", BROKEN_CUSTOMER, "1001", "1002"]
    for customer_id in customer_ids:
        sqs.send_message(QueueUrl=queue_url, MessageBody=customer_id)

    # The batch worker.
    stored: dict[str, dict[str, str]] = {}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=1).get("Messages", [])
        for message in messages:
            try:
                customer = fetch_from_crm(message["Body"])
            except ConnectionError as error:
                print(f"customer {message['Body']}: {error}; it will come back")
                continue
            stored[customer["id"]] = customer
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            print(f"customer {customer['id']}: stored")
        dead = sqs.receive_message(QueueUrl=dlq_url, WaitTimeSeconds=0).get("Messages", [])
        if dead:
            print(f"customer {dead[0]['Body']}: moved to the dead-letter queue")
            ok = sorted(stored) == sorted(c for c in customer_ids if c != BROKEN_CUSTOMER)
            ok = ok and dead[0]["Body"] == BROKEN_CUSTOMER
            print("done" if ok else "unexpected result")
            return 0 if ok else 1
    print("timed out")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
