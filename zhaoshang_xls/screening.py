"""甄别 and 跟踪 (SPEC §9.1): the bureau's decision on each new lead, and who follows it.

``consolidate`` writes ``输出/<month>_线索甄别.xlsx`` (one row per new lead, with the R14
candidate prefilled); the bureau fills 甄别结论 / 重复于 / 跟踪责任人 and gives the file to
``zsxls screen`` (or drops it into a month folder). Leads judged 无效 or 重复 stop counting.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, delete, insert, select

from zhaoshang_xls import schema
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.issues import Issue, Level
from zhaoshang_xls.ledger import tables as t
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.monthly import ACCEPTED, Submission
from zhaoshang_xls.reading.table import read_table
from zhaoshang_xls.reading.workbook import read_workbook

_ID = re.compile(r"^P\d{4}-\d{4,}$")


def screening_path(output_dir: Path, month: Month) -> Path:
    return output_dir / f"{month}{schema.SCREENING_FILE_SUFFIX}"


def is_screening_file(path: Path) -> bool:
    """A 线索甄别 workbook (by its name; the clerk may drop it into a month folder)."""
    return path.name.endswith(schema.SCREENING_FILE_SUFFIX)


def screening_rows(month: Month, subs: Sequence[Submission], projects: pd.DataFrame, decisions: pd.DataFrame,
                   unit_names: dict[str, str]) -> list[dict[str, Any]]:
    """One row per new lead of ``month``: the lead, its R14 candidate, any earlier decision."""
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
        duplicate_of, hint = None, ""
        if ref is not None:
            other = ref.label if _ID.match(ref.label) else by_source.get(ref.source) if ref.source else None
            hint = f"{ref.label}“{ref.name}”({ref.investor})"
            if other and ref.provided_on and p["provided_on"] and ref.provided_on < p["provided_on"]:
                duplicate_of = other  # the earlier report keeps priority (SPEC §10.4)
        before = latest.get(p["id"], {})
        rows.append({
            "project_id": p["id"], "project_name": p["name"], "investor": p["investor"],
            "unit": f"{p['unit_code']} {unit_names.get(p['unit_code'], '')}".strip(), "provider": p["provider"],
            "provided_on": p["provided_on"], "total_investment": p["total_investment"], "hint": hint,
            "verdict": before.get("verdict") or ("重复" if duplicate_of else None),
            "duplicate_of": before.get("duplicate_of") or duplicate_of, "tracker": before.get("tracker"),
        })
    return rows


def write_screening_workbook(path: Path, month: Month, rows: Sequence[dict[str, Any]],
                             generated_at: dt.datetime) -> Path:
    """The 线索甄别 workbook: prefilled lead columns locked, decision columns with dropdowns."""
    from zhaoshang_xls.templates import build_list_workbook

    spec = replace(schema.SCREENING, input_rows=max(1, len(rows)))
    wb = build_list_workbook(spec, rows, f"{month.label}{spec.title}", {"kind": "screening", "month": str(month)},
                             generated_at)
    return write_atomic(path, lambda tmp: wb.save(tmp))


def read_screening(path: Path, engine: Engine) -> tuple[list[dict[str, Any]], list[Issue]]:
    """The decisions in a filled 线索甄别 workbook, checked against the ledger."""
    file = path.name
    try:
        sheets = read_workbook(path)
    except Exception as exc:  # every reader failure is one clear issue
        return [], [Issue("F01", Level.ERROR, f"无法打开线索甄别表({type(exc).__name__}),请确认文件完好。", file)]
    raw = next((r for n, r in sheets.items() if schema.sheet_by_name((schema.SCREENING,), n)), None)
    if raw is None:
        return [], [Issue("S01", Level.ERROR, f"缺少工作表“{schema.SCREENING.name}”。", file, schema.SCREENING.name)]
    table = read_table(raw, schema.SCREENING, file)
    issues = list(table.issues)
    with engine.connect() as conn:
        known = {r[0] for r in conn.execute(select(t.projects.c.id))}
    decisions = []
    for row in table.rows:
        v = row.values
        if row.rejected or not (v.get("verdict") or v.get("tracker")):
            continue
        pid, dup = v["project_id"], v.get("duplicate_of")
        if pid not in known:
            label = schema.SCREENING.column("project_id").name
            issues.append(Issue("R10", Level.ERROR, f"{label} {pid} 不在台账中,本行未读取。", file,
                                schema.SCREENING.name, row.cells.get("project_id")))
            continue
        if v.get("verdict") == "重复" and (not dup or dup not in known or dup == pid):
            issues.append(Issue("R10", Level.ERROR, f"结论为“重复”,但“{schema.SCREENING.column('duplicate_of').name}”"
                                                    f"不是台账中另一个项目的编号({dup or '未填'}),本行未读取。",
                                file, schema.SCREENING.name, row.cells.get("duplicate_of")))
            continue
        decisions.append({"project_id": pid, "verdict": v.get("verdict") or "待定",
                          "duplicate_of": dup if v.get("verdict") == "重复" else None,
                          "tracker": v.get("tracker"), "source_row": row.excel_row})
    return decisions, issues


def apply_screening(engine: Engine, decisions: Sequence[dict[str, Any]], file_name: str, when: dt.date) -> int:
    """Record the decisions (replacing earlier ones for the same projects) in one transaction."""
    from zhaoshang_xls.ledger.store import writing

    with writing(engine) as conn:
        ids = [d["project_id"] for d in decisions]
        if ids:
            conn.execute(delete(t.screening).where(t.screening.c.project_id.in_(ids)))
            conn.execute(insert(t.screening), [
                {**d, "decided_on": when, "file_name": file_name} for d in decisions])
    return len(decisions)
