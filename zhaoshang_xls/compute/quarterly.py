"""一季一评比 (SPEC §10.3) and 半年一小结: scores, ranks and totals for a quarter or half-year.

Pure: the ledger's frames, the roster and the configuration go in; every figure of the two
workbooks comes out, each score with a one-line explanation of its parts. Scores are exact
fractions until they are shown (one decimal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import pandas as pd

from zhaoshang_xls import schema
from zhaoshang_xls.compute.annual import ProjectFacts, introducer_of, project_facts
from zhaoshang_xls.compute.money import exact
from zhaoshang_xls.compute.monthly import count_contacts, count_leads, month_states, not_counted, series_get
from zhaoshang_xls.compute.targets import SignedProject, unit_completion
from zhaoshang_xls.config import Config
from zhaoshang_xls.periods import Month, Span
from zhaoshang_xls.records import LedgerFrames
from zhaoshang_xls.roster import Roster

TOP, BOTTOM = "表彰", "鞭策后进"
COMPONENTS = ("contacts", "leads", "investment", "progress", "bonus")
COMPONENT_LABELS = {"contacts": schema.CONTACTS.name, "leads": "信息报送", "investment": "签约引资",
                    "progress": "项目推进", "bonus": "主导产业加分"}


def show(value: Fraction | Decimal | int) -> Decimal:
    """A score as shown: one decimal, half up."""
    return exact(Fraction(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class UnitScore:
    unit_code: str
    unit_name: str
    unit_type: str
    group: str
    contacts: int
    leads: int
    contacts_target: int
    leads_target: int
    signed_ytd: Decimal  # 万元, signed from January to the end of the period
    investment_target: Decimal | None  # annual amount target × elapsed share; None: no target
    progress_projects: tuple[str, ...]
    bonus_projects: tuple[str, ...]
    missing_months: tuple[Month, ...]
    late_months: tuple[Month, ...]
    points: dict[str, Fraction | None]  # component -> points (None: not applicable)
    deduction: Fraction
    total: Fraction
    explanation: str
    rank: int = 0
    mark: str = ""
    monthly: dict[str, tuple[int, int]] = field(default_factory=dict)  # month -> (contacts, leads)


@dataclass
class CadreScore:
    cadre_code: str
    name: str
    unit_code: str
    rank_title: str
    contacts: int
    leads: int
    projects: tuple[str, ...]
    points: dict[str, Fraction]
    total: Fraction
    explanation: str
    rank: int = 0


@dataclass
class PeriodScores:
    span: Span
    months: list[Month]  # the assessed months of the span
    months_with_data: list[Month]
    units: list[UnitScore]
    cadres: list[CadreScore]
    trend_months: list[Month]  # assessed months from January to the end of the span
    trend_with_data: list[Month] = field(default_factory=list)  # those of them the ledger has data for

    @property
    def months_without_data(self) -> list[Month]:
        return [m for m in self.months if m not in self.months_with_data]


def competition_ranks(keys: Sequence[Any]) -> list[int]:
    """Competition ranking (1, 2, 2, 4) of already sorted keys, best first."""
    ranks: list[int] = []
    for i, key in enumerate(keys):
        ranks.append(ranks[-1] if i and key == keys[i - 1] else i + 1)
    return ranks


def _ratio(actual: int | Decimal, target: int | Decimal) -> Fraction:
    return min(Fraction(1), Fraction(actual) / Fraction(target))


def _reached_in(f: ProjectFacts, stage: str, first: dt.date, last: dt.date) -> bool:
    day = f.reached.get(stage)
    return day is not None and first <= day <= last


def period_scores(frames: LedgerFrames, roster: Roster, config: Config, span: Span) -> PeriodScores:
    """Every unit's and cadre's score for ``span`` (a quarter; a half-year is scored alike)."""
    q = config.quarterly
    assessed = set(config.assessed_months())
    months = [m for m in span.months if m.month in assessed]
    with_data = set(frames.submissions["month"]) if not frames.submissions.empty else set()
    months_with_data = [m for m in months if str(m) in with_data]
    n = len(months_with_data)
    first, last = span.months[0].first_day, span.months[-1].last_day
    labels = [str(m) for m in months_with_data]
    contacts = frames.contacts[frames.contacts["month"].isin(labels)] if not frames.contacts.empty \
        else frames.contacts
    projects = frames.projects[frames.projects["first_month"].isin(labels)] if not frames.projects.empty \
        else frames.projects
    excluded = not_counted(frames.screening)
    unit_contacts = count_contacts(contacts, ["unit_code"])
    unit_leads = count_leads(projects, ["unit_code"], excluded)
    facts = [f for f in project_facts(frames, span.year) if f.counts]
    year_start = dt.date(span.year, 1, 1)
    states = {m: {s.unit.code: s.state for s in month_states(frames, roster, m, config.monthly.report_due_day)}
              for m in months_with_data}
    trend_months = [Month(span.year, m) for m in sorted(assessed) if m <= span.months[-1].month]
    trend = _monthly_counts(frames, trend_months, excluded)
    elapsed, parts = span.fraction
    units = []
    for u in roster.units:
        mine = [f for f in facts if f.unit_code == u.code]
        signed_ytd = sum((f.total_investment for f in mine
                          if _reached_in(f, config.project.counted_stage, year_start, last)), Decimal(0))
        progressed = tuple(f.project_id for f in mine
                           if any(_reached_in(f, s, first, last) for s in q.progress_stages))
        bonus = tuple(f.project_id for f in mine if _reached_in(f, config.project.counted_stage, first, last)
                      and f.subsector in q.bonus_sectors)
        status = {m: states[m].get(u.code, schema.MISSING) for m in months_with_data}
        missing = tuple(m for m, s in status.items() if s in (schema.MISSING, schema.RETURNED))
        late = tuple(m for m, s in status.items() if s == schema.LATE)
        c, ld = series_get(unit_contacts, u.code), series_get(unit_leads, u.code)
        target = u.target_amount * elapsed / parts if u.target_amount else None
        score = _unit_score(u, c, ld, n, signed_ytd, target, progressed, bonus, missing, late, config)
        score.monthly = {str(m): trend.get((u.code, str(m)), (0, 0)) for m in trend_months}
        units.append(score)
    _rank_units(units, config)
    cadres = _cadre_scores(roster, config, contacts, projects, excluded, facts, n, first, last)
    return PeriodScores(span, months, months_with_data, units, cadres, trend_months,
                        [m for m in trend_months if str(m) in with_data])


def _monthly_counts(frames: LedgerFrames, months: list[Month], excluded: set[str]
                    ) -> dict[tuple[str, str], tuple[int, int]]:
    labels = [str(m) for m in months]
    contacts = frames.contacts[frames.contacts["month"].isin(labels)] if not frames.contacts.empty \
        else frames.contacts
    projects = frames.projects[frames.projects["first_month"].isin(labels)] if not frames.projects.empty \
        else frames.projects
    by_c = count_contacts(contacts, ["unit_code", "month"])
    by_l = count_leads(projects, ["unit_code", "first_month"], excluded)
    keys = set(by_c.index) | set(by_l.index)
    return {(str(u), str(m)): (series_get(by_c, (u, m)), series_get(by_l, (u, m))) for u, m in keys}


def _unit_score(u: Any, contacts: int, leads: int, months: int, signed: Decimal, target: Decimal | None,
                progressed: tuple[str, ...], bonus: tuple[str, ...], missing: tuple[Month, ...],
                late: tuple[Month, ...], config: Config) -> UnitScore:
    q = config.quarterly
    ct, lt = config.monthly.contacts * months, config.monthly.leads * months
    points: dict[str, Fraction | None] = {
        "contacts": Fraction(q.contacts_weight) * _ratio(contacts, ct) if ct else None,
        "leads": Fraction(q.leads_weight) * _ratio(leads, lt) if lt else None,
        "investment": Fraction(q.investment_weight) * _ratio(signed, target) if target else None,
        "progress": min(Fraction(q.progress_cap), Fraction(q.progress_points) * len(progressed)),
        "bonus": min(Fraction(q.bonus_cap), Fraction(q.bonus_points) * len(bonus)),
    }
    base_keys = ("contacts", "leads", "investment", "progress")
    weights = {"contacts": q.contacts_weight, "leads": q.leads_weight, "investment": q.investment_weight,
               "progress": q.progress_cap}
    full = sum((Fraction(weights[k]) for k in base_keys), Fraction(0))
    applicable = sum((Fraction(weights[k]) for k in base_keys if points[k] is not None), Fraction(0))
    base = sum((p for k in base_keys if (p := points[k]) is not None), Fraction(0))
    scale = full / applicable if applicable and applicable != full else Fraction(1)
    deduction = Fraction(q.missing_file_deduction) * len(missing) + Fraction(q.late_file_deduction) * len(late)
    bonus_points = points["bonus"] or Fraction(0)
    total = base * scale + bonus_points - deduction
    parts = []
    if points["contacts"] is not None:
        parts.append(f"客商 {contacts}/{ct} → {show(points['contacts'])}")
    if points["leads"] is not None:
        parts.append(f"信息 {leads}/{lt} → {show(points['leads'])}")
    if target:
        parts.append(f"引资 {signed:,.0f}/{target:,.0f}万元 → {show(points['investment'] or 0)}")
    else:
        parts.append("无引资目标，不计此项")
    parts.append(f"推进 {len(progressed)} 个 → {show(points['progress'] or 0)}")
    if scale != 1:
        parts.append(f"以上按满分 {show(applicable)} 折算为 {show(full)} 分 → {show(base * scale)}")
    if bonus:
        parts.append(f"主导产业 {len(bonus)} 个 +{show(bonus_points)}")
    if missing:
        parts.append(f"缺报 {len(missing)} 次 −{show(Fraction(q.missing_file_deduction) * len(missing))}")
    if late:
        parts.append(f"迟报 {len(late)} 次 −{show(Fraction(q.late_file_deduction) * len(late))}")
    return UnitScore(
        unit_code=u.code, unit_name=u.name, unit_type=u.type, group=u.group, contacts=contacts, leads=leads,
        contacts_target=ct, leads_target=lt, signed_ytd=signed, investment_target=target,
        progress_projects=progressed, bonus_projects=bonus, missing_months=missing, late_months=late,
        points=points, deduction=deduction, total=total, explanation="；".join(parts) + f"；合计 {show(total)}",
    )


def _rank_units(units: list[UnitScore], config: Config) -> None:
    """Rank inside each 评比分组 (competition ranking; ties broken by signed investment, then
    contacts) and mark the top and bottom of groups large enough for both."""
    top_n, bottom_n = config.quarterly.top_marked, config.quarterly.bottom_marked
    for group in sorted({u.group for u in units}):
        members = sorted((u for u in units if u.group == group), key=_unit_key, reverse=True)
        for u, rank in zip(members, competition_ranks([_unit_key(m) for m in members]), strict=True):
            u.rank = rank
        size = len(members)
        for position, u in enumerate(members, start=1):
            if size > top_n and u.rank <= top_n:
                u.mark = TOP
            elif size > top_n + bottom_n and position > size - bottom_n:
                u.mark = BOTTOM
    units.sort(key=lambda u: (u.group, u.rank, u.unit_code))


def _unit_key(u: UnitScore) -> tuple[Fraction, Decimal, int]:
    return (u.total, u.signed_ytd, u.contacts)


def _cadre_scores(roster: Roster, config: Config, contacts: pd.DataFrame,
                  projects: pd.DataFrame, excluded: set[str], facts: list[ProjectFacts], months: int,
                  first: dt.date, last: dt.date) -> list[CadreScore]:
    """个人排名: each cadre on their own contacts (结交人), leads (信息提供人) and the projects they
    introduced that moved in the period; same weights as the units' (no investment part)."""
    q = config.quarterly
    by_contacts = count_contacts(contacts, ["unit_code", "cadre"])
    by_leads = count_leads(projects, ["unit_code", "provider"], excluded)
    moved: dict[str, list[str]] = {}
    for f in facts:
        if any(_reached_in(f, s, first, last) for s in q.progress_stages):
            cadre = introducer_of(f.introducer, f.unit_code, roster)
            if cadre:
                moved.setdefault(cadre.code, []).append(f.project_id)
    ct, lt = config.monthly.contacts * months, config.monthly.leads * months
    scores = []
    for cadre in roster.cadres:
        key = (cadre.unit_code, cadre.name)
        c, ld, mine = series_get(by_contacts, key), series_get(by_leads, key), tuple(moved.get(cadre.code, ()))
        points = {
            "contacts": Fraction(q.contacts_weight) * _ratio(c, ct) if ct else Fraction(0),
            "leads": Fraction(q.leads_weight) * _ratio(ld, lt) if lt else Fraction(0),
            "progress": min(Fraction(q.progress_cap), Fraction(q.progress_points) * len(mine)),
        }
        total = sum(points.values(), Fraction(0))
        explanation = (f"客商 {c}/{ct} → {show(points['contacts'])}；信息 {ld}/{lt} → {show(points['leads'])}；"
                       f"推进 {len(mine)} 个 → {show(points['progress'])}；合计 {show(total)}")
        scores.append(CadreScore(cadre.code, cadre.name, cadre.unit_code, cadre.rank, c, ld, mine, points, total,
                                 explanation))
    scores.sort(key=_cadre_key, reverse=True)
    for s, rank in zip(scores, competition_ranks([_cadre_key(s) for s in scores]), strict=True):
        s.rank = rank
    return scores


