"""The 线索甄别 workbook the bureau fills: prefilled lead columns locked, decision columns with dropdowns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reports.templates import build_list_workbook
from zhaoshang_xls.tokens import screening_token


def write_screening_workbook(path: Path, month: Month, rows: Sequence[dict[str, Any]],
                             generated_at: dt.datetime, secret: bytes) -> Path:
    """The 线索甄别 workbook: prefilled lead columns locked, decision columns with dropdowns, and
    the workspace's token in ``_meta`` (only a file carrying it is read back)."""
    spec = replace(schema.SCREENING, input_rows=max(1, len(rows)))
    meta = {"kind": "screening", "month": str(month), "token": screening_token(secret, str(month))}
    wb = build_list_workbook(spec, rows, f"{month.label}{spec.title}", meta, generated_at)
    return write_atomic(path, lambda tmp: wb.save(tmp))
