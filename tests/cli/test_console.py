"""The console reads like Chinese (issue: the clerk's month): click's help strings replaced, each
command's exit codes in its help, columns aligned by display width, one line per file, a missing
folder said as such, and ``--json`` on the period commands (README, --json)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from rich.cells import cell_len

from tests.cli.test_annual import ledgered, write_taxes, year  # noqa: F401 - fixtures
from tests.cli.test_quarterly import quarter  # noqa: F401 - fixture
from zhaoshang_xls import schema
from zhaoshang_xls.cli import cli
from zhaoshang_xls.workspace import Workspace

COMMANDS = sorted(cli.commands)
ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Show the version", "[OPTIONS]",
           "Error:", "Try '")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_is_chinese_and_lists_its_exit_codes(run, command: str) -> None:
    result = run([command, "--help"])
    assert result.exit_code == 0
    text = result.output
    assert not [e for e in ENGLISH if e in text], text
    assert re.match(rf"用法：\S+ {command} \[选项\]", text) and "选项：" in text and "显示帮助并退出。" in text
    codes = text.split("退出码：", 1)[1]
    listed = re.findall(r"^\s+(\d+)\s", codes, re.MULTILINE)
    assert {"0", "2", "3", "4"} <= set(listed), codes
    # A command that can finish with something rejected says what its 1 means.
    assert ("1" in listed) == (command in {"consolidate", "check", "status", "screen", "annual"})


def test_group_help_and_usage_errors_are_chinese(run) -> None:
    top = run(["--help"])
    assert re.match(r"用法：\S+ \[选项\] 命令 \[参数\]\.\.\.", top.output) and "命令：" in top.output
    assert "显示版本并退出。" in top.output and not [e for e in ENGLISH if e in top.output]
    bogus = run(["--bogus"])  # an option before the command: parsed by the group itself
    assert bogus.exit_code == 2
    assert "用法错误：没有选项 --bogus。" in bogus.stderr and not [e for e in ENGLISH if e in bogus.output]


def test_consolidate_of_a_folder_that_does_not_exist_says_so(workspace: Workspace, run) -> None:
    result = run(["consolidate", "不存在/"], cwd=workspace.root)
    assert result.exit_code == 2
    assert "文件夹“不存在”不存在" in result.stderr and "看出月份" not in result.stderr
    assert not (workspace.output_dir / "2024-03_一月一交流.xlsx").exists()


def test_status_columns_line_up_by_display_width(march: Workspace, run) -> None:
    result = run(["status", str(march.root / "2024-03")], cwd=march.root)
    lines = [line for line in result.stdout.splitlines()
             if re.match(r"^\s+(LD|C\d\d|D\d\d)\s", line)]
    assert len(lines) > 20
    states = schema.UNIT_STATES
    columns = set()
    for line in lines:
        state = next(s for s in sorted(states, key=len, reverse=True) if f" {s} " in f"{line} ")
        columns.add(cell_len(line[:line.index(f" {state}") + 1]))
    # Every unit's state starts in the same screen column, whatever the width of its Chinese name.
    assert len(columns) == 1, (columns, lines)


def test_consolidate_lists_each_files_warnings_on_one_line(samples: Workspace, run) -> None:
    result = run(["consolidate", str(samples.root / "2024-03")], cwd=samples.root)
    data = json.loads(run(["check", str(samples.root / "2024-03"), "--json"], cwd=samples.root).stdout)
    warned = {f["file"]: f for f in data["files"] if any(i["level"] == "warning" for i in f["issues"])}
    assert len(warned) >= 5
    lines = result.stdout.splitlines()
    for name, f in warned.items():
        mine = [line for line in lines if f" {name}：" in line]
        assert len(mine) == 1, (name, mine)
        count = sum(1 for i in f["issues"] if i["level"] == "warning")
        if f["status"] != "rejected":
            assert f"警告 {count} 处" in mine[0] and "详见回执" in mine[0], mine[0]


def test_quarterly_and_halfyear_json(quarter: Workspace, run) -> None:  # noqa: F811
    result = run(["quarterly", "2024Q1", "--json", "-w", str(quarter.root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # nothing but the object on stdout
    assert data["period"] == "2024Q1" and data["months"] == ["2024-02", "2024-03"]
    units = {u["unit"]: u for u in data["units"]}
    # The hand-worked quarter of tests/cli/test_quarterly.py: C01 71.0, ranks 1, 2, 3, 3, 5 of the villages.
    assert units["C01"]["total"] == "71.0" and units["C01"]["points"]["investment"] == "24.0"
    assert {c: (units[c]["rank"], units[c]["mark"]) for c in ("C01", "C02", "C03", "C04", "C05")} == {
        "C01": (1, "表彰"), "C03": (2, "表彰"), "C04": (3, "表彰"), "C05": (3, "表彰"), "C02": (5, None)}
    assert units["C02"]["missing_months"] == ["2024-03"] and units["C03"]["late_months"] == ["2024-02"]
    assert units["D01"]["points"]["investment"] is None and units["LD"]["total"] == "-10.0"
    assert data["cadres"][0]["name"] == "李一" and data["cadres"][0]["total"] == "45.0"
    assert data["output"].endswith("2024Q1_一季一评比.xlsx")
    half = run(["halfyear", "2024H1", "--json", "-w", str(quarter.root)])
    assert half.exit_code == 0, half.output
    h = json.loads(half.stdout)
    assert h["summary"].startswith("上半年全区共结交客商 41 人次") and h["expected"] == "0.5000"
    completion = {r["unit"]: r for r in h["completion"]}
    assert completion["C01"]["completion"] == "0.5750" and completion["C01"]["behind"] is False
    assert completion["C02"]["behind"] is True and completion["D01"]["completion"] is None
    assert "2024-04" in h["months_without_data"]


def test_annual_json(ledgered: Workspace, year: dict[str, str], run) -> None:  # noqa: F811
    write_taxes(ledgered, [{"project_id": year["main"], "project_name": "年产5万吨果蔬深加工项目", "year": 2024,
                            "zone_tax": Decimal("86.4")}])
    result = run(["annual", "2024", "--json", "-w", str(ledgered.root)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["year"] == 2024 and data["finalized"] is False and data["recorded"] == 0
    info = {m["project"]: m for m in data["info"]}
    # The hand-worked year of tests/cli/test_annual.py, as exact decimal strings.
    assert info[year["main"]]["recipient"] == "李秀英" and info[year["main"]]["payable"] == "3000.00"
    assert info[year["foreign"]]["payable"] == "25560.00" and year["first"] not in info
    assert [(m["project"], m["gross"], m["offset"], m["payable"]) for m in data["intro"]] == [
        (year["main"], "117500.00", "3000.00", "114500.00")]
    assert [m["payable"] for m in data["tax_share"]] == ["86400.00"]
    units = {u["unit"]: u for u in data["units"]}
    assert units["D01"]["completion"] == "0.4750" and units["D01"]["deduction"]["amount"] == "22050.00"
    assert units["D01"]["deduction"]["veto"] is True and units["LD"]["deduction"] is None
    assert data["totals"]["intro"] == "114500.00"
    assert Decimal(data["totals"]["info"]) == sum(Decimal(m["payable"]) for m in data["info"])
    assert data["outputs"] and data["outputs"][0].endswith("2024_年终考核.xlsx")
