"""Resource policies (a queue's or a topic's ``Policy``): may another account call an action?

A statement matches when its Principal names the caller's account (``"*"``, the account id or an
``arn:aws:iam::<account>:`` ARN) and its Action names the action (``*``, ``<service>:*`` or
``<service>:<Action>``, any case). A matching Deny wins over any Allow. Conditions are not
evaluated: each service says whether a statement with a Condition counts or is passed over.
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


def _names_action(actions: Any, service: str, action: str) -> bool:
    wanted = {"*", f"{service}:*", f"{service}:{action.lower()}"}
    return any(isinstance(a, str) and a.lower() in wanted for a in _as_list(actions))


def policy_allows(
    policy: str | None, account: str, action: str, *, service: str, skip_conditional: bool
) -> bool:
    """Whether ``policy`` lets ``account`` call ``service``'s ``action``."""
    try:
        document = json.loads(policy) if policy else {}
    except (ValueError, RecursionError):
        return False
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    allowed = False
    for statement in _as_list(statements):
        if not isinstance(statement, Mapping):
            continue
        if skip_conditional and statement.get("Condition"):
            continue
        if not (_names_account(statement.get("Principal"), account)
                and _names_action(statement.get("Action"), service, action)):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed
