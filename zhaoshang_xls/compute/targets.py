"""Completion against annual targets (SPEC §10.2): units and 区领导/中层 cadres. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class SignedProject:
    """A project counted for year y (signed in y): who introduced it and how big it is."""

    project_id: str
    unit_code: str  # the introducer unit
    introducer: str | None  # the introducer cadre's name
    sector: str  # 工业 / 三产 / 农业
    total_investment: Decimal  # 计划总投资, 万元
    name: str = ""


def unit_completion(target_amount: Decimal | None, target_projects: int | None,
                    projects: Iterable[SignedProject]) -> Fraction | None:
    """Mean over the targets the unit has of min(1, actual / target); None without targets.

    Kept exact (a Fraction): never rounded before use.
    """
    signed = list(projects)
    parts = []
    if target_amount:
        amount = sum((p.total_investment for p in signed), Decimal(0))
        parts.append(min(Fraction(1), Fraction(amount) / Fraction(target_amount)))
    if target_projects:
        parts.append(min(Fraction(1), Fraction(len(signed), target_projects)))
    if not parts:
        return None
    return sum(parts, Fraction(0)) / len(parts)


def cadre_completion(rank_targets: Mapping[str, Decimal] | None, projects: Iterable[SignedProject]) -> Fraction | None:
    """min(1, best over the cadre's signed projects of total / target[sector]); None for ranks
    without an annual project target (一般)."""
    if not rank_targets:
        return None
    best = Fraction(0)
    for p in projects:
        target = rank_targets.get(p.sector)
        if target:
            best = max(best, Fraction(p.total_investment) / Fraction(target))
    return min(Fraction(1), best)
