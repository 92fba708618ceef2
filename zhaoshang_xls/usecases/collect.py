"""收件 (SPEC §9.3): emailed attachments into a month folder, with a receipt log.

Sources: a folder of saved mails (``.eml`` through the standard library, Outlook ``.msg``
through extract-msg), or an IMAP mailbox (``[collect]`` in zsxls.toml). Only attachments whose
bytes are a spreadsheet are kept, with their real (RFC 2231 / 2047, GBK or UTF-8) names.
Nothing is ever overwritten: the same bytes already in the folder are skipped, a different
file of the same name gets a suffix. Each saved file is named after its unit (``_meta``, else
the sender's address in the roster's 邮箱), and ``<month>/收件记录.csv`` records where every
file came from, including the mail's date (used for 迟报).
"""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.config import Collect
from zhaoshang_xls.errors import MailboxError, UsageError
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.detect import FileKind, detect_kind
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.roster import Roster
from zhaoshang_xls.text import csv_field, from_csv_field, safe_filename
from zhaoshang_xls.workspace import Workspace

LOG_NAME = "收件记录.csv"
LOG_COLUMNS = ("发件人", "主题", "邮件日期", "附件名", "保存为", "SHA-256",
               schema.ROSTER_UNITS.column("unit_code").name)
_EXTENSIONS = {FileKind.XLSX: ".xlsx", FileKind.XLSB: ".xlsb", FileKind.ODS: ".ods", FileKind.OLE2: ".xls",
               FileKind.HTML: ".xls"}


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    sender: str  # the address
    subject: str
    date: dt.datetime | None  # when the mail was sent (its Date header)


@dataclass
class CollectResult:
    saved: list[tuple[Attachment, Path, str | None]] = field(default_factory=list)  # (attachment, path, unit)
    skipped: list[tuple[Attachment, str]] = field(default_factory=list)  # already present: (attachment, its file)
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (mail or attachment, why)
    mails: int = 0


def is_spreadsheet(data: bytes) -> bool:
    """By content: xlsx/xlsb/ods, a legacy workbook (not a Word file), or an HTML table export."""
    kind = detect_kind(data)
    if kind in (FileKind.XLSX, FileKind.XLSB, FileKind.ODS):
        return True
    if kind is FileKind.OLE2:
        import olefile

        try:
            with olefile.OleFileIO(io.BytesIO(data)) as ole:
                return any(ole.exists(s) for s in ("Workbook", "Book", "EncryptedPackage"))
        except Exception:  # a damaged container: not something we can read anyway
            return False
    return kind is FileKind.HTML and b"<table" in data[:200_000].lower()


def _real_name(name: str) -> str:
    """A header decoded with surrogates (raw GBK bytes some mailers send) back to its characters."""
    if any("\udc80" <= ch <= "\udcff" for ch in name):
        raw = name.encode("utf-8", "surrogateescape")
        for codec in ("utf-8", "gb18030"):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                continue
    return name


def attachments_of(message: Message) -> Iterator[Attachment]:
    """Every attachment of a mail, forwarded mails (message/rfc822) included."""
    sender = email.utils.parseaddr(str(message.get("From", "")))[1].lower()
    subject = str(message.get("Subject", ""))
    try:
        date = email.utils.parsedate_to_datetime(str(message.get("Date"))) if message.get("Date") else None
    except (TypeError, ValueError):
        date = None
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if not name:
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            yield Attachment(_real_name(str(name)), data, sender, _real_name(subject), date)


def read_eml(data: bytes) -> Message:
    return email.message_from_bytes(data, policy=email.policy.default)


def attachments_of_msg(path: Path) -> list[Attachment]:
    """An Outlook .msg file's attachments (extract-msg)."""
    import extract_msg

    msg: Any
    with extract_msg.openMsg(str(path)) as msg:  # a Message for mails (date, subject, sender)
        sender = email.utils.parseaddr(getattr(msg, "sender", "") or "")[1].lower()
        date = msg.date if isinstance(getattr(msg, "date", None), dt.datetime) else None
        found = []
        for att in msg.attachments:
            data = getattr(att, "data", None)
            name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or "附件"
            if isinstance(data, bytes):
                found.append(Attachment(str(name), data, sender, msg.subject or "", date))
        return found


def mails_in_folder(source: Path) -> Iterator[tuple[str, list[Attachment]]]:
    """(mail file name, its attachments) for every .eml and .msg in ``source``."""
    for path in sorted(p for p in source.iterdir() if p.is_file()):
        suffix = path.suffix.lower()
        if suffix == ".eml":
            yield path.name, list(attachments_of(read_eml(path.read_bytes())))
        elif suffix == ".msg":
            yield path.name, attachments_of_msg(path)


def mails_in_imap(settings: Collect, password: str) -> Iterator[tuple[str, list[Attachment]]]:
    """(mail label, its attachments) for every mail in the configured IMAP folder (read-only:
    nothing is marked, moved or deleted)."""
    import imaplib

    if not settings.imap_server or not settings.imap_user:
        raise MailboxError("请先在 zsxls.toml 的 [collect] 中填写 imap_server 和 imap_user。")
    try:
        if settings.imap_tls:
            box: imaplib.IMAP4 = imaplib.IMAP4_SSL(settings.imap_server, settings.imap_port, timeout=60)
        else:
            box = imaplib.IMAP4(settings.imap_server, settings.imap_port, timeout=60)
    except OSError as exc:
        raise MailboxError(f"连接邮箱服务器 {settings.imap_server}:{settings.imap_port} 失败({exc})。") from exc
    try:
        try:
            box.login(settings.imap_user, password)
        except imaplib.IMAP4.error as exc:
            raise MailboxError(f"邮箱登录失败:{exc}。请检查用户名和密码。") from exc
        status, _ = box.select(_imap_folder(settings.imap_folder), readonly=True)
        if status != "OK":
            raise MailboxError(f"邮箱中没有文件夹“{settings.imap_folder}”。")
        _, found = box.uid("SEARCH", "ALL")
        for uid in (found[0] or b"").split():
            _, parts = box.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if isinstance(raw, bytes):
                yield f"邮件 {uid.decode()}", list(attachments_of(read_eml(raw)))
    finally:
        with contextlib.suppress(Exception):
            box.logout()


