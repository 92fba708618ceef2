"""The archive beside the ledger: every file a month was consolidated from, stored by content
under ``.zsxls/archive/<sha256>``, and its index — what ``zsxls rebuild`` reads back.

The files are copied (and flushed to disk) *before* the ledger's commit; the index is the
ledger's ``archive_files`` table, replaced with the month in the same transaction, so a month is
in the ledger and in the index or in neither. ``index.jsonl`` is an export of that table written
inside the same transaction (for a ledger that cannot be opened any more).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Engine, delete, insert, select

from zhaoshang_xls.errors import OutputError
from zhaoshang_xls.fileio import write_atomic, write_text_atomic
from zhaoshang_xls.ledger import tables as t
from zhaoshang_xls.ledger.tables import Money
from zhaoshang_xls.periods import Month
from zhaoshang_xls.records import ACCEPTED, InputFile, Submission
from zhaoshang_xls.workspace import Workspace

ARCHIVE_DIR = "archive"
ARCHIVE_INDEX = "index.jsonl"


def archive_dir(workspace: Workspace) -> Path:
    folder = workspace.ensure_state_dir() / ARCHIVE_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def store_files(workspace: Workspace, subs: Sequence[Submission]) -> list[dict[str, Any]]:
    """Copy each file read for a month into the archive, durably, before the ledger commits;
    returns the month's index entries. A file refused for its size (F10) is not kept."""
    folder = archive_dir(workspace)
    entries = []
    for sub in subs:
        if any(i.code == "F10" for i in sub.issues) or not sub.path.is_file():
            continue
        target = folder / sub.sha256
        if not target.exists():
            try:
                _copy_atomic(sub.path, target)
            except OutputError as exc:  # the archive's copy, not the unit's file, could not be written
                raise OutputError(f"无法把 {sub.name} 存入存档 {folder}：{exc}。") from exc
        entries.append({"sha256": sub.sha256, "name": sub.name, "modified": sub.modified,
                        "received": sub.received, "status": sub.status})
    return entries


def record_index(conn: Connection, workspace: Workspace, month: Month, entries: Sequence[dict[str, Any]]) -> None:
    """Inside the ledger's transaction: ``month``'s index entries replace its old ones, and the
    ``index.jsonl`` export is rewritten (the writer lock is held: two runs never interleave)."""
    _import_legacy_index(conn, workspace)
    conn.execute(delete(t.archive_files).where(t.archive_files.c.month == str(month)))
    if entries:
        conn.execute(insert(t.archive_files), [{"month": str(month), **e} for e in entries])
    rows = conn.execute(select(t.archive_files).order_by(t.archive_files.c.month, t.archive_files.c.id)).mappings()
    write_text_atomic(archive_dir(workspace) / ARCHIVE_INDEX, "".join(_line(r) + "\n" for r in rows), durable=True)


def archived_months(workspace: Workspace, engine: Engine | Connection | None
                    ) -> dict[Month, list[InputFile]] | None:
    """The archived files of every month, in month order, from the ledger's index (``engine``),
    else from the ``index.jsonl`` export; None when nothing was ever archived."""
    entries: list[dict[str, Any]] = []
    if engine is not None:
        from zhaoshang_xls.ledger.store import reading

        with reading(engine) as conn:
            entries = [dict(r) for r in conn.execute(
                select(t.archive_files).order_by(t.archive_files.c.month, t.archive_files.c.id)).mappings()]
    if not entries:
        entries = _exported(workspace)
    if not entries:
        return None
    folder = workspace.state_dir / ARCHIVE_DIR
    months: dict[Month, list[InputFile]] = {}
    for e in entries:
        month = Month(int(e["month"][:4]), int(e["month"][5:]))
        months.setdefault(month, []).append(InputFile(folder / e["sha256"], e["name"], e["modified"], e["received"]))
    return dict(sorted(months.items()))


def archive_in_use(workspace: Workspace) -> bool:
    """Whether months were ever consolidated here (the archive's index or export exists)."""
    folder = workspace.state_dir / ARCHIVE_DIR
    return (folder / ARCHIVE_INDEX).exists() or (folder / CARRIED_EXPORT).exists()


