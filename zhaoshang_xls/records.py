"""The plain records that cross stages: what reading produces, what the ledger stores and
returns, what compute takes and gives, what reports lay out.

No stage imports another stage for its types; they all import these. Records hold data and
the trivial properties of that data, never a policy rule (rules live in ``compute``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from zhaoshang_xls import schema
from zhaoshang_xls.issues import Issue, Level
from zhaoshang_xls.periods import Month
from zhaoshang_xls.roster import Unit

if TYPE_CHECKING:  # the reading stage's own types, carried through unchanged
    from zhaoshang_xls.reading.table import Row, Table
    from zhaoshang_xls.reading.workbook import RawSheet

# A submission's status (the ledger's ``submissions.status``)
ACCEPTED, REJECTED, SUPERSEDED = "accepted", "rejected", "superseded"
BLANK_TEMPLATE = "F12"  # the issue code of an unfilled template: its unit has not reported
REPLACED = "replaced"  # an earlier run's file kept only as the registration source of a project


@dataclass
class Submission:
    """A monthly file as read: identity, the 基本信息 values, normalised rows and issues."""

    path: Path
    sha256: str
    size: int
    modified: dt.datetime
    file_name: str = ""  # the name the unit gave the file (archived copies are stored by hash)
    unit_code: str | None = None
    month: Month | None = None
    version: str | None = None
    basic: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    sheets: dict[str, RawSheet] = field(default_factory=dict)  # the file's own cells, for its receipt
    issues: list[Issue] = field(default_factory=list)
    status: str = ACCEPTED
    duplicates: dict[int, LeadRef] = field(default_factory=dict)  # 项目信息 row -> R14 candidate
    received: dt.datetime | None = None  # the date of the mail it came in (zsxls collect), if known

    @property
    def name(self) -> str:
        return self.file_name or self.path.name

    @property
    def reported_on(self) -> dt.date | None:
        value = self.basic.get("reported_on")
        return value if isinstance(value, dt.date) else None

    def add(self, code: str, level: Level, message: str, sheet: str | None = None,
            cell: str | None = None) -> None:
        self.issues.append(Issue(code, level, message, self.name, sheet, cell))

    def reject(self, code: str, message: str, sheet: str | None = None, cell: str | None = None) -> None:
        self.add(code, Level.ERROR, message, sheet, cell)
        self.status = REJECTED

    def rows(self, sheet_key: str) -> list[Row]:
        """The usable rows of a sheet (rejected rows left out)."""
        table = self.tables.get(sheet_key)
        return [r for r in table.rows if not r.rejected] if table else []

    def filed(self) -> Filed:
        errors = [i.message for i in self.issues if i.level is Level.ERROR]
        return Filed(self.name, self.unit_code, self.status, self.received, self.reported_on, self.modified,
                     errors[0] if errors else "", any(i.code == BLANK_TEMPLATE for i in self.issues))


@dataclass(frozen=True)
class Filed:
    """One file a unit sent for a month, as the 报送状态 rule sees it (from a read file or a ledger row)."""

    file_name: str
    unit_code: str | None
    status: str
    received: dt.datetime | None  # the mail's date (zsxls collect)
    reported_on: dt.date | None  # 基本信息 填报日期
    modified: dt.datetime | None  # the file's time: shown, never deciding
    first_error: str = ""
    blank: bool = False  # an unfilled template (F12): not a report at all


@dataclass(frozen=True)
class UnitState:
    """A unit's 报送状态 for one month (one rule decides it: ``compute.states.unit_states``)."""

    unit: Unit
    state: str  # schema.UNIT_STATES: 已报送 / 迟报 / 被退回 / 未报送
    file: str | None = None
    received: dt.date | None = None  # the day that decides 迟报
    basis: str = ""  # which date that is: 邮件日期 / 填报日期 ("" when unknown)
    modified: dt.datetime | None = None  # the file's time, shown beside it
    reason: str = ""
    due: dt.date | None = None

    @property
    def late(self) -> bool:
        return self.state == schema.LATE

    @property
    def needs_reminder(self) -> bool:
        return self.state in (schema.MISSING, schema.RETURNED)


@dataclass(frozen=True)
class ProjectState:
    """A project's latest reported state (one rule builds it: ``compute.projects.latest_states``)."""

    project_id: str
    unit_code: str
    name: str
    stage: str
    signed_on: dt.date | None = None
    started_on: dt.date | None = None
    completed_on: dt.date | None = None
    fixed_assets_actual: Decimal | None = None
    foreign_arrived: Decimal | None = None
    expenses: Decimal | None = None


