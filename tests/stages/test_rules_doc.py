"""Every worked example of docs/rules.md (【例 N】), as a test of the function that decides it.

``test_every_example_of_the_document_is_tested`` fails when the document gains an example
without a test here (or loses one that has).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest

from tests.helpers import REPO
from zhaoshang_xls.compute.annual import ProjectFacts, first_reporter
from zhaoshang_xls.compute.monthly import completion_rate
from zhaoshang_xls.compute.penalties import cadre_deduction, unit_deduction
from zhaoshang_xls.compute.projects import latest_states
from zhaoshang_xls.compute.rewards import (
    IntroFacts,
    info_reward_domestic,
    info_reward_foreign,
    intro_settlements,
    tax_share,
)
from zhaoshang_xls.compute.states import unit_states
from zhaoshang_xls.compute.targets import SignedProject, cadre_completion, unit_completion
from zhaoshang_xls.config import DEFAULT
from zhaoshang_xls.records import ACCEPTED, REJECTED, Filed, LedgerFrames
from zhaoshang_xls.roster import Roster, Unit

D = Decimal
DOC = REPO / "docs" / "rules.md"
TESTED: set[int] = set()


def example(n: int):
    TESTED.add(n)
    return lambda func: func


def _unit(code: str) -> Unit:
    return Unit(code, code, "村", "村", None, None, None, 5, "", None)


@example(1)
def test_example_1_unit_states_and_the_received_date() -> None:
    due = dt.date(2024, 4, 5)
    roster = Roster(tuple(_unit(c) for c in ("C01", "C02", "C03", "C04", "C05")), ())
    files = [
        Filed("C01.xlsx", "C01", ACCEPTED, dt.datetime(2024, 4, 6, 9), dt.date(2024, 4, 4), dt.datetime(2024, 4, 1)),
        Filed("C02.xlsx", "C02", ACCEPTED, None, dt.date(2024, 4, 4), dt.datetime(2024, 5, 1)),
        Filed("C03.xlsx", "C03", ACCEPTED, None, None, dt.datetime(2024, 5, 1)),
        Filed("C04_东湖村.xlsx", None, REJECTED, None, None, None, "文件无法打开"),
    ]
    states = {s.unit.code: s for s in unit_states(roster, files, due)}
    c01 = states["C01"]
    assert (c01.state, c01.basis, c01.received) == ("迟报", "邮件日期", dt.date(2024, 4, 6))
    assert (states["C02"].state, states["C02"].basis) == ("已报送", "填报日期")  # the file's May time never decides
    assert states["C03"].state == "已报送" and states["C03"].reason == "填报日期未填，无法判断是否迟报"
    assert (states["C04"].state, states["C04"].reason) == ("被退回", "文件无法打开")  # owned by its name
    assert states["C05"].state == "未报送"


@example(2)
def test_example_2_a_blank_in_a_later_report_does_not_erase() -> None:
    projects = pd.DataFrame([{"id": "P2024-0001", "unit_code": "C01", "name": "冷链", "first_month": "2024-02",
                              "stage": "意向"}], dtype=object)
    updates = pd.DataFrame([
        {"id": 1, "project_id": "P2024-0001", "month": "2024-03", "stage": "签约", "signed_on": dt.date(2024, 3, 20),
         "started_on": None},
        {"id": 2, "project_id": "P2024-0001", "month": "2024-04", "stage": "开工", "signed_on": None,
         "started_on": dt.date(2024, 4, 10)},
    ], dtype=object)
    empty = pd.DataFrame(dtype=object)
    frames = LedgerFrames(empty, empty, projects, updates, empty, empty)
    state = latest_states(frames, "2024-04")["P2024-0001"]
    assert (state.stage, state.signed_on, state.started_on) == ("开工", dt.date(2024, 3, 20), dt.date(2024, 4, 10))
    assert latest_states(frames, "2024-02")["P2024-0001"].stage == "意向"


@example(3)
def test_example_3_year_to_date_completion_rate() -> None:
    assert completion_rate(8, 10, 6, 4) == Fraction(9, 10)
    assert completion_rate(0, 0, 0, 0) is None


@example(4)
def test_example_4_unit_completion() -> None:
    signed = [SignedProject("P", "C01", "张伟", "工业", D(a)) for a in ("1000", "750")]
    assert unit_completion(D("3000"), 2, signed) == Fraction(19, 24)


@example(5)
@pytest.mark.parametrize(("fixed", "amount"), [("1000", "1000.00"), ("1000.5", "3000.00"), ("5000", "10000.00"),
                                               ("5001", "20000.00"), ("499.99", None)])
def test_example_5_domestic_information_reward(fixed: str, amount: str | None) -> None:
    reward = info_reward_domestic(D(fixed), DEFAULT.reward.info)
    assert (reward.amount if reward else None) == (D(amount) if amount else None)


@example(6)
def test_example_6_foreign_information_reward() -> None:
    reward = info_reward_foreign(D("120"), DEFAULT.reward.info, 2024)
    assert reward is not None and reward.amount == D("25560.00")


@example(7)
def test_example_7_first_report_ties_break_on_the_received_date() -> None:
    def facts(pid: str, unit: str, received: dt.date) -> ProjectFacts:
        return ProjectFacts(pid, "冷链", unit, "内资", "工业", D(3000), D(2000), f"{unit}的人", dt.date(2024, 3, 8),
                            received, None, "签约", {}, {}, {}, {})

    later_id_first_received = facts("P2024-0009", "C02", dt.date(2024, 3, 10))
    assert first_reporter([facts("P2024-0001", "C01", dt.date(2024, 3, 12)), later_id_first_received]) \
        is later_id_first_received


@example(8)
def test_example_8_intro_reward_two_settlements() -> None:
    rule = DEFAULT.reward.intro
    facts = IntroFacts("P", D("2500"), dt.date(2024, 5, 1), dt.date(2025, 9, 30), {2024: D("2350"), 2025: D("4000")},
                       {2024: D("3000"), 2025: D("3000")})
    [first] = intro_settlements(facts, 2024, rule)
    assert (first.gross, first.offset, first.payable) == (D("117500.00"), D("3000.00"), D("114500.00"))
    [second] = intro_settlements(facts, 2025, rule, earlier=[first])
    assert (second.gross, second.payable) == (D("82500.00"), D("82500.00"))


@example(9)
def test_example_9_tax_share() -> None:
    line = tax_share("P", "村", {2024: D("86.4")}, 2024, DEFAULT.reward.tax_share)
    assert line is not None and line.amount == D("129600.00")


@example(10)
def test_example_10_middle_cadre_penalty() -> None:
    c = cadre_completion(DEFAULT.cadre_target["中层"], [SignedProject("P", "C01", "张伟", "工业", D("400"))])
    assert c == Fraction(4, 5)
    deduction = cadre_deduction("中层", c, DEFAULT.penalty)
    assert deduction is not None and deduction.amount == D("720.00")


@example(11)
def test_example_11_village_penalty_rounds_per_person_first() -> None:
    deduction = unit_deduction("村", Fraction(7, 12), 5, DEFAULT.penalty)
    assert deduction is not None and (deduction.per_person, deduction.amount) == (D("833.33"), D("4166.65"))


@example(12)
def test_example_12_each_foreign_dollar_is_paid_once() -> None:
    from zhaoshang_xls.compute.rewards import foreign_due

    cumulative = {2024: D(100), 2025: D(80), 2026: D(120)}
    paid = []
    for year in cumulative:
        reward = info_reward_foreign(foreign_due(cumulative, 2024, year).due, DEFAULT.reward.info, year)
        paid.append(reward.amount if reward else D(0))
    assert paid == [D("21300.00"), D(0), D("4260.00")]


@example(13)
def test_example_13_a_duplicate_joins_the_project_it_repeats() -> None:
    from zhaoshang_xls.compute.annual import project_facts

    projects = pd.DataFrame([
        {"id": "P2024-0001", "unit_code": "D01", "name": "果蔬", "first_month": "2024-03", "stage": "意向",
         "funding": "内资", "sector": "工业", "total_investment": D(3000), "fixed_assets": D(2000),
         "provider": "张伟", "provided_on": dt.date(2024, 3, 12), "introducer": None, "submission_id": 1,
         "source_sheet": "项目信息", "source_row": 4},
        {"id": "P2024-0002", "unit_code": "C10", "name": "果蔬", "first_month": "2024-03", "stage": "意向",
         "funding": "内资", "sector": "工业", "total_investment": D(3000), "fixed_assets": D(2000),
         "provider": "李秀英", "provided_on": dt.date(2024, 3, 8), "introducer": None, "submission_id": 2,
         "source_sheet": "项目信息", "source_row": 4},
    ], dtype=object)
    updates = pd.DataFrame([{"id": 1, "project_id": "P2024-0001", "month": "2024-06", "unit_code": "D01",
                             "submission_id": 1, "stage": "开工", "signed_on": dt.date(2024, 6, 1),
                             "started_on": dt.date(2024, 6, 20), "fixed_assets_actual": D(2350),
                             "expenses": D(3000)}], dtype=object)
    screening = pd.DataFrame([{"project_id": "P2024-0001", "verdict": "重复", "duplicate_of": "P2024-0002",
                               "introducer_unit": None}], dtype=object)
    empty = pd.DataFrame(dtype=object)
    facts = {f.project_id: f for f in project_facts(LedgerFrames(empty, empty, projects, updates, empty, screening),
                                                    2024)}
    kept = facts["P2024-0002"]
    assert kept.counts and not facts["P2024-0001"].counts and kept.merged == ("P2024-0001",)
    assert (kept.unit_code, kept.registered_by, kept.stage) == ("D01", "C10", "开工")
    assert kept.actual_by_year_end == {2024: D(2350)}
    [first] = intro_settlements(IntroFacts(kept.project_id, kept.fixed_assets, kept.reached["开工"], None,
                                           kept.actual_by_year_end, kept.expenses_by_year_end), 2024,
                                DEFAULT.reward.intro)
    assert first.payable == D("114500.00")
    assert first_reporter([kept, facts["P2024-0001"]]).provider == "李秀英"


def test_every_example_of_the_document_is_tested() -> None:
    documented = {int(n) for n in re.findall(r"【例 (\d+)】", DOC.read_text(encoding="utf-8"))}
    assert documented == TESTED
