"""Normalise raw cell values through the schema: numbers, dates, names, list values.

Each function returns :class:`Parsed`: the clean value, or an issue code when the raw value
cannot be understood (never a silent 0), and a note when the value was changed on the way.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from zhaoshang_xls.schema import Column, Kind

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_UNIT_FACTORS = {"亿元": Decimal(10000), "亿": Decimal(10000), "万元": Decimal(1), "万": Decimal(1)}


@dataclass(frozen=True)
class Parsed:
    value: Any = None
    code: str | None = None  # issue code when the value could not be used (R02, R04, R06…)
    note: str | None = None  # what was changed, for a warning


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def normalize_value(col: Column, raw: Any) -> Parsed:
    """Parse one raw cell of column ``col``; blank cells give ``Parsed(None)``."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Parsed(None)
    parser = _PARSERS[col.kind]
    return parser(col, raw)


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


def _parse_email(col: Column, raw: Any) -> Parsed:
    text = unicodedata.normalize("NFKC", _text(raw)).strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        return Parsed(code="R06")
    return Parsed(text)


def parse_number(raw: Any) -> tuple[Decimal | None, str | None]:
    """A number from a cell: ``1,200``, ``１２００``, ``500万元``, ``0.5亿`` (-> 万). (value, note)."""
    if isinstance(raw, bool):
        return None, None
    if isinstance(raw, int):
        return Decimal(raw), None
    if isinstance(raw, float):
        value = Decimal(repr(raw))
        return (value.quantize(Decimal(1)) if raw.is_integer() else value), None
    if not isinstance(raw, str):
        return None, None
    original = raw.strip()
    text = unicodedata.normalize("NFKC", original).replace(" ", "").replace(",", "")
    factor = Decimal(1)
    for suffix, multiplier in _UNIT_FACTORS.items():
        if text.endswith(suffix):
            text, factor = text[: -len(suffix)], multiplier
            break
    else:
        text = text.removesuffix("元")
    try:
        value = Decimal(text) * factor
    except InvalidOperation:
        return None, None
    if not value.is_finite():
        return None, None
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    note = None if original == str(value) else f"“{original}”按 {value} 读取"
    return value, note


def _parse_decimal(col: Column, raw: Any) -> Parsed:
    value, note = parse_number(raw)
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


def parse_date(raw: Any) -> tuple[dt.date | None, str | None]:
    """A date from a cell: datetime, Excel serial, or text such as ``2024-3-5``. (value, note)."""
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


def _parse_date(col: Column, raw: Any) -> Parsed:
    value, note = parse_date(raw)
    if value is None:
        return Parsed(code="R04")
    return Parsed(value, note=note)


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
    Kind.DATE: _parse_date,
    Kind.CHOICE: _parse_choice,
}


def expected_hint(col: Column) -> str:
    """What a cell of this column should hold, for error messages."""
    if col.kind is Kind.DECIMAL:
        unit = col.unit or ""
        return f"应为不小于 0 的数字(单位{unit}),如 500 或 500万元" if unit else "应为不小于 0 的数字"
    if col.kind is Kind.INT:
        return "应为整数"
    if col.kind is Kind.DATE:
        return "应为日期,如 2024-03-05"
    if col.kind is Kind.CHOICE and col.vocab:
        return f"应为以下之一:{'、'.join(col.vocab.values)}"
    if col.kind is Kind.EMAIL:
        return "应为邮箱地址,如 name@example.com"
    return "格式不正确"

