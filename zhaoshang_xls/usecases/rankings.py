"""``zsxls quarterly 2024Q1`` and ``zsxls halfyear 2024H1``: consolidate missing months, read the
ledger, score, write the workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from zhaoshang_xls.compute.quarterly import HalfYear, PeriodScores, half_year, period_scores
from zhaoshang_xls.ledger import open_ledger
from zhaoshang_xls.periods import Month, Span
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.records import LedgerFrames
from zhaoshang_xls.reports.quarterly import write_halfyear_report, write_quarterly_report
from zhaoshang_xls.roster import Roster
from zhaoshang_xls.usecases.month import Announce, Preloaded, Progress, consolidate_missing
from zhaoshang_xls.workspace import Workspace


@dataclass
class Ranked:
    scores: PeriodScores
    path: Path
    preloaded: Preloaded
    half: HalfYear | None = None


def _prepare(workspace: Workspace, span: Span, progress: Callable[[Month], Progress] | None,
             announce: Announce | None) -> tuple[Preloaded, Roster, LedgerFrames, dt.datetime]:
    """Consolidate the span's missing months, then read the roster and the ledger up to the span's end."""
    preloaded = consolidate_missing(workspace, span.months, progress, announce)
    roster, _warnings = load_roster(workspace.roster_path, span.months[-1].year)
    with open_ledger(workspace) as ledger:
        frames = ledger.frames(str(span.months[-1]))
    return preloaded, roster, frames, dt.datetime.now().replace(second=0, microsecond=0)


def run_quarterly(workspace: Workspace, span: Span, generated: dt.datetime | None = None, *,
                  progress: Callable[[Month], Progress] | None = None, announce: Announce | None = None) -> Ranked:
    preloaded, roster, frames, now = _prepare(workspace, span, progress, announce)
    scores = period_scores(frames, roster, workspace.config, span)
    path = write_quarterly_report(workspace.output_dir / f"{span}_一季一评比.xlsx", scores, generated or now)
    return Ranked(scores, path, preloaded)


def run_halfyear(workspace: Workspace, span: Span, generated: dt.datetime | None = None, *,
                 progress: Callable[[Month], Progress] | None = None, announce: Announce | None = None) -> Ranked:
    preloaded, roster, frames, now = _prepare(workspace, span, progress, announce)
    half = half_year(frames, roster, workspace.config, span)
    path = write_halfyear_report(workspace.output_dir / f"{span}_半年小结.xlsx", half, generated or now)
    return Ranked(half.scores, path, preloaded, half)
