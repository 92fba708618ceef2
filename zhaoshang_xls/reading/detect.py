"""What a file is, judged by its bytes (never its name)."""

from __future__ import annotations

import zipfile
from enum import StrEnum
from pathlib import Path


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


def detect_kind(path: Path) -> FileKind:
    with path.open("rb") as fh:
        head = fh.read(512)
    if not head:
        return FileKind.EMPTY
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return FileKind.OLE2
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError):
            return FileKind.UNKNOWN
        if "xl/workbook.xml" in names:
            return FileKind.XLSX
        if "xl/workbook.bin" in names:
            return FileKind.XLSB
        if "content.xml" in names:
            return FileKind.ODS
        return FileKind.UNKNOWN
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")) and b"<t" in text:
        return FileKind.HTML
    return FileKind.UNKNOWN
