"""The screening loop (SPEC §9.1): 线索甄别 written, filled by the bureau, read back, counted."""

from __future__ import annotations

import shutil

from openpyxl import load_workbook

from zhaoshang_xls.periods import Month
from zhaoshang_xls.usecases.month import consolidate_month

MARCH = Month(2024, 3)


def _rows(path):
    ws = load_workbook(path)["线索甄别"]
    header = [c.value for c in ws[2]]
    return ws, header, {r[0].value: r for r in ws.iter_rows(min_row=3) if r[0].value}


def _fill(path, decisions: dict[str, dict[str, str]]) -> None:
    wb = load_workbook(path)
    ws = wb["线索甄别"]
    header = [c.value for c in ws[2]]
    for row in ws.iter_rows(min_row=3):
        for key, value in decisions.get(row[0].value, {}).items():
            row[header.index(key)].value = value
    wb.save(path)


def _leads(samples, unit: str) -> int:
    wb = load_workbook(samples.root / "输出" / "2024-03_一月一交流.xlsx")
    rows = list(wb["单位完成情况"].iter_rows(values_only=True))
    header = list(rows[3])
    row = next(r for r in rows[4:] if r[0] == unit)
    return row[header.index("本月信息报送")]


def test_screening_workbook_suggests_the_later_duplicate_without_deciding(march, run) -> None:
    path = march.root / "输出" / "2024-03_线索甄别.xlsx"
    ws, header, rows = _rows(path)
    assert header[:3] == ["项目编号*", "项目名称", "投资方"] and "甄别结论" in header and "跟踪责任人" in header
    later = next(r for r in rows.values() if r[header.index("报送单位")].value == "D01 招商局"
                 and r[header.index("项目名称")].value == "年产5万吨果蔬深加工项目")
    earlier = next(r for r in rows.values() if r[header.index("报送单位")].value == "C10 石桥村"
                   and r[header.index("项目名称")].value == "年产5万吨果蔬深加工项目")
    # a suggestion in its own (locked) column; the decision columns are left to the bureau
    assert later[header.index("建议结论")].value.startswith(f"重复（重复于 {earlier[0].value}）")
    assert later[header.index("建议结论")].protection.locked
    assert all(later[header.index(k)].value is None for k in ("甄别结论", "重复于", "招引单位"))
    assert earlier[header.index("建议结论")].value in (None, "")
    assert later[0].protection.locked and not later[header.index("甄别结论")].protection.locked
    dv = [d for d in ws.data_validations.dataValidation if d.type == "list"]
    assert dv and dv[0].formula1 == '"有效,无效,重复,待定"'
    untouched = run(["screen", str(path)])
    assert untouched.exit_code == 0 and "已读入 0 条甄别结论" in untouched.stdout


def test_screen_reads_decisions_and_screened_out_leads_stop_counting(march, run) -> None:
    samples = march
    before = _leads(samples, "D01")
    path = samples.root / "输出" / "2024-03_线索甄别.xlsx"
    _, header, rows = _rows(path)
    d01 = [pid for pid, r in rows.items() if r[header.index("报送单位")].value == "D01 招商局"]
    c10 = [pid for pid, r in rows.items() if r[header.index("报送单位")].value == "C10 石桥村"]
    _fill(path, {d01[0]: {"甄别结论": "无效"}, c10[0]: {"甄别结论": "有效", "跟踪责任人": "王跟踪"}})
    result = run(["screen", str(path)])
    assert result.exit_code == 0, result.output
    assert "已读入" in result.stdout and "无效 1" in result.stdout
    again = run(["consolidate", str(samples.root / "2024-03")])
    assert again.exit_code == 1  # the corrupt sample file, as always
    assert _leads(samples, "D01") < before
    wb = load_workbook(samples.root / "输出" / "2024-03_一月一交流.xlsx")
    rows2 = list(wb["新增项目信息"].iter_rows(values_only=True))
    head = list(next(r for r in rows2 if r and r[0] == "项目编号"))
    tracked = next(r for r in rows2 if r and r[0] == c10[0])
    assert tracked[head.index("甄别结论")] == "有效" and tracked[head.index("跟踪责任人")] == "王跟踪"
    # the next screening workbook keeps the decisions already made
    _, header, rows = _rows(samples.root / "输出" / "2024-03_线索甄别.xlsx")
    assert rows[c10[0]][header.index("跟踪责任人")].value == "王跟踪"


def test_screening_file_dropped_into_the_month_folder_is_read(samples) -> None:
    consolidate_month(samples, samples.root / "2024-03", MARCH)
    path = samples.root / "输出" / "2024-03_线索甄别.xlsx"
    _, header, rows = _rows(path)
    first = next(iter(rows))
    _fill(path, {first: {"甄别结论": "待定", "跟踪责任人": "李跟踪"}})
    shutil.copy(path, samples.root / "2024-03" / path.name)
    result = consolidate_month(samples, samples.root / "2024-03", MARCH)
    assert all(s.name != path.name for s in result.submissions)  # not taken for a unit's report
    _, header, rows = _rows(path)
    assert rows[first][header.index("跟踪责任人")].value == "李跟踪"


def test_bad_decisions_are_reported_not_applied(samples, run) -> None:
    consolidate_month(samples, samples.root / "2024-03", MARCH)
    path = samples.root / "输出" / "2024-03_线索甄别.xlsx"
    _, _, rows = _rows(path)
    pids = list(rows)
    _fill(path, {pids[0]: {"甄别结论": "重复", "重复于": "P2099-9999"}, pids[1]: {"甄别结论": "说不好"}})
    result = run(["screen", str(path)])
    assert result.exit_code == 1
    assert "R10" in result.stderr and "P2099-9999" in result.stderr
    assert "R06" in result.stderr


