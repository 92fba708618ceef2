"""zsxls collect keeps its evidence (issue 15, item 5): every saved file is in 收件记录.csv as soon
as it is saved (a crash or kill loses no mail date, and a re-run logs a file saved but not logged);
hostile attachment names are made safe; a file is never overwritten, even by a concurrent run; an
attachment never takes the name of one of zsxls's own files; a log Excel re-saved (GBK, BOM, CRLF)
is read and appended to safely; an oversized or zip-bomb attachment is refused before it is parsed."""

from __future__ import annotations

import csv
import datetime as dt
import errno
import hashlib
import io
import json
import random
import threading
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.cli.test_collect import CHINA, MARCH, XLSX, _mail, _unit_file
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.usecases import collect as collect_mod
from zhaoshang_xls.usecases.collect import LOG_COLUMNS, LOG_NAME, Attachment, collect, is_reserved, received_dates
from zhaoshang_xls.workspace import Workspace

ON_TIME = dt.datetime(2024, 4, 3, 9, 30, tzinfo=CHINA)
LATE = dt.datetime(2024, 4, 8, 10, 0, tzinfo=CHINA)
STRANGER = "stranger@elsewhere.example.com"  # in no unit's 邮箱: files keep (a safe form of) their own name


def _workbook(text: str) -> bytes:
    """A small workbook without _meta (not a unit's template), different bytes for each ``text``."""
    wb = Workbook()
    wb.active["A1"] = text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _html_table(text: str) -> bytes:
    return f"<html><body><table><tr><td>{text}</td></tr></table></body></html>".encode()


def _eml(box: Path, name: str, sender: str, when: dt.datetime, *files: tuple[str, bytes]) -> None:
    box.mkdir(exist_ok=True)
    m = _mail(sender, "报表", when)
    for filename, data in files:
        m.add_attachment(data, *XLSX, filename=filename)
    (box / name).write_bytes(m.as_bytes())


def _log_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / LOG_NAME).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _collect(ws: Workspace, box: Path, run):
    return run(["collect", str(box), "--month", "2024-03", "-w", str(ws.root)])


def _two_units(ws: Workspace, tmp: Path) -> Path:
    box = tmp / "邮件"
    _eml(box, "1.eml", "c01@zs.example.cn", ON_TIME, ("东湖村.xlsx", _unit_file(ws, "C01", "李秀英")))
    _eml(box, "2.eml", "d01@zs.example.cn", LATE, ("招商局.xlsx", _unit_file(ws, "D01", "张伟")))
    return box


# ---------------------------------------------------------------- 1. logged as saved

def _second_file(args: tuple) -> bool:
    return args[1].name.startswith("D01")  # _place(tmp, target, data): the second attachment's save


def _second_row(args: tuple) -> bool:
    return args[2].startswith("D01")  # _log(log, att, saved_as, unit, digest): the second file's row


def _first_row(args: tuple) -> bool:
    return args[2].startswith("C01")


@pytest.mark.parametrize(("step", "when", "error"), [
    ("_place", _second_file, OSError(errno.ENOSPC, "No space left on device")),  # the second file cannot be saved
    ("_log", _second_row, KeyboardInterrupt()),  # killed after the second file was saved, before its row
    ("_log", _first_row, KeyboardInterrupt()),  # killed after the first file was saved, the log not yet made
])
def test_each_file_is_logged_as_it_is_saved_and_a_rerun_logs_what_a_crash_left(
        workspace: Workspace, tmp_path: Path, run, monkeypatch, step: str, when, error: BaseException) -> None:
    box = _two_units(workspace, tmp_path)
    folder = workspace.root / "2024-03"
    real = getattr(collect_mod, step)

    def failing(*args, **kwargs):
        if when(args):
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(collect_mod, step, failing)
    crashed = _collect(workspace, box, run)
    assert crashed.exit_code in (3, 130), crashed.output
    if isinstance(error, OSError):
        assert "无法写入" in crashed.output and "重新运行" in crashed.output
    c01, d01 = "C01_东湖村_2024-03.xlsx", "D01_招商局_2024-03.xlsx"
    if when is _first_row:  # saved, not logged; the batch stopped there
        assert (folder / c01).exists() and not (folder / d01).exists() and not (folder / LOG_NAME).exists()
    else:  # the first file was logged the moment it was saved
        assert [r["保存为"] for r in _log_rows(folder)] == [c01]
        assert received_dates(folder) == {c01: dt.datetime(2024, 4, 3, 9, 30)}
        assert (folder / d01).exists() == (step == "_log")  # saved, but not logged

    monkeypatch.setattr(collect_mod, step, real)
    again = _collect(workspace, box, run)
    assert again.exit_code == 0, again.output
    rows = _log_rows(folder)
    assert sorted(r["保存为"] for r in rows) == [c01, d01]  # each exactly once
    assert received_dates(folder) == {c01: dt.datetime(2024, 4, 3, 9, 30), d01: dt.datetime(2024, 4, 8, 10, 0)}
    for r in rows:
        assert r["SHA-256"] == hashlib.sha256((folder / r["保存为"]).read_bytes()).hexdigest()
        assert r["单位编码"] == r["保存为"][:3]
    assert sorted(p.name for p in folder.iterdir()) == [c01, d01, LOG_NAME]  # nothing saved twice, no temp left
    if step == "_log":
        relogged = c01 if when is _first_row else d01
        assert f"补记收件记录：{relogged}" in again.output and "补记收件记录 1 条" in again.output
    third = _collect(workspace, box, run)
    assert "保存 0 个文件" in third.output and "补记" not in third.output and len(_log_rows(folder)) == 2


