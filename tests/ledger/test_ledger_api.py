"""The ledger's own interface: opened as a context manager, every write one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhaoshang_xls.ledger import open_ledger
from zhaoshang_xls.periods import Month
from zhaoshang_xls.records import MoneyLine, TaxRecord


def test_the_ledger_is_closed_after_the_block(workspace) -> None:
    with open_ledger(workspace) as ledger:
        engine = ledger.engine
        assert ledger.months() == set() and ledger.project_ids() == set()
        assert ledger.registered_before(Month(2024, 3)) == {}
    assert engine.pool.checkedout() == 0


def test_finalize_records_lines_and_tax_years_once(workspace) -> None:
    line = MoneyLine("info", "P2024-0001", "冷链", 2024, 1, "李秀英", "C01", Decimal("1000.00"), Decimal(0),
                     Decimal("1000.00"), "依据", "测算", "来源")
    tax = TaxRecord("P2024-0001", 2024, Decimal("86.4"), "税收台账.xlsx 第3行", 3)
    with open_ledger(workspace) as ledger:
        assert ledger.finalize(2024, [line], [tax], "税收台账.xlsx") == 1
        assert ledger.finalize(2024, [line], [tax], "税收台账.xlsx") == 0  # never twice
        [settled] = ledger.settled()
        [stored] = ledger.taxes()
    assert (settled.project_id, settled.payable, settled.recipient) == ("P2024-0001", Decimal("1000.00"), "李秀英")
    assert (stored.zone_tax, stored.source) == (Decimal("86.4"), "税收台账.xlsx 第3行")


def test_screening_decisions_replace_earlier_ones(workspace) -> None:
    decision = {"project_id": "P2024-0001", "verdict": "无效", "duplicate_of": None, "tracker": None, "source_row": 3}
    with open_ledger(workspace) as ledger:
        ledger.apply_screening([decision], "a.xlsx", dt.date(2024, 4, 2))
        ledger.apply_screening([{**decision, "verdict": "有效"}], "b.xlsx", dt.date(2024, 4, 3))
        frames = ledger.frames("2024-12")
    assert list(frames.screening["verdict"]) == ["有效"]


def test_a_full_ledger_disk_is_an_environment_problem_and_rolls_back(tmp_path) -> None:
    import pytest
    from sqlalchemy import event, func, insert, select

    from zhaoshang_xls.errors import LedgerUnavailable
    from zhaoshang_xls.ledger import store
    from zhaoshang_xls.ledger import tables as t

    engine = store.connect(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _small(dbapi_connection, _record) -> None:  # a disk that holds a few pages only
        dbapi_connection.execute("PRAGMA max_page_count = 40")

    with pytest.raises(LedgerUnavailable) as info, store.writing(engine) as conn:
        for _ in range(2000):
            conn.execute(insert(t.runs).values(command="x" * 500, month="2024-03", started_at=dt.datetime(2024, 4, 1),
                                               version="0"))
    assert info.value.exit_code == 3 and "磁盘已满" in str(info.value)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.runs)).scalar() == 0  # all or nothing
    engine.dispose()
