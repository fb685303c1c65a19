"""A small client of Kyu's own `/_kyu` JSON API for tests: status and document of each call."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


class AdminApi:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    def call(
        self, method: str, path: str, document: Any = None, *, raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        data = raw if raw is not None else (
            None if document is None else json.dumps(document).encode()
        )
        request = urllib.request.Request(
            self.endpoint + path, data=data, method=method,
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def get(self, path: str) -> Any:
        status, document = self.call("GET", path)
        assert status == 200, (path, status, document)
        return document

    def post(self, path: str, document: Any = None) -> Any:
        status, answer = self.call("POST", path, document if document is not None else {})
        assert status == 200, (path, status, answer)
        return answer
