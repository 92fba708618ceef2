"""Writing a month into the ledger (one transaction) and reading back what it knows."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import URL, Engine, create_engine, delete, event, insert, make_url, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from zhaoshang_xls import __version__, schema
from zhaoshang_xls.errors import (
    ConfigError,
    LedgerBusy,
    LedgerDamaged,
    LedgerReplaced,
    LedgerUnavailable,
    ZsxlsError,
)
from zhaoshang_xls.ledger import tables as t
from zhaoshang_xls.periods import Month
from zhaoshang_xls.records import (
    ACCEPTED,
    REPLACED,
    LeadRef,
    MoneyLine,
    Registered,
    SettledItem,
    Submission,
    TaxRecord,
    YearResult,
)
from zhaoshang_xls.schema import name_key

_ID = re.compile(r"^P(\d{4})-(\d{4,})$")


# How long a writer waits for another one (a second zsxls on the same ledger) before giving up.
LOCK_WAIT_SECONDS = 120
_WRITER_LOCK = 0x7A5C15  # the PostgreSQL advisory lock every ledger writer takes


def connect(url: str) -> Engine:
    """Connect and create missing tables (SQLite by default, PostgreSQL or any SQLAlchemy URL).

    SQLite: every transaction begins IMMEDIATE, so a second writer waits for the first (up to
    LOCK_WAIT_SECONDS) instead of failing half way; PostgreSQL writers take an advisory lock
    (see ``writing``). A URL that cannot be used is a ConfigError naming ``ledger.url`` (the
    default URL always can); a ledger that cannot be opened is told apart by ``ledger_problem``.
    """
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
            raise ValueError("a SQLite ledger needs a file")
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"timeout": LOCK_WAIT_SECONDS})
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, ValueError, ImportError) as exc:
        raise _bad_url(url, exc) from exc
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _no_implicit_begin(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # the driver must not begin for us

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    _OPENED.pop(id(engine), None)  # an id of a disposed engine may be given again
    try:
        with writing(engine, opening=True) as conn:
            t.metadata.create_all(conn)
            _add_missing_columns(conn)
    except BaseException:
        engine.dispose()
        raise
    path = _sqlite_file(engine)
    if path is not None:  # the file this engine writes: ``rebuild`` may put another in its place
        _OPENED[id(engine)] = os.stat(path).st_ino
    return engine


# The inode of each engine's SQLite file when it was opened (a replaced file is another ledger).
_OPENED: dict[int, int] = {}
# Locks this process holds, by ledger file (re-entered, not taken twice).
_HELD: dict[str, int] = {}


def _sqlite_file(engine: Engine) -> str | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    database = url.database
    if database.startswith("file:"):  # a URI filename (``file:/path?mode=ro&uri=true``)
        database = database[len("file:"):].split("?", 1)[0]
    return os.path.abspath(database)


@contextmanager
def ledger_lock(path: str) -> Iterator[None]:
    """The workspace-wide lock on a SQLite ledger file (``<file>.lock``): every write transaction
    takes it, and ``rebuild`` holds it from its first read until the new ledger is in place, so
    no write can land in a file that is being replaced. Waits up to LOCK_WAIT_SECONDS."""
    key = os.path.abspath(path)
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    try:
        fd = os.open(key + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # a read-only place: no write can succeed there anyway, and SQLite will say so
        yield
        return
    try:
        _lock(fd)
        _HELD[key] = 1
        try:
            yield
        finally:
            del _HELD[key]
            _unlock(fd)
    finally:
        os.close(fd)


def _lock(fd: int) -> None:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise LedgerBusy(LOCK_WAIT_SECONDS) from None
            time.sleep(0.05)


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


_URL_EXAMPLE = "应写成 SQLAlchemy URL，如 postgresql+psycopg://user@host/zsxls；留空则使用 .zsxls/ledger.sqlite。"


def _bad_url(url: str, exc: Exception) -> ConfigError:
    """``ledger.url`` of zsxls.toml cannot be used (the URL itself is not repeated: it may hold a password)."""
    if isinstance(exc, NoSuchModuleError):
        scheme = url.split("://", 1)[0] if "://" in url else url
        return ConfigError(f"zsxls.toml:ledger.url 的数据库类型“{scheme}”不认识（或其驱动未安装）：{_URL_EXAMPLE}")
    if isinstance(exc, ImportError):
        return ConfigError(f"zsxls.toml:ledger.url 要用的数据库驱动 {exc.name or exc} 没有安装：请先安装它"
                           '（PostgreSQL：pip install -e ".[postgres]"），'
                           "或把 ledger.url 留空使用 .zsxls/ledger.sqlite。")
    return ConfigError(f"zsxls.toml:ledger.url 不是有效的数据库地址：{_URL_EXAMPLE}")


def ledger_problem(exc: DBAPIError, url: URL, *, opening: bool = False) -> ZsxlsError | None:
    """What a database error means for the person running zsxls (busy, full, read-only, not
    there, damaged), or None when it is none of these (a bug: the caller re-raises it)."""
    message = str(exc.orig if exc.orig is not None else exc).strip()
    said = message.lower()
    sqlite = url.get_backend_name() == "sqlite"
    where = url.database if sqlite and url.database else url.render_as_string(hide_password=True)
    if sqlite and ("not a database" in said or "malformed" in said or "could not decode" in said):
        return LedgerDamaged(where, "不是数据库文件" if "not a database" in said else "数据库内容已损坏",
                             opening=opening)
    if "locked" in said or "lock timeout" in said:
        return LedgerBusy(LOCK_WAIT_SECONDS)
    if "disk is full" in said or "no space" in said:
        return LedgerUnavailable("磁盘已满", "请腾出磁盘空间", opening=opening)
    if "readonly" in said or "read-only" in said:
        return LedgerUnavailable(f"台账文件 {where} 只读", "请检查该文件及其文件夹的写权限(或去掉只读属性)",
                                 opening=opening)
    if "unable to open database file" in said:
        return LedgerUnavailable(f"打不开台账文件 {where}",
                                 "请确认它所在的文件夹存在且可以写入，该路径也不是一个文件夹", opening=True)
    if "disk i/o error" in said:
        return LedgerUnavailable("磁盘读写出错", "请检查磁盘或网络盘的连接", opening=opening)
    if opening and isinstance(exc, OperationalError):  # a server that cannot be reached, a login refused
        first = message.splitlines()[0] if message else type(exc.orig).__name__
        return LedgerUnavailable(f"数据库报告：{first}", "请检查数据库服务器和 zsxls.toml 的 ledger.url", opening=True)
    return None


def _add_missing_columns(conn: Connection) -> None:
    """A ledger made by an earlier version gains the (nullable) columns added since."""
    from sqlalchemy import inspect

    inspector = inspect(conn)
    for table in t.metadata.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in have and column.nullable:
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


# A ledger to read or write: the engine, or the connection of a transaction under way (whose
# uncommitted rows its reads see, and whose writes join it).
Bind = Engine | Connection


@contextmanager
def reading(bind: Bind) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as conn:
        yield conn


@contextmanager
def writing(engine: Bind, *, opening: bool = False) -> Iterator[Connection]:
    """One write transaction, serialised with every other zsxls writing the same ledger: two
    processes consolidating at once run one after the other (nothing lost or doubled). A database
    error the user can act on (busy, disk full, read-only, damaged) becomes its ZsxlsError. Given
    a transaction's connection, the writes join that transaction."""
    if isinstance(engine, Connection):
        yield engine
        return
    path = _sqlite_file(engine)
    try:
        with ledger_lock(path) if path else nullcontext(), engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'"))
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WRITER_LOCK})
            opened = _OPENED.get(id(engine))
            if path and opened is not None and (not os.path.exists(path) or os.stat(path).st_ino != opened):
                raise LedgerReplaced()
            yield conn
    except DBAPIError as exc:
        problem = ledger_problem(exc, engine.url, opening=opening)
        if problem is None:
            raise
        raise problem from exc


