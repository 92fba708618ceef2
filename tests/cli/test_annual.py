"""``zsxls annual``: a small year built through real files, checked line by line against figures
worked out by hand (SPEC §10.2, §10.4, §10.5, §11.1), the tax workbook round trip, and
finalisation that never pays twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, select

from tests.factory import lead, make_file
from zhaoshang_xls import schema
from zhaoshang_xls.compute.projects import progress_prefill
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.ledger import ledger_url, open_ledger
from zhaoshang_xls.ledger import tables as t
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reports.annual import SHEETS
from zhaoshang_xls.reports.templates import build_tax_template
from zhaoshang_xls.usecases.month import consolidate_month
from zhaoshang_xls.usecases.templates import write_workspace_tax_template
from zhaoshang_xls.workspace import Workspace

MAR, APR = Month(2024, 3), Month(2024, 4)
PID = schema.PROGRESS.column("project_id").name
MONEY_KEYS = {
    "信息奖": [PID, "信息提供人", "奖励金额(元)", "计算依据"],
    "引进项目奖": [PID, "招引单位", "结算次序", "应计奖金(元)", "冲销招商费用(元)", "应发金额(元)", "计算依据"],
    "财税分成奖": [PID, "招引单位", "税收年度", "开发区实得税收(万元)", "分成比例", "奖励金额(元)"],
    "扣罚明细": ["对象编码", "对象名称", "对象类型", "完成率", "扣罚金额(元)", "计算依据"],
}


def read_sheet(path: Path, sheet: str, keys: list[str]) -> list[dict[str, Any]]:
    """The rows under the first row holding every key column (SPEC §11.1), up to a blank row."""
    ws = load_workbook(path)[sheet]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if set(keys) <= {str(v) for v in r if v is not None})
    header = rows[head]
    out = []
    for r in rows[head + 1:]:
        if r[0] is None:
            break
        out.append({str(h): v for h, v in zip(header, r, strict=False) if h is not None})
    return out


def _ids(ws: Workspace, month: Month) -> dict[str, dict[str, Any]]:
    with open_ledger(ws) as ledger:
        prefill = progress_prefill(ledger.frames(str(month.previous)), month)
    return {p["project_name"]: p for rows in prefill.values() for p in rows}


@pytest.fixture
def ledgered(workspace: Workspace, ledger_url_for) -> Workspace:
    """The workspace with its ledger on SQLite and on PostgreSQL."""
    return ledger_url_for(workspace)


@pytest.fixture
def year(ledgered: Workspace) -> dict[str, str]:
    """March: C01 and D01 report the same project (C01 first), D01 a foreign one, LD a small one.
    The bureau marks C01's report 重复 of D01's. April: D01's project signs and starts, the
    foreign one signs with 120 万美元 arrived, LD's signs. Returns the project ids by role."""
    ws = ledgered
    make_file(ws, "C01", MAR, rows={"leads": [lead("年产5万吨果蔬深加工项目", "苏州恒瑞食品有限公司", "李秀英",
                                                   dt.date(2024, 3, 8), 3000, fixed_assets=2000, stage="意向")]})
    make_file(ws, "D01", MAR, rows={"leads": [
        lead("年产5万吨果蔬深加工项目", "恒瑞食品(苏州)有限责任公司", "张伟", dt.date(2024, 3, 12), 3000,
             fixed_assets=2000, stage="意向"),
        lead("精密模具外资项目", "新加坡丰益模具私人有限公司", "张伟", dt.date(2024, 3, 15), 8000, fixed_assets=6000,
             funding="外资", foreign_registered=800, stage="意向"),
    ]})
    make_file(ws, "LD", MAR, rows={"leads": [lead("新型建材生产项目", "常州宏丰建材有限公司", "王建国",
                                                  dt.date(2024, 3, 20), 800, fixed_assets=600, stage="意向")]})
    consolidate_month(ws, ws.root / str(MAR), MAR, today=dt.date(2024, 4, 3))
    with open_ledger(ws) as ledger, ledger.engine.connect() as conn:
        ids = {(r.unit_code, r.name[:4]): r.id for r in conn.execute(select(t.projects))}
    roles = {"first": ids["C01", "年产5万"], "main": ids["D01", "年产5万"], "foreign": ids["D01", "精密模具"],
             "leader": ids["LD", "新型建材"]}
    with open_ledger(ws) as ledger:
        ledger.apply_screening([{"project_id": roles["first"], "verdict": "重复", "duplicate_of": roles["main"],
                                 "tracker": None, "source_row": 4}], "线索甄别.xlsx", dt.date(2024, 4, 2))
    known = _ids(ws, APR)
    d01 = tuple(p for p in known.values() if p["project_id"] in (roles["main"], roles["foreign"]))
    make_file(ws, "D01", APR, projects=d01, rows={"progress": [
        {"project_id": roles["main"], "stage": "开工", "signed_on": dt.date(2024, 4, 2),
         "started_on": dt.date(2024, 4, 20), "fixed_assets_actual": 2350, "expenses": 3000},
        {"project_id": roles["foreign"], "stage": "签约", "signed_on": dt.date(2024, 4, 15), "foreign_arrived": 120},
    ]})
    ld = tuple(p for p in known.values() if p["project_id"] == roles["leader"])
    make_file(ws, "LD", APR, projects=ld, rows={"progress": [
        {"project_id": roles["leader"], "stage": "签约", "signed_on": dt.date(2024, 4, 18)}]})
    c01 = tuple(p for p in known.values() if p["project_id"] == roles["first"])
    make_file(ws, "C01", APR, projects=c01)
    consolidate_month(ws, ws.root / str(APR), APR, today=dt.date(2024, 5, 3))
    return roles


