"""JSON 1.0 requests (``X-Amz-Target: AmazonSQS.<Op>``): the body in, the kwargs form out.

Values are checked against the operation's input shape. A body that is not JSON, not an object,
or holds a value of the wrong type for its shape is answered with a ``SerializationException``
whose ``__type`` is the framework-level name AWS JSON services use; the messages follow the
wording those services give (``STRING_VALUE cannot be converted to Integer``, ...). ``null``
counts as absent and unknown members are ignored. Missing required members raise
``MissingParameter``, named the way SQS names the query parameter (``QueueUrl``,
``SendMessageBatchRequestEntry.1.Id``).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from botocore.model import OperationModel, Shape

from emulator.errors import AwsError
from emulator.protocol.query_traits import SQS_TRAITS, param_name
from emulator.protocol.required import enforce_required

SERIALIZATION_TYPE = "com.amazon.coral.service#SerializationException"
_INT_RANGES = {"integer": (-(2**31), 2**31 - 1, "Integer"), "long": (-(2**63), 2**63 - 1, "Long")}


def serialization_exception(message: str) -> AwsError:
    return AwsError("SerializationException", message, json_type=SERIALIZATION_TYPE)


def _reject_constant(name: str) -> Any:
    raise serialization_exception(f"Unexpected token {name} in the request body.")


def _load(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise serialization_exception("The request body is not valid UTF-8.") from None
    if not text.strip():
        return {}
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise serialization_exception(
            f"The request body is not valid JSON: {exc.msg} at position {exc.pos}."
        ) from None
    except RecursionError:
        raise serialization_exception("The request body is nested too deeply.") from None


def _token(value: Any) -> str:
    if value is True:
        return "TRUE_VALUE"
    if value is False:
        return "FALSE_VALUE"
    if isinstance(value, int):
        return "NUMBER_VALUE"
    if isinstance(value, float):
        return "DECIMAL_VALUE"
    return "STRING_VALUE"


def _container_mismatch(value: Any, scalar_message: str) -> AwsError:
    """The error for ``value`` where its shape wants something else."""
    if isinstance(value, dict):
        return serialization_exception("Start of structure or map found where not expected.")
    if isinstance(value, list):
        return serialization_exception("Start of list found where not expected.")
    return serialization_exception(scalar_message)


def _mismatch(value: Any, target: str) -> AwsError:
    return _container_mismatch(value, f"{_token(value)} cannot be converted to {target}")


def _convert(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            raise _container_mismatch(value, "Unexpected value type in payload")
        out: dict[str, Any] = {}
        for name, member in shape.members.items():
            item = value.get(name)
            if item is not None:
                out[name] = _convert(member, item)
        return out
    if kind == "list":
        if not isinstance(value, list):
            raise _container_mismatch(value, "Unexpected field type")
        return [_convert(shape.member, item) for item in value if item is not None]
    if kind == "map":
        if not isinstance(value, dict):
            raise _container_mismatch(value, "Unexpected field type")
        return {key: _convert(shape.value, item) for key, item in value.items() if item is not None}
    return _scalar(kind, value)


def _scalar(kind: str, value: Any) -> Any:
    if kind in _INT_RANGES:
        low, high, target = _INT_RANGES[kind]
        if isinstance(value, bool) or not isinstance(value, int):
            raise _mismatch(value, target)
        if not low <= value <= high:
            raise serialization_exception(
                f"Numeric value ({value}) out of range of {target.lower()}"
            )
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _mismatch(value, "Boolean")
        return value
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _mismatch(value, "Double")
        return float(value)
    if kind == "blob":
        if not isinstance(value, str):
            raise _container_mismatch(
                value, "only base-64-encoded strings are convertible to bytes"
            )
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serialization_exception(
                "Invalid base-64 value: only base-64-encoded strings are convertible to bytes"
            ) from None
    if not isinstance(value, str):
        raise _mismatch(value, "String")
    return value


def parse_json(op: OperationModel, body: bytes) -> dict[str, Any]:
    """The kwargs form of ``op``'s input, read from a JSON 1.0 request body."""
    document = _load(body)
    if not isinstance(document, dict):
        raise _container_mismatch(document, "Unexpected value type in payload")
    shape = op.input_shape
    if shape is None:
        return {}
    result: dict[str, Any] = _convert(shape, document)
    enforce_required(shape, result, lambda path: param_name(SQS_TRAITS, shape, path, result))
    return result
