"""Fixtures: a fresh workspace in tmp_path, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from zhaoshang_xls.cli import cli
from zhaoshang_xls.workspace import Workspace, open_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A workspace made by ``zsxls init`` whose clerk kept the example units as real (LD, C01,
    D01): the roster rewritten without the 示例 mark."""
    from tests.helpers import init_keeping_examples

    return open_workspace(init_keeping_examples(tmp_path / "ws"))


@pytest.fixture
def samples(tmp_path: Path) -> Workspace:
    """A scratch copy of the sample workspace."""
    from tests.helpers import copy_samples

    return open_workspace(copy_samples(tmp_path / "samples"))


@pytest.fixture(scope="session")
def _consolidated_march(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples with February and March consolidated, once per test run (never handed out)."""
    import datetime as dt

    from tests.helpers import copy_samples
    from zhaoshang_xls.periods import Month
    from zhaoshang_xls.usecases.month import consolidate_month

    root = copy_samples(tmp_path_factory.mktemp("march") / "samples")
    ws = open_workspace(root)
    for month in (Month(2024, 2), Month(2024, 3)):
        consolidate_month(ws, root / str(month), month, today=dt.date(2024, 4, 10))
    return root


@pytest.fixture
def march(_consolidated_march: Path, tmp_path: Path) -> Workspace:
    """A scratch copy of the samples with February and March already consolidated (ledger, report,
    receipts, 线索甄别): the end-to-end tests share one consolidation per test run."""
    import shutil

    root = tmp_path / "march"  # not "samples": a test may use both fixtures
    shutil.copytree(_consolidated_march, root, symlinks=True)
    return open_workspace(root)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in a folder: ``run(["template", "2024-03"], cwd=path)``."""

    def _run(args: list[str], cwd: Path | None = None):
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return CliRunner().invoke(cli, args, catch_exceptions=False)

    return _run


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url_for(request: pytest.FixtureRequest):
    """Put a workspace's ledger on each backend: ``ws = ledger_url_for(ws)``. SQLite is the default
    file; PostgreSQL is a fresh database on the server named by ``ZSXLS_TEST_POSTGRES`` (``.ci/run``
    starts one; without it those runs are skipped, or fail when ``ZSXLS_REQUIRE_POSTGRES=1``)."""
    import uuid

    if request.param == "sqlite":
        yield lambda ws: ws
        return
    from tests.helpers import service_or_skip

    admin_url = service_or_skip("ZSXLS_TEST_POSTGRES", "ZSXLS_REQUIRE_POSTGRES",
                                "no PostgreSQL server: set ZSXLS_TEST_POSTGRES (.ci/postgres starts one)")
    from sqlalchemy import create_engine, make_url, text

    name = f"zsxls_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def use(ws: Workspace) -> Workspace:
        from zhaoshang_xls.config import Ledger, render_config

        config = ws.config.__class__(**{**ws.config.__dict__, "ledger": Ledger(url=url)})
        (ws.root / "zsxls.toml").write_text(render_config(config), encoding="utf-8")
        return open_workspace(ws.root)

    yield use
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
