"""Dead-letter queues end to end, over both protocols.

AWS facts checked (Developer Guide: "Using dead-letter queues", "Configuring a dead-letter queue",
"Dead-letter queue redrive"; API Reference: SetQueueAttributes RedrivePolicy /
RedriveAllowPolicy, ListDeadLetterSourceQueues, MessageSystemAttributeName):
- once a message's ReceiveCount exceeds maxReceiveCount, SQS moves it to the dead-letter queue
  instead of delivering it; the dead-letter queue of a FIFO queue must be a FIFO queue and that of
  a standard queue a standard queue; the target must exist;
- RedriveAllowPolicy allowAll / denyAll / byQueue (sourceQueueArns) decides which source queues
  may name the queue as their dead-letter queue;
- a message in a dead-letter queue carries DeadLetterQueueSourceArn; for standard queues its
  enqueue timestamp is unchanged by the move;
- ListDeadLetterSourceQueues answers queueUrls, paginated with MaxResults (1-1000) and NextToken.
Inferred: the message keeps its MessageId, body and message attributes; in a FIFO dead-letter
queue the group order is kept and the rest of the source group flows on.
"""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.fifo_helpers import (
    arn_of,
    bodies,
    counters,
    create_fifo,
    drain,
    error_of,
    receive,
    redrive_policy,
    unique,
)

ATTRIBUTES = {
    "kind": {"DataType": "String", "StringValue": "order"},
    "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02"},
}


def new_queue(sqs: Any, **attributes: str) -> str:
    return str(sqs.create_queue(QueueName=unique("q"), Attributes=attributes)["QueueUrl"])


def with_dlq(sqs: Any, max_receive_count: int) -> tuple[str, str]:
    dlq = new_queue(sqs)
    source = new_queue(sqs, RedrivePolicy=redrive_policy(arn_of(sqs, dlq), max_receive_count))
    return source, dlq


def fail(sqs: Any, url: str, times: int) -> list[dict[str, Any]]:
    """Receive the queue's first message ``times`` times without deleting it."""
    received = []
    for _ in range(times):
        batch = receive(sqs, url, count=1, VisibilityTimeout=0)
        assert len(batch) == 1
        received.extend(batch)
    return received


