"""What the dashboard can do to a queue: send, purge, redrive.

Each action calls the SQS handler itself, so every rule and error of SQS applies unchanged.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import TYPE_CHECKING, Any

from emulator.admin.errors import AdminError, bad_request
from emulator.context import RequestContext
from emulator.errors import AwsError
from emulator.sqs import message_handlers, move_tasks, queue_handlers
from storage.queues import Queue

if TYPE_CHECKING:
    from emulator.app import Kyu


def context_for(queue: Queue, base_url: str) -> RequestContext:
    return RequestContext(account_id=queue.account, region=queue.region, access_key_id=None,
                          base_url=base_url, request_id=str(uuid.uuid4()))


def _aws(error: AwsError) -> AdminError:
    return AdminError(error.status, error.message, error.code)


def _optional(document: dict[str, Any], key: str, kind: type) -> Any:
    value = document.get(key)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise bad_request(f"{key} must be a {'number' if kind is int else 'string'}.")
    return value


def _message_attributes(value: Any) -> dict[str, dict[str, Any]] | None:
    """``{name: {"DataType", "StringValue" | "BinaryValue" (base64)}}`` as SendMessage takes it."""
    if value is None or value == {}:
        return None
    if not isinstance(value, dict):
        raise bad_request("messageAttributes must be an object.")
    attributes: dict[str, dict[str, Any]] = {}
    for name, given in value.items():
        if not isinstance(given, dict) or not isinstance(given.get("DataType"), str):
            raise bad_request(f"messageAttributes.{name} needs a DataType.")
        entry: dict[str, Any] = {"DataType": given["DataType"]}
        if isinstance(given.get("StringValue"), str):
            entry["StringValue"] = given["StringValue"]
        if isinstance(given.get("BinaryValue"), str):
            try:
                entry["BinaryValue"] = base64.b64decode(given["BinaryValue"], validate=True)
            except (ValueError, binascii.Error):
                raise bad_request(f"messageAttributes.{name}.BinaryValue must be base64.") from None
        attributes[name] = entry
    return attributes


async def send(kyu: Kyu, queue: Queue, base_url: str, document: dict[str, Any]) -> dict[str, Any]:
    body = document.get("body")
    if not isinstance(body, str):
        raise bad_request('expected {"body": "<message body>"}')
    params: dict[str, Any] = {"QueueUrl": f"{base_url}/{queue.account}/{queue.name}",
                              "MessageBody": body}
    optional = {
        "DelaySeconds": _optional(document, "delaySeconds", int),
        "MessageGroupId": _optional(document, "messageGroupId", str),
        "MessageDeduplicationId": _optional(document, "messageDeduplicationId", str),
        "MessageAttributes": _message_attributes(document.get("messageAttributes")),
    }
    params.update({k: v for k, v in optional.items() if v is not None})
    try:
        result = await message_handlers.send_message(
            kyu.sqs, context_for(queue, base_url), **params
        )
    except AwsError as error:
        raise _aws(error) from None
    kyu.metrics.sqs_result("SendMessage", params, result)
    return {"messageId": result["MessageId"], "md5OfMessageBody": result["MD5OfMessageBody"],
            "sequenceNumber": result.get("SequenceNumber")}


async def purge(kyu: Kyu, queue: Queue, base_url: str) -> dict[str, Any]:
    try:
        await queue_handlers.purge_queue(
            kyu.sqs, context_for(queue, base_url),
            QueueUrl=f"{base_url}/{queue.account}/{queue.name}",
        )
    except AwsError as error:
        raise _aws(error) from None
    return {"purged": queue.arn}


async def redrive(
    kyu: Kyu, queue: Queue, base_url: str, document: dict[str, Any]
) -> dict[str, Any]:
    """Start a message move task out of this dead-letter queue (StartMessageMoveTask)."""
    params: dict[str, Any] = {"SourceArn": queue.arn}
    destination = _optional(document, "destinationArn", str)
    rate = _optional(document, "maxNumberOfMessagesPerSecond", int)
    if destination is not None:
        params["DestinationArn"] = destination
    if rate is not None:
        params["MaxNumberOfMessagesPerSecond"] = rate
    try:
        result = await move_tasks.start_message_move_task(
            kyu.sqs, context_for(queue, base_url), **params
        )
    except AwsError as error:
        raise _aws(error) from None
    return {"taskHandle": result["TaskHandle"]}


async def list_move_tasks(kyu: Kyu, queue: Queue, base_url: str) -> dict[str, Any]:
    result = await move_tasks.list_message_move_tasks(
        kyu.sqs, context_for(queue, base_url), SourceArn=queue.arn, MaxResults=10
    )
    return {"tasks": result["Results"]}
