"""zsxls.toml: defaults equal SPEC §4, and every malformed file is a clear error naming the key."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from zhaoshang_xls.config import DEFAULT, MonthDay, Period, Tier, load_config, parse_config, render_config
from zhaoshang_xls.errors import ConfigError


def test_defaults_are_the_policy_numbers_of_spec_section_4() -> None:
    c = DEFAULT
    assert c.campaign.year == 2024
    assert c.campaign.mobilization == Period(MonthDay(2, 12), MonthDay(2, 15))
    assert c.campaign.implementation == Period(MonthDay(2, 16), MonthDay(12, 20))
    assert c.campaign.evaluation == Period(MonthDay(12, 21), MonthDay(12, 31))
    assert c.assessed_months() == tuple(range(2, 13))
    assert (c.monthly.report_due_day, c.monthly.contacts, c.monthly.leads) == (5, 5, 2)
    assert c.cadre_target == {
        "区领导": {"工业": 1000, "三产": 5000, "农业": 500},
        "中层": {"工业": 500, "三产": 2000, "农业": 300},
    }
    assert c.project.counted_stage == "签约"
    info = c.reward.info
    assert (info.min_fixed_assets, info.success_stage) == (500, "签约")
    assert info.tiers == (
        Tier(Decimal(1000), Decimal(1000)), Tier(Decimal(3000), Decimal(3000)),
        Tier(Decimal(5000), Decimal(10000)), Tier(None, Decimal(20000)),
    )
    assert info.foreign_rate == Decimal("0.003")
    assert info.usd_cny_for(2024) == Decimal("7.10")
    intro = c.reward.intro
    assert (intro.min_fixed_assets, intro.rate, intro.start_stage, intro.offset_expenses) == (
        500, Decimal("0.005"), "开工", True)
    tax = c.reward.tax_share
    assert (tax.village, tax.department, tax.years) == (Decimal("0.15"), Decimal("0.10"), 3)
    p = c.penalty
    assert (p.区领导, p.中层, p.department_bonus, p.village_wage, p.admonish_below) == (
        4800, 3600, 3500, 2000, Decimal("0.5"))
    assert p.cadre_base("区领导") == 4800 and p.cadre_base("一般") is None
    q = c.quarterly
    assert (q.contacts_weight, q.leads_weight, q.investment_weight) == (20, 20, 40)
    assert (q.progress_points, q.progress_cap, q.bonus_points, q.bonus_cap) == (5, 20, 2, 6)
    assert q.progress_stages == ("签约", "开工", "竣工")
    assert q.bonus_sectors == ("农副产品深加工", "不锈钢制品")
    assert (q.missing_file_deduction, q.late_file_deduction) == (5, 2)


def test_money_parameters_are_exact_decimals() -> None:
    config = parse_config("[reward.intro]\nrate = 0.0051\n")
    assert config.reward.intro.rate == Decimal("0.0051")
    assert isinstance(config.reward.intro.rate, Decimal)


def test_rendered_file_is_commented_and_loads_back_to_the_defaults() -> None:
    text = render_config()
    assert text.count("\n# ") > 30
    assert "foreign_rate = 0.003" in text
    assert parse_config(text) == DEFAULT


def test_missing_file_and_empty_file_give_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "zsxls.toml") == DEFAULT
    (tmp_path / "zsxls.toml").write_text("", encoding="utf-8")
    assert load_config(tmp_path / "zsxls.toml") == DEFAULT


def test_partial_file_overrides_only_what_it_names() -> None:
    config = parse_config('[monthly]\ncontacts = 6\n[campaign]\nimplementation = ["03-01", "11-30"]\n')
    assert config.monthly.contacts == 6
    assert config.monthly.leads == 2
    assert config.assessed_months() == tuple(range(3, 12))


def test_usd_cny_per_year_table() -> None:
    config = parse_config("[reward.info.usd_cny]\n2024 = 7.10\n2025 = 7.18\n")
    info = config.reward.info
    assert info.usd_cny_for(2024) == Decimal("7.10")
    assert info.usd_cny_for(2025) == Decimal("7.18")
    assert info.usd_cny_for(2026) == Decimal("7.18")  # latest year not after
    assert info.usd_cny_for(2023) == Decimal("7.10")  # before the table: its first year


def test_changed_tiers_are_used() -> None:
    config = parse_config("[reward.info]\ntiers = [{upto = 2000, amount = 500}, {amount = 5000}]\n")
    assert config.reward.info.tiers == (Tier(Decimal(2000), Decimal(500)), Tier(None, Decimal(5000)))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[monthly]\ncontact = 5\n", "monthly.contact"),  # unknown key (typo)
        ("[montly]\ncontacts = 5\n", "montly"),  # unknown section
        ("[reward.info]\ntierz = []\n", "reward.info.tierz"),
        ('[monthly]\ncontacts = "五"\n', "monthly.contacts"),  # wrong type
        ("[monthly]\ncontacts = 5.5\n", "monthly.contacts"),
        ("[monthly]\ncontacts = true\n", "monthly.contacts"),
        ('[reward.intro]\nrate = "0.5%"\n', "reward.intro.rate"),
        ("[reward.intro]\nrate = -0.005\n", "reward.intro.rate"),  # negative rate
        ("[reward.intro]\nrate = 5\n", "reward.intro.rate"),  # a rate above 1
        ("[reward.intro]\noffset_expenses = 1\n", "reward.intro.offset_expenses"),
        ('[penalty]\n"中层" = -3600\n', "penalty.中层"),
        ("[monthly]\nreport_due_day = 31\n", "monthly.report_due_day"),
        ("[campaign]\nyear = 24\n", "campaign.year"),
        ('[campaign]\nimplementation = ["12-20", "02-16"]\n', "campaign.implementation"),
        ('[campaign]\nimplementation = ["02-30", "12-20"]\n', "campaign.implementation"),
        ('[campaign]\nimplementation = "02-16"\n', "campaign.implementation"),
        ('[project]\ncounted_stage = "签字"\n', "project.counted_stage"),
        ('[quarterly]\nprogress_stages = ["签约", "动工"]\n', "quarterly.progress_stages[2]"),
        ('[quarterly]\nbonus_sectors = ["钢铁"]\n', "quarterly.bonus_sectors"),
        # tiers not increasing, amounts decreasing, a middle tier without upto, last with upto
        ("[reward.info]\ntiers = [{upto = 3000, amount = 1000}, {upto = 1000, amount = 3000}, {amount = 9}]\n",
         "reward.info.tiers"),
        ("[reward.info]\ntiers = [{upto = 1000, amount = 3000}, {amount = 1000}]\n", "reward.info.tiers"),
        ("[reward.info]\ntiers = [{amount = 1000}, {amount = 3000}]\n", "reward.info.tiers[1]"),
        ("[reward.info]\ntiers = [{upto = 1000, amount = 1000}]\n", "reward.info.tiers"),
        ("[reward.info]\ntiers = [{upto = 1000, amont = 1000}, {amount = 2}]\n", "reward.info.tiers[1].amont"),
        ("[reward.info]\nusd_cny = 0\n", "reward.info.usd_cny"),
        ("[reward.info.usd_cny]\nyear2024 = 7.1\n", "reward.info.usd_cny.year2024"),
        ('[cadre_target."处长"]\n"工业" = 1000\n', "cadre_target.处长"),
        ('[cadre_target."中层"]\n"工业" = 500\n"三产" = 2000\n', "cadre_target.中层"),  # 农业 missing
        ('[cadre_target."中层"]\n"工业" = 500\n"三产" = 2000\n"农业" = 300\n"矿业" = 1\n', "cadre_target.中层.矿业"),
        ("[ledger]\nurl = 5\n", "ledger.url"),
    ],
)
def test_malformed_values_name_their_key(text: str, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    message = str(info.value)
    assert key in message
    assert message.startswith("zsxls.toml")
    assert info.value.exit_code == 2


def test_toml_syntax_error_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="格式错误"):
        parse_config("[monthly\ncontacts = 5\n")


def test_unquoted_chinese_key_gets_a_hint() -> None:
    with pytest.raises(ConfigError, match="引号"):
        parse_config("[penalty]\n中层 = 3600\n")


def test_file_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "zsxls.toml"
    path.write_bytes("[campaign]\noffice = \"招商办\"\n".encode("gbk"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path)


def test_cli_reports_config_error_with_key_and_exit_code_2(workspace, run) -> None:
    (workspace.root / "zsxls.toml").write_text("[reward.intro]\nrate = -1\n", encoding="utf-8")
    result = run(["template", "2024-03"], cwd=workspace.root)
    assert result.exit_code == 2
    assert "reward.intro.rate" in result.stderr
    assert "Traceback" not in result.output
