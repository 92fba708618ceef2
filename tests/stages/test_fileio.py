"""Atomic writes: a failure leaves the old file untouched and no temporary file behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zhaoshang_xls.errors import OutputError
from zhaoshang_xls.fileio import write_atomic, write_text_atomic


def test_success_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.txt"
    write_text_atomic(target, "新内容")
    assert target.read_text(encoding="utf-8") == "新内容"
    assert os.listdir(target.parent) == ["report.txt"]


def test_crash_while_writing_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous")

    def half_write(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, half_write)
    assert target.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["report.xlsx"]


def test_locked_target_is_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "2024-03_一月一交流.xlsx"
    target.write_bytes(b"open in Excel")

    def locked(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError, match="正在 Excel/WPS 中打开"):
        write_text_atomic(target, "x")
    assert target.read_bytes() == b"open in Excel"
    assert os.listdir(tmp_path) == [target.name]
