"""The ledger's tables (SQLAlchemy Core); money is stored as exact decimal text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class Money(TypeDecorator[Decimal]):
    """A Decimal stored as text, so SQLite keeps every digit (its NUMERIC is a binary float)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        return None if value is None else Decimal(value)


metadata = MetaData()


def _source() -> list[Column[Any]]:
    """Provenance carried by every data row: the submission and the sheet/row it came from."""
    return [
        Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False, index=True),
        Column("source_sheet", String(40), nullable=False),
        Column("source_row", Integer, nullable=False),
    ]


runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("command", String(40), nullable=False),
    Column("month", String(7)),
    Column("started_at", DateTime, nullable=False),
    Column("version", String(20), nullable=False),
    # 1 while the month outputs of this run (report, receipts, 线索甄别) are not all written: a
    # later command writes them again (a kill between the commit and the outputs); NULL: written
    Column("outputs_pending", Integer),
)

archive_files = Table(
    # the archive's index (each file read for a month, stored by content under .zsxls/archive/),
    # replaced with the month in the same transaction: a month is in both or in neither
    "archive_files", metadata,
    Column("id", Integer, primary_key=True),
    Column("month", String(7), nullable=False, index=True),
    Column("sha256", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("modified", DateTime, nullable=False),
    Column("received", DateTime),
    Column("status", String(12), nullable=False),
)

submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("month", String(7), nullable=False, index=True),
    Column("unit_code", String(20)),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", Integer, nullable=False),
    Column("modified", DateTime, nullable=False),
    Column("reported_on", Date),
    Column("template_version", Text),
    Column("status", String(12), nullable=False),
    Column("reporter", Text),
    Column("reporter_phone", Text),
    Column("received", DateTime),  # the mail's date when the file came through zsxls collect
)

contacts = Table(
    "contacts", metadata,
    Column("id", Integer, primary_key=True),
    Column("month", String(7), nullable=False, index=True),
    Column("unit_code", String(20), nullable=False),
    Column("date", Date, nullable=False),
    Column("cadre", Text, nullable=False),
    Column("investor", Text, nullable=False),
    Column("company", Text, nullable=False),
    Column("title", Text),
    Column("phone", Text),
    Column("location", Text),
    Column("industry", String(10)),
    Column("method", String(10)),
    Column("note", Text),
    *_source(),
)

projects = Table(
    "projects", metadata,
    Column("id", String(12), primary_key=True),  # P2024-0001
    Column("unit_code", String(20), nullable=False, index=True),  # the unit that registered it
    Column("first_month", String(7), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),
    Column("investor", Text),
    Column("investor_key", Text),
    Column("investor_location", Text),
    Column("funding", String(4)),
    Column("sector", String(4)),
    Column("subsector", String(10)),
    Column("total_investment", Money),
    Column("fixed_assets", Money),
    Column("foreign_registered", Money),
    Column("stage", String(4), nullable=False),
    Column("signed_on", Date),  # reported on the 项目信息 row (a lead already signed)
    Column("started_on", Date),
    Column("provider", Text),
    Column("provided_on", Date),
    Column("introducer", Text),
    Column("summary", Text),
    *_source(),
)

# The id registry: a project's id, once minted for its natural key, is never given up, so
# re-running months in any order (or rebuilding from the archive) keeps every id.
project_keys = Table(
    "project_keys", metadata,
    Column("id", String(12), primary_key=True),
    Column("unit_code", String(20), nullable=False),
    Column("name_key", Text, nullable=False),
    Column("investor_key", Text, nullable=False),
    Column("first_month", String(7), nullable=False),
)

project_updates = Table(
    "project_updates", metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", String(12), ForeignKey("projects.id"), nullable=False, index=True),
    Column("month", String(7), nullable=False, index=True),
    Column("unit_code", String(20), nullable=False),
    Column("stage", String(4), nullable=False),
    Column("signed_on", Date),
    Column("started_on", Date),
    Column("completed_on", Date),
    Column("fixed_assets_actual", Money),
    Column("foreign_arrived", Money),
    Column("expenses", Money),
    Column("progress_note", Text),
    Column("help_needed", Text),
    *_source(),
)

issues = Table(
    "issues", metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False, index=True),
    Column("month", String(7), nullable=False, index=True),
    Column("code", String(4), nullable=False),
    Column("level", String(8), nullable=False),
    Column("sheet", String(40)),
    Column("cell", String(12)),
    Column("message", Text, nullable=False),
)

taxes = Table(
    "taxes", metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", String(12), ForeignKey("projects.id"), nullable=False, index=True),
    Column("year", Integer, nullable=False),
    Column("zone_tax", Money, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
)

settlements = Table(
    "settlements", metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", String(12), ForeignKey("projects.id"), nullable=False, index=True),
    Column("kind", String(12), nullable=False),  # info / intro / tax_share
    Column("year", Integer, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("recipient", Text, nullable=False),
    Column("gross", Money, nullable=False),
    Column("offset", Money, nullable=False),
    Column("payable", Money, nullable=False),
    Column("basis", Text, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    # the numbers the amount was computed on (NULL in ledgers finalised before they were kept)
    Column("base", Money),
    Column("base_unit", String(8)),  # 万元 / 万美元
    Column("rate", Money),  # NULL: a fixed amount (信息奖 by band)
)

year_results = Table(
    # what ``annual --finalize`` decided for each unit and cadre: a finalised year is frozen
    "year_results", metadata,
    Column("id", Integer, primary_key=True),
    Column("year", Integer, nullable=False, index=True),
    Column("kind", String(8), nullable=False),  # unit / cadre
    Column("code", String(20), nullable=False),
    Column("completion", String(60)),  # exact fraction "n/d"; NULL: no completion (no target)
    Column("target_amount", Money),
    Column("target_projects", Integer),
    Column("deduction", Money),  # NULL: no deduction
    Column("per_person", Money),
    Column("people", Integer),
    Column("basis", Text),
    Column("veto", Integer),
    Column("admonish", Integer),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
)

screening = Table(
    "screening", metadata,
    Column("id", Integer, primary_key=True),
    Column("project_id", String(12), ForeignKey("projects.id"), nullable=False, index=True),
    Column("verdict", String(4), nullable=False),  # 有效 / 无效 / 重复 / 待定
    Column("duplicate_of", String(12)),
    Column("introducer_unit", String(20)),  # 招引单位 the bureau set (None: the default rule)
    Column("tracker", Text),
    Column("decided_on", Date),
    Column("file_name", Text, nullable=False),
    Column("source_row", Integer, nullable=False),
)
