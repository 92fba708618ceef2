"""回执 read back: the result sheet, the unit's own data with marked cells and comments; check."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from openpyxl import load_workbook

from tests.factory import contact, lead, make_file
from zhaoshang_xls import schema
from zhaoshang_xls.periods import Month
from zhaoshang_xls.usecases.month import consolidate_month

MARCH = Month(2024, 3)


def _lines(sheet) -> list[str]:
    return [str(r[0]) for r in sheet.iter_rows(values_only=True) if r and r[0] is not None]


def test_every_submitted_file_gets_a_receipt(samples) -> None:
    result = consolidate_month(samples, samples.root / "2024-03", MARCH, today=dt.date(2024, 4, 10))
    folder = samples.root / "输出" / "回执" / "2024-03"
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == len(result.submissions) == 33
    assert "C01_回执.xlsx" in names and "C05_回执.xlsx" in names  # the renamed file, by its unit
    assert "D05_回执_D05_项目推进组_2024-03.xlsx" in names  # the superseded one keeps its own receipt
    assert "未识别_D09_社会事业组_2024-03_回执.xlsx" in names
    assert {folder / n for n in names} <= set(result.outputs)


def test_receipt_marks_problem_cells_with_fill_and_comment(march) -> None:
    wb = load_workbook(march.root / "输出" / "回执" / "2024-03" / "C11_回执.xlsx")
    assert wb.sheetnames[0] == "校验结果"
    assert {"基本信息", "客商结交", "项目信息", "项目进展"} <= set(wb.sheetnames)
    assert "_meta" not in wb.sheetnames
    assert schema.GUIDE_SHEET_NAME not in wb.sheetnames  # our instructions are not sent back
    lines = _lines(wb["校验结果"])
    assert "处理结果：已接收" in lines
    assert any(line.startswith("本月有效数据：结交客商") and "目标 5 人以上" in line for line in lines)
    rows = list(wb["校验结果"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "序号")
    issues = [r for r in rows[header + 1:] if r[0]]
    assert ("警告", "R09", "客商结交!G4") in [(r[1], r[2], r[3]) for r in issues]
    cell = wb["客商结交"]["G4"]
    assert cell.value == "1380013800"  # the unit's own data, not masked
    assert cell.fill.fgColor.rgb.endswith("FFEB9C")
    assert "R09" in cell.comment.text and "11 位" in cell.comment.text


def test_error_cells_are_red_and_rejected_files_say_why(samples) -> None:
    make_file(samples, "C01", MARCH, name="C01_东湖村_2024-03.xlsx", rows={
        "contacts": [contact(dt.date(2024, 2, 1), "李秀英", "钱七", "恒瑞")],  # outside the month: R05 error
        "leads": [lead("项目", "=cmd|' /C calc'!A0", "李秀英", dt.date(2024, 3, 2), "很多")],  # R02 error
    })
    consolidate_month(samples, samples.root / "2024-03", MARCH, today=dt.date(2024, 4, 10))
    wb = load_workbook(samples.root / "输出" / "回执" / "2024-03" / "C01_回执.xlsx")
    assert wb["客商结交"]["B4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "R05" in wb["客商结交"]["B4"].comment.text
    assert wb["项目信息"]["H4"].fill.fgColor.rgb.endswith("FFC7CE")
    injected = wb["项目信息"]["C4"]
    assert injected.value == "=cmd|' /C calc'!A0" and injected.data_type == "s" and injected.quotePrefix
    assert any("有 " in line and "处错误" in line for line in _lines(wb["校验结果"]))
    bad = load_workbook(samples.root / "输出" / "回执" / "2024-03" / "未识别_D09_社会事业组_2024-03_回执.xlsx")
    lines = _lines(bad["校验结果"])
    assert "处理结果：被退回" in lines
    assert any(line.startswith("退回原因：文件无法打开") for line in lines)
    assert bad.sheetnames == ["校验结果"]


def test_check_writes_receipts_and_leaves_the_ledger_alone(samples, run) -> None:
    before = sorted(p.name for p in samples.state_dir.iterdir())
    result = run(["check", str(samples.root / "2024-03")])
    assert result.exit_code == 1
    assert "D09_社会事业组_2024-03.xlsx：将被退回" in result.stdout and "台账未改动" in result.stdout
    assert sorted(p.name for p in samples.state_dir.iterdir()) == before  # no ledger created
    assert (samples.root / "输出" / "回执" / "2024-03" / "C07_回执.xlsx").exists()
    one = run(["check", str(samples.root / "2024-04" / "C01_东湖村_2024-04.xlsx"), "--json"])
    assert one.exit_code == 0
    import json

    data = json.loads(one.stdout)
    assert [f["status"] for f in data["files"]] == ["accepted"]
    assert data["outputs"][0].endswith("C01_回执.xlsx")


def test_check_a_loose_file_takes_its_own_month(samples, run, tmp_path: Path) -> None:
    loose = tmp_path / "收件"
    loose.mkdir()
    shutil.copy(samples.root / "2024-04" / "C02_西塘村_2024-04.xlsx", loose / "西塘村四月.xlsx")
    result = run(["-w", str(samples.root), "check", str(loose / "西塘村四月.xlsx")])
    assert result.exit_code == 0, result.output
    assert (samples.root / "输出" / "回执" / "2024-04" / "C02_回执.xlsx").exists()
