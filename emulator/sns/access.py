"""Who may act on a topic: its owner account, or another account its ``Policy`` allows.

A statement allows when its Principal names the caller's account (``"*"``, the account id or an
``arn:aws:iam::<account>:`` ARN), its Action names the action (``*``, ``sns:*`` or
``sns:<Action>``, any case) and it has no Condition: the default policy's statement is bound to
the owner by ``AWS:SourceOwner``, so it grants nobody else. A matching Deny wins.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _names_account(principal: Any, account: str) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return any(_names_account(p, account) for p in _as_list(principal.get("AWS", [])))
    if not isinstance(principal, str):
        return False
    return principal == account or principal.startswith(f"arn:aws:iam::{account}:")


def _names_action(actions: Any, action: str) -> bool:
    wanted = {"*", "sns:*", f"sns:{action.lower()}"}
    return any(isinstance(a, str) and a.lower() in wanted for a in _as_list(actions))


def policy_allows(policy: str | None, account: str, action: str) -> bool:
    try:
        document = json.loads(policy) if policy else {}
    except (ValueError, RecursionError):
        return False
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    allowed = False
    for statement in _as_list(statements):
        if not isinstance(statement, Mapping) or statement.get("Condition"):
            continue
        if not (_names_account(statement.get("Principal"), account)
                and _names_action(statement.get("Action"), action)):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed
