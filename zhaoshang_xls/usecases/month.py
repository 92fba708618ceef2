"""The month's jobs: ``consolidate`` (read, validate, replace the month in the ledger, write the
report, receipts and 线索甄别), ``check`` (the same without the ledger), ``status`` (催报) and
``rebuild`` (the ledger again from the archive)."""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.compute.monthly import monthly_figures, submission_counts
from zhaoshang_xls.compute.projects import states_before
from zhaoshang_xls.compute.screening import screening_rows
from zhaoshang_xls.compute.states import owner, unit_states
from zhaoshang_xls.errors import LedgerDamaged, OutputError, UsageError, ZsxlsError
from zhaoshang_xls.fileio import staged
from zhaoshang_xls.issues import Issue, Level
from zhaoshang_xls.ledger import Ledger, ledger_exists, open_ledger, open_url
from zhaoshang_xls.ledger.archive import archived_months, load_carried, record_index, set_aside, store_files
from zhaoshang_xls.ledger.store import copy_carried_tables, ledger_lock
from zhaoshang_xls.periods import Month, parse_month
from zhaoshang_xls.reading.detect import is_lock_file
from zhaoshang_xls.reading.monthly import read_submission
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.reading.screening import is_screening_file, read_screening
from zhaoshang_xls.records import (
    ACCEPTED,
    REJECTED,
    SUPERSEDED,
    InputFile,
    LedgerFrames,
    MonthContext,
    Submission,
    UnitState,
)
from zhaoshang_xls.reports.monthly import write_monthly_report
from zhaoshang_xls.reports.receipts import write_receipt
from zhaoshang_xls.reports.reminders import write_reminders
from zhaoshang_xls.reports.screening import write_screening_workbook
from zhaoshang_xls.roster import Roster, Unit
from zhaoshang_xls.usecases.collect import LOG_NAME, received_dates
from zhaoshang_xls.validation.monthly import flag_possible_duplicates, mark_superseded, validate_submission
from zhaoshang_xls.workspace import Workspace

RECEIPTS_DIR = "回执"
_NOT_INPUTS = {LOG_NAME}

Progress = Callable[[list[InputFile]], Iterable[InputFile]]


@dataclass
class MonthResult:
    month: Month
    submissions: list[Submission]
    states: list[UnitState] = field(default_factory=list)  # every roster unit's 报送状态
    outputs: list[Path] = field(default_factory=list)
    screening_issues: list[Issue] = field(default_factory=list)
    due: dt.date | None = None
    run_id: int | None = None  # the ledger run that replaced the month
    redone: bool = False  # consolidated again: an earlier run was stopped before writing its outputs
    screening_read: list[tuple[str, int]] = field(default_factory=list)  # 线索甄别 in the folder, decisions read
    notes: list[str] = field(default_factory=list)  # what the clerk should know of the month (month_notes)

    def count(self, status: str) -> int:
        return sum(s.status == status for s in self.submissions)

    @property
    def missing(self) -> list[Unit]:
        """Roster units without an accepted file (未报送 or 被退回)."""
        return [s.unit for s in self.states if s.needs_reminder]

    @property
    def late(self) -> list[UnitState]:
        return [s for s in self.states if s.late]

    @property
    def rows_rejected(self) -> int:
        return sum(1 for s in self.submissions if s.status == ACCEPTED
                   for i in s.issues if i.level is Level.ERROR)

    @property
    def all_accepted(self) -> bool:
        return self.count(REJECTED) == 0 and self.rows_rejected == 0


def folder_month(folder: Path, explicit: str | None = None) -> Month:
    """The month a folder holds: ``--month`` if given, else the folder's name (2024-03, 2024年3月, 202403)."""
    if explicit:
        month = parse_month(explicit)
        if month is None:
            raise UsageError(f"无法识别月份 {explicit!r}：请写成 2024-03、2024年3月 或 202403。")
        return month
    month = parse_month(folder.resolve().name)
    if month is None:
        raise UsageError(f"无法从文件夹名“{folder.name}”看出月份：请把文件夹命名为 2024-03，或加 --month 2024-03。")
    return month


def month_folder(folder: Path, explicit: str | None = None) -> Month:
    """:func:`folder_month` of a folder that must exist (said before any month is consolidated)."""
    if not folder.is_dir():
        what = "是一个文件，不是文件夹" if folder.exists() else "不存在"
        raise UsageError(f"文件夹“{folder}”{what}：请确认路径，或先建立以月份命名的文件夹（如 2024-03）"
                         "并放入各单位报回的报表。")
    return folder_month(folder, explicit)


