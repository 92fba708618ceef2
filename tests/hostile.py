"""A corpus of hostile and broken monthly files, made by code (no committed binaries).

``build_corpus(ws, folder)`` writes every case into ``folder`` and returns {file name: the
issue code it must produce} (``None``: read normally). Cases needing LibreOffice (legacy
``.xls`` and ``.ods`` saved by a real office suite) are made only when ``soffice`` exists.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from tests.factory import contact, lead, make_file
from zhaoshang_xls.periods import Month
from zhaoshang_xls.workspace import Workspace

MARCH = Month(2024, 3)
INJECTION = '=HYPERLINK("http://evil.example","点我")'


def _good(ws: Workspace, unit: str, name: str, **kwargs) -> Path:
    cadre = "李秀英" if unit == "C01" else "张伟"
    default = {"contacts": [contact(dt.date(2024, 3, 5), cadre, "钱七", "苏州恒瑞食品有限公司")]}
    rows = kwargs.pop("rows", None) or default
    return make_file(ws, unit, MARCH, rows=rows, name=name, **kwargs)


def _rezip(src: Path, dst: Path, change) -> Path:
    """Copy an xlsx, passing each entry's bytes through ``change(name, data)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
    return dst


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(src: Path, fmt: str, out_dir: Path) -> Path:
    """Save ``src`` as ``fmt`` (xls, ods) through headless LibreOffice with a private profile."""
    office = soffice()
    assert office
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([office, "--headless", "--norestore", "--nolockcheck",
                        f"-env:UserInstallation=file://{profile}", "--convert-to", fmt, "--outdir", str(out_dir),
                        str(src)], check=True, capture_output=True, timeout=180, env={
                            "HOME": profile, "PATH": "/usr/bin:/bin"})
    out = out_dir / f"{src.stem}.{fmt}"
    assert out.exists(), f"LibreOffice did not write {out.name}"
    return out


def build_corpus(ws: Workspace, folder: Path) -> dict[str, str | None]:
    """Write the corpus; values are the issue code each file must get ("A|B": either)."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}
    scratch = Path(tempfile.mkdtemp())
    good = _good(ws, "C01", "good.xlsx")
    shutil.move(good, folder / "C01_好文件.xlsx")
    expected["C01_好文件.xlsx"] = None
    base = _good(ws, "D01", "base.xlsx")
    shutil.move(base, scratch / "base.xlsx")
    base = scratch / "base.xlsx"
    data = base.read_bytes()

    (folder / "空文件.xlsx").write_bytes(b"")
    expected["空文件.xlsx"] = "F01"
    (folder / "文字改名.xlsx").write_text("这是一封邮件的正文,不是表格。", encoding="utf-8")
    expected["文字改名.xlsx"] = "F01"
    (folder / "截断.xlsx").write_bytes(data[: len(data) // 2])
    expected["截断.xlsx"] = "F01"
    corrupt = bytearray(data)
    for i in range(200, len(corrupt) - 200, 97):
        corrupt[i] ^= 0x5A
    (folder / "损坏.xlsx").write_bytes(bytes(corrupt))
    expected["损坏.xlsx"] = "F01|F10"  # damaged sizes in the zip directory can look like a bomb

    # Encrypted: with Excel's default "read-only recommended" password it is opened; else F02.
    import msoffcrypto.format.ooxml as ooxml

    for name, password, code in (("只读加密.xlsx", "VelvetSweatshop", None), ("密码.xlsx", "s3cret", "F02")):
        out = io.BytesIO()
        ooxml.OOXMLFile(io.BytesIO(data)).encrypt(password, out)
        (folder / name).write_bytes(out.getvalue())
        expected[name] = code

    (folder / "网页导出.xls").write_text(
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>客商姓名</td><td>企业名称</td></tr>"
        "<tr><td>钱七</td><td>恒瑞</td></tr></table></body></html>", encoding="utf-8")
    expected["网页导出.xls"] = "F03"  # read (F09) but it is no template

    strict = _rezip(base, scratch / "strict.xlsx", lambda n, d: d.replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        b"http://purl.oclc.org/ooxml/spreadsheetml/main") if n == "xl/workbook.xml" else d)
    shutil.move(strict, folder / "严格格式.xlsx")
    expected["严格格式.xlsx"] = "F01"

    bomb_row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    _rezip(base, folder / "压缩炸弹.xlsx", lambda n, d: d.replace(b"</sheetData>", bomb_row * 1_000_000 +
                                                              b"</sheetData>", 1) if n == "xl/worksheets/sheet3.xml"
           else d)
    expected["压缩炸弹.xlsx"] = "F10"

    import xlsxwriter

    book = xlsxwriter.Workbook(str(folder / "十万行.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("客商结交")
    for r in range(100_000):
        sheet.write_row(r, 0, [r, "2024-03-05", "张伟", f"客商{r}", f"公司{r}"])
    book.close()
    expected["十万行.xlsx"] = "F10"

    # Identity: a template issued to another unit, and an edited _meta.
    from openpyxl import load_workbook

    def edit_meta(key: str, value: str, name: str) -> None:
        wb = load_workbook(base)
        for row in wb["_meta"].iter_rows():
            if row[0].value == key:
                row[1].value = value
        wb.save(folder / name)
        expected[name] = "F08"

    edit_meta("unit", "C01", "别人的模板.xlsx")  # a template issued to another unit
    edit_meta("month", "2024-02", "改过meta.xlsx")  # _meta edited by hand
    feb = make_file(ws, "D01", Month(2024, 2), name="二月的.xlsx")
    shutil.move(feb, folder / "二月的.xlsx")
    expected["二月的.xlsx"] = "F05"

    # Layout mischief that must still read: moved columns, merged cells, hidden rows,
    # formula-looking text everywhere. These come from D01 (a second D01 file supersedes: F07).
    messy = load_workbook(base)
    ws_c = messy["客商结交"]
    ws_c.protection.sheet = False
    for r in range(2, 8):  # swap 客商姓名 (D) and 企业名称 (E)
        d, e = ws_c.cell(row=r, column=4).value, ws_c.cell(row=r, column=5).value
        ws_c.cell(row=r, column=4).value, ws_c.cell(row=r, column=5).value = e, d
    ws_c.merge_cells("K5:K6")
    ws_c.row_dimensions[5].hidden = True
    ws_c["B5"], ws_c["C5"] = dt.datetime(2024, 3, 6), "张伟"
    for ref in ("D5", "E5", "F5", "H5", "K5"):  # every free-text column: 客商姓名, 企业名称, 职务, 所在地, 备注
        ws_c[ref] = INJECTION
        ws_c[ref].data_type = "s"  # typed as text (a leading apostrophe), as a prankster would
    messy.save(folder / "D01_乱七八糟.xlsx")
    expected["D01_乱七八糟.xlsx"] = "S02"

    if soffice():
        for fmt in ("xls", "ods"):
            converted = convert(base, fmt, scratch)
            shutil.move(converted, folder / f"D01_旧格式.{fmt}")
            expected[f"D01_旧格式.{fmt}"] = "F09"
    shutil.rmtree(scratch, ignore_errors=True)
    return expected


__all__ = ["INJECTION", "build_corpus", "convert", "lead", "soffice"]
