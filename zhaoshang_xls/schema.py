"""Every sheet and column of the templates, roster and tax workbook: the one place headers live.

The template writer, the readers, the validator and the receipts all take header text,
types, vocabularies and widths from here. Code elsewhere refers to columns by ``key``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

TEMPLATE_VERSION = "1"

# ---------------------------------------------------------------- domain vocabularies

STAGES: tuple[str, ...] = ("信息", "洽谈", "意向", "协议", "签约", "开工", "竣工", "达产")
# The stages whose day the 项目进展 sheet records, and the column that holds it.
STAGE_DATES: Mapping[str, str] = MappingProxyType(
    {"签约": "signed_on", "开工": "started_on", "竣工": "completed_on"})
# Cumulative 项目进展 figures (a later month never reports less, R13).
CUMULATIVE: tuple[str, ...] = ("fixed_assets_actual", "foreign_arrived", "expenses")


def stage_at_least(stage: str | None, other: str) -> bool:
    """Whether ``stage`` is ``other`` or later (``None``: no stage, never)."""
    return stage is not None and STAGES.index(stage) >= STAGES.index(other)


# 报送状态 of a unit for a month (docs/rules.md, 报送状态)
REPORTED, LATE, RETURNED, MISSING = "已报送", "迟报", "被退回", "未报送"
UNIT_STATES: tuple[str, ...] = (REPORTED, LATE, RETURNED, MISSING)
# Which day decided 迟报
BY_MAIL, BY_FORM = "邮件日期", "填报日期"

# 甄别结论 (docs/rules.md, 线索甄别); the verdicts that stop a lead counting
VALID, INVALID, DUPLICATE, PENDING = "有效", "无效", "重复", "待定"
VERDICTS: tuple[str, ...] = (VALID, INVALID, DUPLICATE, PENDING)
NOT_COUNTED: frozenset[str] = frozenset({INVALID, DUPLICATE})

# A file's status, as every output names it
FILE_STATUS_LABELS: Mapping[str, str] = MappingProxyType({
    "accepted": "已接收", "rejected": "被退回", "superseded": "重复报送作废",
    "replaced": "已被新文件替换(仅作项目登记来源)"})

RANK_LEADER = "区领导"
RANK_MIDDLE = "中层"
RANK_GENERAL = "一般"
RANKS: tuple[str, ...] = (RANK_LEADER, RANK_MIDDLE, RANK_GENERAL)

UNIT_VILLAGE = "村"
UNIT_DEPARTMENT = "部门"
UNIT_LEADERSHIP = "区领导"
UNIT_TYPES: tuple[str, ...] = (UNIT_VILLAGE, UNIT_DEPARTMENT, UNIT_LEADERSHIP)

# Traditional -> Simplified for the characters that occur in our headers and vocabularies.
# Names of people and companies are never converted; only header text and list values are.
_TRAD = (
    "結業職務聯繫電話屬備註項資產類細領劃總冊階計簡編當簽約開達實賬帳費說協調問題內際記錄進報單稱"
    "號碼員級專標額門區導層機關會議網絡廠農製鋼貿來訪萬億經濟稅發營輸與為個時間後設體國場園張陳劉"
    "趙黃楊吳鄭孫馬許鄧韓葉龍錢廣東蘇寧貴臺灣幣擴圖樣範條參長書處辦鄉鎮縣幹應該數據請舊戶醫環運鏈"
    "倉儲勞動權歷遠訊視認價買賣車兩萬證覽談協產銷裝飾鐵銅礦紡織無態學術議別鏽週檔"
)
_SIMP = (
    "结业职务联系电话属备注项资产类细领划总册阶计简编当签约开达实账帐费说协调问题内际记录进报单称"
    "号码员级专标额门区导层机关会议网络厂农制钢贸来访万亿经济税发营输与为个时间后设体国场园张陈刘"
    "赵黄杨吴郑孙马许邓韩叶龙钱广东苏宁贵台湾币扩图样范条参长书处办乡镇县干应该数据请旧户医环运链"
    "仓储劳动权历远讯视认价买卖车两万证览谈协产销装饰铁铜矿纺织无态学术议别锈周档"
)
assert len(_TRAD) == len(_SIMP)
_T2S = str.maketrans(_TRAD, _SIMP)


def simplify(text: str) -> str:
    """Map the Traditional characters of our vocabulary to Simplified (other text unchanged)."""
    return text.translate(_T2S)


@functools.lru_cache(maxsize=65536)
def normalize_word(text: str) -> str:
    """Canonical form for matching headers and list values: NFKC, no spaces, Simplified."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    return simplify(text)


