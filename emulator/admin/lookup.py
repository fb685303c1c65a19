"""Finding the queue or topic an admin request names: by name, narrowed by account and region."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from emulator.admin.errors import AdminError, bad_request, not_found
from emulator.sqs.backend import SqsBackend
from storage.queues import Queue


class Placed(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def account(self) -> str: ...
    @property
    def region(self) -> str: ...


Resource = TypeVar("Resource", bound=Placed)


def matching(
    resources: Iterable[Resource], *, account: str | None = None, region: str | None = None
) -> list[Resource]:
    """Every resource of ``account`` in ``region`` (None: any), by region, account and name."""
    return sorted(
        (r for r in resources
         if (account is None or r.account == account) and (region is None or r.region == region)),
        key=lambda r: (r.region, r.account, r.name),
    )


def find_named(
    resources: Iterable[Resource], kind: str, name: str, *, account: str | None,
    region: str | None, default_account: str, default_region: str,
) -> Resource:
    """The one ``kind`` (queue, topic) called ``name``; where several match, the default account
    and region decide, and if they cannot, the caller must say which."""
    found = [r for r in matching(resources, account=account, region=region) if r.name == name]
    if len(found) > 1:
        preferred = [r for r in found
                     if (account or default_account) == r.account
                     and (region or default_region) == r.region]
        found = preferred or found
    if not found:
        raise not_found(f"The {kind} {name} does not exist"
                        + (f" in account {account}" if account else "")
                        + (f" in region {region}" if region else "") + ".")
    if len(found) > 1:
        places = ", ".join(f"{r.account} in {r.region}" for r in found)
        raise AdminError(409, f"Several {kind}s are called {name} ({places}); "
                              "name the account and the region.", "Ambiguous")
    return found[0]


def matching_queues(
    sqs: SqsBackend, *, account: str | None = None, region: str | None = None
) -> list[Queue]:
    return matching(sqs.queues.all(), account=account, region=region)


def find_queue(
    sqs: SqsBackend, name: str, *, account: str | None = None, region: str | None = None,
    default_account: str, default_region: str,
) -> Queue:
    return find_named(sqs.queues.all(), "queue", name, account=account, region=region,
                      default_account=default_account, default_region=default_region)


def check_limit(text: str | None, *, default: int, maximum: int) -> int:
    if text is None:
        return default
    try:
        limit = int(text)
    except ValueError:
        limit = 0
    if not 1 <= limit <= maximum:
        raise bad_request(f"limit must be a whole number from 1 to {maximum}.")
    return limit
