"""The clerk's month without surprises (issue 16): every input judged, every message true."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from tests.cli.test_consolidate import _dump
from tests.factory import contact, make_file
from zhaoshang_xls.fileio import TEMP_PREFIX
from zhaoshang_xls.periods import Month
from zhaoshang_xls.usecases import month as month_module
from zhaoshang_xls.workspace import Workspace

MARCH = Month(2024, 3)


def _outputs(ws: Workspace) -> dict[str, bytes]:
    return {p.relative_to(ws.root).as_posix(): p.read_bytes() for p in ws.output_dir.rglob("*") if p.is_file()}


def test_a_failure_while_building_leaves_the_previous_ledger_and_outputs(march: Workspace, run,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything a run writes is built before the commit: a failure at the last output (the
    线索甄别) leaves the ledger and every earlier output as they were, and says so."""
    ws = march
    ledger, outputs = _dump(ws), _outputs(ws)
    make_file(ws, "C17", MARCH, rows={"contacts": [contact(dt.date(2024, 3, 6), "张堡", "周八", "南通纺织有限公司")]})

    def broken(*args, **kwargs):
        raise RuntimeError("a defect in the last writer")

    monkeypatch.setattr(month_module, "write_screening_workbook", broken)
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    assert result.exit_code == 4 and "程序内部错误" in result.stderr
    assert "本次运行在写入台账之前停止:台账和已有报表都没有改动。" in result.stderr
    assert _dump(ws) == ledger and _outputs(ws) == outputs  # C17's receipt and the new report were not kept
    assert not list(ws.root.rglob(f"{TEMP_PREFIX}*"))
    monkeypatch.undo()
    assert run(["consolidate", "2024-03"], cwd=ws.root).exit_code in (0, 1)
    assert _dump(ws) != ledger and any("C17" in name for name in _outputs(ws))


def test_a_blank_report_date_with_a_late_file_time_is_no_crash(workspace: Workspace, run) -> None:
    """A blank 填报日期 in a file saved after the due day: the whole summary, never 程序内部错误."""
    ws = workspace
    path = make_file(ws, "C01", MARCH, basic={"reported_on": None},
                     rows={"contacts": [contact(dt.date(2024, 3, 5), "李秀英", "钱七", "苏州恒瑞食品有限公司")]})
    late = dt.datetime(2024, 4, 20).timestamp()
    os.utime(path, (late, late))
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    assert result.exit_code in (0, 1), result.output
    assert "内部错误" not in result.output and "台账已更新" in result.output
    assert (ws.output_dir / "2024-03_一月一交流.xlsx").exists()
