"""consolidate into the ledger: stable ids, month replacement, provenance, atomicity, CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from zhaoshang_xls.errors import UsageError
from zhaoshang_xls.ledger import ledger_url
from zhaoshang_xls.ledger import tables as t
from zhaoshang_xls.periods import Month
from zhaoshang_xls.usecases.month import consolidate_month, folder_month

MARCH = Month(2024, 3)


@pytest.fixture
def ws(samples, ledger_url_for):
    """The samples, with the ledger on SQLite and on PostgreSQL."""
    return ledger_url_for(samples)


def _dump(ws) -> dict[str, list]:
    """Ledger content without run ids and timestamps (which differ between runs)."""
    engine = create_engine(ledger_url(ws))
    out = {}
    with engine.connect() as conn:
        for table in (t.submissions, t.contacts, t.projects, t.project_updates, t.issues):
            cols = [c for c in table.c if c.name not in ("id", "run_id", "submission_id")]
            rows = conn.execute(select(*cols)).all()
            out[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
    engine.dispose()
    return out


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def test_sample_month_lands_in_the_ledger_with_provenance(ws) -> None:
    before = _hashes(ws.root / "2024-03")
    result = consolidate_month(ws, ws.root / "2024-03", MARCH)
    assert _hashes(ws.root / "2024-03") == before  # inputs never modified
    assert (result.count("accepted"), result.count("rejected"), result.count("superseded")) == (31, 1, 1)
    assert {u.code for u in result.missing} == {"C17", "D09"}
    dump = _dump(ws)
    assert len(dump["submissions"]) == 33
    engine = create_engine(ledger_url(ws))
    with engine.connect() as conn:
        row = conn.execute(select(t.contacts).where(t.contacts.c.unit_code == "C01").order_by(t.contacts.c.source_row)
                           ).mappings().first()
        assert (row["source_sheet"], row["source_row"]) == ("客商结交", 4)
        ids = [r.id for r in conn.execute(select(t.projects.c.id).order_by(t.projects.c.id))]
        d04 = conn.execute(select(t.projects).where(t.projects.c.unit_code == "D04")).mappings().all()
    engine.dispose()
    assert ids[0] == "P2024-0001" and len(ids) == len(set(ids))
    assert {str(p["total_investment"]) for p in d04} >= {"500", "1200"}  # exact decimals, from text amounts
    archived = {p.name for p in (ws.state_dir / "archive").iterdir()}
    assert len(archived) == 35  # every file read (31 accepted, 1 rejected, 1 superseded) + the two exports
    index = [json.loads(line) for line in (ws.state_dir / "archive" / "index.jsonl").read_text().splitlines()]
    assert {e["name"] for e in index} >= {"三月份招商报表(最终版).xlsx"}
    assert sorted(e["status"] for e in index) == sorted(s.status for s in result.submissions)


def test_rerun_gives_the_same_ledger_and_ids(ws) -> None:
    consolidate_month(ws, ws.root / "2024-03", MARCH)
    first = _dump(ws)
    consolidate_month(ws, ws.root / "2024-03", MARCH)
    assert _dump(ws) == first


def test_earlier_month_keeps_its_ids_when_a_later_one_is_added(ws) -> None:
    consolidate_month(ws, ws.root / "2024-02", Month(2024, 2))
    february = _dump(ws)["projects"]
    consolidate_month(ws, ws.root / "2024-03", MARCH)
    consolidate_month(ws, ws.root / "2024-02", Month(2024, 2))
    assert set(february) <= set(_dump(ws)["projects"])
    engine = create_engine(ledger_url(ws))
    with engine.connect() as conn:  # every project's registration points at a submission row
        sources = {r[0] for r in conn.execute(select(t.projects.c.submission_id))}
        files = {r[0] for r in conn.execute(select(t.submissions.c.id))}
    engine.dispose()
    assert sources <= files


def _consolidate_in_process(root: str, folder: str) -> str:
    from zhaoshang_xls.workspace import open_workspace

    try:
        result = consolidate_month(open_workspace(Path(root)), Path(folder), MARCH)
    except Exception as exc:  # reported to the parent, which checks it is the clear "busy" error
        return f"{type(exc).__name__}: {exc}"
    return f"ok {len(result.submissions)}"


def test_two_processes_consolidating_at_once_lose_and_double_nothing(ws) -> None:
    import multiprocessing

    consolidate_month(ws, ws.root / "2024-03", MARCH)
    single = _dump(ws)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        outcomes = pool.starmap(_consolidate_in_process, [(str(ws.root), str(ws.root / "2024-03"))] * 2)
    assert all(o == "ok 33" or o.startswith("LedgerBusy") for o in outcomes), outcomes
    assert any(o == "ok 33" for o in outcomes)
    assert _dump(ws) == single  # the same ledger as one run: nothing doubled, nothing lost


def test_failure_inside_the_transaction_leaves_the_previous_ledger(ws, monkeypatch) -> None:
    consolidate_month(ws, ws.root / "2024-03", MARCH)
    before = _dump(ws)
    from zhaoshang_xls.ledger import store

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "_insert_rows", crash)
    with pytest.raises(KeyboardInterrupt):
        consolidate_month(ws, ws.root / "2024-03", MARCH)
    assert _dump(ws) == before


def test_folder_month() -> None:
    assert folder_month(Path("x/2024-03")) == MARCH
    assert folder_month(Path("x/2024年3月")) == MARCH
    assert folder_month(Path("x/收件"), "202403") == MARCH
    with pytest.raises(UsageError, match="--month"):
        folder_month(Path("x/收件"))


def test_cli_summary_json_and_exit_codes(ws, run) -> None:
    result = run(["consolidate", str(ws.root / "2024-03")])
    assert result.exit_code == 1  # one file rejected
    assert "读取 33 个文件，接收 31 个，退回 1 个，重复报送作废 1 个" in result.stdout
    assert "C17 张堡村" in result.stdout and "D09_社会事业组_2024-03.xlsx" in result.stdout
    data = json.loads(run(["consolidate", str(ws.root / "2024-03"), "--json"]).stdout)
    assert set(data) >= {"files", "outputs", "counts"}
    by_name = {f["file"]: f for f in data["files"]}
    assert by_name["D09_社会事业组_2024-03.xlsx"]["status"] == "rejected"
    assert by_name["D09_社会事业组_2024-03.xlsx"]["issues"][0]["code"] == "F01"
    assert by_name["D05_项目推进组_2024-03.xlsx"]["status"] == "superseded"
    c07 = by_name["C07_三里村_2024-03.xlsx"]["issues"]
    assert {"code": "S02", "level": "warning", "sheet": "项目信息", "cell": "H2"} in [
        {k: i[k] for k in ("code", "level", "sheet", "cell")} for i in c07]
    assert data["counts"]["accepted"] == 31
    clean = run(["consolidate", str(ws.root / "2024-04")])
    assert clean.exit_code == 0, clean.stdout


def test_cli_folder_without_month_is_exit_2(ws, run) -> None:
    (ws.root / "收件").mkdir()
    result = run(["consolidate", str(ws.root / "收件")])
    assert result.exit_code == 2 and "--month" in result.stderr


def _figures_dump(ws) -> dict[str, list]:
    """The ledger's data rows (contacts, projects with ids, updates) without run bookkeeping."""
    dump = _dump(ws)
    return {k: dump[k] for k in ("contacts", "projects", "project_updates")}


