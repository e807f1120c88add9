"""The import contracts in pyproject.toml hold on the app, and would catch an import that runs
against them (a copy of the app with one bad import added fails)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def copy_of_the_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("tree")
    ignore = shutil.ignore_patterns("__pycache__", "static", "templates")
    for package in ("app", "config"):
        shutil.copytree(ROOT / package, tree / package, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def add_import(tree: Path, module: str, line: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_app_keeps_its_import_contracts(copy_of_the_app: Path) -> None:
    result = lint_imports(copy_of_the_app)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "bad_import", "broken"),
    [
        ("app.common.text", "import app.pilots.service", "Domains import only downwards"),
        ("app.councils.service", "import app.pilots.models", "Domains import only downwards"),
        ("app.funding.service", "import app.search.service", "Domains import only downwards"),
        ("app.councils.models", "import app.councils.service", "Models import only"),
        ("config.settings", "import app.extensions", "Settings know nothing of the app"),
    ],
)
def test_an_import_against_the_contracts_fails_the_lint(
    copy_of_the_app: Path, tmp_path: Path, module: str, bad_import: str, broken: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(copy_of_the_app, tree)
    add_import(tree, module, bad_import)
    result = lint_imports(tree)
    assert result.returncode != 0
    assert f"{broken}" in result.stdout
    assert "BROKEN" in result.stdout
