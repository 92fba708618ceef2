"""Every number of zsxls.toml is finite and of a sane size: nan, inf, -inf (TOML literals) and
overflowing values are a ConfigError naming the key, whatever the key (issue 15, item 6)."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Any, get_type_hints

import pytest

from zhaoshang_xls.config import LARGEST_NUMBER, Config, Period, parse_config
from zhaoshang_xls.errors import ConfigError


def _numeric_keys(cls: type, prefix: str = "") -> list[tuple[str, str]]:
    """(section, key) of every int or Decimal field of the configuration's sections."""
    out = []
    for f in dataclasses.fields(cls):
        hint = get_type_hints(cls)[f.name]
        if dataclasses.is_dataclass(hint) and hint is not Period:  # a section (a Period is two strings)
            out += _numeric_keys(hint, f"{prefix}{f.name}.")  # type: ignore[arg-type]
        elif hint in (int, Decimal):
            out.append((prefix.rstrip("."), f.name))
    return out


NUMERIC = _numeric_keys(Config)


def _toml(section: str, key: str, value: str) -> str:
    quoted = key if key.isascii() else f'"{key}"'
    return f"[{section}]\n{quoted} = {value}\n"


def test_every_numeric_section_key_is_found() -> None:
    keys = {f"{s}.{k}" for s, k in NUMERIC}
    assert {"reward.intro.rate", "penalty.department_bonus", "penalty.中层", "monthly.contacts",
            "collect.imap_port", "campaign.year", "screening.duplicate_name"} <= keys
    assert len(keys) >= 30


@pytest.mark.parametrize("value", ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "1e30", "-1e30",
                                   str(LARGEST_NUMBER), "1e999999"])
@pytest.mark.parametrize(("section", "key"), NUMERIC, ids=[f"{s}.{k}" for s, k in NUMERIC])
def test_no_numeric_key_takes_nan_infinity_or_an_absurd_size(section: str, key: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(_toml(section, key, value))
    message = str(info.value)
    assert f"zsxls.toml:{section}.{key} " in message
    assert ("不能是" in message) == ("nan" in value or "inf" in value), message


@pytest.mark.parametrize(("text", "key"), [
    ("[reward.info]\nusd_cny = { 2024 = inf }\n", "reward.info.usd_cny.2024"),
    ("[reward.info]\nusd_cny = -inf\n", "reward.info.usd_cny"),
    ("[[reward.info.tiers]]\nupto = nan\namount = 1\n[[reward.info.tiers]]\namount = 2\n",
     "reward.info.tiers[1].upto"),
    ("[[reward.info.tiers]]\namount = inf\n", "reward.info.tiers[1].amount"),
    ('[cadre_target."中层"]\n"工业" = nan\n"三产" = 1\n"农业" = 1\n', "cadre_target.中层.工业"),
    ('[cadre_target."区领导"]\n"工业" = 1\n"三产" = 1e20\n"农业" = 1\n', "cadre_target.区领导.三产"),
])
def test_numbers_inside_tables_and_lists_are_checked_too(text: str, key: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(f"zsxls.toml:{key} ")):
        parse_config(text)


@pytest.mark.parametrize(("text", "path", "value"), [
    ("[penalty]\ndepartment_bonus = 999999999999\n", ("penalty", "department_bonus"), Decimal(999_999_999_999)),
    ("[reward.intro]\nrate = 1e-6\n", ("reward", "intro", "rate"), Decimal("0.000001")),
    ("[monthly]\ncontacts = 0\n", ("monthly", "contacts"), 0),
])
def test_large_but_plausible_numbers_still_load(text: str, path: tuple[str, ...], value: Any) -> None:
    config: Any = parse_config(text)
    for name in path:
        config = getattr(config, name)
    assert config == value
