"""``zsxls annual YEAR``: 年终考核 from the ledger (SPEC §10.2, §10.4, §10.5, §11).

Without ``--finalize`` it is an estimate (测算): the ledger is only read. With it, the tax years
of 税收台账.xlsx and every reward line not settled before are recorded in one transaction;
a later run shows them as settled and never pays them again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from zhaoshang_xls import schema
from zhaoshang_xls.compute.annual import Annual, assess_year, project_facts
from zhaoshang_xls.consolidate import RECEIPTS_DIR, ledger_url
from zhaoshang_xls.issues import Issue
from zhaoshang_xls.ledger.query import load_frames
from zhaoshang_xls.ledger.store import open_ledger, record_settlements, settled_items
from zhaoshang_xls.reports.annual import write_annual_report
from zhaoshang_xls.reports.receipts import write_file_receipt
from zhaoshang_xls.roster import load_roster
from zhaoshang_xls.taxes import TaxBook, merged_taxes, read_tax_book, receipt_lines, replace_tax_years, stored_taxes
from zhaoshang_xls.workspace import Workspace


@dataclass
class AnnualRun:
    annual: Annual
    finalized: bool
    recorded: int = 0  # settlements recorded by this run
    tax_book: TaxBook | None = None
    outputs: list[Path] = field(default_factory=list)

    @property
    def tax_issues(self) -> list[Issue]:
        return self.tax_book.issues if self.tax_book else []


def annual_report_path(workspace: Workspace, year: int) -> Path:
    return workspace.output_dir / f"{year}_年终考核.xlsx"


def run_annual(workspace: Workspace, year: int, *, finalize: bool = False,
               generated: dt.datetime | None = None) -> AnnualRun:
    """Assess ``year``; record the settlements when ``finalize``; write the workbook and the
    税收台账 receipt."""
    when = generated or dt.datetime.now().replace(second=0, microsecond=0)
    roster, _warnings = load_roster(workspace.roster_path)
    engine = open_ledger(ledger_url(workspace))
    try:
        frames = load_frames(engine, f"{year}-12")
        facts = project_facts(frames, year)
        tax_path = workspace.root / schema.TAX_FILE
        book = read_tax_book(tax_path, {f.project_id for f in facts}) if tax_path.exists() else None
        settled = settled_items(engine)
        taxes = merged_taxes(stored_taxes(engine), book)
        annual = assess_year(year, facts, roster, workspace.config, taxes, settled)
        recorded = 0
        if finalize:
            recorded = record_settlements(engine, year, annual.to_settle(),
                                          before=(lambda conn: replace_tax_years(conn, book)) if book else None)
            annual = assess_year(year, facts, roster, workspace.config, merged_taxes(stored_taxes(engine), None),
                                 settled_items(engine))
    finally:
        engine.dispose()
    run = AnnualRun(annual, finalize, recorded, book)
    if book is not None:
        stem = Path(book.file_name).stem
        run.outputs.append(write_file_receipt(
            workspace.output_dir / RECEIPTS_DIR / f"{stem}_回执.xlsx", f"{stem}回执", f"文件:{book.file_name}",
            receipt_lines(book, when), book.issues, book.sheets, when))
    run.outputs.insert(0, write_annual_report(annual_report_path(workspace, year), annual, roster, when,
                                              finalized=finalize))
    return run