def _imap_folder(name: str) -> str:
    """A folder name for IMAP: quoted, non-ASCII runs in modified UTF-7 (RFC 3501 5.1.3)."""
    out: list[str] = []
    pending = ""

    def flush() -> None:
        nonlocal pending
        if pending:
            encoded = base64.b64encode(pending.encode("utf-16-be")).decode().rstrip("=").replace("/", ",")
            out.append(f"&{encoded}-")
            pending = ""

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending += ch
    flush()
    return '"' + "".join(out) + '"'


def _unit_from_meta(data: bytes, roster: Roster) -> str | None:
    from zhaoshang_xls.reading.monthly import read_meta
    from zhaoshang_xls.reading.workbook import read_workbook

    try:
        meta = read_meta(read_workbook(data, max_rows=50))
    except Exception:  # unreadable here: consolidate reports it properly
        return None
    code = meta.get("unit")
    return code if code and roster.unit(code) is not None else None


def _unit_from_sender(sender: str, roster: Roster) -> str | None:
    matches = [u.code for u in roster.units if u.email and u.email.strip().lower() == sender]
    return matches[0] if len(matches) == 1 else None


def _target_name(att: Attachment, unit: str | None, roster: Roster, month: Month) -> str:
    ext = _EXTENSIONS.get(detect_kind(att.data), Path(att.name).suffix or ".xlsx")
    if unit is not None:
        u = roster.unit(unit)
        return safe_filename(f"{unit}_{u.name if u else ''}_{month}{ext}")
    return safe_filename(att.name) or f"附件{ext}"


def _free_path(folder: Path, name: str) -> Path:
    path = folder / name
    n = 2
    while path.exists():
        path = folder / f"{Path(name).stem}({n}){Path(name).suffix}"
        n += 1
    return path


def collect(mails: Iterable[tuple[str, list[Attachment]]], folder: Path, roster: Roster, month: Month
            ) -> CollectResult:
    """Save the spreadsheet attachments of ``mails`` into ``folder`` (never overwriting) and
    append what was saved to ``folder/收件记录.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    present = {hashlib.sha256(p.read_bytes()).hexdigest(): p.name
               for p in folder.iterdir() if p.is_file() and p.name != LOG_NAME}
    result = CollectResult()
    for mail, attachments in mails:
        result.mails += 1
        if not attachments:
            result.ignored.append((mail, "没有附件"))
        for att in attachments:
            if not is_spreadsheet(att.data):
                result.ignored.append((f"{mail}:{att.name}", "不是表格文件"))
                continue
            digest = hashlib.sha256(att.data).hexdigest()
            if digest in present:
                result.skipped.append((att, present[digest]))
                continue
            unit = _unit_from_meta(att.data, roster) or _unit_from_sender(att.sender, roster)
            path = _free_path(folder, _target_name(att, unit, roster, month))
            _write_bytes(path, att.data)
            present[digest] = path.name
            result.saved.append((att, path, unit))
    if result.saved:
        _append_log(folder / LOG_NAME, result.saved)
    return result


def _append_log(path: Path, saved: list[tuple[Attachment, Path, str | None]]) -> None:
    """Append to the log (written whole and renamed into place, so a crash leaves the old one)."""
    old = path.read_bytes() if path.exists() else "\ufeff".encode() + (",".join(LOG_COLUMNS) + "\r\n").encode()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for att, target, unit in saved:
        writer.writerow([csv_field(v) for v in (
            att.sender, att.subject, att.date.isoformat() if att.date else "", att.name, target.name,
            hashlib.sha256(att.data).hexdigest(), unit or "")])  # a subject "=HYPERLINK(…)" stays text
    _write_bytes(path, old + buffer.getvalue().encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomic(path, write)


def received_dates(folder: Path) -> dict[str, dt.datetime]:
    """File name -> the date of the mail it came in, from ``收件记录.csv`` (empty without one)."""
    path = folder / LOG_NAME
    if not path.exists():
        return {}
    dates = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            try:
                when = dt.datetime.fromisoformat(from_csv_field(row["邮件日期"]))
                name = from_csv_field(row["保存为"])
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
            dates[name] = when.replace(tzinfo=None)  # the sender's own clock: their date counts
    return dates


def collect_into_workspace(workspace: Workspace, source: str, month: Month,
                           password: str | None = None) -> tuple[CollectResult, Path]:
    """``zsxls collect``: the mails of a folder (or the mailbox, ``source`` = ``imap``) into the
    month folder of ``workspace``; returns what was saved and the folder."""
    if source.lower() == "imap":
        mails: Iterable[tuple[str, list[Attachment]]] = mails_in_imap(workspace.config.collect, password or "")
    else:
        if not Path(source).is_dir():
            raise UsageError(f"找不到文件夹 {source}(请把邮件另存为 .eml 或 .msg 文件放在一个文件夹里,"
                             "或写 imap 从邮箱收取)。")
        mails = mails_in_folder(Path(source))
    roster, _warnings = load_roster(workspace.roster_path, month.year)
    folder = workspace.root / str(month)
    return collect(mails, folder, roster, month), folder
