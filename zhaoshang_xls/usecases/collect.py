"""收件 (SPEC §9.3): emailed attachments into a month folder, with a receipt log.

Sources: a folder of saved mails (``.eml`` through the standard library, Outlook ``.msg``
through extract-msg), or an IMAP mailbox (``[collect]`` in zsxls.toml). An attachment is first
held to consolidate's F10 limits on its size and its zip's declared sizes (nothing is parsed
before that); then only attachments whose bytes are a spreadsheet are kept, with their real
(RFC 2231 / 2047, GBK or UTF-8) names made safe for any disk (``_safe_name``). Nothing is ever
overwritten: a file is written to a temporary file in the folder and hard-linked to a free name
(a link fails if the name exists, even if another run took it a moment ago); the same bytes
already in the folder are skipped, a different file of the same name gets a suffix, and the
names of zsxls's own files are never given to an attachment. Each saved file is named after its
unit (``_meta``, else the sender's address in the roster's 邮箱), and is logged in
``<month>/收件记录.csv`` as soon as it is saved (appended and fsynced), with the mail's date
(used for 迟报); a file that was saved by a run that died before logging it gets its row when
its mail is collected again.
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
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from zhaoshang_xls import schema
from zhaoshang_xls.config import Collect
from zhaoshang_xls.errors import MailboxError, OutputError, UsageError
from zhaoshang_xls.fileio import temp_name, write_atomic
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading import detect
from zhaoshang_xls.reading.detect import FileKind, detect_kind, is_lock_file
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.roster import Roster
from zhaoshang_xls.text import csv_field, from_csv_field
from zhaoshang_xls.workspace import Workspace

LOG_NAME = "收件记录.csv"
LOG_COLUMNS = ("发件人", "主题", "邮件日期", "附件名", "保存为", "SHA-256",
               schema.ROSTER_UNITS.column("unit_code").name)
_LOG_HEADER = "\ufeff".encode() + (",".join(LOG_COLUMNS) + "\r\n").encode()
_EXTENSIONS = {FileKind.XLSX: ".xlsx", FileKind.XLSB: ".xlsb", FileKind.ODS: ".ods", FileKind.OLE2: ".xls",
               FileKind.HTML: ".xls"}
# The extensions a spreadsheet may carry; any other (.csv, .htm, .hta, none) becomes the one its bytes call for.
_SHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".xlt", ".et", ".ett", ".ods",
                             ".ots"})
# A saved name's UTF-8 bytes: Linux allows 255 per name, Windows 260 characters per path, month folder included.
NAME_MAX_BYTES = 150
_NAME_PUNCTUATION = frozenset("-_.()()[]【】《》、，，。·+&#~!!—")  # besides letters and digits of any script
_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                           *(f"lpt{i}" for i in range(10))})  # Windows opens a device, not a file
RESERVED_PREFIX = "来件_"  # an attachment named like one of zsxls's own files is saved under this prefix
_RESERVED_NAMES = frozenset(n.casefold() for n in (LOG_NAME, schema.TAX_FILE, schema.ROSTER_FILE))
_SCREENING_MARK = Path(schema.SCREENING_FILE_SUFFIX).stem  # "_线索甄别"
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows


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
    # already in the folder but not in the log (an earlier run stopped in between): logged now, with this mail's date
    relogged: list[tuple[Attachment, str]] = field(default_factory=list)
    # warnings: attachments whose name is one zsxls keeps for its own files, and where each was saved instead
    reserved: list[tuple[Attachment, Path]] = field(default_factory=list)
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
        raise MailboxError(f"连接邮箱服务器 {settings.imap_server}:{settings.imap_port} 失败（{exc}）。") from exc
    try:
        try:
            box.login(settings.imap_user, password)
        except imaplib.IMAP4.error as exc:
            raise MailboxError(f"邮箱登录失败：{exc}。请检查用户名和密码。") from exc
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


def too_large(data: bytes) -> str | None:
    """Why an attachment is refused before anything parses it (consolidate's F10 limits: its
    size, and for a zip its declared unzipped sizes and compression ratios), or None."""
    limit = detect.MAX_UNZIPPED
    if len(data) > limit:
        return (f"附件有 {len(data) / 1024 / 1024:.1f} MB，超过 {limit // 1024 // 1024} MB 的上限。"
                "请删除多余的工作表、图片后重新保存，或分开发送。")
    if data.startswith(b"PK"):
        problem = detect.check_zip_limits(data)  # the central directory only: nothing is unzipped
        if problem is not None:
            return problem.message
    return None


def _split(name: str) -> tuple[str, str]:
    """(stem, suffix): the suffix only when it looks like an extension (``.xlsx``, not ``.2024年``)."""
    dot = name.rfind(".")
    if dot > 0 and 1 < len(name) - dot <= 6 and name[dot + 1:].isascii() and name[dot + 1:].isalnum():
        return name[:dot], name[dot:]
    return name, ""


def _fit(stem: str, tail: str) -> str:
    """``stem + tail`` within NAME_MAX_BYTES of UTF-8, the stem shortened by whole characters."""
    stem = stem[:NAME_MAX_BYTES]
    while stem and len((stem + tail).encode("utf-8")) > NAME_MAX_BYTES:
        stem = stem[:-1]
    return (stem.rstrip("._-~ ") or "附件") + tail


def _safe_name(name: str, ext: str | None) -> str:
    """``name`` as a file name any disk takes: no control or format characters, only letters and
    digits (Chinese included) and a few punctuation marks (anything else, path separators and
    ``..`` among them, becomes ``_``), no leading dot, not a Windows device name, at most
    NAME_MAX_BYTES in UTF-8. The extension is kept when it is a spreadsheet's; otherwise (and
    when there is none) ``ext`` is used (``None``: keep whatever suffix the name has)."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", name) if not unicodedata.category(ch).startswith("C"))
    stem, suffix = _split(text.strip())
    if ext is not None and suffix.lower() not in _SHEET_SUFFIXES:
        suffix = ext
    stem = "".join(ch if unicodedata.category(ch)[0] in "LNM" or ch in _NAME_PUNCTUATION else "_" for ch in stem)
    stem = re.sub(r"_{2,}", "_", re.sub(r"\.{2,}", ".", stem)).strip("._-~") or "附件"
    if stem.split(".")[0].casefold() in _DEVICE_NAMES:
        stem = "_" + stem
    return _fit(stem, suffix)