# ---------------------------------------------------------------- 2. hostile names

HOSTILE = {
    "报表\x00三月.xlsx": "nul",
    "\x1b[31m红色\x07报表\r\n.xlsx": "control",
    "../../../../etc/cron.d/evil.xlsx": "dotdot",
    "..": "only dots",
    "C:\\Users\\王\\桌面\\报表.xlsx": "windows path",
    "东" * 120 + ".xlsx": "360 bytes",
    "CON.xlsx": "device",
    "报表\u202exslx.exe": "right-to-left override, not a spreadsheet extension",
    "  .隐藏.xlsx  ": "hidden",
    "报表.hta": "html application",
}


def test_hostile_attachment_names_are_made_safe(workspace: Workspace, tmp_path: Path) -> None:
    roster, _ = load_roster(workspace.roster_path, 2024)
    folder = workspace.root / "2024-03"
    atts = [Attachment(name, _html_table(why) if name.endswith(".hta") else _workbook(why), STRANGER, "报表", ON_TIME)
            for name, why in HOSTILE.items()]
    before = sorted(tmp_path.rglob("*"))
    result = collect([("1.eml", atts)], folder, roster, MARCH)
    assert len(result.saved) == len(HOSTILE) and not result.ignored
    after = sorted(p for p in tmp_path.rglob("*") if p not in before)
    assert [p for p in after if p.parent != folder and p != folder] == []  # nothing outside the month folder
    names = [path.name for _att, path, _unit in result.saved]
    for name in names:
        assert len(name.encode("utf-8")) <= 150, name
        assert not any(unicodedata.category(ch).startswith("C") for ch in name), repr(name)
        assert "/" not in name and "\\" not in name and ".." not in name and not name.startswith((".", "~", "-"))
        assert name.endswith((".xlsx", ".xls")) and (folder / name).is_file()
    by_why = {why: path.name for (att, path, _u) in result.saved for n, why in HOSTILE.items() if att.name == n}
    assert by_why["nul"] == "报表三月.xlsx" and by_why["control"] == "[31m红色报表.xlsx"
    assert by_why["windows path"] == "C_Users_王_桌面_报表.xlsx"
    assert by_why["360 bytes"].startswith("东" * 40) and by_why["360 bytes"].endswith(".xlsx")
    assert by_why["device"] == "_CON.xlsx" and by_why["only dots"] == "附件.xlsx"
    assert by_why["html application"] == "报表.xls"  # not .hta: a double click must not run it
    assert by_why["right-to-left override, not a spreadsheet extension"].endswith(".xlsx")
    assert by_why["hidden"] == "隐藏.xlsx"
    assert sorted(received_dates(folder)) == sorted(names)  # every one logged, found again by its name


