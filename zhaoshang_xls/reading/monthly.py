"""One returned monthly file -> a Submission: who sent it, for which month, its rows, its issues.

Identification goes through the very hidden ``_meta`` sheet (unit, month, version, token),
falling back to the 基本信息 form. Nothing here raises for a bad file: every problem is an
Issue, and a file with a file-level error is marked rejected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.issues import Level
from zhaoshang_xls.periods import Month, parse_month
from zhaoshang_xls.reading.detect import (
    MAX_DATA_ROWS,
    FileKind,
    check_zip_limits,
    decrypt,
    detect_kind,
    is_strict_ooxml,
)
from zhaoshang_xls.reading.formulas import uncalculated_formulas
from zhaoshang_xls.reading.normalize import normalize_value
from zhaoshang_xls.reading.table import read_table
from zhaoshang_xls.reading.workbook import RawSheet, TooManyRows, cell_ref, read_html_tables, read_workbook
from zhaoshang_xls.records import ACCEPTED, REJECTED, SUPERSEDED, Submission
from zhaoshang_xls.roster import Roster
from zhaoshang_xls.tokens import token_matches

# Sheets whose absence rejects the file; a missing 项目进展 only warns (a unit with no
# projects yet may delete the empty sheet).
_REQUIRED_SHEETS = (schema.BASIC, schema.CONTACTS, schema.LEADS)


def read_submission(path: Path, roster: Roster, folder_month: Month | None, secret: bytes, *, name: str | None = None,
                    modified: dt.datetime | None = None, received: dt.datetime | None = None) -> Submission:
    """Read and identify one file; every problem becomes an issue on the submission.

    ``name`` and ``modified`` stand in for the file's own when reading an archived copy;
    ``folder_month`` None (``zsxls check`` on a loose file) takes the month the file declares.
    """
    data = path.read_bytes()
    sub = Submission(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        modified=modified or dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0),
        file_name=name or path.name,
        month=folder_month,  # what the folder says, until the file itself says otherwise
        received=received,
    )
    sheets, data = _open(sub, data)
    if sheets is None:
        return sub
    meta = read_meta(sheets)
    sub.sheets = {name: raw for name, raw in sheets.items() if name != schema.META_SHEET_NAME}
    found = {spec.key: raw for name, raw in sheets.items()
             if (spec := schema.sheet_by_name(schema.MONTHLY_SHEETS, name)) is not None}
    if not meta and len(found) < 2:
        names = "”“".join(s.name for s in schema.DATA_SHEETS[:2])
        sub.reject("F03", f"这不是本系统下发的月报模板（找不到“{names}”等工作表）。"
                          "请用招商办下发的本单位模板重新填写。")
        return sub
    if schema.BASIC.key in found:
        sub.basic = _read_form(found[schema.BASIC.key], sub, folder_month)
    formulas = uncalculated_formulas(data)  # {} for anything but xlsx
    _identify(sub, meta, roster, folder_month, secret)
    for spec in schema.DATA_SHEETS:
        raw = found.get(spec.key)
        if raw is None:
            if spec in _REQUIRED_SHEETS:
                sub.reject("S01", f"缺少工作表“{spec.name}”：请不要删除或重命名模板中的工作表。", spec.name)
            else:
                sub.add("S01", Level.WARNING, f"缺少工作表“{spec.name}”，本月项目进展未读取。", spec.name)
            continue
        table = read_table(raw, spec, sub.name, sub.month or folder_month, formulas.get(raw.name, frozenset()))
        sub.tables[spec.key] = table
        sub.issues += table.issues
        if any(i.code == "S02" and i.level is Level.ERROR for i in table.issues):
            sub.status = REJECTED
    return sub


_FORMAT_NAMES = {FileKind.OLE2: "旧版 Excel（.xls）或 WPS(.et)", FileKind.ODS: "OpenDocument(.ods)",
                 FileKind.XLSB: "Excel 二进制工作簿（.xlsb）", FileKind.HTML: "网页表格（另存为 .xls 的 HTML）"}
_MAX_SHEET_ROWS = MAX_DATA_ROWS + 20  # data rows plus the title, header and example rows


def _open(sub: Submission, data: bytes) -> tuple[dict[str, RawSheet] | None, bytes]:
    """Parse the file's bytes into raw sheets (and the bytes parsed, decrypted if need be), or
    reject it with F01 / F02 / F10 (F09 warns)."""
    kind = detect_kind(data)
    if kind is FileKind.EMPTY:
        sub.reject("F01", "文件是空的（0 字节）：请重新保存后再发送。")
        return None, data
    if kind is FileKind.OLE2:
        try:
            decrypted = decrypt(data)
        except ValueError:
            sub.reject("F02", "文件设置了打开密码，无法读取。请在 Excel/WPS 中取消密码（文件 → 信息 → 保护工作簿 → "
                              "用密码进行加密，清空密码）后重新保存发送。")
            return None, data
        if decrypted is not None:
            data, kind = decrypted, detect_kind(decrypted)
    if kind is FileKind.UNKNOWN:
        sub.reject("F01", "文件无法打开：它不是 Excel 表格，或者已损坏、未完整发送。请重新保存为 .xlsx 后再发送。")
        return None, data
    if kind in (FileKind.XLSX, FileKind.XLSB, FileKind.ODS):
        if kind is FileKind.XLSX and is_strict_ooxml(data):
            sub.reject("F01", "文件是“Strict Open XML”格式，无法可靠读取。"
                              "请在 Excel 中“另存为 → Excel 工作簿（*.xlsx）”"
                              "（不要选 Strict Open XML）后重新发送。")
            return None, data
        problem = check_zip_limits(data)
        if problem is not None:
            sub.reject("F10", problem.message)
            return None, data
    if kind in _FORMAT_NAMES:
        sub.add("F09", Level.WARNING, f"文件是{_FORMAT_NAMES[kind]}格式，已尽量读取；请以后使用下发的 .xlsx 模板，"
                                      "不要另存为其他格式。")
    try:
        if kind is FileKind.HTML:
            return read_html_tables(data), data
        return read_workbook(data, max_rows=_MAX_SHEET_ROWS), data
    except TooManyRows as exc:
        sub.reject("F10", f"工作表“{exc.sheet}”有 {exc.rows} 行，超过 {MAX_DATA_ROWS} 行的上限。"
                          "请删除多余的空行或无关数据后重新发送。", exc.sheet)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # every reader failure is one clear issue (calamine may even panic)
        sub.reject("F01", f"文件无法打开（{type(exc).__name__}）：可能已损坏或未完整发送。"
                          "请用 Excel/WPS 打开确认后另存为 .xlsx 再发送。")
    return None, data


def read_meta(sheets: dict[str, RawSheet]) -> dict[str, str]:
    raw = sheets.get(schema.META_SHEET_NAME)
    if raw is None:
        return {}
    meta = {}
    for row in raw.rows:
        if len(row) >= 2 and isinstance(row[0], str) and row[0] in (*schema.META_KEYS, "kind"):
            meta[row[0]] = "" if row[1] is None else str(row[1]).strip()
    return meta


def _read_form(raw: RawSheet, sub: Submission, month: Month | None) -> dict[str, Any]:
    """基本信息: labels in column A, values in column B (rows may have moved)."""
    values: dict[str, Any] = {}
    for r, row in enumerate(raw.rows):
        col = schema.BASIC.match_header(row[0] if row else None)
        if col is None or col.key in values:
            continue
        cell = cell_ref(r, 1)
        parsed = normalize_value(col, raw.value(r, 1), month)
        if parsed.code is not None:
            sub.add(parsed.code, Level.WARNING, f"“{col.name}”填写有误，已忽略。", schema.BASIC.name, cell)
        elif parsed.value is not None:
            values[col.key] = parsed.value
        elif col.required and not col.prefilled:
            sub.add("R01", Level.WARNING, f"“{col.name}”未填写，请补填。", schema.BASIC.name, cell)
    return values


def _identify(sub: Submission, meta: dict[str, str], roster: Roster, folder_month: Month | None,
              secret: bytes) -> None:
    unit = meta.get("unit") or sub.basic.get("unit_code")
    month_text = meta.get("month") or str(sub.basic.get("month") or "")
    sub.unit_code = str(unit).strip().upper() if unit else None
    sub.month = parse_month(month_text) if month_text else None
    sub.version = meta.get("version") or None
    if sub.version and sub.version != schema.TEMPLATE_VERSION:
        sub.add("F06", Level.WARNING,
                f"这是旧版模板（版本 {sub.version}），已按旧版格式读取；下月请使用新下发的模板。")
    token = meta.get("token")
    if token and sub.unit_code and meta.get("month"):
        version = sub.version or schema.TEMPLATE_VERSION
        if not token_matches(secret, token, sub.unit_code, meta["month"], version):
            sub.reject("F08", "模板校验码不符：这份模板不是发给本单位本月的，或隐藏的 _meta 表被改动过。"
                              "请用招商办下发的本单位本月模板重新填写。", schema.META_SHEET_NAME)
    if sub.unit_code is None:
        sub.reject("F04", "无法确定是哪个单位的报表（基本信息中没有单位编码）。请用本单位模板填写。",
                   schema.BASIC.name)
    elif roster.unit(sub.unit_code) is None:
        sub.reject("F04", f"{schema.BASIC.column('unit_code').name} {sub.unit_code} 不在目标责任表中。"
                          "请核对单位编码，或请招商办更新目标责任表。",
                   schema.BASIC.name)
    if sub.month is None and folder_month is None:
        sub.reject("F05", "无法确定这份报表是哪个月的（基本信息中没有填报月份）。请用招商办下发的当月模板填写。",
                   schema.BASIC.name)
    elif sub.month is None:
        sub.month = folder_month
    elif folder_month is not None and sub.month != folder_month:
        sub.reject("F05", f"这是 {sub.month.label} 的报表，却放在了 {folder_month.label} 的文件夹中。"
                          f"请放入 {sub.month} 文件夹，或改用 {folder_month.label} 的模板。")


__all__ = ["ACCEPTED", "REJECTED", "SUPERSEDED", "Submission", "read_meta", "read_submission"]
