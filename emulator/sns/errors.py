"""SNS's errors: codes, HTTP statuses and message texts as AWS answers them.

The codes and statuses are those of botocore's SNS model (``InvalidParameter`` 400, ``NotFound``
404, ``AuthorizationError`` 403, ...); ``json_type`` carries the model's shape name.
"""

from __future__ import annotations

from emulator.errors import AwsError

SNS_JSON_PREFIX = "com.amazonaws.sns#"


def _error(code: str, shape: str, message: str, status: int = 400) -> AwsError:
    return AwsError(code, message, status, json_type=SNS_JSON_PREFIX + shape)


def invalid_parameter(message: str) -> AwsError:
    """``message`` is the whole text, usually starting with ``Invalid parameter: ``."""
    return _error("InvalidParameter", "InvalidParameterException", message)


def parameter_value_invalid(message: str) -> AwsError:
    return _error("ParameterValueInvalid", "InvalidParameterValueException", message)


def topic_not_found() -> AwsError:
    return _error("NotFound", "NotFoundException", "Topic does not exist", 404)


def subscription_not_found() -> AwsError:
    return _error("NotFound", "NotFoundException", "Subscription does not exist", 404)


def resource_not_found() -> AwsError:
    return _error("ResourceNotFound", "ResourceNotFoundException", "Resource does not exist", 404)


def authorization_error(message: str) -> AwsError:
    return _error("AuthorizationError", "AuthorizationErrorException", message, 403)


def tag_limit_exceeded() -> AwsError:
    return _error("TagLimitExceeded", "TagLimitExceededException",
                  "Could not complete request: tag quota of per resource exceeded")


def empty_batch() -> AwsError:
    return _error("EmptyBatchRequest", "EmptyBatchRequestException",
                  "The batch request doesn't contain any entries")


def too_many_entries() -> AwsError:
    return _error("TooManyEntriesInBatchRequest", "TooManyEntriesInBatchRequestException",
                  "The batch request contains more entries than permissible.")


def batch_ids_not_distinct() -> AwsError:
    return _error("BatchEntryIdsNotDistinct", "BatchEntryIdsNotDistinctException",
                  "Two or more batch entries in the request have the same Id.")


def invalid_batch_entry_id() -> AwsError:
    return _error("InvalidBatchEntryId", "InvalidBatchEntryIdException",
                  "The Id of a batch entry in a batch request doesn't abide by the specification.")


def batch_request_too_long() -> AwsError:
    return _error("BatchRequestTooLong", "BatchRequestTooLongException",
                  "The length of all the messages put together is more than the limit.")


def not_supported(operation: str) -> AwsError:
    """Operations Kyu does not emulate (SMS, mobile push, data protection): a clear refusal."""
    return AwsError(
        "InvalidAction",
        f"The action {operation} is not supported by Kyu, which emulates SNS topics with "
        "sqs, http and https subscriptions only (no SMS, mobile push or data protection).",
    )
