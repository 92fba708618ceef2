"""一月一交流 figures (SPEC §10.1): per unit and per cadre, month and year to date.

Pure functions: they take the ledger's DataFrames, the roster and the configuration and
return DataFrames; no file or database access.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from zhaoshang_xls import schema
from zhaoshang_xls.config import Config
from zhaoshang_xls.ledger.query import LedgerFrames
from zhaoshang_xls.periods import Month
from zhaoshang_xls.roster import Roster

# Unit states of SPEC §9.2
REPORTED, LATE, MISSING, RETURNED = "已报送", "迟报", "未报送", "被退回"
_EVENT_DATES = (("签约", "signed_on"), ("开工", "started_on"), ("竣工", "completed_on"))


def assessed_months(config: Config, month: Month) -> list[Month]:
    """The assessed months of ``month``'s year up to and including it (the implementation phase)."""
    return [Month(month.year, m) for m in config.assessed_months() if m <= month.month]


def previous_month(month: Month) -> Month:
    return Month(month.year - 1, 12) if month.month == 1 else Month(month.year, month.month - 1)


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


NOT_COUNTED = ("无效", "重复")  # 甄别结论 that stop a lead counting (SPEC §9.1)


def not_counted(screening: pd.DataFrame) -> set[str]:
    """Projects the bureau judged 无效 or 重复."""
    if screening.empty:
        return set()
    return set(screening[screening["verdict"].isin(NOT_COUNTED)]["project_id"])


def count_leads(projects: pd.DataFrame, by: list[str], excluded: set[str] | frozenset[str] = frozenset()) -> pd.Series:
    """New leads first reported (and accepted) per group, less those screened out."""
    if projects.empty:
        return pd.Series(dtype=int)
    leads = projects[(projects["source_sheet"] == schema.LEADS.name) & ~projects["id"].isin(excluded)]
    return leads.groupby(by).size() if not leads.empty else pd.Series(dtype=int)


def unit_states(submissions: pd.DataFrame, roster: Roster, month: Month, due_day: int) -> pd.DataFrame:
    """已报送 / 迟报 / 未报送 / 被退回 per roster unit, with the file that counts and the reason."""
    due = month.due_date(due_day)
    subs = submissions[submissions["month"] == str(month)] if not submissions.empty else submissions
    first: dict[str, dict[str, Any]] = {}  # unit -> its first file, an accepted one if any
    for row in subs.to_dict("records"):
        held = first.get(row["unit_code"])
        if held is None or (held["status"] != "accepted" and row["status"] == "accepted"):
            first[row["unit_code"]] = row
    rows = []
    for unit in roster.units:
        row = first.get(unit.code)
        if row is not None and row["status"] == "accepted":
            arrived = row.get("received")
            received = arrived.date() if arrived is not None else row["reported_on"] or row["modified"].date()
            state = LATE if received > due else REPORTED
            rows.append((unit.code, state, row["file_name"], received, ""))
        elif row is not None:
            rows.append((unit.code, RETURNED, row["file_name"], None, "文件被退回"))
        else:
            rows.append((unit.code, MISSING, None, None, ""))
    return pd.DataFrame(rows, columns=["unit_code", "status", "file_name", "received", "reason"], dtype=object)


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
    updates = frames.updates
    latest = (updates[updates["month"] <= str(month)].sort_values(["month", "id"]).groupby("project_id").last()
              if not updates.empty else pd.DataFrame())
    rows = []
    for p in projects.to_dict("records"):
        u: dict[str, Any] = latest.loc[p["id"]].to_dict() if p["id"] in latest.index else {}
        source = f"{files.get(p['submission_id'], '')} {p['source_sheet']} 第{p['source_row']}行"
        rows.append({
            "project_id": p["id"], "name": p["name"], "investor": p["investor"], "unit_code": p["unit_code"],
            "stage": u.get("stage") or p["stage"], **{k: p[k] for k in (
                "total_investment", "fixed_assets", "foreign_registered", "sector", "subsector", "funding",
                "provider", "provided_on", "introducer", "first_month")},
            **{k: u.get(k) for k in ("signed_on", "started_on", "completed_on", "fixed_assets_actual",
                                     "foreign_arrived", "expenses", "progress_note", "help_needed")},
            "source": source,
            "verdict": decided.get(p["id"], {}).get("verdict"), "tracker": decided.get(p["id"], {}).get("tracker"),
        })
    return pd.DataFrame(rows, columns=columns, dtype=object)


