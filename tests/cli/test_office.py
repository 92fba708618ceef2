"""A real office suite (SPEC §6, issue 7): templates filled by typing in LibreOffice and saved as
.xlsx/.xls/.ods come back through ``consolidate`` with exactly what was typed, and every kind of
output workbook prints through LibreOffice: it loads, its Chinese has a font, no ``###``, A4
landscape, one page wide."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, select

from tests import office
from tests.helpers import copy_samples
from zhaoshang_xls import schema
from zhaoshang_xls.cli import cli
from zhaoshang_xls.ledger import tables as t
from zhaoshang_xls.periods import Month
from zhaoshang_xls.usecases.month import consolidate_month
from zhaoshang_xls.workspace import Workspace, open_workspace

pytestmark = pytest.mark.office
MARCH = Month(2024, 3)
FORMATS = {"xlsx": "Calc MS Excel 2007 XML", "xls": "MS Excel 97", "ods": "calc8"}


@pytest.fixture(scope="module", autouse=True)
def _office() -> None:
    office.require()


def _columns(path: Path, sheet: schema.Sheet) -> tuple[dict[str, str], int]:
    """Column letter of each schema column on a template sheet, and the first input row."""
    ws = load_workbook(path)[sheet.name]
    for row in ws.iter_rows(min_row=1, max_row=5):
        names = {str(c.value).rstrip("*"): c.column_letter for c in row if c.value is not None}
        if sheet.columns[1].name in names:
            letters = {c.key: names[c.name] for c in sheet.columns if c.name in names}
            return letters, row[0].row + 2  # the header, the example row, then the input rows
    raise AssertionError(f"no header on {sheet.name}")


def _form_rows(path: Path) -> dict[str, int]:
    ws = load_workbook(path)[schema.BASIC.name]
    labels = {str(ws.cell(r, 1).value).rstrip("*"): r for r in range(1, 12) if ws.cell(r, 1).value}
    return {c.key: labels[c.name] for c in schema.BASIC.columns if c.name in labels}


@pytest.fixture(scope="module")
def typed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], dict[str, Path]]:
    """C01's March template, filled by typing in LibreOffice, saved as xlsx, xls and ods (with
    _meta unhidden by the user)."""
    from click.testing import CliRunner

    from tests.helpers import init_keeping_examples

    root = tmp_path_factory.mktemp("office") / "ws"
    init_keeping_examples(root)
    result = CliRunner().invoke(cli, ["template", "2024-03", "--unit", "C01", "-w", str(root)])
    assert result.exit_code == 0, result.output
    template = next((root / "输出" / "模板" / "2024-03").glob("C01_*.xlsx"))
    form = _form_rows(template)
    cc, c_row = _columns(template, schema.CONTACTS)
    lc, l_row = _columns(template, schema.LEADS)
    contacts = [("2024-03-05", "钱七"), ("2024/3/6", "孙八"), ("2024年3月7日", "周九")]
    typing = [
        [schema.BASIC.name, f"B{form['reporter']}", "李秀英"],
        [schema.BASIC.name, f"B{form['reporter_phone']}", "13812345678"],
        [schema.BASIC.name, f"B{form['reported_on']}", "2024/4/3"],
    ]
    for i, (day, investor) in enumerate(contacts):
        r = c_row + i
        typing += [[schema.CONTACTS.name, f"{cc[k]}{r}", v] for k, v in (
            ("seq", str(i + 1)), ("date", day), ("cadre", "李秀英"), ("investor", investor),
            ("company", f"苏州恒瑞{investor}食品有限公司"), ("phone", "13912345678"), ("industry", "工业"))]
    typing += [[schema.LEADS.name, f"{lc[k]}{l_row}", v] for k, v in (
        ("seq", "1"), ("project_name", "年产5万吨果蔬深加工项目"), ("investor", "苏州恒瑞食品有限公司"),
        ("funding", "内资"), ("sector", "工业"), ("total_investment", "1,200"), ("fixed_assets", "800.5"),
        ("stage", "洽谈"), ("provider", "李秀英"), ("provided_on", "2024年3月8日"))]
    out = template.parent / "saved"
    out.mkdir()
    saved = {fmt: out / f"C01_东湖村_2024-03.{fmt}" for fmt in FORMATS}
    job = {"src": str(template), "typed": typing, "unhide": [schema.META_SHEET_NAME],
           "save": [[str(p), FORMATS[fmt]] for fmt, p in saved.items()]}
    cells = office.run_uno({"fill": job})["fill"]
    # through the keyboard: an input cell takes the text, the locked header cell refuses it
    keyboard = [[schema.LEADS.name, f"{lc['project_name']}{l_row + 1}", "能输入"],
                [schema.LEADS.name, f"{lc['project_name']}{l_row - 2}", "改表头"]]
    cells["keyboard"] = office.run_uno({"fill": {"src": str(template), "keyboard": keyboard}})["fill"]["keyboard"]
    cells["dates"] = [cells[f"{schema.CONTACTS.name}!{cc['date']}{c_row + i}"] for i in range(len(contacts))]
    cells["amounts"] = [cells[f"{schema.LEADS.name}!{lc[k]}{l_row}"] for k in ("total_investment", "fixed_assets")]
    return root, cells, saved


def test_typing_is_parsed_like_calc_and_locked_cells_refuse(typed) -> None:
    _root, cells, _saved = typed
    # 2024-03-05, 2024/3/6 and 2024年3月7日 are all dates to a zh-CN Calc; 1,200 is a number
    assert [d["shown"] for d in cells["dates"]] == ["2024-03-05", "2024-03-06", "2024-03-07"]
    assert [a["number"] for a in cells["amounts"]] == [1200.0, 800.5]
    typed_in, header = cells["keyboard"]
    assert typed_in == {"text": "能输入"}
    assert header["text"].rstrip("*") == schema.LEADS.column("project_name").name  # refused: the cell is locked


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_consolidate_reads_what_was_typed(typed, fmt: str, tmp_path: Path) -> None:
    root, _cells, saved = typed
    ws_root = tmp_path / "ws"
    shutil.copytree(root, ws_root, ignore=shutil.ignore_patterns("输出", "2024-*"))
    folder = ws_root / "2024-03"
    folder.mkdir()
    shutil.copy(saved[fmt], folder / saved[fmt].name)
    ws: Workspace = open_workspace(ws_root)
    result = consolidate_month(ws, folder, MARCH, today=dt.date(2024, 4, 5))
    [sub] = result.submissions
    assert sub.status == "accepted" and sub.unit_code == "C01", [i.render() for i in sub.issues]
    engine = create_engine(f"sqlite:///{ws.state_dir / 'ledger.sqlite'}")
    with engine.connect() as conn:
        contacts = conn.execute(select(t.contacts).order_by(t.contacts.c.date)).mappings().all()
        [project] = conn.execute(select(t.projects)).mappings().all()
        [submission] = conn.execute(select(t.submissions)).mappings().all()
    engine.dispose()
    assert [(c["date"], c["investor"], c["phone"]) for c in contacts] == [
        (dt.date(2024, 3, 5), "钱七", "13912345678"), (dt.date(2024, 3, 6), "孙八", "13912345678"),
        (dt.date(2024, 3, 7), "周九", "13912345678")]
    assert (project["total_investment"], project["fixed_assets"]) == (Decimal(1200), Decimal("800.5"))
    assert project["provided_on"] == dt.date(2024, 3, 8) and project["stage"] == "洽谈"
    assert (submission["reporter"], submission["reporter_phone"], submission["reported_on"]) == (
        "李秀英", "13812345678", dt.date(2024, 4, 3))


# --- every output workbook through LibreOffice to PDF ----------------------------------------------


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One of each kind of workbook zsxls writes, from the samples."""
    from click.testing import CliRunner

    root = copy_samples(tmp_path_factory.mktemp("render") / "samples")
    for args in (["annual", "2024"], ["quarterly", "2024Q1"], ["halfyear", "2024H1"],
                 ["template", "2024-04", "--unit", "C07", "--tax", "2024"], ["consolidate", str(root / "2024-03")]):
        result = CliRunner().invoke(cli, [*args, "-w", str(root)])
        assert result.exit_code in (0, 1), result.output
    out = root / "输出"
    return {
        "一月一交流": out / "2024-03_一月一交流.xlsx", "一季一评比": out / "2024Q1_一季一评比.xlsx",
        "半年小结": out / "2024H1_半年小结.xlsx", "年终考核": out / "2024_年终考核.xlsx",
        "回执": out / "回执" / "2024-03" / "C07_回执.xlsx", "税收台账回执": out / "回执" / "税收台账_回执.xlsx",
        "线索甄别": out / "2024-03_线索甄别.xlsx", "月报模板": next((out / "模板" / "2024-04").glob("C07_*.xlsx")),
        "税收台账": out / "模板" / "2024_税收台账.xlsx", "目标责任表": root / schema.ROSTER_FILE,
    }


