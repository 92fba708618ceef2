"""Writes the monthly template, the tax workbook and the roster workbook from ``schema``.

Templates are generated fresh with openpyxl every time (never by re-saving a user's file) so
that data validations, protection and the ``_meta`` sheet are exactly what the schema says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from copy import copy
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zhaoshang_xls import schema
from zhaoshang_xls.config import Config
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.workbook import column_letter
from zhaoshang_xls.reports.style import DATE_FORMAT, FONT, HEADER_FILL, MONEY_FORMAT, PAGE_NUMBERS, put
from zhaoshang_xls.schema import Column, DateRange, Kind, Sheet
from zhaoshang_xls.text import cn_date, display_width, safe_filename
from zhaoshang_xls.tokens import template_token

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from zhaoshang_xls.roster import Unit

FONT_NAME = FONT
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_FAR_PAST = dt.date(2000, 1, 1)
_FAR_FUTURE = dt.date(2099, 12, 31)
_LIST_LIMIT = 255  # characters of a literal dropdown list (commas included)
_NUMBER_FORMATS = {
    Kind.DATE: DATE_FORMAT,
    Kind.DECIMAL: MONEY_FORMAT,
    Kind.INT: "0",
    Kind.CODE: "@",
    Kind.PHONE: "@",
    Kind.TEXT: "@",
    Kind.NAME: "@",
    Kind.EMAIL: "@",
    Kind.CHOICE: "@",
}
# Columns whose dropdown offers the unit's cadres but accepts other names after a warning.
_CADRE_COLUMNS = {"cadre", "provider", "introducer", "reporter"}


def get_column_letter(index: int) -> str:
    """1-based column number -> letters."""
    return column_letter(index - 1)


@dataclass(frozen=True)
class MonthlyTemplate:
    """Everything one monthly template shows; ``unit=None`` makes the blank generic copy."""

    config: Config
    month: Month | None = None
    unit: Unit | None = None
    cadre_names: tuple[str, ...] = ()
    secret: bytes | None = None
    generated_at: dt.datetime = dt.datetime(2024, 1, 1)
    projects: tuple[Mapping[str, Any], ...] = ()  # 项目进展 prefill, by column key
    version: str = schema.TEMPLATE_VERSION

    @property
    def token(self) -> str:
        if self.unit is None or self.month is None or self.secret is None:
            return ""
        return template_token(self.secret, self.unit.code, str(self.month), self.version)


def monthly_template_name(unit: Unit, month: Month) -> str:
    """``C01_东湖村_2024-03.xlsx``"""
    return f"{safe_filename(unit.code)}_{safe_filename(unit.name)}_{month}.xlsx"


# ---------------------------------------------------------------- styles


@dataclass
class _Styles:
    """openpyxl style objects built once per workbook (importing openpyxl lazily)."""

    title: Any = None
    header: Any = None
    header_fill: Any = None
    border: Any = None
    example_font: Any = None
    example_fill: Any = None
    body: Any = None
    wrap: Any = None
    center: Any = None
    unlocked: Any = None
    locked: Any = None
    prefilled_fill: Any = None

    @classmethod
    def make(cls) -> _Styles:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        thin = Side(style="thin", color="999999")
        return cls(
            title=Font(name=FONT_NAME, size=14, bold=True),
            header=Font(name=FONT_NAME, size=11, bold=True),
            header_fill=PatternFill("solid", fgColor=HEADER_FILL.lstrip("#")),
            border=Border(left=thin, right=thin, top=thin, bottom=thin),
            example_font=Font(name=FONT_NAME, size=11, italic=True, color="808080"),
            example_fill=PatternFill("solid", fgColor="F2F2F2"),
            body=Font(name=FONT_NAME, size=11),
            wrap=Alignment(wrap_text=True, vertical="center"),
            center=Alignment(horizontal="center", vertical="center", wrap_text=True),
            unlocked=Protection(locked=False),
            locked=Protection(locked=True),
            prefilled_fill=PatternFill("solid", fgColor="FFF2CC"),
        )


# ---------------------------------------------------------------- monthly template


def build_monthly_template(spec: MonthlyTemplate) -> Workbook:
    """The monthly workbook: 填报说明, 基本信息, 客商结交, 项目信息, 项目进展, 列表, _meta."""
    from openpyxl import Workbook

    wb = Workbook()
    styles = _Styles.make()
    lists = _ListSheet(wb)
    guide = wb.active
    assert guide is not None
    guide.title = schema.GUIDE_SHEET_NAME
    _write_guide(guide, spec, styles)
    _write_form(wb.create_sheet(schema.BASIC.name), schema.BASIC, spec, styles, lists)
    for sheet in schema.DATA_SHEETS:
        ws = wb.create_sheet(sheet.name)
        prefill = spec.projects if sheet is schema.PROGRESS else ()
        _write_table(ws, sheet, styles, lists, _validation_context(spec), prefill, spec)
    lists.finish()
    _write_meta(wb, {
        "kind": "monthly",
        "version": spec.version,
        "unit": spec.unit.code if spec.unit else "",
        "unit_name": spec.unit.name if spec.unit else "",
        "month": str(spec.month) if spec.month else "",
        "generated_at": spec.generated_at.isoformat(timespec="seconds"),
        "token": spec.token,
    })
    _set_properties(wb, spec.generated_at, "全员招商月报表")
    wb.active = 1  # open on 基本信息
    return wb


def write_monthly_template(path: Path, spec: MonthlyTemplate) -> Path:
    """Generate and write atomically."""
    wb = build_monthly_template(spec)
    return write_atomic(path, lambda tmp: wb.save(tmp))


@dataclass(frozen=True)
class _ValidationContext:
    month: Month | None
    cadre_names: tuple[str, ...]


def _validation_context(spec: MonthlyTemplate) -> _ValidationContext:
    return _ValidationContext(spec.month, spec.cadre_names)


def _write_guide(ws: Worksheet, spec: MonthlyTemplate, styles: _Styles) -> None:
    cfg = spec.config
    unit = f"{spec.unit.name}（{spec.unit.code}）" if spec.unit else "（本单位）"
    month = spec.month.label if spec.month else "（填报月份）"
    due = (
        cn_date(spec.month.due_date(cfg.monthly.report_due_day))
        if spec.month else f"次月{cfg.monthly.report_due_day}日"
    )
    lines = [
        f"全员招商月报表 · {unit} · {month}",
        "",
        f"报送期限：请于 {due} 前（含当日）将本表发送至{cfg.campaign.office}。",
        f"活动安排：{_phases(cfg)}。",
        f"本月目标：本单位及每名干部结交客商 {cfg.monthly.contacts} 人以上，"
        f"报送有价值的项目信息 {cfg.monthly.leads} 条以上。",
    ]
    if spec.unit and (spec.unit.target_amount or spec.unit.target_projects):
        parts = []
        if spec.unit.target_amount:
            parts.append(f"引资 {spec.unit.target_amount:,} 万元")
        if spec.unit.target_projects:
            parts.append(f"签约项目 {spec.unit.target_projects} 个")
        lines.append(f"本单位年度目标：{'、'.join(parts)}。")
    basic, contacts, leads, progress = (s.name for s in schema.MONTHLY_SHEETS)
    fields = "、".join(c.name for c in schema.BASIC.columns if not c.prefilled)
    help_col = schema.PROGRESS.column("help_needed").name
    lines += [
        "",
        "填写方法：",
        f"1. 在“{basic}”表填写{fields}；单位与月份已预填，无需改动。",
        f"2. “{contacts}”：本月结交的每位客商填一行（同一客商本月只需填一次）。",
        f"3. “{leads}”：本月新发现的项目线索每条填一行；已报过的项目不要重复填写。",
        f"4. “{progress}”：已登记项目的最新进展（编号、名称已预填），"
        f"阶段、日期、累计投资有变化就更新；需要领导小组协调的问题写在“{help_col}”。",
        "5. 带 * 的列为必填；灰色斜体的第 3 行是示例，不用删除，也不会被统计。",
        "6. 金额单位见表头（万元、万美元、元），只填数字；日期写成 2024-03-05。",
        "7. 请勿修改表头、删除或重命名工作表，也不要把内容粘贴成图片；需要更多行时直接在空白行续填。",
        "8. 本表由系统自动汇总：文件名可以改，但请用本单位本月的这份模板填写，不要用别的单位或月份的模板。",
    ]
    if cfg.campaign.contact:
        lines += ["", f"咨询：{cfg.campaign.contact}"]
    ws.column_dimensions["A"].width = 110
    for r, line in enumerate(lines, start=1):
        cell = put(ws.cell(row=r, column=1), line)
        cell.font = styles.title if r == 1 else styles.body
        cell.alignment = styles.wrap
    ws.protection.sheet = True
    _print_setup(ws, None)


def _phases(cfg: Config) -> str:
    """The campaign's three phases of zsxls.toml [campaign] (the same days every year)."""
    c = cfg.campaign
    phases = (("宣传发动", c.mobilization), ("组织实施", c.implementation), ("总结评比", c.evaluation))
    return "，".join(f"{name} {p.start.month}月{p.start.day}日–{p.end.month}月{p.end.day}日" for name, p in phases)