@dataclass(frozen=True)
class LeadRef:
    """A project or new lead another unit reported, for R14."""

    unit_code: str
    name: str
    investor: str
    provided_on: dt.date | None
    label: str  # how the message names it: ``P2024-0012`` or ``C03 的文件第 5 行``
    source: tuple[str, int] | None = None  # (file name, row) of a lead reported this month


@dataclass(frozen=True)
class Registered:
    """A lead's natural key already registered before a month (R08): its id and first month."""

    project_id: str
    first_month: str


@dataclass(frozen=True)
class MonthContext:
    """What validation of a month needs to know of the months before it (from the ledger)."""

    projects: Mapping[str, ProjectState] = field(default_factory=dict)
    registered: Mapping[tuple[str, str, str], Registered] = field(default_factory=dict)  # (unit, name, investor)
    refs: Sequence[LeadRef] = ()
    known: bool = True  # False: no ledger to check against (R10 not applied)


@dataclass(frozen=True)
class TaxRecord:
    project_id: str
    year: int
    zone_tax: Decimal  # 万元
    source: str
    row: int = 0  # the row of the 税收台账 it came from


@dataclass(frozen=True)
class SettledItem:
    """A row of the ledger's ``settlements`` table: paid once, never again."""

    project_id: str
    kind: str
    year: int
    sequence: int
    recipient: str
    gross: Decimal
    offset: Decimal
    payable: Decimal
    basis: str
    base: Decimal | None = None  # the amount the reward was computed on, in ``base_unit``
    base_unit: str | None = None  # 万元 / 万美元
    rate: Decimal | None = None  # None: a fixed amount (信息奖 by band)


@dataclass(frozen=True)
class YearResult:
    """A unit's or cadre's year-end completion and deduction as finalised (frozen from then on)."""

    kind: str  # unit / cadre
    code: str
    completion: Fraction | None
    target_amount: Decimal | None = None
    target_projects: int | None = None
    deduction: Decimal | None = None  # None: no deduction
    per_person: Decimal | None = None
    people: int | None = None
    basis: str = ""
    veto: bool = False
    admonish: bool = False


@dataclass(frozen=True)
class MoneyLine:
    """One reward line of the workbook (and, once finalised, one row of ``settlements``)."""

    kind: str
    project_id: str
    project_name: str
    year: int
    sequence: int
    recipient: str  # a person's name (信息奖) or a unit code (引进项目奖, 财税分成奖)
    unit_code: str  # the unit that registered the lead / introduced the project
    gross: Decimal
    offset: Decimal
    payable: Decimal
    basis: str
    status: str
    source: str
    in_roster: bool = True
    introducer: str | None = None
    funding: str | None = None
    tax_year: int | None = None
    zone_tax: Decimal | None = None
    rate: Decimal | None = None  # the rate applied to ``base``; None: a fixed amount (信息奖 by band)
    base: Decimal | None = None  # what the reward was computed on, in ``base_unit`` (stored when settled)
    base_unit: str | None = None  # 万元 / 万美元

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.project_id, self.kind, self.sequence)


@dataclass(frozen=True)
class LedgerFrames:
    """Everything the ledger holds up to a month, one DataFrame per table (object columns)."""

    submissions: pd.DataFrame
    contacts: pd.DataFrame
    projects: pd.DataFrame
    updates: pd.DataFrame
    issues: pd.DataFrame
    screening: pd.DataFrame  # the bureau's decisions (all of them: they apply from then on)

    @property
    def months(self) -> set[str]:
        """Months with any submission on record."""
        return set(self.submissions["month"]) if not self.submissions.empty else set()

    def filed(self, month: Month) -> list[Filed]:
        """The files on record for ``month`` (earlier runs' replaced rows left out)."""
        subs = self.submissions
        if subs.empty:
            return []
        subs = subs[(subs["month"] == str(month)) & (subs["status"] != REPLACED)]
        first_error: dict[int, str] = {}
        blank: set[int] = set()
        if not self.issues.empty:
            for rec in self.issues.sort_values("id").to_dict("records"):
                if rec["level"] == Level.ERROR.value:
                    first_error.setdefault(int(rec["submission_id"]), rec["message"])
                if rec["code"] == BLANK_TEMPLATE:
                    blank.add(int(rec["submission_id"]))
        return [Filed(r["file_name"], r["unit_code"], r["status"], _or_none(r.get("received")),
                      _or_none(r.get("reported_on")), _or_none(r.get("modified")), first_error.get(int(r["id"]), ""),
                      int(r["id"]) in blank)
                for r in subs.sort_values("id").to_dict("records")]


def _or_none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and value != value) else value


@dataclass(frozen=True)
class InputFile:
    """A file to read: where it is, and the name and times to record (archived copies differ)."""

    path: Path
    name: str | None = None
    modified: dt.datetime | None = None
    received: dt.datetime | None = None  # the mail's date, for files saved by zsxls collect
