"""R09 phone numbers and R14 possible duplicates across units."""

from __future__ import annotations

import datetime as dt

import pytest

from zhaoshang_xls.text import company_key
from zhaoshang_xls.validation.monthly import phone_is_valid


@pytest.mark.parametrize("phone", ["13812345678", "+86 138 1234 5678", "0512-66661234", "010-12345678",
                                   "0512-66661234-801", "400-123-4567", "(0512)66661234"])
def test_valid_phones(phone: str) -> None:
    assert phone_is_valid(phone)


@pytest.mark.parametrize("phone", ["1380013800", "23812345678", "66661234", "12345", "138123456789", "电话"])
def test_invalid_phones(phone: str) -> None:
    assert not phone_is_valid(phone)


@pytest.mark.parametrize("name", [
    "江苏省苏州市恒瑞食品有限公司", "恒瑞食品（苏州）有限责任公司", "苏州恒瑞食品股份有限公司", "恒瑞食品集团",
    "张家港市恒瑞食品厂", "上海  恒瑞 食品有限公司", "恒瑞食品(中国)有限公司"])
def test_company_key_removes_places_and_legal_forms(name: str) -> None:
    assert company_key(name) == "恒瑞食品"


def test_company_key_keeps_different_companies_apart() -> None:
    assert company_key("苏州恒瑞食品有限公司") != company_key("苏州恒达食品有限公司")


def test_possible_duplicates_across_units_in_the_samples(tmp_path) -> None:

    from tests.helpers import copy_samples
    from zhaoshang_xls.periods import Month
    from zhaoshang_xls.usecases.month import consolidate_month
    from zhaoshang_xls.workspace import open_workspace

    root = copy_samples(tmp_path / "s")
    ws = open_workspace(root)
    result = consolidate_month(ws, root / "2024-03", Month(2024, 3), today=dt.date(2024, 4, 10))
    subs = {s.unit_code: s for s in result.submissions if s.status == "accepted"}
    c10 = [i for i in subs["C10"].issues if i.code == "R14"]
    d01 = [i for i in subs["D01"].issues if i.code == "R14"]
    assert len(c10) == 1 and len(d01) == 1
    assert "本单位在先" in c10[0].message and "D01" in c10[0].message
    assert "对方在先" in d01[0].message and "恒瑞食品有限公司" in d01[0].message
    assert (d01[0].sheet, d01[0].cell) == ("项目信息", "B5")
    r09 = [i for i in subs["C11"].issues if i.code == "R09"]
    assert [(i.sheet, i.cell) for i in r09] == [("客商结交", "G4")]
    # the next month, the same project reported again by a third unit names the ledger's id
    from tests.factory import lead, make_file

    make_file(ws, "C12", Month(2024, 4), rows={"leads": [lead("果蔬深加工项目(年产5万吨)", "恒瑞食品集团有限公司",
                                                               "某人", dt.date(2024, 4, 2), 6000)]})
    april = consolidate_month(ws, root / "2024-04", Month(2024, 4), today=dt.date(2024, 5, 10))
    c12 = next(s for s in april.submissions if s.unit_code == "C12" and s.status == "accepted")
    r14 = [i for i in c12.issues if i.code == "R14"]
    assert r14 and r14[0].message.startswith("疑似与 P2024-")
