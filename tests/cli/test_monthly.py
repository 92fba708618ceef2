"""SPEC §10.1 on a hand-made month, and the 一月一交流 workbook read back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.factory import contact, lead, make_file
from zhaoshang_xls.compute.monthly import monthly_figures
from zhaoshang_xls.ledger import open_ledger
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.usecases.month import consolidate_month

FEB, MAR = Month(2024, 2), Month(2024, 3)
D = dt.date


@pytest.fixture
def month(workspace):
    """The init workspace (LD 王建国, C01 李秀英, D01 张伟) with February and March filed by hand."""
    ws = workspace
    make_file(ws, "C01", FEB, rows={
        "contacts": [contact(D(2024, 2, 20), "李秀英", "甲", "一号公司"),
                     contact(D(2024, 2, 21), "李秀英", "乙", "二号公司")],
        "leads": [lead("二月项目", "二月公司", "李秀英", D(2024, 2, 22), 800)],
    })
    make_file(ws, "C01", MAR, rows={
        "contacts": [
            contact(D(2024, 3, 1), "李秀英", "赵一", "苏州(恒瑞)食品有限公司", phone="13900001111"),
            contact(D(2024, 3, 2), "李秀英", "钱二", "二号公司"),
            contact(D(2024, 3, 3), "李秀英", "孙三", "三号公司"),
            contact(D(2024, 3, 4), "李秀英", "李四", "四号公司"),
            contact(D(2024, 3, 5), "李秀英", "周五", "五号公司"),
            # the same investor again, company written with full-width brackets and a space: counted once
            contact(D(2024, 3, 9), "李秀英", "赵一", "苏州（恒瑞） 食品有限公司"),
        ],
        "leads": [lead("冷链物流中心", "=HYPERLINK(\"http://x\")", "李秀英", D(2024, 3, 6), "1,200万元",
                       fixed_assets=900),
                  lead("不锈钢管材", "恒瑞不锈钢有限公司", "李秀英", D(2024, 3, 7), Decimal("3000.50"), stage="签约",
                       signed_on=D(2024, 3, 12))],
    })
    make_file(ws, "D01", MAR, reported_on=D(2024, 4, 8), rows={
        "contacts": [contact(D(2024, 3, 10), "张伟", f"客商{i}", f"公司{i}") for i in range(3)],
    })
    consolidate_month(ws, ws.root / "2024-02", FEB, today=D(2024, 4, 10))
    result = consolidate_month(ws, ws.root / "2024-03", MAR, today=D(2024, 4, 10))
    return ws, result


def _figures(ws):
    with open_ledger(ws) as ledger:
        frames = ledger.frames("2024-03")
    roster, _ = load_roster(ws.roster_path, None)
    return monthly_figures(frames, roster, ws.config, MAR)


def test_unit_figures_written_by_hand(month) -> None:
    ws, _ = month
    units = _figures(ws).units.set_index("unit_code")
    c01, d01, ld = units.loc["C01"], units.loc["D01"], units.loc["LD"]
    assert (c01["status"], c01["contacts"], c01["leads"], c01["met"]) == ("已报送", 5, 2, True)
    assert (c01["contacts_ytd"], c01["contacts_ytd_target"], c01["leads_ytd"], c01["leads_ytd_target"]) == (7, 10, 3, 4)
    assert (d01["status"], d01["contacts"], d01["leads"], d01["met"]) == ("迟报", 3, 0, False)
    assert (ld["status"], ld["contacts"], ld["leads"], ld["met"]) == ("未报送", 0, 0, False)


def test_cadre_figures_and_totals(month) -> None:
    ws, _ = month
    figures = _figures(ws)
    cadres = figures.cadres.set_index("name")
    li = cadres.loc["李秀英"]
    assert (li["contacts"], li["leads"], li["met"]) == (5, 2, True)
    assert (cadres.loc["张伟", "contacts"], cadres.loc["张伟", "met"]) == (3, False)
    assert cadres.loc["王建国", "contacts"] == 0
    t = figures.totals
    assert (t.units_expected, t.units_reported, t.units_met, t.contacts, t.leads) == (3, 2, 1, 8, 2)
    assert t.new_investment == Decimal("4200.50")
    assert (t.signed, t.signed_investment) == (1, Decimal("3000.50"))
    assert figures.previous is not None
    assert (figures.previous.units_reported, figures.previous.contacts, figures.previous.leads) == (1, 2, 1)
    assert [m.month for m in figures.months_ytd] == [2, 3]
    assert set(figures.new_projects["name"]) == {"冷链物流中心", "不锈钢管材"}
    assert list(figures.events["event"]) == ["签约"]


def _sheet_rows(ws_sheet, header_key: str) -> tuple[list[str], list[tuple]]:
    """The header row (the first containing ``header_key``) and the data rows under it."""
    rows = list(ws_sheet.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if header_key in r)
    return list(rows[h]), [r for r in rows[h + 1:] if any(v is not None for v in r)]


def test_report_sheets_and_key_columns(month) -> None:
    ws, result = month
    path = ws.root / "输出" / "2024-03_一月一交流.xlsx"
    assert result.outputs[0] == path  # then the receipts
    wb = load_workbook(path)
    assert wb.sheetnames == ["总览", "单位完成情况", "个人完成情况", "新增项目信息", "项目台账", "需协调问题",
                             "未报送及问题", "数据来源"]
    header, rows = _sheet_rows(wb["单位完成情况"], "单位编码")
    assert {"单位编码", "单位名称", "类型", "报送状态", "本月客商结交", "客商目标", "本月信息报送", "信息目标",
            "本月达标", "累计客商结交", "累计信息报送"} <= set(header)
    by_code = {r[header.index("单位编码")]: dict(zip(header, r, strict=False)) for r in rows}
    assert (by_code["C01"]["本月客商结交"], by_code["C01"]["本月信息报送"], by_code["C01"]["本月达标"]) == (5, 2, "是")
    assert by_code["D01"]["报送状态"] == "迟报" and by_code["LD"]["报送状态"] == "未报送"
    header, rows = _sheet_rows(wb["个人完成情况"], "人员编码")
    assert {"人员编码", "姓名", "单位编码", "职级", "本月客商结交", "本月信息报送", "本月达标"} <= set(header)
    header, rows = _sheet_rows(wb["项目台账"], "项目编号")
    assert {"项目编号", "项目名称", "投资方", "招引单位", "项目阶段", "计划总投资(万元)", "来源"} <= set(header)
    ledger = {r[header.index("项目名称")]: dict(zip(header, r, strict=False)) for r in rows}
    assert ledger["冷链物流中心"]["计划总投资(万元)"] == 1200
    assert ledger["不锈钢管材"]["计划总投资(万元)"] == pytest.approx(3000.5)
    assert ledger["冷链物流中心"]["来源"] == "C01_东湖村_2024-03.xlsx 项目信息 第4行"


def test_report_formats_and_print_setup(month) -> None:
    ws, _ = month
    wb = load_workbook(ws.root / "输出" / "2024-03_一月一交流.xlsx")
    sheet = wb["项目台账"]
    header, _ = _sheet_rows(sheet, "项目编号")
    col = header.index("计划总投资(万元)") + 1
    assert sheet.cell(row=5, column=col).number_format == "#,##0.00"
    assert wb["单位完成情况"]["A1"].font.name == "宋体"
    for name in wb.sheetnames:
        s = wb[name]
        assert s.page_setup.paperSize == 9 and s.page_setup.orientation == "landscape"
        assert s.sheet_properties.pageSetUpPr.fitToPage
        assert s.page_setup.fitToWidth in (1, None) and s.page_setup.fitToHeight == 0  # 1 is the default
        assert "&P" in s.oddFooter.center.text
    units = wb["单位完成情况"]
    assert units.freeze_panes == "A5" and units.auto_filter.ref and units.print_title_rows == "$4:$4"
    assert len(units.conditional_formatting) >= 3
    overview = wb["总览"]
    assert overview._charts, "总览 has a chart"
    labels = [r[0] for r in overview.iter_rows(values_only=True) if r and r[0]]
    assert "结交客商(人次)" in labels


def test_user_text_is_never_a_formula_and_phones_are_masked(month) -> None:
    ws, _ = month
    wb = load_workbook(ws.root / "输出" / "2024-03_一月一交流.xlsx")
    found = False
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if cell.value == '=HYPERLINK("http://x")':
                    found = True
                    assert cell.quotePrefix
                assert not (isinstance(cell.value, str) and "13812345678" in cell.value)
    assert found
    header, rows = _sheet_rows(wb["数据来源"], "文件名")
    assert {r[header.index("联系电话")] for r in rows} == {"138****5678"}


def test_rerun_gives_the_same_report_content(month) -> None:
    from tests.helpers import workbook_content

    ws, _ = month
    path = ws.root / "输出" / "2024-03_一月一交流.xlsx"
    first = workbook_content(path)
    consolidate_month(ws, ws.root / "2024-03", MAR, today=D(2024, 4, 10))

    def without_time(content):
        return {k: v for k, v in content.items() if k != "sheets"} | {
            name: {**sheet, "cells": {c: v for c, v in sheet["cells"].items() if c != "A2"}}
            for name, sheet in content.items() if name != "sheets"}

    assert without_time(workbook_content(path)) == without_time(first)


def test_locked_report_is_a_clear_message_and_the_old_report_stays(month, run, monkeypatch) -> None:
    import os

    ws, _ = month
    path = ws.root / "输出" / "2024-03_一月一交流.xlsx"
    before = path.read_bytes()
    real_replace = os.replace

    def locked(src, dst):
        if str(dst).endswith("一月一交流.xlsx"):
            raise PermissionError(13, "locked")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    result = run(["consolidate", str(ws.root / "2024-03")])
    assert result.exit_code == 3  # the environment stopped it
    assert "正在 Excel/WPS 中打开" in result.stderr
    assert path.read_bytes() == before
    assert not [p.name for p in path.parent.iterdir() if p.name.startswith(".~")]


def test_sample_month_report_builds(tmp_path: Path) -> None:

    from tests.helpers import copy_samples
    from zhaoshang_xls.workspace import open_workspace

    root = copy_samples(tmp_path / "s")
    ws = open_workspace(root)
    result = consolidate_month(ws, root / "2024-03", MAR)
    wb = load_workbook(result.outputs[0])
    header, rows = _sheet_rows(wb["未报送及问题"], "单位编码")
    states = {r[header.index("单位编码")]: r[header.index("报送状态")] for r in rows}
    assert states["C17"] == "未报送" and states["C09"] == "迟报"
    header, rows = _sheet_rows(wb["数据来源"], "文件名")
    assert len(rows) == 33


def test_next_months_template_prefills_the_units_projects(month, run) -> None:
    ws, _ = month
    result = run(["template", "2024-04", "--unit", "C01"], cwd=ws.root)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(ws.root / "输出" / "模板" / "2024-04" / "C01_东湖村_2024-04.xlsx")["项目进展"]
    rows = [r for r in sheet.iter_rows(min_row=4, max_row=10, values_only=True) if r[0]]
    assert [r[1] for r in rows] == ["二月项目", "冷链物流中心", "不锈钢管材"]
    assert [r[2] for r in rows] == ["信息", "信息", "签约"]
    assert all(r[0].startswith("P2024-") for r in rows)
    assert sheet["A4"].protection.locked and sheet["B4"].protection.locked and not sheet["C4"].protection.locked
    other = load_workbook(ws.root / "输出" / "模板" / "2024-04" / "C01_东湖村_2024-04.xlsx")
    assert other["项目进展"]["A7"].value is None  # nothing of D01's