def test_a_long_name_in_a_mail_does_not_stop_the_batch(workspace: Workspace, tmp_path: Path, run) -> None:
    box = tmp_path / "邮件"
    _eml(box, "1.eml", STRANGER, ON_TIME, ("招商引资项目信息月报表" * 12 + ".xlsx", _workbook("长")),
         ("../上级/报表.xlsx", _workbook("短")))
    result = _collect(workspace, box, run)
    assert result.exit_code == 0, result.output
    names = [r["保存为"] for r in _log_rows(workspace.root / "2024-03")]
    assert len(names) == 2 and all(len(n.encode()) <= 150 for n in names) and "上级_报表.xlsx" in names


# ---------------------------------------------------------------- 3. never overwritten

def test_a_name_taken_while_saving_is_never_overwritten(workspace: Workspace, tmp_path: Path, run,
                                                         monkeypatch) -> None:
    """Another run takes the name between our check and our save: its file stays, ours gets (2)."""
    folder = workspace.root / "2024-03"
    theirs = _workbook("另一次运行保存的文件")
    real = collect_mod._temp_copy

    def racing(where: Path, data: bytes) -> Path:
        tmp = real(where, data)
        if not (where / "C01_东湖村_2024-03.xlsx").exists():
            (where / "C01_东湖村_2024-03.xlsx").write_bytes(theirs)
        return tmp

    monkeypatch.setattr(collect_mod, "_temp_copy", racing)
    result = _collect(workspace, _two_units(workspace, tmp_path), run)
    assert result.exit_code == 0, result.output
    assert (folder / "C01_东湖村_2024-03.xlsx").read_bytes() == theirs
    assert "C01_东湖村_2024-03(2).xlsx" in [r["保存为"] for r in _log_rows(folder)]
    assert (folder / "C01_东湖村_2024-03(2).xlsx").read_bytes() == _log_digest_file(folder, "C01")


def _log_digest_file(folder: Path, unit: str) -> bytes:
    row = next(r for r in _log_rows(folder) if r["单位编码"] == unit)
    data = (folder / row["保存为"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == row["SHA-256"]
    return data


def test_the_same_bytes_saved_meanwhile_by_another_run_are_not_saved_twice(workspace: Workspace, tmp_path: Path,
                                                                          monkeypatch) -> None:
    roster, _ = load_roster(workspace.roster_path, 2024)
    folder = workspace.root / "2024-03"
    data = _unit_file(workspace, "C01", "李秀英")
    real = collect_mod._temp_copy

    def racing(where: Path, payload: bytes) -> Path:
        tmp = real(where, payload)
        if payload == data and not (where / "C01_东湖村_2024-03.xlsx").exists():
            (where / "C01_东湖村_2024-03.xlsx").write_bytes(data)  # the other run, same mail
        return tmp

    monkeypatch.setattr(collect_mod, "_temp_copy", racing)
    result = collect([("1.eml", [Attachment("东湖村.xlsx", data, "c01@zs.example.cn", "报表", ON_TIME)])],
                     folder, roster, MARCH)
    assert not result.saved and [name for _a, name in result.skipped] == ["C01_东湖村_2024-03.xlsx"]
    assert sorted(p.name for p in folder.iterdir()) == ["C01_东湖村_2024-03.xlsx"]  # its run logs it, not us


def test_two_runs_at_once_never_overwrite_each_other(workspace: Workspace, monkeypatch) -> None:
    """Two collects into one folder, each with a different C01 file (the same target name),
    meeting right before they name and save it; a few rounds, so that they really collide."""
    roster, _ = load_roster(workspace.roster_path, 2024)
    files = [_unit_file(workspace, "C01", "李秀英"), _unit_file(workspace, "C01", "王芳")]
    assert files[0] != files[1]
    meet = threading.Barrier(2, timeout=30)
    real = collect_mod._unit_from_meta

    def meeting(data: bytes, r):
        unit = real(data, r)
        meet.wait()
        return unit

    monkeypatch.setattr(collect_mod, "_unit_from_meta", meeting)
    for round_ in range(8):
        folder = workspace.root / f"第{round_}轮" / "2024-03"
        folder.mkdir(parents=True)
        errors: list[BaseException] = []

        def one_run(data: bytes, when: dt.datetime, folder: Path = folder, errors: list = errors) -> None:
            try:
                att = Attachment("东湖村.xlsx", data, "c01@zs.example.cn", "报表", when)
                collect([("1.eml", [att])], folder, roster, MARCH)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=one_run, args=(data, ON_TIME + dt.timedelta(hours=i)))
                   for i, data in enumerate(files)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        saved = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != LOG_NAME}
        assert sorted(saved.values()) == sorted(files), f"round {round_}: {sorted(saved)}"  # neither overwritten
        assert sorted(saved) == ["C01_东湖村_2024-03(2).xlsx", "C01_东湖村_2024-03.xlsx"]
        rows = _log_rows(folder)
        assert sorted(r["保存为"] for r in rows) == sorted(saved)
        assert all(hashlib.sha256(saved[r["保存为"]]).hexdigest() == r["SHA-256"] for r in rows)


