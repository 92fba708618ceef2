"""``zsxls consolidate``: read a month folder, validate, and replace that month in the ledger."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from zhaoshang_xls.chasing import UnitState, unit_states, write_reminders
from zhaoshang_xls.collect import received_dates
from zhaoshang_xls.compute.monthly import monthly_figures
from zhaoshang_xls.errors import UsageError
from zhaoshang_xls.fileio import write_atomic, write_text_atomic
from zhaoshang_xls.issues import Issue, Level
from zhaoshang_xls.ledger.query import LedgerFrames, load_frames
from zhaoshang_xls.ledger.store import (
    copy_carried_tables,
    known_projects,
    months_in_ledger,
    open_ledger,
    project_refs,
    replace_month,
)
from zhaoshang_xls.periods import Month, parse_month
from zhaoshang_xls.reading.detect import is_lock_file
from zhaoshang_xls.reading.monthly import ACCEPTED, REJECTED, Submission, read_submission
from zhaoshang_xls.reports.monthly import write_monthly_report
from zhaoshang_xls.reports.receipts import write_receipt
from zhaoshang_xls.roster import Roster, Unit, load_roster
from zhaoshang_xls.screening import (
    apply_screening,
    is_screening_file,
    read_screening,
    screening_path,
    screening_rows,
    write_screening_workbook,
)
from zhaoshang_xls.validate import (
    LeadRef,
    ProjectState,
    flag_possible_duplicates,
    mark_superseded,
    validate_submission,
)
from zhaoshang_xls.workspace import Workspace

ARCHIVE_INDEX = "index.jsonl"
RECEIPTS_DIR = "回执"
_NOT_INPUTS = {"收件记录.csv"}


@dataclass
class MonthResult:
    month: Month
    submissions: list[Submission]
    missing: list[Unit] = field(default_factory=list)  # roster units without an accepted file
    outputs: list[Path] = field(default_factory=list)
    screening_issues: list[Issue] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(s.status == status for s in self.submissions)

    @property
    def rows_rejected(self) -> int:
        return sum(1 for s in self.submissions if s.status == ACCEPTED
                   for i in s.issues if i.level is Level.ERROR)

    due: dt.date | None = None

    @property
    def late(self) -> list[Submission]:
        """Accepted files whose 填报日期 is after the due day (SPEC §9.2)."""
        if self.due is None:
            return []
        return [s for s in self.submissions if s.status == ACCEPTED and s.arrived_on > self.due]

    @property
    def all_accepted(self) -> bool:
        return self.count(REJECTED) == 0 and self.rows_rejected == 0


def folder_month(folder: Path, explicit: str | None = None) -> Month:
    """The month a folder holds: ``--month`` if given, else the folder's name (2024-03, 2024年3月, 202403)."""
    if explicit:
        month = parse_month(explicit)
        if month is None:
            raise UsageError(f"无法识别月份 {explicit!r}:请写成 2024-03、2024年3月 或 202403。")
        return month
    month = parse_month(folder.resolve().name)
    if month is None:
        raise UsageError(f"无法从文件夹名“{folder.name}”看出月份:请把文件夹命名为 2024-03,或加 --month 2024-03。")
    return month


def input_files(folder: Path) -> list[Path]:
    """Every file a unit may have sent: all files but lock files, hidden files and our own logs."""
    if not folder.is_dir():
        raise UsageError(f"找不到文件夹 {folder}。")
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not is_lock_file(p) and not p.name.startswith(".") and p.name not in _NOT_INPUTS
                  and not is_screening_file(p))


def ledger_url(workspace: Workspace) -> str:
    if workspace.config.ledger.url:
        return workspace.config.ledger.url
    workspace.ensure_state_dir()
    return f"sqlite:///{workspace.state_dir / 'ledger.sqlite'}"


@dataclass(frozen=True)
class InputFile:
    """A file to read: where it is, and the name and time to record (archived copies differ)."""

    path: Path
    name: str | None = None
    modified: dt.datetime | None = None
    received: dt.datetime | None = None  # the mail's date, for files saved by zsxls collect


