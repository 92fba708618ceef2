"""The ledger: the database of every accepted row with its provenance, the bureau's decisions,
the taxes and the settlements (docs/architecture.md). Every SQL statement of zsxls is in this
package; the rest of the program sees a ``Ledger`` opened with ``with open_ledger(workspace)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from zhaoshang_xls.ledger import store
from zhaoshang_xls.ledger.query import load_frames
from zhaoshang_xls.periods import Month
from zhaoshang_xls.records import (
    LeadRef,
    LedgerFrames,
    MoneyLine,
    Registered,
    SettledItem,
    Submission,
    TaxRecord,
    YearResult,
)
from zhaoshang_xls.workspace import Workspace

LEDGER_FILE = "ledger.sqlite"


def ledger_url(workspace: Workspace) -> str:
    """The workspace's ledger: ``ledger.url`` of zsxls.toml, else ``.zsxls/ledger.sqlite``."""
    if workspace.config.ledger.url:
        return workspace.config.ledger.url
    workspace.ensure_state_dir()
    return f"sqlite:///{workspace.state_dir / LEDGER_FILE}"


def ledger_exists(workspace: Workspace) -> bool:
    """Whether there is a ledger to read (a server ledger always counts as there)."""
    return bool(workspace.config.ledger.url) or (workspace.state_dir / LEDGER_FILE).exists()


@dataclass
class Ledger:
    """An open ledger. Reads return records or frames; each write is one transaction."""

    engine: Engine

    def frames(self, until: str) -> LedgerFrames:
        """Every row for the months up to and including ``until`` (``2024-03``)."""
        return load_frames(self.engine, until)

    def months(self) -> set[str]:
        return store.months_in_ledger(self.engine)

    def project_ids(self) -> set[str]:
        return store.project_ids(self.engine)

    def provided_dates(self) -> dict[str, dt.date | None]:
        """Every project id with its 信息提供日期."""
        return store.provided_dates(self.engine)

    def decisions(self) -> dict[str, dict[str, Any]]:
        """The bureau's decision on record for each project."""
        return store.decisions(self.engine)

    def registered_before(self, month: Month) -> dict[tuple[str, str, str], Registered]:
        return store.registered_before(self.engine, month)

    def project_refs(self, month: Month) -> list[LeadRef]:
        return store.project_refs(self.engine, month)

    def replace_month(self, month: Month, subs: Sequence[Submission]) -> int:
        return store.replace_month(self.engine, month, subs)

    def apply_screening(self, decisions: Sequence[Mapping[str, Any]], file_name: str, when: dt.date) -> int:
        return store.apply_screening(self.engine, decisions, file_name, when)

    def taxes(self) -> list[TaxRecord]:
        return store.stored_taxes(self.engine)

    def settled(self) -> list[SettledItem]:
        return store.settled_items(self.engine)

    def finalised_years(self) -> set[int]:
        """Years ``annual --finalize`` has run for."""
        return store.finalised_years(self.engine)

    def finalize(self, year: int, lines: Sequence[MoneyLine], taxes: Sequence[TaxRecord] = (),
                 tax_file: str = "", results: Sequence[YearResult] = ()) -> int:
        """Record the year's settlements, the tax years of ``taxes`` and (the first time) the year's
        completions and deductions ``results``, in one transaction."""
        before = (lambda conn: store.replace_tax_years(conn, taxes, tax_file)) if taxes else None
        return store.record_settlements(self.engine, year, lines, before=before, results=results)

    def year_results(self, year: int) -> list[YearResult]:
        """What the year's first finalisation froze (empty: not finalised)."""
        return store.year_results(self.engine, year)


@contextmanager
def open_url(url: str) -> Iterator[Ledger]:
    engine = store.connect(url)
    try:
        yield Ledger(engine)
    finally:
        engine.dispose()


@contextmanager
def open_ledger(workspace: Workspace) -> Iterator[Ledger]:
    """``with open_ledger(workspace) as ledger:`` — connected (tables created) and always closed."""
    with open_url(ledger_url(workspace)) as ledger:
        yield ledger