def is_reserved(name: str) -> bool:
    """A name zsxls gives its own files in a month folder or the workspace (case ignored, as
    Windows does): the log, a 线索甄别 workbook (read as the bureau's decisions), 税收台账, 目标责任表."""
    key = name.casefold()
    return key in _RESERVED_NAMES or key.endswith(schema.SCREENING_FILE_SUFFIX.casefold())


def _unreserved(name: str) -> str:
    """``来件_收件记录.xlsx``, ``来件_2024-03-线索甄别.xlsx``: never one of zsxls's own names."""
    stem, suffix = _split(name)
    if stem.casefold().endswith(_SCREENING_MARK.casefold()):
        stem = stem[: -len(_SCREENING_MARK)] + "-" + _SCREENING_MARK[1:]
    return _fit(RESERVED_PREFIX + stem, suffix)


def _target_name(att: Attachment, unit: str | None, roster: Roster, month: Month) -> tuple[str, bool]:
    """The name to save ``att`` under, and whether it had to be moved off a reserved name."""
    ext = _EXTENSIONS.get(detect_kind(att.data), ".xlsx")
    if unit is not None:
        u = roster.unit(unit)
        name = _safe_name(f"{unit}_{u.name if u else ''}_{month}{ext}", ext)
        as_sent = name
    else:
        name = _safe_name(att.name, ext)
        as_sent = _safe_name(att.name, None)  # 收件记录.csv stays .csv here: still a stranger using our name
    if is_reserved(name) or is_reserved(as_sent):
        return _unreserved(name), True
    return name, False


def _candidate(name: str, n: int) -> str:
    """``name``, then ``name(2)``, ``name(3)``… (within the length limit)."""
    if n == 1:
        return name
    stem, suffix = _split(name)
    return _fit(stem, f"({n}){suffix}")