def name_key(text: str | None) -> str:
    """Matching key for project, company and person names: Simplified, lower case, no spaces
    or punctuation (``（苏州）恒瑞 食品有限公司`` and ``(苏州)恒瑞食品有限公司`` are the same)."""
    word = normalize_word(text or "").lower()
    return re.sub(r"[()()·,,.。、\-—_/\\\"'“”]", "", word)


@dataclass(frozen=True)
class Vocabulary:
    """A closed list of values with accepted variants (``variant -> value``)."""

    key: str
    label: str
    values: tuple[str, ...]
    synonyms: Mapping[str, str] = field(default_factory=dict)

    def canonical(self, text: str) -> str | None:
        """The list value ``text`` stands for, or None when it matches nothing."""
        word = normalize_word(text)
        if word in self.values:
            return word
        for variant, value in self.synonyms.items():
            if normalize_word(variant) == word:
                return value
        return None


def _vocab(key: str, label: str, values: tuple[str, ...], **synonyms: str) -> Vocabulary:
    return Vocabulary(key, label, values, MappingProxyType(synonyms))


_VOCABULARY_LIST = (
    _vocab(
        "stage", "项目阶段", STAGES,
        已签约="签约", 正式签约="签约", 签订合同="签约", 合同签约="签约",
        已开工="开工", 开工建设="开工", 在建="开工",
        已竣工="竣工", 建成="竣工", 竣工验收="竣工", 投产="竣工", 已投产="竣工",
        已达产="达产", 达产达效="达产",
        在谈="洽谈", 洽谈中="洽谈", 接洽="洽谈", 意向中="意向", 有意向="意向",
        签订协议="协议", 框架协议="协议", 线索="信息", 项目信息="信息",
    ),
    _vocab(
        "sector", "产业类别", ("工业", "三产", "农业"),
        工业项目="工业", 制造业="工业", 第二产业="工业",
        三产项目="三产", 第三产业="三产", 服务业="三产", 房地产="三产",
        农业项目="农业", 第一产业="农业",
    ),
    _vocab(
        "industry", "所属行业", ("工业", "三产", "农业", "其他"),
        工业项目="工业", 制造业="工业", 第三产业="三产", 服务业="三产", 农业项目="农业",
        其它="其他",
    ),
    _vocab(
        "funding", "资金来源", ("内资", "外资"),
        内资项目="内资", 国内资金="内资", 民营="内资", 外资项目="外资", 外商投资="外资",
        合资="外资", 港资="外资", 台资="外资",
    ),
    _vocab(
        "subsector", "细分领域",
        ("农副产品深加工", "不锈钢制品", "房地产", "标准厂房", "商贸物流", "其他"),
        农产品深加工="农副产品深加工", 农副产品加工="农副产品深加工", 食品加工="农副产品深加工",
        不锈钢="不锈钢制品", 厂房="标准厂房", 标准化厂房="标准厂房", 物流="商贸物流",
        商贸="商贸物流", 其它="其他",
    ),
    _vocab(
        "method", "结交方式",
        ("上门拜访", "来访接待", "会议展会", "电话网络", "以商引商", "其他"),
        上门="上门拜访", 拜访="上门拜访", 走访="上门拜访", 来访="来访接待", 接待="来访接待",
        会议="会议展会", 展会="会议展会", 招商会="会议展会", 电话="电话网络", 网络="电话网络",
        微信="电话网络", 以商招商="以商引商", 其它="其他",
    ),
    _vocab(
        "unit_type", "类型", UNIT_TYPES,
        行政村="村", 村委会="村", 单位="部门", 机关="部门", 工作组="部门",
        领导班子="区领导", 区领导班子="区领导",
    ),
    _vocab(
        "rank", "职级", RANKS,
        区级领导="区领导", 副局级以上="区领导", 中层干部="中层", 一般干部="一般", 科员="一般",
        普通="一般",
    ),
    _vocab("yes_no", "是/否", ("是", "否"), Y="是", N="否", 有="是", 无="否"),
    _vocab("verdict", "甄别结论", VERDICTS,
           已核实="有效", 真实="有效", 虚假="无效", 不实="无效", 重复报送="重复", 跟踪中="待定"),
)
VOCABULARIES: Mapping[str, Vocabulary] = MappingProxyType({v.key: v for v in _VOCABULARY_LIST})