def input_files(folder: Path) -> list[Path]:
    """Every file a unit may have sent: all files but lock files, hidden files and our own logs."""
    if not folder.is_dir():
        raise UsageError(f"找不到文件夹 {folder}。")
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and not is_lock_file(p) and not p.name.startswith(".") and p.name not in _NOT_INPUTS
                  and not is_screening_file(p))


def screening_path(workspace: Workspace, month: Month) -> Path:
    return workspace.output_dir / f"{month}{schema.SCREENING_FILE_SUFFIX}"


class NothingChanged(OutputError):
    """An output could not be built before the commit: the ledger and the outputs are as they were."""


@contextmanager
def before_commit() -> Iterator[None]:
    """Building what a run writes, before its commit: a file that cannot be written (disk full,
    no permission) says so, and that nothing changed."""
    nothing = "台账和已有报表都没有改动；排除问题后重新运行同一命令即可。"
    try:
        yield
    except OutputError as exc:
        raise NothingChanged(f"{str(exc).rstrip('。')}。{nothing}") from exc
    except OSError as exc:
        if exc.errno not in _DISK_ERRORS:
            exc.add_note(STATE_NOTE)
            raise
        raise NothingChanged(f"无法写入文件{_where(exc)}（{exc.strerror}）。{nothing}") from exc
    except Exception as exc:  # a defect: still, say in what state things are
        exc.add_note(STATE_NOTE)
        raise


# What a person is told, besides the error, when a run stopped before its commit.
STATE_NOTE = "本次运行在写入台账之前停止：台账和已有报表都没有改动。"


@contextmanager
def after_commit(done: str) -> Iterator[None]:
    """Writing outputs after a commit: a file that cannot be written (disk full, no permission,
    open in Excel) is told with what was already done (``done``) and how to finish (the outputs
    are pending in the ledger: re-running the same command writes them)."""
    finish = "；报表未全部写出，排除问题后重新运行同一命令即可补写（台账中的数据不会重复计入）。"
    try:
        yield
    except NothingChanged:
        raise
    except OutputError as exc:
        raise OutputError(f"{str(exc).rstrip('。')}。{done}{finish}") from exc
    except OSError as exc:
        if exc.errno not in _DISK_ERRORS:
            raise
        raise OutputError(f"无法写入文件{_where(exc)}（{exc.strerror}）。{done}{finish}") from exc


def _where(exc: OSError) -> str:
    return f" {exc.filename}" if exc.filename else ""


_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO}


def month_context(ledger: Ledger, month: Month) -> MonthContext:
    """What validation of ``month`` needs from the months before it."""
    frames = ledger.frames(str(month.previous))
    return MonthContext(states_before(frames, month), ledger.registered_before(month), ledger.project_refs(month))


def consolidate_month(workspace: Workspace, folder: Path, month: Month, *, today: dt.date | None = None,
                      progress: Progress = iter, receipts: bool = True) -> MonthResult:
    """Read every file of ``folder``, validate, replace ``month`` in the ledger, write the report
    (and a receipt per file unless ``receipts`` is false) and the month's 线索甄别.

    A bad file never stops the others; input files are only read. ``progress`` wraps the
    reading of the files (a progress bar on a terminal). Everything the run writes — the
    ledger's rows, the bureau's decisions dropped in the folder, the report, receipts and
    线索甄别 — is built inside one ledger transaction (the files beside their targets); a
    failure there leaves the previous ledger and the previous outputs. Then the transaction
    commits and the files are moved into place (docs/architecture.md, Crash safety).
    """
    not_an_output_folder(workspace, folder, month)
    roster, _warnings = load_roster(workspace.roster_path, month.year)
    received = received_dates(folder)
    files = [InputFile(p, received=received.get(p.name)) for p in input_files(folder)]
    with open_ledger(workspace) as ledger:
        subs = _read_month(ledger, workspace, roster, month, files, today=today, progress=progress)
        with before_commit():
            entries = store_files(workspace, subs)  # in the archive before the commit

        def build(tx: Ledger) -> MonthResult:
            result = _replace(tx, workspace, roster, month, subs, entries)
            for path in sorted(p for p in folder.iterdir() if p.is_file() and is_screening_file(p)
                               and not is_lock_file(p)):  # the bureau's decisions dropped into the month folder
                decisions, issues = screen_into(tx, workspace, path, [u.code for u in roster.units], month)
                result.screening_issues += issues
                result.screening_read.append((path.name, len(decisions)))
            _write_outputs(workspace, roster, month, result, tx.frames(str(month)), receipts)
            return result

        # built in the transaction, moved into place after the commit
        with after_commit(f"{month.label}的数据已记入台账"), staged(), before_commit():
            result = ledger.transaction(build)
        result.notes = month_notes(workspace, month)
        if result.run_id is not None:  # until this is recorded, any later command writes the outputs again
            try:
                ledger.outputs_written(result.run_id)
            except ZsxlsError as exc:
                raise OutputError(f"{month.label}的数据已记入台账，报表也已写出，但未能记下“报表已写完”（{exc}）。"
                                  "下一个命令会再写一次这个月的报表，数据不受影响。") from exc
    return result


