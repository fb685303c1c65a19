from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.database import Database
from storage.messages import MessageStore
from storage.queues import Queue, QueueStore


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(str(tmp_path / "kyu.sqlite3"))
    await database.open()
    yield database
    await database.close()


@pytest.fixture
async def queue(db: Database) -> Queue:
    store = QueueStore(db)
    return await store.create(
        "us-east-1", "000000000000", "q", fifo=False,
        attributes={"MessageRetentionPeriod": "60"}, tags={}, now=0,
    )


@pytest.fixture
def messages(db: Database) -> MessageStore:
    return MessageStore(db)
