"""Chinese typography in every sentence zsxls writes: full-width ，：；（） next to Chinese, no line
starting with closing punctuation (rule and exceptions: tests/typography.py)."""

from __future__ import annotations

import re

import pytest

from tests.helpers import REPO
from tests.typography import FIELD, fix, offenders

PACKAGE = sorted((REPO / "zhaoshang_xls").rglob("*.py"))
CLOSING = tuple("，。：；）、！？》」』")


@pytest.mark.parametrize("text, expected", [
    ("读取 3 个文件,接收 2 个", "读取 3 个文件，接收 2 个"),
    ("疑似重复(R14):企业名称", "疑似重复（R14）：企业名称"),
    ("小结草稿(可直接复制):", "小结草稿（可直接复制）："),
    ("有 3 名(第 4 行);", "有 3 名（第 4 行）；"),
    ("1,000.50", "1,000.50"),  # a number
    ("C01,D01", "C01,D01"),  # codes
    (f"{FIELD}:{FIELD}", f"{FIELD}:{FIELD}"),  # nothing Chinese around it
    ("18:59", "18:59"),
    ("见 https://example.cn/说明", "见 https://example.cn/说明"),
])
def test_the_rule(text: str, expected: str) -> None:
    assert fix(text) == expected


@pytest.mark.parametrize("path", PACKAGE, ids=lambda p: str(p.relative_to(REPO / "zhaoshang_xls")))
def test_every_user_facing_string_uses_chinese_punctuation(path) -> None:
    assert offenders(path) == [], "run python scripts/fullwidth.py " + str(path.relative_to(REPO))


def test_console_lines_never_start_with_closing_punctuation(march, run) -> None:
    out = []
    for command in (["status", str(march.root / "2024-03")], ["check", str(march.root / "2024-03")],
                    ["quarterly", "2024Q1"], ["consolidate", str(march.root / "2024-03")]):
        result = run(command, cwd=march.root)
        out += result.output.splitlines()
    assert out
    starts = [line for line in out if line.strip().startswith(CLOSING)]
    assert starts == []
    # No ASCII , : ; after a Chinese character (file names the units chose may hold brackets).
    ascii_marks = [line for line in out if re.search(r"[\u4e00-\u9fff）][,:;]", line)]
    assert ascii_marks == []
