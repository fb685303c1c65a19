"""Durations as people type them: ``300``, ``300s``, ``5m``, ``1h``, ``1h30m``, ``1.5d``."""

from __future__ import annotations

import re

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd]?)")
_WHOLE = re.compile(r"(?:\d+(?:\.\d+)?[smhd]?)+")


def parse_duration(text: str) -> float:
    """Seconds in ``text``; a bare number is seconds. Raises ValueError for anything else."""
    compact = text.strip().lower()
    if not _WHOLE.fullmatch(compact):
        raise ValueError(f"not a duration: {text!r} (try 300, 300s, 5m, 1h or 1h30m)")
    parts = _PART.findall(compact)
    if len(parts) > 1 and any(unit == "" for _, unit in parts):
        raise ValueError(f"not a duration: {text!r} (give every number a unit)")
    return sum(float(number) * UNIT_SECONDS[unit or "s"] for number, unit in parts)
