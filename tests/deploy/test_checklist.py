"""The production checklist of docs/deploy.md works as written, on a fresh clone.

The fenced block after ``<!-- checklist -->`` runs in bash in a new clone of this repository
(its committed HEAD), against a fresh PostgreSQL database and the machine's Redis. The one step
the block leaves to the operator, filling in ``baken.env``, is done by the test: it appends the
values after the block's ``cp`` line. Slow (a fresh ``make install``), so it runs only with
``BAKEN_DEPLOY_TESTS=1`` (``.ci/run`` sets it).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest

if os.environ.get("BAKEN_DEPLOY_TESTS") != "1":
    pytest.skip("the checklist runs only with BAKEN_DEPLOY_TESTS=1", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("BAKEN_TEST_PG", "postgres://postgres@127.0.0.1:5432")


def checklist() -> list[str]:
    text = (ROOT / "docs" / "deploy.md").read_text()
    block = re.search(r"<!-- checklist -->\s*```sh\n(.*?)```", text, re.S)
    assert block, "docs/deploy.md has no checklist block"
    return block.group(1).strip().splitlines()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_production_checklist_runs_verbatim_on_a_fresh_clone(tmp_path):
    lines = checklist()
    edit = next(i for i, line in enumerate(lines) if line.startswith("cp deploy/baken.env.example"))
    database = f"baken_checklist_{os.getpid()}"
    subprocess.run(
        ["psql", f"{PG}/postgres", "-q", "-c", f"CREATE DATABASE {database}"], check=True
    )
    clone = tmp_path / "baken"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    port = free_port()
    values = {
        "DATABASE_URL": f"{PG}/{database}",
        "REDIS_URL": "redis://127.0.0.1:6379/7",
        "BAKEN_VAR_DIR": str(tmp_path / "var"),
        "PORT": str(port),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": "2525",
        "EMAIL_USE_TLS": "false",
    }
    fill = "cat >> baken.env <<'VALUES'\n" + "\n".join(f"{k}={v}" for k, v in values.items())
    script = "\n".join(
        ["set -euo pipefail", *lines[: edit + 1], fill, "VALUES", *lines[edit + 1 :]]
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BAKEN_", "DJANGO_", "DATABASE_URL", "REDIS_URL"))
        # The test suite's own keys (baken.settings_test) are not in an operator's shell.
        and key not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "PSEUDONYM_KEY")
    }
    log = tmp_path / "checklist.log"
    # Output to a file, not a pipe: the three background processes keep it open after bash ends.
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bash", "-c", script],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        process.wait(timeout=900)
        output = log.read_text()
    finally:
        with contextlib.suppress(ProcessLookupError):  # all ended already (a failed step)
            os.killpg(process.pid, signal.SIGTERM)  # serve, db_worker and scheduler
        subprocess.run(
            [
                "psql",
                f"{PG}/postgres",
                "-q",
                "-c",
                f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
            ],
            check=False,
        )
    noise = ("WARNING: Location", "Please be careful", "*****", "!!")
    shown = "\n".join(line for line in output.splitlines() if not line.strip().startswith(noise))
    assert process.returncode == 0, shown[-3000:]
    assert '"status": "ok"' in output
    for check in ("database", "redis", "migrations", "worker", "scheduler", "jobs"):
        assert f'"{check}": "ok"' in output, output[-2000:]
