"""Reporting periods: months (``2024-03``, ``2024年3月``, ``202403``)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from zhaoshang_xls.errors import UsageError

_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})[-_./](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(?:份)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """``2024年3月``"""
        return f"{self.year}年{self.month}月"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> Month:
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def due_date(self, due_day: int) -> dt.date:
        """Day ``due_day`` of the following month: the deadline for this month's file."""
        nxt = self.next()
        return dt.date(nxt.year, nxt.month, due_day)


def parse_month(text: str) -> Month | None:
    """``2024-03`` / ``2024年3月`` / ``202403`` / ``2024.3`` -> Month, else None."""
    text = text.strip()
    for pattern in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return Month(year, month)
    return None


def require_month(text: str) -> Month:
    """Like :func:`parse_month` but a usage error (exit 2) when the text is no month."""
    month = parse_month(text)
    if month is None:
        raise UsageError(f"无法识别月份 {text!r}：请写成 2024-03、2024年3月 或 202403。")
    return month


_SPAN = re.compile(r"^(\d{4})\s*(?:年)?\s*(?:([QqＱ])\s*([1-4１-４])|([HhＨ])\s*([12１２])"
                   r"|第?([一二三四1-4])季度|([上下])半年)$")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "１": 1, "２": 2, "３": 3, "４": 4}


@dataclass(frozen=True, order=True)
class Span:
    """A quarter (``2024Q1``) or a half-year (``2024H1``): consecutive calendar months."""

    year: int
    kind: str  # "Q" or "H"
    index: int  # 1..4 for a quarter, 1..2 for a half-year

    @property
    def length(self) -> int:
        return 3 if self.kind == "Q" else 6

    @property
    def months(self) -> list[Month]:
        first = (self.index - 1) * self.length + 1
        return [Month(self.year, m) for m in range(first, first + self.length)]

    @property
    def fraction(self) -> tuple[int, int]:
        """How much of the year has passed at the end of the span: (q, 4) or (h, 2)."""
        return (self.index, 4 if self.kind == "Q" else 2)

    def __str__(self) -> str:
        return f"{self.year}{self.kind}{self.index}"

    @property
    def label(self) -> str:
        """``2024年第一季度`` / ``2024年上半年``"""
        if self.kind == "Q":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        return f"{self.year}年{'上下'[self.index - 1]}半年"


def parse_span(text: str, kind: str) -> Span:
    """``2024Q1`` / ``2024年第一季度`` (kind ``Q``), ``2024H1`` / ``2024年上半年`` (kind ``H``); a usage
    error otherwise."""
    match = _SPAN.match(text.strip())
    span = None
    if match:
        year = int(match.group(1))
        if match.group(2) or match.group(6):
            digit = match.group(3) or match.group(6)
            span = Span(year, "Q", _CN_DIGITS.get(digit) or int(digit))
        elif match.group(4):
            span = Span(year, "H", _CN_DIGITS.get(match.group(5)) or int(match.group(5)))
        else:
            span = Span(year, "H", 1 if match.group(7) == "上" else 2)
    if span is None or span.kind != kind or not 2000 <= span.year <= 2100:
        example = "2024Q1 或 2024年第一季度" if kind == "Q" else "2024H1 或 2024年上半年"
        raise UsageError(f"无法识别{'季度' if kind == 'Q' else '半年'} {text!r}：请写成 {example}。")
    return span