def consolidate_month(workspace: Workspace, folder: Path, month: Month, *, today: dt.date | None = None,
                      progress: Callable[[list[InputFile]], Iterable[InputFile]] = iter,
                      receipts: bool = True) -> MonthResult:
    """Read every file of ``folder``, validate, replace ``month`` in the ledger, write the report
    (and a receipt per file unless ``receipts`` is false).

    A bad file never stops the others; input files are only read. ``progress`` wraps the
    reading of the files (a progress bar on a terminal).
    """
    roster, _warnings = load_roster(workspace.roster_path)
    received = received_dates(folder)
    files = [InputFile(p, received=received.get(p.name)) for p in input_files(folder)]
    result = consolidate_files(workspace, roster, month, files, ledger_url(workspace), today=today,
                               progress=progress)
    _archive(workspace, month, result.submissions)
    engine = open_ledger(ledger_url(workspace))
    for path in screening_files(folder):  # the bureau's decisions dropped into the month folder
        result.screening_issues += screen_file(engine, path)[1]
    frames = load_frames(engine, str(month))
    engine.dispose()
    result.outputs.append(write_month_report(workspace, roster, frames, month))
    if receipts:
        result.outputs += write_receipts(workspace, roster, month, result.submissions)
    names = {u.code: u.name for u in roster.units}
    files_by_id = dict(zip(frames.submissions["id"], frames.submissions["file_name"], strict=True))
    projects = frames.projects.assign(file_name=frames.projects["submission_id"].map(files_by_id)) \
        if not frames.projects.empty else frames.projects
    rows = screening_rows(month, result.submissions, projects, frames.screening, names)
    result.outputs.append(write_screening_workbook(screening_path(workspace.output_dir, month), month, rows,
                                                   dt.datetime.now().replace(microsecond=0)))
    return result


def screening_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and is_screening_file(p) and not is_lock_file(p))


def screen_file(engine: Engine, path: Path) -> tuple[list[dict[str, Any]], list[Issue]]:
    """Read one 线索甄别 workbook into the ledger; returns the decisions applied and the issues."""
    decisions, issues = read_screening(path, engine)
    apply_screening(engine, decisions, path.name, dt.date.today())
    return decisions, issues


def write_receipts(workspace: Workspace, roster: Roster, month: Month | None,
                   subs: Sequence[Submission]) -> list[Path]:
    """One 回执 per submitted file into ``输出/回执/<month>/`` (``未识别月份/`` without a month)."""
    folder = workspace.output_dir / RECEIPTS_DIR / (str(month) if month else "未识别月份")
    now = dt.datetime.now().replace(second=0, microsecond=0)
    names = {u.code: u.name for u in roster.units}
    return [write_receipt(folder, sub, workspace.config, names.get(sub.unit_code or ""), now) for sub in subs]


def check_paths(workspace: Workspace, paths: Sequence[Path], month: Month | None = None, *,
                today: dt.date | None = None) -> MonthResult:
    """Validate files (or folders of files) and write their receipts; the ledger is only read.

    The month is ``month``, else the folder's name, else what each file declares.
    """
    roster, _warnings = load_roster(workspace.roster_path)
    files = [f for p in paths for f in (input_files(p) if p.is_dir() else [p])]
    for f in files:
        if not f.is_file():
            raise UsageError(f"找不到文件 {f}。")
    ledger_file = workspace.state_dir / "ledger.sqlite"
    read_ledger = bool(workspace.config.ledger.url) or ledger_file.exists()
    ledger: dict[Month, tuple[dict[str, ProjectState], list[LeadRef]]] = {}
    subs = []
    for path in files:
        file_month = month or parse_month(path.parent.name)
        sub = read_submission(path, roster, file_month, workspace.secret)
        known = None
        if read_ledger and sub.month is not None:
            if sub.month not in ledger:
                engine = open_ledger(ledger_url(workspace))
                ledger[sub.month] = (known_projects(engine, sub.month), project_refs(engine, sub.month))
                engine.dispose()
            known = ledger[sub.month][0]
        validate_submission(sub, roster, known, today or dt.date.today())
        subs.append(sub)
    refs = [ref for _known, month_refs in ledger.values() for ref in month_refs]
    mark_superseded(subs)
    flag_possible_duplicates(subs, refs)
    months = {s.month for s in subs if s.month is not None}
    result = MonthResult(min(months) if months else Month(2000, 1), subs)
    for m in sorted(months):
        result.outputs += write_receipts(workspace, roster, m, [s for s in subs if s.month == m])
    unknown = [s for s in subs if s.month is None]
    if unknown:
        result.outputs += write_receipts(workspace, roster, None, unknown)
    return result


