"""ruff, mypy and the import contracts (lint-imports) are part of the test suite, so CI enforces them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.helpers import REPO


@pytest.mark.parametrize("command", [["ruff", "check", "."], ["mypy"], ["lint-imports"]],
                         ids=["ruff", "mypy", "import-contracts"])
def test_tool_is_clean(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        pytest.fail(f"{command[0]} is not installed: pip install -e '.[test]'")
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_is_thin() -> None:
    """cli.py parses, calls one use case and prints: short, and no database (the contracts check imports)."""
    text = (REPO / "zhaoshang_xls" / "cli.py").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 350
    assert "sqlalchemy" not in text and "open_ledger" not in text and "engine" not in text


def test_import_contracts_catch_a_violation(tmp_path) -> None:
    """The contracts are live: a compute module importing the ledger breaks them."""
    import shutil as sh

    copy = tmp_path / "repo"
    sh.copytree(REPO / "zhaoshang_xls", copy / "zhaoshang_xls")
    sh.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    bad = copy / "zhaoshang_xls" / "compute" / "money.py"
    bad.write_text(bad.read_text(encoding="utf-8") + "\nfrom zhaoshang_xls.ledger import open_ledger  # noqa\n",
                   encoding="utf-8")
    result = subprocess.run(["lint-imports"], cwd=copy, capture_output=True, text=True, check=False,
                            env={**__import__("os").environ, "PYTHONPATH": str(copy)})
    assert result.returncode != 0 and "BROKEN" in result.stdout