def _digest_of(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:  # a folder of that name, or gone again
        return None


def _fsync_dir(folder: Path) -> None:
    """Make a new name in ``folder`` durable (POSIX; Windows cannot open a folder for this)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (FileExistsError if it is there), write ``data`` and fsync it."""
    f = path.open("xb")
    try:
        with f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        path.unlink(missing_ok=True)  # ours: it did not exist a moment ago
        raise


def _place(tmp: Path, target: Path, data: bytes) -> None:
    """Give the complete file ``tmp`` the name ``target``; FileExistsError if the name is taken."""
    try:
        os.link(tmp, target)  # atomic, and it never replaces an existing file
    except FileExistsError:
        raise
    except (OSError, NotImplementedError):  # no hard links on this disk (FAT, some shares): an exclusive create
        _write_new(target, data)
    _fsync_dir(target.parent)


def _temp_copy(folder: Path, data: bytes) -> Path:
    """``data`` in a new hidden file in ``folder``, on disk."""
    tmp = folder / temp_name(".part")  # named so that a left-over one is cleared
    _write_new(tmp, data)
    return tmp


def _save(folder: Path, name: str, data: bytes, digest: str) -> tuple[Path, bool]:
    """Save ``data`` as ``name`` or the first free ``name(n)``: (path, True). When a name holds
    these very bytes already (another run saved them a moment ago): (that path, False)."""
    try:
        tmp = _temp_copy(folder, data)
        try:
            for n in range(1, 10_000):
                target = folder / _candidate(name, n)
                try:
                    _place(tmp, target, data)
                except FileExistsError:
                    if _digest_of(target) == digest:
                        return target, False
                    continue
                return target, True
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise _refused(folder / name, exc) from None
    raise OutputError(f"文件夹 {folder} 中与 {name} 同名的文件太多，请整理后重试。")


def _line_text(raw: bytes) -> str:
    """One line of the log: UTF-8 (ours), else GB18030 (Excel's "CSV" on a Chinese Windows)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _log_text(raw: bytes) -> str:
    """The log's text, line by line (a log Excel re-saved in GBK that zsxls appended UTF-8 rows
    to reads right too: a newline byte is never part of a GBK or UTF-8 character)."""
    return "\n".join(_line_text(line) for line in raw.split(b"\n")).removeprefix("\ufeff")


def _log_rows(folder: Path) -> list[dict[str, str]]:
    """The log's rows (field values through ``from_csv_field``); [] without a log."""
    path = folder / LOG_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise _refused(path, exc, reading=True) from None
    rows = []
    reader = csv.DictReader(io.StringIO(_log_text(raw), newline=""))
    try:
        for row in reader:
            rows.append({k.strip(): from_csv_field(v.strip()) for k, v in row.items()
                         if isinstance(k, str) and isinstance(v, str)})
    except csv.Error:  # a mangled line: the rows before it still count
        pass
    return rows


def _mail_date(text: str) -> dt.datetime | None:
    """The logged mail date (ISO, as zsxls writes it, or as Excel re-formats it), on the sender's clock."""
    text = text.strip()
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        for fmt in ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d"):
            try:
                when = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        else:
            return None
    return when.replace(tzinfo=None)  # the sender's own clock: their date counts


def _refused(path: Path, exc: OSError, reading: bool = False) -> OutputError:
    doing = "读取" if reading else "写入"
    if isinstance(exc, PermissionError):
        return OutputError(f"无法{doing} {path.name}：文件可能正在 Excel/WPS 中打开，或没有权限。"
                           "请关闭或检查后重新运行；"
                           "已保存的文件不会重复保存，未记入收件记录的会补记。")
    return OutputError(f"无法{doing} {path}：{exc.strerror or exc}。请腾出磁盘空间或检查文件夹后重新运行；"
                       "已保存的文件不会重复保存，未记入收件记录的会补记。")


def _prepare_log(path: Path) -> None:
    """Make an existing log safe to append UTF-8 rows to: one Excel re-saved in GBK is rewritten
    as UTF-8 (atomically), an empty one gets its header, a last line without its newline gets one."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return
    if not raw.strip():
        _rewrite(path, _LOG_HEADER)
        return
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        _rewrite(path, "\ufeff".encode() + _log_text(raw).encode("utf-8"))
    if not raw.endswith(b"\n"):
        _append(path, b"\r\n")


def _rewrite(path: Path, data: bytes) -> None:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomic(path, write)


def _append(path: Path, data: bytes) -> None:
    """Append ``data`` to the log and fsync it. A new log is created whole with its header (BOM
    first, for Excel) and linked into place, so no run ever appends to a log without one."""
    if not path.exists():
        tmp = _temp_copy(path.parent, _LOG_HEADER)
        try:
            with contextlib.suppress(FileExistsError):  # another run made it a moment ago
                _place(tmp, path, _LOG_HEADER)
        finally:
            tmp.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | _O_BINARY)
    try:
        view = memoryview(data)
        while view:  # one write for a row, in practice: O_APPEND keeps concurrent rows whole
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _log(path: Path, att: Attachment, saved_as: str, unit: str | None, digest: str) -> None:
    """One row in the log, on disk before the next attachment is looked at."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_field(v) for v in (  # a subject "=HYPERLINK(…)" stays text
        att.sender, att.subject, att.date.isoformat() if att.date else "", att.name, saved_as, digest, unit or "")])
    try:
        _append(path, buffer.getvalue().encode("utf-8"))
    except OSError as exc:
        raise _refused(path, exc) from None


