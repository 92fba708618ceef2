"""The ledger: the database of every accepted row with its provenance, the bureau's decisions,
the taxes and the settlements (docs/architecture.md). Every SQL statement of zsxls is in this
package; the rest of the program sees a ``Ledger`` opened with ``with open_ledger(workspace)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from zhaoshang_xls.errors import LedgerMissing
from zhaoshang_xls.ledger import store
from zhaoshang_xls.ledger.archive import archive_in_use, archived_months, export_carried, restore_carried
from zhaoshang_xls.ledger.query import load_frames
from zhaoshang_xls.periods import Month
from zhaoshang_xls.records import (
    InputFile,
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
T = TypeVar("T")


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
    """An open ledger. Reads return records or frames; each write is one transaction, which also
    rewrites the workspace's export of what no monthly file holds (``export``; docs/architecture.md)."""

    engine: store.Bind  # the engine, or inside ``transaction`` the transaction's connection
    export: Callable[[Connection], None] | None = None

    def transaction(self, work: Callable[[Ledger], T]) -> T:
        """Run ``work`` with a ledger bound to one write transaction: its reads see its own writes,
        and everything it does is committed together, or nothing (an exception rolls it all back).
        The export of what no monthly file holds is written once, at its end."""
        with store.writing(self.engine) as conn:
            value = work(Ledger(conn))
            if self.export is not None:
                self.export(conn)
        return value

    def _within(self, first: Callable[[Connection], None] | None = None) -> Callable[[Connection], None] | None:
        if first is None or self.export is None:
            return first or self.export
        export = self.export

        def both(conn: Connection) -> None:
            first(conn)
            export(conn)

        return both

    def check_intact(self) -> None:
        """LedgerDamaged unless the database checks out page by page (SQLite ``quick_check``)."""
        store.check_intact(self.engine)

    def export_now(self) -> None:
        """Write the export (after ``rebuild`` put a new ledger in place)."""
        if self.export is not None:
            with store.writing(self.engine) as conn:
                self.export(conn)

    def restore(self, tables: Mapping[str, list[dict[str, Any]]]) -> None:
        """Fill a fresh ledger's carried tables from an export (``rebuild`` of a lost ledger)."""
        with store.writing(self.engine) as conn:
            restore_carried(conn, dict(tables))

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

    def replace_month(self, month: Month, subs: Sequence[Submission],
                      within: Callable[[Connection], None] | None = None) -> int:
        """Replace ``month`` with ``subs`` in one transaction (``within`` runs inside it: the archive
        index); returns the run id, whose outputs are pending until :meth:`outputs_written`."""
        return store.replace_month(self.engine, month, subs, self._within(within))

    def outputs_written(self, run_id: int) -> None:
        store.outputs_written(self.engine, run_id)

    def months_without_outputs(self) -> set[str]:
        """Months committed by a run that was stopped before writing all its outputs."""
        return store.months_without_outputs(self.engine)

    def archived(self, workspace: Workspace) -> dict[Month, list[InputFile]] | None:
        """The archive's files of every month (its index is in the ledger), None when empty."""
        return archived_months(workspace, self.engine)

    def apply_screening(self, decisions: Sequence[Mapping[str, Any]], file_name: str, when: dt.date) -> int:
        return store.apply_screening(self.engine, decisions, file_name, when, self._within())

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
        return store.record_settlements(self.engine, year, lines, before=before, results=results,
                                        within=self._within())

    def year_results(self, year: int) -> list[YearResult]:
        """What the year's first finalisation froze (empty: not finalised)."""
        return store.year_results(self.engine, year)


@contextmanager
def open_url(url: str) -> Iterator[Ledger]:
    """The ledger at ``url``, connected and always closed; a database error met while using it that
    the user can act on (a damaged file found on reading, a disk error) becomes its ZsxlsError."""
    engine = store.connect(url)
    try:
        yield Ledger(engine)
    except DBAPIError as exc:
        problem = store.ledger_problem(exc, engine.url)
        if problem is None:
            raise
        raise problem from exc
    finally:
        engine.dispose()


@contextmanager
def open_ledger(workspace: Workspace) -> Iterator[Ledger]:
    """``with open_ledger(workspace) as ledger:`` — connected (tables created) and always closed.

    A workspace whose ledger file is gone but whose archive shows it was used is never given a
    new, empty ledger (its export of settlements would then be overwritten): LedgerMissing says
    to run ``zsxls rebuild``."""
    if not workspace.config.ledger.url and not (workspace.state_dir / LEDGER_FILE).exists() \
            and archive_in_use(workspace):
        raise LedgerMissing(str(workspace.state_dir / LEDGER_FILE))
    with open_url(ledger_url(workspace)) as ledger:
        ledger.export = lambda conn: export_carried(conn, workspace)
        yield ledger
