"""A filled 税收台账 (docs/rules.md, 财税分成奖): the zone tax per project per year, checked.

``zsxls template --tax 2024`` writes the workbook prefilled with every started project; 财税工作组
fills 开发区实得税收(万元) and the clerk saves it as ``税收台账.xlsx`` in the workspace. ``zsxls
annual`` reads it each time (an estimate uses it without storing it); ``--finalize`` stores the
years it holds in the ledger together with the settlements.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.config import year_in_range
from zhaoshang_xls.issues import Issue, Level
from zhaoshang_xls.reading.table import read_table
from zhaoshang_xls.reading.workbook import RawSheet, read_workbook
from zhaoshang_xls.records import TaxRecord

_SHEET = schema.TAX


@dataclass
class TaxBook:
    """What a 税收台账 held: the usable rows, every issue, and the sheets as read (for the receipt)."""

    file_name: str
    records: list[TaxRecord] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    rows_read: int = 0

    @property
    def years(self) -> set[int]:
        return {r.year for r in self.records}


def read_tax_book(path: Path, known_projects: Collection[str]) -> TaxBook:
    """Read and check a filled 税收台账; rows with errors are left out (and named in the issues).

    A prefilled row whose tax is left blank is not an error: that project had no tax to report.
    """
    book = TaxBook(path.name)
    file = path.name
    try:
        book.sheets = read_workbook(path)
    except Exception as exc:  # every reader failure is one clear issue
        book.issues.append(Issue("F01", Level.ERROR, f"无法打开税收台账（{type(exc).__name__}），"
                                                     "请确认它是正常的 .xlsx 文件。", file))
        return book
    raw = next((r for n, r in book.sheets.items() if schema.sheet_by_name((_SHEET,), n)), None)
    if raw is None:
        book.issues.append(Issue("S01", Level.ERROR, f"缺少工作表“{_SHEET.name}”。", file, _SHEET.name))
        return book
    table = read_table(raw, _SHEET, file)
    blank = {row.cells["zone_tax"] for row in table.rows
             if "zone_tax" not in row.values and "zone_tax" in row.cells and _only_tax_missing(row.values)}
    book.issues += [i for i in table.issues if not (i.code == "R01" and i.cell in blank)]
    seen: dict[tuple[str, int], int] = {}
    label = _SHEET.column("project_id").name
    for row in table.rows:
        v = row.values
        if row.cells.get("zone_tax") in blank:
            continue
        book.rows_read += 1
        if row.rejected:
            continue
        pid, year = v["project_id"], v["year"]
        if pid not in known_projects:
            book.issues.append(Issue("R10", Level.ERROR, f"{label} {pid} 不在台账中，本行未读取；请核对编号"
                                                         "（用 zsxls template --tax 生成的台账已预填编号）。",
                                     file, _SHEET.name, row.cells.get("project_id")))
            continue
        if not year_in_range(year):
            book.issues.append(Issue("R03", Level.ERROR, f"“{_SHEET.column('year').name}”应为四位年份"
                                                         f"（现为 {year}），本行未读取。",
                                     file, _SHEET.name, row.cells.get("year")))
            continue
        if (pid, year) in seen:
            book.issues.append(Issue("R08", Level.ERROR, f"项目 {pid} 的 {year} 年税收已在第 {seen[pid, year]} 行"
                                                         "填写，本行未读取；请合并为一行。",
                                     file, _SHEET.name, row.cells.get("project_id")))
            continue
        seen[pid, year] = row.excel_row
        book.records.append(TaxRecord(pid, year, v["zone_tax"], f"{file} 第{row.excel_row}行", row.excel_row))
    return book


def _only_tax_missing(values: dict[str, Any]) -> bool:
    return "project_id" in values and "year" in values
