"""``zsxls quarterly 2024Q1`` and ``zsxls halfyear 2024H1``: read the ledger, score, write the workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from zhaoshang_xls.compute.quarterly import HalfYear, PeriodScores, half_year, period_scores
from zhaoshang_xls.consolidate import ledger_url
from zhaoshang_xls.ledger.query import LedgerFrames, load_frames
from zhaoshang_xls.ledger.store import open_ledger
from zhaoshang_xls.periods import Span
from zhaoshang_xls.reports.quarterly import write_halfyear_report, write_quarterly_report
from zhaoshang_xls.roster import Roster, load_roster
from zhaoshang_xls.workspace import Workspace


def _frames(workspace: Workspace, span: Span) -> tuple[Roster, LedgerFrames]:
    roster, _warnings = load_roster(workspace.roster_path)
    engine = open_ledger(ledger_url(workspace))
    try:
        return roster, load_frames(engine, str(span.months[-1]))
    finally:
        engine.dispose()


def run_quarterly(workspace: Workspace, span: Span, generated: dt.datetime | None = None
                  ) -> tuple[PeriodScores, Path]:
    roster, frames = _frames(workspace, span)
    scores = period_scores(frames, roster, workspace.config, span)
    when = generated or dt.datetime.now().replace(second=0, microsecond=0)
    path = write_quarterly_report(workspace.output_dir / f"{span}_一季一评比.xlsx", scores, when)
    return scores, path


def run_halfyear(workspace: Workspace, span: Span, generated: dt.datetime | None = None) -> tuple[HalfYear, Path]:
    roster, frames = _frames(workspace, span)
    half = half_year(frames, roster, workspace.config, span)
    when = generated or dt.datetime.now().replace(second=0, microsecond=0)
    path = write_halfyear_report(workspace.output_dir / f"{span}_半年小结.xlsx", half, when)
    return half, path