def not_an_output_folder(workspace: Workspace, folder: Path, month: Month) -> None:
    """The templates just generated (输出/模板/<月份>) or any other folder zsxls writes are never a
    month's reports: consolidating them would replace the month with blank templates."""
    here, out = folder.resolve(), workspace.output_dir.resolve()
    if here != out and out not in here.parents:
        return
    templates = workspace.template_dir(str(month)).resolve().parent
    if here == templates or templates in here.parents:
        raise UsageError(f"这是下发的空白模板文件夹（{folder}），不是各单位发回的报表，没有汇总。"
                         f"请把收回的文件放在工作目录的 {month} 文件夹中，再运行 zsxls consolidate {month}。")
    raise UsageError(f"{folder} 是 zsxls 写出报表的文件夹，不是各单位发回的报表，没有汇总。"
                     f"请把收回的文件放在工作目录的 {month} 文件夹中。")


def _write_outputs(workspace: Workspace, roster: Roster, month: Month, result: MonthResult, frames: LedgerFrames,
                   receipts: bool) -> None:
    """The month's report, receipts and 线索甄别, from the ledger's rows (``frames``)."""
    figures = monthly_figures(frames, roster, workspace.config, month)
    result.states = figures.states  # the ledger's view, the same rule as the report's
    subs = frames.submissions[frames.submissions["month"] == str(month)]
    issues = frames.issues[frames.issues["month"] == str(month)] if not frames.issues.empty else frames.issues
    row_counts: dict[int, int] = {}
    for frame in (frames.contacts, frames.projects, frames.updates):
        if not frame.empty:
            for sid, n in frame.groupby("submission_id").size().items():
                row_counts[int(sid)] = row_counts.get(int(sid), 0) + int(n)
    when = dt.datetime.now().replace(second=0, microsecond=0)
    result.outputs.append(write_monthly_report(workspace.output_dir / f"{month}_一月一交流.xlsx", figures, roster,
                                               subs, issues, row_counts, when))
    if receipts:
        result.outputs += write_receipts(workspace, roster, month, result.submissions, result.states)
    names = {u.code: u.name for u in roster.units}
    files_by_id = dict(zip(frames.submissions["id"], frames.submissions["file_name"], strict=True))
    projects = frames.projects.assign(file_name=frames.projects["submission_id"].map(files_by_id)) \
        if not frames.projects.empty else frames.projects
    rows = screening_rows(month, result.submissions, projects, frames.screening, names)
    result.outputs.append(write_screening_workbook(screening_path(workspace, month), month, rows,
                                                   dt.datetime.now().replace(microsecond=0), workspace.secret))


def _consolidate(ledger: Ledger, workspace: Workspace, roster: Roster, month: Month, files: Sequence[InputFile], *,
                 today: dt.date | None = None, progress: Progress = iter) -> MonthResult:
    """Read and validate ``files`` as ``month``'s submissions and replace that month in ``ledger``."""
    subs = _read_month(ledger, workspace, roster, month, files, today=today, progress=progress)
    return _replace(ledger, workspace, roster, month, subs, store_files(workspace, subs))


def _read_month(ledger: Ledger, workspace: Workspace, roster: Roster, month: Month, files: Sequence[InputFile], *,
                today: dt.date | None = None, progress: Progress = iter) -> list[Submission]:
    """Read and validate ``files`` as ``month``'s submissions (against the months before it)."""
    context = month_context(ledger, month)
    today = today or dt.date.today()
    subs = []
    for f in progress(list(files)):
        sub = read_submission(f.path, roster, month, workspace.secret, name=f.name, modified=f.modified,
                              received=f.received)
        validate_submission(sub, roster, context, today)
        subs.append(sub)
    mark_superseded(subs)
    _flag_duplicates(subs, context, workspace)
    return subs


