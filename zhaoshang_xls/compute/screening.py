"""线索甄别 rows (docs/rules.md, 线索甄别): one row per new lead of a month, with its R14 candidate
and any earlier decision of the bureau."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from zhaoshang_xls import schema
from zhaoshang_xls.periods import Month
from zhaoshang_xls.records import ACCEPTED, Submission

_ID = re.compile(r"^P\d{4}-\d{4,}$")


def screening_rows(month: Month, subs: Sequence[Submission], projects: pd.DataFrame, decisions: pd.DataFrame,
                   unit_names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per new lead of ``month``: the lead, its R14 candidate and a suggested verdict (in their
    own columns: a suggestion is never a decision), and any decision the bureau already made."""
    if projects.empty:
        return []
    files = {s.name: s for s in subs if s.status == ACCEPTED}
    by_source = {(f, r): pid for pid, f, r in zip(projects["id"], projects["file_name"], projects["source_row"],
                                                   strict=True)}
    latest = {} if decisions.empty else {d["project_id"]: d for d in decisions.to_dict("records")}
    rows = []
    new = projects[(projects["first_month"] == str(month)) & (projects["source_sheet"] == schema.LEADS.name)]
    for p in new.sort_values("id").to_dict("records"):
        sub = files.get(p["file_name"])
        ref = sub.duplicates.get(p["source_row"]) if sub else None
        suggestion, hint = "", ""
        if ref is not None:
            other = ref.label if _ID.match(ref.label) else by_source.get(ref.source) if ref.source else None
            hint = f"{ref.label}“{ref.name}”（{ref.investor}）"
            if other and ref.provided_on and p["provided_on"] and ref.provided_on <= p["provided_on"]:
                # the earlier (or same-day) report is kept and keeps the 信息奖's priority
                suggestion = f"{schema.DUPLICATE}（重复于 {other}），请核实后填写甄别结论"
        before = latest.get(p["id"], {})
        rows.append({
            "project_id": p["id"], "project_name": p["name"], "investor": p["investor"],
            "unit": f"{p['unit_code']} {unit_names.get(p['unit_code'], '')}".strip(), "provider": p["provider"],
            "provided_on": p["provided_on"], "total_investment": p["total_investment"], "hint": hint,
            "suggestion": suggestion, "verdict": before.get("verdict"), "duplicate_of": before.get("duplicate_of"),
            "introducer_unit": before.get("introducer_unit"), "tracker": before.get("tracker"),
        })
    return rows
