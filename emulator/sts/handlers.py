"""STS operations: GetCallerIdentity and AssumeRole."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from emulator.context import RequestContext
from emulator.sts import rules
from emulator.sts.sessions import RoleSession, StsBackend


async def get_caller_identity(sts: StsBackend, ctx: RequestContext) -> dict[str, Any]:
    session = sts.session(ctx.access_key_id)
    if session is not None:
        return {
            "UserId": f"{session.role_id}:{session.session_name}",
            "Account": session.account_id,
            "Arn": session.assumed_role_arn,
        }
    # Kyu has no IAM users: every other key acts as its account's root user, for which AWS
    # reports the account id as the user id.
    return {
        "UserId": ctx.account_id,
        "Account": ctx.account_id,
        "Arn": f"arn:aws:iam::{ctx.account_id}:root",
    }


async def assume_role(
    sts: StsBackend,
    ctx: RequestContext,
    RoleArn: str,
    RoleSessionName: str,
    DurationSeconds: int | None = None,
    ExternalId: str | None = None,
    **ignored: Any,  # Policy, PolicyArns, Tags...: accepted; Kyu enforces no policies
) -> dict[str, Any]:
    role = rules.check_assume_role(RoleArn, RoleSessionName, DurationSeconds, ExternalId)
    duration = DurationSeconds or rules.DEFAULT_DURATION_SECONDS
    expires_at_ms = sts.clock.now_ms() + duration * 1000
    session = RoleSession(
        access_key_id=rules.temporary_access_key_id(),
        account_id=role.account_id,
        role_id=rules.role_id(RoleArn),
        session_name=RoleSessionName,
        assumed_role_arn=role.assumed_role_arn(RoleSessionName),
        expires_at_ms=expires_at_ms,
    )
    sts.remember(session)
    return {
        "Credentials": {
            "AccessKeyId": session.access_key_id,
            "SecretAccessKey": rules.secret_access_key(),
            "SessionToken": rules.session_token(),
            "Expiration": _timestamp(expires_at_ms),
        },
        "AssumedRoleUser": {
            "AssumedRoleId": f"{session.role_id}:{RoleSessionName}",
            "Arn": session.assumed_role_arn,
        },
        "PackedPolicySize": 0,
    }


def _timestamp(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