def _replace(ledger: Ledger, workspace: Workspace, roster: Roster, month: Month, subs: Sequence[Submission],
             entries: Sequence[dict[str, Any]]) -> MonthResult:
    """Replace ``month`` in ``ledger`` with ``subs`` (and its archive index with ``entries``)."""
    run_id = ledger.replace_month(month, subs, lambda conn: record_index(conn, workspace, month, entries))
    due = month.due_date(workspace.config.monthly.report_due_day)
    return MonthResult(month, list(subs), unit_states(roster, [s.filed() for s in subs], due), due=due,
                       run_id=run_id)


def _flag_duplicates(subs: Sequence[Submission], context: MonthContext, workspace: Workspace) -> None:
    rule = workspace.config.screening
    flag_possible_duplicates(subs, context.refs, rule.duplicate_company, rule.duplicate_name)


def screen_into(ledger: Ledger, workspace: Workspace, path: Path, units: Sequence[str] | None = None,
                month: Month | None = None) -> tuple[list[dict[str, object]], list[Issue]]:
    """Read one 线索甄别 workbook into the ledger (``month``: the folder it was dropped in); returns
    the decisions applied and the issues."""
    decisions, issues = read_screening(path, workspace.secret, ledger.provided_dates(), ledger.decisions(), units,
                                       month)
    ledger.apply_screening(decisions, path.name, dt.date.today())
    return decisions, issues


def write_receipts(workspace: Workspace, roster: Roster, month: Month | None, subs: Sequence[Submission],
                   states: Sequence[UnitState] = ()) -> list[Path]:
    """One 回执 per submitted file into ``输出/回执/<month>/`` (``未识别月份/`` without a month)."""
    folder = workspace.output_dir / RECEIPTS_DIR / (str(month) if month else "未识别月份")
    now = dt.datetime.now().replace(second=0, microsecond=0)
    names = {u.code: u.name for u in roster.units}
    state_of = {s.unit.code: s for s in states}
    receipts = []
    for sub in subs:
        code = owner(sub.filed(), list(names))  # a file too broken to say: the unit its name starts with
        receipts.append(write_receipt(folder, sub, workspace.config, names.get(code or ""), now,
                                      submission_counts([r.values for r in sub.rows(schema.CONTACTS.key)],
                                                        [r.values for r in sub.rows(schema.LEADS.key)]),
                                      state_of.get(code or ""), unit_code=code))
    return receipts


def check_paths(workspace: Workspace, paths: Sequence[Path], month: Month | None = None, *,
                today: dt.date | None = None) -> MonthResult:
    """Validate files (or folders of files) and write their receipts; the ledger is only read.

    The month is ``month``, else the folder's name, else what each file declares.
    """
    roster, _warnings = load_roster(workspace.roster_path, month.year if month else None)
    files = [f for p in paths for f in (input_files(p) if p.is_dir() else [p])]
    for f in files:
        if not f.is_file():
            raise UsageError(f"找不到文件 {f}。")
    contexts: dict[Month, MonthContext] = {}
    received: dict[Path, dict[str, dt.datetime]] = {}
    subs = []
    for path in files:
        file_month = month or parse_month(path.parent.name)
        mail = received.setdefault(path.parent, received_dates(path.parent)).get(path.name)
        sub = read_submission(path, roster, file_month, workspace.secret, received=mail)
        context = None
        if ledger_exists(workspace) and sub.month is not None:
            if sub.month not in contexts:
                with open_ledger(workspace) as ledger:
                    contexts[sub.month] = month_context(ledger, sub.month)
            context = contexts[sub.month]
        validate_submission(sub, roster, context, today or dt.date.today())
        subs.append(sub)
    mark_superseded(subs)
    flag_possible_duplicates(subs, [ref for c in contexts.values() for ref in c.refs],
                             workspace.config.screening.duplicate_company, workspace.config.screening.duplicate_name)
    months = sorted({s.month for s in subs if s.month is not None})
    result = MonthResult(months[0] if months else Month(2000, 1), subs)
    due_day = workspace.config.monthly.report_due_day
    for m in months:
        mine = [s for s in subs if s.month == m]
        # only the units whose files were checked: the others are not "missing" from a spot check
        states = [st for st in unit_states(roster, [s.filed() for s in mine], m.due_date(due_day))
                  if st.state != schema.MISSING]
        if m == result.month:
            result.states, result.due = states, m.due_date(due_day)
        result.outputs += write_receipts(workspace, roster, m, mine, states)
    unknown = [s for s in subs if s.month is None]
    if unknown:
        result.outputs += write_receipts(workspace, roster, None, unknown)
    return result


