"""Raw cell values of a workbook through python-calamine, with real Excel row numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.issues import Issue, Level


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) -> ``H7``."""
    return f"{column_letter(col)}{row + 1}"


@dataclass
class RawSheet:
    """Cell values of one sheet; ``rows[0]`` is Excel row 1 and column 0 is A."""

    name: str
    rows: list[list[Any]]

    def value(self, row: int, col: int) -> Any:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


class TooManyRows(Exception):
    """A sheet is larger than the limit (checked before its cells are converted)."""

    def __init__(self, sheet: str, rows: int) -> None:
        super().__init__(sheet, rows)
        self.sheet, self.rows = sheet, rows


def read_workbook(source: Path | bytes, max_rows: int | None = None) -> dict[str, RawSheet]:
    """Every sheet's raw values, from a path or the file's bytes.

    Raises python-calamine's errors, OSError, or TooManyRows for a sheet over ``max_rows``.
    """
    import io

    import python_calamine

    if isinstance(source, bytes):
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(source))
    else:
        workbook = python_calamine.CalamineWorkbook.from_path(str(source))
    try:
        sheets: dict[str, RawSheet] = {}
        for meta in workbook.sheets_metadata:
            sheet = workbook.get_sheet_by_name(meta.name)
            if max_rows is not None and sheet.height > max_rows:
                raise TooManyRows(meta.name, sheet.height)
            rows = sheet.to_python(skip_empty_area=False)
            sheets[meta.name] = RawSheet(meta.name, rows)
        return sheets
    finally:
        workbook.close()


@dataclass
class HeaderMatch:
    """Where a sheet's header row is and which column holds which schema column."""

    row: int  # 0-based index of the header row
    columns: dict[int, schema.Column] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)


def locate_header(sheet: RawSheet, spec: schema.Sheet, file: str, scan_rows: int = 15) -> HeaderMatch:
    """Find the header row (the row naming most schema columns) and map its cells.

    A required column that is missing is an S02 error; a header that was renamed (synonym,
    Traditional form, changed unit brackets) or moved is an S02 warning naming the mapping.
    """
    best: HeaderMatch | None = None
    expected = spec.header_row - 1
    # The template's own header row first: when it names every column no other row can do better
    # (reading thousands of files, this spares matching the cells of the rows below it).
    rows = [expected, *(r for r in range(scan_rows) if r != expected)]
    for r in (r for r in rows if r < len(sheet.rows)):
        found: dict[int, schema.Column] = {}
        for c, raw in enumerate(sheet.rows[r]):
            col = spec.match_header(raw)
            if col is not None and col not in found.values():
                found[c] = col
        if found and (best is None or len(found) > len(best.columns)):
            best = HeaderMatch(r, found)
        if best is not None and len(best.columns) == len(spec.columns):
            break
    if best is None:
        best = HeaderMatch(spec.header_row - 1)
    for c, col in best.columns.items():
        text = str(sheet.value(best.row, c)).strip()
        expected_at = spec.columns.index(col)
        where = cell_ref(best.row, c)
        if text.rstrip("*") != col.name:
            best.issues.append(Issue(
                "S02", Level.WARNING,
                f"表头“{text}”按“{col.name}”读取；请使用最新模板，不要修改表头。",
                file, spec.name, where,
            ))
        elif c != expected_at:
            best.issues.append(Issue(
                "S02", Level.WARNING,
                f"“{col.name}”列位置有变动（应在第 {column_letter(expected_at)} 列），已按表头读取。",
                file, spec.name, where,
            ))
    present = set(best.columns.values())
    for col in spec.required_columns():
        if col not in present:
            best.issues.append(Issue(
                "S02", Level.ERROR,
                f"缺少必填列“{col.name}”：请在第 {best.row + 1} 行表头中恢复该列，或改用新模板重新填写。",
                file, spec.name, None,
            ))
    return best


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_html_tables(data: bytes) -> dict[str, RawSheet]:
    """The tables of an HTML page saved as ``.xls`` (web exports do this), one sheet each."""
    from html.parser import HTMLParser

    class _Tables(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tables: list[list[list[Any]]] = []
            self.row: list[Any] | None = None
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "table":
                self.tables.append([])
            elif tag == "tr" and self.tables:
                self.row = []
            elif tag in ("td", "th") and self.row is not None:
                self.cell = []
            elif tag == "br" and self.cell is not None:
                self.cell.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.row is not None and self.cell is not None:
                text = "".join(self.cell).strip()
                self.row.append(text or None)
                self.cell = None
            elif tag == "tr" and self.row is not None and self.tables:
                self.tables[-1].append(self.row)
                self.row = None

        def handle_data(self, text: str) -> None:
            if self.cell is not None:
                self.cell.append(text)

    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", errors="replace")
    parser = _Tables()
    parser.feed(text)
    return {f"Sheet{i}": RawSheet(f"Sheet{i}", rows) for i, rows in enumerate(parser.tables, start=1) if rows}