def _write_form(ws: Worksheet, sheet: Sheet, spec: MonthlyTemplate, styles: _Styles,
                lists: _ListSheet) -> None:
    """基本信息: labels in column A, values in column B."""
    prefilled = {
        "unit_code": spec.unit.code if spec.unit else None,
        "unit_name": spec.unit.name if spec.unit else None,
        "month": str(spec.month) if spec.month else None,
    }
    ctx = _validation_context(spec)
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 32
    title = put(ws.cell(row=1, column=1), sheet.title)
    title.font = styles.title
    for i, col in enumerate(sheet.columns, start=2):
        label = put(ws.cell(row=i, column=1), col.header)
        label.font = styles.header
        label.fill = styles.header_fill
        label.border = styles.border
        value = put(ws.cell(row=i, column=2), prefilled.get(col.key))
        value.font = styles.body
        value.border = styles.border
        value.number_format = _NUMBER_FORMATS[col.kind]
        if col.prefilled and spec.unit is not None:
            value.fill = styles.prefilled_fill
            value.protection = styles.locked
        else:
            value.protection = styles.unlocked
            _add_validation(ws, col, f"B{i}", ctx, lists)
    ws.protection.sheet = True
    _print_setup(ws, None)


def _write_table(ws: Worksheet, sheet: Sheet, styles: _Styles, lists: _ListSheet,
                 ctx: _ValidationContext, prefill: Sequence[Mapping[str, Any]],
                 spec: MonthlyTemplate | None) -> None:
    if len(prefill) > sheet.input_rows:  # never drop a prefilled row: the input area grows instead
        sheet = replace(sheet, input_rows=len(prefill))
    ncols = len(sheet.columns)
    title_text = sheet.title
    if spec is not None and spec.unit is not None and spec.month is not None:
        title_text = f"{sheet.title}({spec.unit.name} {spec.month.label})"
    title = put(ws.cell(row=1, column=1), title_text)
    title.font = styles.title
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    ws.row_dimensions[sheet.header_row].height = 32
    month = ctx.month
    for c, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(c)
        # Headers wrap onto two lines (the row is tall enough), so half their width suffices.
        ws.column_dimensions[letter].width = max(col.width, display_width(col.header) / 2 + 3)
        head = put(ws.cell(row=sheet.header_row, column=c), col.header)
        head.font = styles.header
        head.fill = styles.header_fill
        head.border = styles.border
        head.alignment = styles.center
        if sheet.example_row is not None:
            ex = put(ws.cell(row=sheet.example_row, column=c), _example_value(col, month))
            ex.font = styles.example_font
            ex.fill = styles.example_fill
            ex.border = styles.border
            ex.number_format = _NUMBER_FORMATS[col.kind]
        # Setting styles through openpyxl's descriptors costs ~20 µs each; the input cells of a
        # column share two or three styles, so each is built once and its style array copied.
        made: dict[tuple[bool, bool], Any] = {}
        for r in range(sheet.first_input_row, sheet.last_input_row + 1):
            cell = ws.cell(row=r, column=c)
            is_prefilled_row = r - sheet.first_input_row < len(prefill)
            locked = col.prefilled and (is_prefilled_row or (sheet.ids_from_ledger and col.key == "project_id"))
            key = (locked, locked and is_prefilled_row)
            if key in made:
                cell._style = copy(made[key])
            else:
                cell.border = styles.border
                cell.font = styles.body
                cell.number_format = _NUMBER_FORMATS[col.kind]
                cell.protection = styles.locked if locked else styles.unlocked
                if key[1]:
                    cell.fill = styles.prefilled_fill
                made[key] = copy(cell._style)
            if is_prefilled_row:  # after the style: a quote prefix is part of it
                put(cell, _cell_value(prefill[r - sheet.first_input_row].get(col.key)))
        if not (sheet.ids_from_ledger and col.key == "project_id"):
            rng = f"{letter}{sheet.first_input_row}:{letter}{sheet.last_input_row}"
            _add_validation(ws, col, rng, ctx, lists)
    ws.freeze_panes = ws.cell(row=sheet.header_row + 1, column=1)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _print_setup(ws, f"1:{sheet.header_row}")


