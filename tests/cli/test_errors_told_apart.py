"""Errors say what happened and what state things are in (issue 15, item 6), through the CLI:

- the ledger: busy, cannot be opened, read-only, damaged (rebuild named), a bad ``ledger.url``;
- zsxls.toml numbers: nan, ±inf and absurd sizes name the key (exit 2);
- a console that cannot show a character (GBK) prints ``?`` instead of crashing;
- a roster unit name with a line separator or invisible characters still gives 催报 files and drafts.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import unicodedata
from email.policy import default
from pathlib import Path

import pytest

from tests.factory import make_file
from zhaoshang_xls.periods import Month
from zhaoshang_xls.workspace import Workspace

MARCH = Month(2024, 3)


def _clean(result) -> str:
    """The whole output of a run that must be an explained error: no traceback, not 'a bug'."""
    out = result.output
    assert "Traceback" not in out and "程序内部错误" not in out, out
    return out


def _ledger(ws: Workspace) -> Path:
    return ws.state_dir / "ledger.sqlite"


def _consolidated(ws: Workspace, run) -> Path:
    """March consolidated from one accepted file (so the archive has something to rebuild)."""
    make_file(ws, "C01", MARCH)
    assert run(["consolidate", str(ws.root / str(MARCH))], cwd=ws.root).exit_code == 0
    return _ledger(ws)


# ---------------------------------------------------------------- A: the ledger


@pytest.mark.parametrize("args", [["consolidate", "2024-03"], ["annual", "2024"], ["template", "2024-03"]])
def test_a_ledger_file_that_is_not_a_database_is_damaged_and_rebuild_is_named(workspace: Workspace, run,
                                                                            args: list[str]) -> None:
    ws = workspace
    (ws.root / str(MARCH)).mkdir()
    ws.ensure_state_dir()
    _ledger(ws).write_bytes(b"this is no SQLite file, just garbage bytes " * 40)
    before = _ledger(ws).read_bytes()
    result = run(args, cwd=ws.root)
    out = _clean(result)
    assert result.exit_code == 3, out
    assert "台账文件" in out and "已损坏（不是数据库文件）" in out and "zsxls rebuild" in out and "从存档重建" in out
    assert "本次没有改动台账" in out and "正被另一个 zsxls 使用" not in out
    assert _ledger(ws).read_bytes() == before  # nothing written into it


def _damage_every_page_but_the_first(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\xab" * (len(data) - page)
    path.write_bytes(bytes(data))


def test_a_malformed_ledger_is_damaged_and_rebuild_says_what_it_cannot_keep(workspace: Workspace, run) -> None:
    ws = workspace
    ledger = _consolidated(ws, run)
    _damage_every_page_but_the_first(ledger)
    damaged = ledger.read_bytes()

    result = run(["consolidate", "2024-03"], cwd=ws.root)
    out = _clean(result)
    assert result.exit_code == 3 and "已损坏（数据库内容已损坏）" in out and "zsxls rebuild" in out, out

    # without the archive's export of what only the ledger holds, rebuild cannot carry it over:
    # it stops and says how to go on
    export = ws.state_dir / "archive" / "carried.json"
    saved = export.read_bytes()
    export.unlink()
    result = run(["rebuild"], cwd=ws.root)
    out = _clean(result)
    assert result.exit_code == 3, out
    assert "现有台账" in out and "没有重建" in out and "改名留存" in out and "以免重复发放" in out
    assert ledger.read_bytes() == damaged and not (ws.state_dir / "ledger.rebuild.sqlite").exists()

    export.write_bytes(saved)  # with it (every commit writes it), rebuild restores everything
    result = run(["rebuild"], cwd=ws.root)
    assert result.exit_code == 0 and "共 1 个月" in result.output, result.output
    assert "已从存档中的导出恢复" in result.output and "损坏的台账文件已改名留存" in result.output
    assert [p.read_bytes() for p in ws.state_dir.glob("ledger.damaged-*.sqlite")] == [damaged]
    assert run(["consolidate", "2024-03"], cwd=ws.root).exit_code == 0


def test_a_ledger_path_that_cannot_be_opened_is_not_busy(workspace: Workspace, run) -> None:
    ws = workspace
    (ws.root / str(MARCH)).mkdir()
    _ledger(ws).mkdir(parents=True)  # a folder where the ledger file should be
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    out = _clean(result)
    assert result.exit_code == 3, out
    assert "无法打开台账" in out and f"打不开台账文件 {_ledger(ws)}" in out and "台账没有被改动" in out
    assert "正被另一个 zsxls 使用" not in out


def _set_ledger_url(ws: Workspace, url: str) -> None:
    (ws.root / "zsxls.toml").write_text(f"[ledger]\nurl = {url!r}\n".replace("'", '"'), encoding="utf-8")


def test_a_read_only_ledger_says_read_only(workspace: Workspace, run) -> None:
    ws = workspace
    ledger = _consolidated(ws, run)
    before = ledger.read_bytes()
    _set_ledger_url(ws, f"sqlite:///file:{ledger.as_posix()}?mode=ro&uri=true")  # opened read-only
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    out = _clean(result)
    assert result.exit_code == 3, out
    assert "无法写入台账（台账文件" in out and "只读" in out and "写权限" in out and "磁盘已满" not in out
    assert ledger.read_bytes() == before


@pytest.mark.parametrize(("url", "said"), [
    ("not a url", "不是有效的数据库地址"),
    ("", None),  # blank: the default ledger (no error)
    ("foo://somewhere/zsxls", "数据库类型“foo”不认识"),
    ("postgresql+nodriver://user@host/zsxls", "数据库类型“postgresql+nodriver”不认识"),
    ("postgresql://user:s3cret@host:port/zsxls", "不是有效的数据库地址"),
    ("mysql://user@host/zsxls", "数据库驱动 MySQLdb 没有安装"),
], ids=["not-a-url", "blank", "unknown-dialect", "unknown-driver", "bad-port", "driver-not-installed"])
def test_a_bad_ledger_url_is_a_configuration_error_naming_the_key(workspace: Workspace, run, url: str,
                                                                  said: str | None) -> None:
    ws = workspace
    (ws.root / str(MARCH)).mkdir()
    _set_ledger_url(ws, url)
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    out = _clean(result)
    if said is None:
        assert result.exit_code == 0, out  # consolidated
        return
    assert result.exit_code == 2, out
    assert "zsxls.toml:ledger.url" in out and said in out, out
    assert "s3cret" not in out  # a URL may hold a password: never echoed


def test_a_ledger_server_that_cannot_be_reached_is_not_busy(workspace: Workspace, run) -> None:
    pytest.importorskip("psycopg")
    ws = workspace
    (ws.root / str(MARCH)).mkdir()
    _set_ledger_url(ws, "postgresql+psycopg://zsxls@127.0.0.1:1/zsxls?connect_timeout=5")  # nothing listens on 1
    result = run(["consolidate", "2024-03"], cwd=ws.root)
    out = _clean(result)
    assert result.exit_code == 3, out
    assert "无法打开台账（数据库报告：" in out and "ledger.url" in out and "正被另一个 zsxls 使用" not in out


# ---------------------------------------------------------------- B: zsxls.toml numbers


BAD_NUMBERS = [
    ("[reward.intro]\nrate = nan\n", "reward.intro.rate", "不能是 nan"),
    ("[penalty]\ndepartment_bonus = inf\n", "penalty.department_bonus", "不能是 inf"),
    ("[penalty]\n\"中层\" = -inf\n", "penalty.中层", "不能是 -inf"),
    ("[reward.tax_share]\nvillage = -nan\n", "reward.tax_share.village", "不能是 nan"),
    ("[reward.info]\nusd_cny = { 2024 = nan }\n", "reward.info.usd_cny.2024", "不能是 nan"),
    ("[[reward.info.tiers]]\nupto = 1e400\namount = 1\n[[reward.info.tiers]]\namount = 2\n",
     "reward.info.tiers[1].upto", "大得不合理"),
    ("[cadre_target.\"区领导\"]\n\"工业\" = 1e13\n\"三产\" = 1\n\"农业\" = 1\n", "cadre_target.区领导.工业",
     "大得不合理"),
    ("[monthly]\ncontacts = 99999999999999999999\n", "monthly.contacts", "大得不合理"),
    ("[collect]\nimap_port = inf\n", "collect.imap_port", "应为有限的整数"),
    ("[quarterly]\nbonus_cap = 1e999999\n", "quarterly.bonus_cap", "大得不合理"),
]


@pytest.mark.parametrize(("toml", "key", "said"), BAD_NUMBERS, ids=[key for _, key, _ in BAD_NUMBERS])
def test_numbers_of_zsxls_toml_are_finite_and_sane(workspace: Workspace, run, toml: str, key: str,
                                                   said: str) -> None:
    ws = workspace
    (ws.root / str(MARCH)).mkdir()
    (ws.root / "zsxls.toml").write_text(toml, encoding="utf-8")
    result = run(["status", "2024-03"], cwd=ws.root)
    out = _clean(result)
    assert result.exit_code == 2, out
    assert f"zsxls.toml:{key} " in out and said in out, out


# ---------------------------------------------------------------- C: a console that cannot show everything


@pytest.mark.parametrize("command", ["status", "check"])
def test_a_gbk_console_prints_what_it_cannot_show_as_a_question_mark(workspace: Workspace, command: str) -> None:
    ws = workspace
    (ws.root / str(MARCH)).mkdir()
    (ws.root / str(MARCH) / "C01_😀.xlsx").write_bytes(b"not a workbook")  # rejected: its name is printed
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    result = subprocess.run([sys.executable, "-m", "zhaoshang_xls", command, "2024-03"], cwd=ws.root, env=env,
                            capture_output=True, check=False, timeout=120)
    stdout, stderr = result.stdout.decode("gbk"), result.stderr.decode("gbk")
    assert result.returncode == 1, stdout + stderr  # done, a file rejected
    assert "Traceback" not in stderr and "程序内部错误" not in stderr, stderr
    assert "C01_?.xlsx" in stdout and "退回" in stdout


# ---------------------------------------------------------------- D: odd characters in the roster


def test_unit_names_with_line_separators_and_invisible_characters_still_get_reminders(workspace: Workspace,
                                                                                      run) -> None:
    from zhaoshang_xls.fileio import write_atomic
    from zhaoshang_xls.reports.templates import ROSTER_EXAMPLE_CADRES, ROSTER_EXAMPLE_UNITS, build_roster_template

    ws = workspace
    odd = {"C01": "东湖\u2028村", "D01": "招商\u200b局\u202e\u2029办"}  # LINE SEPARATOR; zero width, RLO, PARAGRAPH
    units = [{**u, "unit_name": odd[u["unit_code"]], "email": f"{u['unit_code'].lower()}@example.cn"}
             if u["unit_code"] in odd else u for u in ROSTER_EXAMPLE_UNITS]
    write_atomic(ws.roster_path, lambda tmp: build_roster_template(units, ROSTER_EXAMPLE_CADRES).save(tmp))
    (ws.root / str(MARCH)).mkdir()
    result = run(["status", "2024-03"], cwd=ws.root)
    out = _clean(result)
    assert result.exit_code == 1, out  # every unit missing: reminders written
    folder = ws.root / "输出" / "催报" / str(MARCH)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["C01_东湖村_催报.eml", "C01_东湖村_催报.txt", "D01_招商局办_催报.eml", "D01_招商局办_催报.txt",
                     "LD_区领导班子_催报.txt"]
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for name in names for ch in name)
    for code, shown in (("C01", "东湖 村"), ("D01", "招商局 办")):
        draft = next(p for p in folder.iterdir() if p.name.startswith(code) and p.suffix == ".eml")
        message = email.message_from_bytes(draft.read_bytes(), policy=default)
        assert message["Subject"] == f"请报送2024年3月全员招商月报（{shown}）"  # one line, nothing hidden
        assert message["To"] == f"{code.lower()}@example.cn"
