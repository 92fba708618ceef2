"""Helpers shared by the tests: loading repo scripts, summarising workbook content."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

REPO = Path(__file__).resolve().parent.parent


def copy_samples(target: Path) -> Path:
    """A scratch copy of samples/ (without anything a run there may have left) at ``target``."""
    import shutil

    shutil.copytree(REPO / "samples", target, ignore=shutil.ignore_patterns("输出", "ledger.sqlite", "archive"))
    return target


def init_keeping_examples(root: Path) -> Path:
    """``zsxls init`` in ``root``, then the roster's example units kept as real (the 示例 mark
    removed, as a clerk whose district has LD, C01 and D01 would)."""
    from zhaoshang_xls.fileio import write_atomic
    from zhaoshang_xls.reports.templates import build_roster_template
    from zhaoshang_xls.usecases.init import init_workspace
    from zhaoshang_xls.workspace import open_workspace

    init_workspace(root)
    write_atomic(open_workspace(root).roster_path, lambda tmp: build_roster_template().save(tmp))
    return root


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` as a module."""
    path = REPO / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"scripts_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def workbook_content(path: Path) -> dict[str, Any]:
    """Everything a person or a reader sees in a workbook, read back with openpyxl.

    Values, number formats, fonts, fills, protection, merged cells, validations, sheet
    states, freeze panes, print setup and widths; used to compare files by content.
    """
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out: dict[str, Any] = {"sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets]}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                cells[cell.coordinate] = (
                    cell.value, cell.number_format, cell.font.b, cell.font.i, cell.font.color and cell.font.color.rgb,
                    cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type else None, cell.protection.locked,
                )
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": sorted(
                (str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.prompt, dv.error, dv.errorStyle)
                for dv in ws.data_validations.dataValidation
            ),
            "protected": ws.protection.sheet,
            "freeze": ws.freeze_panes,
            "print": (ws.page_setup.paperSize, ws.page_setup.orientation, ws.page_setup.fitToWidth,
                      ws.page_setup.fitToHeight, ws.print_title_rows),
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
        }
    return out


def unavailable(required: str, message: str) -> NoReturn:
    """A test server or tool is missing: skip, or fail when the ``required`` variable is 1 (CI
    sets it, so CI always runs these tests)."""
    import os

    import pytest

    if os.environ.get(required) == "1":
        pytest.fail(message)
    pytest.skip(message)


def service_or_skip(variable: str, required: str, message: str) -> str:
    """The value of ``variable`` (a test server's address), else see ``unavailable``."""
    import os

    value = os.environ.get(variable)
    if not value:
        unavailable(required, message)
    return value
