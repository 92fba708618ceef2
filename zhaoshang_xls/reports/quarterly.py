"""``输出/2024Q1_一季一评比.xlsx`` and ``输出/2024H1_半年小结.xlsx`` (SPEC §11)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_range

from zhaoshang_xls import schema
from zhaoshang_xls.compute.quarterly import (
    BOTTOM,
    COMPONENT_LABELS,
    COMPONENTS,
    TOP,
    HalfYear,
    PeriodScores,
    show,
)
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reports.style import FONT, NO_DATA, Col, Report, rate

_U, _R = schema.ROSTER_UNITS, schema.ROSTER_CADRES
QUARTER_SHEETS = ("排名", "得分构成", "月度趋势", "个人排名")
HALF_SHEETS = ("总览", "目标完成", "项目分布", "排名")
UNIT_CODE = Col(_U.column("unit_code").name, "unit_code", "center")
UNIT_NAME = Col(_U.column("unit_name").name, "unit_name")
GROUP = Col(_U.column("group").name, "group")
EXPLAIN = Col("得分说明", "explanation", "wrap", width=56)
RANK = Col("名次", "rank", "int", 6)
MET = Col("客商结交(人)", "contacts", "int")
LEADS = Col("信息报送(条)", "leads", "int")
MOVED = Col("推进项目(个)", "progress_count", "int")
TOTAL = Col("总分", "total", "score")
SIGNED = Col("累计签约引资(万元)", "signed_amount", "wan")

RANK_COLUMNS = (
    GROUP, RANK, Col("标注", "mark", "center", 8), UNIT_CODE, UNIT_NAME,
    MET, Col("客商目标(人)", "contacts_target", "int"),
    Col("客商得分", "p_contacts", "score"), LEADS,
    Col("信息目标(条)", "leads_target", "int"),
    Col("信息得分", "p_leads", "score"), SIGNED,
    Col("引资目标(万元)", "investment_target", "wan"), Col("引资得分", "p_investment", "score"),
    MOVED, Col("推进得分", "p_progress", "score"),
    Col("主导产业加分", "p_bonus", "score"), Col("缺报迟报扣分", "deduction", "score"), TOTAL,
    EXPLAIN,
)
CADRE_COLUMNS = (
    RANK, Col(_R.column("cadre_code").name, "cadre_code", "center"),
    Col(_R.column("name").name, "name"), UNIT_CODE, Col(_R.column("rank").name, "rank_title", "center"),
    MET, LEADS, MOVED, TOTAL, EXPLAIN,
)


def _score(value: Fraction | None) -> Decimal | None:
    return None if value is None else show(value)


def _unit_rows(scores: PeriodScores) -> list[dict[str, Any]]:
    return [{
        "group": u.group, "rank": u.rank, "mark": u.mark or None, "unit_code": u.unit_code, "unit_name": u.unit_name,
        "contacts": u.contacts, "contacts_target": u.contacts_target, "leads": u.leads, "leads_target": u.leads_target,
        "signed_amount": u.signed_ytd, "investment_target": u.investment_target,
        "progress_count": len(u.progress_projects), "deduction": _score(u.deduction), "total": _score(u.total),
        "explanation": u.explanation, **{f"p_{k}": _score(u.points[k]) for k in COMPONENTS},
    } for u in scores.units]


def _period_line(scores: PeriodScores) -> str:
    shown = "、".join(m.label for m in scores.months) or "无考核月份"
    text = f"统计期间：{scores.span.label}（考核月份：{shown}）"
    if scores.months_without_data:
        text += "；尚无数据的月份：" + "、".join(m.label for m in scores.months_without_data) + "（不计目标，不扣分）"
    return text


def write_quarterly_report(path: Path, scores: PeriodScores, generated: dt.datetime) -> Path:
    report = Report(f"{scores.span.label}全员招商一季一评比", _period_line(scores), generated)
    rows = _unit_rows(scores)
    _ranking(report, rows)
    _components(report, scores, rows)
    _trend(report, scores)
    cadres = [{**c.__dict__, "progress_count": len(c.projects), "total": _score(c.total)} for c in scores.cadres]
    ws = report.sheet("个人排名")
    report.table(ws, CADRE_COLUMNS, cadres)
    return report.save(path)


def _ranking(report: Report, rows: list[dict[str, Any]], name: str = "排名") -> None:
    ws = report.sheet(name)
    first, last = report.table(ws, RANK_COLUMNS, rows)
    mark = next(i for i, c in enumerate(RANK_COLUMNS) if c.key == "mark")
    total = RANK_COLUMNS.index(TOTAL)
    if last > first:
        ws.conditional_format(first + 1, mark, last, mark, {"type": "cell", "criteria": "==", "value": f'"{TOP}"',
                                                            "format": report.good})
        ws.conditional_format(first + 1, mark, last, mark, {"type": "cell", "criteria": "==",
                                                            "value": f'"{BOTTOM}"', "format": report.bad})
        ws.conditional_format(first + 1, total, last, total, {"type": "data_bar", "bar_color": "#5B9BD5",
                                                              "min_type": "num", "min_value": 0, "max_type": "num",
                                                              "max_value": 100})
    report.write_text(ws, last + 2, 0, "名次在各评比分组内排列（并列同名次，下一名次顺延）；总分相同时按累计签约引资、"
                      "再按客商结交排列。前三名标“表彰”，后三名标“鞭策后进”。", report.period_fmt)


def _components(report: Report, scores: PeriodScores, rows: list[dict[str, Any]]) -> None:
    ws = report.sheet("得分构成")
    columns = (GROUP, UNIT_CODE, UNIT_NAME, *(Col(COMPONENT_LABELS[k], f"p_{k}", "score") for k in COMPONENTS),
               Col("扣分", "deduction", "score"), TOTAL)
    first, last = report.table(ws, columns, rows)
    if last <= first:
        return
    chart = report.chart("bar", f"{scores.span.label}各单位得分构成", "得分", UNIT_NAME.header, subtype="stacked",
                         x_extra={"min": 0}, y_extra={"reverse": True})
    for i, key in enumerate(COMPONENTS, start=3):
        chart.add_series({
            "name": COMPONENT_LABELS[key],
            "categories": [ws.name, first + 1, 2, last, 2],
            "values": [ws.name, first + 1, i, last, i],
        })
    chart.set_size({"width": 760, "height": max(320, 18 * (last - first) + 120)})
    ws.insert_chart(first, len(columns) + 1, chart)


def _trend(report: Report, scores: PeriodScores) -> None:
    ws = report.sheet("月度趋势")
    months = scores.trend_months
    columns = [GROUP, UNIT_CODE, UNIT_NAME]
    columns += [Col(f"客商 {m.month}月", f"c{m}", "int", 7) for m in months] + [Col("客商走势", "c_spark", "text", 12)]
    columns += [Col(f"信息 {m.month}月", f"l{m}", "int", 7) for m in months] + [Col("信息走势", "l_spark", "text", 12)]
    have = {str(m) for m in scores.trend_with_data}

    def shown(u: Any, m: Month, i: int) -> Any:
        return u.monthly[str(m)][i] if str(m) in have else NO_DATA  # a month not in the ledger is no zero

    rows = [{"group": u.group, "unit_code": u.unit_code, "unit_name": u.unit_name,
             **{f"c{m}": shown(u, m, 0) for m in months}, **{f"l{m}": shown(u, m, 1) for m in months}}
            for u in sorted(scores.units, key=lambda u: (u.group, u.unit_code))]
    first, last = report.table(ws, columns, rows)
    if not months or last <= first:
        return
    n = len(months)
    for r in range(first + 1, last + 1):
        for start in (3, 3 + n + 1):
            cells = f"'{ws.name}'!{xl_range(r, start, r, start + n - 1)}"
            ws.add_sparkline(r, start + n, {"range": cells, "markers": True, "high_point": True,
                                            "series_color": "#5B9BD5"})
    report.write_text(ws, last + 2, 0, f"每月客商结交人数和信息报送条数（本年度各考核月份），右侧小图为走势；"
                      f"“{NO_DATA}”为台账中没有该月数据。", report.period_fmt)


COMPLETION_COLUMNS = (
    UNIT_CODE, UNIT_NAME, Col(_U.column("unit_type").name, "unit_type", "center"), GROUP,
    Col(_U.column("target_amount").name, "target_amount", "wan"), SIGNED,
    Col("引资完成率", "amount_rate", "pct"), Col(_U.column("target_projects").name, "target_projects", "int"),
    Col("累计签约项目(个)", "signed_count", "int"), Col("项目完成率", "count_rate", "pct"),
    Col("综合完成率", "completion", "pct"), Col("进度", "progress", "center"),
)



def write_halfyear_report(path: Path, half: HalfYear, generated: dt.datetime) -> Path:
    scores = half.scores
    report = Report(f"{half.span.label}全员招商小结", _period_line(scores), generated)
    ws = report.sheet("总览")
    t = half.totals
    lines = [("客商结交(人次)", t["contacts"], "int"), ("报送项目信息(条)", t["leads"], "int"),
             ("新签约项目(个)", t["signed"], "int"), ("新签约计划总投资(万元)", t["signed_amount"], "wan"),
             ("新开工项目(个)", t["started"], "int"),
             ("进度滞后单位(个)", int(half.completion["behind"].sum()) if not half.completion.empty else 0, "int")]
    report.write_text(ws, 3, 0, "指标", report.header_fmt)
    report.write_text(ws, 3, 1, half.span.label, report.header_fmt)
    for r, (label, value, kind) in enumerate(lines, start=4):
        report.write_value(ws, r, 0, label, "text")
        report.write_value(ws, r, 1, value, kind)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 16)
    row = 4 + len(lines) + 1
    report.write_text(ws, row, 0, "小结草稿（可直接复制到书面小结中）：", report.strong_fmt)
    wrap = report.add_format({"font_name": FONT, "font_size": 11, "text_wrap": True, "valign": "top",
                              "border": 1})
    report.merge_text(ws, (row + 1, 0, row + 8, 7), half.summary, wrap)
    ws.set_column(2, 7, 12)

    rows = [{**r, "amount_rate": rate(r["amount_rate"]), "count_rate": rate(r["count_rate"]),
             "completion": rate(r["completion"]),
             "progress": "无目标" if r["completion"] is None else "滞后" if r["behind"] else "正常"}
            for r in half.completion.to_dict("records")]
    ws2 = report.sheet("目标完成")
    first, last = report.table(ws2, COMPLETION_COLUMNS, rows)
    progress = len(COMPLETION_COLUMNS) - 1
    if last > first:
        ws2.conditional_format(first + 1, progress, last, progress, {"type": "cell", "criteria": "==",
                                                                      "value": '"滞后"', "format": report.bad})
        ws2.conditional_format(first + 1, progress, last, progress, {"type": "cell", "criteria": "==",
                                                                      "value": '"正常"', "format": report.good})
        completion = progress - 1
        ws2.conditional_format(first + 1, completion, last, completion, {"type": "data_bar", "bar_color": "#63BE7B",
                                                              "min_type": "num", "min_value": 0,
                                                              "max_type": "num", "max_value": 1})
    report.write_text(ws2, last + 2, 0, f"截至{half.span.label}末应完成年度目标的 {show(half.expected * 100)}%;"
                      "综合完成率为引资额、签约项目数两项完成比例（每项最高 100%）的平均。",
                      report.period_fmt)
    _distribution(report, half)
    _ranking(report, _unit_rows(scores))
    return report.save(path)


def _distribution(report: Report, half: HalfYear) -> None:
    ws = report.sheet("项目分布")
    table = half.by_stage_sector
    sectors = [s for s in schema.VOCABULARIES["sector"].values if s in set(table["sector"])] if not table.empty else []
    sectors += sorted(set(table["sector"]) - set(sectors)) if not table.empty else []
    columns = [Col(schema.LEADS.column("stage").name, "stage", "center")]
    columns += [Col(f"{s}(个)", f"n_{s}", "int") for s in sectors]
    columns += [Col("合计(个)", "n", "int"), Col(schema.LEADS.column("total_investment").name, "amount", "wan")]
    rows = []
    for stage in schema.STAGES:
        mine = table[table["stage"] == stage] if not table.empty else table
        if mine.empty:
            continue
        rows.append({"stage": stage, **{f"n_{s}": int((mine["sector"] == s).sum()) for s in sectors},
                     "n": len(mine), "amount": sum(mine["amount"], Decimal(0))})
    first, last = report.table(ws, columns, rows)
    if rows:
        chart = report.chart("column", "项目按阶段和产业类别分布", schema.LEADS.column("stage").name, "项目数(个)",
                             subtype="stacked")
        for i, s in enumerate(sectors, start=1):
            chart.add_series({"name": s, "categories": [ws.name, first + 1, 0, last, 0],
                              "values": [ws.name, first + 1, i, last, i]})
        ws.insert_chart(last + 2, 0, chart)
