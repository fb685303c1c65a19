"""The one exception type every layer raises for an AWS-style error.

An error carries both names AWS gives it: ``code`` is the query-protocol code (the XML ``<Code>``
and the ``x-amzn-query-error`` header), ``json_type`` the shape name that the JSON protocol puts in
``__type``. Both protocols render the same exception.
"""

from __future__ import annotations


class AwsError(Exception):
    def __init__(
        self,
        code: str,
        message: str,
        status: int = 400,
        *,
        json_type: str | None = None,
        sender: bool = True,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.json_type = json_type or code
        self.sender = sender

    @property
    def fault(self) -> str:
        return "Sender" if self.sender else "Receiver"

    def __repr__(self) -> str:
        return f"AwsError({self.code!r}, {self.message!r}, {self.status})"


def invalid_action(action: str) -> AwsError:
    return AwsError("InvalidAction", f"The action {action} is not valid for this endpoint.")


def missing_action() -> AwsError:
    return AwsError("MissingAction", "No action was supplied with this request.")


def missing_parameter(name: str) -> AwsError:
    return AwsError("MissingParameter", f"The request must contain the parameter {name}.")


def invalid_parameter_value(message: str) -> AwsError:
    return AwsError("InvalidParameterValue", message)


def malformed_query_string(message: str) -> AwsError:
    return AwsError("MalformedQueryString", message)


def serialization_error(message: str) -> AwsError:
    return AwsError("SerializationException", message)


def internal_error() -> AwsError:
    return AwsError(
        "InternalFailure",
        "The request processing has failed because of an unknown error, exception or failure.",
        500,
        sender=False,
    )
