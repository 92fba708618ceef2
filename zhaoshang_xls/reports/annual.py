"""``输出/<year>_年终考核.xlsx`` (SPEC §11): completion, rewards and penalties, each line explained."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.compute.annual import INFO, INTRO, TAX_SHARE, Annual
from zhaoshang_xls.records import MoneyLine
from zhaoshang_xls.reports.style import Col, Report, rate
from zhaoshang_xls.roster import Roster

_L, _U, _R, _T = schema.LEADS, schema.ROSTER_UNITS, schema.ROSTER_CADRES, schema.TAX
SHEETS = ("单位考核", "个人考核", "信息奖", "引进项目奖", "财税分成奖", "扣罚明细", "一票否决及诫勉", "表彰建议",
          "汇总")
PROJECT_ID = Col(schema.PROGRESS.column("project_id").name, "project_id", "center")
PROJECT_NAME = Col(_L.column("project_name").name, "project_name", "wrap", width=22)
UNIT_CODE = Col(_U.column("unit_code").name, "unit_code", "center")
UNIT_NAME = Col(_U.column("unit_name").name, "unit_name")
INTRO_UNIT = Col(schema.SCREENING.column("introducer_unit").name, "unit_label", width=12)
RATE = Col("完成率", "completion", "pct", width=9)
BASIS = Col("计算依据", "basis", "wrap", width=48)
STATUS = Col("状态", "status", "center", width=10)
SOURCE = Col("来源", "source", "wrap", width=26)
SIGNED = Col("签约引资额(万元)", "signed_amount", "wan")
DEDUCTED = Col("扣罚金额(元)", "deduction", "yuan")
VETO = Col("一票否决", "veto", "center")
REWARD = Col("奖励金额(元)", "payable", "yuan")
OBJECT_CODE, OBJECT_NAME = Col("对象编码", "code", "center"), Col("对象名称", "name")
OBJECT_KIND = Col("对象类型", "kind", "center")

UNIT_COLUMNS = (
    UNIT_CODE, UNIT_NAME, Col(_U.column("unit_type").name, "type", "center"), Col(_U.column("group").name, "group"),
    Col(_U.column("target_amount").name, "target_amount", "wan"), SIGNED,
    Col(_U.column("target_projects").name, "target_projects", "int"), Col("签约项目数", "signed_count", "int"),
    RATE, VETO, DEDUCTED,
    Col("签约项目", "signed", "wrap", width=24),
)
CADRE_COLUMNS = (
    Col(_R.column("cadre_code").name, "code", "center"), Col(_R.column("name").name, "name"), UNIT_CODE,
    Col(_R.column("rank").name, "rank", "center"), Col("最佳签约项目", "best", "wrap", width=28),
    Col(_L.column("sector").name, "sector", "center"), Col(_L.column("total_investment").name, "amount", "wan"),
    Col("目标投资额(万元)", "target", "wan"), RATE, DEDUCTED,
)
INFO_COLUMNS = (
    PROJECT_ID, PROJECT_NAME, Col(_L.column("funding").name, "funding", "center"),
    Col(_L.column("provider").name, "recipient"), Col("花名册人员", "in_roster", "center"),
    Col("登记单位", "unit_label", width=12), REWARD, BASIS, STATUS, SOURCE,
)
INTRO_COLUMNS = (
    PROJECT_ID, PROJECT_NAME, INTRO_UNIT, Col(_L.column("introducer").name, "introducer"),
    Col("结算次序", "sequence", "int"), Col("应计奖金(元)", "gross", "yuan"), Col("冲销招商费用(元)", "offset", "yuan"),
    Col("应发金额(元)", "payable", "yuan"), BASIS, STATUS, SOURCE,
)
TAX_COLUMNS = (
    PROJECT_ID, PROJECT_NAME, INTRO_UNIT, Col(_U.column("unit_type").name, "unit_type", "center"),
    Col("税收年度", "tax_year", "center"), Col(_T.column("zone_tax").name, "zone_tax", "wan"),
    Col("分成比例", "rate", "pct"), REWARD, BASIS, STATUS, SOURCE,
)
DEDUCTION_COLUMNS = (
    OBJECT_CODE, OBJECT_NAME, OBJECT_KIND, UNIT_CODE, RATE,
    Col("每人扣罚(元)", "per_person", "yuan"), Col("人数", "people", "int"), DEDUCTED,
    BASIS,
)
VETO_COLUMNS = (
    UNIT_CODE, UNIT_NAME, Col(_U.column("unit_type").name, "type", "center"), RATE,
    VETO, Col("诫勉谈话", "admonish", "center"), Col("说明", "basis", "wrap", width=60),
)
HONOUR_COLUMNS = (
    OBJECT_CODE, OBJECT_NAME, OBJECT_KIND, Col(_U.column("group").name, "group"), RATE, SIGNED,
    Col("组内名次", "rank", "int"), Col("理由", "reason", "wrap", width=48),
)
SUMMARY_COLUMNS = (
    OBJECT_KIND, OBJECT_CODE, OBJECT_NAME,
    UNIT_CODE, UNIT_NAME, Col("信息奖(元)", INFO, "yuan"), Col("引进项目奖(元)", INTRO, "yuan"),
    Col("财税分成奖(元)", TAX_SHARE, "yuan"), Col("奖励合计(元)", "rewards", "yuan"),
    Col("扣罚合计(元)", "deduction", "yuan"),
)



def write_annual_report(path: Path, annual: Annual, roster: Roster, generated: dt.datetime, *,
                        finalized: bool) -> Path:
    mode = "已结算(奖励已记入台账)" if finalized else "测算（未结算，台账未改动；确认后用 --finalize 结算）"
    report = Report(f"{annual.year}年度全员招商年终考核", f"{annual.year} 年度 · {mode}", generated)
    names = {u.code: u.name for u in roster.units}
    types = {u.code: u.type for u in roster.units}
    _units(report, annual)
    _cadres(report, annual)
    _money(report, "信息奖", INFO_COLUMNS, annual.info, names, types)
    _money(report, "引进项目奖", INTRO_COLUMNS, annual.intro, names, types)
    _money(report, "财税分成奖", TAX_COLUMNS, annual.tax_share, names, types)
    _deductions(report, annual)
    _vetoes(report, annual)
    _honours(report, annual)
    _summary(report, annual, roster)
    return report.save(path)


def _completion_formats(report: Report, ws: Any, first: int, last: int, col: int) -> None:
    if last <= first:
        return
    ws.conditional_format(first + 1, col, last, col, {"type": "blanks", "stop_if_true": True,
                                                      "format": report.add_format({})})  # no target
    ws.conditional_format(first + 1, col, last, col, {"type": "cell", "criteria": "<", "value": 1,
                                                      "format": report.bad})
    ws.conditional_format(first + 1, col, last, col, {"type": "cell", "criteria": ">=", "value": 1,
                                                      "format": report.good})
    ws.conditional_format(first + 1, col, last, col, {"type": "data_bar", "bar_color": "#63BE7B",
                                                      "min_type": "num", "min_value": 0, "max_type": "num",
                                                      "max_value": 1})


def _units(report: Report, annual: Annual) -> None:
    rows = [{
        "unit_code": u.code, "unit_name": u.name, "type": u.type, "group": u.group, "target_amount": u.target_amount,
        "signed_amount": u.signed_amount, "target_projects": u.target_projects, "signed_count": len(u.signed),
        "completion": rate(u.completion), "veto": bool(u.deduction and u.deduction.veto),
        "deduction": u.deduction.amount if u.deduction else None, "signed": "、".join(u.signed),
    } for u in annual.units]
    ws = report.sheet("单位考核")
    first, last = report.table(ws, UNIT_COLUMNS, rows)
    _completion_formats(report, ws, first, last, UNIT_COLUMNS.index(RATE))
    report.write_text(ws, last + 2, 0, f"完成率 = 各项目标（引资额、签约项目数）完成比例（每项最高 100%）的平均；"
                      f"计入 {annual.year} 年签约的项目。无目标的单位不计完成率，也不扣罚。",
                      report.period_fmt)


def _cadres(report: Report, annual: Annual) -> None:
    rows = [{
        "code": c.code, "name": c.name, "unit_code": c.unit_code, "rank": c.rank,
        "best": f"{c.best.project_id} {c.best.name}" if c.best else "", "sector": c.best.sector if c.best else None,
        "amount": c.best.total_investment if c.best else None, "target": c.target,
        "completion": rate(c.completion), "deduction": c.deduction.amount if c.deduction else None,
    } for c in annual.cadres]
    ws = report.sheet("个人考核")
    first, last = report.table(ws, CADRE_COLUMNS, rows)
    _completion_formats(report, ws, first, last, CADRE_COLUMNS.index(RATE))
    report.write_text(ws, last + 2, 0, "区领导、中层干部：完成率 = 本人年内招引的签约项目中，"
                      "计划总投资与本产业类别目标之比的最大值（最高 100%）。", report.period_fmt)


def _money(report: Report, sheet: str, columns: Sequence[Col], lines: Sequence[MoneyLine], names: dict[str, str],
           types: dict[str, str]) -> None:
    rows = [{
        **{k: getattr(m, k) for k in ("project_id", "project_name", "funding", "recipient", "in_roster", "sequence",
                                      "gross", "offset", "payable", "basis", "status", "source", "introducer",
                                      "tax_year", "zone_tax", "rate")},
        "unit_label": f"{m.unit_code} {names.get(m.unit_code, '')}".strip(), "unit_type": types.get(m.unit_code),
    } for m in lines]
    ws = report.sheet(sheet)
    _, last = report.table(ws, columns, rows)
    total = sum((m.payable for m in lines), Decimal(0))
    pay = next(i for i, c in enumerate(columns) if c.key == "payable")
    report.write_value(ws, last + 1, pay - 1, "合计", "text")
    report.write_value(ws, last + 1, pay, total, "yuan")
    if not rows:
        report.write_text(ws, last + 3, 0, f"{report.period.split(' · ')[0]}没有应发的{sheet}。", report.period_fmt)


def _deductions(report: Report, annual: Annual) -> None:
    rows = [{"code": c.code, "name": c.name, "kind": c.rank, "unit_code": c.unit_code,
             "completion": rate(c.completion), "per_person": c.deduction.per_person, "people": 1,
             "deduction": c.deduction.amount, "basis": c.deduction.basis}
            for c in annual.cadres if c.deduction]
    rows += [{"code": u.code, "name": u.name, "kind": u.type, "unit_code": u.code, "completion": rate(u.completion),
              "per_person": u.deduction.per_person, "people": u.deduction.people, "deduction": u.deduction.amount,
              "basis": u.deduction.basis}
             for u in annual.units if u.deduction]
    ws = report.sheet("扣罚明细")
    first, last = report.table(ws, DEDUCTION_COLUMNS, rows)
    _completion_formats(report, ws, first, last, DEDUCTION_COLUMNS.index(RATE))
    amount = DEDUCTION_COLUMNS.index(DEDUCTED)
    report.write_value(ws, last + 1, amount - 1, "合计", "text")
    total = sum((d.amount for d in annual.deductions), Decimal(0))
    report.write_value(ws, last + 1, amount, total, "yuan")


def _vetoes(report: Report, annual: Annual) -> None:
    rows = [{"unit_code": u.code, "unit_name": u.name, "type": u.type, "completion": rate(u.completion),
             "veto": u.deduction.veto, "admonish": u.deduction.admonish, "basis": u.deduction.basis}
            for u in annual.units if u.deduction and (u.deduction.veto or u.deduction.admonish)]
    ws = report.sheet("一票否决及诫勉")
    first, last = report.table(ws, VETO_COLUMNS, rows)
    for col in (VETO_COLUMNS.index(c) for c in VETO_COLUMNS if c.key in ("veto", "admonish")):
        if last > first:
            ws.conditional_format(first + 1, col, last, col, {"type": "cell", "criteria": "==", "value": '"是"',
                                                              "format": report.bad})
    report.write_text(ws, last + 2, 0, "单位部门未完成年度目标任务的实行一票否决，取消年终综合评优资格；"
                      "完成率过低的，建议对单位一把手诫勉谈话。", report.period_fmt)


def _honours(report: Report, annual: Annual) -> None:
    done = [u for u in annual.units if u.completion is not None and u.completion >= 1]
    rows = []
    for group in sorted({u.group for u in done}):
        ranked = sorted((u for u in done if u.group == group), key=lambda u: (-u.signed_amount, u.code))
        rows += [{"code": u.code, "name": u.name, "kind": u.type, "group": group, "completion": rate(u.completion),
                  "signed_amount": u.signed_amount, "rank": n,
                  "reason": f"全面完成年度目标任务：签约项目 {len(u.signed)} 个，引资 {u.signed_amount:,.2f} 万元。"}
                 for n, u in enumerate(ranked, start=1)]
    rows += [{"code": c.code, "name": c.name, "kind": c.rank, "group": c.unit_code, "completion": rate(c.completion),
              "signed_amount": c.best.total_investment if c.best else None, "rank": None,
              "reason": f"完成个人招引任务：{c.best.project_id if c.best else ''}"}
             for c in annual.cadres if c.completion is not None and c.completion >= 1]
    providers: dict[str, list[MoneyLine]] = {}
    for m in annual.info:
        if m.payable > 0:
            providers.setdefault(m.recipient, []).append(m)
    rows += [{"code": "", "name": name, "kind": _L.column("provider").name, "group": lines[0].unit_code,
              "completion": None, "signed_amount": None, "rank": None,
              "reason": f"提供的项目信息促成签约：{'、'.join(m.project_name for m in lines)}。"}
             for name, lines in sorted(providers.items())]
    ws = report.sheet("表彰建议")
    _, last = report.table(ws, HONOUR_COLUMNS, rows)
    report.write_text(ws, last + 2, 0, "按政策“对任务完成较好、表现突出的单位和个人进行表彰奖励”拟定，"
                      "供领导小组研究决定。", report.period_fmt)


def _summary(report: Report, annual: Annual, roster: Roster) -> None:
    frame = annual.totals
    rows = frame.to_dict("records")
    ws = report.sheet("汇总")
    _, last = report.table(ws, SUMMARY_COLUMNS, rows)
    totals_row = last + 1
    report.write_value(ws, totals_row, 4, "合计", "text")
    for c, col in enumerate(SUMMARY_COLUMNS):
        if col.kind == "yuan":
            report.write_value(ws, totals_row, c, sum((r[col.key] for r in rows), Decimal(0)), "yuan")
    line = totals_row + 2
    for note in ["个人奖励按姓名发放（信息提供人可以不是花名册人员）。"
                 "引进项目奖发给招引单位（区领导班子招引的项目发给"
                 "招引责任人），表中应发金额已先冲销招商费用；"
                 "财税分成奖只发给村和单位部门，不涉及冲销。", *annual.notes]:
        report.write_text(ws, line, 0, note, report.period_fmt)
        line += 1
