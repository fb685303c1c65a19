"""Visibility timeouts, receipt handles, delays and retention on standard queues.

References (AWS SQS Developer Guide "Amazon SQS visibility timeout", "Amazon SQS delay queues",
"Amazon SQS message timers"; API Reference ReceiveMessage, ChangeMessageVisibility, DeleteMessage,
SendMessage):
- A received message stays in the queue but is hidden for the visibility timeout (queue default,
  or the VisibilityTimeout of the ReceiveMessage request), 0 to 43,200 seconds (12 hours).
- ChangeMessageVisibility counts the new timeout from the time of the call; 0 makes the message
  visible at once; a message's total visibility cannot be extended beyond 12 hours.
- Every receive returns a new ReceiptHandle. DeleteMessage with an old handle: "the request will
  succeed, but the message might not be deleted". DeleteMessage errors: ReceiptHandleIsInvalid
  (HTTP 404). ChangeMessageVisibility errors: MessageNotInflight, ReceiptHandleIsInvalid.
- DelaySeconds (0-900) on a message overrides the queue's DelaySeconds; delayed messages are counted
  in ApproximateNumberOfMessagesDelayed.
- Messages older than MessageRetentionPeriod (60-1,209,600 seconds) are deleted automatically.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

NOT_IN_FLIGHT_CODE = "AWS.SimpleQueueService.MessageNotInflight"


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return (
        str(response["Error"]["Code"]),
        str(response["Error"].get("Message", "")),
        int(response["ResponseMetadata"]["HTTPStatusCode"]),
    )


def counters(sqs: Any, queue_url: str) -> dict[str, int]:
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)["Attributes"]
    return {name: int(attributes[name]) for name in names}


def receive(sqs: Any, queue_url: str, **kwargs: Any) -> list[dict[str, Any]]:
    return list(sqs.receive_message(QueueUrl=queue_url, **kwargs).get("Messages", []))


def receive_one(sqs: Any, queue_url: str, **kwargs: Any) -> dict[str, Any]:
    messages = receive(sqs, queue_url, WaitTimeSeconds=1, **kwargs)
    assert len(messages) == 1, messages
    return messages[0]


def make_queue(sqs: Any, name: str, **attributes: str) -> str:
    return str(sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])


# --- the visibility timeout ----------------------------------------------------------------------


def test_message_hidden_for_queue_visibility_timeout_then_returns(
    sqs: Any, queue_name: str
) -> None:
    url = make_queue(sqs, queue_name, VisibilityTimeout="1")
    sqs.send_message(QueueUrl=url, MessageBody="job")
    first = receive_one(sqs, url)
    received_at = time.monotonic()
    assert receive(sqs, url) == []
    assert counters(sqs, url)["ApproximateNumberOfMessagesNotVisible"] == 1

    time.sleep(max(0.0, 1.1 - (time.monotonic() - received_at)))
    again = receive_one(sqs, url, AttributeNames=["ApproximateReceiveCount"])
    assert again["MessageId"] == first["MessageId"]
    assert again["Body"] == "job"
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"


def test_default_visibility_timeout_is_30_seconds(sqs: Any, queue_url: str, server: Any) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="job")
    receive_one(sqs, queue_url)
    server.advance_clock(28)
    assert receive(sqs, queue_url) == []
    server.advance_clock(3)
    assert receive_one(sqs, queue_url)["Body"] == "job"


def test_per_receive_visibility_timeout_overrides_queue(
    sqs: Any, queue_name: str, server: Any
) -> None:
    url = make_queue(sqs, queue_name, VisibilityTimeout="600")
    sqs.send_message(QueueUrl=url, MessageBody="short")
    receive_one(sqs, url, VisibilityTimeout=2)
    assert receive(sqs, url) == []
    server.advance_clock(3)
    message = receive_one(sqs, url, VisibilityTimeout=5)
    assert message["Body"] == "short"
    server.advance_clock(4)
    assert receive(sqs, url) == []
    server.advance_clock(2)
    assert receive_one(sqs, url)["Body"] == "short"


def test_receive_with_zero_visibility_timeout_leaves_message_visible(
    sqs: Any, queue_url: str
) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="peek")
    first = receive_one(sqs, queue_url, VisibilityTimeout=0)
    second = receive_one(sqs, queue_url, VisibilityTimeout=0)
    assert first["MessageId"] == second["MessageId"]


@pytest.mark.parametrize("timeout", [43201, -1])
def test_receive_visibility_timeout_out_of_range(sqs: Any, queue_url: str, timeout: int) -> None:
    code, message, status = error_of(
        sqs.receive_message, QueueUrl=queue_url, VisibilityTimeout=timeout
    )
    assert code == "InvalidParameterValue"
    assert status == 400
    assert "VisibilityTimeout" in message


def test_receive_visibility_timeout_of_12_hours_is_accepted(
    sqs: Any, queue_url: str, server: Any
) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="long")
    receive_one(sqs, queue_url, VisibilityTimeout=43200)
    server.advance_clock(43190)
    assert receive(sqs, queue_url) == []
    server.advance_clock(11)
    assert receive_one(sqs, queue_url)["Body"] == "long"


# --- ChangeMessageVisibility ---------------------------------------------------------------------


def test_change_visibility_to_zero_makes_message_visible_now(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="retry me")
    message = receive_one(sqs, queue_url, VisibilityTimeout=600)
    assert receive(sqs, queue_url) == []
    reply = sqs.change_message_visibility(
        QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
    )
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert counters(sqs, queue_url)["ApproximateNumberOfMessages"] == 1
    again = receive_one(sqs, queue_url, AttributeNames=["ApproximateReceiveCount"])
    assert again["MessageId"] == message["MessageId"]
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"


def test_extending_visibility_counts_from_the_call(sqs: Any, queue_url: str, server: Any) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="slow job")
    message = receive_one(sqs, queue_url, VisibilityTimeout=5)
    server.advance_clock(3)
    sqs.change_message_visibility(
        QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=10
    )
    server.advance_clock(8)  # 11 s after the receive: past the original 5 s
    assert receive(sqs, queue_url) == []
    server.advance_clock(3)  # 11 s after the change
    assert receive_one(sqs, queue_url)["MessageId"] == message["MessageId"]


def test_shortening_visibility(sqs: Any, queue_url: str, server: Any) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="quick")
    message = receive_one(sqs, queue_url, VisibilityTimeout=600)
    sqs.change_message_visibility(
        QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=2
    )
    assert receive(sqs, queue_url) == []
    server.advance_clock(3)
    assert receive_one(sqs, queue_url)["MessageId"] == message["MessageId"]


@pytest.mark.parametrize("timeout", [43201, -1])
def test_change_visibility_out_of_range(sqs: Any, queue_url: str, timeout: int) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="x")
    message = receive_one(sqs, queue_url)
    code, message_text, status = error_of(
        sqs.change_message_visibility,
        QueueUrl=queue_url,
        ReceiptHandle=message["ReceiptHandle"],
        VisibilityTimeout=timeout,
    )
    assert code == "InvalidParameterValue"
    assert status == 400
    assert "VisibilityTimeout" in message_text


def test_total_visibility_cannot_exceed_12_hours(sqs: Any, queue_url: str, server: Any) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="x")
    message = receive_one(sqs, queue_url, VisibilityTimeout=600)
    server.advance_clock(100)
    # 100 s have passed since the receive: 43,200 more would total 43,300 s.
    code, _, status = error_of(
        sqs.change_message_visibility,
        QueueUrl=queue_url,
        ReceiptHandle=message["ReceiptHandle"],
        VisibilityTimeout=43200,
    )
    assert code == "InvalidParameterValue"
    assert status == 400
    # What remains of the 12 hours is still allowed.
    sqs.change_message_visibility(
        QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=43000
    )


def test_change_visibility_of_message_no_longer_in_flight(
    sqs: Any, queue_url: str, server: Any
) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="expired")
    message = receive_one(sqs, queue_url, VisibilityTimeout=1)
    server.advance_clock(2)  # the visibility timeout ran out: visible again, not in flight
    code, _, status = error_of(
        sqs.change_message_visibility,
        QueueUrl=queue_url,
        ReceiptHandle=message["ReceiptHandle"],
        VisibilityTimeout=60,
    )
    assert code == NOT_IN_FLIGHT_CODE
    assert status == 400
    # The failed call must not have hidden the message again.
    assert receive_one(sqs, queue_url)["MessageId"] == message["MessageId"]


def test_change_visibility_of_deleted_message(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="gone")
    message = receive_one(sqs, queue_url)
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    code, text, status = error_of(
        sqs.change_message_visibility,
        QueueUrl=queue_url,
        ReceiptHandle=message["ReceiptHandle"],
        VisibilityTimeout=60,
    )
    # What AWS answers for a deleted message (reported against the service, e.g.
    # aws/aws-sdk-net#1927), not one of the modeled errors.
    assert code == "InvalidParameterValue"
    assert status == 400
    assert text == (
        f"Value {message['ReceiptHandle']} for parameter ReceiptHandle is invalid. "
        "Reason: Message does not exist or is not available for visibility timeout change."
    )


def test_change_visibility_with_malformed_handle(sqs: Any, queue_url: str) -> None:
    code, _, status = error_of(
        sqs.change_message_visibility,
        QueueUrl=queue_url,
        ReceiptHandle="definitely-not-a-handle",
        VisibilityTimeout=10,
    )
    assert code == "ReceiptHandleIsInvalid"
    assert status == 404


# --- receipt handles and DeleteMessage -----------------------------------------------------------


def test_each_receive_returns_a_new_receipt_handle(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="again and again")
    handles = [receive_one(sqs, queue_url, VisibilityTimeout=0)["ReceiptHandle"] for _ in range(4)]
    assert len(set(handles)) == 4


def test_delete_with_malformed_receipt_handle(sqs: Any, queue_url: str) -> None:
    code, _, status = error_of(
        sqs.delete_message, QueueUrl=queue_url, ReceiptHandle="not-a-real-receipt-handle"
    )
    assert code == "ReceiptHandleIsInvalid"
    assert status == 404


def test_delete_with_modeled_exception(sqs: Any, queue_url: str) -> None:
    with pytest.raises(sqs.exceptions.ReceiptHandleIsInvalid):
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle="garbage")


def test_delete_with_handle_of_another_queue(sqs: Any, queue_name: str) -> None:
    first = make_queue(sqs, queue_name + "-a")
    second = make_queue(sqs, queue_name + "-b")
    sqs.send_message(QueueUrl=first, MessageBody="mine")
    message = receive_one(sqs, first)
    code, _, status = error_of(
        sqs.delete_message, QueueUrl=second, ReceiptHandle=message["ReceiptHandle"]
    )
    assert code == "ReceiptHandleIsInvalid"
    assert status == 404
    assert counters(sqs, first)["ApproximateNumberOfMessagesNotVisible"] == 1


def test_delete_twice_with_the_same_handle_succeeds(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="once")
    message = receive_one(sqs, queue_url)
    for _ in range(2):
        reply = sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert counters(sqs, queue_url)["ApproximateNumberOfMessagesNotVisible"] == 0


def test_delete_with_old_receipt_handle_succeeds(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="received twice")
    old = receive_one(sqs, queue_url, VisibilityTimeout=0)
    new = receive_one(sqs, queue_url, VisibilityTimeout=600)
    assert old["MessageId"] == new["MessageId"]
    assert old["ReceiptHandle"] != new["ReceiptHandle"]
    # "If you use an old ReceiptHandle, the request will succeed, but the message might not be
    # deleted." - the call succeeds; whether the message went is not specified.
    reply = sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=old["ReceiptHandle"])
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200
    # The most recent handle always deletes it.
    sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=new["ReceiptHandle"])
    assert counters(sqs, queue_url) == {
        "ApproximateNumberOfMessages": 0,
        "ApproximateNumberOfMessagesNotVisible": 0,
        "ApproximateNumberOfMessagesDelayed": 0,
    }
    assert receive(sqs, queue_url, VisibilityTimeout=0) == []


def test_delete_a_message_that_is_visible_again(sqs: Any, queue_url: str, server: Any) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="late delete")
    message = receive_one(sqs, queue_url, VisibilityTimeout=1)
    server.advance_clock(2)
    reply = sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    assert reply["ResponseMetadata"]["HTTPStatusCode"] == 200


# --- delays --------------------------------------------------------------------------------------


def test_message_delay_seconds(sqs: Any, queue_url: str, server: Any) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="delayed", DelaySeconds=5)
    assert counters(sqs, queue_url) == {
        "ApproximateNumberOfMessages": 0,
        "ApproximateNumberOfMessagesNotVisible": 0,
        "ApproximateNumberOfMessagesDelayed": 1,
    }
    assert receive(sqs, queue_url) == []
    server.advance_clock(3)
    assert receive(sqs, queue_url) == []
    server.advance_clock(3)
    assert counters(sqs, queue_url) == {
        "ApproximateNumberOfMessages": 1,
        "ApproximateNumberOfMessagesNotVisible": 0,
        "ApproximateNumberOfMessagesDelayed": 0,
    }
    assert receive_one(sqs, queue_url)["Body"] == "delayed"


def test_message_delay_of_one_second_in_real_time(sqs: Any, queue_url: str) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="soon", DelaySeconds=1)
    sent = time.monotonic()
    assert receive(sqs, queue_url) == []
    time.sleep(max(0.0, 1.1 - (time.monotonic() - sent)))
    assert receive(sqs, queue_url)[0]["Body"] == "soon"


def test_queue_delay_seconds(sqs: Any, queue_name: str, server: Any) -> None:
    url = make_queue(sqs, queue_name, DelaySeconds="30")
    sqs.send_message(QueueUrl=url, MessageBody="queue delayed")
    assert counters(sqs, url)["ApproximateNumberOfMessagesDelayed"] == 1
    assert receive(sqs, url) == []
    server.advance_clock(29)
    assert receive(sqs, url) == []
    server.advance_clock(2)
    assert counters(sqs, url)["ApproximateNumberOfMessagesDelayed"] == 0
    assert receive_one(sqs, url)["Body"] == "queue delayed"


def test_message_delay_overrides_queue_delay(sqs: Any, queue_name: str, server: Any) -> None:
    url = make_queue(sqs, queue_name, DelaySeconds="60")
    sqs.send_message(QueueUrl=url, MessageBody="own timer", DelaySeconds=2)
    server.advance_clock(3)
    assert receive_one(sqs, url)["Body"] == "own timer"


def test_delay_does_not_count_as_receive(sqs: Any, queue_url: str, server: Any) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="d", DelaySeconds=2)
    server.advance_clock(3)
    message = receive_one(sqs, queue_url, AttributeNames=["ApproximateReceiveCount"])
    assert message["Attributes"]["ApproximateReceiveCount"] == "1"


@pytest.mark.parametrize("delay", [901, -1])
def test_message_delay_out_of_range(sqs: Any, queue_url: str, delay: int) -> None:
    code, message, status = error_of(
        sqs.send_message, QueueUrl=queue_url, MessageBody="x", DelaySeconds=delay
    )
    assert code == "InvalidParameterValue"
    assert status == 400
    assert "DelaySeconds" in message


def test_message_delay_of_900_is_accepted(sqs: Any, queue_url: str, server: Any) -> None:
    sqs.send_message(QueueUrl=queue_url, MessageBody="quarter hour", DelaySeconds=900)
    server.advance_clock(899)
    assert receive(sqs, queue_url) == []
    server.advance_clock(2)
    assert receive_one(sqs, queue_url)["Body"] == "quarter hour"


# --- retention -----------------------------------------------------------------------------------


def test_messages_expire_after_retention_period(sqs: Any, queue_name: str, server: Any) -> None:
    url = make_queue(sqs, queue_name, MessageRetentionPeriod="60")
    sqs.send_message(QueueUrl=url, MessageBody="stored")
    sqs.send_message(QueueUrl=url, MessageBody="in flight")
    sqs.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=30)
    receive_one(sqs, url, VisibilityTimeout=600)
    assert counters(sqs, url) == {
        "ApproximateNumberOfMessages": 1,
        "ApproximateNumberOfMessagesNotVisible": 1,
        "ApproximateNumberOfMessagesDelayed": 1,
    }
    server.advance_clock(61)
    assert counters(sqs, url) == {
        "ApproximateNumberOfMessages": 0,
        "ApproximateNumberOfMessagesNotVisible": 0,
        "ApproximateNumberOfMessagesDelayed": 0,
    }
    assert receive(sqs, url, VisibilityTimeout=0, MaxNumberOfMessages=10) == []


def test_messages_within_retention_period_stay(sqs: Any, queue_name: str, server: Any) -> None:
    url = make_queue(sqs, queue_name, MessageRetentionPeriod="120")
    sqs.send_message(QueueUrl=url, MessageBody="young")
    server.advance_clock(61)
    sqs.send_message(QueueUrl=url, MessageBody="newer")
    server.advance_clock(60)  # "young" is 121 s old, "newer" 60 s
    got = receive(sqs, url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    assert [m["Body"] for m in got] == ["newer"]
