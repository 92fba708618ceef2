"""``zsxls template``: the month's templates for every unit (项目进展 prefilled from the ledger),
and the year's 税收台账 for 财税工作组."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.compute.projects import progress_prefill, taxable_projects
from zhaoshang_xls.config import year_in_range
from zhaoshang_xls.errors import UsageError
from zhaoshang_xls.ledger import open_ledger
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.reports.templates import (
    MonthlyTemplate,
    monthly_template_name,
    write_monthly_template,
    write_tax_template,
)
from zhaoshang_xls.roster import Unit
from zhaoshang_xls.usecases.month import earlier_months, month_notes, unconsolidated_months
from zhaoshang_xls.workspace import Workspace


def write_month_templates(
    workspace: Workspace,
    month: Month,
    unit_code: str | None = None,
    out_dir: Path | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[Iterable[Unit]], Iterable[Unit]] = iter,
) -> tuple[list[Path], list[str]]:
    """One template per roster unit (or only ``unit_code``) into ``输出/模板/<month>/``; returns
    the files written and what to warn of: the roster's warnings, a month outside the campaign,
    earlier months with a folder but not in the ledger (their projects would be missing from
    the 项目进展 prefill)."""
    roster, issues = load_roster(workspace.roster_path, month.year)
    warnings = [i.render() for i in issues] + month_notes(workspace, month)
    pending = [m for m, _folder, _redo in unconsolidated_months(workspace, earlier_months(workspace, month))]
    if pending:
        labels = "、".join(m.label for m in pending)
        warnings.append(f"注意：{labels} 有报表文件夹但还没有汇总，"
                        f"这些月份报送的项目不会出现在模板的“{schema.PROGRESS.name}”中；"
                        f"请先运行 zsxls consolidate {pending[-1]}（会一并汇总之前的月份），再生成模板。")
    units: Sequence[Unit] = roster.units
    if unit_code is not None:
        unit = roster.unit(unit_code.strip().upper())
        if unit is None:
            known = "、".join(u.code for u in roster.units)
            raise UsageError(f"目标责任表中没有单位编码 {unit_code}。已有的编码：{known}。")
        units = (unit,)
    target = out_dir or workspace.template_dir(str(month))
    now = now or dt.datetime.now().replace(microsecond=0)
    prefill = ledger_prefill(workspace, month)
    written = []
    for unit in progress(units):
        spec = MonthlyTemplate(
            config=workspace.config,
            month=month,
            unit=unit,
            cadre_names=tuple(c.name for c in roster.cadres_of(unit.code)),
            secret=workspace.secret,
            generated_at=now,
            projects=tuple(prefill.get(unit.code, ())),
        )
        written.append(write_monthly_template(target / monthly_template_name(unit, month), spec))
    return written, warnings


def ledger_prefill(workspace: Workspace, month: Month) -> dict[str, list[dict[str, Any]]]:
    """Each unit's projects as last reported before ``month`` (none before the first consolidation)."""
    with open_ledger(workspace) as ledger:
        return progress_prefill(ledger.frames(str(month.previous)), month)


def write_workspace_tax_template(workspace: Workspace, year: int, out_dir: Path | None = None,
                                 now: dt.datetime | None = None) -> tuple[Path, list[str]]:
    """税收台账 for ``year`` into ``输出/模板/``, one row per project that has reached the
    configured stage (开工); and what to warn of (no such project: an empty table)."""
    if not year_in_range(year):
        raise UsageError(f"--tax 应为四位年份，如 2024（现为 {year}）。")
    with open_ledger(workspace) as ledger:
        frames = ledger.frames(f"{year}-12")
    projects = taxable_projects(frames, year, workspace.config.reward.tax_share.from_stage)
    target = (out_dir or workspace.template_dir("")) / f"{year}_{schema.TAX_FILE}"
    stage = workspace.config.reward.tax_share.from_stage
    notes = [] if projects else [f"注意：台账中到 {year} 年底还没有达到“{stage}”阶段的项目，税收台账中没有可填的行"
                                 "（先汇总各月报表，或确认项目进展是否已报）。"]
    path = write_tax_template(target, workspace.config, year, projects, now or dt.datetime.now().replace(microsecond=0))
    return path, notes
