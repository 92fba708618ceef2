"""回执: what each unit gets back for each file it sent (SPEC §8).

A first sheet ``校验结果`` (status, the unit's accepted figures against its targets, every
issue), then the unit's own sheets as it sent them, each problem cell filled red (错误) or
yellow (警告) with a comment carrying the message. Phone numbers are not masked here: it is the
unit's own data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.config import Config
from zhaoshang_xls.issues import Issue, Level
from zhaoshang_xls.reading.taxes import TaxBook
from zhaoshang_xls.records import ACCEPTED, REJECTED, SUPERSEDED, Submission, UnitState
from zhaoshang_xls.reports.style import FONT, Col, Report, footer, wrapped_lines
from zhaoshang_xls.schema import FILE_STATUS_LABELS
from zhaoshang_xls.text import display_width, safe_filename

RESULT_SHEET = "校验结果"
_COPY_WIDTH = 24  # the widest column of a copied sheet, in characters (longer text wraps)
_RED, _YELLOW = "#FFC7CE", "#FFEB9C"
ISSUE_COLUMNS = (Col(schema.CONTACTS.column("seq").name, "n", "int", 6), Col("级别", "level", "center", 8),
                 Col("代码", "code", "center", 8),
                 Col("位置", "where", "text", 14), Col("问题及处理办法", "message", "wrap", 80))


def receipt_name(sub: Submission) -> str:
    """``C01_回执.xlsx``; a superseded or unidentified file gets its own name in the receipt's."""
    stem = safe_filename(Path(sub.name).stem)
    if sub.unit_code is None:
        return f"未识别_{stem}_回执.xlsx"
    if sub.status == "superseded":
        return f"{safe_filename(sub.unit_code)}_回执_{stem}.xlsx"
    return f"{safe_filename(sub.unit_code)}_回执.xlsx"


def write_receipt(folder: Path, sub: Submission, config: Config, unit_name: str | None,
                  generated: dt.datetime, counts: tuple[int, int] = (0, 0), state: UnitState | None = None,
                  unit_code: str | None = None) -> Path:
    """Write one receipt into ``folder`` (atomically) and return its path.

    ``counts`` are the (contacts, leads) the file gives its unit; ``state`` the unit's 报送状态
    for the month (its 迟报 verdict is told when this file is the one that counts); ``unit_code``
    the unit the file belongs to (from its file name when the file could not say)."""
    month = sub.month.label if sub.month else ""
    code = unit_code or sub.unit_code
    who = f"{unit_name}（{code}）" if unit_name else (code or "未识别的单位")
    report = Report(f"{who} {month}月报回执", f"文件：{sub.name}", generated)
    _result_sheet(report, sub, config, counts, state)
    marks = _marks(sub.issues)
    for name, raw in sub.sheets.items():
        if name == schema.GUIDE_SHEET_NAME and name not in marks:
            continue  # our own instructions: nothing of the unit's to show
        _copy_sheet(report, name, raw.rows, marks.get(name, {}))
    return report.save(folder / receipt_name(sub))


def _result_sheet(report: Report, sub: Submission, config: Config, counts: tuple[int, int],
                  state: UnitState | None) -> None:
    ws = report.sheet(RESULT_SHEET)
    lines = [f"处理结果：{FILE_STATUS_LABELS[sub.status]}" + ("，本文件不计入" if sub.status == SUPERSEDED else "")]
    if sub.status == SUPERSEDED and state is not None and state.file and state.file != sub.name:
        lines.append(f"本单位本月以“{state.file}”为准，请看该文件的回执。")
    if sub.status == REJECTED:
        reasons = [i.message for i in sub.issues if i.level is Level.ERROR][:3]
        lines.append("退回原因：" + "；".join(reasons))
        lines.append("请按下表修改后重新发送本月报表（用原模板修改即可，不要换用别的单位或月份的模板）。")
    elif sub.status == ACCEPTED:
        contacts, leads = counts
        target_c, target_l = config.monthly.contacts, config.monthly.leads
        met = "已达标" if contacts >= target_c and leads >= target_l else "未达标"
        lines.append(f"本月有效数据：结交客商 {contacts} 人（目标 {target_c} 人以上），"
                     f"报送项目信息 {leads} 条（目标 {target_l} 条以上），{met}。")
        errors = sum(i.level is Level.ERROR for i in sub.issues)
        if errors:
            lines.append(f"有 {errors} 处错误，所在行未计入；请按下表修改，下次报送时一并更正。")
        if state is not None and state.file == sub.name and state.late and state.due is not None:
            lines.append(f"迟报：{state.reason}。")
    _issue_list(report, ws, lines, sub.issues)


