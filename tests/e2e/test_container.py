"""The container image, checked without a Docker engine: the Dockerfile installs and runs Kyu
exactly as the README says (and as .ci/run exercises), and its HEALTHCHECK works."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.server import REPO_ROOT, RunningServer, free_port

DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text()
README = (REPO_ROOT / "README.md").read_text()
CI_RUN = (REPO_ROOT / ".ci" / "run").read_text()


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    result = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            result.append((word.upper(), rest.strip()))
    return result


def only(name: str) -> str:
    [value] = [rest for word, rest in instructions() if word == name]
    return value


def env() -> dict[str, str]:
    values: dict[str, str] = {}
    for word, rest in instructions():
        if word == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                values[key] = value
    return values


def readme_block(heading: str) -> str:
    """The first ``sh`` code block under a README heading."""
    section = README.split(f"## {heading}\n", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, f"no sh block under {heading}"
    return match.group(1)


def commands(block: str) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_the_image_installs_with_the_readmes_command() -> None:
    install = commands(readme_block("Install and run"))[0]
    pip_runs = [rest for word, rest in instructions() if word == "RUN" and "pip" in rest]
    assert pip_runs == [install]
    # .ci/run performs the same install in a clean environment of its own.
    assert f"{install} &&" in CI_RUN or f"{install}\n" in CI_RUN


def test_the_image_runs_the_readmes_command() -> None:
    run = commands(readme_block("Install and run"))[1]
    assert json.loads(only("CMD")) == shlex.split(run)


def test_the_image_copies_everything_the_install_needs() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    packages = [p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]]
    copied = {rest.split()[0] for word, rest in instructions() if word == "COPY"}
    assert set(packages) <= copied
    assert {"pyproject.toml", "README.md"} <= {
        name for word, rest in instructions() if word == "COPY" for name in rest.split()[:-1]
    }


def test_the_image_is_small_non_root_and_keeps_data_in_a_volume() -> None:
    assert re.fullmatch(r"python:3\.1[1-9]-slim", only("FROM"))
    user = only("USER")
    assert user not in ("root", "0")
    assert re.search(rf"useradd .*\b{user}\b", DOCKERFILE)
    values = env()
    assert values["KYU_HOST"] == "0.0.0.0"
    assert only("EXPOSE") == values["KYU_PORT"] == "4566"
    assert only("VOLUME") == '["/data"]'
    assert Path(values["KYU_DATA"]).parent == Path("/data")


def healthcheck_command() -> list[str]:
    check = only("HEALTHCHECK")
    command = check.split(" CMD ", 1)[1]
    return ["sh", "-c", command]


def test_the_healthcheck_passes_on_a_running_server(server: RunningServer) -> None:
    done = subprocess.run(healthcheck_command(), capture_output=True, timeout=10,
                          env={**os.environ, "KYU_PORT": str(server.port)})
    assert done.returncode == 0, done.stderr


def test_the_healthcheck_fails_when_nothing_answers() -> None:
    done = subprocess.run(healthcheck_command(), capture_output=True, timeout=10,
                          env={**os.environ, "KYU_PORT": str(free_port())})
    assert done.returncode != 0


@pytest.mark.parametrize(
    "example",
    [
        "docker run --rm -p 4566:4566 -v kyu-data:/data kyu",
        "image: kyu",
        "services:",
        "options: --health-interval",
    ],
)
def test_the_readme_shows_docker_compose_and_github_actions(example: str) -> None:
    section = README.split("## Docker\n", 1)[1].split("\n## ", 1)[0]
    assert example in section
    assert "4566:4566" in section and "/_kyu/health" in section


def readme_yaml_blocks() -> list[Any]:
    section = README.split("## Docker\n", 1)[1].split("\n## ", 1)[0]
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)]


def test_the_compose_and_actions_examples_are_valid_yaml() -> None:
    compose, actions = readme_yaml_blocks()
    kyu = compose["services"]["kyu"]
    assert kyu["ports"] == ["4566:4566"]
    assert "kyu-data:/data" in kyu["volumes"]
    service = actions["jobs"]["test"]["services"]["kyu"]
    assert service["ports"] == ["4566:4566"]
    assert actions["jobs"]["test"]["env"]["AWS_ENDPOINT_URL"] == "http://localhost:4566"