def _example_value(col: Column, month: Month | None) -> Any:
    if col.example is None:
        return None
    if col.kind is Kind.DATE:
        month = month or Month(2024, 3)
        return dt.date(month.year, month.month, int(col.example))  # type: ignore[call-overload]
    return col.example


def _cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # a cell holds a binary double; the ledger keeps the Decimal
    return value


# ---------------------------------------------------------------- data validation


class _ListSheet:
    """The hidden ``列表`` sheet holding dropdown lists too long for a literal list."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.ws: Worksheet | None = None
        self.columns: dict[tuple[str, ...], str] = {}

    def reference(self, values: tuple[str, ...]) -> str:
        if values not in self.columns:
            if self.ws is None:
                self.ws = self.wb.create_sheet(schema.LIST_SHEET_NAME)
            col = len(self.columns) + 1
            for r, value in enumerate(values, start=1):
                put(self.ws.cell(row=r, column=col), value)
            letter = get_column_letter(col)
            self.columns[values] = f"'{schema.LIST_SHEET_NAME}'!${letter}$1:${letter}${len(values)}"
        return self.columns[values]

    def finish(self) -> None:
        if self.ws is not None:
            self.ws.sheet_state = "hidden"
            self.ws.protection.sheet = True


def _list_formula(values: tuple[str, ...], lists: _ListSheet) -> str:
    literal = ",".join(values)
    if len(literal) <= _LIST_LIMIT - 2 and not any("," in v or '"' in v for v in values):
        return f'"{literal}"'
    return lists.reference(values)


def _date_bounds(col: Column, month: Month | None) -> tuple[dt.date, dt.date]:
    if month is None or col.dates is DateRange.ANY:
        return _FAR_PAST, _FAR_FUTURE
    if col.dates is DateRange.MONTH:
        return month.first_day, month.last_day
    if col.dates is DateRange.UNTIL_MONTH_END:
        return _FAR_PAST, month.last_day
    return month.first_day, _FAR_FUTURE


def _serial(day: dt.date) -> str:
    return str((day - _EXCEL_EPOCH).days)


def _add_validation(ws: Worksheet, col: Column, ref: str, ctx: _ValidationContext,
                    lists: _ListSheet) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    kwargs: dict[str, Any]
    if col.kind is Kind.CHOICE:
        values = col.vocab.values  # type: ignore[union-attr]
        kwargs = {"type": "list", "formula1": _list_formula(values, lists),
                  "error": _clip(f"请从下拉列表中选择：{'、'.join(values)}。")}
    elif col.key in _CADRE_COLUMNS and ctx.cadre_names:
        kwargs = {"type": "list", "formula1": _list_formula(ctx.cadre_names, lists),
                  "errorStyle": "warning",
                  "error": "此人不在本单位名单中。确实是本单位以外的人员请点“是”继续。"}
    elif col.kind is Kind.DATE:
        start, end = _date_bounds(col, ctx.month)
        kwargs = {"type": "date", "operator": "between", "formula1": _serial(start),
                  "formula2": _serial(end),
                  "error": f"请填写 {start:%Y-%m-%d} 至 {end:%Y-%m-%d} 之间的日期，如 {start:%Y-%m-%d}。"}
    elif col.kind is Kind.DECIMAL:
        maximum = col.maximum or 10_000_000
        kwargs = {"type": "decimal", "operator": "between", "formula1": "0",
                  "formula2": str(int(maximum)),
                  "error": f"请填写不小于 0 的数字（单位{col.unit or ''}），不要带文字。"}
    elif col.kind is Kind.INT:
        kwargs = {"type": "whole", "operator": "between", "formula1": "0", "formula2": "1000000",
                  "error": "请填写整数。"}
    elif col.kind is Kind.PHONE:
        kwargs = {"type": "textLength", "operator": "between", "formula1": "7", "formula2": "20",
                  "errorStyle": "warning",
                  "error": "电话号码应为 11 位手机号或“区号-号码”形式的座机号。"}
    else:
        kwargs = {"type": "textLength", "operator": "lessThanOrEqual",
                  "formula1": str(col.max_length),
                  "error": f"内容过长，请控制在 {col.max_length} 个字以内。"}
    dv = DataValidation(
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle=_clip(col.name, 32),
        prompt=_clip(col.prompt or _default_prompt(col), 255),
        errorTitle=_clip(f"{col.name}填写有误", 32),
        **kwargs,
    )
    dv.error = _clip(dv.error or "", 255)
    dv.add(ref)
    ws.add_data_validation(dv)


def _default_prompt(col: Column) -> str:
    if col.kind is Kind.CHOICE:
        return "请从下拉列表中选择。"
    if col.kind is Kind.DATE:
        return "请填写日期，如 2024-03-05。"
    return "请填写" + ("（必填）。" if col.required else "（选填）。")


def _clip(text: str, limit: int = 255) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- shared sheet parts


def _write_meta(wb: Workbook, values: Mapping[str, str]) -> None:
    ws = wb.create_sheet(schema.META_SHEET_NAME)
    for r, (key, value) in enumerate(values.items(), start=1):
        put(ws.cell(row=r, column=1), key)
        put(ws.cell(row=r, column=2), value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def _print_setup(ws: Worksheet, title_rows: str | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.left.text = "&A"  # the sheet's name: every printed page says which sheet it is
    ws.oddFooter.center.text = PAGE_NUMBERS
    if title_rows:
        ws.print_title_rows = title_rows


def _set_properties(wb: Workbook, when: dt.datetime, title: str) -> None:
    wb.properties.creator = "zsxls"
    wb.properties.title = title
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.lastModifiedBy = "zsxls"


# ---------------------------------------------------------------- tax workbook


def build_tax_template(config: Config, year: int, projects: Sequence[Mapping[str, Any]] = (),
                       generated_at: dt.datetime = dt.datetime(2024, 1, 1)) -> Workbook:
    """税收台账: one row per project (prefilled id and name, year) for 财税工作组 to fill."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = schema.TAX.name
    styles = _Styles.make()
    lists = _ListSheet(wb)
    rows = [{**p, "year": year} for p in projects]
    ctx = _ValidationContext(None, ())
    _write_table(ws, schema.TAX, styles, lists, ctx, rows, None)
    put(ws.cell(row=1, column=1), f"{schema.TAX.title}（{year}年度）")
    lists.finish()
    _write_meta(wb, {"kind": "tax", "version": schema.TEMPLATE_VERSION, "year": str(year),
                     "generated_at": generated_at.isoformat(timespec="seconds")})
    _set_properties(wb, generated_at, "开发区实得税收台账")
    return wb


