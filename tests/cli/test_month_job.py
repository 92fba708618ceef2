"""The clerk's month without surprises (issue 16): every input judged, every message true."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from tests.cli.test_consolidate import _dump
from tests.factory import contact, make_file
from zhaoshang_xls.fileio import TEMP_PREFIX
from zhaoshang_xls.periods import Month
from zhaoshang_xls.usecases import month as month_module
from zhaoshang_xls.workspace import Workspace

MARCH = Month(2024, 3)


def _outputs(ws: Workspace) -> dict[str, bytes]:
    return {p.relative_to(ws.root).as_posix(): p.read_bytes() for p in ws.output_dir.rglob("*") if p.is_file()}


def test_a_failure_while_building_leaves_the_previous_ledger_and_outputs(march: Workspace, run,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything a run writes is built before the commit: a failure at the last output (the
    线索甄别) leaves the ledger and every earlier output as they were, and says so."""
    ws = march
    ledger, outputs = _dump(ws), _outputs(ws)
    make_file(ws, "C17", MARCH, rows={"contacts": [contact(dt.date(2024, 3, 6), "张堡", "周八", "南通纺织有限公司")]})

    def broken(*args, **kwargs):
        raise RuntimeError("a defect in the last writer")

    monkeypatch.setattr(month_module, "write_screening_workbook", broken)
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    assert result.exit_code == 4 and "程序内部错误" in result.stderr
    assert "本次运行在写入台账之前停止：台账和已有报表都没有改动。" in result.stderr
    assert _dump(ws) == ledger and _outputs(ws) == outputs  # C17's receipt and the new report were not kept
    assert not list(ws.root.rglob(f"{TEMP_PREFIX}*"))
    monkeypatch.undo()
    assert run(["consolidate", "2024-03"], cwd=ws.root).exit_code in (0, 1)
    assert _dump(ws) != ledger and any("C17" in name for name in _outputs(ws))


def test_a_blank_report_date_with_a_late_file_time_is_no_crash(workspace: Workspace, run) -> None:
    """A blank 填报日期 in a file saved after the due day: the whole summary, never 程序内部错误."""
    ws = workspace
    path = make_file(ws, "C01", MARCH, basic={"reported_on": None},
                     rows={"contacts": [contact(dt.date(2024, 3, 5), "李秀英", "钱七", "苏州恒瑞食品有限公司")]})
    late = dt.datetime(2024, 4, 20).timestamp()
    os.utime(path, (late, late))
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    assert result.exit_code in (0, 1), result.output
    assert "内部错误" not in result.output and "台账已更新" in result.output
    assert (ws.output_dir / "2024-03_一月一交流.xlsx").exists()


def _state(result_json: dict, unit: str) -> str:
    return next(u["state"] for u in result_json["units"] if u["unit"] == unit)


def test_a_blank_template_is_not_a_report(workspace: Workspace, run) -> None:
    """No data row in any sheet and no 填报人 / 联系电话 / 填报日期: F12, the unit stays 未报送;
    the blank 基本信息 cells are errors then. With the 基本信息 filled it is a report of nothing."""
    import json

    from zhaoshang_xls.schema import MISSING, REPORTED

    ws = workspace
    blank = make_file(ws, "C01", MARCH, basic={"reporter": None, "reporter_phone": None, "reported_on": None})
    make_file(ws, "D01", MARCH, basic={"reporter": "王芳"})  # nothing to report, said by whom and when
    result = run(["consolidate", "2024-03", "--json"], cwd=ws.root)
    data = json.loads(result.stdout)
    files = {f["file"]: f for f in data["files"]}
    c01 = files[blank.name]
    assert c01["status"] == "rejected"
    assert [i["code"] for i in c01["issues"] if i["level"] == "error"][-1] == "F12"
    assert {i["message"][:6] for i in c01["issues"] if i["code"] == "R01"} and all(
        i["level"] == "error" for i in c01["issues"] if i["code"] == "R01")
    assert "这是未填写的模板" in next(i["message"] for i in c01["issues"] if i["code"] == "F12")
    assert _state(data, "C01") == MISSING and _state(data, "D01") == REPORTED
    d01 = next(f for f in data["files"] if f["unit"] == "D01")
    assert d01["status"] == "accepted" and not [i for i in d01["issues"] if i["code"] in ("F12", "R01")]


def test_a_report_with_data_but_a_blank_reporter_is_accepted_with_a_warning(workspace: Workspace, run) -> None:
    import json

    ws = workspace
    make_file(ws, "C01", MARCH, basic={"reporter": None},
              rows={"contacts": [contact(dt.date(2024, 3, 5), "李秀英", "钱七", "苏州恒瑞食品有限公司")]})
    data = json.loads(run(["consolidate", "2024-03", "--json"], cwd=ws.root).stdout)
    [c01] = [f for f in data["files"] if f["unit"] == "C01"]
    assert c01["status"] == "accepted"
    assert [(i["code"], i["level"]) for i in c01["issues"] if i["code"] == "R01"] == [("R01", "warning")]


