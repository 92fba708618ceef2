"""催报 texts: a short reminder per unit without a usable file (the state comes from
``compute.states``), and an ``.eml`` draft where the roster has an address."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from zhaoshang_xls.config import Config
from zhaoshang_xls.fileio import write_atomic, write_text_atomic
from zhaoshang_xls.periods import Month
from zhaoshang_xls.records import UnitState
from zhaoshang_xls.schema import MISSING
from zhaoshang_xls.text import cn_date, safe_filename

# Characters that break a line or are invisible: controls, format characters (zero-width, bidi
# overrides), line and paragraph separators (U+2028, U+2029). A roster may hold them.
_ODD = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _header(text: str) -> str:
    """A mail header value on one line: format characters dropped, every run of spaces and line
    breaks (controls, U+2028, U+2029) one space."""
    kept = "".join("" if unicodedata.category(ch) == "Cf" else " " if unicodedata.category(ch) in _ODD else ch
                   for ch in text)
    return re.sub(r"\s+", " ", kept).strip()


def reminder_text(state: UnitState, month: Month, config: Config) -> str:
    """The short reminder a clerk sends (SMS, chat or mail)."""
    due = month.due_date(config.monthly.report_due_day)
    lines = [f"{state.unit.name}："]
    if state.state == MISSING:
        lines.append(f"截至目前，尚未收到贵单位 {month.label} 的全员招商月报（截止日期 {cn_date(due)}）。")
    else:
        lines.append(f"贵单位报送的 {month.label} 月报“{state.file}”未能接收：{state.reason}")
    m = config.monthly
    lines.append(f"请用下发的本单位 {month.label} 模板填写后尽快发送至{config.campaign.office}。"
                 f"本月目标：结交客商 {m.contacts} 人以上，报送有价值的项目信息 {m.leads} 条以上。")
    if config.campaign.contact:
        lines.append(f"如有疑问请联系：{config.campaign.contact}。")
    return "\n".join(lines) + "\n"


def write_reminders(folder: Path, states: Sequence[UnitState], month: Month, config: Config) -> list[Path]:
    """``<code>_<name>_催报.txt`` per unit needing a reminder, plus an ``.eml`` draft with an address;
    the folder then holds exactly these (an earlier run's reminder of a unit that reported since goes)."""
    written = []
    for state in states:
        if not state.needs_reminder:
            continue
        stem = f"{safe_filename(state.unit.code)}_{safe_filename(state.unit.name)}{_SUFFIX}"
        text = reminder_text(state, month, config)
        written.append(write_text_atomic(folder / f"{stem}.txt", text))
        if state.unit.email:
            message = EmailMessage(policy=SMTP)
            message["To"] = _header(state.unit.email)  # one address: the roster's reader checks it
            message["Subject"] = _header(f"请报送{month.label}全员招商月报（{state.unit.name}）")
            message["X-Unsent"] = "1"  # mail programs open it as a draft to send
            message.set_content(text)
            data = message.as_bytes()

            def write(tmp: Path, data: bytes = data) -> None:
                tmp.write_bytes(data)

            written.append(write_atomic(folder / f"{stem}.eml", write))
    kept = {p.name for p in written}
    if folder.is_dir():  # a unit that has reported since: its old reminder goes (only ours, by name)
        for old in folder.iterdir():
            if old.is_file() and old.suffix in (".txt", ".eml") and old.stem.endswith(_SUFFIX) \
                    and old.name not in kept:
                old.unlink(missing_ok=True)
    return written


_SUFFIX = "_催报"
