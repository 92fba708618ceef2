"""``zsxls annual YEAR``: 年终考核 from the ledger (docs/rules.md, 年终考核).

Without ``--finalize`` it is an estimate (测算): the settlements are only read. With it, the tax
years of 税收台账.xlsx and every reward line not settled before are recorded in one transaction;
a later run shows them as settled and never pays them again. Assessed months with a folder but
not in the ledger are consolidated first (and the run says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from zhaoshang_xls import schema
from zhaoshang_xls.compute.annual import Annual, assess_year, frozen, merged_taxes, project_facts
from zhaoshang_xls.compute.penalties import Deduction
from zhaoshang_xls.config import year_in_range
from zhaoshang_xls.errors import UsageError
from zhaoshang_xls.issues import Issue
from zhaoshang_xls.ledger import open_ledger
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.reading.taxes import TaxBook, read_tax_book
from zhaoshang_xls.records import MoneyLine
from zhaoshang_xls.reports.annual import write_annual_report
from zhaoshang_xls.reports.receipts import tax_receipt_lines, write_file_receipt
from zhaoshang_xls.usecases.month import (
    RECEIPTS_DIR,
    Announce,
    Preloaded,
    Progress,
    after_commit,
    assessed_in,
    consolidate_missing,
)
from zhaoshang_xls.workspace import Workspace


@dataclass
class AnnualRun:
    annual: Annual
    finalized: bool
    recorded: int = 0  # settlements recorded by this run
    tax_book: TaxBook | None = None
    outputs: list[Path] = field(default_factory=list)
    preloaded: Preloaded = field(default_factory=Preloaded)

    @property
    def tax_issues(self) -> list[Issue]:
        return self.tax_book.issues if self.tax_book else []

    @property
    def ledger_changed(self) -> bool:
        """Whether this run changed the ledger (months consolidated first, or settlements recorded)."""
        return bool(self.preloaded.results) or self.recorded > 0 or (self.finalized and bool(self.tax_book))


def annual_report_path(workspace: Workspace, year: int) -> Path:
    return workspace.output_dir / f"{year}_年终考核.xlsx"


def run_annual(workspace: Workspace, year: int, *, finalize: bool = False, generated: dt.datetime | None = None,
               progress: Callable[[Month], Progress] | None = None, announce: Announce | None = None) -> AnnualRun:
    """Assess ``year``; record the settlements when ``finalize``; write the workbook and the
    税收台账 receipt."""
    if not year_in_range(year):
        raise UsageError(f"年度应为四位年份，如 2024（现为 {year}）。")
    assessed = assessed_in(workspace, year)
    preloaded = consolidate_missing(workspace, assessed, progress, announce)
    when = generated or dt.datetime.now().replace(second=0, microsecond=0)
    roster, _warnings = load_roster(workspace.roster_path, year)
    with open_ledger(workspace) as ledger:
        have = ledger.months()
        empty = [m for m in assessed if str(m) not in have]
        if len(empty) == len(assessed) and year not in ledger.finalised_years():
            raise UsageError(f"{year} 年的考核月份（{assessed[0].label}至{assessed[-1].label}）在台账中都没有数据，"
                             "工作目录中也没有这些月份的报表文件夹，无法考核（否则每个单位都会按零完成扣罚）。"
                             f"请先把各月收回的报表放入以月份命名的文件夹（如 {assessed[0]}/），再运行。")
        frames = ledger.frames("9999-12")  # later years' files too: a fact reported late counts in its year
        facts = project_facts(frames, year)
        tax_path = workspace.root / schema.TAX_FILE
        book = read_tax_book(tax_path, {f.project_id for f in facts}) if tax_path.exists() else None
        records = book.records if book else None
        finalised = ledger.finalised_years() - {year}
        annual = assess_year(year, facts, roster, workspace.config, merged_taxes(ledger.taxes(), records),
                             ledger.settled(), finalised)
        annual = frozen(annual, ledger.year_results(year), roster)
        recorded = 0
        if finalize:
            recorded = ledger.finalize(year, annual.to_settle(), book.records if book else (),
                                       book.file_name if book else "", annual.results())
            annual = assess_year(year, facts, roster, workspace.config, ledger.taxes(), ledger.settled(), finalised)
            annual = frozen(annual, ledger.year_results(year), roster)
    if empty:  # said in the console and the workbook: nothing of those months is counted
        annual = replace(annual, notes=[
            f"{'、'.join(m.label for m in empty)} 台账中没有数据，工作目录中也没有这些月份的文件夹："
            "这些月份的报送和项目都没有计入。", *annual.notes])
    run = AnnualRun(annual, finalize, recorded, book, preloaded=preloaded)
    done = f"{year} 年的结算已记入台账（本次 {recorded} 笔）" if finalize else "台账未改动"
    with after_commit(done):
        if book is not None:
            stem = Path(book.file_name).stem
            run.outputs.append(write_file_receipt(
                workspace.output_dir / RECEIPTS_DIR / f"{stem}_回执.xlsx", f"{stem}回执", f"文件：{book.file_name}",
                tax_receipt_lines(book, when), book.issues, book.sheets, when))
        run.outputs.insert(0, write_annual_report(annual_report_path(workspace, year), annual, roster, when,
                                                  finalized=finalize))
    return run


def json_annual(run: AnnualRun) -> dict[str, object]:
    """The ``--json`` object of ``annual`` (README, --json): money as exact decimal strings."""
    from zhaoshang_xls.usecases.rankings import json_ratio

    a = run.annual

    def lines(kind: list[MoneyLine]) -> list[dict[str, object]]:
        return [{"project": m.project_id, "name": m.project_name, "recipient": m.recipient, "unit": m.unit_code,
                 "sequence": m.sequence, "gross": f"{m.gross:.2f}", "offset": f"{m.offset:.2f}",
                 "payable": f"{m.payable:.2f}",
                 "status": m.status, "basis": m.basis} for m in kind]

    def deduction(d: Deduction | None) -> dict[str, object] | None:
        return None if d is None else {"amount": f"{d.amount:.2f}", "veto": d.veto, "admonish": d.admonish,
                                       "basis": d.basis}

    return {
        "year": a.year,
        "finalized": run.finalized,
        "recorded": run.recorded,
        "info": lines(a.info),
        "intro": lines(a.intro),
        "tax_share": lines(a.tax_share),
        "units": [{"unit": u.code, "name": u.name, "type": u.type, "target_amount": None if u.target_amount is None
                   else str(u.target_amount), "target_projects": u.target_projects,
                   "signed_amount": str(u.signed_amount), "signed": list(u.signed),
                   "completion": json_ratio(u.completion), "deduction": deduction(u.deduction)} for u in a.units],
        "cadres": [{"cadre": c.code, "name": c.name, "unit": c.unit_code, "rank": c.rank,
                    "completion": json_ratio(c.completion), "deduction": deduction(c.deduction)} for c in a.cadres],
        "totals": {"info": f"{sum((m.payable for m in a.info), Decimal(0)):.2f}",
                   "intro": f"{sum((m.payable for m in a.intro), Decimal(0)):.2f}",
                   "tax_share": f"{sum((m.payable for m in a.tax_share), Decimal(0)):.2f}",
                   "deductions": f"{sum((d.amount for d in a.deductions), Decimal(0)):.2f}"},
        "notes": list(a.notes),
        "tax_issues": [{"code": i.code, "level": i.level.value, "sheet": i.sheet, "cell": i.cell,
                        "message": i.message} for i in run.tax_issues],
        "outputs": [str(p) for p in run.outputs],
    }
