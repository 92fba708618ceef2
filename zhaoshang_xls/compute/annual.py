"""年终考核 for year y (SPEC §10.2, §10.4, §10.5): completion, rewards and penalties.

Pure: the ledger's frames, the roster, the configuration, the tax figures and the settlements
already recorded go in; every line of the 年终考核 workbook comes out, each with its basis.
The money rules themselves live in ``targets``, ``rewards`` and ``penalties``; this module
decides which projects they apply to (signed in y, 首报 priority, settled before or not).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd

from zhaoshang_xls import schema
from zhaoshang_xls.compute.money import fmt_yuan
from zhaoshang_xls.compute.penalties import Deduction, cadre_deduction, unit_deduction
from zhaoshang_xls.compute.projects import latest_values, reports_by_project
from zhaoshang_xls.compute.rewards import (
    IntroFacts,
    Settlement,
    foreign_due,
    info_reward_domestic,
    info_reward_foreign,
    intro_settlements,
    shares_tax,
    tax_share,
)
from zhaoshang_xls.compute.states import received_on
from zhaoshang_xls.compute.targets import SignedProject, cadre_completion, unit_completion
from zhaoshang_xls.config import Config
from zhaoshang_xls.records import Filed, LedgerFrames, MoneyLine, SettledItem, TaxRecord, YearResult
from zhaoshang_xls.roster import Cadre, Roster

INFO, INTRO, TAX_SHARE = "info", "intro", "tax_share"
KIND_LABELS = {INFO: "信息奖", INTRO: "引进项目奖", TAX_SHARE: "财税分成奖"}
ESTIMATE, SETTLED, SETTLING = "测算", "已结算", "本次结算"
PERSON, UNIT = "个人", schema.ROSTER_UNITS.name  # recipient types of the 汇总 (a unit: 单位)


@dataclass(frozen=True)
class ProjectFacts:
    """What the ledger knows of one project at the end of the year assessed."""

    project_id: str
    name: str
    unit_code: str  # the 招引单位 credited (the registering unit unless the bureau or a merge says otherwise)
    funding: str | None
    sector: str | None
    total_investment: Decimal
    fixed_assets: Decimal
    provider: str | None
    provided_on: dt.date | None
    received: dt.date | None  # when the registering file was received (ties of 首报): compute.states.received_on
    introducer: str | None  # 招引责任人 (defaults to the provider)
    stage: str
    reached: Mapping[str, dt.date]  # stage -> day reached (its date, or the first month reported at it)
    actual_by_year_end: Mapping[int, Decimal]  # 累计完成固定资产投资, 万元
    expenses_by_year_end: Mapping[int, Decimal]  # 招商费用累计, 元
    foreign_by_year_end: Mapping[int, Decimal]  # 外资实际到账累计, 万美元
    verdict: str | None = None
    duplicate_of: str | None = None
    source: str = ""
    subsector: str | None = None
    registered_by: str = ""  # the unit that registered this report (unit_code is the 招引单位 credited)
    merged: tuple[str, ...] = ()  # the ids judged 重复 of this project, whose reports count for it
    inferred: frozenset[str] = frozenset()  # stages whose day is the first month reported (no date given)

    def __post_init__(self) -> None:
        if not self.registered_by:
            object.__setattr__(self, "registered_by", self.unit_code)

    @property
    def counts(self) -> bool:
        return self.verdict not in schema.NOT_COUNTED


@dataclass(frozen=True)
class UnitResult:
    code: str
    name: str
    type: str
    group: str
    target_amount: Decimal | None
    target_projects: int | None
    signed_amount: Decimal
    signed: tuple[str, ...]  # project ids signed in the year
    completion: Fraction | None
    deduction: Deduction | None


@dataclass(frozen=True)
class CadreResult:
    code: str
    name: str
    unit_code: str
    rank: str
    best: SignedProject | None
    target: Decimal | None  # the target of the best project's sector
    completion: Fraction | None
    deduction: Deduction | None


@dataclass
class Annual:
    year: int
    units: list[UnitResult]
    cadres: list[CadreResult]
    info: list[MoneyLine]
    intro: list[MoneyLine]
    tax_share: list[MoneyLine]
    notes: list[str] = field(default_factory=list)
    totals: pd.DataFrame = field(default_factory=pd.DataFrame)  # 汇总: per recipient (recipient_totals)

    @property
    def deductions(self) -> list[Deduction]:
        """Every deduction of the year: cadres first, then units."""
        return [d for d in [*(c.deduction for c in self.cadres), *(u.deduction for u in self.units)] if d]

    @property
    def money_lines(self) -> list[MoneyLine]:
        return [*self.info, *self.intro, *self.tax_share]

    def results(self) -> list[YearResult]:
        """Each unit's and cadre's completion and deduction, as ``--finalize`` freezes them."""
        def one(kind: str, code: str, completion: Fraction | None, d: Deduction | None,
                amount: Decimal | None = None, projects: int | None = None) -> YearResult:
            return YearResult(kind, code, completion, amount, projects, d.amount if d else None,
                              d.per_person if d else None, d.people if d else None, d.basis if d else "",
                              bool(d and d.veto), bool(d and d.admonish))

        return [*(one("unit", u.code, u.completion, u.deduction, u.target_amount, u.target_projects)
                  for u in self.units),
                *(one("cadre", c.code, c.completion, c.deduction) for c in self.cadres)]

    def to_settle(self) -> list[MoneyLine]:
        """Lines not settled yet that a finalisation records (intro lines even at zero: the
        second settlement needs the first one's gross)."""
        return [m for m in self.money_lines if m.status == ESTIMATE and (m.kind == INTRO or m.gross > 0)]


# --- facts from the ledger's frames -------------------------------------------------------------


def frozen(annual: Annual, results: Sequence[YearResult], roster: Roster) -> Annual:
    """``annual`` with the completions, targets and deductions its year's finalisation froze: later
    roster edits or reports do not change a finalised year's figures (docs/rules.md, 测算 and 结算)."""
    if not results:
        return annual
    stored = {(r.kind, r.code): r for r in results}

    def deduction(r: YearResult) -> Deduction | None:
        if r.deduction is None:
            return None
        return Deduction(r.deduction, r.per_person or Decimal(0), r.people or 0, r.basis, r.veto, r.admonish)

    units = [replace(u, completion=r.completion, target_amount=r.target_amount, target_projects=r.target_projects,
                     deduction=deduction(r)) if (r := stored.get(("unit", u.code))) else u for u in annual.units]
    cadres = [replace(c, completion=r.completion, deduction=deduction(r)) if (r := stored.get(("cadre", c.code)))
              else c for c in annual.cadres]
    notes = [*annual.notes, f"{annual.year} 年已结算：完成率、目标和扣罚按结算时冻结的结果列示，"
             "此后名单或报表的改动不再影响本年。"]
    result = replace(annual, units=units, cadres=cadres, notes=notes)
    result.totals = recipient_totals(result, roster)
    return result


def duplicate_roots(decided: Mapping[str, Mapping[str, Any]], ids: Sequence[str]) -> dict[str, str]:
    """Each project's kept project: itself, or the end of its 重复于 chain (cycles and unknown ids
    stop the chain where they start)."""
    known = set(ids)
    roots = {}
    for pid in ids:
        current, seen = pid, {pid}
        while True:
            d = decided.get(current, {})
            nxt = d.get("duplicate_of")
            if d.get("verdict") != schema.DUPLICATE or nxt not in known or nxt in seen:
                break
            seen.add(nxt)
            current = nxt
        roots[pid] = current
    return roots


def project_facts(frames: LedgerFrames, year: int) -> list[ProjectFacts]:
    """Every project registered up to the end of ``year`` with its state at the end of each year.

    A project the bureau judged 重复 joins the project it repeats (docs/rules.md, 线索甄别): the kept
    project's facts come from every 项目进展 row reported under any id of the group, and its
    招引单位 is the one the bureau wrote, else the unit that reports the group's progress, else the
    kept project's own unit.
    """
    if frames.projects.empty:
        return []
    subs = frames.submissions.set_index("id").to_dict("index") if not frames.submissions.empty else {}
    decided = {} if frames.screening.empty else {d["project_id"]: d for d in frames.screening.to_dict("records")}
    # every report on record, later years' included: a stage dated in ``year`` but reported in a
    # later file still counts in ``year`` (docs/rules.md, 迟报的事实)
    by_project = reports_by_project(frames.updates, "9999-12")
    projects = frames.projects.sort_values("id").to_dict("records")
    roots = duplicate_roots(decided, [p["id"] for p in projects])
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in projects:
        members[roots[p["id"]]].append(p)
    facts = []
    for p in projects:
        group = members.get(p["id"], [p]) if roots[p["id"]] == p["id"] else [p]
        reports = sorted((u for m in group for u in by_project.get(m["id"], [])), key=lambda u: (u["month"], u["id"]))
        sub = subs.get(p["submission_id"], {})
        last_file = subs.get(reports[-1]["submission_id"], {}).get("file_name") if reports else None
        source = f"{sub.get('file_name', '')} {p['source_sheet']} 第{p['source_row']}行"
        if last_file and reports[-1]["month"] != p["first_month"]:
            source += f"；最新进展：{last_file}（{reports[-1]['month']}）"
        decision = decided.get(p["id"], {})
        unit = _introducer_unit(p, group, reports, decided)
        credited = next((m for m in group if m["unit_code"] == unit), p)
        facts.append(ProjectFacts(
            project_id=p["id"], name=p["name"], unit_code=unit, funding=p["funding"], sector=p["sector"],
            total_investment=_dec(p["total_investment"]), fixed_assets=_dec(p["fixed_assets"]),
            provider=p["provider"], provided_on=p["provided_on"], received=_received(sub),
            introducer=credited["introducer"] or credited["provider"],
            stage=latest_values(p, reports)["stage"],
            reached=(reached := _reached(p, reports)),
            inferred=frozenset(reached) - frozenset(_dated(p, reports)),
            actual_by_year_end=_by_year_end(reports, "fixed_assets_actual", year, reached),
            expenses_by_year_end=_by_year_end(reports, "expenses", year, reached),
            foreign_by_year_end=_by_year_end(reports, "foreign_arrived", year),
            verdict=decision.get("verdict"), duplicate_of=decision.get("duplicate_of"), source=source,
            subsector=p.get("subsector"), registered_by=p["unit_code"],
            merged=tuple(m["id"] for m in group if m["id"] != p["id"]),
        ))
    return facts


def _introducer_unit(project: Mapping[str, Any], group: Sequence[Mapping[str, Any]],
                     reports: Sequence[Mapping[str, Any]], decided: Mapping[str, Mapping[str, Any]]) -> str:
    """The 招引单位 of a (merged) project: written by the bureau on the kept row, else on a
    duplicate's row, else the unit that reports its latest progress, else its own unit."""
    ids = [project["id"], *(m["id"] for m in group if m["id"] != project["id"])]
    written = [decided.get(i, {}).get("introducer_unit") for i in ids]
    chosen = next((w for w in written if w), None)
    if chosen:
        return str(chosen)
    if reports:
        return str(reports[-1]["unit_code"])
    return str(project["unit_code"])


def _received(sub: Mapping[str, Any]) -> dt.date | None:
    if not sub:
        return None
    day, _basis = received_on(Filed(sub.get("file_name", ""), sub.get("unit_code"), sub.get("status", ""),
                                    sub.get("received"), sub.get("reported_on"), sub.get("modified")))
    return day


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(0)


def _dated(project: Mapping[str, Any], reports: Sequence[Mapping[str, Any]]) -> dict[str, dt.date]:
    """The dates the files give each stage: the 项目信息 row's, then the latest 项目进展 value."""
    dated: dict[str, dt.date] = {}
    for u in [project, *reports]:
        for stage, key in schema.STAGE_DATES.items():
            if isinstance(u.get(key), dt.date):
                dated[stage] = u[key]
    return dated


def _reached(project: Mapping[str, Any], reports: Sequence[Mapping[str, Any]]) -> dict[str, dt.date]:
    """The day each stage was reached: its date where a file gives one (``_dated``), otherwise the
    first day of the first month a report showed the stage or later (an older template without the
    date columns: shown as “按首次报送月份计”, never as a made-up day)."""
    seen: list[tuple[str, str]] = [(project["first_month"], project["stage"])]
    seen += [(u["month"], u["stage"]) for u in reports if u["stage"]]
    dated = _dated(project, reports)
    reached: dict[str, dt.date] = {}
    for index, stage in enumerate(schema.STAGES):
        months = [m for m, s in seen if schema.STAGES.index(s) >= index]
        if not months and stage not in dated:
            continue
        if stage in dated:
            reached[stage] = dated[stage]
        else:
            y, m = min(months).split("-")
            reached[stage] = dt.date(int(y), int(m), 1)
    return reached


def reached_text(f: ProjectFacts, stage: str) -> str:
    """“签约于 2024-03-12”, or “签约于 2024年3月(按首次报送月份计)” when no file gave the day."""
    day = f.reached[stage]
    if stage in f.inferred:
        return f"{stage}于 {day.year}年{day.month}月（按首次报送月份计）"
    return f"{stage}于 {day:%Y-%m-%d}"


def _by_year_end(reports: Sequence[Mapping[str, Any]], key: str, year: int,
                 reached: Mapping[str, dt.date] | None = None) -> dict[int, Decimal]:
    """The cumulative figure as last reported by the end of each year (up to ``year``).

    A year in which a dated stage was reached but whose files report no figure (the stage was
    reported late, in a later year's file) takes the first figure reported after it."""
    values: dict[int, Decimal] = {}
    for u in reports:  # in month order: later reports overwrite earlier ones
        if isinstance(u.get(key), Decimal):
            values[int(u["month"][:4])] = u[key]
    for stage in schema.STAGE_DATES if reached else ():
        day = reached.get(stage) if reached else None
        if day is not None and day.year not in values and day.year <= year:
            later = [v for y, v in sorted(values.items()) if y > day.year]
            if later:
                values[day.year] = later[0]
    return {y: v for y, v in values.items() if y <= year}


def merged_taxes(stored: Sequence[TaxRecord], book: Sequence[TaxRecord] | None) -> list[TaxRecord]:
    """The ledger's tax rows, with every year the workbook holds taken from the workbook instead."""
    if book is None:
        return list(stored)
    years = {r.year for r in book}
    return [*(r for r in stored if r.year not in years), *book]


# --- the assessment -----------------------------------------------------------------------------


def assess_year(year: int, facts: Sequence[ProjectFacts], roster: Roster, config: Config,
                taxes: Sequence[TaxRecord] = (), settled: Sequence[SettledItem] = (),
                finalised: Collection[int] = ()) -> Annual:
    """Completion, rewards and penalties of ``year``; ``settled`` are the settlements on record and
    ``finalised`` the years already finalised (an item of such a year reported late is paid now, 补发)."""
    by_id = {f.project_id: f for f in facts}
    counted = [f for f in facts if f.counts]
    notes: list[str] = []
    signed = [SignedProject(f.project_id, f.unit_code, f.introducer, f.sector or "", f.total_investment, f.name)
              for f in counted if (day := f.reached.get(config.project.counted_stage)) is not None
              and day.year == year]
    for s in signed:
        if s.introducer and introducer_of(s.introducer, s.unit_code, roster) is None:
            key = schema.name_key(s.introducer)
            namesakes = [c for c in roster.cadres if schema.name_key(c.name) == key]
            why = (f"在目标责任表中重名（{'、'.join(f'{c.unit_code} {c.code}' for c in namesakes)}），无法确定是哪一位"
                   if len(namesakes) > 1 else "不在目标责任表中")
            notes.append(f"项目 {s.project_id} 的招引责任人“{s.introducer}”{why}，未计入个人完成情况。")
    units = [_unit_result(u, [s for s in signed if s.unit_code == u.code], config) for u in roster.units]
    cadres = [_cadre_result(c, signed, roster, config) for c in roster.cadres if c.rank in config.cadre_target]
    records = {(s.project_id, s.kind, s.sequence): s for s in settled}
    done = set(finalised) | {s.year for s in settled}
    info = _info_lines(year, duplicate_groups(facts), roster, config, records, done)
    intro = _intro_lines(year, counted, roster, config, settled, records, done)
    shares = _tax_lines(year, by_id, taxes, roster, config, records, notes)
    annual = Annual(year, units, cadres, info, intro, shares, notes)
    annual.totals = recipient_totals(annual, roster)
    return annual


def _unit_result(unit: Any, signed: list[SignedProject], config: Config) -> UnitResult:
    completion = unit_completion(unit.target_amount, unit.target_projects, signed)
    people = unit.headcount if unit.type == schema.UNIT_DEPARTMENT else unit.village_cadres
    return UnitResult(
        code=unit.code, name=unit.name, type=unit.type, group=unit.group, target_amount=unit.target_amount,
        target_projects=unit.target_projects,
        signed_amount=sum((s.total_investment for s in signed), Decimal(0)),
        signed=tuple(s.project_id for s in signed), completion=completion,
        deduction=unit_deduction(unit.type, completion, people, config.penalty),
    )


def introducer_of(name: str | None, unit_code: str, roster: Roster) -> Cadre | None:
    """The roster cadre a 招引责任人 name means: in the registering unit first, else the only
    cadre of that name in the whole roster (a 区领导 may be credited on a village's project)."""
    if not name:
        return None
    key = schema.name_key(name)
    own = [c for c in roster.cadres_of(unit_code) if schema.name_key(c.name) == key]
    if own:
        return own[0]
    anywhere = [c for c in roster.cadres if schema.name_key(c.name) == key]
    return anywhere[0] if len(anywhere) == 1 else None


def _cadre_result(cadre: Cadre, signed: Sequence[SignedProject], roster: Roster, config: Config) -> CadreResult:
    mine = [s for s in signed if (c := introducer_of(s.introducer, s.unit_code, roster)) and c.code == cadre.code]
    targets = config.cadre_target.get(cadre.rank)
    completion = cadre_completion(targets, mine)
    best = max(mine, key=lambda s: (Fraction(s.total_investment) / Fraction(targets[s.sector]))
               if targets and targets.get(s.sector) else Fraction(0), default=None)
    return CadreResult(
        code=cadre.code, name=cadre.name, unit_code=cadre.unit_code, rank=cadre.rank, best=best,
        target=targets.get(best.sector) if targets and best else None, completion=completion,
        deduction=cadre_deduction(cadre.rank, completion, config.penalty),
    )


def duplicate_groups(facts: Sequence[ProjectFacts]) -> dict[str, list[ProjectFacts]]:
    """Each counted project with the reports the bureau marked 重复 of it (chains followed by
    ``duplicate_roots``, the one rule for where a 重复 chain ends)."""
    decided = {f.project_id: {"verdict": f.verdict, "duplicate_of": f.duplicate_of} for f in facts}
    roots = duplicate_roots(decided, [f.project_id for f in facts])
    groups: dict[str, list[ProjectFacts]] = {f.project_id: [f] for f in facts if f.counts}
    for f in facts:
        if f.verdict == schema.DUPLICATE and roots[f.project_id] in groups:
            groups[roots[f.project_id]].append(f)
    return groups


def first_reporter(group: Sequence[ProjectFacts]) -> ProjectFacts:
    """首报: the earliest 信息提供日期 of a project and its duplicates (ties: the file received
    first, then the earlier-registered id; a file's own time never decides)."""
    return min(group, key=lambda f: (f.provided_on or dt.date.max, f.received or dt.date.max, f.project_id))


def _line(kind: str, f: ProjectFacts, year: int, sequence: int, recipient: str, gross: Decimal, offset: Decimal,
          payable: Decimal, basis: str, records: Mapping[tuple[str, str, int], SettledItem], **extra: Any) -> MoneyLine:
    """A reward line; one already on record shows what was recorded (paid once, never again)."""
    record = records.get((f.project_id, kind, sequence))
    status = ESTIMATE
    if record is not None:
        status = f"{SETTLED}（{record.year}年）"
        if record.year != year:
            gross = offset = payable = Decimal(0)
            basis = f"已于 {record.year} 年结算 {fmt_yuan(record.payable)}，本年不再发放"
            extra.update(base=None, base_unit=None, rate=None)
        else:
            gross, offset, payable, basis = record.gross, record.offset, record.payable, record.basis
            if record.base is not None:  # the numbers it was settled on, not today's
                extra.update(base=record.base, base_unit=record.base_unit, rate=record.rate)
    return MoneyLine(kind, f.project_id, f.name, year, sequence, recipient, f.unit_code, gross, offset, payable,
                     basis, status, f.source, **extra)


def _unpaid_or_now(records: Mapping[tuple[str, str, int], SettledItem], key: tuple[str, str, int], year: int) -> bool:
    """Not settled yet, or settled by this very year (shown as it was recorded)."""
    return key not in records or records[key].year == year


def _late(day: dt.date, year: int) -> str:
    return f"补发：属 {day.year} 年（{day.year} 年已结算后才报送，本年补发）；"


def _info_lines(year: int, groups: Mapping[str, list[ProjectFacts]], roster: Roster, config: Config,
                records: Mapping[tuple[str, str, int], SettledItem], finalised: Collection[int] = ()
                ) -> list[MoneyLine]:
    rule = config.reward.info
    everyone = {schema.name_key(c.name) for c in roster.cadres}
    lines = []
    for group in groups.values():
        f = group[0]
        success = f.reached.get(rule.success_stage)
        if success is None or success.year > year:
            continue
        first = first_reporter(group)
        others = [g for g in group if g is not first]
        note = ""
        if f.funding == "外资":
            due = foreign_due(f.foreign_by_year_end, success.year, year)
            reward = info_reward_foreign(due.due, rule, year)
            sequence, note = year, f"{due.basis}；"
        elif success.year == year:
            reward = info_reward_domestic(f.fixed_assets, rule)
            sequence = 1
        elif success.year in finalised and _unpaid_or_now(records, (f.project_id, INFO, 1), year):
            reward = info_reward_domestic(f.fixed_assets, rule)  # missed by its own year's settlement
            sequence, note = 1, _late(success, year)
        else:
            continue
        if reward is None:
            continue
        basis = f"{reached_text(f, rule.success_stage)}；{note}{reward.basis}"
        if others:
            rivals = "、".join(f"{o.registered_by} {o.provided_on or '日期未填'}" for o in others)
            basis += f"；首报：{first.registered_by} {first.provided_on or '日期未填'}（另有 {rivals} 报送同一项目）"
        provider = first.provider or "（未填）"
        line = _line(INFO, f, year, sequence, provider, reward.amount, Decimal(0), reward.amount, basis, records,
                     in_roster=schema.name_key(provider) in everyone, funding=f.funding,
                     base=reward.base, base_unit=reward.base_unit, rate=reward.rate)
        lines.append(replace(line, unit_code=first.registered_by))  # the unit that registered the first report
    return lines


def _leadership(unit_code: str, roster: Roster) -> bool:
    unit = roster.unit(unit_code)
    return unit is not None and unit.type == schema.UNIT_LEADERSHIP


def _intro_lines(year: int, counted: Sequence[ProjectFacts], roster: Roster, config: Config,
                 settled: Sequence[SettledItem], records: Mapping[tuple[str, str, int], SettledItem],
                 finalised: Collection[int] = ()) -> list[MoneyLine]:
    """引进项目奖: to the 招引单位; a 区领导班子 project's to its 招引责任人, by name (docs/rules.md)."""
    rule = config.reward.intro
    lines = []
    for f in counted:
        recipient, why = f.unit_code, ""
        if _leadership(f.unit_code, roster):
            recipient = f.introducer or "（招引责任人未填）"
            why = f"区领导班子招引的项目，奖励发给招引责任人 {recipient}；"
        started = f.reached.get(rule.start_stage)
        if started is None or started.year > year:
            continue
        completed = f.reached.get(rule.final_stage)
        facts = IntroFacts(f.project_id, f.fixed_assets, started, completed if completed and completed.year <= year
                           else None, f.actual_by_year_end, f.expenses_by_year_end)
        earlier = [Settlement(s.project_id, s.year, s.sequence, s.gross, s.offset, s.payable, s.basis)
                   for s in settled if s.project_id == f.project_id and s.kind == INTRO and s.year < year]
        due = []
        late = started.year < year and started.year in finalised
        if late and _unpaid_or_now(records, (f.project_id, INTRO, 1), year):
            # started in a year already settled but reported after it: the first settlement is paid now
            missed = intro_settlements(replace(facts, completed_on=None), started.year, rule, earlier)
            due += [replace(m, basis=_late(started, year) + m.basis) for m in missed]
            earlier += missed
        for s in [*due, *intro_settlements(facts, year, rule, earlier)]:
            line = _line(INTRO, f, year, s.sequence, recipient, s.gross, s.offset, s.payable, why + s.basis,
                         records, introducer=f.introducer, base=s.base, base_unit="万元", rate=s.rate)
            second = records.get((f.project_id, INTRO, 2))
            if s.sequence == 1 and line.status == ESTIMATE and second is not None and second.year > year:
                # the second settlement, made without this one on record, already paid the whole amount
                line = replace(line, gross=Decimal(0), offset=Decimal(0), payable=Decimal(0), status=SETTLED,
                               basis=f"{second.year} 年第二次结算时无第一次结算记录，已按全额结算，本次不再发放")
            lines.append(line)
    return lines


def _tax_lines(year: int, by_id: Mapping[str, ProjectFacts], taxes: Sequence[TaxRecord], roster: Roster,
               config: Config, records: Mapping[tuple[str, str, int], SettledItem], notes: list[str]
               ) -> list[MoneyLine]:
    root = {m: f.project_id for f in by_id.values() for m in f.merged}  # a 重复 report's tax is its group's
    per_project: dict[str, dict[int, TaxRecord]] = defaultdict(dict)
    for t in taxes:
        pid = root.get(t.project_id, t.project_id)
        held = per_project[pid].get(t.year)
        per_project[pid][t.year] = t if held is None else replace(
            held, zone_tax=held.zone_tax + t.zone_tax, source=f"{held.source}；{t.source}")
    lines = []
    for pid in sorted(per_project):
        f = by_id.get(pid)
        this_year = per_project[pid].get(year)
        if this_year is None:
            continue
        if f is None or not f.counts:
            why = "不在台账中" if f is None else f"已被甄别为“{f.verdict}”"
            notes.append(f"税收台账中的项目 {pid} {why}，其 {year} 年税收未计分成。")
            continue
        unit = roster.unit(f.unit_code)
        if unit is None or shares_tax(unit.type, config.reward.tax_share) is None:
            notes.append(f"项目 {pid} 由{unit.name if unit else f.unit_code}招引，按政策只有村和单位部门招引的项目"
                         f"计财税分成奖，其 {year} 年税收未计分成。")
            continue
        share = tax_share(pid, unit.type if unit else "", {y: t.zone_tax for y, t in per_project[pid].items()},
                          year, config.reward.tax_share)
        if share is None:
            continue
        line = _line(TAX_SHARE, f, year, year, f.unit_code, share.amount, Decimal(0), share.amount, share.basis,
                     records, tax_year=year, zone_tax=share.zone_tax, rate=share.rate, introducer=f.introducer,
                     base=share.zone_tax, base_unit="万元")
        lines.append(replace(line, source=f"{this_year.source}；{f.source}"))
    return lines


# --- summaries for the workbook -----------------------------------------------------------------


def recipient_totals(annual: Annual, roster: Roster) -> pd.DataFrame:
    """汇总: rewards and deductions per recipient (a person, or a unit)."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    names = {u.code: u.name for u in roster.units}

    def row(kind: str, code: str, name: str, unit: str) -> dict[str, Any]:
        return rows.setdefault((kind, code), {
            "kind": kind, "code": code, "name": name, "unit_code": unit, "unit_name": names.get(unit, ""),
            INFO: Decimal(0), INTRO: Decimal(0), TAX_SHARE: Decimal(0), "deduction": Decimal(0)})

    for m in annual.info:
        person = introducer_of(m.recipient, m.unit_code, roster)
        r = row(PERSON, person.code if person else "", m.recipient, person.unit_code if person else m.unit_code)
        r[INFO] += m.payable
    for m in [*annual.intro, *annual.tax_share]:
        if _leadership(m.unit_code, roster):  # a 区领导班子 project: paid to its 招引责任人
            person = introducer_of(m.recipient, m.unit_code, roster)
            r = row(PERSON, person.code if person else "", m.recipient, person.unit_code if person else m.unit_code)
        else:
            r = row(UNIT, m.recipient, names.get(m.recipient, ""), m.recipient)
        r[m.kind] += m.payable
    for c in annual.cadres:
        if c.deduction:
            row(PERSON, c.code, c.name, c.unit_code)["deduction"] += c.deduction.amount
    for u in annual.units:
        if u.deduction:
            row(UNIT, u.code, u.name, u.code)["deduction"] += u.deduction.amount
    frame = pd.DataFrame(list(rows.values()), columns=["kind", "code", "name", "unit_code", "unit_name",
                                                       INFO, INTRO, TAX_SHARE, "deduction"], dtype=object)
    if frame.empty:
        return frame.assign(rewards=pd.Series(dtype=object))
    frame["rewards"] = [i + n + t for i, n, t in zip(frame[INFO], frame[INTRO], frame[TAX_SHARE], strict=True)]
    return frame.sort_values(["kind", "unit_code", "code", "name"], kind="stable").reset_index(drop=True)

