"""The schema is the one place headers live; headers and list values are matched tolerantly."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from zhaoshang_xls import schema

PACKAGE = Path(schema.__file__).parent


def test_spec_section_6_columns_in_order() -> None:
    assert [c.name for c in schema.CONTACTS.columns] == [
        "序号", "结交日期", "结交人", "客商姓名", "企业名称", "职务", "联系电话", "企业所在地", "所属行业",
        "结交方式", "备注"]
    assert [c.name for c in schema.LEADS.columns] == [
        "序号", "项目名称", "投资方", "投资方所在地", "资金来源", "产业类别", "细分领域", "计划总投资(万元)",
        "其中固定资产投资(万元)", "注册外资(万美元)", "项目阶段", "签约日期", "开工日期", "信息提供人", "信息提供日期",
        "招引责任人", "项目简介"]
    assert [c.name for c in schema.PROGRESS.columns] == [
        "项目编号", "项目名称", "当前阶段", "签约日期", "开工日期", "竣工日期", "累计完成固定资产投资(万元)",
        "外资实际到账累计(万美元)", "招商费用累计(元)", "其中固定资产投资(万元)", "进展说明", "需协调问题"]
    assert [c.name for c in schema.BASIC.columns] == [
        "单位编码", "单位名称", "填报月份", "填报人", "联系电话", "填报日期"]
    assert [c.name for c in schema.TAX.columns] == ["项目编号", "项目名称", "年度", "开发区实得税收(万元)"]
    required = {c.name for c in schema.LEADS.required_columns()}
    assert required == {"项目名称", "投资方", "资金来源", "产业类别", "计划总投资(万元)", "项目阶段", "信息提供人",
                        "信息提供日期"}
    assert schema.LEADS.column("stage").default == "信息"
    assert schema.LEADS.column("introducer").default_from == "provider"


def test_vocabularies_of_spec() -> None:
    v = schema.VOCABULARIES
    assert v["stage"].values == ("信息", "洽谈", "意向", "协议", "签约", "开工", "竣工", "达产")
    assert v["sector"].values == ("工业", "三产", "农业")
    assert v["industry"].values == ("工业", "三产", "农业", "其他")
    assert v["funding"].values == ("内资", "外资")
    assert v["subsector"].values == ("农副产品深加工", "不锈钢制品", "房地产", "标准厂房", "商贸物流", "其他")
    assert v["method"].values == ("上门拜访", "来访接待", "会议展会", "电话网络", "以商引商", "其他")


@pytest.mark.parametrize("sheet", schema.ALL_SHEETS, ids=lambda s: s.key)
def test_headers_and_synonyms_are_unambiguous(sheet: schema.Sheet) -> None:
    for col in sheet.columns:
        assert sheet.match_header(col.header) is col
        assert sheet.match_header(col.name) is col
        for synonym in col.synonyms:
            assert sheet.match_header(synonym) is col, (sheet.name, synonym)


@pytest.mark.parametrize(
    ("sheet", "text", "key"),
    [
        (schema.LEADS, "計劃總投資（萬元）", "total_investment"),
        (schema.LEADS, "计划总投资（万元）*", "total_investment"),
        (schema.LEADS, " 计划总投资 (亿元) ", "total_investment"),
        (schema.LEADS, "其中固定資產投資(萬元)", "fixed_assets"),
        (schema.LEADS, "項目階段", "stage"),
        (schema.LEADS, "資金來源", "funding"),
        (schema.LEADS, "產業類別", "sector"),
        (schema.LEADS, "信息提供人\n*", "provider"),
        (schema.CONTACTS, "結交日期", "date"),
        (schema.CONTACTS, "企業名稱", "company"),
        (schema.CONTACTS, "聯繫電話", "phone"),
        (schema.CONTACTS, "結交方式", "method"),
        (schema.PROGRESS, "簽約日期", "signed_on"),
        (schema.PROGRESS, "開工日期", "started_on"),
        (schema.PROGRESS, "累計完成固定資產投資（萬元）", "fixed_assets_actual"),
        (schema.PROGRESS, "外資實際到賬累計(萬美元)", "foreign_arrived"),
        (schema.PROGRESS, "招商費用累計(元)", "expenses"),
        (schema.PROGRESS, "需協調問題", "help_needed"),
        (schema.TAX, "開發區實得稅收(萬元)", "zone_tax"),
    ],
)
def test_renamed_and_traditional_headers(sheet: schema.Sheet, text: str, key: str) -> None:
    col = sheet.match_header(text)
    assert col is not None and col.key == key


def test_unrelated_headers_match_nothing() -> None:
    assert schema.LEADS.match_header("合计") is None
    assert schema.LEADS.match_header(None) is None
    assert schema.LEADS.match_header(42) is None


@pytest.mark.parametrize(
    ("vocab", "text", "value"),
    [
        ("stage", "簽約", "签约"), ("stage", "已签约", "签约"), ("stage", " 开 工 ", "开工"),
        ("stage", "開工", "开工"), ("stage", "洽談", "洽谈"), ("stage", "达产", "达产"),
        ("sector", "工业项目", "工业"), ("sector", "第三产业", "三产"), ("sector", "農業", "农业"),
        ("funding", "外資", "外资"), ("method", "以商招商", "以商引商"), ("yes_no", "Y", "是"),
        ("subsector", "不鏽鋼製品", "不锈钢制品"), ("rank", "中層幹部", "中层"),
    ],
)
def test_vocabulary_synonyms(vocab: str, text: str, value: str) -> None:
    assert schema.VOCABULARIES[vocab].canonical(text) == value


def test_vocabulary_rejects_unknown_values() -> None:
    assert schema.VOCABULARIES["stage"].canonical("快了") is None
    assert schema.VOCABULARIES["sector"].canonical("矿业") is None


def test_sheet_names_match_traditional_and_synonyms() -> None:
    assert schema.sheet_by_name(schema.MONTHLY_SHEETS, "項目信息") is schema.LEADS
    assert schema.sheet_by_name(schema.MONTHLY_SHEETS, "客商結交") is schema.CONTACTS
    assert schema.sheet_by_name(schema.MONTHLY_SHEETS, "项目进展情况") is schema.PROGRESS
    assert schema.sheet_by_name(schema.MONTHLY_SHEETS, "Sheet1") is None


def test_no_header_is_spelled_outside_the_schema() -> None:
    """No module but schema.py uses a header or sheet name as a literal: neither as the whole
    string (an identifier-like use) nor quoted inside a message (“项目名称”); messages take
    names from the schema. Prose that merely mentions a concept is allowed."""
    names = {c.name for s in schema.ALL_SHEETS for c in s.columns}
    names |= {c.header for s in schema.ALL_SHEETS for c in s.columns}
    names |= {s.name for s in schema.ALL_SHEETS}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "schema.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value.strip()
                offenders += [(path.name, node.lineno, n) for n in names if text == n or f"“{n}”" in text]
    assert offenders == []
