from __future__ import annotations

from pathlib import Path

import pytest

from storage.database import Database, SchemaTooNew
from storage.queues import QueueStore
from storage.schema import SCHEMA_VERSION


async def test_fresh_file_is_migrated_to_the_current_version(tmp_path: Path):
    db = Database(str(tmp_path / "kyu.sqlite3"))
    await db.open()
    row = await db.fetch_one("PRAGMA user_version")
    mode = await db.fetch_one("PRAGMA journal_mode")
    await db.close()
    assert row is not None and row[0] == SCHEMA_VERSION
    assert mode is not None and mode[0] == "wal"


async def test_file_from_a_newer_version_is_refused(tmp_path: Path):
    path = tmp_path / "kyu.sqlite3"
    db = Database(str(path))
    await db.open()
    await db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    await db.close()
    again = Database(str(path))
    with pytest.raises(SchemaTooNew):
        await again.open()
    await again.close()


async def test_queues_survive_reopening(tmp_path: Path):
    path = str(tmp_path / "kyu.sqlite3")
    db = Database(path)
    await db.open()
    created = await QueueStore(db).create(
        "us-east-1", "000000000000", "orders", fifo=False,
        attributes={"VisibilityTimeout": "5"}, tags={"team": "a"}, now=10,
    )
    await db.close()
    db = Database(path)
    await db.open()
    store = QueueStore(db)
    await store.load()
    await db.close()
    loaded = store.get("us-east-1", "000000000000", "orders")
    assert loaded == created


async def test_deleted_queue_leaves_a_tombstone(tmp_path: Path):
    db = Database(str(tmp_path / "kyu.sqlite3"))
    await db.open()
    store = QueueStore(db)
    queue = await store.create("us-east-1", "1", "q", fifo=False, attributes={}, tags={}, now=1)
    await store.delete(queue, now_ms=5_000)
    assert store.get("us-east-1", "1", "q") is None
    assert await store.deleted_at("us-east-1", "1", "q") == 5_000
    await db.close()
