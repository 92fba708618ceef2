"""Reading the ledger into DataFrames for the computations (the only I/O they depend on)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from zhaoshang_xls.ledger import tables as t
from zhaoshang_xls.ledger.store import Bind, reading
from zhaoshang_xls.records import LedgerFrames


def _frame(engine: Bind, table: t.Table, until: str) -> pd.DataFrame:
    month_col = table.c.first_month if table is t.projects else table.c.month
    with reading(engine) as conn:
        result = conn.execute(select(table).where(month_col <= until).order_by(*table.primary_key.columns))
        rows = [dict(r) for r in result.mappings()]
        columns = list(result.keys())
    return pd.DataFrame(rows, columns=columns, dtype=object)


def load_frames(engine: Bind, until: str) -> LedgerFrames:
    """The ledger's rows for every month up to and including ``until`` (``2024-03``)."""
    return LedgerFrames(
        submissions=_frame(engine, t.submissions, until),
        contacts=_frame(engine, t.contacts, until),
        projects=_frame(engine, t.projects, until),
        updates=_frame(engine, t.project_updates, until),
        issues=_frame(engine, t.issues, until),
        screening=_all(engine, t.screening),
    )


def _all(engine: Bind, table: t.Table) -> pd.DataFrame:
    with reading(engine) as conn:
        result = conn.execute(select(table).order_by(*table.primary_key.columns))
        rows = [dict(r) for r in result.mappings()]
        columns = list(result.keys())
    return pd.DataFrame(rows, columns=columns, dtype=object)
