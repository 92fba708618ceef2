"""Command line: help texts, README coverage, init, workspace discovery, exit codes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO
from zhaoshang_xls.cli import cli

COMMANDS = sorted(cli.commands)


def test_commands_present() -> None:
    assert {"init", "template"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_chinese_help_with_an_example(run, command: str) -> None:
    result = run([command, "--help"])
    assert result.exit_code == 0
    assert re.search(r"[\u4e00-\u9fff]", cli.commands[command].help or "")
    assert "例：" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_in_the_readme(command: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"zsxls {command}" in readme


def test_group_help_and_version(run) -> None:
    result = run(["--help"])
    assert result.exit_code == 0 and "全员招商" in result.output
    for command in COMMANDS:
        assert command in result.output
    assert run(["--version"]).output.startswith("zsxls ")


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "zhaoshang_xls", "--help"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0
    assert "template" in result.stdout


def test_init_writes_a_workspace_and_refuses_to_overwrite(tmp_path: Path, run) -> None:
    target = tmp_path / "招商2024"
    result = run(["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "zsxls.toml").read_text(encoding="utf-8").startswith("# zsxls 配置文件")
    assert (target / "目标责任表.xlsx").exists() and (target / "输出").is_dir()
    roster_before = (target / "目标责任表.xlsx").read_bytes()
    (target / "zsxls.toml").write_text("[monthly]\ncontacts = 6\n", encoding="utf-8")
    again = run(["init", str(target)])
    assert again.exit_code == 2
    assert "不会覆盖" in again.stderr
    assert (target / "zsxls.toml").read_text(encoding="utf-8") == "[monthly]\ncontacts = 6\n"
    assert (target / "目标责任表.xlsx").read_bytes() == roster_before


def test_init_refuses_a_folder_with_only_a_roster(tmp_path: Path, run) -> None:
    (tmp_path / "目标责任表.xlsx").write_bytes(b"clerk's own")
    result = run(["init", str(tmp_path)])
    assert result.exit_code == 2
    assert (tmp_path / "目标责任表.xlsx").read_bytes() == b"clerk's own"


def test_no_workspace_is_a_clear_error(tmp_path: Path, run) -> None:
    result = run(["template", "2024-03"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "找不到 zsxls.toml" in result.stderr and "zsxls init" in result.stderr
    bad = run(["-w", str(tmp_path), "template", "2024-03"])
    assert bad.exit_code == 2 and "不是 zsxls 工作目录" in bad.stderr


def test_unknown_command_and_option_are_chinese_usage_errors(run) -> None:
    result = run(["frobnicate"])
    assert result.exit_code == 2 and "用法错误" in result.stderr
    result = run(["template", "--bogus"])
    assert result.exit_code == 2 and "没有选项 --bogus" in result.stderr


def test_unexpected_error_has_no_traceback_unless_verbose(workspace, run, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr("zhaoshang_xls.usecases.templates.write_month_templates", boom)
    quiet = run(["template", "2024-03"], cwd=workspace.root)
    assert quiet.exit_code == 4  # a bug, not a rejected file
    assert "程序内部错误" in quiet.stderr and "Traceback" not in quiet.stderr
    loud = run(["-v", "template", "2024-03"], cwd=workspace.root)
    assert "Traceback" in loud.stderr and "RuntimeError: bug" in loud.stderr


def test_output_piped_into_head_ends_quietly_with_the_right_code(tmp_path: Path) -> None:

    from tests.helpers import copy_samples

    root = copy_samples(tmp_path / "s")
    result = subprocess.run(f'"{sys.executable}" -m zhaoshang_xls consolidate 2024-03 | head -1; '
                            'exit "${PIPESTATUS[0]}"', shell=True, executable="/bin/bash", cwd=root,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1  # a file was rejected, whatever happened to the pipe
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
    assert result.stdout.count("\n") == 1


def test_every_issue_code_is_documented_in_the_readme() -> None:
    from zhaoshang_xls.issues import CATALOGUE

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CATALOGUE if f"| {code} |" not in readme and f"| {code}(" not in readme]
    assert missing == []


def test_progress_bar_counts_and_shows_time_left_on_a_terminal(monkeypatch) -> None:
    """On a terminal the reading loop shows a bar with done/total and the time left (rich);
    every item still comes through, in order; elsewhere no bar at all."""
    import sys

    import rich.progress

    from zhaoshang_xls import console as cli_module

    made = []
    real = rich.progress.Progress

    def recording(*columns, **kwargs):
        made.append([type(c).__name__ for c in columns])
        return real(*columns, **kwargs)

    monkeypatch.setattr(rich.progress, "Progress", recording)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    items = list(range(5))
    assert list(cli_module.track(items, "读取")) == items
    assert {"MofNCompleteColumn", "TimeRemainingColumn", "BarColumn"} <= set(made[0])
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert list(cli_module.track(items, "读取")) == items
    assert len(made) == 1


def test_months_consolidated_first_are_told_even_when_a_later_step_fails(samples, run) -> None:
    (samples.root / "输出" / "2024Q2_一季一评比.xlsx").mkdir(parents=True)  # the workbook cannot be replaced
    result = run(["quarterly", "2024Q2", "-w", str(samples.root)])
    assert result.exit_code == 3, result.output
    for month in (4, 5, 6):
        assert f"台账中没有 2024年{month}月，已先汇总" in result.output


def test_check_of_one_file_lists_no_other_unit_as_missing(samples, run) -> None:
    import json

    result = run(["check", str(samples.root / "2024-03" / "C09_杏花村_2024-03.xlsx"), "--json",
                  "-w", str(samples.root)])
    data = json.loads(result.output)
    assert data["missing"] == [] and [u["unit"] for u in data["units"]] == ["C09"]
    assert data["units"][0]["state"] == "迟报" and data["units"][0]["received_by"] == "填报日期"


def test_a_full_disk_is_exit_3_with_the_file_named(samples, run, monkeypatch) -> None:
    import errno

    from zhaoshang_xls.usecases import month as usecase

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "2024-03_一月一交流.xlsx")

    monkeypatch.setattr(usecase, "write_monthly_report", full)
    result = run(["consolidate", str(samples.root / "2024-03")])
    assert result.exit_code == 3
    assert "2024-03_一月一交流.xlsx" in result.stderr
    # the outputs are built before the commit: the message can say, truly, that nothing changed
    assert "台账和已有报表都没有改动" in result.stderr
    from zhaoshang_xls.ledger import open_ledger

    with open_ledger(samples) as ledger:
        assert "2024-03" not in ledger.months()


def test_the_readme_commands_work_where_system_python_refuses_pip() -> None:
    """Both README commands start with a virtual environment (a PEP 668 Python refuses a bare
    ``pip install``), and .ci/run runs exactly the second."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## 安装与两条命令", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    venv = "python3 -m venv .venv && . .venv/bin/activate && pip install -e "
    assert len(commands) == 2 and all(c.startswith(venv) for c in commands), commands
    assert commands[0].endswith("zsxls consolidate samples/2024-03/")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == commands[1]
