"""The archive and its index live in the ledger's transaction; a kill never leaves a month half
done (docs/architecture.md, "Crash safety"): in the ledger and the archive index or in neither,
outputs written again by the next command, temporary files cleared."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from tests.cli.test_consolidate import _dump
from zhaoshang_xls.fileio import TEMP_PREFIX
from zhaoshang_xls.ledger import ledger_url
from zhaoshang_xls.ledger import tables as t
from zhaoshang_xls.periods import Month
from zhaoshang_xls.usecases import month as module
from zhaoshang_xls.usecases.month import consolidate_month, rebuild_ledger
from zhaoshang_xls.workspace import Workspace, open_workspace

FEB, MARCH = Month(2024, 2), Month(2024, 3)


def _indexed(ws: Workspace) -> dict[str, int]:
    """Month -> files in the ledger's archive index; and the export agrees."""
    engine = create_engine(ledger_url(ws))
    with engine.connect() as conn:
        rows = conn.execute(select(t.archive_files.c.month, t.archive_files.c.sha256)).all()
    engine.dispose()
    table: dict[str, int] = {}
    for month, _ in rows:
        table[month] = table.get(month, 0) + 1
    export = ws.state_dir / "archive" / "index.jsonl"
    lines = [json.loads(x) for x in export.read_text(encoding="utf-8").splitlines()] if export.exists() else []
    exported: dict[str, int] = {}
    for e in lines:
        exported[e["month"]] = exported.get(e["month"], 0) + 1
    assert exported == table
    return table


