"""Money at its edges, month by month through the CLI (docs/rules.md, 信息奖, 引进项目奖, 财税分成奖).

- foreign 信息奖 pays each 万美元 once: cumulative arrivals 100 → 80 → 120 pay on 100, 0, 20;
- a 区领导班子 project: 引进项目奖 to its 招引责任人 by name, no 财税分成奖;
- 首报 ties break on the received date (填报日期 here), never on the files' times.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cli.test_annual import MONEY_KEYS, PID, read_sheet, write_taxes
from tests.factory import contact, lead, make_file
from zhaoshang_xls import schema
from zhaoshang_xls.compute.projects import progress_prefill
from zhaoshang_xls.compute.rewards import foreign_due, info_reward_foreign
from zhaoshang_xls.config import DEFAULT
from zhaoshang_xls.ledger import open_ledger
from zhaoshang_xls.periods import Month
from zhaoshang_xls.workspace import Workspace

D = Decimal


def _known(ws: Workspace, month: Month) -> dict[str, dict[str, Any]]:
    with open_ledger(ws) as ledger:
        prefill = progress_prefill(ledger.frames(str(month.previous)), month)
    return {p["project_name"]: p for rows in prefill.values() for p in rows}


def _consolidate(run, ws: Workspace, month: Month) -> None:
    result = run(["consolidate", str(ws.root / str(month))], cwd=ws.root)
    assert result.exit_code == 0, result.output


def _annual(run, ws: Workspace, year: int, *extra: str) -> Path:
    result = run(["annual", str(year), *extra], cwd=ws.root)
    assert result.exit_code == 0, result.output
    return ws.root / "输出" / f"{year}_年终考核.xlsx"


def test_foreign_information_reward_pays_each_ten_thousand_dollars_once(workspace: Workspace, run) -> None:
    ws = workspace
    mar = Month(2024, 3)
    make_file(ws, "D01", mar, rows={"leads": [lead("精密模具外资项目", "新加坡丰益模具私人有限公司", "张伟",
                                                   dt.date(2024, 3, 15), 8000, fixed_assets=6000, funding="外资",
                                                   foreign_registered=800, stage="意向")]})
    _consolidate(run, ws, mar)
    signed = {"stage": "签约", "signed_on": dt.date(2024, 4, 15)}
    paid = []
    for year, cumulative in ((2024, 100), (2025, 80), (2026, 120)):
        month = Month(year, 4)
        [project] = _known(ws, month).values()
        make_file(ws, "D01", month, projects=(project,), rows={"progress": [
            {"project_id": project["project_id"], **signed, "foreign_arrived": cumulative}]})
        _consolidate(run, ws, month)
        lines = read_sheet(_annual(run, ws, year, "--finalize"), "信息奖", MONEY_KEYS["信息奖"])
        paid.append(sum(D(str(r["奖励金额(元)"])) for r in lines))
        if year == 2026:
            assert "累计到账 120.00万美元，此前已计奖 100.00万美元，本年计奖 20.00万美元" in lines[0]["计算依据"]
    # 0.003 × 10,000 × 7.10 = 213 元 per 万美元: 100 → 21,300; 80 → nothing; 120 → 20 more: 4,260
    assert paid == [D("21300"), D("0"), D("4260")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=6))
def test_foreign_reward_total_is_the_rate_on_the_highest_cumulative_amount(arrivals: list[int]) -> None:
    cumulative = {2024 + i: D(a) for i, a in enumerate(arrivals)}
    total = D(0)
    for year in cumulative:
        reward = info_reward_foreign(foreign_due(cumulative, 2024, year).due, DEFAULT.reward.info, year)
        total += reward.amount if reward else D(0)
    assert total == D(213) * max(arrivals)


def test_arrivals_before_the_year_of_success_are_paid_in_that_year() -> None:
    due = foreign_due({2023: D(50), 2024: D(70)}, 2024, 2024)
    assert (due.due, due.paid_on, due.cumulative) == (D(70), D(0), D(70))


def test_a_leadership_project_pays_its_introducer_and_shares_no_tax(workspace: Workspace, run) -> None:
    ws = workspace
    mar, apr = Month(2024, 3), Month(2024, 4)
    make_file(ws, "LD", mar, rows={"leads": [lead("新型建材生产项目", "常州宏丰建材有限公司", "王建国",
                                                  dt.date(2024, 3, 20), 800, fixed_assets=600, stage="意向")]})
    _consolidate(run, ws, mar)
    [project] = _known(ws, apr).values()
    make_file(ws, "LD", apr, projects=(project,), rows={"progress": [
        {"project_id": project["project_id"], "stage": "开工", "signed_on": dt.date(2024, 4, 2),
         "started_on": dt.date(2024, 4, 20), "fixed_assets_actual": 600}]})
    _consolidate(run, ws, apr)
    write_taxes(ws, [{"project_id": project["project_id"], "project_name": project["project_name"],
                      "zone_tax": 10}])
    result = run(["annual", "2024"], cwd=ws.root)
    assert result.exit_code == 0, result.output
    assert "按政策只有村和单位部门招引的项目计财税分成奖" in result.output
    path = ws.root / "输出" / "2024_年终考核.xlsx"
    [intro] = read_sheet(path, "引进项目奖", MONEY_KEYS["引进项目奖"])
    assert intro["应发金额(元)"] == 30000  # 0.5% × 600 万元
    assert "奖励发给招引责任人 王建国" in intro["计算依据"]
    assert read_sheet(path, "财税分成奖", MONEY_KEYS["财税分成奖"]) == []
    summary = {(r["对象类型"], r["对象名称"]): r for r in read_sheet(path, "汇总", ["对象类型", "对象名称"])}
    assert summary["个人", "王建国"]["引进项目奖(元)"] == 30000
    assert ("单位", "区领导班子") not in summary or not summary["单位", "区领导班子"]["引进项目奖(元)"]


def test_first_report_ties_break_on_the_received_date_not_on_file_times(workspace: Workspace, run,
                                                                      tmp_path: Path) -> None:
    ws = workspace
    mar, apr = Month(2024, 3), Month(2024, 4)
    same_day = dt.date(2024, 3, 8)
    c01 = make_file(ws, "C01", mar, reported_on=dt.date(2024, 4, 2), rows={"leads": [
        lead("年产5万吨果蔬深加工项目", "苏州恒瑞食品有限公司", "李秀英", same_day, 3000, fixed_assets=2000)]})
    d01 = make_file(ws, "D01", mar, reported_on=dt.date(2024, 4, 1), rows={"leads": [
        lead("年产5万吨果蔬深加工项目", "恒瑞食品(苏州)有限责任公司", "张伟", same_day, 3000, fixed_assets=2000)]})
    os.utime(c01, (1_700_000_000, 1_700_000_000))  # C01's file looks older: its time must not matter
    os.utime(d01, (1_800_000_000, 1_800_000_000))
    _consolidate(run, ws, mar)
    screening = ws.root / "输出" / "2024-03_线索甄别.xlsx"
    from openpyxl import load_workbook

    wb = load_workbook(screening)
    sheet = wb["线索甄别"]
    header = [c.value for c in sheet[2]]
    rows = [r for r in sheet.iter_rows(min_row=3) if r[0].value]
    by_unit = {r[header.index("报送单位")].value.split()[0]: r for r in rows}
    hint = by_unit["C01"][header.index("疑似重复")].value or by_unit["D01"][header.index("疑似重复")].value
    assert hint, "R14 links the two reports"
    receipts = ws.root / "输出" / "回执" / "2024-03"
    texts = [str(c) for name in ("C01_回执.xlsx", "D01_回执.xlsx")
             for row in load_workbook(receipts / name)["校验结果"].iter_rows(values_only=True) for c in row if c]
    assert any("信息提供日期相同或不详" in t for t in texts) and not any("日期日期" in t for t in texts)
    kept, repeat = by_unit["D01"][0].value, by_unit["C01"][0].value
    by_unit["C01"][header.index("甄别结论")].value = "重复"
    by_unit["C01"][header.index("重复于")].value = kept
    by_unit["D01"][header.index("甄别结论")].value = "有效"
    wb.save(screening)
    assert run(["screen", str(screening)], cwd=ws.root).exit_code == 0
    project = _known(ws, apr)["年产5万吨果蔬深加工项目"]
    assert project["project_id"] in (kept, repeat)
    [d01_project] = [p for p in _known(ws, apr).values() if p["project_id"] == kept]
    make_file(ws, "D01", apr, projects=(d01_project,), rows={"progress": [
        {"project_id": kept, "stage": "签约", "signed_on": dt.date(2024, 4, 10)}]})
    _consolidate(run, ws, apr)

    def payee(root: Path) -> str:
        result = run(["annual", "2024", "-w", str(root)], cwd=root)
        assert result.exit_code == 0, result.output
        [info] = read_sheet(root / "输出" / "2024_年终考核.xlsx", "信息奖", MONEY_KEYS["信息奖"])
        assert "首报：D01 2024-03-08" in info["计算依据"] and info[PID] == kept
        return str(info["信息提供人"])

    assert payee(ws.root) == "张伟"  # same day: D01's file was received first (填报日期 04-01)
    copy = tmp_path / "copy"
    shutil.copytree(ws.root, copy)  # every file time changes; who is paid must not
    for path in (copy / "2024-03").iterdir():
        os.utime(path, None)
    assert payee(copy) == "张伟"


def _late_signing(ws: Workspace, run) -> str:
    """A lead of 2024-03 signed (and started) in December 2024, but first reported so in 2025-02."""
    mar = Month(2024, 3)
    make_file(ws, "D01", mar, rows={"leads": [lead("智能装备产业园项目", "无锡华辰智能装备有限公司", "张伟",
                                                   dt.date(2024, 3, 5), 3000, fixed_assets=2000, stage="意向")]})
    _consolidate(run, ws, mar)
    return str(next(iter(_known(ws, Month(2025, 2)).values()))["project_id"])


def _report_late(ws: Workspace, run, pid: str) -> None:
    feb = Month(2025, 2)
    project = next(p for p in _known(ws, feb).values() if p["project_id"] == pid)
    make_file(ws, "D01", feb, projects=(project,), rows={"progress": [
        {"project_id": pid, "stage": "开工", "signed_on": dt.date(2024, 12, 28), "started_on": dt.date(2024, 12, 30),
         "fixed_assets_actual": 600}]})
    _consolidate(run, ws, feb)


def test_a_fact_reported_late_counts_in_its_own_year(workspace: Workspace, run) -> None:
    ws = workspace
    pid = _late_signing(ws, run)
    assert read_sheet(_annual(run, ws, 2024), "信息奖", MONEY_KEYS["信息奖"]) == []
    _report_late(ws, run, pid)
    path = _annual(run, ws, 2024)  # 2024 not finalised yet: re-running it includes the late facts
    [info] = read_sheet(path, "信息奖", MONEY_KEYS["信息奖"])
    assert (info[PID], info["奖励金额(元)"]) == (pid, 3000) and "签约于 2024-12-28" in info["计算依据"]
    [intro] = read_sheet(path, "引进项目奖", MONEY_KEYS["引进项目奖"])
    assert intro["应发金额(元)"] == 30000  # 0.5% × 600 万元, the figure the late file reported
    units = {r["单位编码"]: r for r in read_sheet(path, "单位考核", ["单位编码", "完成率"])}
    assert units["D01"]["签约项目数"] == 1


def test_a_fact_reported_after_its_year_was_finalised_is_paid_once_later(workspace: Workspace, run) -> None:
    ws = workspace
    pid = _late_signing(ws, run)
    _annual(run, ws, 2024, "--finalize")  # nothing to pay yet
    _report_late(ws, run, pid)
    first = _annual(run, ws, 2025, "--finalize")
    [info] = read_sheet(first, "信息奖", MONEY_KEYS["信息奖"])
    assert info["奖励金额(元)"] == 3000 and info["计算依据"].startswith("签约于 2024-12-28；补发：属 2024 年")
    [intro] = read_sheet(first, "引进项目奖", MONEY_KEYS["引进项目奖"])
    assert intro["应发金额(元)"] == 30000 and "补发：属 2024 年" in intro["计算依据"]
    again = _annual(run, ws, 2025)
    assert [r["奖励金额(元)"] for r in read_sheet(again, "信息奖", MONEY_KEYS["信息奖"])] == [3000]  # shown, settled
    _report_something(ws, 2026)
    later = _annual(run, ws, 2026)
    assert read_sheet(later, "信息奖", MONEY_KEYS["信息奖"]) == []  # never paid twice
    assert all(r["应发金额(元)"] == 0 for r in read_sheet(later, "引进项目奖", MONEY_KEYS["引进项目奖"]))


def test_a_lead_reported_signed_needs_its_date_and_the_basis_shows_it(workspace: Workspace, run) -> None:
    ws = workspace
    mar = Month(2024, 3)
    make_file(ws, "C01", mar, rows={"leads": [lead("冷链仓储项目", "苏州冷链物流有限公司", "李秀英",
                                                   dt.date(2024, 3, 5), 1200, fixed_assets=900, stage="签约")]})
    undated = run(["check", str(ws.root / "2024-03")], cwd=ws.root)
    assert "R12" in undated.output and "没有填写签约日期" in undated.output
    make_file(ws, "C01", mar, rows={"leads": [lead("冷链仓储项目", "苏州冷链物流有限公司", "李秀英",
                                                   dt.date(2024, 3, 5), 1200, fixed_assets=900, stage="签约",
                                                   signed_on=dt.date(2024, 3, 12))]})
    _consolidate(run, ws, mar)
    [info] = read_sheet(_annual(run, ws, 2024), "信息奖", MONEY_KEYS["信息奖"])
    assert info["计算依据"].startswith("签约于 2024-03-12；")  # the day the unit wrote, never 03-01


def test_a_day_no_file_gave_is_said_to_be_the_first_month() -> None:
    import pandas as pd

    from zhaoshang_xls.compute.annual import project_facts, reached_text
    from zhaoshang_xls.records import LedgerFrames

    project = {"id": "P2024-0001", "unit_code": "C01", "name": "冷链", "first_month": "2024-03", "stage": "签约",
               "funding": "内资", "sector": "工业", "total_investment": D(1200), "fixed_assets": D(900),
               "provider": "李秀英", "provided_on": dt.date(2024, 3, 5), "introducer": None, "submission_id": 1,
               "source_sheet": "项目信息", "source_row": 4}  # an older template: no 签约日期 column
    empty = pd.DataFrame(dtype=object)
    [facts] = project_facts(LedgerFrames(empty, empty, pd.DataFrame([project], dtype=object), empty, empty, empty),
                            2024)
    assert reached_text(facts, "签约") == "签约于 2024年3月（按首次报送月份计）"


def _report_something(ws: Workspace, year: int) -> None:
    """One March file of D01 (a year with no data at all is not assessed)."""
    march = Month(year, 3)
    make_file(ws, "D01", march, rows={"contacts": [contact(dt.date(year, 3, 5), "张伟", "钱七", "无锡精工有限公司")]})


def test_a_year_with_no_data_is_not_assessed_and_empty_months_are_named(workspace: Workspace, run) -> None:
    ws = workspace
    nothing = run(["annual", "2024"], cwd=ws.root)
    assert nothing.exit_code == 2 and "在台账中都没有数据" in nothing.stderr
    assert not (ws.root / "输出" / "2024_年终考核.xlsx").exists()  # no 141,300 元 of penalties on nothing
    _report_something(ws, 2024)
    result = run(["annual", "2024"], cwd=ws.root)
    assert result.exit_code == 0
    assert "2024年2月、2024年4月" in result.output
    assert "台账中没有数据，工作目录中也没有这些月份的文件夹" in result.output
    from openpyxl import load_workbook

    text = " ".join(str(c) for row in load_workbook(ws.root / "输出" / "2024_年终考核.xlsx")["汇总"].iter_rows(
        values_only=True) for c in row if c)
    assert "这些月份的报送和项目都没有计入" in text


def test_a_finalised_year_is_frozen_against_later_roster_edits(workspace: Workspace, run) -> None:
    from zhaoshang_xls.fileio import write_atomic
    from zhaoshang_xls.reports.templates import ROSTER_EXAMPLE_CADRES, ROSTER_EXAMPLE_UNITS, build_roster_template

    ws = workspace
    _report_something(ws, 2024)
    assert run(["annual", "2024", "--finalize"], cwd=ws.root).exit_code == 0

    def deductions(year: int) -> dict[str, Any]:
        rows = read_sheet(ws.root / "输出" / f"{year}_年终考核.xlsx", "扣罚明细", MONEY_KEYS["扣罚明细"])
        return {r["对象编码"]: r["扣罚金额(元)"] for r in rows}

    assert deductions(2024)["C01"] == 10000  # nothing signed: 2,000 × 5 village cadres
    units = [{**u, "target_amount": None, "target_projects": None} if u["unit_code"] == "C01" else u
             for u in ROSTER_EXAMPLE_UNITS]  # for 2025 the clerk drops C01's targets
    write_atomic(ws.roster_path, lambda tmp: build_roster_template(units, ROSTER_EXAMPLE_CADRES).save(tmp))
    again = run(["annual", "2024"], cwd=ws.root)
    assert again.exit_code == 0 and "2024 年已结算：完成率、目标和扣罚按结算时冻结的结果列示" in again.output
    assert deductions(2024)["C01"] == 10000  # 2024 keeps what was finalised
    _report_something(ws, 2025)
    assert run(["annual", "2025"], cwd=ws.root).exit_code == 0
    assert "C01" not in deductions(2025)  # the new roster applies to the years not finalised


def test_roster_targets_per_year(workspace: Workspace, run) -> None:
    """目标责任表 单位 rows with a 年度 hold that year's targets and people; the row without one, every other year."""
    from openpyxl import load_workbook

    from zhaoshang_xls.fileio import write_atomic
    from zhaoshang_xls.reports.templates import ROSTER_EXAMPLE_CADRES, ROSTER_EXAMPLE_UNITS, build_roster_template

    ws = workspace
    units = [*ROSTER_EXAMPLE_UNITS, {"unit_code": "C01", "unit_name": "东湖村", "unit_type": "村", "year": 2025,
                                     "target_amount": 6000, "target_projects": 3, "village_cadres": 6}]
    write_atomic(ws.roster_path, lambda tmp: build_roster_template(units, ROSTER_EXAMPLE_CADRES).save(tmp))

    def deduction(year: int) -> Any:
        assert run(["annual", str(year)], cwd=ws.root).exit_code == 0
        rows = read_sheet(ws.root / "输出" / f"{year}_年终考核.xlsx", "扣罚明细", MONEY_KEYS["扣罚明细"])
        return {r["对象编码"]: r["扣罚金额(元)"] for r in rows}["C01"]

    _report_something(ws, 2024)
    _report_something(ws, 2025)
    assert deduction(2024) == 10000  # nothing signed: 2,000 × 5 village cadres (the row without a 年度)
    assert deduction(2025) == 12000  # 2025's own row: 6 village cadres
    result = run(["template", "2025-04", "--unit", "C01"], cwd=ws.root)
    assert result.exit_code == 0, result.output
    [made] = (ws.root / "输出" / "模板" / "2025-04").glob("C01_*.xlsx")
    text = " ".join(str(c) for row in load_workbook(made)[schema.GUIDE_SHEET_NAME].iter_rows(values_only=True)
                    for c in row if c)
    assert "引资 6,000 万元" in text and "签约项目 3 个" in text
