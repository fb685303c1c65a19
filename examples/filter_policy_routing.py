"""Story 4: replacing a batch with a worker, one event type at a time, with SNS filter policies.

Events of every client go to one topic; client acme has two queues subscribed to it: the old batch
queue and the new worker's queue. The batch subscription filters on message attributes, the
worker's on the message body (FilterPolicyScope=MessageBody). Each step moves more event types to
the worker with SetSubscriptionAttributes; the batch still gets the rest, and no event of acme is
lost or delivered twice.

    python examples/filter_policy_routing.py --endpoint http://127.0.0.1:4566
"""

from __future__ import annotations

import argparse
import json

import boto3

EVENTS = [("acme", "card.imported"), ("acme", "card.updated"), ("acme", "card.deleted"),
          ("acme", "invoice.paid"), ("globex", "card.imported")]
# Each step: the event types of acme the worker takes; the batch gets anything but those.
STEPS = [(["card.imported"], ["card.imported"]),
         (["card.imported", "card.updated"], ["card.imported", "card.updated"]),
         ([{"prefix": "card."}], {"prefix": "card."})]


def policies(step: int) -> dict[str, dict[str, list]]:
    worker_types, batch_excluded = STEPS[step]
    return {"acme-worker": {"client": ["acme"], "type": worker_types},  # matched in the body
            "acme-batch": {"client": ["acme"], "event_type": [{"anything-but": batch_excluded}]}}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="http://127.0.0.1:4566")
    args = parser.parse_args()
    options = {"endpoint_url": args.endpoint, "region_name": "us-east-1",
               "aws_access_key_id": "test", "aws_secret_access_key": "test"}
    sqs, sns = boto3.client("sqs", **options), boto3.client("sns", **options)
    topic_arn = sns.create_topic(Name="client-events")["TopicArn"]

    queues, subscriptions = {}, {}
    for name in ("acme-batch", "acme-worker"):
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        # The queue lets the topic send to it: AWS delivers nothing to a queue without this.
        policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
            "Action": "sqs:SendMessage", "Resource": arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]}
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
        scope = "MessageBody" if name == "acme-worker" else "MessageAttributes"
        queues[name] = url
        subscriptions[name] = sns.subscribe(
            TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, ReturnSubscriptionArn=True,
            Attributes={"RawMessageDelivery": "true", "FilterPolicyScope": scope,
                        "FilterPolicy": json.dumps(policies(0)[name])})["SubscriptionArn"]

    def received(name: str) -> list[str]:
        types = []
        while messages := sqs.receive_message(QueueUrl=queues[name], MaxNumberOfMessages=10,
                                              WaitTimeSeconds=1).get("Messages", []):
            for message in messages:
                types.append(json.loads(message["Body"])["type"])
                sqs.delete_message(QueueUrl=queues[name], ReceiptHandle=message["ReceiptHandle"])
        return sorted(types)

    ok = True
    for step in range(len(STEPS)):
        for name, policy in policies(step).items():
            if step > 0:  # move more event types to the worker
                sns.set_subscription_attributes(SubscriptionArn=subscriptions[name],
                                                AttributeName="FilterPolicy",
                                                AttributeValue=json.dumps(policy))
        for client, event_type in EVENTS:
            sns.publish(TopicArn=topic_arn,
                        Message=json.dumps({"client": client, "type": event_type}),
                        MessageAttributes={
                            "client": {"DataType": "String", "StringValue": client},
                            "event_type": {"DataType": "String", "StringValue": event_type}})
        worker, batch = received("acme-worker"), received("acme-batch")
        print(f"step {step + 1}: worker <- {', '.join(worker)} | batch <- {', '.join(batch)}")
        ok = ok and sorted(worker + batch) == sorted(t for c, t in EVENTS if c == "acme")
    final = ["card.deleted", "card.imported", "card.updated"]
    ok = ok and (worker, batch) == (final, ["invoice.paid"])
    print("done" if ok else "unexpected routing")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
