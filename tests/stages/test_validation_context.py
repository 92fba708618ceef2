"""Validation against what the ledger knew before the month (MonthContext), on three-line inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from zhaoshang_xls import schema
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.table import Row, Table
from zhaoshang_xls.records import MonthContext, ProjectState, Registered, Submission
from zhaoshang_xls.roster import Cadre, Roster, Unit
from zhaoshang_xls.validation.monthly import validate_submission

MARCH = Month(2024, 3)
ROSTER = Roster((Unit("C01", "东湖村", "村", "村", None, None, None, 5, "", None),),
                (Cadre("R001", "李秀英", "C01", "一般", False),))


def _lead(row: int, name: str, investor: str) -> Row:
    return Row(row, {"project_name": name, "investor": investor, "provider": "李秀英",
                     "provided_on": dt.date(2024, 3, 5), "total_investment": Decimal(800), "stage": "信息"},
               {"project_name": f"A{row}"})


def _sub(**tables: list[Row]) -> Submission:
    sub = Submission(Path("C01.xlsx"), "0" * 64, 1, dt.datetime(2024, 4, 1), unit_code="C01", month=MARCH)
    for key, rows in tables.items():
        sub.tables[key] = Table(schema.sheet_by_name(schema.MONTHLY_SHEETS, {
            "leads": schema.LEADS.name, "progress": schema.PROGRESS.name}[key]), rows, [])
    return sub


def test_a_lead_registered_in_an_earlier_month_does_not_count_again() -> None:
    sub = _sub(leads=[_lead(4, "冷链物流项目", "恒瑞食品"), _lead(5, "新项目", "别家公司")])
    context = MonthContext(registered={("C01", schema.name_key("冷链物流项目"), schema.name_key("恒瑞食品")):
                                       Registered("P2024-0003", "2024-02")})
    validate_submission(sub, ROSTER, context, dt.date(2024, 4, 2))
    [r08] = [i for i in sub.issues if i.code == "R08"]
    assert "2024-02" in r08.message and "P2024-0003" in r08.message and r08.cell == "A4"
    assert [r.excel_row for r in sub.rows(schema.LEADS.key)] == [5]  # the repeat is left out, the new one stays


def test_without_a_ledger_nothing_earlier_is_checked() -> None:
    sub = _sub(leads=[_lead(4, "冷链物流项目", "恒瑞食品")],
               progress=[Row(4, {"project_id": "P2024-0099", "project_name": "x", "stage": "信息"}, {})])
    validate_submission(sub, ROSTER, None, dt.date(2024, 4, 2))
    assert not [i for i in sub.issues if i.code in ("R08", "R10")]
    known = _sub(progress=[Row(4, {"project_id": "P2024-0099", "project_name": "x", "stage": "洽谈"},
                               {"project_id": "A4"})])
    validate_submission(known, ROSTER, MonthContext(projects={"P2024-0099": ProjectState(
        "P2024-0099", "C01", "x", "签约", signed_on=dt.date(2024, 2, 1))}), dt.date(2024, 4, 2))
    assert [i.code for i in known.issues] == ["R11"]  # 签约 → 洽谈 goes backwards
