"""AWS's own published query-protocol model of SQS, from botocore 1.31.0.

Query-protocol tests build their client from this model rather than from Kyu's tables, so that an
independent client checks Kyu's XML. The model is fetched once from PyPI and cached.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

BOTOCORE_VERSION = "1.31.0"
MODEL_MEMBER = "botocore/data/sqs/2012-11-05/service-2.json"


def cache_dir() -> Path:
    root = os.environ.get("KYU_TEST_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kyu-tests"
    )
    return Path(root) / f"botocore-{BOTOCORE_VERSION}"


def model_search_path() -> Path:
    """The folder to put first on botocore's data search path (holds sqs/2012-11-05/...)."""
    root = cache_dir()
    target = root / "sqs" / "2012-11-05" / "service-2.json"
    if target.exists():
        return root
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not target.exists():
            _download(target)
    return root


def _download(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             f"botocore=={BOTOCORE_VERSION}", "-d", tmp],
            check=True,
        )
        wheel = next(Path(tmp).glob("botocore-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            data = archive.read(MODEL_MEMBER)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with open(partial, "wb") as out:
        out.write(data)
    partial.replace(target)
