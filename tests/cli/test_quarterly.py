"""一季一评比 and 半年一小结 (SPEC §10.3, §11): a hand-made quarter whose scores and ranks are
worked out here, ties, a unit without targets, weights from zsxls.toml, partial periods, and
the workbooks read back."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.cli.test_annual import read_sheet
from tests.factory import contact, lead, make_file
from zhaoshang_xls import schema
from zhaoshang_xls.compute.quarterly import competition_ranks
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.periods import Month, parse_span
from zhaoshang_xls.reports.quarterly import HALF_SHEETS, QUARTER_SHEETS
from zhaoshang_xls.reports.templates import build_roster_template
from zhaoshang_xls.usecases.month import consolidate_month
from zhaoshang_xls.workspace import Workspace, open_workspace

FEB, MAR = Month(2024, 2), Month(2024, 3)
RANK_KEYS = ["评比分组", "名次", "单位编码", "单位名称", "总分", "得分说明"]
UNITS = (
    {"unit_code": "LD", "unit_name": "区领导班子", "unit_type": "区领导", "group": "区领导"},
    *({"unit_code": f"C0{i}", "unit_name": name, "unit_type": "村", "group": "村", "target_amount": amount,
       "target_projects": 1, "village_cadres": 5} for i, (name, amount) in enumerate(
        (("东湖村", 4000), ("西塘村", 2000), ("南庄村", 2000), ("北港村", 2000), ("桥头村", 2000)), start=1)),
    {"unit_code": "D01", "unit_name": "综合办公室", "unit_type": "部门", "group": "部门", "headcount": 8},
)
CADRES = tuple({"cadre_code": f"R{i:03d}", "name": name, "unit_code": code, "rank": "一般", "full_time": "是"}
               for i, (name, code) in enumerate((("王建国", "LD"), ("李一", "C01"), ("李二", "C02"), ("李三", "C03"),
                                                 ("李四", "C04"), ("李五", "C05"), ("张伟", "D01")), start=1))


def _contacts(cadre: str, month: Month, n: int, tag: str) -> list[dict[str, Any]]:
    return [contact(dt.date(month.year, month.month, 10 + i), cadre, f"客商{tag}{month.month}{i}",
                    f"{tag}{month.month}{i}号实业有限公司") for i in range(n)]


def _leads(provider: str, month: Month, n: int, tag: str) -> list[dict[str, Any]]:
    return [lead(f"{tag}{month.month}月第{i}个项目", f"{tag}投资{month.month}{i}有限公司", provider,
                 dt.date(month.year, month.month, 12), 300) for i in range(n)]


def _month(ws: Workspace, code: str, cadre: str, month: Month, contacts: int, leads: int,
           extra: list[dict[str, Any]] = (), **kwargs: Any) -> None:
    make_file(ws, code, month, rows={"contacts": _contacts(cadre, month, contacts, code),
                                     "leads": [*_leads(cadre, month, leads, code), *extra]}, **kwargs)


@pytest.fixture
def quarter(workspace: Workspace) -> Workspace:
    """Q1 2024 (assessed months Feb and Mar):
    C01 meets everything, and reports in Feb a 600 万元 农副产品深加工 project already signed;
    C02 sends nothing in March; C03's February file is late; C04 and C05 send the same counts;
    D01 has no targets; LD sends nothing."""
    ws = workspace
    write_atomic(ws.roster_path, lambda tmp: build_roster_template(UNITS, CADRES).save(tmp))
    signed = lead("年产2万吨果蔬罐头项目", "苏州恒瑞食品有限公司", "李一", dt.date(2024, 2, 20), 600,
                  stage="签约", signed_on=dt.date(2024, 2, 26), subsector="农副产品深加工", fixed_assets=400)
    _month(ws, "C01", "李一", FEB, 5, 1, [signed])
    _month(ws, "C01", "李一", MAR, 5, 2)
    _month(ws, "C02", "李二", FEB, 5, 2)
    _month(ws, "C03", "李三", FEB, 3, 1, reported_on=dt.date(2024, 3, 9))
    _month(ws, "C03", "李三", MAR, 3, 1)
    for code, name in (("C04", "李四"), ("C05", "李五")):
        _month(ws, code, name, FEB, 3, 1)
        _month(ws, code, name, MAR, 2, 1)
    _month(ws, "D01", "张伟", FEB, 5, 2)
    _month(ws, "D01", "张伟", MAR, 5, 2)
    return ws


def _consolidate(ws: Workspace, *months: Month) -> None:
    for m in months:
        consolidate_month(ws, ws.root / str(m), m, today=m.due_date(20))


def test_competition_ranking() -> None:
    assert competition_ranks([9, 7, 7, 5, 5, 5, 1]) == [1, 2, 2, 4, 4, 4, 7]


def test_quarter_scores_and_ranks_by_hand(quarter: Workspace, run) -> None:
    result = run(["quarterly", "2024Q1", "-w", str(quarter.root)])  # loads Feb and Mar itself
    assert result.exit_code == 0, result.output
    path = quarter.output_dir / "2024Q1_一季一评比.xlsx"
    assert load_workbook(path).sheetnames == list(QUARTER_SHEETS)
    rows = {r["单位编码"]: r for r in read_sheet(path, "排名", RANK_KEYS)}
    # C01: 客商 10/10 → 20; 信息 4/4 → 20 (the signed lead is a lead too); 引资 600 / (4000 × 1/4) → 40 × 0.6 = 24;
    # 推进 1 project signed in the quarter → 5; 主导产业 +2 → 71
    assert rows["C01"]["总分"] == 71.0
    assert rows["C01"]["得分说明"] == ("客商 10/10 → 20.0；信息 4/4 → 20.0；引资 600/1,000万元 → 24.0；"
                                   "推进 1 个 → 5.0；主导产业 1 个 +2.0；合计 71.0")
    # C02: 客商 5/10 → 10; 信息 2/4 → 10; March missing → −5 → 15
    assert rows["C02"]["总分"] == 15.0 and "缺报 1 次 −5.0" in rows["C02"]["得分说明"]
    # C03: 客商 6/10 → 12; 信息 2/4 → 10; late once → −2 → 20
    assert rows["C03"]["总分"] == 20.0 and "迟报 1 次 −2.0" in rows["C03"]["得分说明"]
    # C04, C05: 客商 5/10 → 10; 信息 2/4 → 10 → 20, tied with C03 on points and investment; C03 met more
    assert rows["C04"]["总分"] == rows["C05"]["总分"] == 20.0
    ranks = {code: (r["名次"], r["标注"]) for code, r in rows.items() if r["评比分组"] == "村"}
    assert ranks == {"C01": (1, "表彰"), "C03": (2, "表彰"), "C04": (3, "表彰"), "C05": (3, "表彰"), "C02": (5, None)}
    # D01 has no targets: 40 of the 60 points that apply, scaled to 100 → 66.7
    assert rows["D01"]["总分"] == 66.7 and "无引资目标" in rows["D01"]["得分说明"]
    assert rows["D01"]["引资得分"] is None
    # LD sent nothing: two missing months
    assert rows["LD"]["总分"] == -10.0
    cadres = read_sheet(path, "个人排名", ["名次", "姓名", "总分"])
    assert (cadres[0]["姓名"], cadres[0]["总分"]) == ("李一", 45.0)  # 20 + 20 + 5 (the project moved)


def test_workbook_has_chart_sparklines_and_components(quarter: Workspace, run) -> None:
    run(["quarterly", "2024Q1", "-w", str(quarter.root)])
    path = quarter.output_dir / "2024Q1_一季一评比.xlsx"
    wb = load_workbook(path)
    assert wb["得分构成"]._charts, "the stacked bar chart of score components"
    with zipfile.ZipFile(path) as z:
        sheets = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
        chart = z.read("xl/charts/chart1.xml").decode()
    trend = sheets[f"xl/worksheets/sheet{QUARTER_SHEETS.index('月度趋势') + 1}.xml"]
    assert trend.count("<x14:sparkline>") == 2 * 7  # contacts and leads for each of the 7 units
    assert 'grouping val="stacked"' in chart and "得分构成" in chart
    trend_rows = {r["单位编码"]: r for r in read_sheet(path, "月度趋势", ["单位编码", "客商 2月"])}
    assert (trend_rows["C01"]["客商 2月"], trend_rows["C01"]["客商 3月"], trend_rows["C02"]["信息 3月"]) == (5, 5, 0)
    assert wb["排名"].cell(5, 8).number_format == "0.0"


def test_weights_from_the_configuration_change_the_result(quarter: Workspace, run) -> None:
    toml = quarter.root / "zsxls.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace("contacts_weight = 20", "contacts_weight = 40").replace(
        "investment_weight = 40", "investment_weight = 20").replace("top_marked = 3", "top_marked = 1").replace(
        "bottom_marked = 3", "bottom_marked = 1")
    toml.write_text(text, encoding="utf-8")
    result = run(["quarterly", "2024Q1", "-w", str(quarter.root)])
    assert result.exit_code == 0, result.output
    rows = {r["单位编码"]: r for r in read_sheet(quarter.output_dir / "2024Q1_一季一评比.xlsx", "排名", RANK_KEYS)}
    assert rows["C01"]["总分"] == 79.0  # 40 + 20 + 20 × 0.6 + 5 + 2
    assert rows["C02"]["总分"] == 25.0  # 40 × 0.5 + 10 − 5
    assert (rows["C01"]["标注"], rows["C02"]["标注"], rows["C03"]["标注"]) == ("表彰", "鞭策后进", None)


def test_partial_quarter_says_which_months_have_no_data(quarter: Workspace, run) -> None:
    for path in (quarter.root / str(MAR)).iterdir():
        path.unlink()
    (quarter.root / str(MAR)).rmdir()
    result = run(["quarterly", "2024Q1", "-w", str(quarter.root)])
    assert result.exit_code == 0, result.output
    assert "2024年3月 台账中没有数据" in result.output
    path = quarter.output_dir / "2024Q1_一季一评比.xlsx"
    period = load_workbook(path)["排名"].cell(2, 1).value
    assert "尚无数据的月份：2024年3月" in period
    rows = {r["单位编码"]: r for r in read_sheet(path, "排名", RANK_KEYS)}
    assert rows["C02"]["总分"] == 40.0  # 5/5 and 2/2 against February alone; March is not deducted


def test_half_year_summary_and_completion(quarter: Workspace, run) -> None:
    result = run(["halfyear", "2024H1", "-w", str(quarter.root)])
    assert result.exit_code == 0, result.output
    path = quarter.output_dir / "2024H1_半年小结.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == list(HALF_SHEETS)
    summary = next(c.value for row in wb["总览"].iter_rows() for c in row
                   if isinstance(c.value, str) and c.value.startswith("上半年全区"))
    # contacts 10 + 5 + 6 + 5 + 5 + 10 = 41; leads 4 + 2 + 2 + 2 + 2 + 4 = 16; one project of 600 万元 signed
    assert summary.startswith("上半年全区共结交客商 41 人次，报送项目信息 16 条，"
                              "新签约项目 1 个，计划总投资 600.00 万元")
    # C01: 600/4000 = 15% and 1/1 = 100% → 57.5% ≥ 50%; every other village signed nothing
    assert "西塘村、南庄村、北港村、桥头村等 4 个单位进度滞后" in summary
    assert "4月、2024年5月、2024年6月" in summary and "尚无数据" in summary
    completion = {r["单位编码"]: r for r in read_sheet(path, "目标完成", ["单位编码", "综合完成率", "进度"])}
    assert completion["C01"]["综合完成率"] == pytest.approx(0.575) and completion["C01"]["进度"] == "正常"
    assert completion["C02"]["进度"] == "滞后" and completion["D01"]["进度"] == "无目标"
    stages = {r[schema.LEADS.column("stage").name]: r for r in read_sheet(path, "项目分布", ["合计(个)"])}
    assert stages["签约"]["合计(个)"] == 1 and stages["信息"]["合计(个)"] == 15
    assert wb["项目分布"]._charts


def test_period_names_and_errors(workspace: Workspace, run) -> None:
    assert str(parse_span("2024年第二季度", "Q")) == "2024Q2" and str(parse_span("2024年下半年", "H")) == "2024H2"
    bad = run(["quarterly", "2024H1", "-w", str(workspace.root)])
    assert bad.exit_code == 2 and "2024Q1" in bad.output
    for command in ("quarterly", "halfyear"):
        assert "例：" in run([command, "--help"]).output


def test_scores_use_the_ledger_as_consolidated(quarter: Workspace) -> None:
    _consolidate(quarter, FEB, MAR)
    from zhaoshang_xls.usecases.rankings import run_quarterly

    ranked = run_quarterly(open_workspace(quarter.root), parse_span("2024Q1", "Q"))
    scores, path = ranked.scores, ranked.path
    assert path == quarter.output_dir / "2024Q1_一季一评比.xlsx"
    assert [str(m) for m in scores.months] == ["2024-02", "2024-03"] and scores.months_without_data == []
    assert Path(path).exists()


def test_samples_quarter_and_half_year(samples: Workspace, run) -> None:
    result = run(["quarterly", "2024Q1", "-w", str(samples.root)])
    assert result.exit_code == 0, result.output
    rows = read_sheet(samples.output_dir / "2024Q1_一季一评比.xlsx", "排名", RANK_KEYS)
    assert len(rows) == 33 and {r["评比分组"] for r in rows} == {"区领导", "村", "部门"}
    assert all(r["得分说明"].endswith(f"合计 {r['总分']:.1f}") for r in rows)
    marks = [r["标注"] for r in rows if r["评比分组"] == "村"]
    assert marks.count("鞭策后进") == 3 and marks.count("表彰") >= 3
    half = run(["halfyear", "2024H1", "-w", str(samples.root)])
    assert half.exit_code == 0 and half.output.startswith("台账中没有 2024年4月，已先汇总")
    assert "上半年全区共结交客商" in half.output
