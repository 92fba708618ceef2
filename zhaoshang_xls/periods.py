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
        raise UsageError(f"无法识别月份 {text!r}:请写成 2024-03、2024年3月 或 202403。")
    return month