def write_file_receipt(path: Path, title: str, subtitle: str, lines: list[str], issues: list[Issue],
                       sheets: dict[str, Any], generated: dt.datetime) -> Path:
    """A receipt for a workbook that is not a monthly file (税收台账): the result lines, every
    issue, then the file's sheets with the problem cells marked."""
    report = Report(title, subtitle, generated)
    _issue_list(report, report.sheet(RESULT_SHEET), lines, issues)
    marks = _marks(issues)
    for name, raw in sheets.items():
        _copy_sheet(report, name, raw.rows, marks.get(name, {}))
    return report.save(path)


def _issue_list(report: Report, ws: Any, lines: list[str], issues: list[Issue]) -> None:
    if not issues:
        lines = [*lines, "未发现问题，谢谢!"]
    for r, line in enumerate(lines, start=3):
        report.write_text(ws, r, 0, line, report.strong_fmt if r == 3 else report.period_fmt)
    rows = [{"n": n, "level": i.level.label, "code": i.code, "where": i.where, "message": i.message}
            for n, i in enumerate(issues, start=1)]
    first = len(lines) + 4
    if rows:
        report.table(ws, ISSUE_COLUMNS, rows, first_row=first)
        ws.conditional_format(first + 1, 1, first + len(rows), 1, {
            "type": "cell", "criteria": "==", "value": '"错误"', "format": report.bad})


def _marks(issues: list[Issue]) -> dict[str, dict[tuple[int, int], list[Issue]]]:
    """Sheet -> 0-based (row, col) -> the issues at that cell."""
    marks: dict[str, dict[tuple[int, int], list[Issue]]] = defaultdict(lambda: defaultdict(list))
    for issue in issues:
        if issue.sheet and issue.cell:
            letters = "".join(ch for ch in issue.cell if ch.isalpha())
            digits = "".join(ch for ch in issue.cell if ch.isdigit())
            col = 0
            for ch in letters:
                col = col * 26 + ord(ch.upper()) - 64
            marks[issue.sheet][(int(digits) - 1, col - 1)].append(issue)
    return marks


def _copy_sheet(report: Report, name: str, rows: list[list[Any]],
                marks: dict[tuple[int, int], list[Issue]]) -> None:
    """The unit's sheet, cell by cell as read, with problem cells marked."""
    ws = report.book.add_worksheet(report.sheet_name(name))  # any name a unit gave its sheet
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_footer(footer(report.title))
    widths: dict[int, int] = {}
    lines: dict[int, int] = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            issues = marks.get((r, c))
            fill = (_RED if _worst(issues) is Level.ERROR else _YELLOW) if issues else None
            if value is None or value == "":
                if fill:
                    report.write_value(ws, r, c, None, "text", fill)
                continue
            alone = sum(v not in (None, "") for v in row) == 1  # a title or note: it may overflow
            wide = not alone and display_width(str(value)) > _COPY_WIDTH  # long text wraps instead
            kind = ("date" if isinstance(value, (dt.date, dt.datetime)) else
                    "wan" if isinstance(value, float) and not value.is_integer() else
                    "int" if isinstance(value, (int, float)) and not isinstance(value, bool) else
                    "wrap" if wide else "text")
            report.write_value(ws, r, c, value, kind, fill)
            if not alone:
                widths[c] = max(widths.get(c, 0), display_width(str(value)))
            if wide:  # no office suite is relied on to grow the row
                lines[r] = max(lines.get(r, 1), wrapped_lines(str(value), _COPY_WIDTH))
    for (r, c), issues in marks.items():
        fill = _RED if _worst(issues) is Level.ERROR else _YELLOW
        if r >= len(rows) or c >= len(rows[r]):  # a cell beyond what the file holds
            report.write_value(ws, r, c, None, "text", fill)
        ws.write_comment(r, c, "\n".join(f"[{i.level.label} {i.code}] {i.message}" for i in issues),
                         {"x_scale": 2.4, "y_scale": 1.6, "font_name": FONT})
    for c, width in widths.items():
        ws.set_column(c, c, min(_COPY_WIDTH, max(6, width + 2)))
    for r, n in lines.items():
        ws.set_row(r, 14 * n)
    if len(rows) > 2:
        ws.repeat_rows(0, 1)  # the template's title and header rows on every printed page


def _worst(issues: list[Issue]) -> Level:
    return Level.ERROR if any(i.level is Level.ERROR for i in issues) else Level.WARNING


def tax_receipt_lines(book: TaxBook, when: dt.datetime) -> list[str]:
    """The result lines of a 税收台账's receipt."""
    errors = sum(i.level is Level.ERROR for i in book.issues)
    lines = [f"读取 {book.rows_read} 行，有效 {len(book.records)} 行"
             + (f"，年度：{'、'.join(str(y) for y in sorted(book.years))}" if book.years else "") + "。"]
    if errors:
        lines.append(f"有 {errors} 处错误，所在行未计入财税分成奖；请按下表修改后重新保存税收台账。")
    lines.append(f"读取时间：{when:%Y-%m-%d %H:%M}")
    return lines
