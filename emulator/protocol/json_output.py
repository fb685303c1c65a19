"""JSON responses: JSON 1.0 for JSON requests, and AWS's JSON mirror for query requests.

JSON 1.0 (``application/x-amz-json-1.0``): the output shape's members, absent ones left out,
blobs in base64, ``{}`` for operations without output. Errors carry ``__type`` (the error shape,
``com.amazonaws.sqs#QueueDoesNotExist``) and ``message`` in the body, and the legacy query code in
the ``x-amzn-query-error: <code>;<Sender|Receiver>`` header, as shown in "Interpreting Amazon SQS
JSON API responses" of the SQS developer guide.

Query requests sent with ``Accept: application/json`` are answered by AWS with a JSON document
that mirrors the XML envelope but serializes the result object itself rather than its XML form.
Responses captured from SQS show its shape::

    {"ReceiveMessageResponse": {
        "ReceiveMessageResult": {"messages": [{"Attributes": {"ApproximateReceiveCount": "1"},
                                               "Body": "...", "MD5OfBody": "...",
                                               "MD5OfMessageAttributes": null,
                                               "MessageAttributes": null, "MessageId": "...",
                                               "ReceiptHandle": "..."}]},
        "ResponseMetadata": {"RequestId": "..."}}}

    {"Error": {"Code": "AccessDenied", "Message": "...", "Type": "Sender"}, "RequestId": "..."}

so the mirror here: every member of every structure is present, ``null`` when absent; members
appear in sorted order; lists are JSON arrays and maps JSON objects (not the XML's Name/Value
entries); blobs are base64; a result member keeps its model name except where SQS was seen to use
another spelling (``queueUrls`` in ListQueuesResult, ``messages`` in ReceiveMessageResult).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from botocore.model import OperationModel, Shape

from emulator.errors import AwsError

SQS_JSON_PREFIX = "com.amazonaws.sqs#"

# (structure shape, member) -> the member's name in the query-JSON mirror, where it differs.
MIRROR_NAMES: Mapping[tuple[str, str], str] = {
    ("ListQueuesResult", "QueueUrls"): "queueUrls",
    ("ReceiveMessageResult", "Messages"): "messages",
}


def _dumps(document: Any) -> bytes:
    try:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate cannot be UTF-8; \u escapes keep the document valid JSON.
        return json.dumps(document, separators=(",", ":")).encode("ascii")


def _plain(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        return {
            name: _plain(member, value[name])
            for name, member in shape.members.items()
            if value.get(name) is not None
        }
    if kind == "list":
        return [_plain(shape.member, item) for item in value if item is not None]
    if kind == "map":
        return {key: _plain(shape.value, item) for key, item in value.items() if item is not None}
    if kind == "blob":
        return base64.b64encode(value).decode("ascii")
    return value


def json_result(op: OperationModel, result: dict[str, Any] | None) -> bytes:
    """The JSON 1.0 body of a successful call of ``op``."""
    shape = op.output_shape
    if shape is None or not result:
        return b"{}"
    return _dumps(_plain(shape, result))


def json_type(error: AwsError) -> str:
    """The ``__type`` of ``error``: its shape name, qualified with the SQS namespace."""
    if "#" in error.json_type:
        return error.json_type
    return SQS_JSON_PREFIX + error.json_type


def json_error(error: AwsError) -> tuple[bytes, dict[str, str]]:
    """The JSON 1.0 body and extra headers of a failed call."""
    body = _dumps({"__type": json_type(error), "message": error.message})
    return body, {"x-amzn-query-error": f"{error.code};{error.fault}"}


def _mirror(shape: Shape, value: Any) -> Any:
    if value is None:
        return None
    kind = shape.type_name
    if kind == "structure":
        fields = {
            MIRROR_NAMES.get((shape.name, name), name): _mirror(member, value.get(name))
            for name, member in shape.members.items()
        }
        return dict(sorted(fields.items()))
    if kind == "list":
        return [_mirror(shape.member, item) for item in value]
    if kind == "map":
        return {key: _mirror(shape.value, item) for key, item in value.items()}
    if kind == "blob":
        return base64.b64encode(value).decode("ascii")
    return value


def query_result_json(op: OperationModel, result: dict[str, Any] | None, request_id: str) -> bytes:
    """The JSON answer to a successful query request that asked for ``application/json``."""
    name = op.name
    response: dict[str, Any] = {}
    if op.output_shape is not None:
        response[f"{name}Result"] = _mirror(op.output_shape, result or {})
    response["ResponseMetadata"] = {"RequestId": request_id}
    return _dumps({f"{name}Response": response})


def query_error_json(error: AwsError, request_id: str) -> bytes:
    """The JSON answer to a failed query request that asked for ``application/json``."""
    return _dumps(
        {
            "Error": {"Code": error.code, "Message": error.message, "Type": error.fault},
            "RequestId": request_id,
        }
    )
