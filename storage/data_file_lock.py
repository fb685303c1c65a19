"""One process per data file: an exclusive ``flock`` on ``<data>.lock``.

SQLite's own locks let several processes share a file, each caching queue definitions and waking
only its own long polls, so two Kyu servers on one file would each be wrong. The lock lives in a
separate file because SQLite's POSIX locks on the data file itself are released whenever any
descriptor of it is closed. Within one process the lock is counted: the server holds it for its
whole life, each open ``Database`` while it is open.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

_held: dict[str, tuple[int, int]] = {}  # real path of the lock file -> (descriptor, holders)


class DataFileLocked(Exception):
    """Another process holds the data file."""


def lock_path(data: Path) -> Path:
    return data.with_name(data.name + ".lock")


def acquire(data: Path) -> None:
    """Take the lock or count one more holder; ``DataFileLocked`` if another process has it."""
    path = lock_path(data)
    key = os.path.realpath(path)
    if key in _held:
        descriptor, holders = _held[key]
        _held[key] = (descriptor, holders + 1)
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(descriptor, 32).decode(errors="replace").strip()
        os.close(descriptor)
        owner = f" (pid {holder})" if holder.isdigit() else ""
        raise DataFileLocked(
            f"the data file {data} is in use by another Kyu process{owner}"
        ) from None
    except BaseException:
        os.close(descriptor)
        raise
    os.ftruncate(descriptor, 0)
    os.write(descriptor, f"{os.getpid()}\n".encode())
    _held[key] = (descriptor, 1)


def release(data: Path) -> None:
    """Drop one holder; the last one unlocks (the lock file stays: removing it would race)."""
    key = os.path.realpath(lock_path(data))
    if key not in _held:
        return
    descriptor, holders = _held.pop(key)
    if holders > 1:
        _held[key] = (descriptor, holders - 1)
    else:
        os.close(descriptor)
