"""The layering is a contract: documented, checked by import-linter, and enforced in CI."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["id"] == "layers"]
    return layers["layers"]


def _documented_layers() -> list[str]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = re.search(r"<!-- layers:.*?-->\s*```text\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md lost its layer diagram"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layer_diagram_in_the_docs_is_the_contract_ci_checks():
    assert _documented_layers() == _contract_layers()


def test_every_app_sits_in_a_layer():
    named = {name.strip("() ") for layer in _contract_layers() for name in re.split(r"[|:]", layer)}
    apps = {p.parent.name for p in (ROOT / "baken").glob("*/apps.py")}
    assert apps <= named, f"apps missing from the layers contract: {sorted(apps - named)}"


def test_the_contract_holds_on_this_tree_and_breaks_on_an_upward_import(tmp_path):
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "baken", tree / "baken", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")

    kept = _lint_imports(tree)
    assert kept.returncode == 0, kept.stdout + kept.stderr

    # The kernel reaching up into a context, hidden inside a function as the old code did.
    (tree / "baken" / "lib" / "reach_up.py").write_text(
        "def cases():\n    from baken.casework import services\n\n    return services\n"
    )
    broken = _lint_imports(tree)
    assert broken.returncode != 0
    assert "baken.lib.reach_up -> baken.casework.services" in broken.stdout


def test_an_import_inside_a_function_says_why():
    """Imports go at the top; the few that wait (AppConfig.ready, a measured start-up cost)
    carry a comment right above them, so nobody hides a layer-breaking import again."""
    unexplained = []
    for path in sorted((ROOT / "baken").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if not re.match(r"^\s+(from \S+ import |import )", line):
                continue
            above = number - 1
            while above >= 0 and re.match(r"^\s+(from \S+ import |import )", lines[above]):
                above -= 1
            if above < 0 or not lines[above].strip().startswith("#"):
                unexplained.append(f"{path.relative_to(ROOT)}:{number + 1}: {line.strip()}")
    assert not unexplained, "\n".join(unexplained)


def test_every_services_module_states_its_contract_and_lists_its_api():
    for path in sorted((ROOT / "baken").glob("*/services*.py")) + sorted(
        (ROOT / "baken").glob("*/services/__init__.py")
    ):
        module = ast.parse(path.read_text())
        assert ast.get_docstring(module), f"{path.relative_to(ROOT)} has no module docstring"
        exported = [
            node
            for node in module.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
        ]
        assert exported, f"{path.relative_to(ROOT)} has no __all__"