@pytest.fixture(scope="module")
def pdfs(outputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, office.Pdf]:
    made = office.to_pdf(list(outputs.values()), tmp_path_factory.mktemp("pdf"))
    missing = [kind for kind, path in outputs.items() if not made[path].exists()]
    assert missing == [], f"LibreOffice could not load: {missing}"
    return {kind: office.read_pdf(made[path]) for kind, path in outputs.items()}


KINDS = ["一月一交流", "一季一评比", "半年小结", "年终考核", "回执", "税收台账回执", "线索甄别", "月报模板", "税收台账",
         "目标责任表"]


@pytest.mark.parametrize("kind", KINDS)
def test_prints_in_chinese_on_a4_landscape(pdfs: dict[str, office.Pdf], kind: str) -> None:
    pdf = pdfs[kind]
    assert pdf.pages, "no pages"
    assert any(office.CJK_FONTS.search(f) for f in pdf.fonts), f"no CJK font in {pdf.fonts}"
    text = "\n".join(pdf.pages)
    assert "###" not in text, "a number too wide for its column"
    assert sum(ch >= "\u4e00" for ch in text) > 20  # Chinese came through as text
    assert all(round(w) == 842 and round(h) == 595 for w, h in pdf.sizes), pdf.sizes  # A4 landscape


@pytest.mark.parametrize("kind", KINDS)
def test_every_sheet_prints_one_page_wide(outputs: dict[str, Path], pdfs: dict[str, office.Pdf], kind: str) -> None:
    """Each page's footer names its sheet (&A); a page of a sheet printed wider than one page
    would lack that sheet's first column (codes and labels, header repeated on every page)."""
    wb = load_workbook(outputs[kind])
    first_column = {ws.title: {str(v).rstrip("*") for (v,) in ws.iter_rows(min_col=1, max_col=1, values_only=True)
                               if isinstance(v, str) and len(v.strip()) >= 2}
                    for ws in wb.worksheets if ws.sheet_state == "visible"}
    for n, page in enumerate(pdfs[kind].pages, start=1):
        footer = next(line for line in reversed(page.splitlines()) if "页，共" in line)
        sheet = max((s for s in first_column if s in footer), key=len, default=None)
        assert sheet is not None, f"page {n}: footer names no sheet: {footer!r}"
        assert any(v[:12] in page for v in first_column[sheet]), f"page {n} of {sheet} lacks its first column"