def _present(folder: Path) -> dict[str, str]:
    """sha256 -> name of the files already in the folder that a unit may have sent (not the log,
    hidden files such as our temporary ones, or lock files)."""
    present: dict[str, str] = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.name != LOG_NAME and not p.name.startswith(".") and not is_lock_file(p):
            digest = _digest_of(p)
            if digest is not None:
                present.setdefault(digest, p.name)
    return present


def collect(mails: Iterable[tuple[str, list[Attachment]]], folder: Path, roster: Roster, month: Month
            ) -> CollectResult:
    """Save the spreadsheet attachments of ``mails`` into ``folder`` (never overwriting) and log
    each in ``folder/收件记录.csv`` as soon as it is saved."""
    log = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        present = _present(folder)
    except OSError as exc:
        raise _refused(folder, exc) from None
    try:
        _prepare_log(log)
    except OSError as exc:
        raise _refused(log, exc) from None
    rows = _log_rows(folder)
    logged_names = {r.get("保存为") for r in rows}
    logged = {r.get("SHA-256", "").lower() for r in rows} | {d for d, n in present.items() if n in logged_names}
    result = CollectResult()
    for mail, attachments in mails:
        result.mails += 1
        if not attachments:
            result.ignored.append((mail, "没有附件"))
        for att in attachments:
            refused = too_large(att.data)  # before anything parses it
            if refused is not None:
                result.ignored.append((f"{mail}:{att.name}", refused))
                continue
            if not is_spreadsheet(att.data):
                result.ignored.append((f"{mail}:{att.name}", "不是表格文件"))
                continue
            digest = hashlib.sha256(att.data).hexdigest()
            if digest in present and digest in logged:
                result.skipped.append((att, present[digest]))
                continue
            unit = _unit_from_meta(att.data, roster) or _unit_from_sender(att.sender, roster)
            if digest in present:  # saved by a run that stopped before logging it: this mail's date now
                _log(log, att, present[digest], unit, digest)
                result.relogged.append((att, present[digest]))
                logged.add(digest)
                continue
            name, reserved = _target_name(att, unit, roster, month)
            path, new = _save(folder, name, att.data, digest)
            present[digest] = path.name
            if not new:  # another run saved these bytes a moment ago, and logs them
                result.skipped.append((att, path.name))
                continue
            _log(log, att, path.name, unit, digest)
            logged.add(digest)
            result.saved.append((att, path, unit))
            if reserved:
                result.reserved.append((att, path))
    return result


def received_dates(folder: Path) -> dict[str, dt.datetime]:
    """File name -> the date of the mail it came in, from ``收件记录.csv`` (empty without one).
    The log may have been re-saved by Excel (GBK or UTF-8 with BOM, CRLF, dates re-formatted); a
    row that cannot be read is left out."""
    dates = {}
    for row in _log_rows(folder):
        when, name = _mail_date(row.get("邮件日期", "")), row.get("保存为", "")
        if when is not None and name:
            dates[name] = when
    return dates


def collect_into_workspace(workspace: Workspace, source: str, month: Month,
                           password: str | None = None) -> tuple[CollectResult, Path]:
    """``zsxls collect``: the mails of a folder (or the mailbox, ``source`` = ``imap``) into the
    month folder of ``workspace``; returns what was saved and the folder."""
    if source.lower() == "imap":
        mails: Iterable[tuple[str, list[Attachment]]] = mails_in_imap(workspace.config.collect, password or "")
    else:
        if not Path(source).is_dir():
            raise UsageError(f"找不到文件夹 {source}（请把邮件另存为 .eml 或 .msg 文件放在一个文件夹里，"
                             "或写 imap 从邮箱收取）。")
        mails = mails_in_folder(Path(source))
    roster, _warnings = load_roster(workspace.roster_path, month.year)
    folder = workspace.root / str(month)
    return collect(mails, folder, roster, month), folder
