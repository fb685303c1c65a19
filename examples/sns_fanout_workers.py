"""Story 2: event fan-out from an SNS topic to two SQS queues, each feeding a worker.

An app publishes "card imported / updated" events to a topic. Two queues are subscribed: the
search-index queue with raw delivery (the body is the event itself, its attributes become SQS
message attributes) and the audit queue with the standard SNS envelope, which its worker parses.
Both workers write to a SQLite datastore; when a write fails the message is not deleted, so SQS
delivers it again after its visibility timeout.

    python examples/sns_fanout_workers.py --endpoint http://127.0.0.1:4566
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time

import boto3

EVENTS = [("c1", "imported", 1, "Ada"), ("c2", "imported", 1, "Bob"),
          ("c1", "updated", 2, "Ada L."), ("c2", "updated", 2, "Bob M.")]


def subscribe_queue(sqs, sns, topic_arn: str, name: str, raw: bool) -> str:
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "1"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    # The queue lets the topic send to it: AWS delivers nothing to a queue without this.
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn,
                  Attributes={"RawMessageDelivery": "true" if raw else "false"})
    return url


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", default="http://127.0.0.1:4566")
    args = parser.parse_args()
    options = {"endpoint_url": args.endpoint, "region_name": "us-east-1",
               "aws_access_key_id": "test", "aws_secret_access_key": "test"}
    sqs, sns = boto3.client("sqs", **options), boto3.client("sns", **options)
    db = sqlite3.connect(":memory:")  # the datastore
    db.executescript("CREATE TABLE cards (id TEXT PRIMARY KEY, name TEXT, version INTEGER);"
                     "CREATE TABLE audit (message_id TEXT PRIMARY KEY, card TEXT, event TEXT)")

    topic_arn = sns.create_topic(Name="card-events")["TopicArn"]
    index_url = subscribe_queue(sqs, sns, topic_arn, "card-search-index", raw=True)
    audit_url = subscribe_queue(sqs, sns, topic_arn, "card-audit", raw=False)

    # The app.
    for card, event, version, name in EVENTS:
        change = {"card": card, "version": version, "name": name}
        sns.publish(TopicArn=topic_arn, Message=json.dumps(change), MessageAttributes={
            "event": {"DataType": "String", "StringValue": event}})

    # The search-index worker: raw delivery, the body is the event. The datastore is busy the first
    # time it writes c2, so that message comes back after the visibility timeout.
    busy_once, indexed = {"c2"}, []

    def index(message: dict) -> None:
        card = json.loads(message["Body"])
        if card["card"] in busy_once:
            busy_once.discard(card["card"])
            raise sqlite3.OperationalError(f"database is locked writing card {card['card']}")
        written = db.execute("INSERT INTO cards VALUES (:card, :name, :version) ON CONFLICT(id) "
                             "DO UPDATE SET name = excluded.name, version = excluded.version "
                             "WHERE excluded.version > cards.version", card).rowcount
        event = message["MessageAttributes"]["event"]["StringValue"]
        indexed.append(message["MessageId"])
        print(f"index: card {card['card']} {event} (v{card['version']})"
              + ("" if written else ", older than the stored version: skipped"))

    # The audit worker: the body is the SNS envelope around the event.
    def audit(message: dict) -> None:
        envelope = json.loads(message["Body"])
        assert envelope["Type"] == "Notification" and envelope["TopicArn"] == topic_arn
        card = json.loads(envelope["Message"])
        db.execute("INSERT OR IGNORE INTO audit VALUES (?, ?, ?)", (
            envelope["MessageId"], card["card"], envelope["MessageAttributes"]["event"]["Value"]))

    deadline, retried = time.monotonic() + 20, 0
    while time.monotonic() < deadline:
        for url, worker in ((index_url, index), (audit_url, audit)):
            for message in sqs.receive_message(
                    QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                    MessageAttributeNames=["All"]).get("Messages", []):
                try:
                    worker(message)
                except sqlite3.OperationalError as error:
                    print(f"index: {error}; the message will come back")
                    retried += 1
                    continue
                db.commit()
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        cards = {row[0]: [row[1], row[2]] for row in db.execute("SELECT * FROM cards")}
        audited = db.execute("SELECT count(*) FROM audit").fetchone()[0]
        if len(indexed) == audited == len(EVENTS):
            print(f"cards: {json.dumps(cards, sort_keys=True)}")
            print(f"audit: {audited} events; retried: {retried}")
            ok = cards == {"c1": ["Ada L.", 2], "c2": ["Bob M.", 2]} and retried == 1
            print("done" if ok else "unexpected result")
            return 0 if ok else 1
    print(f"timed out: cards {cards}, {len(indexed)} indexed, {audited} audited")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
