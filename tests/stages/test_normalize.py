"""Tolerant parsing of raw cell values (the full catalogue grows with the reader)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang_xls import schema
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.normalize import normalize_value, parse_date, parse_number


@pytest.mark.parametrize(
    ("raw", "value", "changed"),
    [
        (1200, Decimal(1200), False), (1200.5, Decimal("1200.5"), False), (3.0, Decimal(3), False),
        ("1,200", Decimal(1200), True), ("１２００", Decimal(1200), True), ("500万", Decimal(500), True),
        ("500万元", Decimal(500), True), ("0.5亿", Decimal(5000), True), (" 12.50 ", Decimal("12.50"), False),
        ("abc", None, False), ("", None, False), (True, None, False),
        ("五百万", Decimal(500), True), ("一千二百万元", Decimal(1200), True), ("零点五亿", Decimal(5000), True),
    ],
)
def test_parse_number(raw, value, changed) -> None:
    parsed, note = parse_number(raw, "万元")
    assert parsed == value
    assert (note is not None) == changed


@pytest.mark.parametrize(
    ("raw", "unit", "value"),
    [("0.3万", "元", Decimal(3000)), ("3000元", "元", Decimal(3000)), ("120万美元", "万美元", Decimal(120)),
     ("1亿", "万美元", Decimal(10000)), ("800", "元", Decimal(800))],
)
def test_written_units_convert_to_the_column_unit(raw, unit, value) -> None:
    assert parse_number(raw, unit)[0] == value


@given(st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False))
def test_thousands_separated_text_parses_back_exactly(value: Decimal) -> None:
    assert parse_number(f"{value:,}")[0] == value


@pytest.mark.parametrize(
    "raw",
    ["2024-3-5", "2024/03/05", "2024.3.5", "2024年3月5日", "２０２４-０３-０５", 45356,
     dt.datetime(2024, 3, 5, 16, 25, 59, 999998), dt.date(2024, 3, 5)],
)
def test_parse_date(raw) -> None:
    assert parse_date(raw)[0] == dt.date(2024, 3, 5)


def test_month_day_only_inside_the_reporting_month() -> None:
    assert parse_date("3月5日", Month(2024, 3))[0] == dt.date(2024, 3, 5)
    assert parse_date("3月5日")[0] is None  # no year known
    assert parse_date("4月5日", Month(2024, 3))[0] is None
    assert parse_date("3月32日", Month(2024, 3))[0] is None


def test_unparseable_values_are_issues_never_zero() -> None:
    money = schema.LEADS.column("total_investment")
    assert normalize_value(money, "很多").code == "R02"
    assert normalize_value(money, "很多").value is None
    assert normalize_value(money, -5).code == "R03"
    assert normalize_value(schema.LEADS.column("provided_on"), "上周").code == "R04"
    assert normalize_value(schema.LEADS.column("stage"), "快了").code == "R06"
    assert normalize_value(money, None).value is None and normalize_value(money, None).code is None


def test_names_lose_inner_spaces_with_a_note() -> None:
    parsed = normalize_value(schema.CONTACTS.column("investor"), "李\u3000 四")
    assert parsed.value == "李四" and parsed.note


@pytest.mark.parametrize("raw", [
    "c17@x,evil", "c17@x.cn,evil", "a@b.cn;c@d.cn", "a@b.cn c@d.cn", "a@b.cn\tc@d.cn", '"x"<a@b.cn>', "x <a@b.cn>",
    "<a@b.cn>", '"a b"@x.cn', "a@b.cn\r\nBcc: evil@x.cn", "a@b.cn\nBcc: evil@x.cn", "a@b\r.cn", "a\u2028b@x.cn",
    "a@b.c\u200bn", "a@b.cn\x00", "a..b@x.cn", ".a@x.cn", "a@x.cn.", "a@-x.cn", "a@x_y.cn", "a@x", "a@1.2.3.4",
    "a@[1.2.3.4]", "@x.cn", "a@", "a(b)@x.cn", "a@x.cn>", "a\\b@x.cn", "a@@x.cn", "a" * 250 + "@x.cn",
])
def test_an_email_is_exactly_one_bare_address(raw: str) -> None:
    """邮箱 goes into the To: header of the 催报 drafts: a list, a display name or a line break is R06."""
    parsed = normalize_value(schema.ROSTER_UNITS.column("email"), raw)
    assert (parsed.code, parsed.value) == ("R06", None), raw


@pytest.mark.parametrize(("raw", "value"), [
    ("zsj@example.cn", "zsj@example.cn"), ("a.b+c@mail.example.com.cn", "a.b+c@mail.example.com.cn"),
    (" C17@ZS.Example.CN ", "C17@ZS.Example.CN"), ("o'brien_2@x-y.gov.cn", "o'brien_2@x-y.gov.cn"),
    ("ｚｓｊ＠ｅｘａｍｐｌｅ．ｃｎ", "zsj@example.cn"), ("招商局@例子.中国", "招商局@例子.中国"),
])
def test_ordinary_addresses_pass(raw: str, value: str) -> None:
    parsed = normalize_value(schema.ROSTER_UNITS.column("email"), raw)
    assert (parsed.code, parsed.value) == (None, value)
