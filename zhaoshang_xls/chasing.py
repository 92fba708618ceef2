"""催报 (SPEC §9.2): who has sent a usable file, who is late, who must be reminded.

``unit_states`` is pure (roster + read submissions -> one state per unit); ``write_reminders``
writes a short text per unit without a usable file, and an ``.eml`` draft where the roster
has an address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from zhaoshang_xls import schema
from zhaoshang_xls.compute.monthly import LATE, MISSING, REPORTED, RETURNED
from zhaoshang_xls.config import Config
from zhaoshang_xls.fileio import write_atomic, write_text_atomic
from zhaoshang_xls.issues import Level
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.monthly import ACCEPTED, REJECTED, Submission
from zhaoshang_xls.roster import Roster, Unit
from zhaoshang_xls.text import safe_filename


@dataclass(frozen=True)
class UnitState:
    unit: Unit
    state: str  # 已报送 / 迟报 / 未报送 / 被退回
    file: str | None = None
    received: dt.date | None = None
    modified: dt.datetime | None = None  # shown beside 迟报 for the clerk's judgement
    reason: str = ""

    @property
    def needs_reminder(self) -> bool:
        return self.state in (MISSING, RETURNED)


def unit_states(roster: Roster, subs: Sequence[Submission], due: dt.date) -> list[UnitState]:
    """Each roster unit's state for the month the submissions belong to."""
    states = []
    for unit in roster.units:
        # A file too broken to say whose it is counts for the unit its name starts with (C01_…).
        mine = [s for s in subs if s.unit_code == unit.code
                or (s.unit_code is None and s.name.upper().startswith(f"{unit.code}_"))]
        accepted = [s for s in mine if s.status == ACCEPTED]
        if accepted:
            sub = accepted[0]
            received = sub.arrived_on
            late = received > due
            label = schema.BASIC.column("reported_on").name
            reason = f"{label} {received:%m月%d日},晚于截止日 {due:%m月%d日}" if late else ""
            states.append(UnitState(unit, LATE if late else REPORTED, sub.name, received, sub.modified, reason))
        elif any(s.status == REJECTED for s in mine):
            sub = next(s for s in mine if s.status == REJECTED)
            errors = [i.message for i in sub.issues if i.level is Level.ERROR]
            states.append(UnitState(unit, RETURNED, sub.name, None, sub.modified, errors[0] if errors else ""))
        else:
            states.append(UnitState(unit, MISSING))
    return states


def reminder_text(state: UnitState, month: Month, config: Config) -> str:
    """The short reminder a clerk sends (SMS, chat or mail)."""
    due = month.due_date(config.monthly.report_due_day)
    lines = [f"{state.unit.name}:"]
    if state.state == MISSING:
        lines.append(f"截至目前,尚未收到贵单位 {month.label} 的全员招商月报(截止日期 {due:%Y年%-m月%-d日})。")
    else:
        lines.append(f"贵单位报送的 {month.label} 月报“{state.file}”未能接收:{state.reason}")
    m = config.monthly
    lines.append(f"请用下发的本单位 {month.label} 模板填写后尽快发送至{config.campaign.office}。"
                 f"本月目标:结交客商 {m.contacts} 人以上,报送有价值的项目信息 {m.leads} 条以上。")
    if config.campaign.contact:
        lines.append(f"如有疑问请联系:{config.campaign.contact}。")
    return "\n".join(lines) + "\n"


def write_reminders(folder: Path, states: Sequence[UnitState], month: Month, config: Config) -> list[Path]:
    """``<code>_<name>_催报.txt`` per unit needing a reminder, plus an ``.eml`` draft with an address."""
    written = []
    for state in states:
        if not state.needs_reminder:
            continue
        stem = f"{safe_filename(state.unit.code)}_{safe_filename(state.unit.name)}_催报"
        text = reminder_text(state, month, config)
        written.append(write_text_atomic(folder / f"{stem}.txt", text))
        if state.unit.email:
            message = EmailMessage(policy=SMTP)
            message["To"] = state.unit.email
            message["Subject"] = f"请报送{month.label}全员招商月报({state.unit.name})"
            message["X-Unsent"] = "1"  # mail programs open it as a draft to send
            message.set_content(text)
            data = message.as_bytes()

            def write(tmp: Path, data: bytes = data) -> None:
                tmp.write_bytes(data)

            written.append(write_atomic(folder / f"{stem}.eml", write))
    return written
