"""Which projects the year-end rules apply to (compute.annual): 首报 priority, settled items,
dates derived from the month reported. Pure: facts are built by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from zhaoshang_xls.compute.annual import (
    ESTIMATE,
    INFO,
    INTRO,
    SETTLED,
    ProjectFacts,
    SettledItem,
    assess_year,
    project_facts,
)
from zhaoshang_xls.config import DEFAULT
from zhaoshang_xls.records import LedgerFrames
from zhaoshang_xls.roster import Cadre, Roster, Unit

ROSTER = Roster(
    units=(Unit("C01", "东湖村", "村", "村", Decimal(3000), 2, None, 5, "", None),
           Unit("C02", "西塘村", "村", "村", None, None, None, 5, "", None)),
    cadres=(Cadre("R001", "李秀英", "C01", "一般", True), Cadre("R002", "王芳", "C02", "一般", True)),
)


def facts(pid: str, unit: str, provider: str, provided: dt.date, **extra) -> ProjectFacts:
    base = dict(project_id=pid, name="项目", unit_code=unit, funding="内资", sector="工业",
                total_investment=Decimal(3000), fixed_assets=Decimal(2000), provider=provider, provided_on=provided,
                received=dt.datetime(2024, 4, 1), introducer=provider, stage="签约",
                reached={"签约": dt.date(2024, 5, 1)}, actual_by_year_end={}, expenses_by_year_end={},
                foreign_by_year_end={})
    return ProjectFacts(**{**base, **extra})


def test_same_day_reports_go_to_the_earliest_saved_file() -> None:
    day = dt.date(2024, 3, 8)
    main = facts("P2024-0001", "C01", "李秀英", day, received=dt.datetime(2024, 4, 3, 9))
    dup = facts("P2024-0002", "C02", "王芳", day, received=dt.datetime(2024, 4, 2, 17), verdict="重复",
                duplicate_of="P2024-0001")
    lines = assess_year(2024, [main, dup], ROSTER, DEFAULT).info
    assert [(m.project_id, m.recipient, m.unit_code, m.payable) for m in lines] == [
        ("P2024-0001", "王芳", "C02", Decimal("3000.00"))]


def test_invalid_leads_earn_nothing_and_count_for_nothing() -> None:
    bad = facts("P2024-0001", "C01", "李秀英", dt.date(2024, 3, 8), verdict="无效")
    annual = assess_year(2024, [bad], ROSTER, DEFAULT)
    assert annual.info == [] and annual.units[0].signed == () and annual.units[0].completion == 0


def test_an_item_settled_in_another_year_is_not_paid_again() -> None:
    moved = facts("P2024-0001", "C01", "李秀英", dt.date(2024, 3, 8), reached={"签约": dt.date(2025, 2, 1)})
    paid = SettledItem("P2024-0001", INFO, 2024, 1, "李秀英", Decimal(3000), Decimal(0), Decimal(3000), "…")
    line = assess_year(2025, [moved], ROSTER, DEFAULT, settled=[paid]).info[0]
    assert line.payable == 0 and line.status.startswith(SETTLED) and "已于 2024 年结算 3,000.00元" in line.basis


def test_first_settlement_is_not_paid_after_a_full_second_one() -> None:
    started = facts("P2024-0001", "C01", "李秀英", dt.date(2024, 3, 8),
                    reached={"签约": dt.date(2024, 5, 1), "开工": dt.date(2024, 6, 1), "竣工": dt.date(2025, 6, 1)},
                    actual_by_year_end={2024: Decimal(1000), 2025: Decimal(2000)})
    second = SettledItem("P2024-0001", INTRO, 2025, 2, "C01", Decimal(100000), Decimal(0), Decimal(100000), "…")
    line = assess_year(2024, [started], ROSTER, DEFAULT, settled=[second]).intro[0]
    assert (line.sequence, line.payable, line.status) == (1, 0, SETTLED)
    fresh = assess_year(2024, [started], ROSTER, DEFAULT).intro[0]
    assert (fresh.payable, fresh.status) == (Decimal("50000.00"), ESTIMATE)


def test_lead_reported_already_signed_counts_in_its_first_month() -> None:
    frames = LedgerFrames(
        submissions=pd.DataFrame([{"id": 1, "file_name": "C01.xlsx", "modified": dt.datetime(2024, 4, 2)}]),
        contacts=pd.DataFrame(),
        projects=pd.DataFrame([{
            "id": "P2024-0001", "unit_code": "C01", "first_month": "2024-03", "name": "项目", "funding": "内资",
            "sector": "工业", "total_investment": Decimal(3000), "fixed_assets": Decimal(2000), "stage": "开工",
            "provider": "李秀英", "provided_on": dt.date(2024, 3, 8), "introducer": None, "submission_id": 1,
            "source_sheet": "项目信息", "source_row": 4}]),
        updates=pd.DataFrame(), issues=pd.DataFrame(), screening=pd.DataFrame())
    [f] = project_facts(frames, 2024)
    assert f.reached["签约"] == f.reached["开工"] == dt.date(2024, 3, 1) and "竣工" not in f.reached
    assert f.introducer == "李秀英" and "C01.xlsx 项目信息 第4行" in f.source