# ---------------------------------------------------------------- columns and sheets


class Kind(StrEnum):
    """How a column's raw cell values are parsed and validated."""

    TEXT = "text"  # free text
    NAME = "name"  # a person's name (spaces removed when read)
    CODE = "code"  # identifiers: always text, leading zeros kept
    PHONE = "phone"  # text, validated as a phone number
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    CHOICE = "choice"  # one value of a vocabulary
    EMAIL = "email"


class DateRange(StrEnum):
    """Which dates a date column accepts in a monthly template."""

    MONTH = "month"  # inside the reporting month
    UNTIL_MONTH_END = "until_month_end"  # any date up to the end of the reporting month
    FROM_MONTH_START = "from_month_start"  # the reporting month or later (填报日期)
    ANY = "any"


@dataclass(frozen=True)
class Column:
    """One column of a template sheet (or one field of a form sheet)."""

    key: str
    name: str
    kind: Kind
    required: bool = False
    vocabulary: str | None = None
    width: float = 12
    synonyms: tuple[str, ...] = ()
    default: str | None = None
    default_from: str | None = None  # key of the column whose value is the default
    dates: DateRange = DateRange.ANY
    maximum: float | None = None
    max_length: int = 200
    prompt: str = ""
    example: object = None  # example-row value; for dates, the day of the month
    prefilled: bool = False  # written by the generator and locked

    @property
    def header(self) -> str:
        """Header cell text as written into templates (required columns end with ``*``)."""
        return f"{self.name}*" if self.required else self.name

    @property
    def unit(self) -> str | None:
        """The money/quantity unit written in the header's brackets, e.g. ``万元``."""
        match = re.search(r"\(([^()]*)\)$", self.name)
        return match.group(1) if match else None

    @property
    def vocab(self) -> Vocabulary | None:
        return VOCABULARIES[self.vocabulary] if self.vocabulary else None


@dataclass(frozen=True)
class Sheet:
    """A sheet with a title row, one header row, an optional example row and input rows."""

    key: str
    name: str
    title: str
    columns: tuple[Column, ...]
    synonyms: tuple[str, ...] = ()
    header_row: int = 2  # 1-based row numbers in generated files
    example_row: int | None = 3
    input_rows: int = 200
    ids_from_ledger: bool = False  # 项目编号 is written only by the generator (locked in every row)

    @property
    def first_input_row(self) -> int:
        return (self.example_row or self.header_row) + 1

    @property
    def last_input_row(self) -> int:
        return self.first_input_row + self.input_rows - 1

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def required_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    def match_header(self, text: object) -> Column | None:
        """The column a header cell names (tolerating ``*``, brackets, Traditional, spaces)."""
        if not isinstance(text, str) or not text.strip():
            return None
        index = _HEADER_INDEX.get(self.key)
        if index is None or index[1] is not self.columns:
            index = _HEADER_INDEX[self.key] = (_header_index(self.columns), self.columns)
        return index[0].get(_header_key(text))


# Sheet key -> (header key -> column, the columns it was built from): built once per sheet,
# as reading every file looks its headers up (hashing a Sheet each time would cost more).
_HEADER_INDEX: dict[str, tuple[dict[str, Column], tuple[Column, ...]]] = {}


def _header_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for col in columns:
        for key in _column_keys(col):
            index.setdefault(key, col)
    return index


@functools.lru_cache(maxsize=8192)
def _header_key(text: str) -> str:
    word = normalize_word(text).rstrip("*").replace("*", "")
    word = re.sub(r"[\[【<〈《]", "(", word)
    word = re.sub(r"[\]】>〉》]", ")", word)
    # Drop a bracketed unit at the end: 计划总投资(万元) / 计划总投资（万元）/ 计划总投资(亿元).
    return re.sub(r"\([^()]*\)$", "", word)


def _column_keys(col: Column) -> set[str]:
    return {_header_key(col.name), *(_header_key(s) for s in col.synonyms)}


