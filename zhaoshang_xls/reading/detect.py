"""What a file is, judged by its bytes (never its name), and whether it is safe to parse."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

# SPEC F10: more than 50 MB unzipped, or a sheet of more than 5,000 data rows, is refused.
MAX_UNZIPPED = 50 * 1024 * 1024
MAX_RATIO = 200  # an entry compressed more than 200:1 is a zip bomb, not a spreadsheet
MAX_DATA_ROWS = 5000
STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
DEFAULT_PASSWORD = "VelvetSweatshop"  # Excel's "read-only recommended" encryption


class FileKind(StrEnum):
    XLSX = "xlsx"
    XLSB = "xlsb"
    ODS = "ods"
    OLE2 = "ole2"  # legacy .xls, WPS .et, or an encrypted xlsx
    HTML = "html"
    EMPTY = "empty"
    UNKNOWN = "unknown"


def is_lock_file(path: Path) -> bool:
    """Owner files Excel and WPS leave beside an open document (``~$name.xlsx``)."""
    return path.name.startswith("~$") or (path.name.startswith(".~lock.") and path.name.endswith("#"))


def detect_kind(data: bytes) -> FileKind:
    """The container format of a file's bytes."""
    if not data:
        return FileKind.EMPTY
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return FileKind.OLE2
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except Exception:  # a damaged zip: the parser will report it
            return FileKind.UNKNOWN
        if "xl/workbook.xml" in names:
            return FileKind.XLSX
        if "xl/workbook.bin" in names:
            return FileKind.XLSB
        if "content.xml" in names:
            return FileKind.ODS
        return FileKind.UNKNOWN
    text = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<meta")) and b"<t" in data[:65536].lower():
        return FileKind.HTML
    return FileKind.UNKNOWN


@dataclass(frozen=True)
class ZipProblem:
    message: str


def check_zip_limits(data: bytes) -> ZipProblem | None:
    """F10 before parsing: total unzipped size and each entry's compression ratio."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception:  # a damaged zip: the parser will report it
        return None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        return ZipProblem(f"文件解压后达 {total / 1024 / 1024:.0f} MB，超过 {MAX_UNZIPPED // 1024 // 1024} MB 的上限。"
                          "请删除多余的工作表、图片后重新保存，或分开发送。")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            ratio = info.file_size // max(1, info.compress_size)
            return ZipProblem(f"文件中的“{info.filename}”压缩比异常（{ratio}:1），"
                              "可能是恶意文件或大量空白行，已拒绝读取。请把数据复制到新模板后重新发送。")
    return None


def is_strict_ooxml(data: bytes) -> bool:
    """Strict Open XML (a "Strict" save option): many readers see no sheets in it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return STRICT_NS in zf.read("xl/workbook.xml")[:4096]
    except Exception:  # a damaged zip: the parser will report it
        return False


def decrypt(data: bytes) -> bytes | None:
    """Decrypted bytes of an encrypted Office file if it uses the default read-only password;
    None when the file is not encrypted; raises ValueError when another password is needed."""
    import msoffcrypto

    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        if not office.is_encrypted():
            return None
        office.load_key(password=DEFAULT_PASSWORD)
        out = io.BytesIO()
        office.decrypt(out)
    except Exception as exc:
        raise ValueError("password required") from exc
    return out.getvalue()