def test_rebuild_from_the_archive_gives_the_same_figures(samples, run) -> None:
    ws = samples  # rebuild serves the default SQLite ledger only
    for name in ("2024-02", "2024-03", "2024-04"):
        consolidate_month(ws, ws.root / name, Month(2024, int(name[-2:])))
    before = _figures_dump(ws)
    (ws.state_dir / "ledger.sqlite").unlink()  # the ledger is lost
    result = run(["rebuild"], cwd=ws.root)
    assert result.exit_code == 0, result.output
    assert "台账已重建，共 3 个月" in result.stdout
    after = _figures_dump(ws)
    assert after == before


def test_rebuild_keeps_ids_when_months_were_consolidated_out_of_order(samples) -> None:
    ws = samples  # rebuild serves the default SQLite ledger only
    consolidate_month(ws, ws.root / "2024-03", MARCH)
    consolidate_month(ws, ws.root / "2024-02", Month(2024, 2))
    before = _figures_dump(ws)
    from zhaoshang_xls.usecases.month import rebuild_ledger

    rebuild_ledger(ws)
    assert _figures_dump(ws) == before


def test_rebuild_without_archive_is_a_usage_error(samples, run) -> None:
    ws = samples  # rebuild serves the default SQLite ledger only
    result = run(["rebuild"], cwd=ws.root)
    assert result.exit_code == 2 and "存档" in result.stderr


def test_a_run_killed_between_files_changes_nothing(ws, monkeypatch) -> None:
    result = consolidate_month(ws, ws.root / "2024-03", MARCH)
    report = result.outputs[0]
    ledger_before, report_before = _dump(ws), report.read_bytes()
    from zhaoshang_xls.usecases import month as module

    real = module.read_submission
    calls = []

    def killed(*args, **kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "read_submission", killed)
    with pytest.raises(KeyboardInterrupt):
        consolidate_month(ws, ws.root / "2024-03", MARCH)
    assert _dump(ws) == ledger_before
    assert report.read_bytes() == report_before


def test_tax_workbook_lists_the_started_projects_locked(ws, run) -> None:
    from openpyxl import load_workbook

    from zhaoshang_xls.compute.projects import latest_states
    from zhaoshang_xls.ledger import open_ledger

    assert run(["consolidate", str(ws.root / "2024-04")]).exit_code == 0
    result = run(["template", "--tax", "2024"], cwd=ws.root)
    assert result.exit_code == 0, result.output
    with open_ledger(ws) as ledger:
        started = sorted(pid for pid, s in latest_states(ledger.frames("2024-12"), "2024-12").items()
                         if s.stage in ("开工", "竣工", "达产"))
    assert started, "the April samples start some projects"
    sheet = load_workbook(ws.root / "输出" / "模板" / "2024_税收台账.xlsx")["税收"]
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]]
    assert [r[0] for r in rows] == started
    assert all(r[2] == 2024 and r[3] is None for r in rows)
    assert sheet["A3"].protection.locked and not sheet["D3"].protection.locked
    assert not sheet.cell(row=3 + len(rows), column=1).protection.locked  # room for more
