"""Pure rules of FIFO sends: group and deduplication ids, and what makes a send valid."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from emulator.errors import AwsError, invalid_parameter_value, missing_parameter

DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000
_ID = re.compile(r"^[A-Za-z0-9!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~]{1,128}$")


def deduplication_scope(queue_attributes: Mapping[str, str], group_id: str) -> str:
    """Where a deduplication id must be unique: its group, or ("") the whole queue."""
    per_group = queue_attributes.get("DeduplicationScope") == "messageGroup"
    return group_id if per_group else ""


def format_sequence_number(sequence: int) -> str:
    """AWS's sequence numbers (of FIFO queues and FIFO topics) are large decimal strings that only
    grow; ours grow from 10**19 per queue or topic."""
    return str(10**19 + sequence)


def check_id(name: str, value: str) -> None:
    if not _ID.match(value):
        raise invalid_parameter_value(
            f"Value {value} for parameter {name} is invalid. Reason: {name} can only include "
            "alphanumeric and punctuation characters. 1 to 128 in length."
        )


def not_for_this_queue_type(name: str, value: object) -> AwsError:
    return invalid_parameter_value(
        f"Value {value} for parameter {name} is invalid. "
        "Reason: The request include parameter that is not valid for this queue type."
    )


def deduplication_id(
    body: str, given: str | None, *, content_based: bool
) -> str:
    """The id a FIFO send is deduplicated by: the given one, else the body's SHA-256."""
    if given is not None:
        check_id("MessageDeduplicationId", given)
        return given
    if content_based:
        return hashlib.sha256(body.encode("utf-8")).hexdigest()
    raise invalid_parameter_value(
        "The queue should either have ContentBasedDeduplication enabled or "
        "MessageDeduplicationId provided explicitly"
    )


def check_fifo_send(group_id: str | None, delay_seconds: int | None) -> str:
    """A FIFO send needs a group id and takes no per-message delay; returns the group id.

    An explicit ``DelaySeconds=0`` is accepted (and the queue's delay applies), as on AWS.
    """
    if group_id is None:
        raise missing_parameter("MessageGroupId")
    check_id("MessageGroupId", group_id)
    if delay_seconds:
        raise not_for_this_queue_type("DelaySeconds", delay_seconds)
    return group_id
