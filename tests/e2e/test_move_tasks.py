"""Message move tasks (dead-letter queue redrive) end to end, over both protocols.

AWS facts checked (API Reference: StartMessageMoveTask, ListMessageMoveTasks,
CancelMessageMoveTask, ListMessageMoveTasksResultEntry; Developer Guide: "Dead-letter queue
redrive"):
- the source must be a queue some other queue uses as its dead-letter queue; without a
  DestinationArn the messages go back to the queues they came from;
- MaxNumberOfMessagesPerSecond is at most 500; ListMessageMoveTasks lists the most recent tasks of
  a source, 1 by default and at most 10;
- statuses RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED; TaskHandle is listed only for a
  RUNNING task; ApproximateNumberOfMessagesToMove is the count when the task started;
  DestinationArn and MaxNumberOfMessagesPerSecond only when given;
- only a RUNNING task can be cancelled; cancelling keeps what was already moved;
- a missing source or destination is ResourceNotFoundException (HTTP 404, as AWS's query model
  gives it).
Inferred: a moved message starts afresh in its new queue (receive count restarts, appended after
the messages already there).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

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
    wait_until,
)


def new_queue(sqs: Any, **attributes: str) -> str:
    return str(sqs.create_queue(QueueName=unique("q"), Attributes=attributes)["QueueUrl"])


def dead_letter(sqs: Any, source: str, *messages: str) -> None:
    """Send messages to a source with maxReceiveCount 1 and fail them into its DLQ."""
    for body in messages:
        sqs.send_message(QueueUrl=source, MessageBody=body)
    failed = drain(sqs, source, delete=False, VisibilityTimeout=0)
    assert len(failed) >= len(messages)
    assert receive(sqs, source) == []


def tasks(sqs: Any, source_arn: str, count: int = 10) -> list[dict[str, Any]]:
    reply = sqs.list_message_move_tasks(SourceArn=source_arn, MaxResults=count)
    return list(reply.get("Results", []))


def finished(sqs: Any, source_arn: str) -> dict[str, Any] | None:
    latest = tasks(sqs, source_arn, 1)
    return latest[0] if latest and latest[0]["Status"] not in ("RUNNING", "CANCELLING") else None


@pytest.fixture
def dlq(sqs: Any) -> str:
    return new_queue(sqs)


def sources_of(sqs: Any, dlq: str, count: int) -> list[str]:
    policy = redrive_policy(arn_of(sqs, dlq), 1)
    return [new_queue(sqs, RedrivePolicy=policy) for _ in range(count)]


def test_messages_go_back_to_the_queues_they_came_from(sqs: Any, dlq: str) -> None:
    first, second = sources_of(sqs, dlq, 2)
    dead_letter(sqs, first, "a1", "a2")
    dead_letter(sqs, second, "b1")
    dlq_arn = arn_of(sqs, dlq)
    handle = sqs.start_message_move_task(SourceArn=dlq_arn)["TaskHandle"]
    assert handle
    done = wait_until(lambda: finished(sqs, dlq_arn))
    assert done["Status"] == "COMPLETED"
    assert done["SourceArn"] == dlq_arn
    assert done["ApproximateNumberOfMessagesMoved"] == 3
    assert done["ApproximateNumberOfMessagesToMove"] == 3
    assert done["StartedTimestamp"] > 0
    for absent in ("TaskHandle", "DestinationArn", "MaxNumberOfMessagesPerSecond",
                   "FailureReason"):
        assert absent not in done
    assert counters(sqs, dlq) == (0, 0, 0)
    back = drain(sqs, first)
    assert sorted(bodies(back)) == ["a1", "a2"]
    assert bodies(drain(sqs, second)) == ["b1"]
    for message in back:
        assert message["Attributes"]["ApproximateReceiveCount"] == "1"
        assert "DeadLetterQueueSourceArn" not in message["Attributes"]


def test_messages_go_to_a_given_destination(sqs: Any, dlq: str) -> None:
    [source] = sources_of(sqs, dlq, 1)
    destination = new_queue(sqs)
    dead_letter(sqs, source, "x", "y")
    dlq_arn, destination_arn = arn_of(sqs, dlq), arn_of(sqs, destination)
    sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=destination_arn)
    done = wait_until(lambda: finished(sqs, dlq_arn))
    assert (done["Status"], done["DestinationArn"]) == ("COMPLETED", destination_arn)
    assert sorted(bodies(drain(sqs, destination))) == ["x", "y"]
    assert counters(sqs, source) == (0, 0, 0)


def test_a_task_keeps_to_its_rate_and_is_listed_while_running(sqs: Any, dlq: str) -> None:
    [source] = sources_of(sqs, dlq, 1)
    dead_letter(sqs, source, *[f"m{i}" for i in range(4)])
    dlq_arn = arn_of(sqs, dlq)
    started = time.monotonic()
    handle = sqs.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=2)[
        "TaskHandle"
    ]
    [running] = tasks(sqs, dlq_arn)
    assert running["Status"] == "RUNNING"
    assert running["TaskHandle"] == handle
    assert running["MaxNumberOfMessagesPerSecond"] == 2
    assert running["ApproximateNumberOfMessagesToMove"] == 4
    assert running["ApproximateNumberOfMessagesMoved"] < 4
    done = wait_until(lambda: finished(sqs, dlq_arn), timeout=15)
    elapsed = time.monotonic() - started
    assert done["Status"] == "COMPLETED"
    assert done["ApproximateNumberOfMessagesMoved"] == 4
    # Four messages at two a second: the last one moves no sooner than 1.5 s after the first.
    assert elapsed >= 1.4, elapsed
    assert len(drain(sqs, source)) == 4


def test_cancelling_stops_the_task_and_keeps_what_moved(sqs: Any, dlq: str) -> None:
    [source] = sources_of(sqs, dlq, 1)
    dead_letter(sqs, source, *[f"m{i}" for i in range(5)])
    dlq_arn = arn_of(sqs, dlq)
    handle = sqs.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)[
        "TaskHandle"
    ]
    wait_until(lambda: counters(sqs, source)[0] >= 1)
    cancelled = sqs.cancel_message_move_task(TaskHandle=handle)
    assert 1 <= cancelled["ApproximateNumberOfMessagesMoved"] < 5
    done = wait_until(lambda: finished(sqs, dlq_arn), timeout=5)
    assert done["Status"] == "CANCELLED"
    moved = done["ApproximateNumberOfMessagesMoved"]
    assert moved < 5
    assert counters(sqs, source)[0] == moved
    assert counters(sqs, dlq)[0] == 5 - moved
    _, _, status = error_of(sqs.cancel_message_move_task, TaskHandle=handle)
    assert status == 400
    # A new task may start once the old one stopped, and finishes the job.
    sqs.start_message_move_task(SourceArn=dlq_arn)
    wait_until(lambda: (finished(sqs, dlq_arn) or {}).get("Status") == "COMPLETED")
    assert len(drain(sqs, source)) == 5


def test_tasks_are_listed_most_recent_first(sqs: Any, dlq: str) -> None:
    [source] = sources_of(sqs, dlq, 1)
    dlq_arn = arn_of(sqs, dlq)
    for round_ in range(3):
        dead_letter(sqs, source, f"m{round_}")
        destination = new_queue(sqs)
        sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn_of(sqs, destination))
        wait_until(lambda: finished(sqs, dlq_arn))
        time.sleep(0.01)
    listed = tasks(sqs, dlq_arn)
    assert len(listed) == 3
    started = [t["StartedTimestamp"] for t in listed]
    assert started == sorted(started, reverse=True)
    default = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    assert default == listed[:1]


def test_a_fifo_redrive_appends_after_the_group_messages_already_there(sqs: Any) -> None:
    fifo_dlq = create_fifo(sqs)
    source = create_fifo(sqs, RedrivePolicy=redrive_policy(arn_of(sqs, fifo_dlq), 1))

    def send(body: str) -> dict[str, Any]:
        return dict(sqs.send_message(QueueUrl=source, MessageBody=body, MessageGroupId="g",
                                     MessageDeduplicationId=body))

    send("m0")
    send("m1")
    assert bodies(receive(sqs, source, count=1, VisibilityTimeout=0)) == ["m0"]
    assert bodies(drain(sqs, source)) == ["m1"]  # m0 went to the DLQ on the way
    later = send("m2")
    dlq_arn = arn_of(sqs, fifo_dlq)
    sqs.start_message_move_task(SourceArn=dlq_arn)
    wait_until(lambda: finished(sqs, dlq_arn))
    received = receive(sqs, source, VisibilityTimeout=30)
    assert bodies(received) == ["m2", "m0"]
    assert int(received[1]["Attributes"]["SequenceNumber"]) > int(later["SequenceNumber"])


# --- errors --------------------------------------------------------------------------------------


def test_a_source_that_is_no_dead_letter_queue_is_refused(sqs: Any, queue_url: str) -> None:
    code, _, status = error_of(sqs.start_message_move_task, SourceArn=arn_of(sqs, queue_url))
    assert (code, status) == ("InvalidParameterValue", 400)


def test_missing_queues_are_resource_not_found(sqs: Any, dlq: str) -> None:
    sources_of(sqs, dlq, 1)
    missing = arn_of(sqs, dlq).rsplit(":", 1)[0] + ":" + unique("missing")
    for kwargs in ({"SourceArn": missing},
                   {"SourceArn": arn_of(sqs, dlq), "DestinationArn": missing}):
        code, _, status = error_of(sqs.start_message_move_task, **kwargs)
        assert (code, status) == ("ResourceNotFoundException", 404)
    code, _, _ = error_of(sqs.list_message_move_tasks, SourceArn=missing)
    assert code == "ResourceNotFoundException"
    code, _, _ = error_of(sqs.cancel_message_move_task, TaskHandle="not-a-handle")
    assert code == "ResourceNotFoundException"


@pytest.mark.parametrize("rate", [0, 501])
def test_the_rate_must_be_between_1_and_500(sqs: Any, dlq: str, rate: int) -> None:
    sources_of(sqs, dlq, 1)
    code, message, _ = error_of(
        sqs.start_message_move_task, SourceArn=arn_of(sqs, dlq), MaxNumberOfMessagesPerSecond=rate
    )
    assert code == "InvalidParameterValue"
    assert "MaxNumberOfMessagesPerSecond" in message


def test_only_one_active_task_per_source(sqs: Any, dlq: str) -> None:
    [source] = sources_of(sqs, dlq, 1)
    dead_letter(sqs, source, "a", "b", "c")
    dlq_arn = arn_of(sqs, dlq)
    handle = sqs.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)[
        "TaskHandle"
    ]
    _, _, status = error_of(sqs.start_message_move_task, SourceArn=dlq_arn)
    assert status == 400
    sqs.cancel_message_move_task(TaskHandle=handle)
    wait_until(lambda: finished(sqs, dlq_arn))


def test_list_max_results_is_1_to_10(sqs: Any, dlq: str) -> None:
    sources_of(sqs, dlq, 1)
    code, _, _ = error_of(sqs.list_message_move_tasks, SourceArn=arn_of(sqs, dlq), MaxResults=11)
    assert code == "InvalidParameterValue"
    assert sqs.list_message_move_tasks(SourceArn=arn_of(sqs, dlq)).get("Results", []) == []
