"""The filler writes by header into a real template; the reader gets the same values back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from tests.filler import fill_template
from zhaoshang_xls import schema
from zhaoshang_xls.config import DEFAULT
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.table import read_table
from zhaoshang_xls.reading.workbook import read_workbook
from zhaoshang_xls.reports.templates import MonthlyTemplate, write_monthly_template
from zhaoshang_xls.roster import Unit

UNIT = Unit("C01", "东湖村", "村", "村", None, None, None, None, "", None)


def test_fill_and_read_back(tmp_path: Path) -> None:
    template = tmp_path / "t.xlsx"
    write_monthly_template(template, MonthlyTemplate(DEFAULT, Month(2024, 3), UNIT, ("李秀英",), b"s"))
    before = template.read_bytes()
    lead = {"project_name": "冷链物流中心", "investor": "苏州恒瑞物流有限公司", "funding": "内资", "sector": "三产",
            "total_investment": Decimal("1200.5"), "stage": "洽谈", "provider": "李秀英",
            "provided_on": dt.date(2024, 3, 8)}
    out = fill_template(template, tmp_path / "filled.xlsx",
                        basic={"reporter": "李秀英", "reported_on": dt.date(2024, 4, 2)},
                        rows={"leads": [lead, {**lead, "project_name": "第二个项目", "total_investment": "500万"}]})
    assert template.read_bytes() == before  # the template is not modified
    table = read_table(read_workbook(out)["项目信息"], schema.LEADS, out.name)
    assert [r.excel_row for r in table.rows] == [4, 5]  # the example row (3) is skipped
    assert table.rows[0].values == {**lead, "total_investment": Decimal("1200.5")}
    assert table.rows[1].values["total_investment"] == Decimal(500)
    assert [(i.code, i.cell) for i in table.issues] == [("R16", "H5")]
    ws = load_workbook(out)["基本信息"]
    assert ws["B5"].value == "李秀英" and ws["B7"].value == dt.datetime(2024, 4, 2)
