"""Rewards (SPEC §10.4): 信息奖, 引进项目奖, 财税分成奖 — pure functions, exact to the 分.

Every result carries its basis in words and numbers, the way the 年终考核 workbook shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from zhaoshang_xls.compute.money import WAN, fmt_rate, fmt_wan, fmt_yuan, yuan
from zhaoshang_xls.config import InfoReward, IntroReward, TaxShare
from zhaoshang_xls.schema import UNIT_DEPARTMENT, UNIT_VILLAGE


@dataclass(frozen=True)
class Reward:
    amount: Decimal  # 元, rounded to the 分
    basis: str
    base: Decimal | None = None  # what the amount was computed on (万元, or 万美元 for foreign capital)
    rate: Decimal | None = None  # None: a fixed amount by band
    base_unit: str = "万元"


def info_reward_domestic(fixed_assets: Decimal, rule: InfoReward) -> Reward | None:
    """Tier by fixed assets (万元) for a domestic project; None below the threshold."""
    if fixed_assets < rule.min_fixed_assets:
        return None
    lower, above = rule.min_fixed_assets, False
    for tier in rule.tiers:
        if tier.upto is None or fixed_assets <= tier.upto:
            # bands that do not overlap: 500.00–1,000.00, 1,000.01–3,000.00, …, 5,000.00以上 (more than 5,000)
            start = fmt_wan(lower + Decimal("0.01")) if above else fmt_wan(lower)
            band = f"{start}–{fmt_wan(tier.upto)}" if tier.upto is not None else f"超过 {fmt_wan(lower)}"
            return Reward(yuan(tier.amount), f"内资项目固定资产投资 {fmt_wan(fixed_assets)}，属 {band} 档，"
                                             f"奖励 {fmt_yuan(tier.amount)}", base=fixed_assets)
        lower, above = tier.upto, True
    raise AssertionError("the last tier has no upper bound")  # pragma: no cover - config guarantees it


def info_reward_foreign(arrived_in_year: Decimal, rule: InfoReward, year: int) -> Reward | None:
    """0.3% of the registered foreign capital that ``year`` pays on (万美元 -> 元): see ``foreign_due``."""
    if arrived_in_year <= 0:
        return None
    rate, usd = rule.foreign_rate, rule.usd_cny_for(year)
    amount = yuan(rate * arrived_in_year * WAN * usd)
    return Reward(amount, f"外资项目 {year} 年计奖到账 {fmt_wan(arrived_in_year, '万美元')}，"
                          f"{fmt_rate(rate)} × {arrived_in_year:,}万美元 × 10,000 × 汇率 {usd} = {fmt_yuan(amount)}",
                  base=arrived_in_year, rate=rate, base_unit="万美元")


@dataclass(frozen=True)
class ForeignDue:
    """The foreign 信息奖 base of one year: each 万美元 is paid on once."""

    due: Decimal  # 万美元 this year pays on
    paid_on: Decimal  # the highest cumulative amount an earlier year already paid on
    cumulative: Decimal  # 外资实际到账 (cumulative) at the end of the year

    @property
    def basis(self) -> str:
        return (f"累计到账 {fmt_wan(self.cumulative, '万美元')}，此前已计奖 {fmt_wan(self.paid_on, '万美元')}，"
                f"本年计奖 {fmt_wan(self.due, '万美元')}")


def foreign_due(cumulative: Mapping[int, Decimal], success_year: int, year: int) -> ForeignDue:
    """Arrivals above the highest cumulative amount already paid on; arrivals before the year of
    success are paid in the year of success (docs/rules.md, 信息奖)."""
    now = _cumulative(cumulative, year)
    paid_on = max((_cumulative(cumulative, y) for y in range(success_year, year)), default=Decimal(0))
    return ForeignDue(max(Decimal(0), now - paid_on), paid_on, now)


@dataclass(frozen=True)
class IntroFacts:
    """What the ledger knows of a project for the 引进项目奖."""

    project_id: str
    fixed_assets: Decimal  # planned, 万元 (the threshold)
    started_on: dt.date | None
    completed_on: dt.date | None
    actual_by_year_end: Mapping[int, Decimal]  # 累计完成固定资产投资 at the end of each year, 万元
    expenses_by_year_end: Mapping[int, Decimal]  # 招商费用累计 at the end of each year, 元


@dataclass(frozen=True)
class Settlement:
    """One settlement of the 引进项目奖 (first: the start year; second: the completion year)."""

    project_id: str
    year: int
    sequence: int  # 1 or 2
    gross: Decimal  # 应计奖金
    offset: Decimal  # 冲销招商费用
    payable: Decimal  # 应发金额
    basis: str
    base: Decimal | None = None  # 累计完成固定资产投资 (万元) the settlement was computed on
    rate: Decimal | None = None


def _cumulative(values: Mapping[int, Decimal], year: int) -> Decimal:
    known = [y for y in values if y <= year]
    return values[max(known)] if known else Decimal(0)


def intro_settlements(facts: IntroFacts, year: int, rule: IntroReward,
                      earlier: Sequence[Settlement] = ()) -> list[Settlement]:
    """The settlements due in ``year``; ``earlier`` are those already recorded (never paid twice)."""
    if facts.fixed_assets < rule.min_fixed_assets or facts.started_on is None:
        return []
    done = {s.sequence for s in earlier}
    settled_gross = sum((s.gross for s in earlier), Decimal(0))
    offset_so_far = sum((s.offset for s in earlier), Decimal(0))
    due: list[Settlement] = []
    actual = _cumulative(facts.actual_by_year_end, year)
    expenses = _cumulative(facts.expenses_by_year_end, year)
    if facts.started_on.year == year and 1 not in done:
        gross = yuan(rule.rate * actual * WAN)
        basis = f"开工当年第一次结算：{fmt_rate(rule.rate)} × {fmt_wan(actual)} = {fmt_yuan(gross)}"
        due.append(_settle(facts.project_id, year, 1, gross, expenses - offset_so_far, basis, rule, actual))
        settled_gross += gross
        offset_so_far += due[-1].offset
    if facts.completed_on is not None and facts.completed_on.year == year and 2 not in done:
        total = yuan(rule.rate * actual * WAN)
        gross = max(Decimal(0), total - settled_gross)
        first = f" − 第一次结算 {fmt_yuan(settled_gross)}" if settled_gross else "（无第一次结算记录）"
        basis = (f"竣工后第二次结算：{fmt_rate(rule.rate)} × {fmt_wan(actual)} = {fmt_yuan(total)}{first}"
                 f" = {fmt_yuan(gross)}")
        due.append(_settle(facts.project_id, year, 2, gross, expenses - offset_so_far, basis, rule, actual))
    return due


def _settle(project_id: str, year: int, sequence: int, gross: Decimal, open_expenses: Decimal, basis: str,
            rule: IntroReward, base: Decimal) -> Settlement:
    offset = min(gross, max(Decimal(0), open_expenses)) if rule.offset_expenses else Decimal(0)
    offset = yuan(offset)
    payable = gross - offset
    if offset:
        basis += f"，冲销招商费用 {fmt_yuan(offset)}"
        carried = open_expenses - offset
        if carried > 0:
            basis += f"（尚有 {fmt_yuan(carried)} 留待下次冲销）"
    basis += f"，应发 {fmt_yuan(payable)}"
    return Settlement(project_id, year, sequence, gross, offset, payable, basis, base, rule.rate)


@dataclass(frozen=True)
class TaxShareLine:
    project_id: str
    tax_year: int
    zone_tax: Decimal  # 万元
    rate: Decimal
    amount: Decimal
    basis: str


def shares_tax(unit_type: str, rule: TaxShare) -> Decimal | None:
    """The 财税分成 rate of a 招引单位 of this type: only villages and departments share the tax."""
    return {UNIT_VILLAGE: rule.village, UNIT_DEPARTMENT: rule.department}.get(unit_type)


def tax_share(project_id: str, unit_type: str, taxes: Mapping[int, Decimal], year: int,
              rule: TaxShare) -> TaxShareLine | None:
    """财税分成奖 for ``year``: only within the first ``years`` calendar years with tax > 0."""
    paying = sorted(y for y, tax in taxes.items() if tax > 0)
    if year not in paying[: rule.years]:
        return None
    rate = shares_tax(unit_type, rule)
    if rate is None:  # only villages and departments share the tax (docs/rules.md, 财税分成奖)
        return None
    zone_tax = taxes[year]
    amount = yuan(rate * zone_tax * WAN)
    nth = paying.index(year) + 1
    return TaxShareLine(project_id, year, zone_tax, rate, amount,
                        f"有税收的第 {nth} 年：{fmt_rate(rate)} × {fmt_wan(zone_tax)} = {fmt_yuan(amount)}")
