"""A filled 线索甄别 workbook (docs/rules.md, 线索甄别): the bureau's decisions, checked.

``consolidate`` writes ``输出/<month>_线索甄别.xlsx``; the bureau fills 甄别结论 / 重复于 / 跟踪责任人
and gives the file to ``zsxls screen`` (or drops it into a month folder).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.issues import Issue, Level
from zhaoshang_xls.reading.table import read_table
from zhaoshang_xls.reading.workbook import read_workbook


def is_screening_file(path: Path) -> bool:
    """A 线索甄别 workbook (by its name; the clerk may drop it into a month folder)."""
    return path.name.endswith(schema.SCREENING_FILE_SUFFIX)


def read_screening(path: Path, known: Collection[str]) -> tuple[list[dict[str, Any]], list[Issue]]:
    """The decisions in a filled 线索甄别 workbook, checked against the ledger's project ids ``known``."""
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
        if v.get("verdict") == schema.DUPLICATE and (not dup or dup not in known or dup == pid):
            issues.append(Issue("R10", Level.ERROR, f"结论为“重复”,但“{schema.SCREENING.column('duplicate_of').name}”"
                                                    f"不是台账中另一个项目的编号({dup or '未填'}),本行未读取。",
                                file, schema.SCREENING.name, row.cells.get("duplicate_of")))
            continue
        decisions.append({"project_id": pid, "verdict": v.get("verdict") or schema.PENDING,
                          "duplicate_of": dup if v.get("verdict") == schema.DUPLICATE else None,
                          "tracker": v.get("tracker"), "source_row": row.excel_row})
    return decisions, issues