_MONEY_PROMPT = "填数字，单位{unit}；可写 500 或 1,200.5，不要写文字。"

C = Column  # short alias for the tables below

CONTACTS = Sheet(
    key="contacts",
    name="客商结交",
    title="客商结交登记",
    synonyms=("结交客商", "客商结交情况", "客商"),
    columns=(
        C("seq", "序号", Kind.INT, width=6, synonyms=("编号",), example=1, max_length=10),
        C("date", "结交日期", Kind.DATE, True, width=12, dates=DateRange.MONTH,
          synonyms=("日期", "结识日期", "见面日期"), example=5,
          prompt="填本月内的日期，如 2024-03-05。"),
        C("cadre", "结交人", Kind.NAME, True, width=10, synonyms=("结识人", "干部姓名", "我方人员"),
          example="张三", prompt="填本单位人员姓名(可从下拉列表选择)。"),
        C("investor", "客商姓名", Kind.NAME, True, width=10, synonyms=("客商", "姓名", "客商名称"),
          example="李四", prompt="填结交的客商本人姓名。"),
        C("company", "企业名称", Kind.TEXT, True, width=28, synonyms=("公司名称", "企业", "单位名称"),
          example="示例食品有限公司", prompt="填客商所在企业的全称。"),
        C("title", "职务", Kind.TEXT, width=10, synonyms=("职位",), example="总经理"),
        C("phone", "联系电话", Kind.PHONE, width=15, synonyms=("电话", "手机", "手机号码", "联系方式"),
          example="13800000000", max_length=20, prompt="手机 11 位或座机(区号-号码)。"),
        C("location", "企业所在地", Kind.TEXT, width=14, synonyms=("所在地", "地址", "企业地址"),
          example="江苏省苏州市"),
        C("industry", "所属行业", Kind.CHOICE, vocabulary="industry", width=10,
          synonyms=("行业",), example="工业"),
        C("method", "结交方式", Kind.CHOICE, vocabulary="method", width=12,
          synonyms=("方式", "结识方式"), example="上门拜访"),
        C("note", "备注", Kind.TEXT, width=20, synonyms=("说明",), example="示例行,无需删除",
          max_length=500),
    ),
)

LEADS = Sheet(
    key="leads",
    name="项目信息",
    title="新增项目信息登记",
    synonyms=("项目信息登记", "新增项目信息", "项目线索", "信息报送"),
    columns=(
        C("seq", "序号", Kind.INT, width=6, synonyms=("编号",), example=1, max_length=10),
        C("project_name", "项目名称", Kind.TEXT, True, width=22, synonyms=("项目",),
          example="年产10万吨果蔬深加工项目", prompt="填项目全称。"),
        C("investor", "投资方", Kind.TEXT, True, width=20, synonyms=("投资企业", "投资单位", "投资主体"),
          example="示例农业科技有限公司", prompt="填投资企业全称或投资人姓名。"),
        C("investor_location", "投资方所在地", Kind.TEXT, width=14, synonyms=("投资方地址", "所在地"),
          example="上海市"),
        C("funding", "资金来源", Kind.CHOICE, True, vocabulary="funding", width=10,
          synonyms=("内外资", "资金性质"), example="内资"),
        C("sector", "产业类别", Kind.CHOICE, True, vocabulary="sector", width=10,
          synonyms=("产业", "项目类别", "类别"), example="农业"),
        C("subsector", "细分领域", Kind.CHOICE, vocabulary="subsector", width=14,
          synonyms=("行业领域", "细分行业"), example="农副产品深加工"),
        C("total_investment", "计划总投资(万元)", Kind.DECIMAL, True, width=14, maximum=10_000_000,
          synonyms=("总投资", "投资额", "计划投资"), example=3000,
          prompt=_MONEY_PROMPT.format(unit="万元")),
        C("fixed_assets", "其中固定资产投资(万元)", Kind.DECIMAL, width=14, maximum=10_000_000,
          synonyms=("固定资产投资", "固定资产"), example=2000,
          prompt="不大于计划总投资；" + _MONEY_PROMPT.format(unit="万元")),
        C("foreign_registered", "注册外资(万美元)", Kind.DECIMAL, width=14, maximum=10_000_000,
          synonyms=("注册外资", "外资金额"), prompt="外资项目填写;" + _MONEY_PROMPT.format(unit="万美元")),
        C("stage", "项目阶段", Kind.CHOICE, True, vocabulary="stage", width=10, default="信息",
          synonyms=("阶段", "进展阶段", "目前阶段"), example="洽谈"),
        C("signed_on", "签约日期", Kind.DATE, width=12, dates=DateRange.UNTIL_MONTH_END,
          synonyms=("签订日期", "签约时间"), prompt="项目阶段为签约或之后时必填。"),
        C("started_on", "开工日期", Kind.DATE, width=12, dates=DateRange.UNTIL_MONTH_END,
          synonyms=("开工时间",), prompt="项目阶段为开工或之后时必填。"),
        C("provider", "信息提供人", Kind.NAME, True, width=10, synonyms=("提供人", "信息员"),
          example="张三", prompt="首次提供信息的人(可为本单位以外人员)。"),
        C("provided_on", "信息提供日期", Kind.DATE, True, width=12, dates=DateRange.MONTH,
          synonyms=("提供日期", "报送日期"), example=8, prompt="填本月内的日期。"),
        C("introducer", "招引责任人", Kind.NAME, width=10, default_from="provider",
          synonyms=("责任人", "跟踪责任人", "招引人"), example="张三",
          prompt="不填则视为信息提供人。"),
        C("summary", "项目简介", Kind.TEXT, width=24, synonyms=("简介", "项目概况", "备注"),
          example="示例行,无需删除", max_length=1000),
    ),
)

