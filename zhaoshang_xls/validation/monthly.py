"""Checks that need more than one cell: the roster, the ledger's last state, other files.

Row-level problems are issues on the submission; an error marks its row rejected (the row
does not count), a warning keeps it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import replace
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.issues import Level
from zhaoshang_xls.reading.table import Row
from zhaoshang_xls.records import ACCEPTED, BLANK_TEMPLATE, SUPERSEDED, LeadRef, MonthContext, ProjectState, Submission
from zhaoshang_xls.roster import Roster

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}(\d{1,6})?$")
_SERVICE = re.compile(r"^(400|800)\d{7}$")


def phone_is_valid(text: str) -> bool:
    """A Chinese mobile (11 digits), a landline with area code, or a 400/800 number."""
    digits = re.sub(r"[\s\-()()转#]", "", text)
    digits = re.sub(r"^(\+?86)(?=1\d{10}$|0\d{9,11}$)", "", digits)
    return bool(_MOBILE.match(digits) or _LANDLINE.match(digits) or _SERVICE.match(digits))


def validate_submission(sub: Submission, roster: Roster, context: MonthContext | None,
                        today: dt.date) -> None:
    """Add the row checks of docs/rules.md (校验) to an accepted submission (rejected ones are left alone).

    ``context`` is what the ledger knew before the month; None means no ledger to compare with
    (``zsxls check`` in a new workspace): project ids, last month's states and leads reported in
    earlier months (R08, R10, R11, R13) are then not checked.
    """
    if sub.status != ACCEPTED or sub.unit_code is None or sub.month is None:
        return
    if _blank_template(sub):
        return
    phone = sub.basic.get("reporter_phone")
    if phone and not phone_is_valid(str(phone)):
        sub.add("R09", Level.WARNING, f"联系电话“{phone}”格式不对：手机应为 11 位，座机写成“区号-号码”。",
                schema.BASIC.name, None)
    people = {c.name for c in roster.cadres_of(sub.unit_code)}
    everyone = roster.names
    _check_contacts(sub, people, today)
    _check_leads(sub, people, everyone, today)
    if context is not None:
        _check_earlier_leads(sub, context)
    _check_progress(sub, context.projects if context is not None else None, today)


def _blank_template(sub: Submission) -> bool:
    """F12 (BLANK_TEMPLATE): a template with no data row in any sheet is a report only when its 基本信息 says who
    sent it and when (填报人, 联系电话, 填报日期); otherwise it is rejected and those blank cells
    are errors. With data, they stay warnings (docs/rules.md, 空白模板)."""
    if any(table.rows for key, table in sub.tables.items() if key in _DATA_KEYS):
        return False
    missing = [c for c in schema.BASIC.columns if c.required and not c.prefilled and not sub.basic.get(c.key)]
    if not missing:
        return False
    sub.issues = [replace(i, level=Level.ERROR) if i.code == "R01" and i.sheet == schema.BASIC.name else i
                  for i in sub.issues]
    sub.reject(BLANK_TEMPLATE, f"这是未填写的模板：客商结交、项目信息、项目进展三张表都没有内容，基本信息中的"
                      f"{'、'.join(c.name for c in missing)}也未填写，不算报送。"
                      "本月确无可报内容时，请填写基本信息后再发送。")
    return True


_DATA_KEYS = frozenset(s.key for s in schema.DATA_SHEETS)


def _check_earlier_leads(sub: Submission, context: MonthContext) -> None:
    """R08: a 项目信息 row that repeats a lead the unit registered in an earlier month does not count again."""
    unit = sub.unit_code or ""
    for row in sub.rows(schema.LEADS.key):
        v = row.values
        earlier = context.registered.get((unit, schema.name_key(v.get("project_name")),
                                          schema.name_key(v.get("investor"))))
        if earlier is not None:
            row.rejected = True
            sub.add("R08", Level.WARNING,
                    f"该项目已于 {earlier.first_month} 报送（编号 {earlier.project_id}），本月不重复计入；"
                    f"进展请填在“{schema.PROGRESS.name}”表。", schema.LEADS.name, f"A{row.excel_row}")


def _cell(sub: Submission, sheet: schema.Sheet, row: Row, key: str) -> tuple[str, str | None]:
    return sheet.name, row.cells.get(key)


def _future(sub: Submission, sheet: schema.Sheet, row: Row, keys: Sequence[str], today: dt.date) -> None:
    for key in keys:
        value = row.values.get(key)
        if isinstance(value, dt.date) and value > today:
            sub.add("R05", Level.WARNING, f"“{sheet.column(key).name}”{value.isoformat()} 是将来的日期，请核对。",
                    *_cell(sub, sheet, row, key))


def _duplicates(sub: Submission, sheet: schema.Sheet, key_of: Any, what: str) -> None:
    seen: dict[Any, int] = {}
    for row in sub.rows(sheet.key):
        key = key_of(row.values)
        if key in seen:
            row.rejected = True
            sub.add("R08", Level.WARNING, f"与第 {seen[key]} 行{what}重复，只计一次。",
                    sheet.name, f"A{row.excel_row}")
        else:
            seen[key] = row.excel_row


def _check_contacts(sub: Submission, people: set[str], today: dt.date) -> None:
    if sub.month is None:
        return
    sheet = schema.CONTACTS
    for row in sub.rows(sheet.key):
        day = row.values.get("date")
        if isinstance(day, dt.date) and not sub.month.first_day <= day <= sub.month.last_day:
            row.rejected = True
            sub.add("R05", Level.ERROR,
                    f"{sheet.column('date').name} {day.isoformat()} 不在 {sub.month.label} 内，本行不计入本月；"
                    "请填本月结交的客商，上月漏报的不能补入本月。", *_cell(sub, sheet, row, "date"))
            continue
        _future(sub, sheet, row, ("date",), today)
        phone = row.values.get("phone")
        if phone and not phone_is_valid(str(phone)):
            sub.add("R09", Level.WARNING, f"客商电话“{phone}”格式不对：手机应为 11 位，座机写成“区号-号码”，请核对。",
                    *_cell(sub, sheet, row, "phone"))
        cadre = row.values.get("cadre")
        if cadre and cadre not in people:
            sub.add("R07", Level.WARNING, f"结交人“{cadre}”不在本单位人员名单中，请核对姓名或请招商办更新名单。",
                    *_cell(sub, sheet, row, "cadre"))
    _duplicates(sub, sheet, lambda v: tuple(v.get(k) for k in ("cadre", "investor", "company", "date")), "的客商")


def _check_leads(sub: Submission, people: set[str], everyone: Set[str], today: dt.date) -> None:
    sheet = schema.LEADS
    for row in sub.rows(sheet.key):
        values = row.values
        values.setdefault("stage", sheet.column("stage").default)
        if "introducer" not in values and "provider" in values:
            values["introducer"] = values["provider"]
        total, fixed = values.get("total_investment"), values.get("fixed_assets")
        if total is not None and fixed is not None and fixed > total:
            row.rejected = True
            sub.add("R03", Level.ERROR, f"固定资产投资 {fixed} 万元大于计划总投资 {total} 万元，请核对。",
                    *_cell(sub, sheet, row, "fixed_assets"))
            continue
        if values.get("funding") == "外资" and not values.get("foreign_registered"):
            sub.add("R01", Level.WARNING, "外资项目请填写注册外资（万美元）。",
                    *_cell(sub, sheet, row, "foreign_registered"))
        if _stage_dates_disagree(sub, row, sheet):
            row.rejected = True
            continue
        _future(sub, sheet, row, ("provided_on", "signed_on", "started_on"), today)
        provider = values.get("provider")
        if provider and provider not in everyone:
            sub.add("R07", Level.WARNING,
                    f"信息提供人“{provider}”不在人员名单中；如是本单位以外人员可以保留（奖励按姓名发放）。",
                    *_cell(sub, sheet, row, "provider"))
        introducer = values.get("introducer")
        if introducer and introducer != provider and introducer not in people:
            sub.add("R07", Level.WARNING, f"招引责任人“{introducer}”不在本单位人员名单中，请核对。",
                    *_cell(sub, sheet, row, "introducer"))
    _duplicates(sub, sheet, lambda v: (v.get("project_name"), v.get("investor")), "的项目")


def _check_progress(sub: Submission, known: Mapping[str, ProjectState] | None, today: dt.date) -> None:
    sheet = schema.PROGRESS
    for row in sub.rows(sheet.key):
        values = row.values
        project_id = values.get("project_id")
        before = known.get(project_id) if project_id and known is not None else None
        if project_id and known is not None and (before is None or before.unit_code != sub.unit_code):
            row.rejected = True
            whose = "不存在" if before is None else f"属于 {before.unit_code}"
            sub.add("R10", Level.ERROR, f"{sheet.column('project_id').name} {project_id} {whose}；请勿修改预填的编号。",
                    *_cell(sub, sheet, row, "project_id"))
            continue
        if project_id is None and values.get("fixed_assets") is None:
            sub.add("R17", Level.WARNING,
                    f"该行没有{sheet.column('project_id').name}（本系统启用前报过的项目），也没有填写"
                    f"“{sheet.column('fixed_assets').name}”：信息奖和引进项目奖要按它计算，不填就是 0；请补填。",
                    *_cell(sub, sheet, row, "fixed_assets"))
        if _stage_dates_disagree(sub, row):
            row.rejected = True
            continue
        _future(sub, sheet, row, ("signed_on", "started_on", "completed_on"), today)
        if before is None:
            continue
        stage = values.get("stage")
        if stage and schema.STAGES.index(stage) < schema.STAGES.index(before.stage):
            sub.add("R11", Level.WARNING,
                    f"阶段由上月的“{before.stage}”退回“{stage}”，请核对；如项目确有变化请在进展说明中写明。",
                    *_cell(sub, sheet, row, "stage"))
        for key in schema.CUMULATIVE:
            now, was = values.get(key), getattr(before, key)
            if now is not None and was is not None and now < was:
                sub.add("R13", Level.WARNING,
                        f"“{sheet.column(key).name}”是累计数，本月 {now} 小于上月 {was}，请核对。",
                        *_cell(sub, sheet, row, key))


def _stage_dates_disagree(sub: Submission, row: Row, sheet: schema.Sheet = schema.PROGRESS) -> bool:
    """R12: the stage's dates are required (a 项目信息 sheet of an older template without the date
    columns is exempt: its dates are counted by the first month reported) and in order."""
    values = row.values
    stage = values.get("stage")
    if stage is None:
        return False
    reached = schema.STAGES.index(stage)
    columns = {c.key for c in sheet.columns}
    dated = {k: v for k, v in schema.STAGE_DATES.items()
             if v in columns and (sheet is schema.PROGRESS or v in row.cells)}
    for needed, key in dated.items():
        if reached >= schema.STAGES.index(needed) and values.get(key) is None:
            sub.add("R12", Level.ERROR, f"阶段为“{stage}”，但没有填写{sheet.column(key).name}，请补填。",
                    *_cell(sub, sheet, row, key))
            return True
    keys = [k for k in schema.STAGE_DATES.values() if k in columns]
    for first_key, later_key in itertools.pairwise(keys):
        first, later = values.get(first_key), values.get(later_key)
        if first is not None and later is not None and later < first:
            sub.add("R12", Level.ERROR,
                    f"{sheet.column(later_key).name} {later.isoformat()} 早于"
                    f"{sheet.column(first_key).name} {first.isoformat()}，请核对。",
                    *_cell(sub, sheet, row, later_key))
            return True
    return False


def mark_superseded(subs: Sequence[Submission]) -> None:
    """F07: when a unit sent several accepted files, the latest 填报日期 (then file time) wins."""
    by_unit: dict[str, list[Submission]] = {}
    for sub in subs:
        if sub.status == ACCEPTED and sub.unit_code:
            by_unit.setdefault(sub.unit_code, []).append(sub)
    for files in by_unit.values():
        if len(files) < 2:
            continue
        files.sort(key=lambda s: (s.reported_on or dt.date.min, s.modified, s.name))
        winner = files[-1]
        for loser in files[:-1]:
            loser.status = SUPERSEDED
            loser.add("F07", Level.WARNING,
                      f"本单位本月报送了多份文件，以填报日期最晚的“{winner.name}”为准，本文件不计入。")
        others = "、".join(f"“{s.name}”" for s in files[:-1])
        winner.add("F07", Level.WARNING, f"本单位本月报送了多份文件，以本文件为准；{others} 不计入。")


def flag_possible_duplicates(subs: Sequence[Submission], earlier: Sequence[LeadRef],
                             company_threshold: float = 90, name_threshold: float = 80) -> None:
    """R14: a new lead that looks like one another unit already reported (this month or before).

    Company names are compared after removing place prefixes and legal forms, project names as
    written and as sorted characters; both must be close. The earlier 信息提供日期 keeps priority (SPEC §10.4), so the
    message says which came first.
    """
    from rapidfuzz import fuzz, process

    from zhaoshang_xls.text import company_key

    def _name_similarity(a: str, b: str) -> float:
        # Chinese names have no spaces to split into tokens: compare them as written and with
        # their characters sorted, so 年产5万吨果蔬深加工项目 and 果蔬深加工项目(年产5万吨) agree.
        return max(fuzz.ratio(a, b), fuzz.ratio("".join(sorted(a)), "".join(sorted(b))))

    refs = list(earlier)
    for sub in subs:
        if sub.status != ACCEPTED or sub.unit_code is None:
            continue
        for row in sub.rows(schema.LEADS.key):
            v = row.values
            refs.append(LeadRef(sub.unit_code, v.get("project_name", ""), v.get("investor", ""), v.get("provided_on"),
                                f"{sub.unit_code} 报送的“{sub.name}”第 {row.excel_row} 行",
                                (sub.name, row.excel_row)))
    keyed = [(r, company_key(r.investor), schema.name_key(r.name)) for r in refs]
    leads = [(sub, row, company_key(row.values.get("investor")), schema.name_key(row.values.get("project_name")))
             for sub in subs if sub.status == ACCEPTED and sub.unit_code is not None
             for row in sub.rows(schema.LEADS.key)]
    if not leads or not keyed:
        return
    # Company names of every new lead against every reference at once (C speed; a city's month
    # has thousands of leads); project names are compared only for the close pairs.
    scores = process.cdist([c for _s, _r, c, _n in leads], [c for _r, c, _n in keyed], scorer=fuzz.ratio,
                           score_cutoff=company_threshold, workers=1)
    for i, (sub, row, company, name) in enumerate(leads):
        if not company:
            continue
        v = row.values
        for j in scores[i].nonzero()[0]:
            ref, ref_company, ref_name = keyed[j]
            if ref.unit_code == sub.unit_code or not ref_company:
                continue
            if _name_similarity(name, ref_name) >= name_threshold:
                mine, theirs = v.get("provided_on"), ref.provided_on
                first = ("对方在先" if theirs and mine and theirs < mine else
                         "本单位在先" if theirs and mine and mine < theirs else "相同或不详")
                sub.duplicates[row.excel_row] = ref
                sub.add("R14", Level.WARNING,
                        f"疑似与 {ref.label}“{ref.name}”（投资方“{ref.investor}”）为同一项目；"
                        f"信息提供日期{first}。首报以信息提供日期早者为准，请招商局甄别。",
                        schema.LEADS.name, row.cells.get("project_name"))
                break
