"""一月一交流 figures (docs/rules.md, 一月一交流): per unit and per cadre, month and year to date.

Pure functions: they take the ledger's DataFrames, the roster and the configuration and
return DataFrames; no file or database access.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd

from zhaoshang_xls import schema
from zhaoshang_xls.compute.projects import latest_values, reports_by_project
from zhaoshang_xls.compute.states import unit_states, unowned
from zhaoshang_xls.config import Config
from zhaoshang_xls.periods import Month
from zhaoshang_xls.records import Filed, LedgerFrames, UnitState
from zhaoshang_xls.roster import Roster


def assessed_months(config: Config, month: Month) -> list[Month]:
    """The assessed months of ``month``'s year up to and including it (the implementation phase)."""
    return [Month(month.year, m) for m in config.assessed_months() if m <= month.month]


def _in_months(frame: pd.DataFrame, column: str, months: list[Month]) -> pd.DataFrame:
    return frame[frame[column].isin([str(m) for m in months])]


def contact_key(investor: str | None, company: str | None) -> str:
    """Who was met: 客商姓名 and 企业名称, normalised (the same person twice counts once)."""
    return f"{schema.name_key(investor)}|{schema.name_key(company)}"


def count_contacts(contacts: pd.DataFrame, by: list[str]) -> pd.Series:
    """Distinct (客商姓名, normalised 企业名称) met, per group."""
    if contacts.empty:
        return pd.Series(dtype=int)
    keyed = contacts.assign(_who=[contact_key(i, c) for i, c in zip(contacts["investor"], contacts["company"],
                                                                      strict=True)])
    return keyed.drop_duplicates([*by, "_who"]).groupby(by).size()


def not_counted(screening: pd.DataFrame) -> set[str]:
    """Projects the bureau judged 无效 or 重复 (schema.NOT_COUNTED)."""
    if screening.empty:
        return set()
    return set(screening[screening["verdict"].isin(schema.NOT_COUNTED)]["project_id"])


def count_leads(projects: pd.DataFrame, by: list[str], excluded: set[str] | frozenset[str] = frozenset()) -> pd.Series:
    """New leads first reported (and accepted) per group, less those screened out."""
    if projects.empty:
        return pd.Series(dtype=int)
    leads = projects[(projects["source_sheet"] == schema.LEADS.name) & ~projects["id"].isin(excluded)]
    return leads.groupby(by).size() if not leads.empty else pd.Series(dtype=int)


def month_states(frames: LedgerFrames, roster: Roster, month: Month, due_day: int) -> list[UnitState]:
    """Each unit's 报送状态 for ``month`` from the files on record (the one rule: compute.states)."""
    return unit_states(roster, frames.filed(month), month.due_date(due_day))


def completion_rate(contacts: int, contacts_target: int, leads: int, leads_target: int) -> Fraction | None:
    """累计完成率 of the monthly targets: the mean of each target's ratio, each capped at 100%
    (None without any target)."""
    parts = [min(Fraction(1), Fraction(a, t)) for a, t in ((contacts, contacts_target), (leads, leads_target)) if t]
    return sum(parts, Fraction(0)) / len(parts) if parts else None


def project_states(frames: LedgerFrames, month: Month) -> pd.DataFrame:
    """Every project with its latest reported state as of ``month`` (the 项目台账)."""
    projects = frames.projects
    columns = ["project_id", "name", "investor", "unit_code", "stage", "total_investment", "fixed_assets",
               "foreign_registered", "sector", "subsector", "funding", "provider", "provided_on", "introducer",
               "first_month", "signed_on", "started_on", "completed_on", "fixed_assets_actual", "foreign_arrived",
               "expenses", "progress_note", "help_needed", "source", "verdict", "tracker"]
    if projects.empty:
        return pd.DataFrame(columns=columns, dtype=object)
    files = dict(zip(frames.submissions["id"], frames.submissions["file_name"], strict=True))
    decided = {} if frames.screening.empty else {d["project_id"]: d for d in frames.screening.to_dict("records")}
    reports = reports_by_project(frames.updates, str(month))
    rows = []
    for p in projects.to_dict("records"):
        mine = reports.get(p["id"], [])
        last: dict[str, Any] = mine[-1] if mine else {}
        source = f"{files.get(p['submission_id'], '')} {p['source_sheet']} 第{p['source_row']}行"
        rows.append({
            "project_id": p["id"], "name": p["name"], "investor": p["investor"], "unit_code": p["unit_code"],
            **{k: p[k] for k in (
                "total_investment", "fixed_assets", "foreign_registered", "sector", "subsector", "funding",
                "provider", "provided_on", "introducer", "first_month")},
            **latest_values(p, mine),
            **{k: last.get(k) for k in ("progress_note", "help_needed")},
            "source": source,
            "verdict": decided.get(p["id"], {}).get("verdict"), "tracker": decided.get(p["id"], {}).get("tracker"),
        })
    return pd.DataFrame(rows, columns=columns, dtype=object)


