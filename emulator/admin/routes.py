"""The `/_kyu` routes; the prefix cannot collide with AWS paths (`/<account>/<queue>`)."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from emulator.admin import actions, lookup, reset, topic_views, views
from emulator.admin.errors import AdminError, bad_request

if TYPE_CHECKING:
    from emulator.app import Kyu

PREFIX = "/_kyu"
STATIC = Path(__file__).parent / "static"
PEEK_DEFAULT = 100
PEEK_MAX = 1000
QUEUE_PATH = PREFIX + "/queues/{account}/{name}"

Endpoint = Callable[[Request], Awaitable[Response]]

# Checked again on every load (by ETag), so an upgraded Kyu never runs yesterday's scripts; and
# never inside another site's frame, where a click on Purge could be tricked out of the user.
DASHBOARD_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


class _DashboardFiles(StaticFiles):
    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers.update(DASHBOARD_HEADERS)
        return response


def _json_errors(endpoint: Callable[[Request], Awaitable[Any]]) -> Endpoint:
    """Answer a handler's document as JSON and its AdminError as a JSON error."""
    async def wrapped(request: Request) -> Response:
        try:
            result = await endpoint(request)
        except AdminError as error:
            return error.response()
        return result if isinstance(result, Response) else JSONResponse(result)
    return wrapped


def _check_origin(request: Request) -> None:
    """A browser page of another origin may not change state here (no CORS, no CSRF)."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise AdminError(403, "Cross-origin requests may not change Kyu's state.", "Forbidden")


async def _document(request: Request) -> dict[str, Any]:
    _check_origin(request)
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        raise bad_request("The body is not valid JSON.") from None
    if not isinstance(document, dict):
        raise bad_request("The body must be a JSON object.")
    return document


def _clock_document(kyu: Kyu) -> dict[str, Any]:
    now = kyu.clock.now()
    return {
        "now": now,
        "nowMs": kyu.clock.now_ms(),
        "iso": datetime.fromtimestamp(now, UTC).isoformat(timespec="milliseconds"),
        # How far the emulator's clock runs ahead of the wall clock, from clock advances.
        "offsetSeconds": round(max(0.0, now - time.time()), 3),
    }


def admin_routes(kyu: Kyu) -> list[BaseRoute]:
    def base_url(request: Request) -> str:
        host = (kyu.config.hostname or request.headers.get("host")
                or f"{kyu.config.host}:{kyu.config.port}")
        return f"{request.url.scheme}://{host}"

    def named_queue(request: Request) -> Any:
        return lookup.find_queue(
            kyu.sqs, request.path_params["name"], account=request.path_params["account"],
            region=request.query_params.get("region") or None,
            default_account=kyu.config.account_id, default_region=kyu.config.region,
        )

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def clock(request: Request) -> dict[str, Any]:
        return _clock_document(kyu)

    async def advance_clock(request: Request) -> dict[str, Any]:
        seconds = (await _document(request)).get("seconds")
        if (not isinstance(seconds, int | float) or isinstance(seconds, bool)
                or not math.isfinite(seconds) or seconds < 0):
            raise bad_request('expected {"seconds": <non-negative number>}')
        kyu.clock.advance(float(seconds))
        return _clock_document(kyu)

    async def reset_state(request: Request) -> dict[str, Any]:
        given = {**(await _document(request)), **request.query_params}
        unknown = sorted(set(given) - set(reset.SCOPE_KEYS))
        if unknown:
            raise bad_request(f"Unknown reset parameter {unknown[0]!r}; "
                              f"use {', '.join(reset.SCOPE_KEYS)}.")
        if any(not isinstance(v, str) or not v for v in given.values()):
            raise bad_request("Reset parameters must be non-empty strings.")
        return await reset.reset(kyu, reset.ResetScope(**given))

    async def list_queues(request: Request) -> dict[str, Any]:
        queues = lookup.matching_queues(
            kyu.sqs, account=request.query_params.get("account") or None,
            region=request.query_params.get("region") or None,
        )
        now_ms = kyu.clock.now_ms()
        documents = await views.queue_documents(
            kyu.sqs, queues, base_url=base_url(request), now_ms=now_ms
        )
        return {"now": now_ms, "queues": documents}

    async def describe_queue(request: Request) -> dict[str, Any]:
        queue = named_queue(request)
        documents = await views.queue_documents(
            kyu.sqs, [queue], base_url=base_url(request), now_ms=kyu.clock.now_ms()
        )
        return documents[0]

    async def peek(request: Request) -> dict[str, Any]:
        queue = named_queue(request)
        limit = lookup.check_limit(request.query_params.get("limit"),
                                   default=PEEK_DEFAULT, maximum=PEEK_MAX)
        return await views.peek(kyu.sqs, queue, base_url=base_url(request),
                                now_ms=kyu.clock.now_ms(), limit=limit)

    async def send(request: Request) -> dict[str, Any]:
        document = await _document(request)
        return await actions.send(kyu, named_queue(request), base_url(request), document)

    async def purge(request: Request) -> dict[str, Any]:
        await _document(request)
        return await actions.purge(kyu, named_queue(request), base_url(request))

    async def redrive(request: Request) -> dict[str, Any]:
        document = await _document(request)
        return await actions.redrive(kyu, named_queue(request), base_url(request), document)

    async def move_tasks(request: Request) -> dict[str, Any]:
        return await actions.list_move_tasks(kyu, named_queue(request), base_url(request))

    async def dashboard(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=DASHBOARD_HEADERS)

    async def to_dashboard(request: Request) -> Response:
        return RedirectResponse(PREFIX + "/")

    get, post = ["GET"], ["POST"]
    return [
        Route(f"{PREFIX}/health", health, methods=get),
        Route(f"{PREFIX}/clock", _json_errors(clock), methods=get),
        Route(f"{PREFIX}/clock/advance", _json_errors(advance_clock), methods=post),
        Route(f"{PREFIX}/reset", _json_errors(reset_state), methods=post),
        Route(f"{PREFIX}/queues", _json_errors(list_queues), methods=get),
        Route(QUEUE_PATH, _json_errors(describe_queue), methods=get),
        Route(f"{QUEUE_PATH}/messages", _json_errors(peek), methods=get),
        Route(f"{QUEUE_PATH}/send", _json_errors(send), methods=post),
        Route(f"{QUEUE_PATH}/purge", _json_errors(purge), methods=post),
        Route(f"{QUEUE_PATH}/redrive", _json_errors(redrive), methods=post),
        Route(f"{QUEUE_PATH}/move-tasks", _json_errors(move_tasks), methods=get),
        Route(f"{PREFIX}/topics", _json_errors(topic_views.list_topics_endpoint(kyu)), methods=get),
        Route(PREFIX, to_dashboard, methods=get),
        Route(f"{PREFIX}/", dashboard, methods=get),
        Route(f"{PREFIX}/dashboard", dashboard, methods=get),
        Mount(f"{PREFIX}/static", _DashboardFiles(directory=STATIC), name="kyu-static"),
    ]

