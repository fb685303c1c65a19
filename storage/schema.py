"""The schema as an ordered list of migrations; ``PRAGMA user_version`` records how many ran."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: queues, recently deleted queue names, messages.
    """
    CREATE TABLE queues (
        id INTEGER PRIMARY KEY,
        region TEXT NOT NULL,
        account TEXT NOT NULL,
        name TEXT NOT NULL,
        fifo INTEGER NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        modified_at INTEGER NOT NULL,
        purged_at INTEGER,
        UNIQUE (region, account, name)
    );
    CREATE TABLE deleted_queues (
        region TEXT NOT NULL,
        account TEXT NOT NULL,
        name TEXT NOT NULL,
        deleted_at INTEGER NOT NULL,
        PRIMARY KEY (region, account, name)
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
        message_id TEXT NOT NULL,
        body TEXT NOT NULL,
        attributes TEXT,
        system_attributes TEXT,
        md5_body TEXT NOT NULL,
        md5_attributes TEXT,
        md5_system_attributes TEXT,
        sender_id TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        visible_at INTEGER NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        first_received_at INTEGER,
        last_received_at INTEGER,
        receipt TEXT,
        group_id TEXT,
        deduplication_id TEXT,
        sequence_number INTEGER
    );
    CREATE INDEX messages_by_visibility ON messages (queue_id, visible_at, id);
    """,
    # 2: FIFO queues (sequence numbers, the deduplication window, group order) and redrive.
    """
    ALTER TABLE queues ADD COLUMN last_sequence INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE messages ADD COLUMN dead_letter_source_arn TEXT;
    CREATE INDEX messages_by_queue_order ON messages (queue_id, id);
    CREATE TABLE deduplication (
        queue_id INTEGER NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
        scope TEXT NOT NULL,
        deduplication_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sequence_number INTEGER,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (queue_id, scope, deduplication_id)
    );
    CREATE TABLE move_tasks (
        handle TEXT PRIMARY KEY,
        source_arn TEXT NOT NULL,
        destination_arn TEXT,
        max_per_second INTEGER,
        status TEXT NOT NULL,
        moved INTEGER NOT NULL DEFAULT 0,
        to_move INTEGER,
        failure_reason TEXT,
        started_at INTEGER NOT NULL
    );
    """,
    # 3: SNS topics, their subscriptions, the FIFO topic deduplication window, the signing key.
    """
    CREATE TABLE topics (
        id INTEGER PRIMARY KEY,
        region TEXT NOT NULL,
        account TEXT NOT NULL,
        name TEXT NOT NULL,
        fifo INTEGER NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        last_sequence INTEGER NOT NULL DEFAULT 0,
        subscriptions_deleted INTEGER NOT NULL DEFAULT 0,
        UNIQUE (region, account, name)
    );
    CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY,
        arn TEXT NOT NULL UNIQUE,
        topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        owner TEXT NOT NULL,
        attributes TEXT NOT NULL,
        confirmed INTEGER NOT NULL,
        authenticated INTEGER NOT NULL DEFAULT 0,
        token TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX subscriptions_by_topic ON subscriptions (topic_id, id);
    CREATE TABLE topic_deduplication (
        topic_id INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
        deduplication_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sequence_number INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (topic_id, deduplication_id)
    );
    CREATE TABLE signing_keys (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        private_key TEXT NOT NULL,
        certificate TEXT NOT NULL
    );
    """,
    # 4: messages by retention, so counting live messages and dropping expired ones read an index
    # range instead of every row of the queue. Every row meets ``sent_at >= 0`` (epoch times); the
    # index is partial only so that just the queries repeating that term use it. A plain one looks
    # cheaper to the planner than messages_by_visibility for the FIFO and redrive queries, which
    # filter on both columns, and would turn their short visible_at ranges into whole-queue scans.
    """
    CREATE INDEX messages_by_retention ON messages (queue_id, sent_at) WHERE sent_at >= 0;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
