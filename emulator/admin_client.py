"""A client of a running Kyu's own `/_kyu` JSON API, for the ``kyu`` admin commands."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote, urlencode

TIMEOUT_SECONDS = 10
NO_TOPIC_LISTING = {200, 400, 404, 405}  # 200: an answer that is not JSON


class AdminClientError(Exception):
    """Kyu could not be reached, or answered with an error; the message is one line."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def queue_path(account: str, name: str, suffix: str = "") -> str:
    return f"/_kyu/queues/{quote(account, safe='')}/{quote(name, safe='')}{suffix}"


class AdminClient:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint.rstrip("/")

    def get(self, path: str, **query: str | int | None) -> Any:
        given = {key: value for key, value in query.items() if value is not None}
        return self._call("GET", path + (f"?{urlencode(given)}" if given else ""), None)

    def post(self, path: str, document: dict[str, Any]) -> Any:
        return self._call("POST", path, json.dumps(document).encode())

    def topics(self) -> list[dict[str, Any]] | None:
        """The topics, or None where this Kyu has no topic listing (SNS not available)."""
        try:
            return list(self.get("/_kyu/topics")["topics"])
        except AdminClientError as error:
            # A Kyu without the route hands the path to the AWS protocols, which refuse it.
            if error.status in NO_TOPIC_LISTING:
                return None
            raise

    def _call(self, method: str, path: str, body: bytes | None) -> Any:
        url = self.endpoint + path
        request = urllib.request.Request(url, data=body, method=method, headers={
            "Accept": "application/json", "Content-Type": "application/json",
        })
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as reply:
                raw = reply.read()
        except urllib.error.HTTPError as error:
            raise AdminClientError(_error_text(error), error.code) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise AdminClientError(f"cannot reach Kyu at {self.endpoint}: {reason}") from None
        except ValueError as error:  # a malformed endpoint URL
            raise AdminClientError(f"bad endpoint {self.endpoint!r}: {error}") from None
        try:
            return json.loads(raw)
        except ValueError:
            raise AdminClientError(
                f"{url} did not answer JSON; is {self.endpoint} a Kyu server?", 200
            ) from None


def _error_text(error: urllib.error.HTTPError) -> str:
    """Kyu's JSON error message; for anything else (not a Kyu, an older Kyu) the HTTP status."""
    try:
        document = json.loads(error.read())
        code = f" {document['code']}" if "code" in document else ""
        return f"{document['error']} (HTTP {error.code}{code})"
    except (ValueError, KeyError, TypeError, OSError):
        return f"{error.url} answered HTTP {error.code} {error.reason}"
