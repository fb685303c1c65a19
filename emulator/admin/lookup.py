"""Finding the queue an admin request names: by name, narrowed by account and region."""

from __future__ import annotations

from emulator.admin.errors import AdminError, bad_request, not_found
from emulator.sqs.backend import SqsBackend
from storage.queues import Queue


def matching_queues(
    sqs: SqsBackend, *, account: str | None = None, region: str | None = None
) -> list[Queue]:
    """Every queue of ``account`` in ``region`` (None: any), by region, account and name."""
    return sorted(
        (q for q in sqs.queues.all()
         if (account is None or q.account == account) and (region is None or q.region == region)),
        key=lambda q: (q.region, q.account, q.name),
    )


def find_queue(
    sqs: SqsBackend, name: str, *, account: str | None = None, region: str | None = None,
    default_account: str, default_region: str,
) -> Queue:
    """The one queue called ``name``; where several match, the default account and region
    decide, and if they cannot, the caller must say which."""
    found = [q for q in matching_queues(sqs, account=account, region=region) if q.name == name]
    if len(found) > 1:
        preferred = [q for q in found
                     if (account or default_account) == q.account
                     and (region or default_region) == q.region]
        found = preferred or found
    if not found:
        raise not_found(f"The queue {name} does not exist"
                        + (f" in account {account}" if account else "")
                        + (f" in region {region}" if region else "") + ".")
    if len(found) > 1:
        places = ", ".join(f"{q.account} in {q.region}" for q in found)
        raise AdminError(409, f"Several queues are called {name} ({places}); "
                              "name the account and the region.", "Ambiguous")
    return found[0]


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
