"""Hostile and broken inputs: each gets its code and a Chinese message; the others go through."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factory import contact, make_file
from tests.helpers import init_keeping_examples
from tests.hostile import INJECTION, build_corpus
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.monthly import ACCEPTED, read_submission
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.usecases.month import consolidate_month
from zhaoshang_xls.workspace import open_workspace

MARCH = Month(2024, 3)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "ws"
    init_keeping_examples(root)
    ws = open_workspace(root)
    expected = build_corpus(ws, root / "2024-03")
    result = consolidate_month(ws, root / "2024-03", MARCH)
    return ws, expected, {s.name: s for s in result.submissions}, result


def test_every_hostile_file_gets_its_code_with_a_chinese_message(corpus) -> None:
    _, expected, subs, _ = corpus
    assert set(subs) == set(expected)
    for name, code in expected.items():
        sub = subs[name]
        if code is None:  # read normally (several D01 files: all but one are superseded, F07)
            assert sub.status in (ACCEPTED, "superseded"), (name, [i.render() for i in sub.issues])
            assert not any(i.level.value == "error" for i in sub.issues)
            continue
        codes = [i.code for i in sub.issues]
        assert set(code.split("|")) & set(codes), (name, codes)
        assert all(CHINESE.search(i.message) for i in sub.issues)


def test_rejections_and_acceptances(corpus) -> None:
    _, _, subs, _result = corpus
    rejected = {n for n, s in subs.items() if s.status == "rejected"}
    assert {"空文件.xlsx", "文字改名.xlsx", "截断.xlsx", "损坏.xlsx", "密码.xlsx", "严格格式.xlsx", "压缩炸弹.xlsx",
            "十万行.xlsx", "别人的模板.xlsx", "改过meta.xlsx", "二月的.xlsx", "网页导出.xls"} <= rejected
    assert subs["只读加密.xlsx"].unit_code == "D01"  # opened with the default password
    assert "F09" in [i.code for i in subs["网页导出.xls"].issues]  # an HTML page saved as .xls is read
    assert subs["C01_好文件.xlsx"].status == ACCEPTED
    assert {s.unit_code for s in subs.values() if s.status == ACCEPTED} == {"C01", "D01"}
    assert "Strict" in next(i.message for i in subs["严格格式.xlsx"].issues)


def test_layout_mischief_is_read_and_injection_stays_text(corpus) -> None:
    _, _, subs, _ = corpus
    messy = subs["D01_乱七八糟.xlsx"]
    assert messy.status in (ACCEPTED, "superseded")
    values = [r.values for r in messy.tables["contacts"].rows]
    assert any(v.get("investor") == INJECTION and v.get("company") == INJECTION for v in values)
    moved = [i for i in messy.issues if i.code == "S02"]
    assert moved and all(i.level.value == "warning" for i in moved)


def test_report_after_hostile_month_has_no_formula(corpus) -> None:
    from openpyxl import load_workbook

    _, _, _, result = corpus
    wb = load_workbook(result.outputs[0])
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_cli_on_the_hostile_month_exits_1_without_traceback(corpus, run) -> None:
    ws, _, _, _ = corpus
    result = run(["consolidate", str(ws.root / "2024-03")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "内部错误" not in result.output


@pytest.fixture(scope="module")
def fuzz_base(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz") / "ws"
    init_keeping_examples(root)
    ws = open_workspace(root)
    path = make_file(ws, "C01", MARCH, rows={"contacts": [contact(MARCH.first_day, "李秀英", "钱七", "恒瑞")]})
    roster, _ = load_roster(ws.roster_path, None)
    return ws, roster, path.read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 40))
def test_fuzzed_bytes_are_accepted_or_reported_never_a_crash(fuzz_base, tmp_path_factory, seed, flips) -> None:
    ws, roster, data = fuzz_base
    rng = random.Random(seed)
    mutated = bytearray(data)
    for _ in range(flips):
        mutated[rng.randrange(len(mutated))] = rng.randrange(256)
    path = tmp_path_factory.mktemp("f") / "fuzzed.xlsx"
    path.write_bytes(bytes(mutated))
    sub = read_submission(path, roster, MARCH, ws.secret)
    assert sub.status == ACCEPTED or any(i.level.value == "error" for i in sub.issues)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.one_of(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
                                 st.integers(-10**9, 10**9), st.floats(allow_nan=True), st.booleans(), st.none()),
                       min_size=11, max_size=11))
def test_any_cell_values_are_accepted_or_reported(fuzz_base, tmp_path_factory, values) -> None:
    from openpyxl import load_workbook

    ws, roster, data = fuzz_base
    path = tmp_path_factory.mktemp("c") / "cells.xlsx"
    path.write_bytes(data)
    wb = load_workbook(path)
    sheet = wb["客商结交"]
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row=5, column=col)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    wb.save(path)
    sub = read_submission(path, roster, MARCH, ws.secret)
    assert sub.status in (ACCEPTED, "rejected")
    assert all(i.code and i.message for i in sub.issues)

