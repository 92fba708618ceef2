"""Normalise raw cell values through the schema: numbers, dates, names, list values.

Each function returns :class:`Parsed`: the clean value, or an issue code when the raw value
cannot be understood (never a silent 0), and a note when the value was changed on the way.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from zhaoshang_xls.periods import Month
from zhaoshang_xls.schema import Column, Kind

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Multipliers of a written unit, in 元; a column in 万元 (or 万美元) divides by 10,000.
_UNIT_FACTORS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "": Decimal(1)}


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    code: str | None = None  # issue code when the value could not be used (R02, R04, R06…)
    note: str | None = None  # what was changed, for a warning


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def normalize_value(col: Column, raw: Any, month: Month | None = None) -> Parsed:
    """Parse one raw cell of column ``col``; blank cells give ``Parsed(None)``.

    ``month`` is the reporting month, which gives the year of a date written ``3月5日``.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Parsed(None)
    if col.kind is Kind.DATE:
        value, note = parse_date(raw, month)
        return Parsed(code="R04") if value is None else Parsed(value, note=note)
    return _PARSERS[col.kind](col, raw)


def _parse_text(col: Column, raw: Any) -> Parsed:
    text = unicodedata.normalize("NFC", _text(raw)).replace("\u3000", " ").strip()
    return Parsed(re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", text))


def _parse_name(col: Column, raw: Any) -> Parsed:
    text = _text(raw)
    clean = re.sub(r"\s+", "", text.replace("\u3000", " "))
    note = f"“{text.strip()}”去掉空格后为“{clean}”" if clean != text.strip() else None
    return Parsed(clean, note=note)


def _parse_code(col: Column, raw: Any) -> Parsed:
    text = unicodedata.normalize("NFKC", _text(raw)).strip()
    clean = re.sub(r"\s+", "", text).upper()
    note = f"“{text}”按“{clean}”读取" if clean != text else None
    return Parsed(clean, note=note)


def _parse_phone(col: Column, raw: Any) -> Parsed:
    text = unicodedata.normalize("NFKC", _text(raw)).strip()
    return Parsed(re.sub(r"\s+", "", text))


# Exactly one bare address (the 催报 drafts put it in a To: header): a dot-atom local part, then
# a domain of two or more labels, the last not all digits. No display name, list separator
# (, ; space), angle bracket, quote, control or line break can get through.
_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
_LABEL = r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+(?!\d+\Z){_LABEL}")


def _parse_email(col: Column, raw: Any) -> Parsed:
    text = unicodedata.normalize("NFKC", _text(raw)).strip()
    if len(text) > 254 or not _EMAIL.fullmatch(text):
        return Parsed(code="R06")
    return Parsed(text)


def parse_number(raw: Any, unit: str | None = None) -> tuple[Decimal | None, str | None]:
    """A number from a cell: ``1,200``, ``１２００``, ``500万元``, ``0.5亿``, ``五百万``.

    ``unit`` is the column's unit (``万元``, ``万美元``, ``元`` or None); a unit written into
    the cell is converted to it (``0.5亿`` in a 万元 column is 5000). Returns (value, note)."""
    if isinstance(raw, bool):
        return None, None
    if isinstance(raw, int):
        return Decimal(raw), None
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return None, None
        return _whole(Decimal(repr(raw))), None
    if not isinstance(raw, str):
        return None, None
    original = raw.strip()
    text = unicodedata.normalize("NFKC", original).replace(" ", "").replace(",", "")
    text = text.removesuffix("美元").removesuffix("元")
    factor = Decimal(1)
    for suffix, multiplier in _UNIT_FACTORS.items():
        if suffix and text.endswith(suffix):
            text = text[: -len(suffix)]
            factor = multiplier / (Decimal(10_000) if unit and unit.startswith("万") else Decimal(1))
            break
    try:
        value = Decimal(text) * factor
    except InvalidOperation:
        chinese = _chinese_number(text)
        if chinese is None:
            return None, None
        value = chinese * factor
    if not value.is_finite():
        return None, None
    value = _whole(value)
    note = None if original == str(value) else f"“{original}”按 {value} 读取"
    return value, note


def _whole(value: Decimal) -> Decimal:
    """``3.0`` -> ``3`` (exponent 0) for whole numbers of a sensible size; others unchanged."""
    if value == value.to_integral_value() and abs(value) < Decimal(10) ** 15:
        return value.quantize(Decimal(1))
    return value


def _chinese_number(text: str) -> Decimal | None:
    """``五百`` -> 500, ``一千二百`` -> 1200, ``零点五`` -> 0.5 (through cn2an)."""
    if not text or not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return None
    import cn2an

    try:
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError, TypeError, InvalidOperation):
        return None


