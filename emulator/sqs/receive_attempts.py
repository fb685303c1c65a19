"""FIFO receive attempts: a ReceiveMessage retried with the same ReceiveRequestAttemptId within
five minutes gets the messages of the first attempt again, while none of them has changed."""

from __future__ import annotations

from storage.messages import ClaimedMessage

ATTEMPT_WINDOW_MS = 5 * 60 * 1000

AttemptKey = tuple[int, str]  # queue id, ReceiveRequestAttemptId


class ReceiveAttempts:
    def __init__(self) -> None:
        self._attempts: dict[AttemptKey, tuple[int, list[ClaimedMessage]]] = {}

    def remember(self, key: AttemptKey, claimed: list[ClaimedMessage], now_ms: int) -> None:
        self._expire(now_ms)
        self._attempts[key] = (now_ms + ATTEMPT_WINDOW_MS, claimed)

    def recall(self, key: AttemptKey, now_ms: int) -> list[ClaimedMessage] | None:
        self._expire(now_ms)
        entry = self._attempts.get(key)
        return None if entry is None else entry[1]

    def forget(self, key: AttemptKey) -> None:
        self._attempts.pop(key, None)

    def _expire(self, now_ms: int) -> None:
        for key in [k for k, (expires, _) in self._attempts.items() if expires <= now_ms]:
            del self._attempts[key]
