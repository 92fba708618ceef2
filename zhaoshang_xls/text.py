"""Text helpers shared by writers: user text that stays text, display width counting East-Asian
wide characters as 2."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# A cell whose text starts with one of these is (or becomes, once edited) a formula in Excel,
# WPS or LibreOffice; a leading tab, CR or LF is trimmed by some of them first (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d")  # U+FF1D: full-width = (WPS)
# Characters XML 1.0 cannot hold (openpyxl refuses them, xlsxwriter escapes them as _xHHHH_).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cell_text(value: str) -> tuple[str, bool]:
    """The one rule for writing user text into any workbook or CSV zsxls produces: the text as
    it is written (characters a workbook cannot hold removed) and whether it must be marked as
    text (a quote prefix) because it starts like a formula. Every writer goes through this."""
    text = _NOT_XML.sub("", value)
    return text, text.startswith(FORMULA_START)


def csv_field(value: object) -> str:
    """A CSV field that a spreadsheet opens as text: a risky start gets a leading apostrophe."""
    text, risky = cell_text("" if value is None else str(value))
    return "'" + text if risky else text


def from_csv_field(text: str) -> str:
    """Undo :func:`csv_field` when reading our own CSV back."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def display_width(text: str) -> int:
    """Columns a string takes in a spreadsheet cell: CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def safe_filename(text: str) -> str:
    """A file-name part without characters Windows refuses, nor invisible ones (controls, format
    characters such as zero-width spaces and bidi overrides, line and paragraph separators)."""
    visible = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    return re.sub(r'[\\/:*?"<>|\s]+', "_", visible).strip("._") or "_"


_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",
    "澳门",
)
_CITIES = (
    "苏州", "无锡", "常州", "南京", "南通", "泰州", "扬州", "镇江", "徐州", "盐城", "淮安",
    "连云港", "宿迁", "杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "台州", "合肥",
    "芜湖", "青岛", "济南", "烟台", "潍坊", "临沂", "郑州", "武汉", "长沙", "广州", "深圳",
    "佛山", "东莞", "成都", "西安", "厦门", "福州", "昆明", "大连", "沈阳",
)
_COMPANY_SUFFIX = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|股份|公司|厂|总部)+$")
_PLACE_PREFIX = re.compile(r"^((" + "|".join(_PROVINCES) + r")(省|市|自治区)?)?((" + "|".join(_CITIES) +
                           r")(市)?|[\u4e00-\u9fff]{2,3}[市县区])?")


def company_key(name: str | None) -> str:
    """A company name reduced for matching: no place prefix or bracketed place, no legal form,
    Simplified, no spaces (``江苏省苏州市恒瑞食品有限公司`` and ``恒瑞食品（苏州）有限责任公司`` agree)."""
    from zhaoshang_xls.schema import name_key

    text = unicodedata.normalize("NFKC", name or "")
    text = re.sub(r"[((][^()()]{1,8}[))]", "", text)  # (苏州) / (中国)
    key = name_key(text)
    key = _COMPANY_SUFFIX.sub("", key)
    stripped = _PLACE_PREFIX.sub("", key, count=1)
    return stripped or key


def cn_date(day: dt.date) -> str:
    """``2024年4月5日`` (no leading zeros; strftime's ``%-m`` is not portable)."""
    return f"{day.year}年{day.month}月{day.day}日"
