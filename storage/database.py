"""One SQLite connection, one writer at a time.

aiosqlite runs each statement on a worker thread and hops back at every await, so statements of two
requests can interleave. Everything that touches the connection therefore goes through
``Database.lock``: a single statement via ``execute``/``fetch*``, several via ``transaction()``.

Opening a data file refuses, with one ``DataFileError`` sentence and without changing its bytes,
anything that is not a Kyu file this process may own: a directory, a file another process holds,
an unwritable file, a file SQLite cannot read, a file written by a newer Kyu.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage import data_file_lock
from storage.schema import MIGRATIONS, SCHEMA_VERSION

Row = aiosqlite.Row
Parameters = Sequence[Any] | Mapping[str, Any]
SYNCHRONOUS_MODES = ("FULL", "NORMAL")


class DataFileError(Exception):
    """The data file cannot be used; the message says why in one sentence."""


class SchemaTooNew(DataFileError):
    """The data file was written by a newer Kyu."""


class Database:
    def __init__(self, path: str | None, *, synchronous: str = "FULL") -> None:
        if synchronous.upper() not in SYNCHRONOUS_MODES:
            raise ValueError(f"synchronous must be one of {', '.join(SYNCHRONOUS_MODES)}")
        self.path = path
        self.synchronous = synchronous.upper()
        self.lock = asyncio.Lock()
        self._connection: aiosqlite.Connection | None = None

    @property
    def connection(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise RuntimeError("database is not open")
        return self._connection

    async def open(self) -> None:
        if self.path:
            _claim(Path(self.path))
        try:
            connection = await aiosqlite.connect(self.path or ":memory:", isolation_level=None)
        except sqlite3.Error as error:
            self._release_file()
            raise DataFileError(f"cannot open the data file {self.path}: {error}") from None
        try:
            connection.row_factory = aiosqlite.Row
            self._connection = connection
            # The version is read before anything writes, so a newer file is left as it was.
            await self._check_version()
            if self.path:
                await connection.execute("PRAGMA journal_mode=WAL")
            await connection.execute(f"PRAGMA synchronous={self.synchronous}")
            await connection.execute("PRAGMA foreign_keys=ON")
            await connection.execute("PRAGMA busy_timeout=5000")
            await self._migrate()
        except BaseException as error:
            self._connection = None
            await connection.close()  # its worker thread would keep the process alive
            self._release_file()
            if isinstance(error, sqlite3.Error):
                raise DataFileError(
                    f"the data file {self.path} is damaged or not a Kyu data file ({error})"
                ) from None
            raise

    async def close(self) -> None:
        if self._connection is not None:
            async with self.lock:
                await self._connection.close()
            self._connection = None
            self._release_file()

    def _release_file(self) -> None:
        if self.path:
            data_file_lock.release(Path(self.path))

    async def _user_version(self) -> int:
        rows = await self.connection.execute_fetchall("PRAGMA user_version")
        return int(next(iter(rows))[0])

    async def _check_version(self) -> None:
        version = await self._user_version()
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"the data file {self.path or ':memory:'} was written by a newer Kyu "
                f"(schema version {version}; this Kyu knows up to {SCHEMA_VERSION})"
            )

    async def _migrate(self) -> None:
        version = await self._user_version()
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            await self.connection.executescript(
                f"BEGIN IMMEDIATE; {script}; PRAGMA user_version={number}; COMMIT;"
            )

    async def execute(self, sql: str, parameters: Parameters = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        async with self.lock:
            cursor = await self.connection.execute(sql, parameters)
            count = cursor.rowcount
            await cursor.close()
            return count

    async def fetch_all(self, sql: str, parameters: Parameters = ()) -> list[Row]:
        async with self.lock:
            return list(await self.connection.execute_fetchall(sql, parameters))

    async def fetch_one(self, sql: str, parameters: Parameters = ()) -> Row | None:
        rows = await self.fetch_all(sql, parameters)
        return rows[0] if rows else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A ``BEGIN IMMEDIATE`` block held under the lock, committed unless it raises."""
        async with self.lock:
            connection = self.connection
            await connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                await connection.execute("ROLLBACK")
                raise
            await connection.execute("COMMIT")


def _claim(path: Path) -> None:
    """Lock ``path`` for this process and check it can be written, before SQLite touches it."""
    if path.is_dir():
        raise DataFileError(f"the data path {path} is a directory, not a file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataFileError(
            f"cannot create the directory {path.parent}: {error.strerror}"
        ) from None
    try:
        data_file_lock.acquire(path)
    except data_file_lock.DataFileLocked as error:
        raise DataFileError(str(error)) from None
    except OSError as error:
        raise DataFileError(
            f"cannot write in the data directory {path.parent}: {error.strerror}"
            f" (creating {error.filename})"
        ) from None
    if path.exists():
        # SQLite would silently fall back to read-only and fail at the first write.
        try:
            with open(path, "r+b"):
                pass
        except OSError as error:
            data_file_lock.release(path)
            raise DataFileError(f"cannot write the data file {path}: {error.strerror}") from None
