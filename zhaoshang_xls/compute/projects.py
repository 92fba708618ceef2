"""A project's latest state (docs/rules.md, 项目的最新状态): one rule, used by validation (R10–R13),
the templates' prefilled 项目进展, the 项目台账, the 税收台账 rows and the year-end facts.

The latest state is the project as registered, overlaid with the latest non-empty value of
each 项目进展 figure reported up to a month (a blank in a later report does not erase a value).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import pandas as pd

from zhaoshang_xls import schema
from zhaoshang_xls.periods import Month
from zhaoshang_xls.records import LedgerFrames, ProjectState

# The 项目进展 figures a later report overrides (stage, its dates, the cumulative figures).
STATE_FIELDS: tuple[str, ...] = ("stage", *schema.STAGE_DATES.values(), *schema.CUMULATIVE)


def reports_by_project(updates: pd.DataFrame, through: str) -> dict[str, list[dict[str, Any]]]:
    """Each project's 项目进展 rows up to and including month ``through`` (``2024-03``), in report order."""
    by_project: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not updates.empty:
        for u in updates[updates["month"] <= through].sort_values(["month", "id"]).to_dict("records"):
            by_project[u["project_id"]].append(u)
    return by_project


def latest_values(project: Mapping[str, Any], reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The latest non-empty value of each state field: the reports' (in order), else the registration's."""
    values = {k: project.get(k) for k in STATE_FIELDS}
    for u in reports:
        for k in STATE_FIELDS:
            if u.get(k) is not None:
                values[k] = u[k]
    return values


def latest_states(frames: LedgerFrames, through: str) -> dict[str, ProjectState]:
    """Every project registered up to month ``through`` with its latest state then."""
    if frames.projects.empty:
        return {}
    reports = reports_by_project(frames.updates, through)
    states = {}
    for p in frames.projects[frames.projects["first_month"] <= through].sort_values("id").to_dict("records"):
        v = latest_values(p, reports.get(p["id"], []))
        states[p["id"]] = ProjectState(project_id=p["id"], unit_code=p["unit_code"], name=p["name"], **v)
    return states


def states_before(frames: LedgerFrames, month: Month) -> dict[str, ProjectState]:
    """What the ledger knew of every project before ``month`` (the months before it only)."""
    return latest_states(frames, str(month.previous))


def progress_prefill(frames: LedgerFrames, month: Month) -> dict[str, list[dict[str, Any]]]:
    """Per unit, its projects as last reported before ``month``: the rows a 项目进展 sheet starts with."""
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for state in states_before(frames, month).values():
        by_unit.setdefault(state.unit_code, []).append({
            "project_id": state.project_id, "project_name": state.name,
            **{k: getattr(state, k) for k in STATE_FIELDS},
        })
    return by_unit


def taxable_projects(frames: LedgerFrames, year: int, stage: str) -> list[dict[str, Any]]:
    """Projects at ``stage`` (开工 by default) by the end of ``year``: the rows of that year's 税收台账."""
    key = schema.STAGE_DATES.get(stage)
    out = []
    for s in latest_states(frames, f"{year}-12").values():
        day = getattr(s, key) if key else None
        if schema.stage_at_least(s.stage, stage) and (day is None or day.year <= year):
            out.append({"project_id": s.project_id, "project_name": s.name})
    return out
