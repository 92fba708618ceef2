"""kill -9 at seeded random points (docs/architecture.md, "Crash safety").

Each command runs in a forked child that is killed (SIGKILL, no clean-up of any kind) after a
random delay drawn with a fixed seed from the length of an uninterrupted run; then the same
command runs again, and the ledger, the archive index, the settlements and every output must
equal those of a run that was never interrupted, with no temporary file left behind.
``ZSXLS_KILL_POINTS`` sets the points per command (30 by default).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import shutil
import signal
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.cli.test_archive import _carried, _indexed
from tests.cli.test_consolidate import _dump
from tests.factory import contact, lead, make_file
from tests.helpers import init_keeping_examples
from zhaoshang_xls.cli import cli
from zhaoshang_xls.fileio import TEMP_PREFIX
from zhaoshang_xls.periods import Month
from zhaoshang_xls.workspace import Workspace, open_workspace

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="kill -9 of a forked run needs POSIX")
POINTS = int(os.environ.get("ZSXLS_KILL_POINTS", "30"))
FEB, MAR, APR = Month(2024, 2), Month(2024, 3), Month(2024, 4)
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")


def _month_files(ws: Workspace) -> None:
    for month in (FEB, MAR):
        day = month.first_day + dt.timedelta(days=4)
        make_file(ws, "C01", month, rows={
            "contacts": [contact(day, "李秀英", f"钱{month.month}", "苏州恒瑞食品有限公司")],
            "leads": [lead(f"果蔬深加工{month.month}期", "恒瑞食品", "李秀英", day, 3000, fixed_assets=2000,
                           stage="开工", signed_on=day, started_on=day)]})
        make_file(ws, "D01", month, rows={
            "contacts": [contact(day, "张伟", f"孙{month.month}", "无锡精工有限公司")],
            "leads": [lead(f"精密模具{month.month}期", "精工", "张伟", day, 800, fixed_assets=600)]})


def _run(ws: Workspace, args: list[str]) -> None:
    result = CliRunner().invoke(cli, [*args, "-w", str(ws.root)], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output


def _killed(ws: Workspace, args: list[str], delay: float | None) -> None:
    """``zsxls ARGS`` in a forked child, SIGKILLed after ``delay`` seconds (None: never)."""
    pid = os.fork()
    if pid == 0:  # the child: the command, its output thrown away, never any clean-up
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        try:
            cli.main(args=[*args, "-w", str(ws.root)], prog_name="zsxls", standalone_mode=False)
        finally:
            os._exit(0)
    if delay is not None:
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _outputs(ws: Workspace) -> dict[str, Any]:
    """Every output file by name; workbooks by their values (timestamps aside)."""
    out: dict[str, Any] = {}
    for path in sorted(ws.output_dir.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(ws.root).as_posix()
        if path.suffix == ".xlsx":
            wb = load_workbook(path, read_only=True)
            out[name] = [(s.title, [tuple(v for v in row if not (isinstance(v, str) and _TIMESTAMP.search(v)))
                                    for row in s.iter_rows(values_only=True)]) for s in wb.worksheets]
            wb.close()
        else:
            out[name] = path.stat().st_size > 0
    return out


def _ledger_state(ws: Workspace) -> dict[str, Any]:
    return {"ledger": _dump(ws), "index": _indexed(ws), "carried": _carried(ws), "outputs": _outputs(ws)}


def _collected(ws: Workspace) -> dict[str, Any]:
    folder = ws.root / str(APR)
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.name != "收件记录.csv"}
    log = (folder / "收件记录.csv").read_text(encoding="utf-8-sig").splitlines()
    return {"files": files, "log": sorted(log[1:]), "header": log[0]}


def _left_over(ws: Workspace) -> list[Path]:
    return [p for p in ws.root.rglob(f"{TEMP_PREFIX}*")]


def _attack(base: Path, tmp: Path, command: Callable[[Workspace], list[str]], state: Callable[[Workspace], Any],
            seed: int, interrupted: Callable[[Workspace], bool] | None = None) -> None:
    """Kill ``command`` at POINTS random points of a copy of ``base``; each re-run must end in the
    state of a run never interrupted. ``interrupted`` tells a kill that hit the run (default: the
    state differs from the expected one), and a fifth of the kills must."""
    clean = open_workspace(shutil.copytree(base, tmp / "clean"))
    _run(clean, command(clean))
    expected = state(clean)
    timed = open_workspace(shutil.copytree(base, tmp / "timed"))
    started = time.perf_counter()
    _killed(timed, command(timed), None)  # how long the forked run takes, uninterrupted
    length = time.perf_counter() - started
    rng = random.Random(seed)
    cut = 0  # kills that left something to repair: the attack hit the run, not only its edges
    for point in range(POINTS):
        root = shutil.copytree(base, tmp / f"kill{point}")
        ws = open_workspace(root)
        _killed(ws, command(ws), rng.uniform(0, length))
        ws = open_workspace(root)  # what any next command does first: clears our temp files
        assert not _left_over(ws), f"point {point}: temporary files left"
        cut += interrupted(ws) if interrupted else _safe_state(state, ws) != expected
        _run(ws, command(ws))
        assert state(ws) == expected, f"point {point} (seed {seed})"
        assert not _left_over(ws)
        shutil.rmtree(root)
    assert cut >= POINTS // 5, f"only {cut} of {POINTS} kills interrupted the run"


def _safe_state(state: Callable[[Workspace], Any], ws: Workspace) -> Any:
    try:
        return state(ws)
    except Exception as exc:  # e.g. no log or no ledger yet: a state of its own
        return type(exc).__name__


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("kill")
    fresh = root / "fresh"
    init_keeping_examples(fresh)
    _month_files(open_workspace(fresh))
    done = shutil.copytree(fresh, root / "consolidated")
    _run(open_workspace(done), ["consolidate", str(done / str(MAR))])
    return {"fresh": fresh, "consolidated": done}


def test_consolidate_with_an_earlier_month_survives_kill_9(bases: dict[str, Path], tmp_path: Path) -> None:
    _attack(bases["fresh"], tmp_path, lambda ws: ["consolidate", str(ws.root / str(MAR))], _ledger_state, seed=1)


def test_annual_finalize_survives_kill_9(bases: dict[str, Path], tmp_path: Path) -> None:
    _attack(bases["consolidated"], tmp_path, lambda ws: ["annual", "2024", "--finalize"], _ledger_state, seed=2)


def test_rebuild_survives_kill_9(bases: dict[str, Path], tmp_path: Path) -> None:
    # rebuild changes nothing until its last step: a kill leaves the old ledger and a partial new one
    _attack(bases["consolidated"], tmp_path, lambda ws: ["rebuild"], _ledger_state, seed=3,
            interrupted=lambda ws: (ws.state_dir / "ledger.rebuild.sqlite").exists())


def test_collect_survives_kill_9(bases: dict[str, Path], tmp_path: Path) -> None:
    base = shutil.copytree(bases["consolidated"], tmp_path / "base")
    ws = open_workspace(base)
    box = base / "邮件"
    box.mkdir()
    when = dt.datetime(2024, 5, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for i, unit in enumerate(("C01", "D01")):
        path = make_file(ws, unit, APR, name=f"tmp{i}.xlsx")
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = f"{unit.lower()}@zs.example.cn", "zsb@zs.example.cn", "四月报表"
        msg["Date"] = format_datetime(when + dt.timedelta(hours=i))
        msg.set_content("报表见附件。")
        msg.add_attachment(path.read_bytes(), *XLSX, filename=f"四月报表{i}.xlsx")
        path.unlink()
        (box / f"{i}.eml").write_bytes(msg.as_bytes())
    _attack(base, tmp_path, lambda ws: ["collect", str(box), "--month", str(APR)], _collected, seed=4)
