"""Make filled monthly files for a workspace through the real templates and the filler."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.filler import fill_workbook
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.reports.templates import MonthlyTemplate, build_monthly_template, monthly_template_name
from zhaoshang_xls.workspace import Workspace


def make_file(ws: Workspace, unit_code: str, month: Month, *, reported_on: dt.date | None = None,
              rows: dict[str, list[dict[str, Any]]] | None = None, name: str | None = None,
              basic: dict[str, Any] | None = None, projects: tuple[dict[str, Any], ...] = ()) -> Path:
    """A unit's filled file in ``<workspace>/<month>/``."""
    roster, _ = load_roster(ws.roster_path, None)
    unit = roster.unit(unit_code)
    assert unit is not None
    spec = MonthlyTemplate(ws.config, month, unit, tuple(c.name for c in roster.cadres_of(unit_code)), ws.secret,
                           projects=projects)
    due = month.due_date(ws.config.monthly.report_due_day)
    values = {"reporter": "填表人", "reporter_phone": "13812345678", "reported_on": reported_on or due, **(basic or {})}
    wb = fill_workbook(build_monthly_template(spec), values, rows or {})
    path = ws.root / str(month) / (name or monthly_template_name(unit, month))
    return write_atomic(path, lambda tmp: wb.save(tmp))


def contact(day: dt.date, cadre: str, investor: str, company: str, **extra: Any) -> dict[str, Any]:
    return {"date": day, "cadre": cadre, "investor": investor, "company": company, **extra}


def lead(name: str, investor: str, provider: str, day: dt.date, total: Any, **extra: Any) -> dict[str, Any]:
    return {"project_name": name, "investor": investor, "funding": "内资", "sector": "工业", "total_investment": total,
            "provider": provider, "provided_on": day, **extra}