def set_aside(workspace: Workspace) -> Path | None:
    """Move an export that does not check out aside (never overwritten: it may be the only copy)."""
    path = workspace.state_dir / ARCHIVE_DIR / CARRIED_EXPORT
    if not path.exists():
        return None
    kept = path.with_name(f"carried.damaged-{dt.datetime.now():%Y%m%d-%H%M%S}.json")
    path.replace(kept)
    return kept


def _line(row: Any) -> str:
    entry = {"sha256": row["sha256"], "month": row["month"], "name": row["name"],
             "modified": row["modified"].isoformat(), "status": row["status"]}
    if row["received"] is not None:  # the mail's date (zsxls collect): 迟报 survives a rebuild
        entry["received"] = row["received"].isoformat()
    return json.dumps(entry, ensure_ascii=False)


def _exported(workspace: Workspace) -> list[dict[str, Any]]:
    """The ``index.jsonl`` export (or the index of an older version, accepted files only)."""
    index = workspace.state_dir / ARCHIVE_DIR / ARCHIVE_INDEX
    if not index.exists():
        return []
    entries = []
    for line in index.read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            entries.append({"month": e["month"], "sha256": e["sha256"], "name": e["name"],
                            "modified": dt.datetime.fromisoformat(e["modified"]),
                            "received": dt.datetime.fromisoformat(e["received"]) if e.get("received") else None,
                            "status": e.get("status", ACCEPTED)})
    return entries


def _import_legacy_index(conn: Connection, workspace: Workspace) -> None:
    """A ledger from before ``archive_files`` takes the months of the old index file once."""
    if conn.execute(select(t.archive_files.c.id).limit(1)).first() is None:
        legacy = _exported(workspace)
        if legacy:
            conn.execute(insert(t.archive_files), legacy)


def _copy_atomic(source: Path, target: Path) -> None:
    def copy(tmp: Path) -> None:
        shutil.copyfile(source, tmp)

    write_atomic(target, copy, durable=True)


# ---------------------------------------------------------------- what no monthly file holds

CARRIED_EXPORT = "carried.json"
_FORMAT = 1


def export_carried(conn: Connection, workspace: Workspace) -> None:
    """Inside a write transaction (the writer lock held): the tables no monthly file holds — the
    id registry, settlements, screening decisions, taxes, frozen year results, runs — exported
    beside the archive with a checksum, so ``rebuild`` can restore them when the ledger is lost."""
    from zhaoshang_xls.ledger.store import CARRIED_TABLES

    tables = {table.name: [{k: _plain(v) for k, v in row.items()} for row in conn.execute(
        select(table).order_by(*table.primary_key.columns)).mappings()] for table in CARRIED_TABLES}
    body = json.dumps(tables, ensure_ascii=False, sort_keys=True)
    text = json.dumps({"format": _FORMAT, "sha256": hashlib.sha256(body.encode()).hexdigest(), "tables": tables},
                      ensure_ascii=False, sort_keys=True)
    write_text_atomic(archive_dir(workspace) / CARRIED_EXPORT, text, durable=True)


def load_carried(workspace: Workspace) -> tuple[dict[str, list[dict[str, Any]]] | None, str | None]:
    """The exported tables, checked; (None, why) when there is no export or it does not check out."""
    path = workspace.state_dir / ARCHIVE_DIR / CARRIED_EXPORT
    if not path.exists():
        return None, "存档中没有台账其他数据的导出(由较早版本建立)"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        tables = data["tables"]
        body = json.dumps(tables, ensure_ascii=False, sort_keys=True)
        if data.get("format") != _FORMAT or hashlib.sha256(body.encode()).hexdigest() != data.get("sha256"):
            return None, f"存档中的 {CARRIED_EXPORT} 校验不符（已被改动或损坏）"
    except (OSError, ValueError, KeyError, TypeError):
        return None, f"存档中的 {CARRIED_EXPORT} 无法读取"
    return tables, None


def restore_carried(conn: Connection, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Insert the exported tables into a fresh ledger (inside the caller's transaction)."""
    from zhaoshang_xls.ledger.store import CARRIED_TABLES

    for table in CARRIED_TABLES:
        rows = [{k: _typed(table.c[k].type, v) for k, v in row.items() if k in table.c}
                for row in tables.get(table.name, [])]
        if rows:
            conn.execute(insert(table), rows)


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _typed(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, Money):
        return Decimal(value)
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    return value