def _parse_decimal(col: Column, raw: Any) -> Parsed:
    value, note = parse_number(raw, col.unit)
    if value is None:
        return Parsed(code="R02")
    if value < 0 or (col.maximum is not None and value > Decimal(str(col.maximum))):
        return Parsed(value, code="R03", note=note)
    return Parsed(value, note=note)


def _parse_int(col: Column, raw: Any) -> Parsed:
    value, note = parse_number(raw)
    if value is None or value != value.to_integral_value():
        return Parsed(code="R02")
    if value < 0:
        return Parsed(int(value), code="R03", note=note)
    return Parsed(int(value), note=note)


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})日?$")


def parse_date(raw: Any, month: Month | None = None) -> tuple[dt.date | None, str | None]:
    """A date from a cell: datetime, Excel serial, or text such as ``2024-3-5``; ``3月5日``
    only when ``month`` says which year (and it falls inside that month). (value, note)."""
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:
            day = (_EXCEL_EPOCH + dt.timedelta(days=round(float(raw), 6))).date()
            return day, f"{_text(raw)} 按日期 {day.isoformat()} 读取"
        return None, None
    if not isinstance(raw, str):
        return None, None
    original = raw.strip()
    text = unicodedata.normalize("NFKC", original).replace(" ", "")
    short = _MONTH_DAY.match(text)
    if short and month is not None:
        if int(short.group(1)) != month.month:
            return None, None
        try:
            day = dt.date(month.year, month.month, int(short.group(2)))
        except ValueError:
            return None, None
        return day, f"“{original}”按 {day.isoformat()} 读取"
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return None, None
            note = None if original == day.isoformat() else f"“{original}”按 {day.isoformat()} 读取"
            return day, note
    return None, None


def _parse_choice(col: Column, raw: Any) -> Parsed:
    vocab = col.vocab
    assert vocab is not None
    text = _text(raw).strip()
    value = vocab.canonical(text)
    if value is None:
        return Parsed(code="R06")
    note = None if value == text else f"“{text}”按“{value}”读取"
    return Parsed(value, note=note)


_PARSERS = {
    Kind.TEXT: _parse_text,
    Kind.NAME: _parse_name,
    Kind.CODE: _parse_code,
    Kind.PHONE: _parse_phone,
    Kind.EMAIL: _parse_email,
    Kind.INT: _parse_int,
    Kind.DECIMAL: _parse_decimal,
    Kind.CHOICE: _parse_choice,
}


def expected_hint(col: Column) -> str:
    """What a cell of this column should hold, for error messages."""
    if col.kind is Kind.DECIMAL:
        unit = col.unit or ""
        return f"应为不小于 0 的数字（单位{unit}），如 500 或 500万元" if unit else "应为不小于 0 的数字"
    if col.kind is Kind.INT:
        return "应为整数"
    if col.kind is Kind.DATE:
        return "应为日期，如 2024-03-05"
    if col.kind is Kind.CHOICE and col.vocab:
        return f"应为以下之一：{'、'.join(col.vocab.values)}"
    if col.kind is Kind.EMAIL:
        return "应为一个邮箱地址，如 name@example.com（只填一个，不加姓名、引号或尖括号）"
    return "格式不正确"

