"""zsxls collect (SPEC §9.3): saved mails into a month folder — only spreadsheets, real Chinese
names, never overwriting, named after the unit, a receipt log, and the mail's date for 迟报."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openpyxl import Workbook

from tests.factory import contact, make_file
from tests.helpers import service_or_skip
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reports.templates import ROSTER_EXAMPLE_CADRES, ROSTER_EXAMPLE_UNITS, build_roster_template
from zhaoshang_xls.usecases.collect import LOG_NAME, received_dates
from zhaoshang_xls.usecases.month import consolidate_month
from zhaoshang_xls.workspace import Workspace

MARCH = Month(2024, 3)
CHINA = dt.timezone(dt.timedelta(hours=8))
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _mail(sender: str, subject: str, when: dt.datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "zsb@zs.example.cn", subject
    msg["Date"] = format_datetime(when)
    msg.set_content("报表见附件。")
    return msg


def _unit_file(ws: Workspace, unit: str, cadre: str) -> bytes:
    path = make_file(ws, unit, MARCH, name=f"tmp_{unit}.xlsx",
                     rows={"contacts": [contact(dt.date(2024, 3, 5), cadre, "钱七", "苏州恒瑞食品有限公司")]})
    data = path.read_bytes()
    path.unlink()
    return data


def _plain_workbook(tmp: Path) -> bytes:
    wb = Workbook()
    wb.active["A1"] = "自制表格"
    wb.save(tmp / "plain.xlsx")
    return (tmp / "plain.xlsx").read_bytes()


def _mailbox(ws: Workspace, tmp: Path) -> Path:
    """Mails as offices send them."""
    box = tmp / "邮件"
    box.mkdir()
    c01, d01 = _unit_file(ws, "C01", "李秀英"), _unit_file(ws, "D01", "张伟")
    on_time = dt.datetime(2024, 4, 3, 9, 30, tzinfo=CHINA)
    # 1. base64, a UTF-8 name (RFC 2231), and an inline logo image
    m = _mail("东湖村 <c01@zs.example.cn>", "三月报表", on_time)
    m.add_attachment(c01, *XLSX, filename="东湖村三月报表(最终版).xlsx")
    m.add_attachment(b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image", "png", filename="logo.png", disposition="inline")
    (box / "1.eml").write_bytes(m.as_bytes())
    # 2. quoted-printable, a GBK name as an RFC 2047 encoded word, sent late (April 8th)
    m = _mail("zhaoshang@gov.example.cn", "招商局报表", dt.datetime(2024, 4, 8, 10, 0, tzinfo=CHINA))
    m.add_attachment(d01, *XLSX, filename="x.xlsx", cte="quoted-printable")
    encoded = base64.b64encode("招商局报表.xlsx".encode("gbk")).decode()
    m.get_payload()[1].replace_header("Content-Disposition", f'attachment; filename="=?gbk?B?{encoded}?="')
    (box / "2.eml").write_bytes(m.as_bytes())
    # 3. a forwarded mail carrying the first file again (message/rfc822): same bytes, skipped
    inner = _mail("c01@zs.example.cn", "三月报表", on_time)
    inner.add_attachment(c01, *XLSX, filename="东湖村三月报表.xlsx")
    m = _mail("王老师 <wang@zs.example.cn>", "转发:三月报表", on_time)
    m.add_attachment(inner)
    (box / "3.eml").write_bytes(m.as_bytes())
    # 4. no attachment; 5. a "spreadsheet" that is really text; 6. a workbook without _meta from a known address
    (box / "4.eml").write_bytes(_mail("c01@zs.example.cn", "收到", on_time).as_bytes())
    m = _mail("c01@zs.example.cn", "说明", on_time)
    m.add_attachment("这不是表格".encode(), *XLSX, filename="说明.xlsx")
    (box / "5.eml").write_bytes(m.as_bytes())
    m = _mail("C01@ZS.example.cn", "补充表", on_time)
    m.add_attachment(_plain_workbook(tmp), *XLSX, filename="补充.xlsx")
    (box / "6.eml").write_bytes(m.as_bytes())
    (box / "说明.txt").write_text("不是邮件", encoding="utf-8")
    return box


def _with_emails(ws: Workspace) -> None:
    units = [dict(u, email="c01@zs.example.cn") if u["unit_code"] == "C01" else u for u in ROSTER_EXAMPLE_UNITS]
    write_atomic(ws.roster_path, lambda tmp: build_roster_template(units, ROSTER_EXAMPLE_CADRES).save(tmp))


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_collect_saves_spreadsheets_by_unit_and_logs_them(workspace: Workspace, tmp_path: Path, run) -> None:
    _with_emails(workspace)
    box = _mailbox(workspace, tmp_path)
    result = run(["collect", str(box), "--month", "2024-03", "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    folder = workspace.root / "2024-03"
    names = sorted(p.name for p in folder.iterdir())
    # C01's file by _meta, D01's (GBK name) by _meta, the plain workbook by the sender's address
    assert names == ["C01_东湖村_2024-03(2).xlsx", "C01_东湖村_2024-03.xlsx", "D01_招商局_2024-03.xlsx", LOG_NAME]
    assert "与已有的 C01_东湖村_2024-03.xlsx 内容相同" in result.output  # the forwarded copy
    # The saved file is named once, its unit code not doubled ("已保存 C01 C01_东湖村…" before).
    assert "已保存 D01_招商局_2024-03.xlsx（" in result.output and "已保存 D01 D01_" not in result.output
    assert "不是表格文件" in result.output and "没有附件" in result.output and "logo.png" in result.output
    log = (folder / LOG_NAME).read_text(encoding="utf-8-sig").splitlines()
    assert log[0].split(",") == ["发件人", "主题", "邮件日期", "附件名", "保存为", "SHA-256", "单位编码"]
    rows = {line.split(",")[4]: line.split(",") for line in log[1:]}
    assert rows["D01_招商局_2024-03.xlsx"][3] == "招商局报表.xlsx"  # the real name of a GBK attachment
    assert rows["C01_东湖村_2024-03.xlsx"][3] == "东湖村三月报表(最终版).xlsx"
    assert rows["C01_东湖村_2024-03(2).xlsx"][6] == "C01"  # named from the sender's 邮箱
    assert received_dates(folder)["D01_招商局_2024-03.xlsx"] == dt.datetime(2024, 4, 8, 10, 0)


def test_collecting_twice_changes_nothing(workspace: Workspace, tmp_path: Path, run) -> None:
    box = _mailbox(workspace, tmp_path)
    run(["collect", str(box), "--month", "2024-03", "-w", str(workspace.root)])
    before = _hashes(workspace.root / "2024-03")
    again = run(["collect", str(box), "--month", "2024-03", "-w", str(workspace.root)])
    assert again.exit_code == 0 and "保存 0 个文件" in again.output
    assert _hashes(workspace.root / "2024-03") == before


def test_a_different_file_of_the_same_name_is_never_overwritten(workspace: Workspace, tmp_path: Path,
                                                                  run) -> None:
    folder = workspace.root / "2024-03"
    folder.mkdir()
    (folder / "C01_东湖村_2024-03.xlsx").write_bytes(_plain_workbook(tmp_path))  # something else, same name
    kept = (folder / "C01_东湖村_2024-03.xlsx").read_bytes()
    run(["collect", str(_mailbox(workspace, tmp_path)), "--month", "2024-03", "-w", str(workspace.root)])
    assert (folder / "C01_东湖村_2024-03.xlsx").read_bytes() == kept
    assert (folder / "C01_东湖村_2024-03(2).xlsx").exists()


def test_the_mail_date_decides_late(workspace: Workspace, tmp_path: Path, run) -> None:
    """D01's 填报日期 is on time, but its mail came on April 8th (due: the 5th): 迟报."""
    run(["collect", str(_mailbox(workspace, tmp_path)), "--month", "2024-03", "-w", str(workspace.root)])
    result = consolidate_month(workspace, workspace.root / "2024-03", MARCH, today=dt.date(2024, 4, 10))
    late = {s.unit.code for s in result.late}
    assert late == {"D01"}
    d01 = next(s for s in result.submissions if s.unit_code == "D01")
    assert d01.reported_on is not None and d01.received is not None
    assert d01.reported_on <= MARCH.due_date(5) < d01.received.date()
    assert next(s for s in result.late).basis == "邮件日期"
    from zhaoshang_xls.compute.monthly import month_states
    from zhaoshang_xls.ledger import open_ledger
    from zhaoshang_xls.reading.roster import load_roster
    from zhaoshang_xls.schema import LATE

    def ledger_states() -> dict[str, str]:
        with open_ledger(workspace) as ledger:
            frames = ledger.frames("2024-03")
        roster = load_roster(workspace.roster_path, None)[0]
        return {s.unit.code: s.state for s in month_states(frames, roster, MARCH, 5)}

    assert ledger_states()["D01"] == LATE  # the reports agree
    from zhaoshang_xls.usecases.month import rebuild_ledger

    rebuild_ledger(workspace)  # the mail's date survives a rebuild from the archive
    assert ledger_states()["D01"] == LATE
    status = run(["status", str(workspace.root / "2024-03"), "--json"])
    units = {u["unit"]: u for u in __import__("json").loads(status.output)["units"]}
    assert units["D01"]["state"] == "迟报" and units["C01"]["state"] == "已报送"


