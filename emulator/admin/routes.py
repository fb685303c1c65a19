"""The `/_kyu` routes; the prefix cannot collide with AWS paths (`/<account>/<queue>`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

if TYPE_CHECKING:
    from emulator.app import Kyu

PREFIX = "/_kyu"


def admin_routes(kyu: Kyu) -> list[BaseRoute]:
    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def advance_clock(request: Request) -> Response:
        try:
            document: Any = json.loads(await request.body() or b"{}")
            seconds = float(document["seconds"])
            if seconds < 0:
                raise ValueError(seconds)
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": 'expected {"seconds": <non-negative number>}'}, 400)
        kyu.clock.advance(seconds)
        return JSONResponse({"now": kyu.clock.now()})

    return [
        Route(f"{PREFIX}/health", health, methods=["GET"]),
        Route(f"{PREFIX}/clock/advance", advance_clock, methods=["POST"]),
    ]
