"""Credentials issued by AssumeRole, and which account each access key id acts in.

Kept in memory: issued credentials last at most 12 hours and a client that loses them after a
restart simply assumes the role again, as it would when they expire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from emulator.clock import Clock

_ACCOUNT_KEY = re.compile(r"[0-9]{12}")


@dataclass(frozen=True)
class RoleSession:
    access_key_id: str
    account_id: str
    role_id: str
    session_name: str
    assumed_role_arn: str
    expires_at_ms: int


class StsBackend:
    def __init__(self, clock: Clock, default_account_id: str) -> None:
        self.clock = clock
        self.default_account_id = default_account_id
        self._sessions: dict[str, RoleSession] = {}

    def remember(self, session: RoleSession) -> None:
        self._sessions[session.access_key_id] = session

    def session(self, access_key_id: str | None) -> RoleSession | None:
        return self._sessions.get(access_key_id) if access_key_id else None

    def account_for(self, access_key_id: str | None) -> str:
        """The account a request signed with this access key id acts in: a role session's
        account, the key itself when it is 12 digits, or the default account."""
        session = self.session(access_key_id)
        if session is not None:
            return session.account_id
        if access_key_id and _ACCOUNT_KEY.fullmatch(access_key_id):
            return access_key_id
        return self.default_account_id