def stage_events(states: pd.DataFrame, month: Month) -> pd.DataFrame:
    """Projects reaching 签约 / 开工 / 竣工 in ``month``: by the dated stage, or, for a new lead
    reported already signed (no date on the lead sheet), its first month."""
    rows = []
    for p in states.to_dict("records"):
        for stage, key in _EVENT_DATES:
            day = p.get(key)
            reached = isinstance(day, dt.date) and month.first_day <= day <= month.last_day
            if (not reached and day is None and p["first_month"] == str(month)
                    and schema.STAGES.index(p["stage"]) >= schema.STAGES.index(stage)):
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


def series_get(series: pd.Series, key: Any) -> int:
    return int(series.get(key, 0)) if not series.empty else 0


def monthly_figures(frames: LedgerFrames, roster: Roster, config: Config, month: Month) -> MonthlyFigures:
    """All figures of the 一月一交流 report for ``month``."""
    figures = _figures(frames, roster, config, month)
    prev = previous_month(month)
    if prev.year == month.year and prev.month in config.assessed_months():
        figures.previous = _figures(frames, roster, config, prev).totals
    return figures


def _figures(frames: LedgerFrames, roster: Roster, config: Config, month: Month) -> MonthlyFigures:
    target_contacts, target_leads = config.monthly.contacts, config.monthly.leads
    ytd = assessed_months(config, month)
    contacts_m = _in_months(frames.contacts, "month", [month]) if not frames.contacts.empty else frames.contacts
    contacts_y = _in_months(frames.contacts, "month", ytd) if not frames.contacts.empty else frames.contacts
    projects_m = _in_months(frames.projects, "first_month", [month]) if not frames.projects.empty else frames.projects
    projects_y = _in_months(frames.projects, "first_month", ytd) if not frames.projects.empty else frames.projects

    states = unit_states(frames.submissions, roster, month, config.monthly.report_due_day)
    state_of = dict(zip(states["unit_code"], states["status"], strict=True))
    uc_m, uc_y = count_contacts(contacts_m, ["unit_code"]), count_contacts(contacts_y, ["unit_code"])
    excluded = not_counted(frames.screening)
    ul_m, ul_y = count_leads(projects_m, ["unit_code"], excluded), count_leads(projects_y, ["unit_code"], excluded)
    units = []
    for u in roster.units:
        c, n = series_get(uc_m, u.code), series_get(ul_m, u.code)
        units.append({
            "unit_code": u.code, "unit_name": u.name, "unit_type": u.type, "status": state_of[u.code],
            "contacts": c, "contacts_target": target_contacts, "leads": n, "leads_target": target_leads,
            "met": c >= target_contacts and n >= target_leads,
            "contacts_ytd": series_get(uc_y, u.code), "contacts_ytd_target": target_contacts * len(ytd),
            "leads_ytd": series_get(ul_y, u.code), "leads_ytd_target": target_leads * len(ytd),
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
        units_reported=sum(s in (REPORTED, LATE) for s in state_of.values()),
        units_met=int(unit_frame["met"].sum()) if not unit_frame.empty else 0,
        contacts=int(unit_frame["contacts"].sum()) if not unit_frame.empty else 0,
        leads=int(unit_frame["leads"].sum()) if not unit_frame.empty else 0,
        new_investment=sum((v for v in new["total_investment"] if v is not None), Decimal(0)),
        signed=len(signed),
        signed_investment=sum((v for v in signed["total_investment"] if v is not None), Decimal(0)),
    )
    return MonthlyFigures(month, unit_frame, cadre_frame, new, events, all_states, help_needed, totals,
                          months_ytd=ytd)


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
            expected = previous_month(expected)
        rows.append({"project_id": project_id, "unit_code": last["unit_code"], "help_needed": last["help_needed"],
                     "months_open": open_months, "since": since})
    return pd.DataFrame(rows, columns=columns, dtype=object)


def submission_counts(contact_rows: list[dict[str, Any]], lead_rows: list[dict[str, Any]]) -> tuple[int, int]:
    """(contacts, leads) one file gives its unit: the figures a receipt shows (SPEC §10.1 rules)."""
    return len({contact_key(r.get("investor"), r.get("company")) for r in contact_rows}), len(lead_rows)
