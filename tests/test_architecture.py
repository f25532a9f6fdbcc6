"""The architecture checks itself: the import-linter contracts of pyproject.toml
hold on the tree, and each one fails on an import that breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_contracts_hold_on_the_tree():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize(
    ("module", "violation", "contract"),
    [
        # a query that writes: only actions open a write transaction
        (
            "src/tracker/contributions/queries.py",
            "from tracker.db.unit_of_work import transaction",
            "Only actions write",
        ),
        # a capability that draws on the screen
        ("src/tracker/followup/aggregates.py", "import streamlit", "never import Streamlit"),
        # the core reaching up into a capability
        (
            "src/tracker/db/settings.py",
            "from tracker.contributions import queries",
            "Interface over capabilities",
        ),
    ],
)
def test_a_violating_import_breaks_its_contract(tmp_path, module, violation, contract):
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    target = copy / module
    target.write_text(target.read_text() + f"\n{violation}  # noqa\n")
    result = _lint(copy)
    assert result.returncode != 0
    assert contract in result.stdout.split("Broken contracts")[-1].replace("\n", " ")
