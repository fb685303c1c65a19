"""The ``kyu`` command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import uvicorn

from emulator import bootstrap, cli_admin
from emulator.app import Kyu, create_app
from emulator.config import (
    AUTH_MODES,
    DEFAULT_ACCOUNT_ID,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_REGION,
    DURABILITY_MODES,
    Config,
    default_data_path,
    env,
    env_flag,
)
from emulator.protocol import sigv4
from storage import data_file_lock
from storage.database import Database, DataFileError

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kyu", description="A local SQS and SNS emulator.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", default=env("HOST", DEFAULT_HOST),
                       help="address to bind (KYU_HOST, default %(default)s)")
    serve.add_argument("--port", type=int, default=int(env("PORT", str(DEFAULT_PORT)) or 0),
                       help="port to listen on (KYU_PORT, default %(default)s)")
    storage = serve.add_mutually_exclusive_group()
    storage.add_argument("--data", type=Path, default=None,
                         help=f"SQLite data file (KYU_DATA, default {default_data_path()})")
    storage.add_argument("--in-memory", action="store_true", default=None,
                         help="keep state in memory only (KYU_IN_MEMORY=1)")
    serve.add_argument("--durability", choices=tuple(DURABILITY_MODES),
                       default=env("DURABILITY", "full"),
                       help="full: every acknowledged change survives a power loss; normal: "
                            "faster, the last changes may roll back on a power loss "
                            "(KYU_DURABILITY, default %(default)s)")
    serve.add_argument("--account-id", default=env("ACCOUNT_ID", DEFAULT_ACCOUNT_ID),
                       help="default account id (KYU_ACCOUNT_ID, default %(default)s)")
    serve.add_argument("--region", default=env("REGION", DEFAULT_REGION),
                       help="default region (KYU_REGION, default %(default)s)")
    serve.add_argument("--log-level", choices=LOG_LEVELS, default=env("LOG_LEVEL", "info"),
                       help="log level (KYU_LOG_LEVEL, default %(default)s)")
    serve.add_argument("--config", type=Path, default=env("CONFIG"),
                       help="YAML or JSON file of queues, topics and subscriptions to create "
                            "at start (KYU_CONFIG)")
    serve.add_argument("--hostname", default=env("HOSTNAME"),
                       help="NAME[:PORT] for the queue URLs Kyu returns (KYU_HOSTNAME; "
                            "default: the Host the client used)")
    serve.add_argument("--auth", choices=AUTH_MODES, default=env("AUTH", "none"),
                       help="none: accept any credentials; sigv4: verify SigV4 signatures "
                            "against --credentials (KYU_AUTH, default %(default)s)")
    serve.add_argument("--credentials", type=Path, default=env("CREDENTIALS"),
                       help="JSON or INI file of access key ids, secret keys and account ids "
                            "for --auth sigv4 (KYU_CREDENTIALS)")
    cli_admin.add_commands(commands)
    return parser


def _config(args: argparse.Namespace) -> Config:
    in_memory = args.in_memory if args.in_memory is not None else env_flag("IN_MEMORY")
    data_path: Path | None = None
    if args.data is not None:
        data_path = args.data
    elif not in_memory:
        configured = env("DATA")
        data_path = Path(configured) if configured else default_data_path()
    return Config(
        host=args.host,
        port=args.port,
        data_path=data_path,
        account_id=args.account_id,
        region=args.region,
        log_level=args.log_level,
        synchronous=DURABILITY_MODES[args.durability],
        hostname=args.hostname or None,
        bootstrap=Path(args.config) if args.config else None,
        auth=args.auth,
        credentials=Path(args.credentials) if args.credentials else None,
    )


class _Server(uvicorn.Server):
    """Answers waiting long polls at once when asked to stop, so shutdown is quick."""

    def __init__(self, config: uvicorn.Config, kyu: Kyu) -> None:
        super().__init__(config)
        self.kyu = kyu

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.kyu.sqs.waiters.close()
        super().handle_exit(sig, frame)
        # uvicorn re-raises the signal after shutting down; a clean shutdown exits 0 instead.
        self._captured_signals.clear()


async def _check_data_file(config: Config) -> None:
    """Lock, validate and migrate the data file before binding a port, so a bad file is one line."""
    if config.data_path is None:
        return
    database = Database(str(config.data_path), synchronous=config.synchronous)
    await database.open()
    # One more holder of the lock, kept until the process exits: no other Kyu can take the file
    # between this check and the server opening it again.
    data_file_lock.acquire(config.data_path)
    await database.close()


def serve(config: Config) -> int:
    logging.basicConfig(level=config.log_level.upper(), format="%(levelname)s %(name)s %(message)s")
    if config.bootstrap is not None:
        try:
            bootstrap.load(config.bootstrap)  # a broken file fails here, before binding a port
        except bootstrap.BootstrapError as error:
            print(f"kyu: {error}", file=sys.stderr)
            return 2
    if config.auth == "sigv4":
        try:
            sigv4.load_credentials(config.credentials)  # fail before binding a port
        except ValueError as error:
            print(f"kyu: {error}", file=sys.stderr)
            return 2
    try:
        asyncio.run(_check_data_file(config))
    except DataFileError as error:
        print(f"kyu: {error}", file=sys.stderr)
        return 1
    app = create_app(config)
    uv_config = uvicorn.Config(
        app, host=config.host, port=config.port, log_level=config.log_level,
        access_log=config.log_level == "debug", timeout_graceful_shutdown=5,
    )
    server = _Server(uv_config, app.state.kyu)
    server.run()
    return 0 if server.started else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "serve" and args.durability not in DURABILITY_MODES:
        parser.error(f"KYU_DURABILITY must be one of {', '.join(DURABILITY_MODES)}")
    if args.command == "serve":
        return serve(_config(args))
    if args.command in cli_admin.COMMANDS:
        return cli_admin.run(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
