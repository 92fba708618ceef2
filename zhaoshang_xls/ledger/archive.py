"""The archive beside the ledger: every accepted file stored by content, and an index per month
of the files the latest run accepted (what ``zsxls rebuild`` reads back)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

from zhaoshang_xls.fileio import write_atomic, write_text_atomic
from zhaoshang_xls.periods import Month
from zhaoshang_xls.records import ACCEPTED, InputFile, Submission
from zhaoshang_xls.workspace import Workspace

ARCHIVE_DIR = "archive"
ARCHIVE_INDEX = "index.jsonl"


def archive_month(workspace: Workspace, month: Month, subs: Sequence[Submission]) -> None:
    """Copy each accepted file to ``.zsxls/archive/<sha256>`` and list them as ``month``'s files."""
    archive = workspace.ensure_state_dir() / ARCHIVE_DIR
    archive.mkdir(mode=0o700, exist_ok=True)
    index = archive / ARCHIVE_INDEX
    lines = [line for line in (index.read_text(encoding="utf-8").splitlines() if index.exists() else [])
             if line.strip() and json.loads(line)["month"] != str(month)]
    for sub in subs:
        if sub.status != ACCEPTED:
            continue
        target = archive / sub.sha256
        if not target.exists():
            _copy_atomic(sub.path, target)
        entry = {"sha256": sub.sha256, "month": str(month), "name": sub.name, "modified": sub.modified.isoformat()}
        if sub.received is not None:  # the mail's date (zsxls collect): 迟报 survives a rebuild
            entry["received"] = sub.received.isoformat()
        lines.append(json.dumps(entry, ensure_ascii=False))
    write_text_atomic(index, "".join(line + "\n" for line in lines))


def archived_months(workspace: Workspace) -> dict[Month, list[InputFile]] | None:
    """The archived files of every month, in month order; None when nothing was ever archived."""
    folder = workspace.state_dir / ARCHIVE_DIR
    index = folder / ARCHIVE_INDEX
    if not index.exists():
        return None
    entries = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines() if line.strip()]
    months: dict[Month, list[InputFile]] = {}
    for month_text in sorted({e["month"] for e in entries}):
        month = Month(int(month_text[:4]), int(month_text[5:]))
        months[month] = [InputFile(folder / e["sha256"], e["name"], dt.datetime.fromisoformat(e["modified"]),
                                   dt.datetime.fromisoformat(e["received"]) if e.get("received") else None)
                         for e in entries if e["month"] == month_text]
    return months


def _copy_atomic(source: Path, target: Path) -> None:
    def copy(tmp: Path) -> None:
        shutil.copyfile(source, tmp)

    write_atomic(target, copy)
