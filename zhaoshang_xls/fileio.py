"""Writing output files atomically: a crash never leaves a half-written file."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from zhaoshang_xls.errors import OutputError


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it into place.

    On any exception the temporary file is removed and ``target`` is left as it was.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建文件夹 {target.parent}:{exc.strerror}。") from None
    # A fresh name, created by the writer itself so the file gets the usual permissions.
    tmp = target.with_name(f".~zsxls-{secrets.token_hex(6)}{target.suffix}")
    try:
        yield tmp
        _replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _replace(tmp: Path, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except PermissionError:
        raise OutputError(
            f"无法写入 {target.name}:文件可能正在 Excel/WPS 中打开,请关闭后重试。"
        ) from None
    except OSError as exc:
        raise OutputError(f"无法写入 {target}:{exc.strerror}。") from None


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and move the result to ``target``."""
    with atomic_path(target) as tmp:
        write(tmp)
    return target


def write_text_atomic(target: Path, text: str) -> Path:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return write_atomic(target, write)


def make_reproducible(path: Path, when: tuple[int, int, int, int, int, int] = (2024, 1, 1, 0, 0, 0)) -> None:
    """Rewrite an xlsx with fixed zip entry times and ``modified`` = ``created`` in its core
    properties (openpyxl stamps the save time there), so regenerating it gives identical bytes.
    Used for the committed templates/ and samples/."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    for i, (info, data) in enumerate(entries):
        if info.filename == "docProps/core.xml":
            created = re.search(rb"<dcterms:created[^>]*>([^<]*)<", data)
            if created:
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + created.group(1) + rb"\g<2>", data)
            entries[i] = (info, data)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info, data in entries:
                fixed = zipfile.ZipInfo(info.filename, date_time=when)
                fixed.compress_type = zipfile.ZIP_DEFLATED
                fixed.external_attr = 0o644 << 16
                dst.writestr(fixed, data)

    write_atomic(path, write)
