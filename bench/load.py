"""Many concurrent clients doing mixed SQS operations, with exact message accounting.

    python bench/load.py --threads 50 --seconds 30 [--protocol json|query] [--in-memory]

See ``tests/support/load_driver.py`` for the mix of operations and the checks.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from _support import RunningServer, make_client, percentiles

from tests.support.load_driver import problems, run_load

QUEUES = 4


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--protocol", choices=["json", "query"], default="json")
    parser.add_argument("--in-memory", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        data = None if args.in_memory else Path(folder) / "kyu.db"
        server = RunningServer(data=data)
        try:
            admin = make_client("sqs", server.endpoint, args.protocol)
            urls = [admin.create_queue(QueueName=f"load-{i}")["QueueUrl"] for i in range(QUEUES)]
            ledger, elapsed = run_load(server.endpoint, args.protocol, urls, args.threads,
                                       args.seconds)
        finally:
            server.stop()

    found = problems(ledger)
    operations = sum(len(samples) for samples in ledger.latency.values())
    report = {
        "threads": args.threads,
        "seconds": round(elapsed, 1),
        "protocol": args.protocol,
        "storage": "memory" if args.in_memory else "file",
        "requests": operations,
        "requests_per_second": round(operations / elapsed),
        "messages_sent": len(ledger.sent),
        "messages_deleted": sum(ledger.deleted.values()),
        "released_and_redelivered": sum(ledger.releases.values()),
        "errors": len(ledger.errors),
        "latency": {name: percentiles(samples) for name, samples in sorted(ledger.latency.items())},
        "problems": found,
    }
    print(json.dumps(report, indent=2))
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