def month_status(workspace: Workspace, folder: Path, month: Month) -> MonthResult:
    """Read a month folder (ledger untouched), each unit's state, and the 催报 files written."""
    roster, _warnings = load_roster(workspace.roster_path, month.year)
    received = received_dates(folder)
    subs = [read_submission(p, roster, month, workspace.secret, received=received.get(p.name))
            for p in input_files(folder)]
    mark_superseded(subs)
    due = month.due_date(workspace.config.monthly.report_due_day)
    result = MonthResult(month, subs, unit_states(roster, [s.filed() for s in subs], due), due=due)
    result.outputs += write_reminders(workspace.output_dir / "催报" / str(month), result.states, month,
                                      workspace.config)
    return result


@dataclass
class Rebuilt:
    """What ``zsxls rebuild`` did: the months re-read, and where the data no monthly file holds
    came from (``note`` says what could not be restored)."""

    results: list[MonthResult]
    carried_from: str  # 现有台账 / 存档导出 / 无
    note: str | None = None
    damaged_kept: Path | None = None  # where the damaged ledger file was moved


def rebuild_ledger(workspace: Workspace) -> Rebuilt:
    """Recreate the ledger from ``.zsxls/archive``: every archived month re-read in order.

    Tables that no monthly file holds (the id registry, settlements, screening decisions,
    taxes, frozen year results) come from the current ledger, or — when it is missing or
    damaged — from the checksummed export kept beside the archive. A damaged ledger without a
    usable export is left as it is (nothing paid could be forgotten). The new ledger replaces
    the old one only when it is complete; a damaged file is kept beside it.
    """
    if workspace.config.ledger.url:
        raise UsageError("zsxls rebuild 只用于默认的 SQLite 台账（.zsxls/ledger.sqlite）；"
                         "使用数据库服务器时请由管理员从备份恢复。")
    current = workspace.state_dir / "ledger.sqlite"
    with ledger_lock(str(current)):  # no other zsxls writes until the new ledger is in place
        return _rebuild(workspace, current)


def _rebuild(workspace: Workspace, current: Path) -> Rebuilt:
    damaged: LedgerDamaged | None = None
    archived = None
    if current.exists():
        try:
            with open_ledger(workspace) as ledger:
                ledger.check_intact()
                archived = ledger.archived(workspace)
        except LedgerDamaged as exc:
            damaged = exc
    if damaged is not None or not current.exists():
        archived = archived_months(workspace, None)
    if archived is None:
        raise UsageError("没有可用的存档（.zsxls/archive 为空）：请先运行 zsxls consolidate。")
    fresh = workspace.state_dir / "ledger.rebuild.sqlite"
    fresh.unlink(missing_ok=True)
    url = f"sqlite:///{fresh}"
    note = kept = None
    try:
        carried_from = "现有台账"
        try:
            if damaged is not None:
                raise damaged
            if current.exists():
                copy_carried_tables(f"sqlite:///{current}", url)
            else:
                raise FileNotFoundError(current)
        except (LedgerDamaged, FileNotFoundError) as exc:
            tables, why = load_carried(workspace)
            if tables is None and isinstance(exc, LedgerDamaged):
                raise LedgerDamaged(exc.path, exc.reason, rebuilding=True) from exc
            if tables is None:
                carried_from = "无"
                aside = set_aside(workspace)  # a bad export is never overwritten: it may be the only copy
                kept_as = f"（原文件已改名留存为 {aside.name}）" if aside else ""
                note = (f"{why}{kept_as}，只按月报文件重建：项目编号登记、已结算的奖励、甄别结论和税收没有恢复，"
                        "再次 zsxls annual --finalize 之前请先核对已发放的奖励。")
            else:
                carried_from = "存档导出"
                with open_url(url) as ledger:
                    ledger.restore(tables)
        roster, _warnings = load_roster(workspace.roster_path, None)
        results = []
        with open_url(url) as ledger:
            for month, files in archived.items():
                results.append(_consolidate(ledger, workspace, roster.for_year(month.year), month, files))
            for result in results:  # the outputs are those of the same files: nothing to write again
                if result.run_id is not None:
                    ledger.outputs_written(result.run_id)
        if damaged is not None:
            kept = current.with_name(f"ledger.damaged-{dt.datetime.now():%Y%m%d-%H%M%S}.sqlite")
            os.replace(current, kept)
        os.replace(fresh, current)
    finally:
        fresh.unlink(missing_ok=True)
    with open_ledger(workspace) as ledger:
        ledger.export_now()  # the export now matches the new ledger
    return Rebuilt(results, carried_from, note, kept)


