"""zsxls status and 催报 (SPEC §9.2)."""

from __future__ import annotations

import email
import json
from email.policy import default


def test_status_lists_every_unit_and_writes_reminders(samples, run) -> None:
    result = run(["status", str(samples.root / "2024-03")])
    assert result.exit_code == 1  # some units have no usable file
    out = result.stdout
    assert "截止日 2024-04-05" in out
    assert "C09" in out and "迟报" in out and "晚于截止日" in out and "文件修改时间" in out
    assert "合计：已报送 30，迟报 1，被退回 1，未报送 1。" in out
    folder = samples.root / "输出" / "催报" / "2024-03"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["C17_张堡村_催报.eml", "C17_张堡村_催报.txt", "D09_社会事业组_催报.txt"]
    c17 = (folder / "C17_张堡村_催报.txt").read_text(encoding="utf-8")
    assert "尚未收到" in c17 and "2024年4月5日" in c17 and "结交客商 5 人以上" in c17
    d09 = (folder / "D09_社会事业组_催报.txt").read_text(encoding="utf-8")
    assert "未能接收" in d09 and "文件无法打开" in d09
    message = email.message_from_bytes((folder / "C17_张堡村_催报.eml").read_bytes(), policy=default)
    assert message["To"] == "c17@zs.example.cn"
    assert "2024年3月" in message["Subject"] and message["X-Unsent"] == "1"
    assert message.get_content().replace("\r\n", "\n").strip() == c17.strip()
    assert not (samples.state_dir / "ledger.sqlite").exists()  # status never writes the ledger


def test_status_json(samples, run) -> None:
    result = run(["status", str(samples.root / "2024-03"), "--json"])
    data = json.loads(result.stdout)
    states = {u["unit"]: u for u in data["units"]}
    assert len(states) == 33
    assert states["C01"]["state"] == "已报送" and states["C09"]["state"] == "迟报"
    assert states["C17"]["state"] == "未报送" and states["D09"]["state"] == "被退回"
    assert states["C09"]["received"] == "2024-04-09"
    assert any(p.endswith("C17_张堡村_催报.eml") for p in data["outputs"])


def test_status_of_a_complete_month_exits_0(samples, run) -> None:
    result = run(["status", str(samples.root / "2024-04")])
    assert result.exit_code == 0
    assert "未报送 0" in result.stdout
    assert not (samples.root / "输出" / "催报" / "2024-04").exists()
