"""Who may act on a topic: its owner account, or another account its ``Policy`` allows.

A statement allows when its Principal names the caller's account (``"*"``, the account id or an
``arn:aws:iam::<account>:`` ARN), its Action names the action (``*``, ``sns:*`` or
``sns:<Action>``, any case) and it has no Condition: the default policy's statement is bound to
the owner by ``AWS:SourceOwner``, so it grants nobody else. A matching Deny wins.
"""

from __future__ import annotations

from emulator import resource_policy


def policy_allows(policy: str | None, account: str, action: str) -> bool:
    """Whether a topic's ``policy`` lets ``account`` call ``action``."""
    return resource_policy.policy_allows(
        policy, account, action, service="sns", skip_conditional=True
    )
