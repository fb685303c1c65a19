"""The one key pair SNS signs messages with, kept so that a restart keeps the same certificate."""

from __future__ import annotations

from storage.database import Database


class SigningKeyStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self) -> tuple[str, str] | None:
        """(private key PEM, certificate PEM), or None before the first is stored."""
        row = await self._db.fetch_one(
            "SELECT private_key, certificate FROM signing_keys WHERE id = 1"
        )
        return None if row is None else (row[0], row[1])

    async def put_if_absent(self, private_key: str, certificate: str) -> tuple[str, str]:
        """Store the pair unless one exists; return the pair in force."""
        await self._db.execute(
            "INSERT OR IGNORE INTO signing_keys (id, private_key, certificate) VALUES (1, ?, ?)",
            (private_key, certificate),
        )
        stored = await self.get()
        assert stored is not None
        return stored
