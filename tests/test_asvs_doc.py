"""docs/asvs.md names a test for each requirement it calls met: every one of those tests exists,
and the page's gap list and counts follow its tables (scripts/asvs_sync.py)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "asvs.md"


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
    }


def test_every_test_the_asvs_page_names_exists():
    text = PAGE.read_text()
    named = set(re.findall(r"(tests/[\w/]+\.py)::(test_\w+)", text))
    assert len(named) > 50
    missing = [
        f"{file}::{name}"
        for file, name in sorted(named)
        if not (ROOT / file).exists() or name not in _test_names(ROOT / file)
    ]
    assert missing == []
    for file in set(re.findall(r"`(tests/[\w/]+\.py)`", text)):
        assert (ROOT / file).exists(), file


def test_every_requirement_marked_met_names_a_test_or_a_ci_check():
    rows = re.findall(
        r"^\| (V\d+\.\d+\.\d+) \| L[12] \| .+? \| met \| .*? \| (.*?) \|$", PAGE.read_text(), re.M
    )
    assert len(rows) > 80
    assert [rid for rid, test in rows if test.strip() in ("", "—")] == []


def test_the_gap_list_and_counts_follow_the_tables():
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "asvs_sync.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
