"""What can be checked here of the platform district offices use (README, Windows)."""

from __future__ import annotations

import ast
import datetime as dt
import os
import sys
import types
from pathlib import Path

import pytest

from zhaoshang_xls import fileio
from zhaoshang_xls.text import safe_filename

PACKAGE = Path(__file__).resolve().parents[2] / "zhaoshang_xls"
POSIX_ONLY = {"fcntl", "pwd", "grp", "termios", "resource", "posix"}


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))]


def test_no_glibc_only_date_formats() -> None:
    """``%-m`` / ``%-d`` work with glibc only; Windows' strftime refuses them."""
    found = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            formats: list[ast.AST] = []
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "strftime":
                formats = list(node.args)
            elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                formats = [node.format_spec]  # f"{day:%-m}"
            for spec in formats:
                text = "".join(c.value for c in ast.walk(spec)
                               if isinstance(c, ast.Constant) and isinstance(c.value, str))
                if any(f"%-{c}" in text or f"%#{c}" in text for c in "dmHIMSjyY"):
                    found.append(f"{path.name}:{node.lineno}")
    assert not found


def test_no_posix_only_module_at_import_time() -> None:
    """Modules Windows lacks may only be imported inside a function (behind a platform check)."""
    found = []
    for path, tree in _sources():
        for node in tree.body:  # module level only
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            found += [f"{path.name}:{node.lineno} {n}" for n in names if n.split(".")[0] in POSIX_ONLY]
    assert not found


def test_file_names_are_legal_on_windows() -> None:
    for name in ('东湖村:"三月"<最终>|版?*', "招商局\\报表/2024", "西湖村\u2028\u200b\u202e", "  .隐藏.  "):
        part = safe_filename(name)
        assert not set(part) & set('\\/:*?"<>|') and part == part.strip(" .") and part.isprintable(), part


def test_the_state_folder_is_hidden_on_windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls = []
    kernel32 = types.SimpleNamespace(SetFileAttributesW=lambda path, flags: calls.append((path, flags)) or 1)
    import ctypes

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", types.SimpleNamespace(kernel32=kernel32), raising=False)
    fileio.hide(tmp_path / ".zsxls")
    assert calls == [(str(tmp_path / ".zsxls"), 0x2)]  # FILE_ATTRIBUTE_HIDDEN


def test_temp_clean_up_never_signals_a_process_on_windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On Windows ``os.kill(pid, 0)`` would terminate the process: there, age alone decides."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "kill", lambda *a: pytest.fail("os.kill called on Windows"))
    young = tmp_path / f"{fileio.TEMP_PREFIX}{2**22 + 7}-0a1b2c3d4e5f.xlsx"
    old = tmp_path / f"{fileio.TEMP_PREFIX}{2**22 + 8}-0a1b2c3d4e5f.xlsx"
    for p in (young, old):
        p.write_bytes(b"x")
    stamp = (dt.datetime.now() - dt.timedelta(days=1)).timestamp()
    os.utime(old, (stamp, stamp))
    assert fileio.remove_stale_temp(tmp_path) == [old]
    assert young.exists()