def assessed_in(workspace: Workspace, year: int) -> list[Month]:
    return [Month(year, m) for m in workspace.config.assessed_months()]


def unconsolidated_months(workspace: Workspace, wanted: Sequence[Month]) -> list[tuple[Month, Path, bool]]:
    """Those of ``wanted`` that have a month folder in the workspace but are not in the ledger,
    or whose last consolidation was stopped before writing its outputs (the flag: redo)."""
    with open_ledger(workspace) as ledger:
        months, pending = ledger.months(), ledger.months_without_outputs()
    done = months - pending
    folders: dict[Month, Path] = {}
    for child in sorted(workspace.root.iterdir()):
        parsed = parse_month(child.name) if child.is_dir() else None
        if parsed is not None:
            folders.setdefault(parsed, child)
    return [(m, folders[m], str(m) in pending) for m in wanted if m in folders and str(m) not in done]


@dataclass
class Preloaded:
    """Months a command consolidated first because the ledger did not have them."""

    results: list[MonthResult] = field(default_factory=list)


Announce = Callable[[MonthResult], None]


def consolidate_missing(workspace: Workspace, wanted: Sequence[Month],
                        progress: Callable[[Month], Progress] | None = None,
                        announce: Announce | None = None) -> Preloaded:
    """Consolidate the months of ``wanted`` that have a folder but are not in the ledger yet
    (year-to-date figures and last month's project states need them). ``announce`` is told of
    each month as soon as it is in the ledger, so a later failure cannot hide it."""
    done = Preloaded()
    for month, folder, redo in unconsolidated_months(workspace, wanted):
        done.results.append(consolidate_month(workspace, folder, month,
                                              progress=progress(month) if progress else iter))
        done.results[-1].redone = redo
        if announce is not None:
            announce(done.results[-1])
    return done


def month_notes(workspace: Workspace, month: Month) -> list[str]:
    """What a clerk should know of ``month`` before working on it: outside the campaign's year,
    or not an assessed (implementation) month."""
    notes = []
    year = workspace.config.campaign.year
    if month.year != year:
        notes.append(f"注意：{month.label} 不在 zsxls.toml 设定的活动年度（{year} 年）内，请确认月份是否写对。")
    assessed = workspace.config.assessed_months()
    if month.month not in assessed:
        notes.append(f"注意：{month.label} 不是考核月份（实施阶段为每年 {assessed[0]}–{assessed[-1]} 月），"
                     "这个月的报表不计入一季一评比和年终考核。")
    return notes


def earlier_months(workspace: Workspace, month: Month) -> list[Month]:
    """Assessed months of ``month``'s year before it."""
    return [m for m in assessed_in(workspace, month.year) if m < month]


def json_report(result: MonthResult) -> dict[str, object]:
    """The ``--json`` object (README, consolidate)."""
    return {
        "files": [
            {"file": s.name, "unit": s.unit_code, "month": str(s.month) if s.month else None, "status": s.status,
             "issues": [{"code": i.code, "level": i.level.value, "sheet": i.sheet, "cell": i.cell,
                         "message": i.message} for i in s.issues]}
            for s in result.submissions
        ],
        "outputs": [str(p) for p in result.outputs],
        "missing": [u.code for u in result.missing],
        "units": [{"unit": s.unit.code, "name": s.unit.name, "state": s.state, "file": s.file,
                   "received": s.received.isoformat() if s.received else None, "received_by": s.basis or None,
                   "due": s.due.isoformat() if s.due else None, "reason": s.reason} for s in result.states],
        "counts": {
            "files": len(result.submissions),
            "accepted": result.count(ACCEPTED),
            "rejected": result.count(REJECTED),
            "superseded": result.count(SUPERSEDED),
            "errors": sum(i.level is Level.ERROR for s in result.submissions for i in s.issues),
            "warnings": sum(i.level is Level.WARNING for s in result.submissions for i in s.issues),
        },
    }