def check_intact(engine: Bind) -> None:
    """A SQLite file whose pages do not check out is damaged even where it still opens."""
    with reading(engine) as conn:
        if conn.dialect.name != "sqlite":
            return
        verdict = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    if verdict != ["ok"]:
        where = engine.url.database if isinstance(engine, Engine) else "ledger.sqlite"
        raise LedgerDamaged(str(where), "数据库内容已损坏")


def project_refs(engine: Bind, month: Month) -> list[LeadRef]:
    """Projects registered before ``month``, as R14 candidates."""
    with reading(engine) as conn:
        rows = conn.execute(select(t.projects).where(t.projects.c.first_month < str(month))
                            .order_by(t.projects.c.id)).mappings().all()
    return [LeadRef(r["unit_code"], r["name"], r["investor"] or "", r["provided_on"], r["id"]) for r in rows]


def months_in_ledger(engine: Bind) -> set[str]:
    """Months that have been consolidated (any submission recorded)."""
    with reading(engine) as conn:
        return {row[0] for row in conn.execute(select(t.submissions.c.month).distinct())}


def registered_before(engine: Bind, month: Month) -> dict[tuple[str, str, str], Registered]:
    """Natural keys (unit, name, investor) of the projects registered before ``month`` (for R08)."""
    with reading(engine) as conn:
        rows = conn.execute(
            select(t.project_keys.c.unit_code, t.project_keys.c.name_key, t.project_keys.c.investor_key,
                   t.projects.c.id, t.projects.c.first_month)
            .join(t.projects, t.projects.c.id == t.project_keys.c.id)
            .where(t.projects.c.first_month < str(month))).all()
    return {(r[0], r[1], r[2]): Registered(r[3], str(r[4])) for r in rows}