def _cadre_key(s: CadreScore) -> tuple[Fraction, int, int, int]:
    return (s.total, len(s.projects), s.leads, s.contacts)


# --- 半年一小结 -----------------------------------------------------------------------------------


@dataclass
class HalfYear:
    span: Span
    scores: PeriodScores
    totals: dict[str, Any]
    completion: pd.DataFrame  # per unit: targets, signed, rates, behind
    by_stage_sector: pd.DataFrame  # projects registered by the end of the span, stage × sector
    expected: Fraction  # the share of the annual targets expected by the end of the span
    summary: str


def half_year(frames: LedgerFrames, roster: Roster, config: Config, span: Span) -> HalfYear:
    scores = period_scores(frames, roster, config, span)
    expected = Fraction(*span.fraction)
    first, last = span.months[0].first_day, span.months[-1].last_day
    facts = [f for f in project_facts(frames, span.year) if f.counts]
    signed = [f for f in facts if _reached_in(f, config.project.counted_stage, first, last)]
    started = [f for f in facts if _reached_in(f, "开工", first, last)]
    year_start = dt.date(span.year, 1, 1)
    rows = []
    for u in roster.units:
        mine = [f for f in facts if f.unit_code == u.code
                and _reached_in(f, config.project.counted_stage, year_start, last)]
        amount = sum((f.total_investment for f in mine), Decimal(0))
        amount_rate = Fraction(amount) / Fraction(u.target_amount) if u.target_amount else None
        count_rate = Fraction(len(mine), u.target_projects) if u.target_projects else None
        completion = unit_completion(u.target_amount, u.target_projects,
                                     [SignedProject(f.project_id, u.code, f.introducer, f.sector or "",
                                                    f.total_investment) for f in mine])
        rows.append({"unit_code": u.code, "unit_name": u.name, "unit_type": u.type, "group": u.group,
                     "target_amount": u.target_amount, "signed_amount": amount, "amount_rate": amount_rate,
                     "target_projects": u.target_projects, "signed_count": len(mine), "count_rate": count_rate,
                     "completion": completion, "behind": completion is not None and completion < expected})
    completion = pd.DataFrame(rows, dtype=object)
    table = pd.DataFrame([{"stage": f.stage, "sector": f.sector or "未填", "amount": f.total_investment}
                          for f in facts], columns=["stage", "sector", "amount"], dtype=object)
    totals = {
        "contacts": sum(u.contacts for u in scores.units), "leads": sum(u.leads for u in scores.units),
        "signed": len(signed), "signed_amount": sum((f.total_investment for f in signed), Decimal(0)),
        "started": len(started), "units": len(roster.units),
        "months": len(scores.months_with_data), "missing_months": scores.months_without_data,
    }
    behind_units = completion[completion["behind"]] if not completion.empty else completion
    summary = _summary_text(span, totals, behind_units, expected)
    return HalfYear(span, scores, totals, completion, table, expected, summary)


def _summary_text(span: Span, totals: dict[str, Any], behind: pd.DataFrame, expected: Fraction) -> str:
    half = "上半年" if span.index == 1 else "下半年"
    text = (f"{half}全区共结交客商 {totals['contacts']:,} 人次，报送项目信息 {totals['leads']:,} 条，"
            f"新签约项目 {totals['signed']} 个，计划总投资 {totals['signed_amount']:,.2f} 万元，"
            f"新开工项目 {totals['started']} 个。")
    if not behind.empty:
        names = "、".join(behind["unit_name"])
        text += (f"对照年度目标，截至{half}末应完成 {show(expected * 100)}%,{names}等 {len(behind)} 个单位"
                 "进度滞后，需加大招商力度。")
    else:
        text += f"各单位均已完成年度目标任务的 {show(expected * 100)}% 以上。"
    if totals["missing_months"]:
        text += "（注：" + "、".join(m.label for m in totals["missing_months"]) + " 尚无数据。）"
    return text
