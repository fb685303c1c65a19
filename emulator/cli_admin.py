"""The ``kyu`` commands that talk to a running server: ``ls``, ``peek``, ``reset``, ``advance``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from emulator.admin.durations import parse_duration
from emulator.admin_client import AdminClient, AdminClientError, queue_path
from emulator.config import DEFAULT_HOST, DEFAULT_PORT, env

COMMANDS = ("ls", "peek", "reset", "advance")
BODY_PREVIEW = 1000
STATE_WORDS = {"visible": "visible", "inFlight": "in flight", "delayed": "delayed"}


def add_commands(commands: Any) -> None:
    """Add the admin commands to the ``kyu`` sub-command parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--endpoint", default=env("ENDPOINT", f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"),
                        help="the running Kyu (KYU_ENDPOINT, default %(default)s)")
    common.add_argument("--json", action="store_true", help="print Kyu's JSON answer as it is")

    ls = commands.add_parser("ls", parents=[common], help="list queues with counts, and topics")
    ls.add_argument("--account", help="only this account's queues")
    ls.add_argument("--region", help="only this region's queues")

    peek = commands.add_parser("peek", parents=[common],
                               help="show a queue's messages without receiving them")
    peek.add_argument("queue", metavar="QUEUE", help="queue name")
    peek.add_argument("--limit", type=int, default=None, help="at most this many (1-1000)")
    peek.add_argument("--account", help="the queue's account, where the name is in several")
    peek.add_argument("--region", help="the queue's region, where the name is in several")

    reset = commands.add_parser("reset", parents=[common],
                                help="delete all queues and topics, or those of a scope")
    for scope in ("account", "region", "queue", "topic"):
        reset.add_argument(f"--{scope}", help=f"only this {scope}")

    advance = commands.add_parser("advance", parents=[common],
                                  help="move the emulator's clock forward (300, 300s, 5m, 1h30m)")
    advance.add_argument("duration", metavar="DURATION", type=_duration,
                         help="seconds, or a number with a unit: s, m, h, d")


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    client = AdminClient(args.endpoint)
    command = {"ls": _ls, "peek": _peek, "reset": _reset, "advance": _advance}[args.command]
    try:
        document, text = command(client, args)
    except AdminClientError as error:
        print(f"kyu {args.command}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(document, indent=2, ensure_ascii=False) if args.json else text)
    return 0


# --- the commands: each answers Kyu's document and its human-readable text ---------------------


def _ls(client: AdminClient, args: argparse.Namespace) -> tuple[Any, str]:
    queues = client.get("/_kyu/queues", account=args.account, region=args.region)["queues"]
    topics = client.topics()
    lines = [_queue_table(queues) if queues else "No queues."]
    if topics is None:
        lines.append("Topics: SNS is not available on this server.")
    else:
        lines.append(_topic_list(topics) if topics else "No topics.")
    return {"queues": queues, "topics": topics}, "\n\n".join(lines)


def _peek(client: AdminClient, args: argparse.Namespace) -> tuple[Any, str]:
    account = args.account or _account_of(client, args.queue, args.region)
    peeked = client.get(queue_path(account, args.queue, "/messages"),
                        limit=args.limit, region=args.region)
    return peeked, _peek_text(peeked)


def _reset(client: AdminClient, args: argparse.Namespace) -> tuple[Any, str]:
    scope = {key: getattr(args, key) for key in ("account", "region", "queue", "topic")}
    answer = client.post("/_kyu/reset", {k: v for k, v in scope.items() if v is not None})
    removed = [f"{answer[key]} {noun}" for key, noun in
               (("queuesRemoved", "queue(s)"), ("topicsRemoved", "topic(s)")) if key in answer]
    what = " and ".join(removed) or "nothing"
    return answer, f"Reset {answer.get('scope', 'all')}: removed {what}."


def _advance(client: AdminClient, args: argparse.Namespace) -> tuple[Any, str]:
    clock = client.post("/_kyu/clock/advance", {"seconds": args.duration})
    return clock, (f"Advanced the clock by {args.duration:g} s: it reads {clock['iso']}, "
                   f"{clock['offsetSeconds']:g} s ahead of real time.")


# --- text ---------------------------------------------------------------------------------------


def _account_of(client: AdminClient, name: str, region: str | None) -> str:
    """The account of the one queue called ``name``, for commands not told which account."""
    queues = client.get("/_kyu/queues", region=region)["queues"]
    found = [q for q in queues if q["name"] == name]
    if not found:
        raise AdminClientError(f"no queue called {name}" + (f" in {region}" if region else ""))
    accounts = sorted({q["account"] for q in found})
    if len(accounts) > 1:
        raise AdminClientError(f"several accounts have a queue called {name} "
                               f"({', '.join(accounts)}); name one with --account")
    return str(accounts[0])


def _table(header: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
                         for i, cell in enumerate(cells)).rstrip()
    return "\n".join(line(row) for row in [header, *rows])


def _dead_letter(queue: dict[str, Any]) -> str:
    notes = []
    if queue["deadLetterSources"]:
        notes.append("DLQ of " + ", ".join(s["name"] for s in queue["deadLetterSources"]))
    target = queue["deadLetterTarget"]
    if target:
        receives = target["maxReceiveCount"]
        notes.append(f"-> {target['arn'].rsplit(':', 1)[-1]} after {receives} "
                     + ("receive" if receives == 1 else "receives"))
    return "; ".join(notes)


def _queue_table(queues: list[dict[str, Any]]) -> str:
    rows = [[q["name"], q["account"], q["region"], "fifo" if q["fifo"] else "standard",
             str(q["counts"]["visible"]), str(q["counts"]["inFlight"]),
             str(q["counts"]["delayed"]), _dead_letter(q)] for q in queues]
    header = ["QUEUE", "ACCOUNT", "REGION", "TYPE", "VISIBLE", "IN FLIGHT", "DELAYED",
              "DEAD-LETTER"]
    return _table(header, rows, numeric={4, 5, 6})


def _topic_list(topics: list[dict[str, Any]]) -> str:
    """A table of topics, each followed by its subscriptions, indented."""
    rows = [[t["name"], t["account"], t["region"], "fifo" if t.get("fifo") else "standard",
             str(len(t["subscriptions"]))] for t in topics]
    header = ["TOPIC", "ACCOUNT", "REGION", "TYPE", "SUBSCRIPTIONS"]
    table = _table(header, rows, numeric={4}).splitlines()
    lines = [table[0]]
    for topic, line in zip(topics, table[1:], strict=True):
        lines.append(line)
        lines += ["  " + _subscription_line(s) for s in topic["subscriptions"]]
    return "\n".join(lines)


def _subscription_line(subscription: dict[str, Any]) -> str:
    notes = [subscription["protocol"], str(subscription["endpoint"])]
    if subscription.get("pendingConfirmation"):
        notes.append("(pending confirmation)")
    if subscription.get("rawMessageDelivery"):
        notes.append("(raw)")
    if subscription.get("filterPolicy") is not None:
        scope = subscription.get("filterPolicyScope") or "MessageAttributes"
        notes.append(f"filter on {scope}: {_compact_json(subscription['filterPolicy'])}")
    return "  ".join(notes)


def _compact_json(policy: Any) -> str:
    """A policy Kyu answers as a JSON object, or as the stored text where that is not JSON."""
    return policy if isinstance(policy, str) else json.dumps(policy, separators=(",", ":"))


def _time(ms: int | None) -> str:
    if ms is None:
        return "-"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _peek_text(peeked: dict[str, Any]) -> str:
    queue, messages = peeked["queue"], peeked["messages"]
    counts = queue["counts"]
    lines = [f"{queue['name']} ({queue['account']}, {queue['region']}): "
             f"{counts['visible']} visible, {counts['inFlight']} in flight, "
             f"{counts['delayed']} delayed"]
    if not messages:
        lines.append("No messages.")
    for message in messages:
        lines += ["", *_message_lines(message, peeked["now"])]
    if peeked["truncated"]:
        lines += ["", f"(first {len(messages)} shown; ask for more with --limit)"]
    return "\n".join(lines)


def _message_lines(message: dict[str, Any], now_ms: int) -> list[str]:
    state = STATE_WORDS.get(message["state"], message["state"])
    if message["visibleAt"] is not None:
        state += f" (visible in {max(0, message['visibleAt'] - now_ms) / 1000:.0f} s)"
    lines = [f"{message['messageId']}  {state}  received {message['receiveCount']} time(s)  "
             f"sent {_time(message['sentTimestamp'])}"]
    fifo = [f"{label} {message[key]}" for label, key in (
        ("group", "messageGroupId"), ("dedup", "messageDeduplicationId"),
        ("sequence", "sequenceNumber")) if message.get(key)]
    if fifo:
        lines.append("  " + "  ".join(fifo))
    if message.get("deadLetterQueueSourceArn"):
        lines.append(f"  from {message['deadLetterQueueSourceArn']}")
    for name, attribute in message["messageAttributes"].items():
        value = attribute.get("StringValue", attribute.get("BinaryValue", ""))
        lines.append(f"  attribute {name} = {value} ({attribute['DataType']})")
    body = message["body"]
    shown = body[:BODY_PREVIEW]
    lines += ["  " + line for line in shown.splitlines() or [""]]
    if len(body) > BODY_PREVIEW:
        lines.append(f"  … ({len(body) - BODY_PREVIEW} more characters; --json shows all)")
    return lines