def consolidate_files(workspace: Workspace, roster: Roster, month: Month, files: Sequence[InputFile], url: str, *,
                      today: dt.date | None = None,
                      progress: Callable[[list[InputFile]], Iterable[InputFile]] = iter) -> MonthResult:
    """Read and validate ``files`` as ``month``'s submissions and replace that month in the ledger at ``url``."""
    engine = open_ledger(url)
    try:
        known = known_projects(engine, month)
        today = today or dt.date.today()
        subs = []
        for f in progress(list(files)):
            sub = read_submission(f.path, roster, month, workspace.secret, name=f.name, modified=f.modified,
                                  received=f.received)
            validate_submission(sub, roster, known, today)
            subs.append(sub)
        mark_superseded(subs)
        flag_possible_duplicates(subs, project_refs(engine, month))
        replace_month(engine, month, subs)
    finally:
        engine.dispose()
    sent = {s.unit_code for s in subs if s.status == ACCEPTED}
    return MonthResult(month, subs, [u for u in roster.units if u.code not in sent],
                       due=month.due_date(workspace.config.monthly.report_due_day))


def _archive(workspace: Workspace, month: Month, subs: list[Submission]) -> None:
    """Copy each accepted file to ``.zsxls/archive/<sha256>``; the index lists, per month, the
    accepted files of the latest run (what ``zsxls rebuild`` reads back)."""
    archive = workspace.ensure_state_dir() / "archive"
    archive.mkdir(mode=0o700, exist_ok=True)
    index = archive / ARCHIVE_INDEX
    lines = [line for line in (index.read_text(encoding="utf-8").splitlines() if index.exists() else [])
             if json.loads(line)["month"] != str(month)]
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


def _copy_atomic(source: Path, target: Path) -> None:
    def copy(tmp: Path) -> None:
        shutil.copyfile(source, tmp)

    write_atomic(target, copy)


def rebuild_ledger(workspace: Workspace) -> list[MonthResult]:
    """Recreate the ledger from ``.zsxls/archive``: every archived month re-read in order.

    Tables that no monthly file holds (the id registry, settlements, screening decisions,
    taxes) are carried over from the current ledger. The new ledger replaces the old one
    only when it is complete.
    """
    if workspace.config.ledger.url:
        raise UsageError("zsxls rebuild 只用于默认的 SQLite 台账(.zsxls/ledger.sqlite);"
                         "使用数据库服务器时请由管理员从备份恢复。")
    index = workspace.state_dir / "archive" / ARCHIVE_INDEX
    if not index.exists():
        raise UsageError("没有可用的存档(.zsxls/archive 为空):请先运行 zsxls consolidate。")
    entries = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines() if line.strip()]
    current = workspace.state_dir / "ledger.sqlite"
    fresh = workspace.state_dir / "ledger.rebuild.sqlite"
    fresh.unlink(missing_ok=True)
    try:
        url = f"sqlite:///{fresh}"
        if current.exists():
            copy_carried_tables(f"sqlite:///{current}", url)
        roster, _warnings = load_roster(workspace.roster_path)
        results = []
        for month_text in sorted({e["month"] for e in entries}):
            month = Month(int(month_text[:4]), int(month_text[5:]))
            files = [InputFile(workspace.state_dir / "archive" / e["sha256"], e["name"],
                               dt.datetime.fromisoformat(e["modified"]),
                               dt.datetime.fromisoformat(e["received"]) if e.get("received") else None)
                     for e in entries if e["month"] == month_text]
            results.append(consolidate_files(workspace, roster, month, files, url))
        os.replace(fresh, current)
    finally:
        fresh.unlink(missing_ok=True)
    return results