def test_help_and_missing_folder(workspace: Workspace, run) -> None:
    assert "例：" in run(["collect", "--help"]).output
    bad = run(["collect", "没有这个文件夹", "--month", "2024-03", "-w", str(workspace.root)])
    assert bad.exit_code == 2 and "找不到文件夹" in bad.output


@pytest.fixture
def imap_url() -> str:
    """A real IMAP server (Dovecot, started by .ci/dovecot): ZSXLS_TEST_IMAP=imap://user:pw@host:port.
    Skipped without one, unless ZSXLS_REQUIRE_IMAP=1."""
    return service_or_skip("ZSXLS_TEST_IMAP", "ZSXLS_REQUIRE_IMAP",
                           "no IMAP server: set ZSXLS_TEST_IMAP (.ci/dovecot starts one)")


def test_collect_from_a_real_imap_mailbox(workspace: Workspace, tmp_path: Path, imap_url: str, run,
                                         monkeypatch) -> None:
    import imaplib

    from zhaoshang_xls.config import Collect, render_config
    from zhaoshang_xls.usecases.collect import _imap_folder

    _with_emails(workspace)
    url = urlsplit(imap_url)
    folder_name = f"报表{uuid.uuid4().hex[:6]}"  # a Chinese folder name, fresh for this test
    box = imaplib.IMAP4(url.hostname, url.port)
    box.login(url.username, url.password)
    box.create(_imap_folder(folder_name))
    for mail in sorted(_mailbox(workspace, tmp_path).glob("*.eml")):
        box.append(_imap_folder(folder_name), None, None, mail.read_bytes())
    settings = Collect(imap_server=url.hostname, imap_port=url.port, imap_tls=False, imap_user=url.username,
                       imap_folder=folder_name, password_env="ZSXLS_TEST_IMAP_PASSWORD")
    config = workspace.config.__class__(**{**workspace.config.__dict__, "collect": settings})
    (workspace.root / "zsxls.toml").write_text(render_config(config), encoding="utf-8")
    monkeypatch.setenv("ZSXLS_TEST_IMAP_PASSWORD", url.password)

    result = run(["collect", "imap", "--month", "2024-03", "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    folder = workspace.root / "2024-03"
    assert sorted(p.name for p in folder.iterdir()) == [
        "C01_东湖村_2024-03(2).xlsx", "C01_东湖村_2024-03.xlsx", "D01_招商局_2024-03.xlsx", LOG_NAME]
    before = _hashes(folder)
    again = run(["collect", "imap", "--month", "2024-03", "-w", str(workspace.root)])
    assert "保存 0 个文件" in again.output and _hashes(folder) == before
    box.select(_imap_folder(folder_name), readonly=True)
    _, unseen = box.search(None, "UNSEEN")
    assert len(unseen[0].split()) == 6  # read-only: the mails are still unread, none moved or deleted
    box.logout()
    monkeypatch.setenv("ZSXLS_TEST_IMAP_PASSWORD", "wrong")
    denied = run(["collect", "imap", "--month", "2024-03", "-w", str(workspace.root)])
    assert denied.exit_code == 3 and "邮箱登录失败" in denied.output


def test_outlook_msg_attachments_go_through_the_same_path(workspace: Workspace, tmp_path: Path, run,
                                                          monkeypatch) -> None:
    """A ``.msg`` is opened by extract-msg (no tool here writes one, so the library's message
    object is stood in for); its attachments are then saved like any other."""
    import extract_msg

    data = _unit_file(workspace, "C01", "李秀英")

    class Att:
        longFilename, shortFilename = "东湖村报表.xlsx", "DHC~1.XLS"

        def __init__(self, payload: bytes) -> None:
            self.data = payload

    class Msg:
        sender = "东湖村 <c01@zs.example.cn>"
        subject = "三月报表"
        date = dt.datetime(2024, 4, 3, 9, 0, tzinfo=CHINA)
        attachments = (Att(data), Att(b"not a workbook"))

        def __enter__(self) -> Msg:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    opened = []
    monkeypatch.setattr(extract_msg, "openMsg", lambda path: opened.append(path) or Msg())
    box = tmp_path / "outlook"
    box.mkdir()
    (box / "三月报表.msg").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run(["collect", str(box), "--month", "2024-03", "-w", str(workspace.root)])
    assert result.exit_code == 0, result.output
    assert opened and opened[0].endswith("三月报表.msg")
    assert (workspace.root / "2024-03" / "C01_东湖村_2024-03.xlsx").read_bytes() == data
    assert "不是表格文件" in result.output
    assert received_dates(workspace.root / "2024-03")["C01_东湖村_2024-03.xlsx"] == dt.datetime(2024, 4, 3, 9, 0)
