"""The README's SNS → SQS fan-out example runs as written against a real Kyu and prints what
its comments say."""

from __future__ import annotations

import contextlib
import io

from emulator.testing import KyuServer
from tests.support.server import REPO_ROOT

HEADING = "### SNS → SQS fan-out\n"


def example() -> str:
    section = (REPO_ROOT / "README.md").read_text().split(HEADING, 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_fan_out_example_runs() -> None:
    code = example()
    assert 'endpoint_url="http://127.0.0.1:4566"' in code
    with KyuServer() as kyu:
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            exec(code.replace("http://127.0.0.1:4566", kyu.endpoint_url), {})
    lines = output.getvalue().splitlines()
    assert sorted(lines[:2]) == ['Notification {"card": 7} card.imported',
                                 'Notification {"user": 1} user.created']
    assert lines[2] == """['{"card": 7}']"""