def stage_events(states: pd.DataFrame, month: Month) -> pd.DataFrame:
    """Projects reaching 签约 / 开工 / 竣工 in ``month``: by the dated stage, or, for a new lead
    reported already signed (no date on the lead sheet), its first month."""
    rows = []
    for p in states.to_dict("records"):
        for stage, key in schema.STAGE_DATES.items():
            day = p.get(key)
            reached = isinstance(day, dt.date) and month.first_day <= day <= month.last_day
            if (not reached and day is None and p["first_month"] == str(month)
                    and schema.stage_at_least(p["stage"], stage)):
                reached = True
            if reached:
                rows.append({**p, "event": stage})
    return pd.DataFrame(rows, columns=[*states.columns, "event"], dtype=object)


@dataclass(frozen=True)
class Totals:
    units_expected: int
    units_reported: int
    units_met: int
    contacts: int
    leads: int
    new_investment: Decimal
    signed: int
    signed_investment: Decimal


@dataclass
class MonthlyFigures:
    month: Month
    units: pd.DataFrame
    cadres: pd.DataFrame
    new_projects: pd.DataFrame
    events: pd.DataFrame
    projects: pd.DataFrame
    help_needed: pd.DataFrame
    totals: Totals
    previous: Totals | None = None
    months_ytd: list[Month] = field(default_factory=list)
    states: list[UnitState] = field(default_factory=list)
    unowned: list[Filed] = field(default_factory=list)  # files of the month no roster unit can be given


def series_get(series: pd.Series, key: Any) -> int:
    return int(series.get(key, 0)) if not series.empty else 0


def monthly_figures(frames: LedgerFrames, roster: Roster, config: Config, month: Month) -> MonthlyFigures:
    """All figures of the 一月一交流 report for ``month``."""
    figures = _figures(frames, roster, config, month)
    prev = month.previous
    subs = frames.submissions
    in_ledger = not subs.empty and bool((subs["month"] == str(prev)).any())  # an empty month is no zero
    if prev.year == month.year and prev.month in config.assessed_months() and in_ledger:
        figures.previous = _figures(frames, roster, config, prev).totals
    return figures


