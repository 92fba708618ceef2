"""Penalties (SPEC §10.5): deduction = base × (1 − completion), rounded per person first."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from zhaoshang_xls.compute.money import exact as to_decimal
from zhaoshang_xls.compute.money import fmt_yuan, yuan
from zhaoshang_xls.config import Penalty
from zhaoshang_xls.schema import UNIT_DEPARTMENT, UNIT_VILLAGE


@dataclass(frozen=True)
class Deduction:
    amount: Decimal  # the total (for a unit: per person × people)
    per_person: Decimal
    people: int
    basis: str
    veto: bool = False  # 一票否决: not eligible for year-end honours
    admonish: bool = False  # 诫勉谈话 for the unit head


def _shortfall(base: Decimal, completion: Fraction) -> Decimal:
    """base × (1 − c), exactly, then rounded to the 分."""
    exact = Fraction(base) * (1 - completion)
    return yuan(to_decimal(exact))


def _pct(completion: Fraction) -> str:
    return f"{float(completion) * 100:.1f}%"


def cadre_deduction(rank: str, completion: Fraction | None, rule: Penalty) -> Deduction | None:
    """区领导 / 中层: their 出差包干补助 base × (1 − c); None when nothing is due."""
    base = rule.cadre_base(rank)
    if base is None or completion is None or completion >= 1:
        return None
    amount = _shortfall(base, completion)
    return Deduction(amount, amount, 1, f"{rank}基数 {fmt_yuan(base)} × (1 − {_pct(completion)}) = {fmt_yuan(amount)}")


def unit_deduction(unit_type: str, completion: Fraction | None, people: int | None, rule: Penalty) -> Deduction | None:
    """部门: 一票否决 and 3500 × (1 − c) per 在编 person; 村: 2000 × (1 − c) per village cadre."""
    if completion is None or completion >= 1 or unit_type not in (UNIT_DEPARTMENT, UNIT_VILLAGE):
        return None
    department = unit_type == UNIT_DEPARTMENT
    base = rule.department_bonus if department else rule.village_wage
    who = "在编人员" if department else "村干部"
    count = people or 0
    per_person = _shortfall(base, completion)
    total = per_person * count
    basis = (f"完成率 {_pct(completion)}；每人 {fmt_yuan(base)} × (1 − {_pct(completion)}) = {fmt_yuan(per_person)}，"
             f"× {who} {count} 人 = {fmt_yuan(total)}")
    if not count:
        basis += f"（目标责任表未填{who}人数，扣罚为 0；请补填后重新测算）"
    if department:
        basis += "；一票否决，取消年终综合评优资格"
    admonish = department and completion < rule.admonish_below
    if admonish:
        basis += f"；完成率低于 {float(rule.admonish_below) * 100:.0f}%，建议对单位一把手诫勉谈话"
    return Deduction(total, per_person, count, basis, veto=department, admonish=admonish)
