"""The look shared by every report: fonts, title and period rows, number formats, widths, printing.

User text is never a formula, whichever library writes it: ``text.cell_text`` decides, and
every writer goes through it — ``Report.write_value`` / ``Report.write_text`` here (xlsxwriter,
workbooks created with ``strings_to_formulas`` off), ``put`` for openpyxl (templates, 线索甄别,
税收台账, 目标责任表), ``text.csv_field`` for CSV. A company called ``=HYPERLINK(...)`` stays text:
a string cell, quote-prefixed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from zhaoshang_xls.compute.money import exact
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.text import cell_text, display_width

# The house style, shared by every writer (reports here with xlsxwriter, templates with openpyxl).
FONT = "宋体"
HEADER_FILL = "#DDEBF7"
MONEY_FORMAT = "#,##0.00"  # 万元 and 元: two decimals, thousands separators
DATE_FORMAT = "yyyy-mm-dd"
NO_DATA = "—"  # a figure of a month the ledger has no data for: shown so, never as 0
_FORMATS: dict[str, dict[str, Any]] = {
    "text": {},
    "wrap": {"text_wrap": True},
    "int": {"num_format": "#,##0", "align": "right"},
    "wan": {"num_format": MONEY_FORMAT, "align": "right"},  # 万元, two decimals
    "yuan": {"num_format": MONEY_FORMAT, "align": "right"},  # 元, two decimals
    "pct": {"num_format": "0.0%", "align": "right"},
    "score": {"num_format": "0.0", "align": "right"},  # points of a ranking, one decimal
    "date": {"num_format": DATE_FORMAT, "align": "center"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm", "align": "center"},
    "center": {"align": "center"},
}


@dataclass(frozen=True)
class Col:
    """A report column: header text, the record key it shows, its kind and a minimum width."""

    header: str
    key: str
    kind: str = "text"
    width: float = 0


def rate(value: Fraction | None) -> Decimal | None:
    """An exact rate for a ``pct`` cell (the format shows one decimal of a percent)."""
    return None if value is None else exact(value)


def mask_phone(phone: str | None) -> str:
    """``13812345678`` -> ``138****5678``; landlines keep their area code and last four digits."""
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 7:
        return f"{phone[: max(3, len(phone) - 8)]}****{digits[-4:]}"
    return "****"


class Report:
    """One xlsxwriter workbook with the house style; ``save`` writes it atomically."""

    def __init__(self, title: str, period: str, generated: dt.datetime) -> None:
        import io

        import xlsxwriter

        self._buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self._buffer, {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "in_memory": True, "default_date_format": DATE_FORMAT,
        })
        self.book.set_properties({"title": title, "author": "zsxls", "created": generated})
        self._props: dict[int, dict[str, Any]] = {}
        self._quoted: dict[int, Any] = {}
        self.title, self.period, self.generated = title, period, generated
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter", "border": 1, "border_color": "#A6A6A6"}
        self._base = base
        self.fmt = {name: self.add_format({**base, **extra}) for name, extra in _FORMATS.items()}
        self.quoted = self.add_format({**base, "quote_prefix": True})
        self._filled: dict[tuple[str, str, bool], Any] = {}
        self.title_fmt = self.add_format({"font_name": FONT, "font_size": 16, "bold": True})
        self.period_fmt = self.add_format({"font_name": FONT, "font_size": 10, "font_color": "#595959"})
        self.strong_fmt = self.add_format({"font_name": FONT, "font_size": 12, "bold": True})
        self.header_fmt = self.add_format({**base, "bold": True, "bg_color": HEADER_FILL, "text_wrap": True,
                                                "align": "center"})
        self.good = self.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})
        self.bad = self.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})

    def sheet(self, name: str, heading: str | None = None) -> Any:
        """A worksheet with the title row, the period line and print setup (A4 landscape). The name
        is made a valid, unique sheet name (a receipt copies the sheets of a unit's file: any name)."""
        ws = self.book.add_worksheet(self.sheet_name(name))
        self.write_text(ws, 0, 0, heading or f"{self.title} · {name}", self.title_fmt)
        self.write_text(ws, 1, 0, f"{self.period}    生成时间：{self.generated:%Y-%m-%d %H:%M}", self.period_fmt)
        ws.set_row(0, 24)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer(footer(self.title))
        return ws

    def sheet_name(self, name: str) -> str:
        """``name`` as a valid sheet name not used yet in this workbook (any text a file gave)."""
        clean = re.sub(r"[\[\]:*?/\\\x00-\x1f]", "_", name).strip("'").strip() or "Sheet"
        taken = {ws.get_name().casefold() for ws in self.book.worksheets()}
        candidate, n = clean[:31], 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f"({n})"
            candidate = clean[: 31 - len(suffix)] + suffix
        return candidate

    def chart(self, kind: str, title: str, x_name: str, y_name: str, subtype: str | None = None,
              x_extra: dict[str, Any] | None = None, y_extra: dict[str, Any] | None = None) -> Any:
        """A chart in the house style: a title, both axes named, legend on top, all in our font."""
        chart = self.book.add_chart({"type": kind, **({"subtype": subtype} if subtype else {})})
        chart.set_title({"name": title, "name_font": {"name": FONT, "size": 12}})
        chart.set_x_axis({"name": x_name, "name_font": {"name": FONT, "size": 10},
                          "num_font": {"name": FONT, "size": 8}, **(x_extra or {})})
        chart.set_y_axis({"name": y_name, "name_font": {"name": FONT, "size": 10},
                          "num_font": {"name": FONT, "size": 8}, **(y_extra or {})})
        chart.set_legend({"position": "top", "font": {"name": FONT, "size": 9}})
        return chart

    def _format(self, kind: str, fill: str | None, quoted: bool) -> Any:
        if fill is None:
            return self.quoted if quoted else self.fmt[kind]
        key = (kind, fill, quoted)
        if key not in self._filled:
            self._filled[key] = self.add_format({**self._base, **_FORMATS[kind], "bg_color": fill,
                                                      **({"quote_prefix": True} if quoted else {})})
        return self._filled[key]

    def write_value(self, ws: Any, row: int, col: int, value: Any, kind: str, fill: str | None = None) -> None:
        """Write one cell by kind (optionally filled); text is always text, with a quote prefix
        when it starts like a formula."""
        fmt = self._format(kind, fill, False)
        if value is None or (isinstance(value, float) and value != value):
            ws.write_blank(row, col, None, fmt)
        elif kind in ("int", "wan", "yuan", "pct", "score") and isinstance(value, (int, float, Decimal)):
            ws.write_number(row, col, float(value), fmt)
        elif kind in ("date", "datetime") and isinstance(value, (dt.date, dt.datetime)):
            when = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
            ws.write_datetime(row, col, when, fmt)
        else:
            text, risky = cell_text("是" if value is True else "否" if value is False else str(value))
            ws.write_string(row, col, text, self._format(kind, fill, risky))

    def write_text(self, ws: Any, row: int, col: int, text: str, fmt: Any) -> None:
        """A line of text in one of the report's own formats (``period_fmt``, ``strong_fmt`` …)
        that may hold user text: quote-prefixed when it starts like a formula."""
        text, risky = cell_text(text)
        if risky:
            fmt = self._quoted_copy(fmt)
        ws.write_string(row, col, text, fmt)

    def merge_text(self, ws: Any, cells: tuple[int, int, int, int], text: str, fmt: Any) -> None:
        """A merged range holding a text (see ``write_text``)."""
        text, risky = cell_text(text)
        ws.merge_range(*cells, "", self._quoted_copy(fmt) if risky else fmt)
        ws.write_string(cells[0], cells[1], text, self._quoted_copy(fmt) if risky else fmt)

    def _quoted_copy(self, fmt: Any) -> Any:
        key = id(fmt)
        if key not in self._quoted:
            self._quoted[key] = self.add_format({**self._props[key], "quote_prefix": True})
        return self._quoted[key]

    def add_format(self, props: dict[str, Any]) -> Any:
        """An xlsxwriter format whose properties are kept (for its quote-prefixed twin)."""
        fmt = self.book.add_format(props)
        self._props[id(fmt)] = dict(props)
        return fmt

    def table(self, ws: Any, columns: Sequence[Col], records: Sequence[dict[str, Any]], first_row: int = 3,
              freeze: bool = True) -> tuple[int, int]:
        """Header row and records from ``first_row``; autofilter, frozen header, widths for Chinese.

        Returns (header row, last data row) (0-based).
        """
        widths = [fit_width(col, records) for col in columns]
        for c, col in enumerate(columns):
            ws.write_string(first_row, c, col.header, self.header_fmt)
        for r, record in enumerate(records, start=first_row + 1):
            lines = 1
            for c, col in enumerate(columns):
                value = record.get(col.key)
                self.write_value(ws, r, c, value, col.kind)
                if col.kind == "wrap" and value:
                    lines = max(lines, wrapped_lines(str(value), widths[c]))
            if lines > 1:  # wrapped text: make the row tall enough (no office suite is relied on)
                ws.set_row(r, 14 * lines)
        last = first_row + len(records)
        ws.autofilter(first_row, 0, max(last, first_row), len(columns) - 1)
        if freeze:
            ws.freeze_panes(first_row + 1, 0)
        ws.repeat_rows(first_row)
        ws.set_row(first_row, 30)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        return first_row, last

    def save(self, path: Path) -> Path:
        """Finish the workbook in memory, then write it atomically (temporary file, rename)."""
        self.book.close()
        data = self._buffer.getvalue()

        def write(tmp: Path) -> None:
            tmp.write_bytes(data)

        return write_atomic(path, write)


PAGE_NUMBERS = "第 &P 页，共 &N 页"


def footer(title: str) -> str:
    """Report title and sheet name (``&A``) left, page numbers centre: every printed page says
    which report and sheet it belongs to."""
    return f"&L{title} · &A&C{PAGE_NUMBERS}&Rzsxls"


def wrapped_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs. Column widths count default-font characters; our 10-point
    宋体 sets a CJK character in about 1.6 of them (display width 2), hence the 0.8."""
    import math

    return max(1, math.ceil(display_width(text) * 0.8 / max(1.0, width - 1)))


def fit_width(col: Col, records: Sequence[dict[str, Any]]) -> float:
    """Column width fitting the header (wrapped onto two lines) and the widest value;
    wrapped columns keep their set width (their rows grow instead)."""
    header = display_width(col.header) / 2 + 2
    if col.kind == "wrap":
        return max(col.width, header)
    widest = max((display_width(_shown(r.get(col.key), col.kind)) for r in records), default=0)
    return max(col.width, min(36.0, max(header, widest + 2, 6.0)))


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind in ("wan", "yuan", "int") and isinstance(value, (int, float, Decimal)):
        return f"{value:,.2f}"
    if kind == "pct" and isinstance(value, (int, float, Decimal)):
        return f"{float(value) * 100:.1f}%"
    if kind == "date":
        return "2024-03-05"
    return str(value)


def put(cell: Any, value: Any) -> Any:
    """Set an openpyxl cell; text is always a string cell (openpyxl would make ``=…`` a
    formula), quote-prefixed when it starts like one (``text.cell_text``). Set the cell's style
    first: the quote prefix is part of it."""
    if isinstance(value, str):
        text, risky = cell_text(value)
        cell.value = text
        cell.data_type = "s"
        if risky:
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell
