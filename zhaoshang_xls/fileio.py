"""Writing output files atomically: a crash never leaves a half-written file."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import errno
import hashlib
import os
import secrets
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from zhaoshang_xls.errors import OutputError

_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO}
TEMP_PREFIX = ".~zsxls-"  # every temporary file zsxls makes (``temp_name``)
_STALE_AFTER = dt.timedelta(hours=12)  # a temp file this old is left over, whoever made it
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def temp_name(suffix: str) -> str:
    """``.~zsxls-<pid>-<host>-<random><suffix>``: whether it is left over can be told later (a
    process of this computer that no longer runs, or an age no run takes)."""
    return f"{TEMP_PREFIX}{os.getpid()}-{_HOST}-{secrets.token_hex(6)}{suffix}"


@contextlib.contextmanager
def atomic_path(target: Path, *, durable: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it into place (``durable``:
    flushed to disk first, for what a crash must never lose — the archive).

    On any exception the temporary file is removed and ``target`` is left as it was; a kill
    leaves at most the temporary file, which :func:`remove_stale_temp` clears later.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建文件夹 {target.parent}：{exc.strerror}。") from None
    # A fresh name, created by the writer itself so the file gets the usual permissions.
    tmp = target.with_name(temp_name(target.suffix))
    stage = _STAGE.get()
    try:
        try:
            yield tmp
        except OSError as exc:
            if exc.errno not in _DISK_ERRORS or isinstance(exc, OutputError):
                raise
            raise OutputError(f"无法写入 {target}（{exc.strerror}）。") from exc  # the target, not the temp name
        if durable:
            _fsync(tmp)
        elif stage is not None:  # moved into place when the staging ends (after the commit)
            stage.append((tmp, target))
            return
        _replace(tmp, target)
        if durable:
            _fsync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    else:
        tmp.unlink(missing_ok=True)


_STAGE: contextvars.ContextVar[list[tuple[Path, Path]] | None] = contextvars.ContextVar("zsxls_stage", default=None)


@contextlib.contextmanager
def staged() -> Iterator[list[tuple[Path, Path]]]:
    """Within it, every (non-durable) file written is only built beside its target; when it ends
    without an error all of them are moved into place, else all are removed and the targets stay
    as they were. ``consolidate`` builds its outputs inside the ledger's transaction this way and
    moves them after the commit (docs/architecture.md, Crash safety)."""
    files: list[tuple[Path, Path]] = []
    token = _STAGE.set(files)
    try:
        yield files
    except BaseException:
        for tmp, _ in files:
            tmp.unlink(missing_ok=True)
        raise
    finally:
        _STAGE.reset(token)
    try:
        for tmp, target in files:
            _replace(tmp, target)
    finally:
        for tmp, _ in files:
            tmp.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":  # Windows cannot open a folder; NTFS journals the rename
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_FILE_ATTRIBUTE_HIDDEN = 0x2


def hide(path: Path) -> None:
    """Mark ``path`` hidden on Windows (elsewhere its leading dot does); never fails the run."""
    if sys.platform != "win32":
        return
    import ctypes

    with contextlib.suppress(AttributeError, OSError):
        ctypes.windll.kernel32.SetFileAttributesW(str(path), _FILE_ATTRIBUTE_HIDDEN)


def remove_stale_temp(root: Path, depth: int = 4) -> list[Path]:
    """Remove the temporary files a killed zsxls left under ``root`` (only zsxls's own prefix):
    those of a process that no longer runs, and any older than half a day. Returns them."""
    removed: list[Path] = []
    base = len(root.parts)
    for folder, dirs, files in os.walk(root):
        if len(Path(folder).parts) - base >= depth:
            dirs[:] = []
        for name in files:
            if name.startswith(TEMP_PREFIX) and _left_over(Path(folder) / name):
                with contextlib.suppress(OSError):
                    (Path(folder) / name).unlink()
                    removed.append(Path(folder) / name)
    return removed


def _left_over(path: Path) -> bool:
    try:
        age = dt.datetime.now() - dt.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return False
    if age > _STALE_AFTER:
        return True
    parts = path.name[len(TEMP_PREFIX):].split("-")
    if not parts[0].isdigit():  # an older version's name (no pid): stale after a few minutes
        return age > dt.timedelta(minutes=10)
    if len(parts) >= 3 and parts[1] != _HOST:  # another computer's (a shared folder): its age decides
        return False
    return not _running(int(parts[0]))


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill would terminate it there; trust the age alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    try:  # a killed process its parent has not reaped yet (a zombie) is not running
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _replace(tmp: Path, target: Path) -> None:
    try:
        os.replace(tmp, target)
    except PermissionError:
        raise OutputError(
            f"无法写入 {target.name}：文件可能正在 Excel/WPS 中打开，请关闭后重试。"
        ) from None
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{exc.strerror}。") from None


def write_atomic(target: Path, write: Callable[[Path], None], *, durable: bool = False) -> Path:
    """Call ``write(tmp_path)`` and move the result to ``target`` (``durable``: fsync'd)."""
    with atomic_path(target, durable=durable) as tmp:
        write(tmp)
    return target


def write_text_atomic(target: Path, text: str, *, durable: bool = False) -> Path:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    return write_atomic(target, write, durable=durable)


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
