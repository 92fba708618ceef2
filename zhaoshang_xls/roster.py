"""目标责任表 (roster and targets): the units and cadres (read and checked by ``reading.roster``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    type: str  # 村 / 部门 / 区领导
    group: str  # 评比分组 (defaults to the type)
    target_amount: Decimal | None  # 年度引资目标(万元); None = no such target
    target_projects: int | None  # 年度签约项目目标(个); None = no such target
    headcount: int | None
    village_cadres: int | None
    focus: str
    email: str | None


@dataclass(frozen=True)
class Cadre:
    code: str
    name: str
    unit_code: str
    rank: str
    full_time: bool


@dataclass(frozen=True)
class Roster:
    units: tuple[Unit, ...]
    cadres: tuple[Cadre, ...]

    def unit(self, code: str) -> Unit | None:
        return self._units_by_code.get(code)

    def cadres_of(self, unit_code: str) -> tuple[Cadre, ...]:
        return self._cadres_by_unit.get(unit_code, ())

    # Indexes built once (a city's roster has thousands of units; every file asks).
    @cached_property
    def _units_by_code(self) -> dict[str, Unit]:
        index: dict[str, Unit] = {}
        for u in self.units:
            index.setdefault(u.code, u)
        return index

    @cached_property
    def _cadres_by_unit(self) -> dict[str, tuple[Cadre, ...]]:
        index: dict[str, list[Cadre]] = defaultdict(list)
        for c in self.cadres:
            index[c.unit_code].append(c)
        return {code: tuple(cadres) for code, cadres in index.items()}

    @cached_property
    def names(self) -> frozenset[str]:
        """Every cadre's name."""
        return frozenset(c.name for c in self.cadres)