def test_a_message_moves_on_the_receive_after_max_receive_count(sqs: Any) -> None:
    source, dlq = with_dlq(sqs, max_receive_count=3)
    sent = sqs.send_message(QueueUrl=source, MessageBody="poison", MessageAttributes=ATTRIBUTES)
    received = fail(sqs, source, 3)
    assert [m["Attributes"]["ApproximateReceiveCount"] for m in received] == ["1", "2", "3"]
    assert counters(sqs, dlq) == (0, 0, 0)  # not moved before a receive needs it
    assert receive(sqs, source) == []
    assert counters(sqs, source) == (0, 0, 0)
    [dead] = receive(sqs, dlq, VisibilityTimeout=30)
    assert dead["MessageId"] == sent["MessageId"]
    assert dead["Body"] == "poison"
    assert dead["MessageAttributes"] == ATTRIBUTES
    assert dead["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    assert dead["Attributes"]["DeadLetterQueueSourceArn"] == arn_of(sqs, source)
    assert dead["Attributes"]["SentTimestamp"] == received[0]["Attributes"]["SentTimestamp"]


def test_deleted_and_healthy_messages_stay(sqs: Any) -> None:
    source, dlq = with_dlq(sqs, max_receive_count=1)
    for body in ["ok", "bad"]:
        sqs.send_message(QueueUrl=source, MessageBody=body)
    first = receive(sqs, source, VisibilityTimeout=0)
    assert sorted(bodies(first)) == ["bad", "ok"]
    # "ok" is deleted under its (still valid) receipt; "bad" comes back and is dead-lettered.
    ok = next(m for m in first if m["Body"] == "ok")
    sqs.delete_message(QueueUrl=source, ReceiptHandle=ok["ReceiptHandle"])
    sqs.send_message(QueueUrl=source, MessageBody="fresh")
    assert bodies(receive(sqs, source, VisibilityTimeout=30)) == ["fresh"]
    assert bodies(drain(sqs, dlq)) == ["bad"]


def test_a_fifo_dead_letter_queue_keeps_group_order_and_the_group_flows_on(sqs: Any) -> None:
    dlq = create_fifo(sqs)
    source = create_fifo(sqs, RedrivePolicy=redrive_policy(arn_of(sqs, dlq), 2))
    for index in range(3):
        sqs.send_message(QueueUrl=source, MessageBody=f"m{index}", MessageGroupId="g",
                         MessageDeduplicationId=str(index))
    # m0 and m1 are received twice each (one receive returns both) without being deleted.
    for _ in range(2):
        assert bodies(receive(sqs, source, count=2, VisibilityTimeout=0)) == ["m0", "m1"]
    # The next receive moves both and delivers the rest of the group in the same call.
    assert bodies(receive(sqs, source, VisibilityTimeout=30)) == ["m2"]
    dead = receive(sqs, dlq, VisibilityTimeout=30)
    assert bodies(dead) == ["m0", "m1"]
    for message in dead:
        assert message["Attributes"]["MessageGroupId"] == "g"
        assert message["Attributes"]["DeadLetterQueueSourceArn"] == arn_of(sqs, source)
        assert "SequenceNumber" in message["Attributes"]


def test_the_dead_letter_queue_must_exist_and_be_of_the_same_type(sqs: Any) -> None:
    standard = new_queue(sqs)
    fifo = create_fifo(sqs)
    missing = arn_of(sqs, standard).rsplit(":", 1)[0] + ":" + unique("missing")
    code, message, status = error_of(
        sqs.create_queue, QueueName=unique("q"),
        Attributes={"RedrivePolicy": redrive_policy(missing, 2)},
    )
    assert (code, status) == ("InvalidParameterValue", 400)
    assert message.endswith("Reason: Dead letter target does not exist.")
    for source, target in [(standard, fifo), (fifo, standard)]:
        code, message, _ = error_of(
            sqs.set_queue_attributes, QueueUrl=source,
            Attributes={"RedrivePolicy": redrive_policy(arn_of(sqs, target), 2)},
        )
        assert code == "InvalidParameterValue"
        assert "Dead-letter queue must be same type of queue as the source." in message
    sqs.set_queue_attributes(
        QueueUrl=fifo, Attributes={"RedrivePolicy": redrive_policy(arn_of(sqs, create_fifo(sqs)),
                                                                   2)}
    )


def test_redrive_allow_policy_by_queue_admits_only_the_listed_sources(sqs: Any) -> None:
    listed, other = new_queue(sqs), new_queue(sqs)
    allow = {"redrivePermission": "byQueue", "sourceQueueArns": [arn_of(sqs, listed)]}
    dlq = new_queue(sqs, RedriveAllowPolicy=json.dumps(allow))
    policy = redrive_policy(arn_of(sqs, dlq), 1)
    sqs.set_queue_attributes(QueueUrl=listed, Attributes={"RedrivePolicy": policy})
    code, _, _ = error_of(
        sqs.set_queue_attributes, QueueUrl=other, Attributes={"RedrivePolicy": policy}
    )
    assert code == "InvalidParameterValue"
    attributes = sqs.get_queue_attributes(QueueUrl=other, AttributeNames=["RedrivePolicy"])
    assert "RedrivePolicy" not in attributes.get("Attributes", {})


def test_redrive_allow_policy_deny_all_and_allow_all(sqs: Any) -> None:
    denying = new_queue(sqs, RedriveAllowPolicy=json.dumps({"redrivePermission": "denyAll"}))
    code, _, _ = error_of(
        sqs.create_queue, QueueName=unique("q"),
        Attributes={"RedrivePolicy": redrive_policy(arn_of(sqs, denying), 1)},
    )
    assert code == "InvalidParameterValue"
    allowing = new_queue(sqs, RedriveAllowPolicy=json.dumps({"redrivePermission": "allowAll"}))
    source = new_queue(sqs, RedrivePolicy=redrive_policy(arn_of(sqs, allowing), 1))
    sqs.send_message(QueueUrl=source, MessageBody="x")
    fail(sqs, source, 1)
    assert receive(sqs, source) == []
    assert bodies(drain(sqs, allowing)) == ["x"]


def test_removing_the_redrive_policy_stops_dead_lettering(sqs: Any) -> None:
    source, dlq = with_dlq(sqs, max_receive_count=1)
    sqs.send_message(QueueUrl=source, MessageBody="x")
    fail(sqs, source, 1)
    sqs.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": ""})
    [again] = receive(sqs, source, VisibilityTimeout=30)
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"
    assert counters(sqs, dlq) == (0, 0, 0)


def test_list_dead_letter_source_queues_paginates(sqs: Any) -> None:
    dlq = new_queue(sqs)
    # An empty list is absent from a query (XML) answer.
    assert sqs.list_dead_letter_source_queues(QueueUrl=dlq).get("queueUrls", []) == []
    policy = redrive_policy(arn_of(sqs, dlq), 5)
    sources = sorted(new_queue(sqs, RedrivePolicy=policy) for _ in range(5))
    new_queue(sqs)  # not a source
    everything = sqs.list_dead_letter_source_queues(QueueUrl=dlq)
    assert sorted(everything["queueUrls"]) == sources
    assert "NextToken" not in everything
    pages: list[list[str]] = []
    token: str | None = None
    while True:
        kwargs: dict[str, Any] = {"MaxResults": 2}
        if token:
            kwargs["NextToken"] = token
        page = sqs.list_dead_letter_source_queues(QueueUrl=dlq, **kwargs)
        pages.append(page["queueUrls"])
        token = page.get("NextToken")
        if not token:
            break
    assert [len(p) for p in pages] == [2, 2, 1]
    assert sorted(url for p in pages for url in p) == sources
    code, _, _ = error_of(sqs.list_dead_letter_source_queues, QueueUrl=dlq, MaxResults=0)
    assert code == "InvalidParameterValue"
