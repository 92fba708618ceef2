"""Reading returned monthly files: identification, the sample mistakes, row checks, F07."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.filler import fill_workbook
from tests.helpers import REPO
from zhaoshang_xls.config import DEFAULT
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.issues import Level
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.detect import FileKind, detect_kind, is_lock_file
from zhaoshang_xls.reading.monthly import ACCEPTED, REJECTED, SUPERSEDED, read_submission
from zhaoshang_xls.reading.roster import read_roster
from zhaoshang_xls.records import MonthContext, ProjectState
from zhaoshang_xls.reports.templates import MonthlyTemplate, build_monthly_template
from zhaoshang_xls.validation.monthly import mark_superseded, validate_submission

SAMPLES = REPO / "samples"
MARCH = Month(2024, 3)
SECRET = (SAMPLES / ".zsxls" / "secret").read_text().strip().encode()
ROSTER, _ = read_roster(SAMPLES / "目标责任表.xlsx")
TODAY = dt.date(2024, 4, 10)


@pytest.fixture(scope="module")
def february(tmp_path_factory) -> dict:
    """The projects February leaves in the ledger (March's files report progress on them)."""
    from tests.helpers import copy_samples
    from zhaoshang_xls.ledger import open_ledger
    from zhaoshang_xls.usecases.month import consolidate_month, month_context
    from zhaoshang_xls.workspace import open_workspace

    root = copy_samples(tmp_path_factory.mktemp("feb") / "ws")
    ws = open_workspace(root)
    consolidate_month(ws, root / "2024-02", Month(2024, 2), today=TODAY)
    with open_ledger(ws) as ledger:
        return month_context(ledger, MARCH)


@pytest.fixture
def read(february):
    def _read(name: str, month: Month = MARCH):
        sub = read_submission(SAMPLES / str(month) / name, ROSTER, month, SECRET)
        validate_submission(sub, ROSTER, february, TODAY)
        return sub

    return _read


def _make(tmp_path: Path, unit_code: str = "C01", month: Month = MARCH, secret: bytes = SECRET,
          name: str = "f.xlsx", basic=None, rows=None) -> Path:
    unit = ROSTER.unit(unit_code)
    spec = MonthlyTemplate(DEFAULT, month, unit, tuple(c.name for c in ROSTER.cadres_of(unit_code)), secret)
    wb = fill_workbook(build_monthly_template(spec), basic or {"reporter": "x", "reporter_phone": "13800001111",
                                                            "reported_on": dt.date(2024, 4, 2)},
                       rows or {})
    return write_atomic(tmp_path / name, lambda tmp: wb.save(tmp))


def test_clean_sample_file_is_accepted_without_issues(read) -> None:
    sub = read("C01_东湖村_2024-03.xlsx")
    assert (sub.status, sub.unit_code, sub.month, sub.version) == (ACCEPTED, "C01", MARCH, "1")
    assert sub.issues == []
    assert len(sub.rows("contacts")) == 5
    assert len(sub.sha256) == 64 and sub.size > 0


def test_renamed_file_is_identified_by_its_meta(read) -> None:
    sub = read("三月份招商报表(最终版).xlsx")
    assert (sub.status, sub.unit_code) == (ACCEPTED, "C05")


def test_traditional_headers_are_warnings_with_the_mapping(read) -> None:
    sub = read("C07_三里村_2024-03.xlsx")
    assert sub.status == ACCEPTED
    s02 = {(i.sheet, i.cell): i for i in sub.issues if i.code == "S02"}
    assert s02[("项目信息", "H2")].level is Level.WARNING
    assert "“計劃總投資（萬元）”按“计划总投资(万元)”读取" in s02[("项目信息", "H2")].message
    assert ("项目信息", "K2") in s02 and ("客商结交", "E2") in s02
    stage = [i for i in sub.issues if i.code == "R16"]
    assert [(i.sheet, i.cell) for i in stage] == [("项目信息", "K5")]
    assert any(r.values["stage"] == "签约" for r in sub.rows("leads"))


def test_amounts_typed_as_text_are_read_with_warnings(read) -> None:
    sub = read("D04_规划建设组_2024-03.xlsx")
    notes = {i.cell: i.message for i in sub.issues if i.code == "R16"}
    assert "“500万”按 500 读取" in notes["H6"] and "“300万元”按 300 读取" in notes["I6"]
    assert "“1,200万元”按 1200 读取" in notes["H7"]
    amounts = [r.values["total_investment"] for r in sub.rows("leads")]
    assert amounts[-2:] == [500, 1200]


def test_corrupt_file_is_f01_and_does_not_raise(read) -> None:
    sub = read("D09_社会事业组_2024-03.xlsx")
    assert sub.status == REJECTED
    assert [i.code for i in sub.issues] == ["F01"]
    assert "损坏" in sub.issues[0].message


def test_duplicate_submission_latest_wins(read) -> None:
    first, corrected = read("D05_项目推进组_2024-03.xlsx"), read("D05_项目推进组_2024-03(更正).xlsx")
    mark_superseded([corrected, first])
    assert (first.status, corrected.status) == (SUPERSEDED, ACCEPTED)
    assert [i.code for i in first.issues] == ["F07"] and "(更正)" in first.issues[0].message
    assert any(i.code == "F07" for i in corrected.issues)


def test_late_file_keeps_its_reported_date(read) -> None:
    assert read("C09_杏花村_2024-03.xlsx").reported_on == dt.date(2024, 4, 9)


def test_lock_files_and_kinds() -> None:
    assert is_lock_file(SAMPLES / "2024-03" / "~$C03_南庄村_2024-03.xlsx")
    assert detect_kind((SAMPLES / "2024-03" / "C01_东湖村_2024-03.xlsx").read_bytes()) is FileKind.XLSX
    assert detect_kind((SAMPLES / "2024-03" / "D09_社会事业组_2024-03.xlsx").read_bytes()) is FileKind.UNKNOWN


def test_file_of_another_month_is_f05(tmp_path: Path) -> None:
    path = _make(tmp_path, month=Month(2024, 4))
    sub = read_submission(path, ROSTER, MARCH, SECRET)
    assert sub.status == REJECTED and [i.code for i in sub.issues] == ["F05"]
    assert "2024年4月" in sub.issues[0].message


def test_token_of_another_workspace_is_f08(tmp_path: Path) -> None:
    sub = read_submission(_make(tmp_path, secret=b"another"), ROSTER, MARCH, SECRET)
    assert sub.status == REJECTED and [i.code for i in sub.issues] == ["F08"]


def test_unit_unknown_to_the_roster_is_f04(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _make(tmp_path)
    wb = load_workbook(path)
    del wb["_meta"]
    wb["基本信息"]["B2"] = "X99"
    wb.save(path)
    sub = read_submission(path, ROSTER, MARCH, SECRET)
    assert sub.status == REJECTED and [i.code for i in sub.issues] == ["F04"]
    assert "X99" in sub.issues[0].message


def test_without_meta_the_basic_form_identifies_the_unit(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _make(tmp_path, unit_code="C02")
    wb = load_workbook(path)
    del wb["_meta"]
    wb.save(path)
    sub = read_submission(path, ROSTER, MARCH, SECRET)
    assert (sub.status, sub.unit_code, sub.month) == (ACCEPTED, "C02", MARCH)


def test_not_a_template_is_f03_and_missing_sheet_is_s01(tmp_path: Path) -> None:
    from openpyxl import Workbook, load_workbook

    other = tmp_path / "other.xlsx"
    Workbook().save(other)
    assert [i.code for i in read_submission(other, ROSTER, MARCH, SECRET).issues] == ["F03"]
    path = _make(tmp_path)
    wb = load_workbook(path)
    del wb["项目信息"]
    wb.save(path)
    sub = read_submission(path, ROSTER, MARCH, SECRET)
    assert sub.status == REJECTED and ("S01", "项目信息") in {(i.code, i.sheet) for i in sub.issues}


def test_empty_and_text_files_are_f01(tmp_path: Path) -> None:
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "note.xlsx").write_text("请查收", encoding="utf-8")
    for name in ("empty.xlsx", "note.xlsx"):
        sub = read_submission(tmp_path / name, ROSTER, MARCH, SECRET)
        assert sub.status == REJECTED and [i.code for i in sub.issues] == ["F01"]


CONTACT = {"date": dt.date(2024, 3, 5), "cadre": ROSTER.cadres_of("C01")[0].name, "investor": "钱七",
           "company": "苏州恒瑞食品有限公司"}
LEAD = {"project_name": "冷链物流", "investor": "苏州恒瑞物流有限公司", "funding": "内资", "sector": "三产",
        "total_investment": 1000, "provider": ROSTER.cadres_of("C01")[0].name, "provided_on": dt.date(2024, 3, 6)}


def test_row_checks_on_contacts_and_leads(tmp_path: Path) -> None:
    rows = {
        "contacts": [CONTACT, {**CONTACT, "date": dt.date(2024, 2, 28)}, {**CONTACT, "cadre": "路人甲"}, CONTACT,
                     {**CONTACT, "investor": "", "company": "某公司"}, {**CONTACT, "date": "上周五"}],
        "leads": [LEAD, {**LEAD, "project_name": "二期", "fixed_assets": 2000},
                  {**LEAD, "project_name": "三期", "provider": "社会人士王五", "stage": None},
                  {**LEAD, "project_name": "四期", "total_investment": "很多"}],
    }
    sub = read_submission(_make(tmp_path, rows=rows), ROSTER, MARCH, SECRET)
    validate_submission(sub, ROSTER, MonthContext(), TODAY)
    found = {(i.code, i.level.value, i.sheet, i.cell) for i in sub.issues}
    assert ("R05", "error", "客商结交", "B5") in found  # February date
    assert ("R07", "warning", "客商结交", "C6") in found  # not in the unit
    assert ("R08", "warning", "客商结交", "A7") in found  # same as row 4
    assert ("R01", "error", "客商结交", "D8") in found  # investor empty
    assert ("R04", "error", "客商结交", "B9") in found  # a date nobody can read
    assert ("R03", "error", "项目信息", "I5") in found  # fixed assets > total
    assert ("R07", "warning", "项目信息", "N6") in found  # provider outside the roster: kept
    assert ("R02", "error", "项目信息", "H7") in found
    assert [r.excel_row for r in sub.rows("contacts")] == [4, 6]
    leads = sub.rows("leads")
    assert [r.excel_row for r in leads] == [4, 6]
    assert leads[1].values["stage"] == "信息" and leads[1].values["introducer"] == "社会人士王五"


def test_progress_checks_against_the_ledger(tmp_path: Path) -> None:
    known = {
        "P2024-0001": ProjectState("P2024-0001", "C01", "冷链物流", "开工", dt.date(2024, 2, 1), dt.date(2024, 2, 20),
                                   fixed_assets_actual=800),
        "P2024-0002": ProjectState("P2024-0002", "C02", "别人的", "签约", dt.date(2024, 2, 1)),
    }
    base = {"project_name": "冷链物流", "signed_on": dt.date(2024, 2, 1)}
    rows = {"progress": [
        {**base, "project_id": "P2024-0001", "stage": "签约", "fixed_assets_actual": 700},  # R11, R13
        {**base, "project_id": "P2024-0002", "stage": "签约"},  # R10 other unit
        {**base, "project_id": "P2024-0099", "stage": "签约"},  # R10 unknown
        {**base, "project_name": "老项目", "stage": "开工"},  # R12 no 开工日期
        {**base, "project_name": "老项目2", "stage": "开工", "started_on": dt.date(2024, 1, 5)},  # R12 order
    ]}
    from openpyxl import load_workbook

    path = _make(tmp_path)
    wb = load_workbook(path)  # the filler cannot type into the locked id column: write it as an admin would
    fill_workbook(wb, None, rows)
    wb.save(path)
    sub = read_submission(path, ROSTER, MARCH, SECRET)
    validate_submission(sub, ROSTER, MonthContext(projects=known), TODAY)
    found = {(i.code, i.cell) for i in sub.issues}
    assert {("R11", "C4"), ("R13", "G4"), ("R10", "A5"), ("R10", "A6"), ("R12", "E7"), ("R12", "E8")} <= found
    assert [r.excel_row for r in sub.rows("progress")] == [4]


def test_month_day_dates_use_the_reporting_month(tmp_path: Path) -> None:
    sub = read_submission(_make(tmp_path, rows={"contacts": [{**CONTACT, "date": "3月5日"}]}), ROSTER, MARCH,
                          SECRET)
    assert sub.rows("contacts")[0].values["date"] == dt.date(2024, 3, 5)


def test_formula_never_calculated_is_r15_and_never_zero(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _make(tmp_path, rows={"leads": [LEAD]})
    wb = load_workbook(path)
    wb["项目信息"]["H4"] = "=1000+200"  # openpyxl stores the formula without a computed value
    wb["项目信息"]["I4"] = "=H4*0.5"
    wb.save(path)
    sub = read_submission(path, ROSTER, MARCH, SECRET)
    found = {(i.code, i.level.value, i.cell) for i in sub.issues if i.sheet == "项目信息"}
    assert ("R15", "warning", "H4") in found and ("R15", "warning", "I4") in found
    assert ("R01", "error", "H4") in found  # the required amount is missing, not 0
    assert sub.rows("leads") == []


def test_formula_scan_keeps_cells_with_cached_values() -> None:
    from zhaoshang_xls.reading.formulas import _scan

    xml = (b'<sheetData><row r="2"><c r="B2"><f>1+1</f><v>2</v></c><c r="C2" t="str"><f>A1</f><v>x</v></c>'
           b'<c r="AA3"><f>1+1</f></c><c r="D3"><f>SUM(A1)</f><v></v></c><c r="E3" s="1"/></row></sheetData>')
    assert _scan(xml) == {(2, 26), (2, 3)}


def test_older_template_version_is_f06_and_still_read(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from zhaoshang_xls.tokens import template_token

    path = _make(tmp_path, rows={"contacts": [CONTACT]})
    wb = load_workbook(path)
    meta = wb["_meta"]
    for row in meta.iter_rows():
        if row[0].value == "version":
            row[1].value = "0"
        if row[0].value == "token":
            row[1].value = template_token(SECRET, "C01", "2024-03", "0")
    wb.save(path)
    sub = read_submission(path, ROSTER, MARCH, SECRET)
    assert sub.status == ACCEPTED and [i.code for i in sub.issues] == ["F06"]
    assert len(sub.rows("contacts")) == 1


def test_meta_unhidden_by_an_office_suite_still_identifies(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _make(tmp_path, unit_code="C03")
    wb = load_workbook(path)
    wb["_meta"].sheet_state = "visible"
    wb.save(path)
    sub = read_submission(path, ROSTER, MARCH, SECRET)
    assert (sub.status, sub.unit_code, sub.issues) == (ACCEPTED, "C03", [])
