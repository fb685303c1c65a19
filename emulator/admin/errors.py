"""Errors of Kyu's own API: a status and a message, answered as JSON."""

from __future__ import annotations

from starlette.responses import JSONResponse


class AdminError(Exception):
    def __init__(self, status: int, message: str, code: str = "BadRequest") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code

    def response(self) -> JSONResponse:
        return JSONResponse({"error": self.message, "code": self.code}, self.status)


def bad_request(message: str) -> AdminError:
    return AdminError(400, message)


def not_found(message: str) -> AdminError:
    return AdminError(404, message, "NotFound")
