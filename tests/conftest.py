from __future__ import annotations

import pytest

from tests.support.query_model import model_search_path


def pytest_configure(config: pytest.Config) -> None:
    # Fetch AWS's query model once, in the controlling process, before workers start.
    if not hasattr(config, "workerinput"):
        model_search_path()
