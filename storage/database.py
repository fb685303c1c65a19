"""One SQLite connection, one writer at a time.

aiosqlite runs each statement on a worker thread and hops back at every await, so statements of two
requests can interleave. Everything that touches the connection therefore goes through
``Database.lock``: a single statement via ``execute``/``fetch*``, several via ``transaction()``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite

from storage.schema import MIGRATIONS, SCHEMA_VERSION

Row = aiosqlite.Row
Parameters = Sequence[Any] | Mapping[str, Any]


class SchemaTooNew(Exception):
    """The data file was written by a newer Kyu."""


class Database:
    def __init__(self, path: str | None, *, synchronous: str = "FULL") -> None:
        self.path = path
        self.synchronous = synchronous
        self.lock = asyncio.Lock()
        self._connection: aiosqlite.Connection | None = None

    @property
    def connection(self) -> aiosqlite.Connection:
        if self._connection is None:
            raise RuntimeError("database is not open")
        return self._connection

    async def open(self) -> None:
        connection = await aiosqlite.connect(self.path or ":memory:", isolation_level=None)
        connection.row_factory = aiosqlite.Row
        self._connection = connection
        if self.path:
            await connection.execute("PRAGMA journal_mode=WAL")
        await connection.execute(f"PRAGMA synchronous={self.synchronous}")
        await connection.execute("PRAGMA foreign_keys=ON")
        await connection.execute("PRAGMA busy_timeout=5000")
        await self._migrate()

    async def close(self) -> None:
        if self._connection is not None:
            async with self.lock:
                await self._connection.close()
            self._connection = None

    async def _migrate(self) -> None:
        rows = await self.connection.execute_fetchall("PRAGMA user_version")
        version = int(next(iter(rows))[0])
        if version > SCHEMA_VERSION:
            raise SchemaTooNew(
                f"the data file has schema version {version}; this Kyu knows up to {SCHEMA_VERSION}"
            )
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