def test_the_templates_just_generated_are_never_consolidated(workspace: Workspace, run) -> None:
    ws = workspace
    assert run(["template", "2024-03"], cwd=ws.root).exit_code == 0
    result = run(["consolidate", str(ws.root / "输出" / "模板" / "2024-03")], cwd=ws.root)
    assert result.exit_code == 2 and "这是下发的空白模板文件夹" in result.stderr
    from zhaoshang_xls.ledger import open_ledger

    with open_ledger(ws) as ledger:
        assert not ledger.months()
    assert not (ws.output_dir / "2024-03_一月一交流.xlsx").exists()


def test_a_file_with_sheets_named_like_the_receipts_own_still_gets_its_receipt(workspace: Workspace, run) -> None:
    """A unit's workbook may hold any sheet names (校验结果, names equal ignoring case or in their
    first 31 characters): its receipt copies them under unique names, and the month goes on."""
    from openpyxl import load_workbook

    ws = workspace
    path = make_file(ws, "C01", MARCH,
                     rows={"contacts": [contact(dt.date(2024, 3, 5), "李秀英", "钱七", "苏州恒瑞食品有限公司")]})
    wb = load_workbook(path)
    long = "本单位自己加的一张很长名字的统计表" * 2  # 34 characters: equal in their first 31
    for name in ("校验结果", long + "甲", long + "乙"):
        wb.create_sheet(name)["A1"] = "自己加的表"
    wb.save(path)
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    assert result.exit_code in (0, 1) and "内部错误" not in result.output + (result.stderr or "")
    receipt = load_workbook(ws.output_dir / "回执" / "2024-03" / "C01_回执.xlsx")
    assert {"校验结果", "校验结果(2)", long[:31], long[:28] + "(2)"} <= set(receipt.sheetnames)


def _receipt_lines(path) -> list[str]:
    from openpyxl import load_workbook

    sheet = load_workbook(path)["校验结果"]
    return [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]


def test_receipts_tell_late_superseded_and_unreadable_files_what_they_are(march: Workspace, run) -> None:
    ws = march
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    assert result.exit_code == 1
    folder = ws.output_dir / "回执" / "2024-03"
    superseded = _receipt_lines(folder / "D05_回执_D05_项目推进组_2024-03.xlsx")
    assert "处理结果：重复报送作废，本文件不计入" in superseded
    assert "本单位本月以“D05_项目推进组_2024-03(更正).xlsx”为准，请看该文件的回执。" in superseded
    assert not [line for line in superseded if "已达标" in line or "本月有效数据" in line]
    late = _receipt_lines(folder / "C09_回执.xlsx")
    assert "迟报：填报日期 04月09日，晚于截止日 04月05日。" in late
    [broken] = folder.glob("未识别_D09*_回执.xlsx")
    assert _receipt_lines(broken)[0].startswith("社会事业组（D09） 2024年3月月报回执")  # named from its file name
    checked = run(["check", str(ws.root / "2024-03")], cwd=ws.root)
    assert "迟报：C09（填报日期 04月09日，截止日 04月05日）" in checked.output


def test_old_reminders_go_when_the_unit_has_reported(workspace: Workspace, run) -> None:
    ws = workspace
    (ws.root / "2024-03").mkdir()
    assert run(["status", "2024-03"], cwd=ws.root).exit_code in (0, 1)
    folder = ws.output_dir / "催报" / "2024-03"
    assert {p.name for p in folder.glob("C01_*")} == {"C01_东湖村_催报.txt"}
    (folder / "我的备忘.txt").write_text("不是 zsxls 写的", encoding="utf-8")
    make_file(ws, "C01", MARCH,
              rows={"contacts": [contact(dt.date(2024, 3, 5), "李秀英", "钱七", "苏州恒瑞食品有限公司")]})
    assert run(["status", "2024-03"], cwd=ws.root).exit_code in (0, 1)
    names = sorted(p.name for p in folder.iterdir())
    assert not [n for n in names if n.startswith("C01_")]  # C01 has reported: its reminder is gone
    assert "我的备忘.txt" in names and "D01_招商局_催报.txt" in names
    assert sorted(n for n in names if n.endswith("_催报.txt")) == sorted(
        n for n in names if n.endswith(".txt") and n != "我的备忘.txt")


def test_commands_warn_about_missing_data(samples: Workspace, run) -> None:
    """template names earlier months with a folder but not in the ledger, and months outside the
    campaign; template --tax says when no project reached 开工; consolidate of a month outside the
    implementation months says it is not assessed."""
    ws = samples
    result = run(["template", "2024-04"], cwd=ws.root)
    assert result.exit_code == 0
    assert "2024年2月、2024年3月 有报表文件夹但还没有汇总" in result.stderr
    outside = run(["template", "2025-01"], cwd=ws.root)
    assert "2025年1月 不在 zsxls.toml 设定的活动年度（2024 年）内" in outside.stderr
    assert "2025年1月 不是考核月份" in outside.stderr
    tax = run(["template", "--tax", "2024"], cwd=ws.root)
    assert tax.exit_code == 0 and "还没有达到“开工”阶段的项目" in tax.stderr
    (ws.root / "2024-01").mkdir()
    january = run(["consolidate", "2024-01"], cwd=ws.root)
    assert "2024年1月 不是考核月份" in january.output
    assert run(["consolidate", "2024-03"], cwd=ws.root).exit_code == 1
    again = run(["template", "2024-04"], cwd=ws.root)
    assert "还没有汇总" not in again.stderr and "不是考核月份" not in again.stderr


