"""Exact money: Decimal, ROUND_HALF_UP to 0.01 元, and the way amounts are written in reports."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CENT = Decimal("0.01")
WAN = Decimal(10_000)  # 万 -> 元


def exact(value: Fraction) -> Decimal:
    """An exact fraction (a completion rate, a score) as a Decimal, for display or rounding."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def yuan(value: Decimal) -> Decimal:
    """Round to the 分, half up (never a binary float)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_yuan(value: Decimal) -> str:
    """``117,500.00元``"""
    return f"{yuan(value):,.2f}元"


def fmt_wan(value: Decimal, unit: str = "万元") -> str:
    """``2,350.00万元``"""
    return f"{yuan(value):,.2f}{unit}"


def fmt_rate(rate: Decimal) -> str:
    """``0.5%`` / ``15%`` / ``0.3%`` (exact, trailing zeros dropped)."""
    percent = (rate * 100).normalize()
    return f"{percent:f}%"