def missing_earlier_months(workspace: Workspace, month: Month) -> list[tuple[Month, Path]]:
    """Assessed months of the same year before ``month`` that have a folder in the workspace but
    are not in the ledger yet: consolidating ``month`` loads them first (year-to-date figures
    and last month's project states need them)."""
    return unconsolidated_months(workspace, [m for m in assessed_in(workspace, month.year) if m < month])


def assessed_in(workspace: Workspace, year: int) -> list[Month]:
    return [Month(year, m) for m in workspace.config.assessed_months()]


def unconsolidated_months(workspace: Workspace, wanted: Sequence[Month]) -> list[tuple[Month, Path]]:
    """Those of ``wanted`` that have a month folder in the workspace but are not in the ledger."""
    engine = open_ledger(ledger_url(workspace))
    done = months_in_ledger(engine)
    engine.dispose()
    folders: dict[Month, Path] = {}
    for child in sorted(workspace.root.iterdir()):
        parsed = parse_month(child.name) if child.is_dir() else None
        if parsed is not None:
            folders.setdefault(parsed, child)
    return [(m, folders[m]) for m in wanted if m in folders and str(m) not in done]


def write_month_report(workspace: Workspace, roster: Roster, frames: LedgerFrames, month: Month,
                       generated: dt.datetime | None = None) -> Path:
    """``输出/<month>_一月一交流.xlsx`` from the ledger's frames."""
    figures = monthly_figures(frames, roster, workspace.config, month)
    subs = frames.submissions[frames.submissions["month"] == str(month)]
    issues = frames.issues[frames.issues["month"] == str(month)] if not frames.issues.empty else frames.issues
    rows: dict[int, int] = {}
    for frame in (frames.contacts, frames.projects, frames.updates):
        if not frame.empty:
            for sid, n in frame.groupby("submission_id").size().items():
                rows[int(sid)] = rows.get(int(sid), 0) + int(n)
    path = workspace.output_dir / f"{month}_一月一交流.xlsx"
    when = generated or dt.datetime.now().replace(second=0, microsecond=0)
    return write_monthly_report(path, figures, roster, subs, issues, rows, when)


def month_status(workspace: Workspace, folder: Path, month: Month) -> tuple[MonthResult, list[UnitState], list[Path]]:
    """Read a month folder (ledger untouched), each unit's state, and the 催报 files written."""
    roster, _warnings = load_roster(workspace.roster_path)
    received = received_dates(folder)
    subs = [read_submission(p, roster, month, workspace.secret, received=received.get(p.name))
            for p in input_files(folder)]
    mark_superseded(subs)
    due = month.due_date(workspace.config.monthly.report_due_day)
    states = unit_states(roster, subs, due)
    target = workspace.output_dir / "催报" / str(month)
    written = write_reminders(target, states, month, workspace.config)
    result = MonthResult(month, subs, [s.unit for s in states if s.needs_reminder], due=due)
    result.outputs += written
    return result, states, written


def json_report(result: MonthResult) -> dict[str, object]:
    """The ``--json`` object of SPEC §12."""
    return {
        "files": [
            {"file": s.name, "unit": s.unit_code, "month": str(s.month) if s.month else None, "status": s.status,
             "issues": [{"code": i.code, "level": i.level.value, "sheet": i.sheet, "cell": i.cell,
                         "message": i.message} for i in s.issues]}
            for s in result.submissions
        ],
        "outputs": [str(p) for p in result.outputs],
        "missing": [u.code for u in result.missing],
        "counts": {
            "files": len(result.submissions),
            "accepted": result.count(ACCEPTED),
            "rejected": result.count(REJECTED),
            "superseded": result.count("superseded"),
            "errors": sum(i.level is Level.ERROR for s in result.submissions for i in s.issues),
            "warnings": sum(i.level is Level.WARNING for s in result.submissions for i in s.issues),
        },
    }
