"""Fill a generated template the way a unit would: values written by column header.

Used by the samples script, the tests and the benchmarks to make realistic inputs. Values
are written as given (a string such as ``"500万"`` stays a string, as if typed or pasted
past the dropdowns), so mistakes can be made on purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhaoshang_xls import schema
from zhaoshang_xls.fileio import write_atomic

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def fill_workbook(
    wb: Workbook,
    basic: Mapping[str, Any] | None = None,
    rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> Workbook:
    """Write ``basic`` (基本信息 fields by key) and ``rows`` (sheet key -> rows by column key).

    Rows go into the first empty input rows under the header (after any prefilled rows).
    Columns are found by their header text through the schema, so a renamed header still
    receives its values.
    """
    if basic:
        _fill_form(wb[schema.BASIC.name], basic)
    for sheet_key, sheet_rows in (rows or {}).items():
        spec = next(s for s in (*schema.DATA_SHEETS, schema.TAX) if s.key == sheet_key)
        _fill_table(wb[spec.name], spec, sheet_rows)
    return wb


def fill_template(
    template: Path,
    out: Path,
    basic: Mapping[str, Any] | None = None,
    rows: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> Path:
    """Load ``template``, fill it and save it as ``out`` (the template is left unchanged)."""
    from openpyxl import load_workbook

    wb = load_workbook(template)
    fill_workbook(wb, basic, rows)
    return write_atomic(out, lambda tmp: wb.save(tmp))


def rename_header(wb: Workbook, sheet_key: str, column_key: str, text: str) -> None:
    """Change one header cell's text (to make a renamed/Traditional header on purpose)."""
    spec = next(s for s in schema.DATA_SHEETS if s.key == sheet_key)
    ws = wb[spec.name]
    col = _column_index(ws, spec)[column_key]
    ws.cell(row=spec.header_row, column=col).value = text


def _fill_form(ws: Worksheet, values: Mapping[str, Any]) -> None:
    for row in range(1, ws.max_row + 1):
        col = schema.BASIC.match_header(ws.cell(row=row, column=1).value)
        if col is not None and col.key in values:
            _write(ws.cell(row=row, column=2), values[col.key])


def _column_index(ws: Worksheet, spec: schema.Sheet) -> dict[str, int]:
    found: dict[str, int] = {}
    for c in range(1, ws.max_column + 1):
        col = spec.match_header(ws.cell(row=spec.header_row, column=c).value)
        if col is not None:
            found[col.key] = c
    return found


def _fill_table(ws: Worksheet, spec: schema.Sheet, rows: Sequence[Mapping[str, Any]]) -> None:
    """Rows with a 项目编号 already on the sheet (prefilled) update that row; others take the
    next empty row."""
    columns = _column_index(ws, spec)
    prefilled = {}
    if "project_id" in columns:
        for r in range(spec.first_input_row, spec.last_input_row + 1):
            value = ws.cell(row=r, column=columns["project_id"]).value
            if value:
                prefilled[value] = r
    row = spec.first_input_row
    for values in rows:
        target = prefilled.get(values.get("project_id"))
        if target is None:
            while any(ws.cell(row=row, column=c).value not in (None, "") for c in columns.values()):
                row += 1
            target, row = row, row + 1
        for key, value in values.items():
            _write(ws.cell(row=target, column=columns[key]), value)


def _write(cell: Any, value: Any) -> None:
    """Typed text stays text: ``=HYPERLINK(...)`` typed with a leading apostrophe is a string."""
    cell.value = _cell(value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value
