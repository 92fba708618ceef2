"""templates/ and samples/ are what their scripts make; samples hold the planted mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tests.helpers import REPO, load_script, workbook_content
from zhaoshang_xls import schema
from zhaoshang_xls.reading.roster import read_roster
from zhaoshang_xls.reading.table import read_table
from zhaoshang_xls.reading.workbook import read_workbook
from zhaoshang_xls.tokens import template_token

SAMPLES = REPO / "samples"


def _tracked_files(root: Path) -> dict[str, Path]:
    ignored = (".zsxls/ledger", ".zsxls/archive", "输出/")
    return {
        str(p.relative_to(root)): p
        for p in root.rglob("*")
        if p.is_file() and not any(part in str(p.relative_to(root)) for part in ignored)
    }


def test_committed_templates_match_the_generator(tmp_path: Path) -> None:
    made = load_script("make_templates").build_templates(tmp_path)
    committed = sorted(p.name for p in (REPO / "templates").glob("*.xlsx"))
    assert committed == sorted(p.name for p in made)
    for path in made:
        assert workbook_content(path) == workbook_content(REPO / "templates" / path.name), (
            f"templates/{path.name} is stale: run python scripts/make_templates.py"
        )


def test_template_drift_is_detected(tmp_path: Path) -> None:
    """The comparison above is sensitive: one changed header is a difference."""
    from openpyxl import load_workbook

    made = load_script("make_templates").build_templates(tmp_path)[0]
    before = workbook_content(made)
    wb = load_workbook(made)
    wb["项目信息"]["H2"] = "计划投资(万元)*"
    wb.save(made)
    assert workbook_content(made) != before


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("samples")
    load_script("make_samples").build_samples(dest)
    return dest


def test_samples_regenerate_identically(regenerated: Path) -> None:
    made, committed = _tracked_files(regenerated), _tracked_files(SAMPLES)
    assert sorted(made) == sorted(committed)
    differ = [name for name in made if made[name].read_bytes() != committed[name].read_bytes()]
    assert differ == [], "samples/ is stale: run python scripts/make_samples.py"


def test_sample_roster_size_and_clean() -> None:
    roster, issues = read_roster(SAMPLES / schema.ROSTER_FILE)
    assert [i.code for i in issues] == ["T07"] and "综合办公室" in issues[0].message  # no targets, on purpose
    types = [u.type for u in roster.units]
    assert (types.count("村"), types.count("部门"), types.count("区领导")) == (20, 12, 1)
    assert 75 <= len(roster.cadres) <= 90
    assert {c.rank for c in roster.cadres} == {"区领导", "中层", "一般"}


def _meta(path: Path) -> dict[str, str]:
    return {row[0]: row[1] for row in read_workbook(path)["_meta"].rows}


def test_sample_files_carry_valid_tokens() -> None:
    secret = (SAMPLES / ".zsxls" / "secret").read_text().strip().encode()
    for month in ("2024-02", "2024-03", "2024-04"):
        files = [p for p in (SAMPLES / month).glob("*.xlsx") if not p.name.startswith("~$")]
        assert len(files) >= 30
        for path in files:
            if path.name.startswith("D09") and month == "2024-03":
                continue  # the corrupt one
            meta = _meta(path)
            assert meta["month"] == month
            assert meta["token"] == template_token(secret, meta["unit"], month)


def test_planted_mistakes_in_2024_03() -> None:
    folder = SAMPLES / "2024-03"
    names = {p.name for p in folder.iterdir()}
    units = {_meta(folder / n)["unit"] for n in names if n.endswith(".xlsx") and not n.startswith(("~$", "D09"))}
    assert "C17" not in units  # one unit missing
    assert "三月份招商报表(最终版).xlsx" in names and _meta(folder / "三月份招商报表(最终版).xlsx")["unit"] == "C05"
    assert {"D05_项目推进组_2024-03.xlsx", "D05_项目推进组_2024-03(更正).xlsx"} <= names  # duplicate
    assert "~$C03_南庄村_2024-03.xlsx" in names  # lock file
    with pytest.raises(Exception):  # noqa: B017 - any reader error: the file is corrupt
        CalamineWorkbook.from_path(str(folder / "D09_社会事业组_2024-03.xlsx")).get_sheet_by_name("_meta")
    trad = read_table(read_workbook(folder / "C07_三里村_2024-03.xlsx")["项目信息"], schema.LEADS, "C07")
    assert any(i.code == "S02" and "計劃總投資" in i.message for i in trad.issues)
    assert any(r.values.get("stage") == "签约" for r in trad.rows)
    text = read_table(read_workbook(folder / "D04_规划建设组_2024-03.xlsx")["项目信息"], schema.LEADS, "D04")
    assert {r.values["total_investment"] for r in text.rows} >= {500, 1200}
    assert sum(i.code == "R16" for i in text.issues) >= 2
    late = {row[0]: row[1] for row in read_workbook(folder / "C09_杏花村_2024-03.xlsx")["基本信息"].rows}
    assert late["填报日期*"].day > 5 and late["填报日期*"].month == 4
