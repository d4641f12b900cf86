"""A wrong setting stops start-up with a message that names it (through the `baken` command)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run_baken(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update({"BAKEN_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(
        [sys.executable, "-m", "baken", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_starts_with_nothing_configured_and_keeps_a_generated_secret(tmp_path):
    result = run_baken(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    secret_file = tmp_path / "var" / "secret_key"
    assert secret_file.exists()
    assert oct(secret_file.stat().st_mode & 0o777) == "0o600"
    first = secret_file.read_text()
    run_baken(tmp_path, "check")
    assert secret_file.read_text() == first


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DATABASE_URL": "mysql://root@localhost/baken"}, "DATABASE_URL"),
        ({"BAKEN_DEMO_MODE": "perhaps"}, "BAKEN_DEMO_MODE"),
        ({"STAFF_SESSION_IDLE_MINUTES": "half an hour"}, "STAFF_SESSION_IDLE_MINUTES"),
        ({"SECRET_KEY_FILE": "/nonexistent/secret"}, "SECRET_KEY_FILE"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"BAKEN_PRODUCTION": "true"}, "SECRET_KEY"),
        (
            {
                "BAKEN_PRODUCTION": "true",
                "BAKEN_DEMO_MODE": "true",
                "SECRET_KEY": "x" * 50,
            },
            "BAKEN_DEMO_MODE",
        ),
    ],
)
def test_a_wrong_setting_stops_start_up_and_names_the_setting(tmp_path, env, named):
    result = run_baken(tmp_path, "check", **env)
    assert result.returncode == 2
    assert "configuration error" in result.stderr
    assert named in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_baken(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        BAKEN_PRODUCTION="true",
        SECRET_KEY="k3Jq9vP2xL7mR4tY8wZ1cB6nF0hD5gS2aQ9eU3iO7pK4jM1lN8bV6cX0zT5rW2yE",
        FIELD_ENCRYPTION_KEY="Hq2Wm9Zr4Tx7Vb1Nc8Lk5Jd3Gf6Sa0Pe2Ou9Iy4Rt7Ew1Qz8Xc5Vb3Nm6Ml0Kj4Hg",
        PSEUDONYM_KEY="Zx8Cv5Bn2Ml9Kj6Hg3Fd0Sa7Qw4Er1Ty8Ui5Op2As9Df6Gh3Jk0Lz7Xc4Vb1Nm8Qw",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        ALLOWED_HOSTS="baken.example.nl",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_database_url_may_come_from_a_file(tmp_path):
    url_file = tmp_path / "database_url"
    url_file.write_text("mysql://root:geheim@localhost/baken\n")
    result = run_baken(tmp_path, "check", DATABASE_URL_FILE=str(url_file))
    # Read from the file: refused as any DATABASE_URL of the wrong kind, password not shown.
    assert result.returncode == 2
    assert "DATABASE_URL must start with sqlite:// or postgres://" in result.stderr
    assert "geheim" not in result.stderr
    url_file.write_text(f"sqlite:///{tmp_path / 'from-file.sqlite3'}\n")
    assert run_baken(tmp_path, "check", DATABASE_URL_FILE=str(url_file)).returncode == 0