def _figures(frames: LedgerFrames, roster: Roster, config: Config, month: Month) -> MonthlyFigures:
    target_contacts, target_leads = config.monthly.contacts, config.monthly.leads
    ytd = assessed_months(config, month)
    contacts_m = _in_months(frames.contacts, "month", [month]) if not frames.contacts.empty else frames.contacts
    contacts_y = _in_months(frames.contacts, "month", ytd) if not frames.contacts.empty else frames.contacts
    projects_m = _in_months(frames.projects, "first_month", [month]) if not frames.projects.empty else frames.projects
    projects_y = _in_months(frames.projects, "first_month", ytd) if not frames.projects.empty else frames.projects

    filed = frames.filed(month)
    states = unit_states(roster, filed, month.due_date(config.monthly.report_due_day))
    state_of = {s.unit.code: s.state for s in states}
    reason_of = {s.unit.code: s.reason for s in states}
    file_of = {s.unit.code: s.file for s in states}
    uc_m, uc_y = count_contacts(contacts_m, ["unit_code"]), count_contacts(contacts_y, ["unit_code"])
    excluded = not_counted(frames.screening)
    ul_m, ul_y = count_leads(projects_m, ["unit_code"], excluded), count_leads(projects_y, ["unit_code"], excluded)
    units: list[dict[str, Any]] = []
    for u in roster.units:
        c, n = series_get(uc_m, u.code), series_get(ul_m, u.code)
        cy, ly = series_get(uc_y, u.code), series_get(ul_y, u.code)
        units.append({
            "unit_code": u.code, "unit_name": u.name, "unit_type": u.type, "status": state_of[u.code],
            "status_reason": reason_of[u.code], "status_file": file_of[u.code],
            "contacts": c, "contacts_target": target_contacts, "leads": n, "leads_target": target_leads,
            "met": c >= target_contacts and n >= target_leads,
            "contacts_ytd": cy, "contacts_ytd_target": target_contacts * len(ytd),
            "leads_ytd": ly, "leads_ytd_target": target_leads * len(ytd),
            "ytd_rate": completion_rate(cy, target_contacts * len(ytd), ly, target_leads * len(ytd)),
        })
    unit_frame = pd.DataFrame(units, dtype=object)

    cc_m, cc_y = count_contacts(contacts_m, ["unit_code", "cadre"]), count_contacts(contacts_y, ["unit_code", "cadre"])
    cl_m = count_leads(projects_m, ["unit_code", "provider"], excluded)
    cl_y = count_leads(projects_y, ["unit_code", "provider"], excluded)
    cadres = []
    for cadre in roster.cadres:
        key = (cadre.unit_code, cadre.name)
        cm, lm = series_get(cc_m, key), series_get(cl_m, key)
        cadres.append({
            "cadre_code": cadre.code, "name": cadre.name, "unit_code": cadre.unit_code, "rank": cadre.rank,
            "unit_status": state_of[cadre.unit_code], "contacts": cm, "leads": lm,
            "met": cm >= target_contacts and lm >= target_leads,
            "contacts_ytd": series_get(cc_y, key), "leads_ytd": series_get(cl_y, key),
        })
    cadre_frame = pd.DataFrame(cadres, dtype=object)

    all_states = project_states(frames, month)
    new = all_states[all_states["first_month"] == str(month)]
    new = new[new["project_id"].isin(projects_m[projects_m["source_sheet"] == schema.LEADS.name]["id"])] \
        if not projects_m.empty else new.iloc[0:0]
    events = stage_events(all_states, month)
    help_needed = _help_needed(frames, month)
    signed = events[events["event"] == "签约"]
    totals = Totals(
        units_expected=len(roster.units),
        units_reported=sum(s in (schema.REPORTED, schema.LATE) for s in state_of.values()),
        units_met=int(unit_frame["met"].sum()) if not unit_frame.empty else 0,
        contacts=int(unit_frame["contacts"].sum()) if not unit_frame.empty else 0,
        leads=int(unit_frame["leads"].sum()) if not unit_frame.empty else 0,
        new_investment=sum((v for v in new["total_investment"] if v is not None), Decimal(0)),
        signed=len(signed),
        signed_investment=sum((v for v in signed["total_investment"] if v is not None), Decimal(0)),
    )
    return MonthlyFigures(month, unit_frame, cadre_frame, new, events, all_states, help_needed, totals,
                          months_ytd=ytd, states=states, unowned=unowned(roster, filed))


def _help_needed(frames: LedgerFrames, month: Month) -> pd.DataFrame:
    """Projects whose latest report asks the leadership for help, with months the request has been open."""
    columns = ["project_id", "unit_code", "help_needed", "months_open", "since"]
    updates = frames.updates
    if updates.empty:
        return pd.DataFrame(columns=columns, dtype=object)
    rows = []
    upto = updates[updates["month"] <= str(month)].sort_values(["month", "id"])
    for project_id, group in upto.groupby("project_id", sort=True):
        last = group.iloc[-1]
        if last["month"] != str(month) or not last["help_needed"]:
            continue
        open_months = 0
        expected = month
        for rec in reversed(group.to_dict("records")):
            if rec["month"] != str(expected) or not rec["help_needed"]:
                break
            open_months += 1
            since = rec["month"]
            expected = expected.previous
        rows.append({"project_id": project_id, "unit_code": last["unit_code"], "help_needed": last["help_needed"],
                     "months_open": open_months, "since": since})
    return pd.DataFrame(rows, columns=columns, dtype=object)


def submission_counts(contact_rows: list[dict[str, Any]], lead_rows: list[dict[str, Any]]) -> tuple[int, int]:
    """(contacts, leads) one file gives its unit: the figures a receipt shows (SPEC §10.1 rules)."""
    return len({contact_key(r.get("investor"), r.get("company")) for r in contact_rows}), len(lead_rows)
