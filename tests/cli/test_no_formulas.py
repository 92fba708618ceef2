"""User text is never a formula in any file zsxls writes (docs/architecture.md, "User text").

OWASP's formula-injection payloads go through every text field a person types — the roster's
names, each column of a monthly file, a mail's subject and attachment name — and then every
command runs. Every workbook written (reports, receipts, templates with their hidden sheets,
线索甄别, 税收台账, 目标责任表) is scanned: no formula element in any sheet, and every string cell
that starts like a formula is quote-prefixed; every field of 收件记录.csv that starts like one
begins with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from openpyxl import load_workbook

from tests.factory import contact, lead, make_file
from zhaoshang_xls.compute.projects import progress_prefill
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.ledger import open_ledger
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reports.templates import build_roster_template
from zhaoshang_xls.text import FORMULA_START
from zhaoshang_xls.workspace import Workspace

# https://owasp.org/www-community/attacks/CSV_Injection and the variants seen in the field
PAYLOADS = (
    '=HYPERLINK("http://x","点此")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,1)",
    "-2+3",
    "@SUM(1+1)",
    "\t=3+3",
    "\r=1+1",
    " =1+1",  # a leading space is trimmed by the reader: "=1+1"
    "\uff1d1+1",  # full-width =, a formula in WPS
    '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
)
MAR, APR = Month(2024, 3), Month(2024, 4)
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_FORMULA_ELEMENT = re.compile(rb"<f[ >/]")  # a cell formula (a sparkline's <xm:f> is our own range)


def _roster(ws: Workspace) -> None:
    units = (
        {"unit_code": "LD", "unit_name": "区领导班子", "unit_type": "区领导"},
        {"unit_code": "C01", "unit_name": PAYLOADS[1], "unit_type": "村", "group": PAYLOADS[2], "target_amount": 3000,
         "target_projects": 2, "village_cadres": 5, "focus": PAYLOADS[3]},
        {"unit_code": "D01", "unit_name": "招商局", "unit_type": "部门", "target_amount": 20000, "target_projects": 5,
         "headcount": 12},
    )
    cadres = (
        {"cadre_code": "R001", "name": "王建国", "unit_code": "LD", "rank": "区领导", "full_time": "否"},
        {"cadre_code": "R002", "name": "=李秀英", "unit_code": "C01", "rank": "一般", "full_time": "是"},
        {"cadre_code": "R004", "name": PAYLOADS[0], "unit_code": "C01", "rank": "一般", "full_time": "否"},
        {"cadre_code": "R003", "name": "张伟", "unit_code": "D01", "rank": "中层", "full_time": "是"},
    )
    write_atomic(ws.roster_path, lambda tmp: build_roster_template(units, cadres).save(tmp))


def _march_files(ws: Workspace, tmp: Path) -> Path:
    day = dt.date(2024, 3, 8)
    rows = {
        "contacts": [contact(day, "=李秀英", PAYLOADS[2], PAYLOADS[1], title=PAYLOADS[3], location=PAYLOADS[4],
                             note=PAYLOADS[5])],
        "leads": [
            lead(PAYLOADS[0], PAYLOADS[1], PAYLOADS[7], day, 3000, fixed_assets=2000, investor_location=PAYLOADS[6],
                 summary=PAYLOADS[8], stage="开工", signed_on=dt.date(2024, 3, 2), started_on=day),
            lead(PAYLOADS[5], PAYLOADS[9], "=李秀英", day, 800, fixed_assets=600, summary=PAYLOADS[4]),
        ],
    }
    c01 = make_file(ws, "C01", MAR, rows=rows, basic={"reporter": PAYLOADS[4]}, name="tmp.xlsx")
    data = c01.read_bytes()
    c01.unlink()
    make_file(ws, "D01", MAR, rows={"leads": [lead(PAYLOADS[0], PAYLOADS[1], "张伟", day, 3000)]})
    box = tmp / "邮件"
    box.mkdir()
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = f'"{PAYLOADS[1]}" <c01@zs.example.cn>', "zsb@zs.example.cn", PAYLOADS[0]
    msg["Date"] = format_datetime(dt.datetime(2024, 4, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    msg.set_content("报表见附件。")
    msg.add_attachment(data, *XLSX, filename="=1+1.xlsx")
    (box / "1.eml").write_bytes(msg.as_bytes())
    return box


def _risky_cells(path: Path) -> list[str]:
    """Every string cell starting like a formula; fails on a formula or a risky cell without a quote prefix."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not _FORMULA_ELEMENT.search(z.read(name)), f"{path.name}:{name} holds a formula"
    found = []
    wb = load_workbook(path)
    for sheet in wb.worksheets:  # hidden and very hidden sheets too (列表, _meta)
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name}!{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.quotePrefix, f"{path.name}!{sheet.title}!{cell.coordinate} {cell.value!r}"
                    found.append(f"{sheet.title}:{cell.value}")
    return found


def test_payloads_in_every_text_field_never_become_formulas(workspace: Workspace, run, tmp_path: Path) -> None:
    ws = workspace
    _roster(ws)

    def ok(*args: str) -> None:
        result = run(list(args), cwd=ws.root)
        print(result.output)
        assert result.exit_code in (0, 1), result.output  # 1: some files had problems (R-codes), by design
        assert "Traceback" not in result.output and "内部错误" not in result.output

    ok("template", "2024-03")
    box = _march_files(ws, tmp_path)
    ok("collect", str(box), "--month", "2024-03")
    ok("consolidate", "2024-03")
    with open_ledger(ws) as ledger:
        projects = tuple(progress_prefill(ledger.frames(str(MAR)), APR).get("C01", ()))
    ok("template", "2024-04")
    started = next(p for p in projects if p["project_name"] == PAYLOADS[0])
    make_file(ws, "C01", APR, projects=projects, basic={"reporter": PAYLOADS[4]}, rows={"progress": [
        {"project_id": started["project_id"], "stage": "开工", "fixed_assets_actual": 500,
         "progress_note": PAYLOADS[9], "help_needed": PAYLOADS[0]}]})
    ok("consolidate", "2024-04")
    ok("template", "--tax", "2024")
    ok("quarterly", "2024Q2")
    ok("halfyear", "2024H1")
    ok("annual", "2024")
    (ws.root / "2024-05").mkdir()
    ok("status", "2024-05")
    ok("check", str(ws.root / "2024-04"))

    written = sorted(p for p in ws.root.rglob("*.xlsx") if ws.root / "2024-03" not in p.parents
                     and ws.root / "2024-04" not in p.parents and ".zsxls" not in p.parts)
    risky = {p.relative_to(ws.root).as_posix(): _risky_cells(p) for p in written}
    # the payloads reached every kind of file (the test would catch a writer that lost its guard)
    def where(pattern: str) -> list[str]:
        return [v for k, cells in risky.items() if re.search(pattern, k) for v in cells]

    assert any(v.startswith("_meta:") for v in where(r"模板/2024-04/C01_")), "unit name in _meta"
    assert any(v.startswith("列表:") for v in where(r"模板/2024-04/C01_")), "cadre names in the hidden list"
    assert any(v.startswith("项目进展:") for v in where(r"模板/2024-04/C01_")), "project names prefilled"
    assert any(v.startswith("基本信息:") for v in where(r"模板/2024-03/C01_"))
    for pattern in ("2024-03_一月一交流", "2024-04_一月一交流", "2024-03_线索甄别", "2024Q2_一季一评比",
                    "2024H1_半年小结", "2024_年终考核", "2024_税收台账", "回执/.*C01", "目标责任表"):
        assert where(pattern), f"no payload reached {pattern}: {sorted(risky)}"

    log = ws.root / "2024-03" / "收件记录.csv"
    with log.open(encoding="utf-8-sig", newline="") as f:
        fields = [v for row in csv.reader(f) for v in row]
    assert "'=1+1.xlsx" in fields and "'" + PAYLOADS[0] in fields
    assert not [v for v in fields if v.startswith(FORMULA_START)]
    # and the log still does its job: the mail date of the saved file is read back (迟报 evidence)
    from zhaoshang_xls.usecases.collect import received_dates

    assert list(received_dates(ws.root / "2024-03").values()) == [dt.datetime(2024, 4, 3, 9, 30)]
