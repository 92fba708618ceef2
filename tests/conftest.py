"""Fixtures: a fresh workspace in tmp_path, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from zhaoshang_xls.cli import cli
from zhaoshang_xls.workspace import Workspace, init_workspace, open_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A workspace made by ``zsxls init`` (example roster: LD, C01, D01)."""
    root = tmp_path / "ws"
    init_workspace(root)
    return open_workspace(root)


@pytest.fixture
def samples(tmp_path: Path) -> Workspace:
    """A scratch copy of the sample workspace."""
    from tests.helpers import copy_samples

    return open_workspace(copy_samples(tmp_path / "samples"))


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in a folder: ``run(["template", "2024-03"], cwd=path)``."""

    def _run(args: list[str], cwd: Path | None = None):
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return CliRunner().invoke(cli, args, catch_exceptions=False)

    return _run
