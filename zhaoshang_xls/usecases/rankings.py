"""``zsxls quarterly 2024Q1`` and ``zsxls halfyear 2024H1``: consolidate missing months, read the
ledger, score, write the workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from zhaoshang_xls.compute.money import exact
from zhaoshang_xls.compute.quarterly import HalfYear, PeriodScores, half_year, period_scores, show
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


def json_ratio(value: object) -> str | None:
    """A completion for ``--json``: a decimal string to 4 places (0.8533 = 85.33%), None without a target."""
    if not isinstance(value, Fraction | int):
        return None
    return str(exact(Fraction(value)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


def json_scores(ranked: Ranked) -> dict[str, object]:
    """The ``--json`` object of ``quarterly`` and ``halfyear`` (README, --json)."""
    s = ranked.scores
    payload: dict[str, object] = {
        "period": str(s.span),
        "months": [str(m) for m in s.months],
        "months_without_data": [str(m) for m in s.months_without_data],
        "output": str(ranked.path),
        "units": [{"unit": u.unit_code, "name": u.unit_name, "type": u.unit_type, "group": u.group,
                   "rank": u.rank, "mark": u.mark or None, "total": str(show(u.total)),
                   "points": {k: None if v is None else str(show(v)) for k, v in u.points.items()},
                   "deduction": str(show(u.deduction)), "contacts": u.contacts, "leads": u.leads,
                   "signed_ytd": str(u.signed_ytd), "missing_months": [str(m) for m in u.missing_months],
                   "late_months": [str(m) for m in u.late_months]} for u in s.units],
        "cadres": [{"cadre": c.cadre_code, "name": c.name, "unit": c.unit_code, "title": c.rank_title, "rank": c.rank,
                    "total": str(show(c.total)), "contacts": c.contacts, "leads": c.leads} for c in s.cadres],
    }
    if ranked.half is not None:
        h = ranked.half
        payload["expected"] = json_ratio(h.expected)
        payload["summary"] = h.summary
        payload["completion"] = [
            {"unit": r["unit_code"], "name": r["unit_name"], "target_amount": _money(r["target_amount"]),
             "signed_amount": _money(r["signed_amount"]), "target_projects": r["target_projects"],
             "signed_projects": int(r["signed_count"]), "completion": json_ratio(r["completion"]),
             "behind": bool(r["behind"])}
            for r in h.completion.to_dict("records")]
    return payload


def _money(value: object) -> str | None:
    return str(value) if isinstance(value, Decimal | int) and value == value else None  # NaN: no target
