"""``zsxls annual 2024 -w samples``: the sample year shows every kind of reward and penalty.

The expected figures are worked out by hand from the storyline in scripts/make_samples.py
(STORY_LEADS, STORY_PROGRESS, STORY_TAXES) and the sample roster's targets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_annual import MONEY_KEYS, PID, read_sheet
from zhaoshang_xls import schema


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from tests.helpers import copy_samples
    from zhaoshang_xls.cli import cli

    root = copy_samples(tmp_path_factory.mktemp("annual") / "samples")
    result = CliRunner().invoke(cli, ["annual", "2024", "-w", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "周海涛" in result.output  # the provider from outside the roster is named in a note
    # the estimate consolidated the months the ledger lacked, and says so: never "台账未改动"
    assert result.output.startswith("台账中没有 2024年2月，已先汇总")
    assert all(f"台账中没有 2024年{m}月，已先汇总" in result.output for m in range(2, 13))
    assert "以上为测算，奖励未结算" in result.output and "台账未改动" not in result.output
    return root / "输出" / "2024_年终考核.xlsx"


def test_an_estimate_that_changes_nothing_says_so(report: Path) -> None:
    from click.testing import CliRunner

    from zhaoshang_xls.cli import cli

    again = CliRunner().invoke(cli, ["annual", "2024", "-w", str(report.parents[1])], catch_exceptions=False)
    assert again.exit_code == 0 and "已先汇总" not in again.output
    assert "以上为测算，台账未改动" in again.output


def _by_name(path: Path, sheet: str) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    for r in read_sheet(path, sheet, MONEY_KEYS[sheet]):
        rows.setdefault(r[schema.LEADS.column("project_name").name], []).append(r)
    return rows


def test_info_rewards_of_the_storyline(report: Path) -> None:
    info = _by_name(report, "信息奖")
    # the project C10 reported on 03-08 and D01 on 03-12; the bureau kept D01's, C10's provider is paid
    [same] = info["年产5万吨果蔬深加工项目"]
    assert (same["登记单位"], same["奖励金额(元)"]) == ("C10 石桥村", 10000)  # 4,200 万元: (3000, 5000]
    assert "首报：C10 2024-03-08" in same["计算依据"]
    assert info["年产3万吨农副产品冷链加工项目"][0]["奖励金额(元)"] == 1000  # exactly 1,000 万元: first band
    society = info["金辉商业综合体项目"][0]
    assert (society["信息提供人"], society["花名册人员"], society["奖励金额(元)"]) == ("周海涛", "否", 20000)  # 5,001
    assert info["精密模具外资项目"][0]["奖励金额(元)"] == 25560  # 0.003 × 120 万美元 × 10,000 × 7.10
    assert info["新型建材生产项目"][0]["奖励金额(元)"] == 1000  # 600 万元
    assert info["小微企业创业园标准厂房项目"][0]["奖励金额(元)"] == 3000  # 1,500 万元


def test_intro_and_tax_share_of_the_storyline(report: Path) -> None:
    intro = _by_name(report, "引进项目奖")
    [same] = intro["年产5万吨果蔬深加工项目"]
    assert (same["结算次序"], same["应计奖金(元)"], same["冲销招商费用(元)"], same["应发金额(元)"]) == (
        1, 117500, 3000, 114500)  # started 2024-06, 2,350 万元 by December, 3,000 元 expenses
    # D01's later report is 重复 of C10's: one project, kept under C10's id; D01 reports its progress
    # under its own id, so D01 is its 招引单位 and nothing it reported is lost
    [info] = _by_name(report, "信息奖")["年产5万吨果蔬深加工项目"]
    assert same[PID] == info[PID] and same["招引单位"] == "D01 招商局"
    both = intro["年产3万吨农副产品冷链加工项目"]  # started and completed in 2024 at 980 万元
    assert [(r["结算次序"], r["应计奖金(元)"], r["冲销招商费用(元)"], r["应发金额(元)"]) for r in both] == [
        (1, 49000, 2000, 47000), (2, 0, 0, 0)]
    tax = {r[PID]: r for r in read_sheet(report, "财税分成奖", MONEY_KEYS["财税分成奖"])}
    by_unit = {r["招引单位"]: (r["开发区实得税收(万元)"], r["分成比例"], r["奖励金额(元)"]) for r in tax.values()}
    assert by_unit == {"C02 西塘村": (86.4, 0.15, 129600), "D01 招商局": (35.2, 0.1, 35200)}


def test_penalties_of_the_storyline(report: Path) -> None:
    rows = {r["对象编码"]: r for r in read_sheet(report, "扣罚明细", MONEY_KEYS["扣罚明细"])}
    assert rows["R006"]["扣罚金额(元)"] == 960  # 区领导, 800 万元 工业 of 1,000: 4,800 × 0.2
    assert rows["R054"]["扣罚金额(元)"] == 360  # 中层, 1,800 万元 三产 of 2,000: 3,600 × 0.1
    assert rows["R001"]["扣罚金额(元)"] == 4800  # 区领导 with nothing signed
    # C02: 1,800 of 3,000 万元 (0.6) and 2 of 1 projects (1) → 0.8; 2,000 × 0.2 = 400 × 6 village cadres
    assert rows["C02"]["扣罚金额(元)"] == 2400
    # C10: the merged project's 招引单位 is D01 (it reports the progress), so nothing counts for C10 → 2,000 × 5
    assert rows["C10"]["扣罚金额(元)"] == 10000
    # D01: 15,500 of 50,000 (0.31) and 3 of 6 (0.5) → 0.405; 3,500 × 0.595 = 2,082.50 × 6 在编
    assert rows["D01"]["扣罚金额(元)"] == 12495
    veto = {r["单位编码"]: r for r in read_sheet(report, "一票否决及诫勉", ["单位编码", "一票否决", "诫勉谈话"])}
    assert (veto["D01"]["一票否决"], veto["D01"]["诫勉谈话"]) == ("是", "是")  # below 50%
    assert (veto["D03"]["一票否决"], veto["D03"]["诫勉谈话"]) == ("是", "否")  # 56%
    assert "C02" not in veto  # villages are docked, not vetoed


def test_sample_tax_workbook_reads_clean(report: Path) -> None:
    from openpyxl import load_workbook

    ws = load_workbook(report.parent / "回执" / "税收台账_回执.xlsx")["校验结果"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("有效 2 行" in t for t in texts) and any("未发现问题" in t for t in texts), texts
