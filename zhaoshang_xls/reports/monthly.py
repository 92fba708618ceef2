"""``输出/<month>_一月一交流.xlsx`` (SPEC §11): what the leadership reads each month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from zhaoshang_xls import schema
from zhaoshang_xls.compute.monthly import MonthlyFigures, Totals
from zhaoshang_xls.reports.style import FONT, NO_DATA, Col, Report, mask_phone, rate
from zhaoshang_xls.roster import Roster
from zhaoshang_xls.schema import FILE_STATUS_LABELS, LATE, MISSING, RETURNED

# Columns shared with the templates take their text from the schema (one place for headers).
_L, _P, _U = schema.LEADS, schema.PROGRESS, schema.ROSTER_UNITS
HELP_SHEET = _P.column("help_needed").name
SHEETS = ("总览", "单位完成情况", "个人完成情况", "新增项目信息", "项目台账", HELP_SHEET, "未报送及问题", "数据来源")
UNIT_CODE = Col(_U.column("unit_code").name, "unit_code", "center")
UNIT_NAME = Col(_U.column("unit_name").name, "unit_name")
PROJECT_ID = Col(_P.column("project_id").name, "project_id", "center")
PROJECT_NAME = Col(_L.column("project_name").name, "name", "wrap", width=22)
INVESTOR = Col(_L.column("investor").name, "investor", "wrap", width=20)
INTRO_UNIT = Col(schema.SCREENING.column("introducer_unit").name, "unit_label", width=12)
TOTAL = Col(_L.column("total_investment").name, "total_investment", "wan")
SOURCE = Col("来源", "source", "wrap", width=22)

UNIT_COLUMNS = (
    UNIT_CODE, UNIT_NAME, Col(_U.column("unit_type").name, "unit_type", "center"),
    Col("报送状态", "status", "center"), Col("本月客商结交", "contacts", "int"),
    Col("客商目标", "contacts_target", "int"), Col("本月信息报送", "leads", "int"),
    Col("信息目标", "leads_target", "int"), Col("本月达标", "met", "center"),
    Col("累计客商结交", "contacts_ytd", "int"), Col("累计客商目标", "contacts_ytd_target", "int"),
    Col("累计信息报送", "leads_ytd", "int"), Col("累计信息目标", "leads_ytd_target", "int"),
    Col("累计完成率", "ytd_rate", "pct", width=12),
)
CADRE_COLUMNS = (
    Col(schema.ROSTER_CADRES.column("cadre_code").name, "cadre_code", "center"),
    Col(schema.ROSTER_CADRES.column("name").name, "name"), UNIT_CODE, UNIT_NAME,
    Col(schema.ROSTER_CADRES.column("rank").name, "rank", "center"), Col("单位报送状态", "unit_status", "center"),
    Col("本月客商结交", "contacts", "int"), Col("本月信息报送", "leads", "int"), Col("本月达标", "met", "center"),
    Col("累计客商结交", "contacts_ytd", "int"), Col("累计信息报送", "leads_ytd", "int"),
)
NEW_COLUMNS = (
    PROJECT_ID, PROJECT_NAME, INVESTOR, Col(_L.column("investor_location").name, "investor_location"),
    INTRO_UNIT, Col(_L.column("funding").name, "funding", "center"), Col(_L.column("sector").name, "sector", "center"),
    Col(_L.column("subsector").name, "subsector"), TOTAL, Col(_L.column("fixed_assets").name, "fixed_assets", "wan"),
    Col(_L.column("stage").name, "stage", "center"), Col(_L.column("provider").name, "provider"),
    Col(_L.column("provided_on").name, "provided_on", "date"), Col(_L.column("introducer").name, "introducer"),
    Col(schema.SCREENING.column("verdict").name, "verdict", "center"),
    Col(schema.SCREENING.column("tracker").name, "tracker"), SOURCE,
)
LEDGER_COLUMNS = (
    PROJECT_ID, PROJECT_NAME, INVESTOR, INTRO_UNIT, Col(_L.column("sector").name, "sector", "center"),
    Col(_L.column("stage").name, "stage", "center"), TOTAL,
    Col(_L.column("fixed_assets").name, "fixed_assets", "wan"),
    Col(_P.column("fixed_assets_actual").name, "fixed_assets_actual", "wan"),
    Col(_P.column("signed_on").name, "signed_on", "date"), Col(_P.column("started_on").name, "started_on", "date"),
    Col(_P.column("completed_on").name, "completed_on", "date"), Col("首次报送", "first_month", "center"),
    Col(schema.SCREENING.column("verdict").name, "verdict", "center"),
    Col(schema.SCREENING.column("tracker").name, "tracker"), SOURCE,
)
HELP_COLUMNS = (
    PROJECT_ID, PROJECT_NAME, INTRO_UNIT, Col(_P.column("help_needed").name, "help_needed", "wrap", width=40),
    Col("已持续(月)", "months_open", "int"), Col("首次提出", "since", "center"),
)
PROBLEM_COLUMNS = (
    UNIT_CODE, UNIT_NAME, Col("报送状态", "status", "center"), Col("说明", "reason", "wrap", width=40),
    Col("错误数", "errors", "int"), Col("警告数", "warnings", "int"),
)
SOURCE_COLUMNS = (
    Col("文件名", "file_name", "wrap", width=24), UNIT_CODE, UNIT_NAME, Col("状态", "status_label", "center"),
    Col(schema.BASIC.column("reporter").name, "reporter"), Col(schema.BASIC.column("reporter_phone").name, "phone"),
    Col(schema.BASIC.column("reported_on").name, "reported_on", "date"),
    Col("文件修改时间", "modified", "datetime", width=16), Col("读取行数", "rows", "int"),
    Col("错误数", "errors", "int"), Col("警告数", "warnings", "int"), Col("SHA-256", "sha256", "wrap", width=34),
)
_OVERVIEW = (
    ("应报单位(个)", "units_expected", "int"), ("已报单位(个)", "units_reported", "int"),
    ("双达标单位(个)", "units_met", "int"), ("结交客商(人次)", "contacts", "int"),
    ("报送项目信息(条)", "leads", "int"), ("新增项目计划总投资(万元)", "new_investment", "wan"),
    ("本月签约项目(个)", "signed", "int"), ("签约项目计划总投资(万元)", "signed_investment", "wan"),
)


def write_monthly_report(path: Path, figures: MonthlyFigures, roster: Roster, submissions: pd.DataFrame,
                         issues: pd.DataFrame, row_counts: dict[int, int], generated: dt.datetime) -> Path:
    """Lay out the monthly figures in eight sheets and write the workbook atomically."""
    m = figures.month
    span = f"{figures.months_ytd[0].month}–{m.month} 月" if figures.months_ytd else "无考核月份"
    report = Report(f"{m.label}全员招商一月一交流", f"统计月份：{m.label}（累计：{m.year}年{span}）", generated)
    names = {u.code: u.name for u in roster.units}
    units = [{**r, "met": bool(r["met"]), "ytd_rate": rate(r["ytd_rate"])} for r in figures.units.to_dict("records")]
    _overview(report, figures, units)
    _units(report, units)
    _cadres(report, figures, names)
    label = {u.code: f"{u.code} {u.name}" for u in roster.units}
    new = [{**p, "unit_label": label.get(p["unit_code"], p["unit_code"])}
           for p in figures.new_projects.to_dict("records")]
    ws = report.sheet("新增项目信息")
    report.table(ws, NEW_COLUMNS, new)
    report.write_text(ws, 2, 0, "请招商局甄别筛选并落实跟踪责任人（甄别结论、跟踪责任人两列）。", report.period_fmt)
    ledger = [{**p, "unit_label": label.get(p["unit_code"], p["unit_code"])}
              for p in figures.projects.to_dict("records")]
    report.table(report.sheet("项目台账"), LEDGER_COLUMNS, ledger)
    names_by_id = dict(zip(figures.projects["project_id"], figures.projects["name"], strict=True))
    help_rows = [{**h, "name": names_by_id.get(h["project_id"]), "unit_label": label.get(h["unit_code"])}
                 for h in figures.help_needed.to_dict("records")]
    report.table(report.sheet(HELP_SHEET), HELP_COLUMNS, help_rows)
    _problems(report, figures, submissions, issues, names)
    _sources(report, submissions, issues, names, row_counts)
    return report.save(path)


def _overview(report: Report, figures: MonthlyFigures, units: Sequence[dict[str, Any]]) -> None:
    ws = report.sheet("总览")
    header = (Col("指标", "label", width=26), Col("本月", "now", "wan"), Col("上月", "before", "wan"),
               Col("环比变化", "change", "wan"))
    for i, col in enumerate(header):
        report.write_text(ws, 3, i, col.header, report.header_fmt)
        ws.set_column(i, i, 26 if i == 0 else 14)
    first = 3
    for r, (label, key, kind) in enumerate(_OVERVIEW, start=first + 1):
        now = getattr(figures.totals, key)
        before = getattr(figures.previous, key) if isinstance(figures.previous, Totals) else None
        change = None if before is None else Decimal(now) - Decimal(before)
        report.write_value(ws, r, 0, label, "text")
        for c, value in ((1, now), (2, before), (3, change)):
            report.write_value(ws, r, c, NO_DATA if value is None else value, kind)
    last = first + len(_OVERVIEW)
    ws.conditional_format(first + 1, 3, last, 3, {"type": "cell", "criteria": "<", "value": 0, "format": report.bad})
    if figures.previous is None:
        report.write_text(ws, last + 1, 0, f"“{NO_DATA}”：上月不是考核月份或台账中没有上月的数据，不计算环比。",
                          report.period_fmt)
    chart = report.chart("column", f"{figures.month.label}各单位客商结交与信息报送", _U.name, "人次 / 条",
                         x_extra={"num_font": {"name": FONT, "size": 8, "rotation": -45}})
    n = len(units)
    for index, name, color in ((4, "本月客商结交", "#5B9BD5"), (6, "本月信息报送", "#ED7D31")):
        chart.add_series({"name": name, "categories": [SHEETS[1], 4, 1, 3 + n, 1],
                          "values": [SHEETS[1], 4, index, 3 + n, index], "fill": {"color": color}})
    chart.set_size({"width": 960, "height": 360})
    ws.insert_chart(last + 3, 0, chart)


def _units(report: Report, units: Sequence[dict[str, Any]]) -> None:
    ws = report.sheet("单位完成情况")
    first, last = report.table(ws, UNIT_COLUMNS, units)
    if last > first:
        for actual, target in ((4, 5), (6, 7)):
            letter = chr(ord("A") + target)
            ws.conditional_format(first + 1, actual, last, actual, {
                "type": "formula", "criteria": f"={chr(ord('A') + actual)}{first + 2}<{letter}{first + 2}",
                "format": report.bad})
        ws.conditional_format(first + 1, 8, last, 8, {"type": "cell", "criteria": "==", "value": '"是"',
                                                       "format": report.good})
        ws.conditional_format(first + 1, 8, last, 8, {"type": "cell", "criteria": "==", "value": '"否"',
                                                       "format": report.bad})
        ws.conditional_format(first + 1, 3, last, 3, {"type": "text", "criteria": "containing", "value": MISSING,
                                                       "format": report.bad})
        ws.conditional_format(first + 1, 13, last, 13, {"type": "data_bar", "bar_color": "#63BE7B",
                                                        "min_type": "num", "min_value": 0, "max_type": "num",
                                                        "max_value": 1})


def _cadres(report: Report, figures: MonthlyFigures, names: dict[str, str]) -> None:
    ws = report.sheet("个人完成情况")
    rows = [{**c, "unit_name": names.get(c["unit_code"]), "met": bool(c["met"])}
            for c in figures.cadres.to_dict("records")]
    first, last = report.table(ws, CADRE_COLUMNS, rows)
    if last > first:
        ws.conditional_format(first + 1, 8, last, 8, {"type": "cell", "criteria": "==", "value": '"是"',
                                                       "format": report.good})
        ws.conditional_format(first + 1, 8, last, 8, {"type": "cell", "criteria": "==", "value": '"否"',
                                                       "format": report.bad})


def _issue_counts(issues: pd.DataFrame) -> dict[int, tuple[int, int]]:
    counts: dict[int, tuple[int, int]] = {}
    for rec in issues.to_dict("records") if not issues.empty else []:
        e, w = counts.get(rec["submission_id"], (0, 0))
        counts[rec["submission_id"]] = (e + (rec["level"] == "error"), w + (rec["level"] == "warning"))
    return counts


def _problems(report: Report, figures: MonthlyFigures, submissions: pd.DataFrame, issues: pd.DataFrame,
              names: dict[str, str]) -> None:
    ws = report.sheet("未报送及问题")
    counts = _issue_counts(issues)
    month_subs = submissions[submissions["month"] == str(figures.month)] if not submissions.empty else submissions
    by_unit: dict[str, tuple[int, int]] = {}
    for rec in month_subs.to_dict("records"):
        e, w = counts.get(rec["id"], (0, 0))
        pe, pw = by_unit.get(rec["unit_code"], (0, 0))
        by_unit[rec["unit_code"]] = (pe + e, pw + w)
    first_error: dict[int, str] = {}
    for rec in issues.sort_values("id").to_dict("records") if not issues.empty else []:
        if rec["level"] == "error":
            first_error.setdefault(rec["submission_id"], rec["message"])
    rows = []
    for u in figures.units.to_dict("records"):
        e, w = by_unit.get(u["unit_code"], (0, 0))
        if u["status"] in (MISSING, RETURNED, LATE) or e or w:
            reason = {MISSING: "本月未收到报表", RETURNED: f"{u['status_file']}：{u['status_reason']}"}.get(
                u["status"], u["status_reason"])
            rows.append({"unit_code": u["unit_code"], "unit_name": names.get(u["unit_code"]), "status": u["status"],
                         "reason": reason, "errors": e, "warnings": w})
    unowned = {f.file_name for f in figures.unowned}
    for rec in month_subs.to_dict("records"):
        if rec["file_name"] not in unowned:
            continue
        e, w = counts.get(rec["id"], (0, 0))
        rows.append({"unit_code": rec["unit_code"] or "", "unit_name": rec["file_name"],
                     "status": FILE_STATUS_LABELS[rec["status"]], "reason": first_error.get(rec["id"], ""),
                     "errors": e, "warnings": w})
    report.table(ws, PROBLEM_COLUMNS, rows)


def _sources(report: Report, submissions: pd.DataFrame, issues: pd.DataFrame, names: dict[str, str],
             row_counts: dict[int, int]) -> None:
    counts = _issue_counts(issues)
    rows = []
    for rec in submissions.to_dict("records") if not submissions.empty else []:
        e, w = counts.get(rec["id"], (0, 0))
        rows.append({**rec, "unit_name": names.get(rec["unit_code"] or ""),
                     "status_label": FILE_STATUS_LABELS[rec["status"]], "phone": mask_phone(rec["reporter_phone"]),
                     "rows": row_counts.get(rec["id"], 0), "errors": e, "warnings": w})
    report.table(report.sheet("数据来源"), SOURCE_COLUMNS, rows)
