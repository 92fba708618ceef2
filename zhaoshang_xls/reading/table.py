"""Rows of one schema sheet: header located, blank rows skipped, every cell normalised."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.issues import Issue, Level
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.normalize import expected_hint, normalize_value
from zhaoshang_xls.reading.workbook import RawSheet, cell_ref, is_blank, locate_header


@dataclass
class Row:
    """One input row: its Excel row number, clean values by column key, and cell addresses."""

    excel_row: int  # 1-based
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # column key -> ``H7``
    rejected: bool = False


@dataclass
class Table:
    sheet: schema.Sheet
    rows: list[Row]
    issues: list[Issue]


def read_table(raw: RawSheet, spec: schema.Sheet, file: str, month: Month | None = None,
               uncalculated: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset()) -> Table:
    """Normalise every non-blank row under the header; collect issues instead of raising.

    A row with an unusable value in a required column is marked ``rejected`` (the issue is
    an error); an unusable optional value is an error for that cell and left empty.
    """
    header = locate_header(raw, spec, file)
    issues = list(header.issues)
    rows: list[Row] = []
    if any(i.level is Level.ERROR for i in issues):
        return Table(spec, rows, issues)
    example = {c.key: str(c.example) for c in spec.columns if isinstance(c.example, str)}
    for r in range(header.row + 1, len(raw.rows)):
        cells = raw.rows[r]
        if all(is_blank(cells[c]) and (r, c) not in uncalculated for c in header.columns if c < len(cells)):
            continue
        if spec.example_row and _is_example(raw, r, header.columns, example):
            continue
        row = Row(r + 1)
        for c, col in header.columns.items():
            ref = cell_ref(r, c)
            row.cells[col.key] = ref
            value = raw.value(r, c)
            if (r, c) in uncalculated:
                issues.append(Issue(
                    "R15", Level.WARNING,
                    f"“{col.name}”是公式，但保存文件的程序没有算出结果，按空白处理；"
                    "请在 Excel/WPS 中打开后保存一次再发送，或直接填写数值。", file, spec.name, ref,
                ))
            parsed = normalize_value(col, value, month)
            if parsed.code is not None:
                shown = str(value).strip()
                issues.append(Issue(
                    parsed.code, Level.ERROR,
                    f"“{col.name}”填的是“{shown}”，{expected_hint(col)}。",
                    file, spec.name, ref,
                ))
                row.rejected = row.rejected or col.required
                continue
            if parsed.note:
                issues.append(Issue("R16", Level.WARNING, f"“{col.name}”{parsed.note}。",
                                    file, spec.name, ref))
            if parsed.value is not None:
                row.values[col.key] = parsed.value
        for col in header.columns.values():
            if col.required and col.key not in row.values and col.key not in _failed(issues, row):
                if col.default is not None or col.default_from is not None:
                    continue
                issues.append(Issue(
                    "R01", Level.ERROR, f"必填项“{col.name}”为空，请补填。",
                    file, spec.name, row.cells[col.key],
                ))
                row.rejected = True
        rows.append(row)
    return Table(spec, rows, issues)


def _failed(issues: list[Issue], row: Row) -> set[str]:
    refs = {ref: key for key, ref in row.cells.items()}
    return {refs[i.cell] for i in issues if i.level is Level.ERROR and i.cell in refs}


def _is_example(raw: RawSheet, r: int, columns: dict[int, schema.Column],
                example: dict[str, str]) -> bool:
    """The grey example row, wherever it ended up: its text cells equal the schema's examples."""
    compared = [(c, col) for c, col in columns.items() if col.key in example]
    return bool(compared) and all(
        str(raw.value(r, c)).strip() == example[col.key] for c, col in compared
    )