PROGRESS = Sheet(
    key="progress",
    name="项目进展",
    title="已报项目进展",
    ids_from_ledger=True,
    synonyms=("项目进展情况", "项目推进", "进展"),
    columns=(
        C("project_id", "项目编号", Kind.CODE, width=12, synonyms=("编号", "项目代码"),
          example="P2024-0001", prefilled=True, max_length=20),
        C("project_name", "项目名称", Kind.TEXT, True, width=26, synonyms=("项目",),
          example="示例项目", prefilled=True),
        C("stage", "当前阶段", Kind.CHOICE, True, vocabulary="stage", width=10,
          synonyms=("项目阶段", "阶段", "目前阶段"), example="签约"),
        C("signed_on", "签约日期", Kind.DATE, width=12, dates=DateRange.UNTIL_MONTH_END,
          synonyms=("签订日期", "签约时间"), example=12),
        C("started_on", "开工日期", Kind.DATE, width=12, dates=DateRange.UNTIL_MONTH_END,
          synonyms=("开工时间",)),
        C("completed_on", "竣工日期", Kind.DATE, width=12, dates=DateRange.UNTIL_MONTH_END,
          synonyms=("竣工时间", "建成日期")),
        C("fixed_assets_actual", "累计完成固定资产投资(万元)", Kind.DECIMAL, width=16,
          maximum=10_000_000, synonyms=("累计完成投资", "累计固定资产投资", "已完成固定资产投资"),
          prompt="开工以来累计数；" + _MONEY_PROMPT.format(unit="万元")),
        C("foreign_arrived", "外资实际到账累计(万美元)", Kind.DECIMAL, width=16, maximum=10_000_000,
          synonyms=("外资实际到账", "外资到账", "实际到账外资"),
          prompt="累计数；" + _MONEY_PROMPT.format(unit="万美元")),
        C("expenses", "招商费用累计(元)", Kind.DECIMAL, width=14, maximum=1_000_000_000,
          synonyms=("招商费用", "费用"), prompt="累计数,单位元。"),
        C("fixed_assets", "其中固定资产投资(万元)", Kind.DECIMAL, width=14, maximum=10_000_000,
          synonyms=("固定资产投资",),
          prompt="只有没有项目编号的行（本系统启用前报过的项目）才需填写：计划的固定资产投资，信息奖和引进项目奖按它计。"),
        C("progress_note", "进展说明", Kind.TEXT, width=30, synonyms=("进展情况", "本月进展"),
          example="示例行,无需删除", max_length=1000),
        C("help_needed", "需协调问题", Kind.TEXT, width=24,
          synonyms=("需协调解决的问题", "存在问题", "协调事项"),
          prompt="需要领导小组协调解决的用地、用电、审批等问题。", max_length=1000),
    ),
)

