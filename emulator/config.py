"""Server configuration: command-line flags over ``KYU_*`` environment variables over defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566
DEFAULT_ACCOUNT_ID = "000000000000"
DEFAULT_REGION = "us-east-1"
AUTH_MODES = ("none", "sigv4")
DURABILITY_MODES = {"full": "FULL", "normal": "NORMAL"}  # --durability -> PRAGMA synchronous


def default_data_path() -> Path:
    return Path(platformdirs.user_data_dir("kyu")) / "kyu.sqlite3"


@dataclass(frozen=True)
class Config:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    data_path: Path | None = None  # None: in-memory
    account_id: str = DEFAULT_ACCOUNT_ID
    region: str = DEFAULT_REGION
    log_level: str = "info"
    synchronous: str = "FULL"
    hostname: str | None = None  # NAME[:PORT] for the queue URLs; None: the request's Host
    bootstrap: Path | None = None  # queues, topics and subscriptions to create at start
    auth: str = "none"  # "none": any credentials; "sigv4": verify signatures against `credentials`
    credentials: Path | None = None  # JSON or INI file of access key id -> secret and account


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"KYU_{name}", default)


def env_flag(name: str) -> bool:
    return (env(name) or "").strip().lower() in {"1", "true", "yes", "on"}