def test_a_duplicate_must_name_the_earlier_report_and_the_bureau_sets_the_introducer(march, run) -> None:
    path = march.root / "输出" / "2024-03_线索甄别.xlsx"
    _, header, rows = _rows(path)
    same = {r[header.index("报送单位")].value.split()[0]: pid for pid, r in rows.items()
            if r[header.index("项目名称")].value == "年产5万吨果蔬深加工项目"}
    # C10 reported on 03-08, D01 on 03-12: C10's cannot be the repeat of D01's
    _fill(path, {same["C10"]: {"甄别结论": "重复", "重复于": same["D01"]}})
    wrong = run(["screen", str(path)])
    assert wrong.exit_code == 1 and "R10" in wrong.stderr and "应为先报送的项目" in wrong.stderr
    _fill(path, {same["C10"]: {"甄别结论": "有效", "重复于": None},
                 same["D01"]: {"甄别结论": "重复", "重复于": same["C10"], "招引单位": "X99"}})
    unknown = run(["screen", str(path)])
    assert unknown.exit_code == 1 and "招引单位 X99 不在目标责任表中" in unknown.stderr
    _fill(path, {same["D01"]: {"招引单位": "d01"}})
    right = run(["screen", str(path)])
    assert right.exit_code == 0 and "已读入 1 条甄别结论" in right.stdout  # C10's 有效 was read the time before
    from zhaoshang_xls.ledger import open_ledger

    with open_ledger(march) as ledger:
        decided = ledger.decisions()
    assert (decided[same["D01"]]["duplicate_of"], decided[same["D01"]]["introducer_unit"]) == (same["C10"], "D01")


def test_only_a_screening_file_this_workspace_wrote_is_read(march, run) -> None:
    """Anyone can email the office a file named 2024-03_线索甄别.xlsx: without the workspace's token
    (in `_meta`) its verdicts are reported (F11) and never applied."""
    import datetime as dt

    from zhaoshang_xls.ledger import open_ledger
    from zhaoshang_xls.reports.screening import write_screening_workbook

    genuine = march.root / "输出" / "2024-03_线索甄别.xlsx"
    _, _, rows = _rows(genuine)
    with open_ledger(march) as ledger:
        before = ledger.decisions()
    forged = [{"project_id": pid, "verdict": "无效"} for pid in rows]
    dropped = march.root / "2024-03" / genuine.name
    # a file made like ours but with another workspace's key, and one with no token at all
    write_screening_workbook(dropped, MARCH, forged, dt.datetime(2024, 4, 20), b"another workspace")
    result = run(["consolidate", str(march.root / "2024-03")], cwd=march.root)
    assert "F11" in result.output and "甄别结论一律未读取" in result.output
    stranger = march.root / "stranger.xlsx"
    shutil.copy(dropped, stranger)
    wb = load_workbook(stranger)
    del wb["_meta"]
    wb.save(stranger)
    told = run(["screen", str(stranger)], cwd=march.root)
    assert told.exit_code == 1 and "F11" in told.stderr
    with open_ledger(march) as ledger:
        assert ledger.decisions() == before  # no verdict of either file applied
    # the genuine file, filled, is read
    _fill(genuine, {next(iter(rows)): {"甄别结论": "无效"}})
    assert "已读入 1 条甄别结论" in run(["screen", str(genuine)], cwd=march.root).stdout


def test_a_screening_file_of_another_month_or_with_a_strange_token_is_refused(march, run) -> None:
    """The token names its month: February's file renamed for March is F11; a token that is not
    even ASCII is F11 too, never a crash (nor in a unit's file: F08)."""
    from zhaoshang_xls.ledger import open_ledger

    with open_ledger(march) as ledger:
        before = ledger.decisions()
    february = march.root / "输出" / "2024-02_线索甄别.xlsx"
    _, _, rows = _rows(february)
    _fill(february, {pid: {"甄别结论": "无效"} for pid in rows})
    shutil.copy(february, march.root / "2024-03" / "2024-03_线索甄别.xlsx")
    result = run(["consolidate", str(march.root / "2024-03")], cwd=march.root)
    assert "这是 2024年2月 的线索甄别表，却作为 2024年3月 的甄别表读入" in result.output
    with open_ledger(march) as ledger:
        assert ledger.decisions() == before

    odd = march.root / "2024-03" / "2024-03_线索甄别.xlsx"
    wb = load_workbook(march.root / "输出" / "2024-03_线索甄别.xlsx")
    meta = wb["_meta"]
    next(r for r in meta.iter_rows() if r[0].value == "token")[1].value = "校验码"
    wb.save(odd)
    result = run(["consolidate", str(march.root / "2024-03")], cwd=march.root)
    assert "F11" in result.output and "内部错误" not in result.output + (result.stderr or "")

    unit_file = next((march.root / "2024-03").glob("C01_*.xlsx"))
    wb = load_workbook(unit_file)
    next(r for r in wb["_meta"].iter_rows() if r[0].value == "token")[1].value = "校验码"
    wb.save(unit_file)
    result = run(["check", str(unit_file)], cwd=march.root)
    assert "F08" in result.output + (result.stderr or "") and result.exit_code == 1


def test_consolidate_says_how_many_decisions_a_dropped_screening_file_gave(march, run) -> None:
    path = march.root / "输出" / "2024-03_线索甄别.xlsx"
    _, _, rows = _rows(path)
    first, second = list(rows)[:2]
    _fill(path, {first: {"甄别结论": "待定"}, second: {"甄别结论": "有效"}})
    shutil.copy(path, march.root / "2024-03" / path.name)
    result = run(["consolidate", str(march.root / "2024-03")], cwd=march.root)
    assert f"甄别表 {path.name}：已读入 2 条甄别结论。" in result.output