# ---------------------------------------------------------------- 4. zsxls's own names

RESERVED = {  # attachment name -> its bytes (a spreadsheet each, so each can reach the folder)
    "收件记录.csv": _workbook("伪造的收件记录"),
    "收件记录.CSV": _html_table("伪造的收件记录(网页表格)"),
    "2024-03_线索甄别.xlsx": _workbook("伪造的甄别结论"),
    "x_线索甄别.XLSX": _workbook("伪造的甄别结论二"),
    "税收台账.xlsx": _workbook("伪造的税收"),
    "目标责任表.xlsx": _workbook("伪造的目标"),
}


def test_an_attachment_never_takes_the_name_of_a_zsxls_file(workspace: Workspace, tmp_path: Path, run) -> None:
    from zhaoshang_xls.reading.screening import is_screening_file

    box = tmp_path / "邮件"
    _eml(box, "1.eml", STRANGER, ON_TIME, *RESERVED.items())
    result = _collect(workspace, box, run)
    assert result.exit_code == 0, result.output
    folder = workspace.root / "2024-03"
    names = sorted(p.name for p in folder.iterdir() if p.name != LOG_NAME)
    assert len(names) == len(RESERVED)
    assert not any(is_reserved(n) or is_screening_file(folder / n) for n in names), names
    assert all(n.startswith("来件_") for n in names), names
    assert "来件_2024-03-线索甄别.xlsx" in names and "来件_收件记录.xlsx" in names and "来件_收件记录.xls" in names
    rows = _log_rows(folder)  # the log is still ours, whole
    assert list(rows[0]) == list(LOG_COLUMNS) and sorted(r["保存为"] for r in rows) == names
    assert {r["附件名"] for r in rows} == set(RESERVED)
    for attachment in RESERVED:
        assert f"注意：附件“{attachment}”" in result.output
    assert result.output.count("与 zsxls 自用的文件") == len(RESERVED)
    assert "已改名保存为 来件_税收台账.xlsx" in result.output


def test_a_unit_named_file_is_never_reserved() -> None:
    assert not is_reserved("C01_东湖村_2024-03.xlsx") and is_reserved("收件记录.csv")
    assert is_reserved("目标责任表.XLSX") and is_reserved("2024-03_线索甄别.xlsx")


# ---------------------------------------------------------------- 5. a log Excel re-saved