def write_tax_template(path: Path, config: Config, year: int,
                       projects: Sequence[Mapping[str, Any]] = (),
                       generated_at: dt.datetime = dt.datetime(2024, 1, 1)) -> Path:
    wb = build_tax_template(config, year, projects, generated_at)
    return write_atomic(path, lambda tmp: wb.save(tmp))


# ---------------------------------------------------------------- list workbooks (线索甄别)


def build_list_workbook(sheet: Sheet, rows: Sequence[Mapping[str, Any]], title: str, meta: Mapping[str, str],
                        generated_at: dt.datetime) -> Workbook:
    """One protected sheet of prefilled rows: ``prefilled`` columns locked, the others open
    with dropdowns and input messages (the bureau's 线索甄别 workbook)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet.name
    lists = _ListSheet(wb)
    _write_table(ws, sheet, _Styles.make(), lists, _ValidationContext(None, ()), list(rows), None)
    put(ws.cell(row=1, column=1), title)
    lists.finish()
    _write_meta(wb, {"version": schema.TEMPLATE_VERSION, **meta,
                     "generated_at": generated_at.isoformat(timespec="seconds")})
    _set_properties(wb, generated_at, title)
    return wb


# ---------------------------------------------------------------- roster workbook

ROSTER_EXAMPLE_UNITS: tuple[dict[str, Any], ...] = (
    {"unit_code": "LD", "unit_name": "区领导班子", "unit_type": "区领导", "group": "区领导"},
    {"unit_code": "C01", "unit_name": "东湖村", "unit_type": "村", "group": "村",
     "target_amount": 3000, "target_projects": 2, "village_cadres": 5, "focus": "农业产业化"},
    {"unit_code": "D01", "unit_name": "招商局", "unit_type": "部门", "group": "部门",
     "target_amount": 20000, "target_projects": 5, "headcount": 12, "focus": "好大外项目"},
)
ROSTER_EXAMPLE_CADRES: tuple[dict[str, Any], ...] = (
    {"cadre_code": "R001", "name": "王建国", "unit_code": "LD", "rank": "区领导", "full_time": "否"},
    {"cadre_code": "R002", "name": "李秀英", "unit_code": "C01", "rank": "一般", "full_time": "是"},
    {"cadre_code": "R003", "name": "张伟", "unit_code": "D01", "rank": "中层", "full_time": "是"},
)


def build_roster_template(
    units: Sequence[Mapping[str, Any]] = ROSTER_EXAMPLE_UNITS,
    cadres: Sequence[Mapping[str, Any]] = ROSTER_EXAMPLE_CADRES,
    generated_at: dt.datetime = dt.datetime(2024, 1, 1),
    example: bool = False,
) -> Workbook:
    """目标责任表 with headers, dropdowns and the given rows (example rows by default).

    ``example``: the rows are examples (``zsxls init``): grey italics, a note in the title and on
    each row, and names ending in ``schema.EXAMPLE_MARK`` so that a roster still holding one is
    refused (T10) instead of being taken for the district's units.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    wb = Workbook()
    styles = _Styles.make()
    lists = _ListSheet(wb)
    ctx = _ValidationContext(None, ())
    first = wb.active
    assert first is not None
    named = {schema.ROSTER_UNITS.key: "unit_name", schema.ROSTER_CADRES.key: "name"}
    for i, (sheet, rows) in enumerate(((schema.ROSTER_UNITS, units), (schema.ROSTER_CADRES, cadres))):
        ws = first if i == 0 else wb.create_sheet(sheet.name)
        ws.title = sheet.name
        key = named[sheet.key]
        if example:
            rows = [dict(r, **{key: f"{r[key]}{schema.EXAMPLE_MARK}"}) for r in rows]
        _write_table(ws, sheet, styles, lists, ctx, list(rows), None)
        ws.protection.sheet = False  # the clerk edits the roster freely
        if example and rows:
            put(ws.cell(row=1, column=1), f"{sheet.title}（灰色斜体的行是示例：请改为本区的真实内容或删除）")
            name_col = sheet.columns.index(sheet.column(key)) + 1
            for r in range(sheet.first_input_row, sheet.first_input_row + len(rows)):
                for c in range(1, len(sheet.columns) + 1):
                    ws.cell(row=r, column=c).font = styles.example_font
                ws.cell(row=r, column=name_col).comment = Comment(
                    f"示例行：名称带“{schema.EXAMPLE_MARK}”的行在改为真实内容或删除之前，"
                    "zsxls 不生成模板、不汇总。", "zsxls")
    lists.finish()
    _set_properties(wb, generated_at, "目标责任表")
    return wb


def write_roster_template(path: Path, **kwargs: Any) -> Path:
    wb = build_roster_template(**kwargs)
    return write_atomic(path, lambda tmp: wb.save(tmp))