def test_a_failure_inside_the_commit_leaves_neither_the_month_nor_its_index(samples: Workspace,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    ws = samples
    consolidate_month(ws, ws.root / "2024-02", FEB)
    before, indexed = _dump(ws), _indexed(ws)
    real = module.record_index

    def then_full_disk(conn, workspace, month, entries):  # the index is written, then the commit fails
        real(conn, workspace, month, entries)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(module, "record_index", then_full_disk)
    with pytest.raises(module.NothingChanged, match="台账和已有报表都没有改动"):
        consolidate_month(ws, ws.root / "2024-03", MARCH)
    assert _dump(ws) == before
    engine = create_engine(ledger_url(ws))
    with engine.connect() as conn:
        assert conn.execute(select(t.archive_files.c.id).where(t.archive_files.c.month == "2024-03")).first() is None
    engine.dispose()
    monkeypatch.undo()
    consolidate_month(ws, ws.root / "2024-03", MARCH)
    assert _indexed(ws) == {**indexed, "2024-03": 33}


def test_two_consolidates_of_different_months_at_once_keep_both(samples: Workspace) -> None:
    ws = samples
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    runs = [subprocess.Popen([sys.executable, "-m", "zhaoshang_xls", "consolidate", name, "--no-receipts"],
                             cwd=ws.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for name in ("2024-02", "2024-03")]
    for p in runs:
        _, err = p.communicate(timeout=300)
        assert p.returncode in (0, 1), err.decode()
    indexed = _indexed(ws)
    assert set(indexed) >= {"2024-02", "2024-03"} and indexed["2024-03"] == 33
    before = _dump(ws)
    rebuild_ledger(ws)  # nothing of either month is lost when the ledger is rebuilt from the archive
    assert _dump(ws) == before


def test_rebuild_keeps_rejected_and_superseded_files_with_their_issues(samples: Workspace) -> None:
    ws = samples
    result = consolidate_month(ws, ws.root / "2024-03", MARCH)
    assert (result.count("rejected"), result.count("superseded")) == (1, 1)
    before = _dump(ws)
    (ws.state_dir / "ledger.sqlite").unlink()  # lost: the archive alone rebuilds it
    rebuild_ledger(ws)
    assert _dump(ws) == before  # submissions (every status) and issues included


def test_outputs_of_a_month_killed_after_its_commit_are_written_by_the_next_run(samples: Workspace, run,
                                                                               monkeypatch: pytest.MonkeyPatch
                                                                               ) -> None:
    ws = samples
    from zhaoshang_xls import fileio

    real = fileio._replace

    def killed(tmp, target):
        if target.name.startswith("2024-02_一月一交流"):
            raise KeyboardInterrupt  # kill -9 after February's commit, while its files are moved into place
        real(tmp, target)

    monkeypatch.setattr(fileio, "_replace", killed)
    killed_run = run(["consolidate", "2024-03"], cwd=ws.root)  # February first (auto), killed
    assert killed_run.exit_code != 0
    report = ws.output_dir / "2024-02_一月一交流.xlsx"
    assert not report.exists()
    monkeypatch.undo()
    again = run(["consolidate", "2024-03"], cwd=ws.root)
    assert again.exit_code in (0, 1), again.output
    assert "2024年2月 上次汇总后报表未写完（程序被中断），已先汇总" in again.output
    assert report.exists() and (ws.output_dir / "2024-03_一月一交流.xlsx").exists()
    from openpyxl import load_workbook

    assert "单位完成情况" in load_workbook(report).sheetnames
    third = run(["consolidate", "2024-03"], cwd=ws.root)  # written now: February is not done again
    assert "2024年2月" not in third.output.split("2024年3月")[0]


def test_temporary_files_a_killed_run_left_are_removed(samples: Workspace) -> None:
    ws = samples
    out = ws.output_dir
    out.mkdir(exist_ok=True)
    dead = out / f"{TEMP_PREFIX}{2**22 + 12345}-0a1b2c3d4e5f.xlsx"  # a pid no process has
    legacy = out / f"{TEMP_PREFIX}0a1b2c3d4e5f.xlsx"  # an older version's name
    mine = out / f"{TEMP_PREFIX}{os.getpid()}-ffeeddccbbaa.xlsx"  # a run still writing it
    someone = ws.root / "2024-03" / "~$草稿.xlsx"  # not ours: never touched
    for p in (dead, legacy, mine, someone):
        p.write_bytes(b"partial")
    old = (dt.datetime.now() - dt.timedelta(hours=1)).timestamp()
    os.utime(legacy, (old, old))
    open_workspace(ws.root)  # every command starts so
    assert not dead.exists() and not legacy.exists()
    assert mine.exists() and someone.exists()


def _carried(ws: Workspace) -> dict[str, list[tuple[str, ...]]]:
    engine = create_engine(ledger_url(ws))
    out = {}
    with engine.connect() as conn:
        for table in (t.project_keys, t.settlements, t.screening, t.taxes, t.year_results):
            cols = [c for c in table.c if c.name not in ("id", "run_id")]
            out[table.name] = sorted(tuple(str(v) for v in row) for row in conn.execute(select(*cols)))
    engine.dispose()
    return out


def test_rebuild_restores_what_only_the_ledger_held_when_the_ledger_is_damaged(march: Workspace, run) -> None:
    """Settlements, screening decisions, taxes, the id registry and frozen results survive a
    destroyed ledger: each commit exports them beside the archive, with a checksum."""
    ws = march
    screening = ws.output_dir / "2024-03_线索甄别.xlsx"
    from tests.cli.test_screening import _fill, _rows

    _, _, rows = _rows(screening)
    _fill(screening, {next(iter(rows)): {"甄别结论": "无效", "跟踪责任人": "李跟踪"}})
    assert run(["screen", str(screening)], cwd=ws.root).exit_code == 0
    assert run(["annual", "2024", "--finalize"], cwd=ws.root).exit_code == 0
    before, data = _carried(ws), _dump(ws)
    assert before["settlements"] and before["screening"] and before["taxes"] and before["year_results"]
    (ws.state_dir / "ledger.sqlite").write_bytes(b"\x00garbage" * 1000)  # destroyed

    result = run(["rebuild"], cwd=ws.root)
    assert result.exit_code == 0, result.output
    assert _carried(ws) == before and _dump(ws) == data
    again = run(["annual", "2024", "--finalize"], cwd=ws.root)
    assert "本次记入台账 0 笔" in again.output  # nothing paid twice

    # a tampered export is refused, never half-trusted
    export = ws.state_dir / "archive" / "carried.json"
    export.write_text(export.read_text(encoding="utf-8").replace('"payable": "', '"payable": "9'), encoding="utf-8")
    (ws.state_dir / "ledger.sqlite").write_bytes(b"\x00garbage" * 1000)
    refused = run(["rebuild"], cwd=ws.root)
    assert refused.exit_code == 3 and "没有重建" in refused.output + (refused.stderr or "")


def test_a_disk_error_on_the_outputs_says_the_ledger_was_updated(samples: Workspace, run,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from zhaoshang_xls.errors import OutputError
    from zhaoshang_xls.usecases import annual

    ws = samples
    consolidate_month(ws, ws.root / "2024-02", FEB)

    def full(path, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    before = _dump(ws)
    monkeypatch.setattr(module, "write_monthly_report", full)
    result = run(["consolidate", "2024-03"], cwd=ws.root)  # built before the commit: nothing changes
    assert result.exit_code == 3
    assert "2024-03_一月一交流.xlsx" in result.stderr and "台账和已有报表都没有改动" in result.stderr
    assert "内部错误" not in result.stderr and _dump(ws) == before
    assert not list(ws.output_dir.rglob("*2024-03*"))  # no receipt, no 线索甄别 either
    monkeypatch.undo()

    from zhaoshang_xls import fileio

    real_replace = fileio._replace

    def full_when_moving(tmp, target):  # the commit is done; moving the report into place fails
        if target.name == "2024-03_一月一交流.xlsx":
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real_replace(tmp, target)

    monkeypatch.setattr(fileio, "_replace", full_when_moving)
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    assert result.exit_code == 3
    assert "2024年3月的数据已记入台账" in result.stderr and "重新运行同一命令即可补写" in result.stderr
    assert not list(ws.root.rglob(f"{TEMP_PREFIX}*"))
    monkeypatch.undo()
    again = run(["consolidate", "2024-04"], cwd=ws.root)  # any later command finishes March's outputs
    assert "2024年3月 上次汇总后报表未写完" in again.output
    assert (ws.output_dir / "2024-03_一月一交流.xlsx").exists()

    def locked(path, *args, **kwargs):
        raise OutputError(f"无法写入 {path.name}:文件可能正在 Excel/WPS 中打开,请关闭后重试。")

    monkeypatch.setattr(annual, "write_annual_report", locked)
    result = run(["annual", "2024", "--finalize"], cwd=ws.root)
    assert result.exit_code == 3 and "2024_年终考核.xlsx" in result.stderr
    assert "2024 年的结算已记入台账（本次" in result.stderr and "重新运行同一命令即可补写" in result.stderr
    monkeypatch.undo()
    again = run(["annual", "2024", "--finalize"], cwd=ws.root)
    assert again.exit_code == 0 and "本次记入台账 0 笔" in again.output  # written now, nothing paid twice


def test_a_lost_ledger_is_never_replaced_by_an_empty_one(march: Workspace, run) -> None:
    """Deleting the ledger and running any command must not start an empty ledger (whose export
    would overwrite the settlements kept beside the archive): the command says to rebuild."""
    ws = march
    export = ws.state_dir / "archive" / "carried.json"
    kept = export.read_bytes()
    (ws.state_dir / "ledger.sqlite").unlink()
    result = run(["consolidate", "2024-04"], cwd=ws.root)
    assert result.exit_code == 3 and "zsxls rebuild" in result.stderr and "不见了" in result.stderr
    assert export.read_bytes() == kept and not (ws.state_dir / "ledger.sqlite").exists()
    assert run(["rebuild"], cwd=ws.root).exit_code == 0


def test_an_export_that_does_not_check_out_is_set_aside_never_overwritten(march: Workspace, run) -> None:
    ws = march
    export = ws.state_dir / "archive" / "carried.json"
    export.write_text(export.read_text(encoding="utf-8").replace('"P2024-', '"P2099-', 1), encoding="utf-8")
    tampered = export.read_bytes()
    (ws.state_dir / "ledger.sqlite").unlink()
    result = run(["rebuild"], cwd=ws.root)
    assert result.exit_code == 0 and "校验不符" in result.stderr and "改名留存" in result.stderr
    [aside] = (ws.state_dir / "archive").glob("carried.damaged-*.json")
    assert aside.read_bytes() == tampered  # the only copy of the tampered data is kept as it was


def test_damage_inside_a_ledger_that_still_opens_is_found_by_rebuild(march: Workspace, run) -> None:
    ws = march
    before = _dump(ws)
    path = ws.state_dir / "ledger.sqlite"
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    middle = (len(data) // page // 2) * page
    data[middle + 8: middle + 40] = b"\xff" * 32  # one page's cells, the header intact
    path.write_bytes(bytes(data))
    result = run(["rebuild"], cwd=ws.root)
    assert result.exit_code == 0, result.output
    assert "损坏的台账文件已改名留存" in result.output and "已从存档中的导出恢复" in result.output
    assert _dump(ws) == before


def test_a_write_during_rebuild_is_never_lost(march: Workspace, run) -> None:
    """rebuild holds the ledger's lock until the new ledger is in place: a finalisation started
    meanwhile waits, or is told to run again — what it says it recorded is in the ledger."""
    ws = march
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    rebuild = subprocess.Popen([sys.executable, "-m", "zhaoshang_xls", "rebuild"], cwd=ws.root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    import time

    time.sleep(0.5)
    result = run(["annual", "2024", "--finalize"], cwd=ws.root)
    _, err = rebuild.communicate(timeout=300)
    assert rebuild.returncode == 0, err.decode()
    import re

    recorded = re.search(r"本次记入台账 (\d+) 笔", result.output)
    engine = create_engine(ledger_url(ws))
    with engine.connect() as conn:
        settled = len(conn.execute(select(t.settlements.c.id)).all())
    engine.dispose()
    if recorded:
        assert int(recorded.group(1)) == settled > 0
    else:
        assert result.exit_code == 3 and "重新运行" in result.stderr and settled == 0