def project_ids(engine: Bind) -> set[str]:
    with reading(engine) as conn:
        return {r[0] for r in conn.execute(select(t.projects.c.id))}


def finalised_years(engine: Bind) -> set[int]:
    """Years ``annual --finalize`` has run for."""
    with reading(engine) as conn:
        rows = conn.execute(select(t.runs.c.month).where(t.runs.c.command == "annual").distinct())
        return {int(r[0]) for r in rows if str(r[0]).isdigit()}


def provided_dates(engine: Bind) -> dict[str, dt.date | None]:
    """Every project id with its 信息提供日期."""
    with reading(engine) as conn:
        return {r[0]: r[1] for r in conn.execute(select(t.projects.c.id, t.projects.c.provided_on))}


def decisions(engine: Bind) -> dict[str, dict[str, Any]]:
    """The bureau's decision on record for each project."""
    with reading(engine) as conn:
        return {r["project_id"]: dict(r) for r in conn.execute(select(t.screening).order_by(t.screening.c.id))
                .mappings()}


@dataclass
class _Ids:
    """Project ids from the ``project_keys`` registry; new natural keys get P<year>-<seq>."""

    conn: Connection
    by_key: dict[tuple[str, str, str], tuple[str, str]]  # (unit, name, investor) -> (id, first month)
    next_seq: dict[int, int]

    @classmethod
    def load(cls, conn: Connection) -> _Ids:
        by_key: dict[tuple[str, str, str], tuple[str, str]] = {}
        next_seq: dict[int, int] = {}
        registered = {row.id for row in conn.execute(select(t.project_keys.c.id))}
        # Projects without a registry entry (a ledger from before the registry): register them.
        for row in conn.execute(select(t.projects.c.id, t.projects.c.unit_code, t.projects.c.name_key,
                                       t.projects.c.investor_key, t.projects.c.first_month)):
            if row.id not in registered:
                conn.execute(insert(t.project_keys).values(
                    id=row.id, unit_code=row.unit_code, name_key=row.name_key, investor_key=row.investor_key or "",
                    first_month=row.first_month))
        for row in conn.execute(select(t.project_keys)):
            by_key[(row.unit_code, row.name_key, row.investor_key)] = (row.id, row.first_month)
            match = _ID.match(row.id)
            if match:
                year, seq = int(match.group(1)), int(match.group(2))
                next_seq[year] = max(next_seq.get(year, 1), seq + 1)
        return cls(conn, by_key, next_seq)

    def get(self, key: tuple[str, str, str], month: Month) -> str:
        """The id of ``key``, minting and registering one if it is new."""
        if key in self.by_key:
            return self.by_key[key][0]
        seq = self.next_seq.get(month.year, 1)
        self.next_seq[month.year] = seq + 1
        project_id = f"P{month.year}-{seq:04d}"
        self.by_key[key] = (project_id, str(month))
        self.conn.execute(insert(t.project_keys).values(
            id=project_id, unit_code=key[0], name_key=key[1], investor_key=key[2], first_month=str(month)))
        return project_id


