"""目标责任表: reading, and every check reported with its sheet and cell."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from zhaoshang_xls.errors import RosterError
from zhaoshang_xls.issues import Level
from zhaoshang_xls.reading.roster import load_roster, read_roster
from zhaoshang_xls.reports.templates import write_roster_template

UNITS = [
    {"unit_code": "LD", "unit_name": "区领导班子", "unit_type": "区领导"},
    {"unit_code": "C01", "unit_name": "东湖村", "unit_type": "村", "target_amount": 3000, "target_projects": 2,
     "village_cadres": 5},
    {"unit_code": "D01", "unit_name": "招商局", "unit_type": "部门", "group": "综合部门", "target_amount": 0,
     "headcount": 12, "email": "zsj@example.cn"},
]
CADRES = [
    {"cadre_code": "R001", "name": "王建国", "unit_code": "LD", "rank": "区领导"},
    {"cadre_code": "R002", "name": "李秀英", "unit_code": "C01", "rank": "一般", "full_time": "是"},
    {"cadre_code": "R003", "name": "张伟", "unit_code": "D01", "rank": "中层", "full_time": "是"},
    {"cadre_code": "R004", "name": "张伟", "unit_code": "C01", "rank": "一般"},  # same name, other unit: fine
]


def _roster(tmp_path: Path, units: list[dict[str, Any]] = UNITS, cadres: list[dict[str, Any]] = CADRES) -> Path:
    path = tmp_path / "目标责任表.xlsx"
    write_roster_template(path, units=units, cadres=cadres)
    return path


def test_reads_units_and_cadres(tmp_path: Path) -> None:
    roster, issues = read_roster(_roster(tmp_path))
    # D01 has no target (0 = none of that kind) and 张伟 is in two units: warned, not refused
    assert [(i.code, i.level) for i in issues] == [("T07", Level.WARNING), ("T08", Level.WARNING)]
    assert "招商局 没有填写年度目标" in issues[0].message
    assert "张伟 在多个单位重名（D01 R003、C01 R004）" in issues[1].message
    assert [u.code for u in roster.units] == ["LD", "C01", "D01"]
    c01 = roster.unit("C01")
    assert c01 is not None
    assert (c01.type, c01.group, c01.target_amount, c01.target_projects, c01.village_cadres) == (
        "村", "村", Decimal(3000), 2, 5)
    d01 = roster.unit("D01")
    assert d01 is not None
    assert d01.group == "综合部门"
    assert d01.target_amount is None  # 0 means "no target of that kind"
    assert d01.target_projects is None
    assert d01.email == "zsj@example.cn"
    assert [c.name for c in roster.cadres_of("C01")] == ["李秀英", "张伟"]
    assert roster.cadres_of("C01")[0].full_time is True
    assert roster.cadres_of("C01")[1].full_time is False


def test_init_roster_reads_clean(workspace) -> None:
    roster, issues = load_roster(workspace.roster_path, None)
    assert issues == []
    assert len(roster.units) == 3 and len(roster.cadres) == 3


def test_synonyms_and_traditional_values_are_accepted(tmp_path: Path) -> None:
    units = [{**UNITS[1], "unit_type": "行政村"}]
    cadres = [{"cadre_code": " r002 ", "name": "李 秀英", "unit_code": "c01", "rank": "一般幹部", "full_time": "是"}]
    roster, issues = read_roster(_roster(tmp_path, units, cadres))
    assert roster.units[0].type == "村"
    cadre = roster.cadres[0]
    assert (cadre.code, cadre.name, cadre.unit_code, cadre.rank) == ("R002", "李秀英", "C01", "一般")
    assert all(i.level is Level.WARNING for i in issues)


def _codes(issues: list) -> list[tuple[str, str | None]]:
    return [(i.code, i.cell) for i in issues if i.level is Level.ERROR]


def test_duplicate_unit_code(tmp_path: Path) -> None:
    units = [*UNITS, {"unit_code": "C01", "unit_name": "西塘村", "unit_type": "村"}]
    _, issues = read_roster(_roster(tmp_path, units))
    errors = [i for i in issues if i.code == "T01"]
    assert len(errors) == 1
    assert (errors[0].sheet, errors[0].cell) == ("单位", "A6")
    assert "第 4 行" in errors[0].message


def test_cadre_in_unknown_unit(tmp_path: Path) -> None:
    cadres = [*CADRES, {"cadre_code": "R009", "name": "赵六", "unit_code": "C99", "rank": "一般"}]
    _, issues = read_roster(_roster(tmp_path, cadres=cadres))
    assert _codes(issues) == [("T02", "C7")]
    error = next(i for i in issues if i.code == "T02")
    assert "C99" in error.message and error.sheet == "人员"


def test_unknown_rank(tmp_path: Path) -> None:
    cadres = [*CADRES, {"cadre_code": "R009", "name": "赵六", "unit_code": "C01", "rank": "处长"}]
    _, issues = read_roster(_roster(tmp_path, cadres=cadres))
    assert _codes(issues) == [("R06", "D7")]
    assert "区领导、中层、一般" in issues[0].message


def test_duplicate_name_inside_a_unit(tmp_path: Path) -> None:
    cadres = [*CADRES, {"cadre_code": "R009", "name": "李秀英", "unit_code": "C01", "rank": "一般"}]
    _, issues = read_roster(_roster(tmp_path, cadres=cadres))
    assert _codes(issues) == [("T03", "B7")]
    assert "第 4 行" in next(i for i in issues if i.code == "T03").message


def test_duplicate_cadre_code(tmp_path: Path) -> None:
    cadres = [*CADRES, {"cadre_code": "R001", "name": "赵六", "unit_code": "C01", "rank": "一般"}]
    _, issues = read_roster(_roster(tmp_path, cadres=cadres))
    assert _codes(issues) == [("T05", "A7")]


def test_required_cell_empty_and_bad_number(tmp_path: Path) -> None:
    units = [*UNITS, {"unit_code": "C02", "unit_type": "村", "target_amount": "待定"}]
    _, issues = read_roster(_roster(tmp_path, units))
    assert sorted(_codes(issues)) == [("R01", "B6"), ("R02", "F6")]


def test_full_time_count_warning(tmp_path: Path) -> None:
    cadres = [c for c in CADRES if c["unit_code"] != "D01"] + [
        {"cadre_code": f"R1{i}", "name": f"专职{i}", "unit_code": "D01", "rank": "一般", "full_time": "是"}
        for i in range(3)
    ]
    _, issues = read_roster(_roster(tmp_path, cadres=cadres))
    warnings = [i for i in issues if i.code == "T04"]
    assert len(warnings) == 1 and warnings[0].level is Level.WARNING
    assert "招商局" in warnings[0].message and "3 名" in warnings[0].message


def test_missing_sheet_and_missing_column(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = _roster(tmp_path)
    wb = load_workbook(path)
    del wb["人员"]
    wb["单位"]["C2"] = None  # 类型 header gone
    wb.save(path)
    _, issues = read_roster(path)
    codes = {(i.code, i.sheet) for i in issues}
    assert ("S01", "人员") in codes
    assert ("S02", "单位") in codes


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "目标责任表.xlsx"
    path.write_text("这不是表格", encoding="utf-8")
    _, issues = read_roster(path)
    assert [i.code for i in issues] == ["F01"]


def test_load_roster_raises_with_all_errors(tmp_path: Path) -> None:
    cadres = [*CADRES, {"cadre_code": "R009", "name": "赵六", "unit_code": "C99", "rank": "处长"}]
    with pytest.raises(RosterError) as info:
        load_roster(_roster(tmp_path, cadres=cadres), None)
    assert info.value.exit_code == 2
    # The unknown 职级 (R06) and the unknown unit (T02) of the same row, both at once.
    assert [i.code for i in info.value.issues if i.level is Level.ERROR] == ["R06", "T02"]


def test_load_roster_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="zsxls init"):
        load_roster(tmp_path / "目标责任表.xlsx", None)


def test_cli_lists_roster_errors_and_exits_2(workspace, run) -> None:
    cadres = [*CADRES, {"cadre_code": "R009", "name": "李秀英", "unit_code": "C01", "rank": "一般"}]
    write_roster_template(workspace.roster_path, units=UNITS, cadres=cadres)
    result = run(["template", "2024-03"], cwd=workspace.root)
    assert result.exit_code == 2
    assert "人员!B7" in result.stderr and "T03" in result.stderr


def test_targets_per_year_rows_override_the_row_without_a_year(tmp_path: Path) -> None:
    units = [*UNITS,
             {"unit_code": "C01", "unit_name": "东湖村", "unit_type": "村", "year": 2025, "target_amount": 6000,
              "target_projects": 3, "village_cadres": 6},
             {"unit_code": "C02", "unit_name": "西湖村", "unit_type": "村", "year": 2024, "target_amount": 1000,
              "village_cadres": 4}]  # merged into C01 from 2025: only a 2024 row
    roster, issues = read_roster(_roster(tmp_path, units))
    assert not [i for i in issues if i.level is Level.ERROR]
    c01 = roster.unit("C01")
    assert c01 is not None and (c01.year, c01.target_amount) == (None, Decimal(3000))
    y2024, y2025 = roster.for_year(2024), roster.for_year(2025)
    assert [u.code for u in y2024.units] == ["LD", "C01", "D01", "C02"]
    assert [u.code for u in y2025.units] == ["LD", "C01", "D01"]  # C02 has no row for 2025
    assert (y2024.unit("C01").target_amount, y2024.unit("C01").village_cadres) == (Decimal(3000), 5)  # type: ignore[union-attr]
    assert (y2025.unit("C01").target_amount, y2025.unit("C01").target_projects,  # type: ignore[union-attr]
            y2025.unit("C01").village_cadres) == (Decimal(6000), 3, 6)  # type: ignore[union-attr]
    assert y2025.for_year(2024).unit("C02") is not None  # resolving again starts from every row
    assert roster.unit("C02") is not None  # without a year every unit is known (telling files apart)


def test_per_year_rows_are_checked(tmp_path: Path) -> None:
    units = [*UNITS,
             {"unit_code": "C01", "unit_name": "东湖村", "unit_type": "村", "year": 2025, "village_cadres": 6},
             {"unit_code": "C01", "unit_name": "东湖村", "unit_type": "村", "year": 2025, "village_cadres": 7},
             {"unit_code": "D01", "unit_name": "招商局", "unit_type": "村", "year": 2025, "headcount": 12},
             {"unit_code": "LD", "unit_name": "区领导班子", "unit_type": "区领导", "year": 1925}]
    _, issues = read_roster(_roster(tmp_path, units))
    found = {(i.code, i.cell) for i in issues if i.level is Level.ERROR}
    assert found == {("T01", "A7"), ("T09", "C8"), ("R03", "E9")}, issues
    messages = " ".join(i.message for i in issues)
    assert "单位编码 C01（年度 2025） 与第 6 行重复" in messages
    assert "D01 在第 5 行是“部门”，本行是“村”" in messages