def _excel_log(folder: Path, encoding: str, date: str) -> None:
    """The log as Excel saves it again: CRLF, GBK without BOM (or UTF-8 with BOM), a row it mangled."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [",".join(LOG_COLUMNS),
            f"d01@zs.example.cn,招商局三月报表,{date},招商局报表.xlsx,D01_招商局_2024-03.xlsx,{'0' * 64},D01",
            "坏行,没有日期",
            "zz@zs.example.cn,无,不是日期,某.xlsx,某.xlsx,,"]
    (folder / LOG_NAME).write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))


@pytest.mark.parametrize(("encoding", "date"), [
    ("gbk", "2024-04-08T10:00:00+08:00"),
    ("utf-8-sig", "2024-04-08T10:00:00+08:00"),
    ("gbk", "2024/4/8 10:00"),  # Excel re-formats the date it recognises
])
def test_a_log_resaved_by_excel_is_read_and_appended_to(workspace: Workspace, tmp_path: Path, run,
                                                       encoding: str, date: str) -> None:
    folder = workspace.root / "2024-03"
    _excel_log(folder, encoding, date)
    (folder / "D01_招商局_2024-03.xlsx").write_bytes(_unit_file(workspace, "D01", "张伟"))
    assert received_dates(folder) == {"D01_招商局_2024-03.xlsx": dt.datetime(2024, 4, 8, 10, 0)}
    status = run(["status", str(folder), "--json"])
    assert "Traceback" not in status.output
    units = {u["unit"]: u for u in json.loads(status.output)["units"]}
    assert units["D01"]["state"] == "迟报"  # the mail date still decides

    box = tmp_path / "邮件"
    _eml(box, "1.eml", "c01@zs.example.cn", ON_TIME, ("东湖村.xlsx", _unit_file(workspace, "C01", "李秀英")))
    assert _collect(workspace, box, run).exit_code == 0
    text = (folder / LOG_NAME).read_bytes().decode("utf-8")  # all UTF-8 now: the GBK rows were converted
    assert "招商局三月报表" in text and "D01_招商局_2024-03.xlsx" in text
    assert received_dates(folder) == {"D01_招商局_2024-03.xlsx": dt.datetime(2024, 4, 8, 10, 0),
                                      "C01_东湖村_2024-03.xlsx": dt.datetime(2024, 4, 3, 9, 30)}


def test_a_log_without_its_last_newline_or_with_garbage_is_no_crash(workspace: Workspace, tmp_path: Path,
                                                                   run) -> None:
    folder = workspace.root / "2024-03"
    folder.mkdir()
    log = folder / LOG_NAME
    log.write_bytes("\ufeff".encode() + (",".join(LOG_COLUMNS) + "\r\nx@y.cn,主题,2024-04-02T08:00:00,a.xlsx,"
                                          "a.xlsx,,").encode())  # Excel drops the last newline
    box = tmp_path / "邮件"
    _eml(box, "1.eml", "c01@zs.example.cn", ON_TIME, ("东湖村.xlsx", _unit_file(workspace, "C01", "李秀英")))
    assert _collect(workspace, box, run).exit_code == 0
    assert received_dates(folder) == {"a.xlsx": dt.datetime(2024, 4, 2, 8, 0),
                                      "C01_东湖村_2024-03.xlsx": dt.datetime(2024, 4, 3, 9, 30)}
    log.write_bytes(b"\xff\xfe\x00\x00garbage\x00\r\n\x81\x30")  # neither UTF-8 nor a CSV log
    assert received_dates(folder) == {}


# ---------------------------------------------------------------- 6. size before parsing

def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_an_oversized_attachment_is_refused_before_it_is_parsed(workspace: Workspace, tmp_path: Path, run,
                                                                monkeypatch) -> None:
    from zhaoshang_xls.reading import detect, workbook

    limit = 3 * 1024 * 1024
    monkeypatch.setattr(detect, "MAX_UNZIPPED", limit)  # consolidate's F10 limit, lowered for the test
    rng = random.Random(15)
    block = rng.randbytes(1000)
    big_zip = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                    "xl/worksheets/sheet1.xml": block * 4000})  # 4 MB declared, about 80:1 (no bomb)
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * 2_000_000})
    big_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(limit + 100_000)  # over the limit as it is
    assert len(big_zip) < limit and len(bomb) < limit < len(big_xls)
    refused = (big_zip, bomb, big_xls)
    seen: list[bytes] = []
    real_kind, real_read = collect_mod.detect_kind, workbook.read_workbook
    monkeypatch.setattr(collect_mod, "detect_kind", lambda data: seen.append(data) or real_kind(data))
    monkeypatch.setattr(workbook, "read_workbook", lambda data, **kw: seen.append(data) or real_read(data, **kw))
    box = tmp_path / "邮件"
    ok = _workbook("正常")
    _eml(box, "1.eml", STRANGER, ON_TIME, ("大.xlsx", big_zip), ("炸弹.xlsx", bomb), ("大.xls", big_xls),
         ("正常.xlsx", ok))
    result = _collect(workspace, box, run)
    assert result.exit_code == 0, result.output
    assert not any(data in refused for data in seen)  # never looked into, let alone parsed
    folder = workspace.root / "2024-03"
    assert sorted(p.name for p in folder.iterdir()) == [LOG_NAME, "正常.xlsx"]
    assert "忽略 1.eml:大.xlsx：文件解压后达" in result.output and "上限" in result.output
    assert "忽略 1.eml:炸弹.xlsx：文件中的“xl/worksheets/sheet1.xml”压缩比异常" in result.output
    assert "忽略 1.eml:大.xls：附件有 3.1 MB，超过 3 MB 的上限" in result.output
    assert [r["保存为"] for r in _log_rows(folder)] == ["正常.xlsx"]