def replace_month(engine: Bind, month: Month, subs: Sequence[Submission],
                  within: Callable[[Connection], None] | None = None, command: str = "consolidate",
                  now: dt.datetime | None = None) -> int:
    """Replace everything the ledger holds for ``month`` with ``subs``, in one transaction
    (``within`` runs inside it last: the archive index). The run's outputs are pending until
    :func:`outputs_written`.

    Project ids already given to this month's leads are kept (matched by unit, name and
    investor), so re-running a month changes no id. Returns the run id.
    """
    m = str(month)
    with writing(engine) as conn:
        run_id = _new_id(conn.execute(insert(t.runs).values(
            command=command, month=m, started_at=now or dt.datetime.now().replace(microsecond=0),
            version=__version__, outputs_pending=1)))
        for table in (t.issues, t.contacts, t.project_updates):
            conn.execute(delete(table).where(table.c.month == m))
        # This month's projects go, except those later months already report on (kept, updated below).
        ids = _Ids.load(conn)
        still_used = select(t.project_updates.c.project_id)
        conn.execute(delete(t.projects).where(t.projects.c.first_month == m, t.projects.c.id.not_in(still_used)))
        old_files = [row[0] for row in conn.execute(select(t.submissions.c.id).where(t.submissions.c.month == m))]
        # project id -> first month, for every project row now in the ledger (kept up to date
        # below), so the rows of thousands of files need no query each
        existing = {row[0]: str(row[1]) for row in conn.execute(select(t.projects.c.id, t.projects.c.first_month))}
        for sub in sorted(subs, key=lambda s: (s.unit_code or "~", s.name)):
            sid = _insert_submission(conn, run_id, m, sub)
            if sub.status == ACCEPTED:
                _insert_rows(conn, sid, month, sub, ids, existing)
            if sub.issues:
                conn.execute(insert(t.issues), [
                    {"submission_id": sid, "month": m, "code": i.code, "level": i.level.value, "sheet": i.sheet,
                     "cell": i.cell, "message": i.message} for i in sub.issues
                ])
        # The month's earlier files go, except one that still registers a project later months
        # report on and the new files no longer list: it stays, marked replaced (provenance kept).
        if old_files:
            registering = select(t.projects.c.submission_id)
            conn.execute(delete(t.submissions).where(t.submissions.c.id.in_(old_files),
                                                     t.submissions.c.id.not_in(registering)))
            conn.execute(update(t.submissions).where(t.submissions.c.id.in_(old_files)).values(status=REPLACED))
        if within is not None:
            within(conn)
    return run_id


def outputs_written(engine: Bind, run_id: int) -> None:
    """The month outputs of run ``run_id`` (and of the month's earlier runs) are all written."""
    with writing(engine) as conn:
        month = conn.execute(select(t.runs.c.month).where(t.runs.c.id == run_id)).scalar_one()
        conn.execute(update(t.runs).where(t.runs.c.month == month, t.runs.c.id <= run_id)
                     .values(outputs_pending=None))


def months_without_outputs(engine: Bind) -> set[str]:
    """Months whose last consolidation committed but did not finish writing its outputs."""
    with reading(engine) as conn:
        return {r[0] for r in conn.execute(select(t.runs.c.month).where(t.runs.c.outputs_pending == 1).distinct())}


def _insert_submission(conn: Connection, run_id: int, m: str, sub: Submission) -> int:
    return _new_id(conn.execute(insert(t.submissions).values(
        run_id=run_id, month=m, unit_code=sub.unit_code, file_name=sub.name, sha256=sub.sha256, size=sub.size,
        modified=sub.modified, reported_on=sub.reported_on, template_version=sub.version, status=sub.status,
        reporter=sub.basic.get("reporter"), reporter_phone=sub.basic.get("reporter_phone"), received=sub.received,
    )))


