"""SQS's errors, with the legacy query codes and HTTP statuses of AWS's published query model."""

from __future__ import annotations

from emulator.errors import AwsError


def queue_does_not_exist() -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.",
        json_type="QueueDoesNotExist",
    )


def queue_name_exists(name: str) -> AwsError:
    return AwsError(
        "QueueAlreadyExists",
        f"A queue already exists with the same name and a different value for attribute(s) {name}",
        json_type="QueueNameExists",
    )


def queue_deleted_recently() -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.QueueDeletedRecently",
        "You must wait 60 seconds after deleting a queue before you can create another queue "
        "with the same name.",
        json_type="QueueDeletedRecently",
    )


def purge_queue_in_progress(queue_url: str) -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.PurgeQueueInProgress",
        f"Only one PurgeQueue operation on {queue_url.rsplit('/', 1)[-1]} is allowed every "
        "60 seconds.",
        403,
        json_type="PurgeQueueInProgress",
    )


def receipt_handle_is_invalid(handle: str) -> AwsError:
    return AwsError(
        "ReceiptHandleIsInvalid",
        f'The input receipt handle "{handle}" is not a valid receipt handle.',
        404,
    )


def message_not_inflight() -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.MessageNotInflight",
        "Message does not exist or is not available for visibility timeout change.",
        json_type="MessageNotInflight",
    )


def invalid_attribute_name(message: str) -> AwsError:
    return AwsError("InvalidAttributeName", message)


def invalid_attribute_value(message: str) -> AwsError:
    return AwsError("InvalidAttributeValue", message)


def invalid_message_contents(message: str) -> AwsError:
    return AwsError("InvalidMessageContents", message)


def empty_batch_request(entry_name: str) -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.EmptyBatchRequest",
        f"There should be at least one {entry_name} in the request.",
        json_type="EmptyBatchRequest",
    )


def too_many_entries_in_batch_request(count: int) -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        f"Maximum number of entries per request are 10. You have sent {count}.",
        json_type="TooManyEntriesInBatchRequest",
    )


def batch_entry_ids_not_distinct(entry_id: str) -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        f"Id {entry_id} repeated.",
        json_type="BatchEntryIdsNotDistinct",
    )


def invalid_batch_entry_id() -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
        "It can be at most 80 letters long.",
        json_type="InvalidBatchEntryId",
    )


def batch_request_too_long(size: int, limit: int) -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.BatchRequestTooLong",
        f"Batch requests cannot be longer than {limit} bytes. You have sent {size} bytes.",
        json_type="BatchRequestTooLong",
    )


def over_limit(message: str) -> AwsError:
    return AwsError("OverLimit", message, 403)


def unsupported_operation(message: str) -> AwsError:
    return AwsError(
        "AWS.SimpleQueueService.UnsupportedOperation", message, json_type="UnsupportedOperation"
    )


def resource_not_found(message: str) -> AwsError:
    return AwsError("ResourceNotFoundException", message, 404)
