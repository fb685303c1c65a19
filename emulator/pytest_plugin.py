"""pytest fixtures that run Kyu inside the test session (registered as the ``kyu`` plugin).

- ``kyu_server``: one in-memory Kyu per session (an ``emulator.testing.KyuServer``).
- ``kyu``: the same server, emptied before the test when Kyu has a reset route.
- ``kyu_sqs``, ``kyu_sns``, ``kyu_sts``: boto3 clients pointed at it.

To start the server from a bootstrap file, override ``kyu_server`` in a conftest.py::

    @pytest.fixture(scope="session")
    def kyu_server():
        with KyuServer(config="kyu.yaml") as server:
            yield server
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from emulator.testing import KyuServer


@pytest.fixture(scope="session")
def kyu_server() -> Iterator[KyuServer]:
    with KyuServer() as server:
        yield server


@pytest.fixture
def kyu(kyu_server: KyuServer) -> KyuServer:
    kyu_server.reset()
    return kyu_server


@pytest.fixture
def kyu_sqs(kyu: KyuServer) -> Any:
    return kyu.client("sqs")


@pytest.fixture
def kyu_sns(kyu: KyuServer) -> Any:
    return kyu.client("sns")


@pytest.fixture
def kyu_sts(kyu: KyuServer) -> Any:
    return kyu.client("sts")