def _new_id(result: Any) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _insert_rows(conn: Connection, sid: int, month: Month, sub: Submission, ids: _Ids,
                 existing: dict[str, str]) -> None:
    m, unit = str(month), sub.unit_code or ""  # rows repeating an earlier month's lead were rejected (R08)
    contacts = [
        {**{k: r.values.get(k) for k in ("date", "cadre", "investor", "company", "title", "phone", "location",
                                           "industry", "method", "note")},
         "month": m, "unit_code": unit, "submission_id": sid, "source_sheet": schema.CONTACTS.name,
         "source_row": r.excel_row}
        for r in sub.rows(schema.CONTACTS.key)
    ]
    if contacts:
        conn.execute(insert(t.contacts), contacts)
    for r in sub.rows(schema.LEADS.key):
        v = r.values
        key = (unit, name_key(v.get("project_name")), name_key(v.get("investor")))
        values = {k: v.get(k) for k in ("investor_location", "funding", "sector", "subsector", "total_investment",
                                         "fixed_assets", "foreign_registered", "stage", "signed_on", "started_on",
                                         "provider", "provided_on",
                                         "introducer", "summary", "investor")}
        values |= {"unit_code": unit, "first_month": m, "name": v["project_name"], "name_key": key[1],
                   "investor_key": key[2], "submission_id": sid, "source_sheet": schema.LEADS.name,
                   "source_row": r.excel_row}
        _upsert_project(conn, ids.get(key, month), values, existing)
    updates = [_update_row(conn, sid, month, unit, r, ids, existing) for r in sub.rows(schema.PROGRESS.key)]
    if updates:
        conn.execute(insert(t.project_updates), updates)


def _upsert_project(conn: Connection, project_id: str, values: dict[str, Any], existing: dict[str, str]) -> None:
    if project_id not in existing:
        conn.execute(insert(t.projects).values(id=project_id, **values))
        existing[project_id] = values["first_month"]
    else:
        conn.execute(update(t.projects).where(t.projects.c.id == project_id).values(**values))


def _update_row(conn: Connection, sid: int, month: Month, unit: str, r: Any, ids: _Ids,
                existing: dict[str, str]) -> dict[str, Any]:
    """The project_updates row of one 项目进展 row (registering a project reported before the tool)."""
    v, m = r.values, str(month)
    project_id = v.get("project_id")
    if project_id is None:
        # A project reported before the tool was used: match it by name inside the unit, else register it.
        key_name = name_key(v.get("project_name"))
        match = next((pid for (u, n, _), (pid, _first) in ids.by_key.items() if u == unit and n == key_name), None)
        if match is None or match not in existing:
            project_id = match or ids.get((unit, key_name, ""), month)
            _upsert_project(conn, project_id, {
                "unit_code": unit, "first_month": m, "name": v["project_name"], "name_key": key_name,
                "investor_key": "", "stage": v["stage"], "fixed_assets": v.get("fixed_assets"), "submission_id": sid,
                "source_sheet": schema.PROGRESS.name, "source_row": r.excel_row}, existing)
        else:
            project_id = match
    return {"project_id": project_id, "month": m, "unit_code": unit, "submission_id": sid,
            "source_sheet": schema.PROGRESS.name, "source_row": r.excel_row, **{k: v.get(k) for k in (
                "stage", "signed_on", "started_on", "completed_on", "fixed_assets_actual", "foreign_arrived",
                "expenses", "progress_note", "help_needed")}}


# Tables that no monthly file holds: rebuilding from the archive carries them over.
CARRIED_TABLES = (t.runs, t.project_keys, t.taxes, t.settlements, t.screening, t.year_results)


def copy_carried_tables(source_url: str, target_url: str) -> None:
    """Copy the carried tables from one ledger into another (fresh) one, in one transaction.

    A damaged source stops the copy (LedgerDamaged saying how to rebuild without it): what only
    it holds, the settlements among them, is never dropped silently.
    """
    try:
        source = connect(source_url)
        try:
            with source.connect() as src:
                carried = [(table, [dict(r) for r in src.execute(select(table)).mappings()])
                           for table in CARRIED_TABLES]
        except DBAPIError as exc:
            problem = ledger_problem(exc, source.url, opening=True)  # only read
            if problem is None:
                raise
            raise problem from exc
        finally:
            source.dispose()
    except LedgerDamaged as exc:
        raise LedgerDamaged(exc.path, exc.reason, rebuilding=True) from exc
    target = connect(target_url)
    try:
        with target.begin() as dst:
            for table, rows in carried:
                if rows:
                    dst.execute(insert(table), rows)
    finally:
        target.dispose()


def settled_items(engine: Bind) -> list[SettledItem]:
    """Every settlement on record (rewards finalised and paid)."""
    with reading(engine) as conn:
        rows = conn.execute(select(t.settlements).order_by(t.settlements.c.id)).mappings().all()
    return [SettledItem(r["project_id"], r["kind"], r["year"], r["sequence"], r["recipient"], r["gross"],
                        r["offset"], r["payable"], r["basis"], r["base"], r["base_unit"], r["rate"]) for r in rows]


