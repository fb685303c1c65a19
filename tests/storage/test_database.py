from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from storage.database import Database, SchemaTooNew
from storage.messages import MessageStore
from storage.queues import QueueStore
from storage.schema import MIGRATIONS, SCHEMA_VERSION


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


async def test_file_of_the_previous_version_gains_the_retention_index(tmp_path: Path):
    path = tmp_path / "kyu.sqlite3"
    previous = SCHEMA_VERSION - 1
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        for number, script in enumerate(MIGRATIONS[:previous], start=1):
            connection.executescript(f"BEGIN; {script}; PRAGMA user_version={number}; COMMIT;")
        connection.execute(
            "INSERT INTO queues (id, region, account, name, fifo, attributes, created_at,"
            " modified_at) VALUES (1, 'us-east-1', '000000000000', 'q', 0, '{}', 0, 0)"
        )
        connection.executemany(
            "INSERT INTO messages (queue_id, message_id, body, md5_body, sender_id, sent_at,"
            " visible_at, receive_count) VALUES (1, ?, 'b', '', '', ?, ?, ?)",
            [("old", 1_000, 1_000, 0), ("visible", 50_000, 50_000, 0),
             ("in-flight", 50_000, 90_000, 1), ("delayed", 50_000, 90_000, 0)],
        )
    db = Database(str(path))
    await db.open()
    version = await db.fetch_one("PRAGMA user_version")
    index = await db.fetch_one(
        "SELECT sql FROM sqlite_master WHERE name = 'messages_by_retention'"
    )
    counts = await MessageStore(db).counts(1, now=60_000, alive_after=20_000)
    expired = await MessageStore(db).delete_expired(1, alive_after=20_000)
    await db.close()
    assert version is not None and version[0] == SCHEMA_VERSION
    assert index is not None
    assert (counts.visible, counts.in_flight, counts.delayed) == (1, 1, 1)
    assert expired == 1