BASIC = Sheet(
    key="basic",
    name="基本信息",
    title="基本信息",
    header_row=1,
    example_row=None,
    input_rows=6,
    synonyms=("填报信息", "封面"),
    columns=(
        C("unit_code", "单位编码", Kind.CODE, True, width=12, prefilled=True, synonyms=("单位代码",)),
        C("unit_name", "单位名称", Kind.TEXT, True, prefilled=True, synonyms=("填报单位", "单位")),
        C("month", "填报月份", Kind.TEXT, True, prefilled=True, synonyms=("月份", "报送月份")),
        C("reporter", "填报人", Kind.NAME, True, synonyms=("填表人", "经办人")),
        C("reporter_phone", "联系电话", Kind.PHONE, True, max_length=20, synonyms=("电话", "手机")),
        C("reported_on", "填报日期", Kind.DATE, True, dates=DateRange.FROM_MONTH_START,
          synonyms=("填表日期", "报送日期")),
    ),
)

GUIDE_SHEET_NAME = "填报说明"
LIST_SHEET_NAME = "列表"
META_SHEET_NAME = "_meta"
META_KEYS: tuple[str, ...] = ("version", "unit", "unit_name", "month", "generated_at", "token")

MONTHLY_SHEETS: tuple[Sheet, ...] = (BASIC, CONTACTS, LEADS, PROGRESS)
DATA_SHEETS: tuple[Sheet, ...] = (CONTACTS, LEADS, PROGRESS)

TAX = Sheet(
    key="tax",
    name="税收",
    title="开发区实得税收台账",
    example_row=None,
    input_rows=500,
    synonyms=("税收台账", "实得税收"),
    columns=(
        C("project_id", "项目编号", Kind.CODE, True, width=12, synonyms=("编号",), max_length=20, prefilled=True),
        C("project_name", "项目名称", Kind.TEXT, width=28, synonyms=("项目",), prefilled=True),
        C("year", "年度", Kind.INT, True, width=8, synonyms=("税收年度", "年份"), prefilled=True),
        C("zone_tax", "开发区实得税收(万元)", Kind.DECIMAL, True, width=18, maximum=10_000_000,
          synonyms=("实得税收", "开发区税收", "税收"),
          prompt="剔除优惠政策后开发区实得税收；" + _MONEY_PROMPT.format(unit="万元")),
    ),
)

ROSTER_UNITS = Sheet(
    key="units",
    name="单位",
    title="目标责任表：单位",
    example_row=None,
    input_rows=300,
    synonyms=("单位目标", "单位名单"),
    columns=(
        C("unit_code", "单位编码", Kind.CODE, True, width=10, synonyms=("编码", "单位代码"),
          max_length=20, prompt="唯一编码，如 C01（村）、D07（部门）、LD（区领导班子）。"),
        C("unit_name", "单位名称", Kind.TEXT, True, width=20, synonyms=("单位", "名称")),
        C("unit_type", "类型", Kind.CHOICE, True, vocabulary="unit_type", width=8,
          synonyms=("单位类型",)),
        C("group", "评比分组", Kind.TEXT, width=10, synonyms=("分组",),
          prompt="一季一评比的分组；不填则按类型分组。"),
        C("year", "年度", Kind.INT, width=8, synonyms=("考核年度", "目标年度"),
          prompt="不填：每年适用。某年的目标或人数不同时，另起一行填写同一单位编码和该年度。"),
        C("target_amount", "年度引资目标(万元)", Kind.DECIMAL, width=14, maximum=10_000_000,
          synonyms=("引资目标", "年度目标"), prompt="不填或 0 表示无此项目标。"),
        C("target_projects", "年度签约项目目标(个)", Kind.INT, width=14,
          synonyms=("签约项目目标", "项目目标"), prompt="不填或 0 表示无此项目标。"),
        C("headcount", "在编人数", Kind.INT, width=10, synonyms=("编制人数", "人数")),
        C("village_cadres", "村干部人数", Kind.INT, width=10, synonyms=("村干部数",)),
        C("focus", "侧重方向", Kind.TEXT, width=18, synonyms=("侧重", "招商方向")),
        C("email", "邮箱", Kind.EMAIL, width=24, synonyms=("电子邮箱", "email", "E-mail"),
          max_length=100),
    ),
)