def test_empty_months_are_not_zeros(workspace: Workspace, run) -> None:
    from openpyxl import load_workbook

    ws = workspace
    make_file(ws, "C01", MARCH,
              rows={"contacts": [contact(dt.date(2024, 3, 5), "李秀英", "钱七", "苏州恒瑞食品有限公司")]})
    assert run(["consolidate", "2024-03"], cwd=ws.root).exit_code in (0, 1)  # February: no folder, no data
    overview = load_workbook(ws.output_dir / "2024-03_一月一交流.xlsx")["总览"]
    rows = [r for r in overview.iter_rows(min_row=5, values_only=True) if r and r[0] == "结交客商(人次)"]
    assert rows and rows[0][1] == 1 and rows[0][2] == "—" and rows[0][3] == "—"
    assert run(["quarterly", "2024Q1"], cwd=ws.root).exit_code == 0
    trend = load_workbook(ws.output_dir / "2024Q1_一季一评比.xlsx")["月度趋势"]
    table = list(trend.iter_rows(values_only=True))
    header = next(r for r in table if r and "客商 2月" in r)
    c01 = next(r for r in table if r and "C01" in r)
    assert c01[header.index("客商 2月")] == "—" and c01[header.index("客商 3月")] == 1


def test_the_roster_says_what_is_example_and_template_refuses_while_it_is_there(tmp_path, run) -> None:
    import openpyxl

    from zhaoshang_xls import schema
    from zhaoshang_xls.workspace import open_workspace

    root = tmp_path / "ws"
    assert run(["init", str(root)]).exit_code == 0
    ws = open_workspace(root)
    wb = openpyxl.load_workbook(ws.roster_path)
    units = wb[schema.ROSTER_UNITS.name]
    assert "示例" in str(units["A1"].value)
    first = schema.ROSTER_UNITS.first_input_row
    name_col = schema.ROSTER_UNITS.columns.index(schema.ROSTER_UNITS.column("unit_name")) + 1
    example = units.cell(row=first, column=name_col)
    assert str(example.value).endswith(schema.EXAMPLE_MARK)
    assert example.font.italic and example.font.color.rgb.endswith("808080")
    assert example.comment is not None and "示例" in example.comment.text
    refused = run(["template", "2024-03"], cwd=root)
    assert refused.exit_code == 2, refused.output
    # Every example row is named, in both sheets: 3 units and 3 people.
    assert refused.stderr.count("T10") == 6, refused.stderr
    assert not (ws.output_dir / "模板").exists()
    # The clerk makes the units and people real (the mark removed) except one person.
    for sheet in (units, wb[schema.ROSTER_CADRES.name]):
        key = "unit_name" if sheet.title == schema.ROSTER_UNITS.name else "name"
        spec = schema.ROSTER_UNITS if key == "unit_name" else schema.ROSTER_CADRES
        c = spec.columns.index(spec.column(key)) + 1
        for r in range(spec.first_input_row, spec.first_input_row + 3):
            cell = sheet.cell(row=r, column=c)
            if cell.value != f"张伟{schema.EXAMPLE_MARK}":
                cell.value = str(cell.value).replace(schema.EXAMPLE_MARK, "")
    wb.save(ws.roster_path)
    still = run(["template", "2024-03"], cwd=root)
    assert still.exit_code == 2 and still.stderr.count("T10") == 1 and "张伟" in still.stderr, still.stderr
    cadres = wb[schema.ROSTER_CADRES.name]
    c = schema.ROSTER_CADRES.columns.index(schema.ROSTER_CADRES.column("name")) + 1
    cadres.cell(row=schema.ROSTER_CADRES.first_input_row + 2, column=c).value = "张伟"
    wb.save(ws.roster_path)
    made = run(["template", "2024-03"], cwd=root)
    assert made.exit_code == 0, made.output
    assert len(list((ws.output_dir / "模板" / "2024-03").glob("*.xlsx"))) == 3


def test_every_roster_problem_is_listed_at_once(workspace: Workspace, run) -> None:
    import openpyxl

    from zhaoshang_xls import schema

    wb = openpyxl.load_workbook(workspace.roster_path)
    cadres = wb[schema.ROSTER_CADRES.name]
    spec = schema.ROSTER_CADRES
    row = spec.first_input_row + 3
    for key, value in (("cadre_code", "R009"), ("name", "赵六"), ("unit_code", "X99"), ("rank", "科员级")):
        cadres.cell(row=row, column=spec.columns.index(spec.column(key)) + 1).value = value
    wb.save(workspace.roster_path)
    result = run(["template", "2024-03"], cwd=workspace.root)
    assert result.exit_code == 2
    # The unknown 职级 (R06) no longer hides the unknown unit (T02) on the same row.
    assert "R06" in result.stderr and "T02" in result.stderr and "X99" in result.stderr, result.stderr
