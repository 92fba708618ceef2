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
    year: int | None = None  # 年度: the row holds that year's targets; None = every year without its own row


@dataclass(frozen=True)
class Cadre:
    code: str
    name: str
    unit_code: str
    rank: str
    full_time: bool


@dataclass(frozen=True)
class Roster:
    """The units (one per code) and cadres; ``rows`` keeps every 单位 row as read when some hold a
    single year's targets (``for_year`` picks them; docs/rules.md, 目标责任表)."""

    units: tuple[Unit, ...]
    cadres: tuple[Cadre, ...]
    rows: tuple[Unit, ...] = ()

    def for_year(self, year: int | None) -> Roster:
        """The roster of ``year``: each unit's row of that 年度, else its row without a 年度; a unit
        whose rows all name other years is not part of that year. ``None``: every unit (its row
        without a 年度, else its latest year's), for telling units apart only."""
        rows = self.rows or self.units
        if year is None or not self.rows:
            return self
        own = {u.code: u for u in rows if u.year == year}
        every = {u.code: u for u in rows if u.year is None}
        order = dict.fromkeys(u.code for u in rows)
        units = tuple(unit for code in order if (unit := own.get(code) or every.get(code)) is not None)
        return Roster(units, self.cadres, self.rows)

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
