"""One 报送状态 and one 迟报 verdict per unit in every output (docs/rules.md, 报送状态).

On the samples, C02 writes 填报日期 2024-04-04 but its mail came on 04-06 (due: 04-05); D09's
file is damaged. ``status``, ``consolidate`` (text and JSON), the receipt, 一月一交流 and the
quarter's deduction must all say the same thing about both.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from zhaoshang_xls.periods import Month, parse_span
from zhaoshang_xls.usecases.collect import LOG_NAME
from zhaoshang_xls.workspace import open_workspace

MAIL = "2024-04-06T09:30:00"
C02 = "C02_西塘村_2024-03.xlsx"


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.helpers import copy_samples

    root = copy_samples(tmp_path_factory.mktemp("state") / "samples")
    log = root / "2024-03" / LOG_NAME
    log.write_text(f"发件人,邮件主题,邮件日期,附件名,保存为\nc02@example.cn,3月月报,{MAIL},月报.xlsx,{C02}\n",
                   encoding="utf-8-sig")
    return root


def _cli(args: list[str]):
    from click.testing import CliRunner

    from zhaoshang_xls.cli import cli

    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_every_output_gives_the_same_state_and_late_verdict(month: Path) -> None:
    from zhaoshang_xls.reading.monthly import read_submission
    from zhaoshang_xls.reading.roster import load_roster

    ws = open_workspace(month)
    roster, _ = load_roster(ws.roster_path, None)
    form = read_submission(month / "2024-03" / C02, roster, Month(2024, 3), ws.secret)
    assert str(form.reported_on) == "2024-04-04"  # on time by its 填报日期: the mail's date decides

    status = json.loads(_cli(["status", str(month / "2024-03"), "--json"]).output)
    units = {u["unit"]: u for u in status["units"]}
    assert (units["C02"]["state"], units["C02"]["received"], units["C02"]["received_by"]) == (
        "迟报", "2024-04-06", "邮件日期")
    assert units["D09"]["state"] == "被退回" and units["D09"]["reason"].startswith("文件无法打开")
    text = _cli(["status", str(month / "2024-03")]).output
    assert "邮件日期 04月06日，晚于截止日 04月05日" in text and "填报日期 04月06日" not in text

    consolidated = _cli(["consolidate", str(month / "2024-03"), "--json"])
    data = json.loads(consolidated.output[consolidated.output.index("{"):])
    assert {u["unit"]: u["state"] for u in data["units"]} == {u: s["state"] for u, s in units.items()}
    again = _cli(["consolidate", str(month / "2024-03")]).output
    assert "C02（邮件日期 04月06日，截止日 04月05日）" in again and "04月04日" not in again

    receipt = load_workbook(month / "输出" / "回执" / "2024-03" / "C02_回执.xlsx")["校验结果"]
    lines = [c for row in receipt.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "迟报：邮件日期 04月06日，晚于截止日 04月05日。" in lines

    report = load_workbook(month / "输出" / "2024-03_一月一交流.xlsx")
    table = {r[0]: r[3] for r in report["单位完成情况"].iter_rows(values_only=True) if r and r[0] in units}
    assert table == {u: s["state"] for u, s in units.items()}
    problems = [r for r in report["未报送及问题"].iter_rows(values_only=True)
                if r and any(isinstance(c, str) and "D09" in c for c in r)]
    assert len(problems) == 1 and problems[0][2] == "被退回"  # listed once, with its code

    from zhaoshang_xls.usecases.rankings import run_quarterly

    scores = run_quarterly(ws, parse_span("2024Q1", "Q")).scores
    c02 = next(u for u in scores.units if u.unit_code == "C02")
    d09 = next(u for u in scores.units if u.unit_code == "D09")
    assert c02.late_months == (Month(2024, 3),) and Month(2024, 3) in d09.missing_months


def test_a_file_without_any_date_is_never_guessed_late(tmp_path: Path) -> None:
    """No mail date and no 填报日期: the file's time (a copy changes it) never decides 迟报."""
    import datetime as dt

    from zhaoshang_xls.compute.states import unit_states
    from zhaoshang_xls.records import ACCEPTED, Filed
    from zhaoshang_xls.roster import Roster, Unit

    roster = Roster((Unit("C01", "东湖村", "村", "村", None, None, None, 5, "", None),), ())
    late_copy = Filed("C01.xlsx", "C01", ACCEPTED, None, None, dt.datetime(2024, 5, 1, 8))
    [state] = unit_states(roster, [late_copy], dt.date(2024, 4, 5))
    assert state.state == "已报送" and "无法判断是否迟报" in state.reason
    by_form = Filed("C01.xlsx", "C01", ACCEPTED, None, dt.date(2024, 4, 6), dt.datetime(2024, 4, 1))
    assert unit_states(roster, [by_form], dt.date(2024, 4, 5))[0].basis == "填报日期"
