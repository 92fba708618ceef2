"""SPEC §10.2, §10.4, §10.5: every worked example, tier boundaries, and money properties."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang_xls.compute.penalties import cadre_deduction, unit_deduction
from zhaoshang_xls.compute.rewards import (
    IntroFacts,
    info_reward_domestic,
    info_reward_foreign,
    intro_settlements,
    tax_share,
)
from zhaoshang_xls.compute.targets import SignedProject, cadre_completion, unit_completion
from zhaoshang_xls.config import DEFAULT

D = Decimal
INFO, INTRO, TAX, PENALTY = DEFAULT.reward.info, DEFAULT.reward.intro, DEFAULT.reward.tax_share, DEFAULT.penalty


# ---- 信息奖 (worked examples, then the tier boundaries)

@pytest.mark.parametrize(("fixed", "amount"), [
    (D("1000"), D("1000.00")), (D("1000.5"), D("3000.00")), (D("5000"), D("10000.00")), (D("5001"), D("20000.00")),
    (D("499.99"), None), (D("500"), D("1000.00")), (D("1000.01"), D("3000.00")), (D("3000"), D("3000.00")),
    (D("3000.01"), D("10000.00")), (D("5000.01"), D("20000.00")),
])
def test_domestic_information_reward_tiers(fixed: Decimal, amount: Decimal | None) -> None:
    reward = info_reward_domestic(fixed, INFO)
    assert (reward.amount if reward else None) == amount


def test_domestic_reward_explains_itself() -> None:
    reward = info_reward_domestic(D("2350"), INFO)
    assert reward is not None
    assert reward.basis == "内资项目固定资产投资 2,350.00万元，属 1,000.01万元–3,000.00万元 档，奖励 3,000.00元"


def test_foreign_information_reward_worked_example() -> None:
    reward = info_reward_foreign(D("120"), INFO, 2024)
    assert reward is not None and reward.amount == D("25560.00")
    assert "0.3% × 120万美元 × 10,000 × 汇率 7.10 = 25,560.00元" in reward.basis


def test_foreign_reward_is_paid_on_each_years_arrivals() -> None:
    rule = dataclasses.replace(INFO, usd_cny={2024: D("7.10"), 2025: D("7.20")})
    assert info_reward_foreign(D("120"), rule, 2024).amount == D("25560.00")  # type: ignore[union-attr]
    assert info_reward_foreign(D("30"), rule, 2025).amount == D("6480.00")  # type: ignore[union-attr]
    assert info_reward_foreign(D("0"), rule, 2026) is None


# ---- 引进项目奖

FACTS = IntroFacts("P2024-0007", D("2500"), dt.date(2024, 5, 1), dt.date(2025, 9, 30),
                   {2024: D("2350"), 2025: D("4000")}, {2024: D("3000"), 2025: D("3000")})


def test_intro_reward_worked_example_two_settlements() -> None:
    first = intro_settlements(FACTS, 2024, INTRO)
    assert [(s.sequence, s.gross, s.offset, s.payable) for s in first] == [(1, D("117500.00"), D("3000.00"),
                                                                           D("114500.00"))]
    assert first[0].basis == ("开工当年第一次结算：0.5% × 2,350.00万元 = 117,500.00元，冲销招商费用 3,000.00元，"
                              "应发 114,500.00元")
    second = intro_settlements(FACTS, 2025, INTRO, earlier=first)
    assert [(s.sequence, s.gross, s.offset, s.payable) for s in second] == [(2, D("82500.00"), D("0.00"),
                                                                            D("82500.00"))]
    assert intro_settlements(FACTS, 2025, INTRO, earlier=[*first, *second]) == []  # never paid twice


def test_expenses_larger_than_the_first_settlement_carry_over() -> None:
    facts = dataclasses.replace(FACTS, actual_by_year_end={2024: D("100"), 2025: D("600")},
                                expenses_by_year_end={2024: D("8000"), 2025: D("9000")}, fixed_assets=D("600"))
    first = intro_settlements(facts, 2024, INTRO)[0]
    assert (first.gross, first.offset, first.payable) == (D("5000.00"), D("5000.00"), D("0.00"))
    assert "尚有 3,000.00元 留待下次冲销" in first.basis
    second = intro_settlements(facts, 2025, INTRO, earlier=[first])[0]
    # 0.5% × 600 × 10,000 − 5,000 = 25,000; open expenses 9,000 − 5,000 = 4,000
    assert (second.gross, second.offset, second.payable) == (D("25000.00"), D("4000.00"), D("21000.00"))


def test_started_and_completed_in_the_same_year_gets_both() -> None:
    facts = dataclasses.replace(FACTS, completed_on=dt.date(2024, 12, 1))
    due = intro_settlements(facts, 2024, INTRO)
    assert [(s.sequence, s.gross) for s in due] == [(1, D("117500.00")), (2, D("0.00"))]


def test_completed_without_a_first_settlement_on_record() -> None:
    facts = dataclasses.replace(FACTS, started_on=dt.date(2023, 3, 1))
    due = intro_settlements(facts, 2025, INTRO)
    assert [(s.sequence, s.gross, s.offset, s.payable) for s in due] == [(2, D("200000.00"), D("3000.00"),
                                                                          D("197000.00"))]
    assert "无第一次结算记录" in due[0].basis


def test_small_or_unstarted_projects_get_no_intro_reward() -> None:
    assert intro_settlements(dataclasses.replace(FACTS, fixed_assets=D("499.99")), 2024, INTRO) == []
    assert intro_settlements(dataclasses.replace(FACTS, started_on=None), 2024, INTRO) == []


# ---- 财税分成奖

def test_tax_share_worked_example_and_first_three_years() -> None:
    taxes = {2024: D("86.4"), 2025: D("0"), 2026: D("100"), 2027: D("50"), 2028: D("70")}
    line = tax_share("P2024-0001", "村", taxes, 2024, TAX)
    assert line is not None and line.amount == D("129600.00")
    assert line.basis == "有税收的第 1 年：15% × 86.40万元 = 129,600.00元"
    assert tax_share("P2024-0001", "部门", taxes, 2026, TAX).amount == D("100000.00")  # type: ignore[union-attr]
    assert tax_share("P2024-0001", "村", taxes, 2025, TAX) is None  # no tax that year
    assert tax_share("P2024-0001", "村", taxes, 2027, TAX) is not None  # third year with tax
    assert tax_share("P2024-0001", "村", taxes, 2028, TAX) is None  # a fourth: no longer


# ---- completion (§10.2) and penalties (§10.5)

def _p(total: str, sector: str = "工业") -> SignedProject:
    return SignedProject("P", "C01", "张伟", sector, D(total))


def test_unit_completion_is_the_mean_of_capped_ratios() -> None:
    assert unit_completion(D("3000"), 2, [_p("1000"), _p("750")]) == Fraction(1, 2) * (Fraction(7, 12) + 1)
    assert unit_completion(D("3000"), None, [_p("5000")]) == 1
    assert unit_completion(None, None, [_p("5000")]) is None  # no target, no completion


def test_cadre_completion_takes_the_best_project_in_any_sector() -> None:
    middle = DEFAULT.cadre_target["中层"]
    assert cadre_completion(middle, [_p("400")]) == Fraction(4, 5)
    assert cadre_completion(middle, [_p("400"), _p("2000", "三产")]) == 1  # two sectors: the best counts
    assert cadre_completion(None, [_p("400")]) is None


def test_middle_cadre_penalty_worked_example() -> None:
    deduction = cadre_deduction("中层", Fraction(4, 5), PENALTY)
    assert deduction is not None and deduction.amount == D("720.00")
    assert cadre_deduction("区领导", Fraction(1, 2), PENALTY).amount == D("2400.00")  # type: ignore[union-attr]
    assert cadre_deduction("一般", Fraction(0), PENALTY) is None
    assert cadre_deduction("中层", Fraction(1), PENALTY) is None


def test_village_penalty_rounds_per_person_first() -> None:
    deduction = unit_deduction("村", Fraction(7, 12), 5, PENALTY)
    assert deduction is not None
    assert (deduction.per_person, deduction.amount) == (D("833.33"), D("4166.65"))
    assert not deduction.veto


def test_department_penalty_veto_and_admonishment() -> None:
    low = unit_deduction("部门", Fraction(2, 5), 12, PENALTY)
    assert low is not None and low.veto and low.admonish
    assert (low.per_person, low.amount) == (D("2100.00"), D("25200.00"))
    assert "一票否决" in low.basis and "诫勉谈话" in low.basis
    near = unit_deduction("部门", Fraction(9, 10), 12, PENALTY)
    assert near is not None and near.veto and not near.admonish
    assert unit_deduction("部门", Fraction(1), 12, PENALTY) is None
    assert unit_deduction("部门", None, 12, PENALTY) is None  # a unit without targets


# ---- properties

amounts = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False)


@given(a=amounts, b=amounts)
def test_information_tiers_are_monotone(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    r_low, r_high = info_reward_domestic(low, INFO), info_reward_domestic(high, INFO)
    assert (r_low.amount if r_low else 0) <= (r_high.amount if r_high else 0)


@given(first=amounts, final=amounts, expenses=amounts)
def test_intro_settlements_sum_to_the_rate_on_the_final_investment(first, final, expenses) -> None:
    final = max(first, final)  # cumulative investment does not shrink
    facts = IntroFacts("P", D("600"), dt.date(2024, 1, 1), dt.date(2025, 1, 1), {2024: first, 2025: final},
                       {2024: expenses, 2025: expenses})
    one = intro_settlements(facts, 2024, INTRO)
    two = intro_settlements(facts, 2025, INTRO, earlier=one)
    settlements = one + two
    assert all(s.gross >= 0 and s.offset >= 0 and s.payable >= 0 for s in settlements)
    assert sum(s.gross for s in settlements) == (INTRO.rate * final * 10000).quantize(D("0.01"))
    assert sum(s.offset for s in settlements) <= expenses


@given(c=st.fractions(min_value=0, max_value=1), people=st.integers(0, 50))
def test_deductions_never_negative_nor_above_the_base(c: Fraction, people: int) -> None:
    for unit_type, base in (("部门", PENALTY.department_bonus), ("村", PENALTY.village_wage)):
        deduction = unit_deduction(unit_type, c, people, PENALTY)
        if deduction is not None:
            assert D(0) <= deduction.per_person <= base
            assert deduction.amount == deduction.per_person * people
