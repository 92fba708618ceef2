"""Monthly template, tax and roster workbooks read back with openpyxl (SPEC §6, §7)."""

from __future__ import annotations

import datetime as dt
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from zhaoshang_xls import schema
from zhaoshang_xls.config import DEFAULT
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reports.templates import (
    MonthlyTemplate,
    template_token,
    write_monthly_template,
    write_tax_template,
)
from zhaoshang_xls.roster import Unit
from zhaoshang_xls.text import display_width

UNIT = Unit("C01", "东湖村", "村", "村", Decimal(3000), 2, None, 5, "", None)
MONTH = Month(2024, 3)
SECRET = b"test-secret"
CADRES = ("李秀英", "张伟")


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    path = tmp_path_factory.mktemp("t") / "C01.xlsx"
    write_monthly_template(path, MonthlyTemplate(DEFAULT, MONTH, UNIT, CADRES, SECRET, dt.datetime(2024, 3, 1, 9)))
    return load_workbook(path)


def _validations(ws):
    """{column letter: DataValidation} for the input rows."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            found[rng.coord.split(":")[0].rstrip("0123456789")] = (dv, str(rng.coord))
    return found


def _letter(sheet: schema.Sheet, key: str) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[[c.key for c in sheet.columns].index(key)]


def test_sheets_in_order_and_their_states(wb) -> None:
    # every list is short enough to be literal here, so no 列表 sheet (see the long-list test)
    assert wb.sheetnames == ["填报说明", "基本信息", "客商结交", "项目信息", "项目进展", "_meta"]
    states = {ws.title: ws.sheet_state for ws in wb.worksheets}
    assert states["_meta"] == "veryHidden"
    assert all(states[s.name] == "visible" for s in schema.MONTHLY_SHEETS)


def test_meta_carries_version_unit_month_and_token(wb) -> None:
    meta = {row[0]: row[1] for row in wb["_meta"].iter_rows(values_only=True)}
    assert meta["version"] == schema.TEMPLATE_VERSION
    assert (meta["unit"], meta["unit_name"], meta["month"]) == ("C01", "东湖村", "2024-03")
    assert meta["generated_at"] == "2024-03-01T09:00:00"
    assert meta["token"] == template_token(SECRET, "C01", "2024-03")
    assert meta["token"] != template_token(SECRET, "C02", "2024-03")
    assert meta["token"] != template_token(SECRET, "C01", "2024-04")
    assert meta["token"] != template_token(b"other-secret", "C01", "2024-03")


def test_guide_states_deadline_and_targets(wb) -> None:
    text = "\n".join(str(c.value) for c in wb["填报说明"]["A"] if c.value)
    assert "2024年4月5日" in text
    assert "客商 5 人以上" in text and "项目信息 2 条以上" in text
    assert "引资 3,000 万元" in text and "签约项目 2 个" in text
    assert wb["填报说明"].protection.sheet


def test_basic_form_prefilled_and_locked(wb) -> None:
    ws = wb["基本信息"]
    labels = [ws.cell(row=r, column=1).value for r in range(2, 8)]
    assert labels == [c.header for c in schema.BASIC.columns]
    assert [ws.cell(row=r, column=2).value for r in range(2, 5)] == ["C01", "东湖村", "2024-03"]
    assert all(ws.cell(row=r, column=2).protection.locked for r in range(2, 5))
    assert not any(ws.cell(row=r, column=2).protection.locked for r in range(5, 8))
    assert ws["B6"].number_format == "@"  # phone as text
    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert set(dvs) == {"B5", "B6", "B7"}
    assert dvs["B5"].type == "list" and dvs["B5"].errorStyle == "warning"  # 填报人: the unit's cadres
    assert dvs["B7"].type == "date" and dvs["B7"].formula1 == "45352"  # 填报日期 from 2024-03-01
    assert ws.protection.sheet


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.key)
def test_data_sheet_layout(wb, sheet: schema.Sheet) -> None:
    ws = wb[sheet.name]
    assert ws["A1"].value.startswith(sheet.title) and "东湖村" in ws["A1"].value
    assert ws["A1"].font.b
    headers = [ws.cell(row=2, column=c).value for c in range(1, len(sheet.columns) + 1)]
    assert headers == [c.header for c in sheet.columns]
    assert [h.endswith("*") for h in headers] == [c.required for c in sheet.columns]
    assert ws.freeze_panes == "A3"
    assert ws.protection.sheet and not ws.protection.formatColumns
    assert ws.cell(row=2, column=1).protection.locked
    # print setup: A4 landscape, fit to one page wide, header repeated
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"
    assert "&P" in ws.oddFooter.center.text
    for i, col in enumerate(sheet.columns, start=1):
        letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i - 1]
        width = ws.column_dimensions[letter].width
        assert width >= col.width and width >= display_width(col.header) / 2 + 2, col.name
        first, last = ws.cell(row=4, column=i), ws.cell(row=203, column=i)
        if col.kind in (schema.Kind.CODE, schema.Kind.PHONE):
            assert first.number_format == "@" and last.number_format == "@"
        if col.kind is schema.Kind.DATE:
            assert first.number_format == "yyyy-mm-dd"


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.key)
def test_example_row_grey_italic_and_input_rows_unlocked(wb, sheet: schema.Sheet) -> None:
    ws = wb[sheet.name]
    example = [ws.cell(row=3, column=c) for c in range(1, len(sheet.columns) + 1)]
    assert any(c.value is not None for c in example)
    assert all(c.font.i and c.font.color.rgb.endswith("808080") for c in example)
    assert all(c.protection.locked for c in example)
    for i, col in enumerate(sheet.columns, start=1):
        for r in (4, 100, 203):
            locked = ws.cell(row=r, column=i).protection.locked
            assert locked == (col.key == "project_id"), (col.name, r)
    assert ws.cell(row=204, column=1).protection.locked  # beyond the 200 input rows


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.key)
def test_every_input_column_has_a_validation_rule(wb, sheet: schema.Sheet) -> None:
    ws = wb[sheet.name]
    found = _validations(ws)
    for i, col in enumerate(sheet.columns, start=1):
        letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i - 1]
        if col.key == "project_id":
            assert letter not in found  # locked, never typed
            continue
        dv, coord = found[letter]
        assert coord == f"{letter}4:{letter}203"
        assert dv.showInputMessage and dv.showErrorMessage
        assert dv.prompt and len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
        assert dv.error and len(dv.error) <= 255 and len(dv.errorTitle) <= 32
        if col.kind is schema.Kind.CHOICE:
            assert dv.type == "list"
            assert dv.formula1 == '"' + ",".join(col.vocab.values) + '"'
        elif col.kind is schema.Kind.DECIMAL:
            assert (dv.type, dv.operator, dv.formula1) == ("decimal", "between", "0")
        elif col.kind is schema.Kind.DATE:
            assert dv.type == "date"


def test_date_ranges_inside_the_month(wb) -> None:
    contacts = _validations(wb["项目信息"])
    dv, _ = contacts[_letter(schema.LEADS, "provided_on")]
    assert (dv.formula1, dv.formula2) == ("45352", "45382")  # 2024-03-01 .. 2024-03-31
    dv, _ = _validations(wb["客商结交"])[_letter(schema.CONTACTS, "date")]
    assert (dv.formula1, dv.formula2) == ("45352", "45382")
    assert "2024-03-01" in dv.error and "2024-03-31" in dv.error
    dv, _ = _validations(wb["项目进展"])[_letter(schema.PROGRESS, "started_on")]
    assert dv.formula2 == "45382"  # any date up to the end of the month


def test_cadre_columns_offer_the_units_people_but_allow_others(wb) -> None:
    dv, _ = _validations(wb["客商结交"])[_letter(schema.CONTACTS, "cadre")]
    assert dv.type == "list" and dv.errorStyle == "warning"
    assert dv.formula1 == '"李秀英,张伟"'


def test_long_lists_go_to_the_hidden_list_sheet(tmp_path: Path) -> None:
    names = tuple(f"干部{i:03d}号" for i in range(60))  # 60 × 7 characters: far over 255
    path = tmp_path / "big.xlsx"
    write_monthly_template(path, MonthlyTemplate(DEFAULT, MONTH, UNIT, names, SECRET))
    wb = load_workbook(path)
    dv, _ = _validations(wb["客商结交"])[_letter(schema.CONTACTS, "cadre")]
    assert dv.formula1 == "'列表'!$A$1:$A$60"
    assert [c.value for c in wb["列表"]["A"]] == list(names)
    assert wb["列表"].sheet_state == "hidden"
    for dv in wb["项目信息"].data_validations.dataValidation:
        assert len(dv.formula1 or "") <= 255


def test_progress_rows_prefilled_and_locked(tmp_path: Path) -> None:
    projects = ({"project_id": "P2024-0001", "project_name": "冷链物流中心", "stage": "签约",
                 "signed_on": dt.date(2024, 2, 20), "fixed_assets_actual": Decimal("1200.50")},)
    path = tmp_path / "p.xlsx"
    write_monthly_template(path, MonthlyTemplate(DEFAULT, MONTH, UNIT, CADRES, SECRET, projects=projects))
    ws = load_workbook(path)["项目进展"]
    assert [ws.cell(row=4, column=c).value for c in (1, 2, 3)] == ["P2024-0001", "冷链物流中心", "签约"]
    assert ws["D4"].value == dt.datetime(2024, 2, 20)
    assert ws["G4"].value == 1200.5
    assert ws["A4"].protection.locked and ws["B4"].protection.locked
    assert not ws["C4"].protection.locked
    assert not ws["B5"].protection.locked  # a unit may add a project reported before the tool


def test_blank_template_has_no_unit_and_no_token(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    write_monthly_template(path, MonthlyTemplate(DEFAULT))
    wb = load_workbook(path)
    meta = {row[0]: row[1] for row in wb["_meta"].iter_rows(values_only=True)}
    assert meta["unit"] is None and meta["token"] is None and meta["version"] == schema.TEMPLATE_VERSION
    assert not wb["基本信息"]["B2"].protection.locked  # the unit fills in its own code
    assert "列表" not in wb.sheetnames or wb["列表"].sheet_state == "hidden"


def test_tax_workbook(tmp_path: Path) -> None:
    path = tmp_path / "tax.xlsx"
    write_tax_template(path, DEFAULT, 2024, [{"project_id": "P2024-0003", "project_name": "不锈钢管材"}])
    wb = load_workbook(path)
    ws = wb["税收"]
    assert [ws.cell(row=2, column=c).value for c in range(1, 5)] == [c.header for c in schema.TAX.columns]
    assert [ws.cell(row=3, column=c).value for c in range(1, 4)] == ["P2024-0003", "不锈钢管材", 2024]
    assert "2024年度" in ws["A1"].value
    dvs = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert dvs["D3"].type == "decimal"
    meta = {row[0]: row[1] for row in wb["_meta"].iter_rows(values_only=True)}
    assert (meta["kind"], meta["year"]) == ("tax", "2024")


def test_cli_writes_one_template_per_unit(workspace, run) -> None:
    result = run(["template", "2024年3月"], cwd=workspace.root)
    assert result.exit_code == 0, result.output
    folder = workspace.root / "输出" / "模板" / "2024-03"
    assert sorted(p.name for p in folder.iterdir()) == [
        "C01_东湖村_2024-03.xlsx", "D01_招商局_2024-03.xlsx", "LD_区领导班子_2024-03.xlsx"]
    assert "已生成 3 份" in result.stdout
    wb = load_workbook(folder / "C01_东湖村_2024-03.xlsx")
    meta = {row[0]: row[1] for row in wb["_meta"].iter_rows(values_only=True)}
    assert meta["token"] == template_token(workspace.secret, "C01", "2024-03")
    secret = workspace.state_dir / "secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert stat.S_IMODE(workspace.state_dir.stat().st_mode) == 0o700


def test_cli_one_unit_and_out_dir_from_a_subfolder(workspace, run, tmp_path: Path) -> None:
    sub = workspace.root / "2024-03"
    sub.mkdir()
    out = tmp_path / "发出"
    result = run(["template", "202403", "--unit", "d01", "--out", str(out)], cwd=sub)
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["D01_招商局_2024-03.xlsx"]


def test_cli_tax_workbook(workspace, run) -> None:
    result = run(["-w", str(workspace.root), "template", "--tax", "2024"])
    assert result.exit_code == 0, result.output
    assert (workspace.root / "输出" / "模板" / "2024_税收台账.xlsx").exists()
    assert load_workbook(workspace.root / "输出" / "模板" / "2024_税收台账.xlsx").sheetnames[0] == "税收"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["template", "2024-13"], "无法识别月份"),
        (["template"], "请指定月份"),
        (["template", "2024-03", "--unit", "X9"], "没有单位编码 X9"),
        (["template", "--tax", "24"], "四位年份"),
        (["template", "--tax", "abc"], "用法错误"),
    ],
)
def test_cli_usage_errors_exit_2(workspace, run, args: list[str], message: str) -> None:
    result = run(args, cwd=workspace.root)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (workspace.root / "输出" / "模板" / "2024-03").exists()


def test_more_prefilled_rows_than_input_rows_are_all_kept(tmp_path) -> None:
    """A city's roster (or a tax workbook) longer than the input area loses no row."""
    from zhaoshang_xls.reading.roster import read_roster
    from zhaoshang_xls.reports.templates import build_roster_template

    n = schema.ROSTER_UNITS.input_rows + 25
    units = [{"unit_code": f"C{i:04d}", "unit_name": f"第{i}村", "unit_type": "村"} for i in range(1, n + 1)]
    cadres = [{"cadre_code": f"R{i:04d}", "name": f"干部{i}", "unit_code": f"C{i:04d}", "rank": "一般",
               "full_time": "是"} for i in range(1, n + 1)]
    path = tmp_path / "roster.xlsx"
    build_roster_template(units, cadres).save(path)
    roster, _issues = read_roster(path)
    assert len(roster.units) == n and roster.units[-1].code == f"C{n:04d}"
    ws = load_workbook(path)[schema.ROSTER_UNITS.name]
    assert ws.data_validations.dataValidation  # the dropdowns cover the longer area too
