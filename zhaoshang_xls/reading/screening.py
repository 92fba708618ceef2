"""A filled 线索甄别 workbook (docs/rules.md, 线索甄别): the bureau's decisions, checked.

``consolidate`` writes ``输出/<month>_线索甄别.xlsx``; the bureau fills 甄别结论 / 重复于 / 跟踪责任人
and gives the file to ``zsxls screen`` (or drops it into a month folder).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.issues import Issue, Level
from zhaoshang_xls.periods import Month, parse_month
from zhaoshang_xls.reading.monthly import read_meta
from zhaoshang_xls.reading.table import read_table
from zhaoshang_xls.reading.workbook import read_workbook
from zhaoshang_xls.tokens import screening_token_matches


def is_screening_file(path: Path) -> bool:
    """A 线索甄别 workbook (by its name; the clerk may drop it into a month folder)."""
    return path.name.endswith(schema.SCREENING_FILE_SUFFIX)


_DECISION = ("verdict", "duplicate_of", "introducer_unit", "tracker")


def read_screening(path: Path, secret: bytes, known: Mapping[str, dt.date | None],
                   current: Mapping[str, Mapping[str, Any]] | None = None,
                   units: Collection[str] | None = None,
                   month: Month | None = None) -> tuple[list[dict[str, Any]], list[Issue]]:
    """The decisions a person wrote in a filled 线索甄别 workbook, checked against the ledger.

    Only a workbook this workspace wrote is read: its ``_meta`` token must match ``secret``
    (anyone can email the office a file named ``2024-03_线索甄别.xlsx``). ``known`` maps every
    project id to its 信息提供日期; ``current`` holds the decisions already on record (a row that
    repeats one is not read again: an untouched file reads nothing); ``units`` are the roster's
    unit codes (for 招引单位). Suggestions (建议结论) are never read. The month it was written for
    must be the one its name says, and not after ``month`` (the folder it was dropped in).
    """
    file = path.name
    try:
        sheets = read_workbook(path)
    except Exception as exc:  # every reader failure is one clear issue
        return [], [Issue("F01", Level.ERROR, f"无法打开线索甄别表（{type(exc).__name__}），请确认文件完好。", file)]
    meta = read_meta(sheets)
    if meta.get("kind") != "screening" or not screening_token_matches(secret, meta.get("token", ""),
                                                                      meta.get("month", "")):
        return [], [Issue("F11", Level.ERROR, "这份线索甄别表不是本工作目录的 zsxls 生成的（校验码缺失或不符），"
                                              "可能来自他人或别的工作目录，其中的甄别结论一律未读取。请在 consolidate "
                                              "生成的“输出/<月份>_线索甄别.xlsx”上填写。", file)]
    written_for = parse_month(meta["month"])
    named = parse_month(file[:7])
    # its name must say the month it was written for; a later month's folder may hold it (the
    # bureau decides after the month), an earlier one cannot
    if written_for is None or (named is not None and named != written_for) or \
            (month is not None and written_for > month):
        shown = written_for.label if written_for else meta["month"]
        where = (named or month).label if (named or month) else "?"  # type: ignore[union-attr]
        return [], [Issue("F11", Level.ERROR, f"这是 {shown} 的线索甄别表，却作为 {where} 的甄别表读入（文件名或"
                                              "所在文件夹的月份不同），其中的甄别结论一律未读取。请用对应月份的甄别表。",
                          file)]
    raw = next((r for n, r in sheets.items() if schema.sheet_by_name((schema.SCREENING,), n)), None)
    if raw is None:
        return [], [Issue("S01", Level.ERROR, f"缺少工作表“{schema.SCREENING.name}”。", file, schema.SCREENING.name)]
    table = read_table(raw, schema.SCREENING, file)
    issues = list(table.issues)
    sheet, col = schema.SCREENING.name, schema.SCREENING.column
    decisions = []
    for row in table.rows:
        v = row.values
        if row.rejected or not (v.get("verdict") or v.get("tracker")):
            continue
        pid, dup, verdict = v["project_id"], v.get("duplicate_of"), v.get("verdict") or schema.PENDING

        def reject(message: str, key: str, row: Any = row) -> None:
            issues.append(Issue("R10", Level.ERROR, f"{message}，本行未读取。", file, sheet, row.cells.get(key)))

        if pid not in known:
            reject(f"{col('project_id').name} {pid} 不在台账中", "project_id")
            continue
        if verdict == schema.DUPLICATE:
            if not dup or dup not in known or dup == pid:
                reject(f"结论为“重复”，但“{col('duplicate_of').name}”不是台账中另一个项目的编号（{dup or '未填'}）",
                       "duplicate_of")
                continue
            mine, theirs = known[pid], known[dup]
            if mine is not None and theirs is not None and theirs > mine:
                reject(f"“{col('duplicate_of').name}”应为先报送的项目：{dup} 的信息提供日期 {theirs} 晚于本项目的 "
                       f"{mine}；请在较晚报送的那一行填“重复”，重复于较早的项目", "duplicate_of")
                continue
        unit = v.get("introducer_unit")
        if unit is not None and units is not None and str(unit).upper() not in units:
            reject(f"{col('introducer_unit').name} {unit} 不在目标责任表中", "introducer_unit")
            continue
        decision = {"project_id": pid, "verdict": verdict, "duplicate_of": dup if verdict == schema.DUPLICATE else None,
                    "introducer_unit": str(unit).upper() if unit else None, "tracker": v.get("tracker"),
                    "source_row": row.excel_row}
        before = (current or {}).get(pid)
        if before is not None and all((before.get(k) or None) == decision[k] for k in _DECISION):
            continue  # already on record: nothing new
        decisions.append(decision)
    return decisions, issues
