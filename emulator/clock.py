"""The emulator's notion of now.

Every time-based rule (visibility, delays, retention, purge and delete cool-downs, deduplication)
reads this clock, never ``time.time()`` directly, so tests and users can move time forward.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Clock:
    """Wall-clock time plus an offset that only ever grows."""

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> float:
        return self._source() + self._offset

    def now_ms(self) -> int:
        return int(self.now() * 1000)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._offset += seconds
        for listener in self._listeners:
            listener()

    def on_advance(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every advance (long polls re-check what became visible)."""
        self._listeners.append(listener)