def record_settlements(engine: Bind, year: int, lines: Sequence[MoneyLine],
                       before: Callable[[Connection], None] | None = None,
                       results: Sequence[YearResult] = (), within: Callable[[Connection], None] | None = None) -> int:
    """Record ``lines`` as settled in one transaction (with ``before`` run inside it first and
    ``within`` last).

    A line already on record is skipped, so finalising twice never pays twice.
    """
    with writing(engine) as conn:
        if before is not None:
            before(conn)
        done = {(r[0], r[1], r[2]) for r in conn.execute(
            select(t.settlements.c.project_id, t.settlements.c.kind, t.settlements.c.sequence))}
        fresh = [m for m in lines if m.key not in done]
        inserted = conn.execute(insert(t.runs).values(command="annual", month=str(year),
                                                      started_at=dt.datetime.now(), version=__version__))
        run_id = inserted.inserted_primary_key[0] if inserted.inserted_primary_key else None
        frozen = conn.execute(select(t.year_results.c.id).where(t.year_results.c.year == year)).first()
        if results and frozen is None:  # the first finalisation freezes the year's completions and deductions
            conn.execute(insert(t.year_results), [
                {"year": year, "kind": r.kind, "code": r.code,
                 "completion": None if r.completion is None else f"{r.completion.numerator}/{r.completion.denominator}",
                 "target_amount": r.target_amount, "target_projects": r.target_projects, "deduction": r.deduction,
                 "per_person": r.per_person, "people": r.people, "basis": r.basis, "veto": int(r.veto),
                 "admonish": int(r.admonish), "run_id": run_id} for r in results])
        if fresh:
            conn.execute(insert(t.settlements), [
                {"project_id": m.project_id, "kind": m.kind, "year": year, "sequence": m.sequence,
                 "recipient": m.recipient, "gross": m.gross, "offset": m.offset, "payable": m.payable,
                 "basis": m.basis, "run_id": run_id, "base": m.base, "base_unit": m.base_unit, "rate": m.rate}
                for m in fresh])
        if within is not None:
            within(conn)
    return len(fresh)


def apply_screening(engine: Bind, decisions: Sequence[Mapping[str, Any]], file_name: str, when: dt.date,
                    within: Callable[[Connection], None] | None = None) -> int:
    """Record the bureau's decisions (replacing earlier ones for the same projects) in one
    transaction (``within`` runs inside it last)."""
    with writing(engine) as conn:
        ids = [d["project_id"] for d in decisions]
        if ids:
            conn.execute(delete(t.screening).where(t.screening.c.project_id.in_(ids)))
            conn.execute(insert(t.screening), [
                {**d, "decided_on": when, "file_name": file_name} for d in decisions])
        if within is not None:
            within(conn)
    return len(decisions)


def year_results(engine: Bind, year: int) -> list[YearResult]:
    """The completions and deductions ``annual --finalize`` froze for ``year`` (empty: not finalised)."""
    with reading(engine) as conn:
        rows = conn.execute(select(t.year_results).where(t.year_results.c.year == year)
                            .order_by(t.year_results.c.id)).mappings().all()
    return [YearResult(r["kind"], r["code"], Fraction(r["completion"]) if r["completion"] else None,
                       r["target_amount"], r["target_projects"], r["deduction"], r["per_person"], r["people"],
                       r["basis"] or "", bool(r["veto"]), bool(r["admonish"])) for r in rows]


def stored_taxes(engine: Bind) -> list[TaxRecord]:
    with reading(engine) as conn:
        rows = conn.execute(select(t.taxes).order_by(t.taxes.c.id)).mappings().all()
    return [TaxRecord(r["project_id"], r["year"], r["zone_tax"], f"{r['file_name']} 第{r['source_row']}行",
                      r["source_row"]) for r in rows]


def replace_tax_years(conn: Connection, records: Sequence[TaxRecord], file_name: str) -> None:
    """Inside the caller's transaction: the years ``records`` hold replace those in the ledger."""
    years = sorted({r.year for r in records})
    if years:
        conn.execute(delete(t.taxes).where(t.taxes.c.year.in_(years)))
        conn.execute(insert(t.taxes), [
            {"project_id": r.project_id, "year": r.year, "zone_tax": r.zone_tax, "file_name": file_name,
             "source_row": r.row} for r in records])
