"""The long run of the kill/restart crash driver: SIGKILL a loaded server many times.

    python bench/soak.py --cycles 50 [--seed 1] [--data PATH] [--durability full|normal] [--verbose]

Same driver and checks as ``tests/e2e/test_crash_safety.py`` (see
``tests/support/crash_driver.py``), for as many cycles as asked. ``--data`` must name a file that
does not exist yet (the driver creates its queues). Prints the report; exits 1 on any violation.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import _support  # noqa: F401  (puts the repository on sys.path)

from tests.support.crash_driver import CrashDriver


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=None,
                        help="data file to use (default: a fresh file in a temporary directory)")
    parser.add_argument("--durability", choices=("full", "normal"), default="full",
                        help="the server's --durability (both must survive SIGKILL)")
    parser.add_argument("--verbose", action="store_true", help="print a line per cycle")
    args = parser.parse_args()
    if args.cycles < 1:
        parser.error("--cycles must be at least 1")
    if args.data is not None and args.data.exists():
        parser.error(f"--data {args.data} exists; give the path of a new file")

    def log(line: str) -> None:
        if args.verbose:
            print(f"{time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory() as folder:
        data = args.data or Path(folder) / "kyu.db"
        report = CrashDriver(data, seed=args.seed, log=log,
                             server_args=["--durability", args.durability]).run(args.cycles)

    print(report.summary())
    print(json.dumps({
        "cycles": report.cycles,
        "seed": args.seed,
        "durability": args.durability,
        "seconds": round(report.seconds, 1),
        "acknowledged_sends": report.acknowledged_sends,
        "acknowledged_sns_publishes": report.acknowledged_publishes,
        "receipts_checked": report.receipts_checked,
        "redeliveries": report.redeliveries,
        "held_in_flight_checked": report.held_checked,
        "dedup_resends": report.dedup_resends,
        "violations": report.violations,
    }, indent=2))
    return 1 if report.violations else 0


if __name__ == "__main__":
    raise SystemExit(main())