ROSTER_CADRES = Sheet(
    key="cadres",
    name="人员",
    title="目标责任表：人员",
    example_row=None,
    input_rows=2000,
    synonyms=("人员名单", "干部"),
    columns=(
        C("cadre_code", "人员编码", Kind.CODE, True, width=10, synonyms=("编码", "人员代码"),
          max_length=20),
        C("name", "姓名", Kind.NAME, True, width=10, synonyms=("名字",)),
        C("unit_code", "单位编码", Kind.CODE, True, width=10, synonyms=("单位代码",), max_length=20),
        C("rank", "职级", Kind.CHOICE, True, vocabulary="rank", width=8, synonyms=("级别",)),
        C("full_time", "专职招商", Kind.CHOICE, vocabulary="yes_no", width=10,
          synonyms=("是否专职", "专职")),
    ),
)

ROSTER_SHEETS: tuple[Sheet, ...] = (ROSTER_UNITS, ROSTER_CADRES)
# ``zsxls init`` writes example rows whose 单位名称 / 姓名 end in this mark; a roster still holding
# one is refused (T10) until the clerk replaces or deletes the row.
EXAMPLE_MARK = "（示例）"


def is_example_name(name: object) -> bool:
    """A roster name still carrying the example mark (full- or half-width brackets, any spacing)."""
    if not isinstance(name, str):
        return False
    return re.sub(r"\s", "", name).replace("(", "（").replace(")", "）").endswith(EXAMPLE_MARK)

# 线索甄别: written by consolidate for 招商局, read back by ``zsxls screen`` (SPEC §9.1).
SCREENING = Sheet(
    key="screening",
    name="线索甄别",
    title="新增项目线索甄别",
    example_row=None,
    input_rows=0,
    synonyms=("甄别", "线索甄别表"),
    columns=(
        C("project_id", "项目编号", Kind.CODE, True, width=12, prefilled=True, max_length=20),
        C("project_name", "项目名称", Kind.TEXT, width=24, prefilled=True),
        C("investor", "投资方", Kind.TEXT, width=22, prefilled=True),
        C("unit", "报送单位", Kind.TEXT, width=14, prefilled=True),
        C("provider", "信息提供人", Kind.NAME, width=10, prefilled=True),
        C("provided_on", "信息提供日期", Kind.DATE, width=12, prefilled=True),
        C("total_investment", "计划总投资(万元)", Kind.DECIMAL, width=12, prefilled=True),
        C("hint", "疑似重复", Kind.TEXT, width=30, prefilled=True, max_length=1000),
        C("suggestion", "建议结论", Kind.TEXT, width=22, prefilled=True, max_length=200),
        C("verdict", "甄别结论", Kind.CHOICE, vocabulary="verdict", width=10,
          prompt="由招商局填写（建议结论只是参考，不会自动采用）。有效：计入报送；无效、重复：不再计入单位和提供人的信息报送。"),
        C("duplicate_of", "重复于", Kind.CODE, width=12, max_length=20,
          prompt="结论为“重复”时填写先报送（信息提供日期更早或同一天）的项目编号；两者合为一个项目。"),
        C("introducer_unit", "招引单位", Kind.CODE, width=10, max_length=20,
          prompt="需要时填写单位编码；不填则按报送该项目进展的单位计。引进项目奖、财税分成奖发给招引单位。"),
        C("tracker", "跟踪责任人", Kind.NAME, width=10, prompt="招商局落实的跟踪责任人。"),
    ),
)
SCREENING_FILE_SUFFIX = "_线索甄别.xlsx"
ROSTER_FILE = "目标责任表.xlsx"
TAX_FILE = "税收台账.xlsx"

ALL_SHEETS: tuple[Sheet, ...] = (*MONTHLY_SHEETS, TAX, *ROSTER_SHEETS, SCREENING)


def sheet_by_name(candidates: Mapping[str, Sheet] | tuple[Sheet, ...], name: str) -> Sheet | None:
    """The schema sheet a workbook sheet name stands for (exact, synonym or Traditional form)."""
    sheets = candidates.values() if isinstance(candidates, Mapping) else candidates
    word = normalize_word(name)
    for sheet in sheets:
        if word == normalize_word(sheet.name) or word in {normalize_word(s) for s in sheet.synonyms}:
            return sheet
    return None