def write_taxes(ws: Workspace, rows: list[dict[str, Any]], year: int = 2024) -> Path:
    wb = build_tax_template(ws.config, year, rows)
    path = ws.root / schema.TAX_FILE
    return write_atomic(path, lambda tmp: wb.save(tmp))


def _ledger(ws: Workspace) -> dict[str, list[tuple[str, ...]]]:
    engine = create_engine(ledger_url(ws))
    with engine.connect() as conn:
        out = {table.name: sorted(tuple(str(v) for v in row) for row in conn.execute(select(table)))
               for table in t.metadata.sorted_tables}
    engine.dispose()
    return out


def test_every_kind_of_reward_and_penalty_by_hand(ledgered: Workspace, year: dict[str, str], run) -> None:
    ws = ledgered
    write_taxes(ws, [{"project_id": year["main"], "project_name": "年产5万吨果蔬深加工项目", "year": 2024,
                      "zone_tax": Decimal("86.4")}])
    before = _ledger(ws)
    result = run(["annual", "2024", "-w", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert _ledger(ws) == before, "an estimate must not change the ledger"
    path = ws.output_dir / "2024_年终考核.xlsx"
    assert load_workbook(path).sheetnames == list(SHEETS)

    info = {r[PID]: r for r in read_sheet(path, "信息奖", MONEY_KEYS["信息奖"])}
    # C01 reported the project first (03-08, D01 on 03-12): its provider is paid, by D01's signing.
    assert info[year["main"]]["信息提供人"] == "李秀英"
    assert info[year["main"]]["登记单位"] == "C01 东湖村"
    assert info[year["main"]]["奖励金额(元)"] == 3000.00  # fixed assets 2000 万元: (1000, 3000] band
    assert "首报：C01 2024-03-08" in info[year["main"]]["计算依据"]
    assert info[year["foreign"]]["奖励金额(元)"] == 25560.00  # 0.3% × 120 万美元 × 10,000 × 7.10
    assert "0.3% × 120万美元 × 10,000 × 汇率 7.10 = 25,560.00元" in info[year["foreign"]]["计算依据"]
    assert info[year["leader"]]["奖励金额(元)"] == 1000.00
    assert year["first"] not in info  # the duplicate report is not paid twice

    intro = read_sheet(path, "引进项目奖", MONEY_KEYS["引进项目奖"])
    assert [(r[PID], r["结算次序"], r["应计奖金(元)"], r["冲销招商费用(元)"], r["应发金额(元)"]) for r in intro] == [
        (year["main"], 1, 117500.00, 3000.00, 114500.00)]
    assert intro[0]["计算依据"] == ("开工当年第一次结算：0.5% × 2,350.00万元 = 117,500.00元，冲销招商费用 3,000.00元，"
                                "应发 114,500.00元")
    assert intro[0]["招引单位"] == "D01 招商局"
    assert "D01_招商局_2024-03.xlsx" in intro[0]["来源"]

    tax = read_sheet(path, "财税分成奖", MONEY_KEYS["财税分成奖"])
    assert [(r[PID], r["税收年度"], r["开发区实得税收(万元)"], r["分成比例"], r["奖励金额(元)"]) for r in tax] == [
        (year["main"], "2024", 86.4, 0.1, 86400.00)]

    deductions = {r["对象编码"]: r for r in read_sheet(path, "扣罚明细", MONEY_KEYS["扣罚明细"])}
    assert deductions["R001"]["扣罚金额(元)"] == 960.00  # 区领导: 800 / 1000 工业 → 4800 × 0.2
    assert "R003" not in deductions  # 中层 张伟 introduced a 3000 万元 工业 project (target 500)
    assert deductions["C01"]["扣罚金额(元)"] == 10000.00  # nothing signed: 2000 × 1 × 5 village cadres
    # D01: (11000/20000 + 2/5) / 2 = 0.475 → 3500 × 0.525 = 1837.50 per person × 12
    assert deductions["D01"]["扣罚金额(元)"] == 22050.00
    assert deductions["D01"]["完成率"] == pytest.approx(0.475)
    assert "LD" not in deductions  # the leadership has no unit target

    veto = read_sheet(path, "一票否决及诫勉", ["单位编码", "一票否决", "诫勉谈话"])
    assert [(r["单位编码"], r["一票否决"], r["诫勉谈话"]) for r in veto] == [("D01", "是", "是")]
    honours = read_sheet(path, "表彰建议", ["对象编码", "对象名称", "对象类型", "理由"])
    assert [r["对象编码"] for r in honours if r["对象类型"] != "信息提供人"] == ["R003"]
    # individuals as well as units: every provider whose information led to a signing (信息奖 paid)
    info = read_sheet(path, "信息奖", MONEY_KEYS["信息奖"])
    paid = sorted({r["信息提供人"] for r in info if r["奖励金额(元)"]})
    assert sorted(r["对象名称"] for r in honours if r["对象类型"] == "信息提供人") == paid and paid
    assert "表现突出" in " ".join(str(c) for row in __import__("openpyxl").load_workbook(path)["表彰建议"].iter_rows(
        values_only=True) for c in row if c)
    units = {r["单位编码"]: r for r in read_sheet(path, "单位考核", ["单位编码", "完成率"])}
    assert units["D01"]["签约项目数"] == 2 and units["D01"]["签约引资额(万元)"] == 11000

    summary = {(r["对象类型"], r["对象名称"]): r for r in read_sheet(path, "汇总", ["对象类型", "对象名称"])}
    assert summary["单位", "招商局"]["奖励合计(元)"] == 114500.00 + 86400.00
    assert summary["单位", "招商局"]["扣罚合计(元)"] == 22050.00
    assert summary["个人", "张伟"]["信息奖(元)"] == 25560.00
    assert summary["个人", "李秀英"]["信息奖(元)"] == 3000.00
    # the money columns carry the 元 format, completion rates a percent
    ws_info = load_workbook(path)["信息奖"]
    amount = next(c for c in ws_info[4] if c.value == "奖励金额(元)").column
    assert ws_info.cell(5, amount).number_format == "#,##0.00"
    assert load_workbook(path)["扣罚明细"].cell(5, 5).number_format == "0.0%"


def test_finalize_records_once_and_a_later_year_settles_the_rest(ledgered: Workspace, year: dict[str, str],
                                                                 run) -> None:
    ws = ledgered
    write_taxes(ws, [{"project_id": year["main"], "year": 2024, "zone_tax": Decimal("86.4")}])
    first = run(["annual", "2024", "--finalize", "-w", str(ws.root)])
    assert first.exit_code == 0, first.output
    assert "本次记入台账 5 笔" in first.output
    ledger = _ledger(ws)
    assert len(ledger["settlements"]) == 5 and len(ledger["taxes"]) == 1
    # each settlement keeps the numbers it was computed on, not only the prose
    engine = create_engine(ledger_url(ws))
    with engine.connect() as conn:
        stored = {(r.project_id, r.kind): r for r in conn.execute(select(t.settlements))}
    engine.dispose()
    main_intro = stored[year["main"], "intro"]
    assert (Decimal(main_intro.base), main_intro.base_unit, Decimal(main_intro.rate)) == (
        Decimal("2350.00"), "万元", Decimal("0.005"))
    assert Decimal(main_intro.gross) == Decimal(main_intro.rate) * Decimal(main_intro.base) * 10000
    main_tax = stored[year["main"], "tax_share"]
    assert (Decimal(main_tax.base), Decimal(main_tax.rate)) == (Decimal("86.4"), Decimal("0.10"))
    foreign = stored[year["foreign"], "info"]
    assert (Decimal(foreign.base), foreign.base_unit, Decimal(foreign.rate)) == (Decimal(120), "万美元",
                                                                                  Decimal("0.003"))
    domestic = stored[year["main"], "info"]
    assert (Decimal(domestic.base), domestic.base_unit, domestic.rate) == (Decimal(2000), "万元", None)
    again = run(["annual", "2024", "--finalize", "-w", str(ws.root)])
    assert "本次记入台账 0 笔" in again.output
    assert _ledger(ws)["settlements"] == ledger["settlements"]
    path = ws.output_dir / "2024_年终考核.xlsx"
    intro = read_sheet(path, "引进项目奖", MONEY_KEYS["引进项目奖"])
    assert intro[0]["应发金额(元)"] == 114500.00 and intro[0]["状态"] == "已结算（2024年）"

    # 2025: the project is completed at 4,000 万元, 80 more 万美元 arrive, the second tax year
    jun = Month(2025, 6)
    known = _ids(ws, jun)
    d01 = tuple(p for p in known.values() if p["project_id"] in (year["main"], year["foreign"]))
    make_file(ws, "D01", jun, projects=d01, rows={"progress": [
        {"project_id": year["main"], "stage": "竣工", "completed_on": dt.date(2025, 6, 20),
         "fixed_assets_actual": 4000, "expenses": 3000},
        {"project_id": year["foreign"], "stage": "签约", "foreign_arrived": 200},
    ]})
    consolidate_month(ws, ws.root / str(jun), jun, today=dt.date(2025, 7, 3))
    write_taxes(ws, [{"project_id": year["main"], "year": 2025, "zone_tax": Decimal(100)}], year=2025)
    later = run(["annual", "2025", "--finalize", "-w", str(ws.root)])
    assert later.exit_code == 0, later.output
    path = ws.output_dir / "2025_年终考核.xlsx"
    intro = read_sheet(path, "引进项目奖", MONEY_KEYS["引进项目奖"])
    assert [(r["结算次序"], r["应计奖金(元)"], r["冲销招商费用(元)"], r["应发金额(元)"]) for r in intro] == [
        (2, 82500.00, 0.0, 82500.00)]  # 0.5% × 4,000 × 10,000 − 117,500; the expenses were offset in 2024
    info = {r[PID]: r["奖励金额(元)"] for r in read_sheet(path, "信息奖", MONEY_KEYS["信息奖"])}
    assert info == {year["foreign"]: 17040.00}  # 0.3% × 80 万美元 × 10,000 × 7.10; 2024's rewards not again
    tax = read_sheet(path, "财税分成奖", MONEY_KEYS["财税分成奖"])
    assert [(r["税收年度"], r["奖励金额(元)"]) for r in tax] == [("2025", 100000.00)]
    assert len(_ledger(ws)["taxes"]) == 2  # 2024's tax rows kept when the 2025 workbook is stored
    # 2024 again after 2025 was settled: the same figures, all marked settled, nothing recorded
    replay = run(["annual", "2024", "--finalize", "-w", str(ws.root)])
    assert "本次记入台账 0 笔" in replay.output


def test_tax_workbook_round_trip_with_validation_and_receipt(ledgered: Workspace, year: dict[str, str],
                                                           run) -> None:
    ws = ledgered
    made, _ = write_workspace_tax_template(ws, 2024)
    wb = load_workbook(made)
    sheet = wb[schema.TAX.name]
    header = next(r for r in range(1, 6) if str(sheet.cell(r, 1).value).rstrip("*") == PID)
    a, b, c = header + 1, header + 2, header + 3
    assert [sheet.cell(r, 1).value for r in (a, b)] == [year["main"], None]  # only the started project
    sheet.cell(a, 4).value = "86.4万"
    sheet.cell(b, 1).value = "P2099-0001"  # not in the ledger
    sheet.cell(b, 3).value = 2024
    sheet.cell(b, 4).value = 10
    sheet.cell(c, 1).value = year["main"]  # the same project and year twice
    sheet.cell(c, 3).value = 2024
    sheet.cell(c, 4).value = 5
    wb.save(ws.root / schema.TAX_FILE)
    result = run(["annual", "2024", "-w", str(ws.root)])
    assert result.exit_code == 1  # rows were rejected
    assert "R10" in result.output and "R08" in result.output
    receipt = ws.output_dir / "回执" / "税收台账_回执.xlsx"
    issues = read_sheet(receipt, "校验结果", ["代码", "位置"])
    assert {(r["代码"], r["位置"].split("!")[-1]) for r in issues} >= {("R10", f"A{b}"), ("R08", f"A{c}"),
                                                                      ("R16", f"D{a}")}
    fills = load_workbook(receipt)[schema.TAX.name]
    assert fills[f"A{b}"].fill.fgColor.rgb.endswith("FFC7CE")
    tax = read_sheet(ws.output_dir / "2024_年终考核.xlsx", "财税分成奖", MONEY_KEYS["财税分成奖"])
    assert [(r[PID], r["奖励金额(元)"]) for r in tax] == [(year["main"], 86400.00)]


def test_blank_prefilled_tax_rows_are_not_errors(ledgered: Workspace, year: dict[str, str], run) -> None:
    write_taxes(ledgered, [{"project_id": year["main"], "project_name": "年产5万吨果蔬深加工项目", "year": 2024}])
    result = run(["annual", "2024", "-w", str(ledgered.root)])
    assert result.exit_code == 0, result.output
    assert "税收台账：" not in result.output
    assert "财税分成奖：0 笔" in result.output


def test_annual_help_and_bad_year(workspace: Workspace, run) -> None:
    assert "例：" in run(["annual", "--help"]).output
    bad = run(["annual", "24", "-w", str(workspace.root)])
    assert bad.exit_code == 2 and "四位年份" in bad.output
