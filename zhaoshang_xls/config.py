"""zsxls.toml -> typed, validated policy objects; every default of SPEC §4 lives here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from zhaoshang_xls import schema
from zhaoshang_xls.errors import ConfigError

CONFIG_FILE = "zsxls.toml"


# ---------------------------------------------------------------- value types


@dataclass(frozen=True, order=True)
class MonthDay:
    """A day of the year without the year (campaign phases repeat every year)."""

    month: int
    day: int

    def in_year(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class Period:
    """An inclusive span of month-days, such as the 组织实施阶段 02-16 … 12-20."""

    start: MonthDay
    end: MonthDay

    def months(self) -> tuple[int, ...]:
        return tuple(range(self.start.month, self.end.month + 1))

    def to_toml(self) -> list[str]:
        return [str(self.start), str(self.end)]


@dataclass(frozen=True)
class Tier:
    """信息奖 band: fixed assets up to ``upto`` 万元 (None = no upper bound) pays ``amount`` 元."""

    upto: Decimal | None
    amount: Decimal


# ---------------------------------------------------------------- field helpers


def _opt(default: Any, doc: str, *, check: Callable[[str, Any], None] | None = None,
         parse: Callable[[str, Any], Any] | None = None,
         dump: Callable[[Any], Any] | None = None) -> Any:
    """A configuration field: default, Chinese comment for the written zsxls.toml, checks."""
    meta = {"doc": doc, "check": check, "parse": parse, "dump": dump}
    if isinstance(default, (dict, list, tuple)) or dataclasses.is_dataclass(default):
        return field(default_factory=lambda: default, metadata=meta)
    return field(default=default, metadata=meta)


def _non_negative(key: str, value: Any) -> None:
    if value < 0:
        raise ConfigError(f"zsxls.toml:{key} 不能为负数（现为 {value}）。")


def _positive(key: str, value: Any) -> None:
    if value <= 0:
        raise ConfigError(f"zsxls.toml:{key} 必须大于 0（现为 {value}）。")


def _rate(key: str, value: Any) -> None:
    if not Decimal(0) <= value <= Decimal(1):
        raise ConfigError(f"zsxls.toml:{key} 是比例，应在 0 到 1 之间（现为 {value}）。")


def _due_day(key: str, value: Any) -> None:
    if not 1 <= value <= 28:
        raise ConfigError(f"zsxls.toml:{key} 应为 1 到 28 之间的日期（现为 {value}）。")


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years zsxls accepts anywhere (configuration, commands, 税收台账)


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def _year(key: str, value: Any) -> None:
    if not year_in_range(value):
        raise ConfigError(f"zsxls.toml:{key} 应为四位年份，如 2024（现为 {value}）。")


def _percent(key: str, value: Any) -> None:
    if not 0 <= value <= 100:
        raise ConfigError(f"zsxls.toml:{key} 应为 0 到 100 之间的数（现为 {value}）。")


def _stage(key: str, value: Any) -> None:
    if value not in schema.STAGES:
        raise ConfigError(
            f"zsxls.toml:{key} 应为项目阶段之一：{'、'.join(schema.STAGES)}（现为 {value!r}）。"
        )


def _stages(key: str, value: Any) -> None:
    for i, item in enumerate(value, start=1):
        _stage(f"{key}[{i}]", item)


def _sectors(key: str, value: Any) -> None:
    allowed = schema.VOCABULARIES["subsector"].values
    for item in value:
        if item not in allowed:
            raise ConfigError(
                f"zsxls.toml:{key} 中的 {item!r} 不是细分领域之一：{'、'.join(allowed)}。"
            )


def _parse_period(key: str, value: Any) -> Period:
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise ConfigError(f'zsxls.toml:{key} 应写成 ["02-16", "12-20"] 这样的起止月日。')
    days = []
    for text in value:
        try:
            parsed = dt.datetime.strptime(f"2024-{text}", "%Y-%m-%d").date()
        except ValueError:
            raise ConfigError(f"zsxls.toml:{key} 中的 {text!r} 不是有效的月-日（如 02-16）。") from None
        days.append(MonthDay(parsed.month, parsed.day))
    if days[0] > days[1]:
        raise ConfigError(f"zsxls.toml:{key} 的开始日期 {days[0]} 晚于结束日期 {days[1]}。")
    return Period(days[0], days[1])


def _parse_tiers(key: str, value: Any) -> tuple[Tier, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"zsxls.toml:{key} 应为档次列表，如 [{{upto = 1000, amount = 1000}}， …]。")
    tiers: list[Tier] = []
    for i, item in enumerate(value, start=1):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(f"zsxls.toml:{where} 应写成 {{upto = 上限万元， amount = 奖励元}}。")
        unknown = set(item) - {"upto", "amount"}
        if unknown:
            raise ConfigError(f"zsxls.toml：未知的配置项 {where}.{sorted(unknown)[0]}。")
        if "amount" not in item:
            raise ConfigError(f"zsxls.toml:{where} 缺少 amount（奖励金额，元）。")
        amount = _to_decimal(f"{where}.amount", item["amount"])
        upto = _to_decimal(f"{where}.upto", item["upto"]) if "upto" in item else None
        _non_negative(f"{where}.amount", amount)
        if upto is not None:
            _positive(f"{where}.upto", upto)
        tiers.append(Tier(upto, amount))
    for i, tier in enumerate(tiers[:-1], start=1):
        if tier.upto is None:
            raise ConfigError(f"zsxls.toml:{key}[{i}] 缺少 upto；只有最后一档可以不设上限。")
    if tiers[-1].upto is not None:
        raise ConfigError(f"zsxls.toml:{key} 的最后一档不应设 upto（它覆盖以上所有金额）。")
    for i in range(1, len(tiers)):
        prev, cur = tiers[i - 1], tiers[i]
        if cur.upto is not None and prev.upto is not None and cur.upto <= prev.upto:
            raise ConfigError(f"zsxls.toml:{key} 的档次上限必须递增（第 {i + 1} 档 {cur.upto} ≤ {prev.upto}）。")
        if cur.amount < prev.amount:
            raise ConfigError(f"zsxls.toml:{key} 的奖励金额必须逐档不减"
                              f"（第 {i + 1} 档 {cur.amount} < {prev.amount}）。")
    return tuple(tiers)


def _dump_tiers(tiers: tuple[Tier, ...]) -> list[dict[str, Decimal]]:
    out = []
    for tier in tiers:
        item: dict[str, Decimal] = {}
        if tier.upto is not None:
            item["upto"] = tier.upto
        item["amount"] = tier.amount
        out.append(item)
    return out


def _parse_usd_cny(key: str, value: Any) -> Decimal | dict[int, Decimal]:
    if isinstance(value, dict):
        if not value:
            raise ConfigError(f"zsxls.toml:{key} 的年度汇率表不能为空。")
        table: dict[int, Decimal] = {}
        for year_text, rate in value.items():
            if not str(year_text).isdigit():
                raise ConfigError(f"zsxls.toml:{key}.{year_text} 的键应为年份，如 2024 = 7.10。")
            year = int(year_text)
            _year(f"{key}.{year_text}", year)
            table[year] = _to_decimal(f"{key}.{year_text}", rate)
            _positive(f"{key}.{year_text}", table[year])
        return table
    rate = _to_decimal(key, value)
    _positive(key, rate)
    return rate


def _parse_cadre_targets(key: str, value: Any) -> dict[str, dict[str, Decimal]]:
    if not isinstance(value, dict):
        raise ConfigError(f"zsxls.toml:{key} 应为按职级、产业类别列出的目标（万元）。")
    ranks = [r for r in schema.RANKS if r != schema.RANK_GENERAL]
    sectors = schema.VOCABULARIES["sector"].values
    out: dict[str, dict[str, Decimal]] = {}
    for rank, targets in value.items():
        if rank not in ranks:
            raise ConfigError(f"zsxls.toml：未知的配置项 {key}.{rank}（职级应为 {'、'.join(ranks)}）。")
        if not isinstance(targets, dict):
            raise ConfigError(f"zsxls.toml:{key}.{rank} 应写成 工业 = 1000 这样的表。")
        out[rank] = {}
        for sector, amount in targets.items():
            if sector not in sectors:
                raise ConfigError(
                    f"zsxls.toml：未知的配置项 {key}.{rank}.{sector}（产业类别应为 {'、'.join(sectors)}）。"
                )
            out[rank][sector] = _to_decimal(f"{key}.{rank}.{sector}", amount)
            _positive(f"{key}.{rank}.{sector}", out[rank][sector])
        missing = [s for s in sectors if s not in out[rank]]
        if missing:
            raise ConfigError(f"zsxls.toml:{key}.{rank} 缺少产业类别 {'、'.join(missing)} 的目标。")
    return out


# No policy number comes near this (amounts are in 元 or 万元, ports and years are small): a larger
# one is a typo, and would overflow the 28 digits money is computed with.
LARGEST_NUMBER = 10**12


def _number(key: str, value: Any, kind: str) -> int | Decimal:
    """Every number of zsxls.toml passes here: a TOML number, never nan or ±inf (which TOML
    allows), not absurdly large. ``kind`` (数字 or 整数) is what the message asks for."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ConfigError(f"zsxls.toml:{key} 应为{kind}（现为 {value!r}）。")
    if isinstance(value, Decimal) and not value.is_finite():
        shown = "nan" if value.is_nan() else "-inf" if value < 0 else "inf"
        raise ConfigError(f"zsxls.toml:{key} 应为有限的{kind}，不能是 {shown}。")
    if not -LARGEST_NUMBER < value < LARGEST_NUMBER:
        raise ConfigError(f"zsxls.toml:{key} 的数值大得不合理（现为 {value}）：请检查单位和位数。")
    return value


def _to_decimal(key: str, value: Any) -> Decimal:
    return Decimal(_number(key, value, "数字"))


def _to_int(key: str, value: Any) -> int:
    number = _number(key, value, "整数")
    if not isinstance(number, int):
        raise ConfigError(f"zsxls.toml:{key} 应为整数（现为 {number}）。")
    return number


# ---------------------------------------------------------------- sections


@dataclass(frozen=True)
class Campaign:
    year: int = _opt(2024, "命令未指定年份时使用的年度", check=_year)
    mobilization: Period = _opt(
        Period(MonthDay(2, 12), MonthDay(2, 15)), "宣传发动阶段（月-日，每年相同）", parse=_parse_period
    )
    implementation: Period = _opt(
        Period(MonthDay(2, 16), MonthDay(12, 20)),
        "组织实施阶段：其覆盖的月份为考核月份（默认 2 月至 12 月）",
        parse=_parse_period,
    )
    evaluation: Period = _opt(
        Period(MonthDay(12, 21), MonthDay(12, 31)), "总结评比阶段", parse=_parse_period
    )
    office: str = _opt("区全员招商领导小组办公室", "填报说明中显示的收表单位")
    contact: str = _opt("", "填报说明中显示的咨询电话或联系人(可留空)")


@dataclass(frozen=True)
class Monthly:
    report_due_day: int = _opt(5, "月报截止日：次月几日前报送，晚于此日为迟报", check=_due_day)
    contacts: int = _opt(5, "每月结交客商目标（人，达到即达标）", check=_non_negative)
    leads: int = _opt(2, "每月报送有价值项目信息目标(条)", check=_non_negative)


@dataclass(frozen=True)
class Project:
    counted_stage: str = _opt("签约", "项目计入目标完成的阶段（按该阶段日期所在年度计）", check=_stage)


@dataclass(frozen=True)
class InfoReward:
    min_fixed_assets: Decimal = _opt(Decimal(500), "内资项目固定资产投资下限(万元)", check=_non_negative)
    success_stage: str = _opt("签约", "视为“成功”的阶段", check=_stage)
    tiers: tuple[Tier, ...] = _opt(
        (
            Tier(Decimal(1000), Decimal(1000)),
            Tier(Decimal(3000), Decimal(3000)),
            Tier(Decimal(5000), Decimal(10000)),
            Tier(None, Decimal(20000)),
        ),
        "按固定资产投资（万元）分档的奖励（元）；upto 为本档上限（含），最后一档不设上限",
        parse=_parse_tiers,
        dump=_dump_tiers,
    )
    foreign_rate: Decimal = _opt(Decimal("0.003"), "外资项目：按注册外资实际到账额的比例奖励", check=_rate)
    usd_cny: Decimal | dict[int, Decimal] = _opt(
        Decimal("7.10"),
        "美元兑人民币汇率；也可按年度写成表：[reward.info.usd_cny] 2024 = 7.10",
        parse=_parse_usd_cny,
    )

    def usd_cny_for(self, year: int) -> Decimal:
        """Rate for a year: a single rate, or the table's latest year not after ``year``."""
        if isinstance(self.usd_cny, Decimal):
            return self.usd_cny
        earlier = [y for y in self.usd_cny if y <= year]
        return self.usd_cny[max(earlier) if earlier else min(self.usd_cny)]


@dataclass(frozen=True)
class IntroReward:
    min_fixed_assets: Decimal = _opt(Decimal(500), "引进项目固定资产投资下限(万元)", check=_non_negative)
    rate: Decimal = _opt(Decimal("0.005"), "按固定资产实际投入的比例计奖", check=_rate)
    start_stage: str = _opt("开工", "开始计奖的阶段", check=_stage)
    final_stage: str = _opt("竣工", "第二次结算（按实际投入全额结算）的阶段", check=_stage)
    offset_expenses: bool = _opt(True, "奖金先冲销招商费用，再行分配")


@dataclass(frozen=True)
class TaxShare:
    village: Decimal = _opt(Decimal("0.15"), "村招引项目：开发区实得税收分成比例", check=_rate)
    department: Decimal = _opt(Decimal("0.10"), "单位部门招引项目：开发区实得税收分成比例", check=_rate)
    years: int = _opt(3, "分成年限（有税收的前几个年度）", check=_positive)
    from_stage: str = _opt("开工", "达到该阶段的项目列入税收台账", check=_stage)


@dataclass(frozen=True)
class Reward:
    info: InfoReward = _opt(InfoReward(), "提供信息奖")
    intro: IntroReward = _opt(IntroReward(), "引进项目奖")
    tax_share: TaxShare = _opt(TaxShare(), "财税分成奖")


@dataclass(frozen=True)
class Penalty:
    区领导: Decimal = _opt(Decimal(4800), "区副局级以上领导：全年出差包干补助扣罚基数（元）", check=_non_negative)
    中层: Decimal = _opt(Decimal(3600), "中层干部：全年出差包干补助扣罚基数（元）", check=_non_negative)
    department_bonus: Decimal = _opt(Decimal(3500), "单位部门：人均年终奖金扣罚基数（元）", check=_non_negative)
    village_wage: Decimal = _opt(Decimal(2000), "村：村干部招商引资项考核工资扣罚基数（元）", check=_non_negative)
    admonish_below: Decimal = _opt(Decimal("0.5"), "完成率低于此值的单位标注“诫勉谈话”", check=_rate)

    def cadre_base(self, rank: str) -> Decimal | None:
        """Deduction base for a cadre rank, or None for ranks without an annual target."""
        return {schema.RANK_LEADER: self.区领导, schema.RANK_MIDDLE: self.中层}.get(rank)


@dataclass(frozen=True)
class Quarterly:
    contacts_weight: Decimal = _opt(Decimal(20), "客商结交满分", check=_non_negative)
    leads_weight: Decimal = _opt(Decimal(20), "信息报送满分", check=_non_negative)
    investment_weight: Decimal = _opt(Decimal(40), "签约引资满分（对照年度目标按季度折算）", check=_non_negative)
    progress_points: Decimal = _opt(Decimal(5), "每个项目在本季度达到签约、开工或竣工的加分", check=_non_negative)
    progress_cap: Decimal = _opt(Decimal(20), "项目推进得分上限", check=_non_negative)
    progress_stages: tuple[str, ...] = _opt(
        ("签约", "开工", "竣工"), "计入项目推进的阶段", check=_stages
    )
    bonus_points: Decimal = _opt(Decimal(2), "本季度签约的主导产业项目每个加分", check=_non_negative)
    bonus_cap: Decimal = _opt(Decimal(6), "主导产业加分上限", check=_non_negative)
    bonus_sectors: tuple[str, ...] = _opt(("农副产品深加工", "不锈钢制品"), "主导产业(细分领域)", check=_sectors)
    missing_file_deduction: Decimal = _opt(Decimal(5), "每缺报一个月扣分", check=_non_negative)
    late_file_deduction: Decimal = _opt(Decimal(2), "每迟报一次扣分", check=_non_negative)
    top_marked: int = _opt(3, "每组标注“表彰”的前几名", check=_non_negative)
    bottom_marked: int = _opt(3, "每组标注“鞭策后进”的后几名", check=_non_negative)


@dataclass(frozen=True)
class Screening:
    duplicate_company: int = _opt(90, "疑似重复（R14）：企业名称相似度下限（0–100）", check=_percent)
    duplicate_name: int = _opt(80, "疑似重复（R14）：项目名称相似度下限（0–100）", check=_percent)


@dataclass(frozen=True)
class Ledger:
    url: str = _opt("", "台账数据库地址（SQLAlchemy URL）；留空则使用 .zsxls/ledger.sqlite")


@dataclass(frozen=True)
class Collect:
    imap_server: str = _opt("", "zsxls collect imap：收件邮箱的 IMAP 服务器地址，如 imap.example.gov.cn")
    imap_port: int = _opt(993, "IMAP 端口（加密一般为 993）", check=_positive)
    imap_tls: bool = _opt(True, "是否用 TLS 加密连接（IMAPS）")
    imap_user: str = _opt("", "邮箱用户名")
    imap_folder: str = _opt("INBOX", "读取的邮件文件夹")
    password_env: str = _opt("ZSXLS_IMAP_PASSWORD", "从这个环境变量读取邮箱密码；没有则运行时询问（密码从不写入文件）")


def _default_cadre_targets() -> dict[str, dict[str, Decimal]]:
    return {
        schema.RANK_LEADER: {"工业": Decimal(1000), "三产": Decimal(5000), "农业": Decimal(500)},
        schema.RANK_MIDDLE: {"工业": Decimal(500), "三产": Decimal(2000), "农业": Decimal(300)},
    }


@dataclass(frozen=True)
class Config:
    campaign: Campaign = _opt(Campaign(), "活动年度与阶段")
    monthly: Monthly = _opt(Monthly(), "一月一交流：每月目标与报送期限")
    cadre_target: dict[str, dict[str, Decimal]] = _opt(
        _default_cadre_targets(),
        "区领导、中层干部年内须招引一个达到下列投资额（万元）的项目（任一产业类别即可）",
        parse=_parse_cadre_targets,
    )
    project: Project = _opt(Project(), "项目计入目标的口径")
    reward: Reward = _opt(Reward(), "奖励规定")
    penalty: Penalty = _opt(Penalty(), "惩罚规定：扣罚额 = 基数 × （1 − 完成率）")
    quarterly: Quarterly = _opt(Quarterly(), "一季一评比：各项权重与分值")
    screening: Screening = _opt(Screening(), "线索甄别：疑似重复的判断标准")
    ledger: Ledger = _opt(Ledger(), "台账")
    collect: Collect = _opt(Collect(), "收件：从邮箱收取各单位发来的报表")

    def assessed_months(self) -> tuple[int, ...]:
        """Months of the year that are assessed (the implementation phase)."""
        return self.campaign.implementation.months()


DEFAULT = Config()


# ---------------------------------------------------------------- loading


def load_config(path: Path) -> Config:
    """Read and validate ``zsxls.toml``; a missing file gives the defaults."""
    if not path.exists():
        return DEFAULT
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name} 不是 UTF-8 编码的文本文件，请用记事本另存为 UTF-8。") from None
    return parse_config(text)


def parse_config(text: str) -> Config:
    """Parse TOML text into a validated :class:`Config` (numbers as ``Decimal``)."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        hint = ""
        if any(not ch.isascii() for line in text.splitlines() for ch in line.split("=")[0].split("#")[0]
               if not line.lstrip().startswith(("#", '"'))):
            hint = '。中文的配置项名称要加英文双引号，如 "中层" = 3600'
        raise ConfigError(f"zsxls.toml 格式错误：{exc}{hint}") from None
    return _build(Config, data, "")


def _build(cls: type, data: Any, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"zsxls.toml:{prefix.rstrip('.')} 应为一个表（[{prefix.rstrip('.')}]）。")
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in fields:
            raise ConfigError(f"zsxls.toml：未知的配置项 {prefix}{key}，请检查拼写或删除该行。")
    values: dict[str, Any] = {}
    for name, f in fields.items():
        if name not in data:
            continue
        key = f"{prefix}{name}"
        raw = data[name]
        if f.metadata.get("parse"):
            value = f.metadata["parse"](key, raw)
        else:
            value = _convert(key, hints[name], raw)
        if f.metadata.get("check"):
            f.metadata["check"](key, value)
        values[name] = value
    return cls(**values)


def _convert(key: str, hint: Any, raw: Any) -> Any:
    if dataclasses.is_dataclass(hint):
        return _build(hint, raw, f"{key}.")  # type: ignore[arg-type]
    if hint is bool:
        if not isinstance(raw, bool):
            raise ConfigError(f"zsxls.toml:{key} 应为 true 或 false（现为 {raw!r}）。")
        return raw
    if hint is int:
        return _to_int(key, raw)
    if hint is Decimal:
        return _to_decimal(key, raw)
    if hint is str:
        if not isinstance(raw, str):
            raise ConfigError(f"zsxls.toml:{key} 应为文字（加引号，现为 {raw!r}）。")
        return raw
    if get_origin(hint) is tuple and get_args(hint)[0] is str:
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise ConfigError(f'zsxls.toml:{key} 应为文字列表，如 ["签约", "开工"]。')
        return tuple(raw)
    raise AssertionError(f"unsupported config type {hint} for {key}")  # pragma: no cover


# ---------------------------------------------------------------- writing a commented file


def render_config(config: Config = DEFAULT) -> str:
    """The commented ``zsxls.toml`` that ``zsxls init`` writes (values = ``config``)."""
    lines = [
        "# zsxls 配置文件：全员招商活动的政策参数。",
        "# 删除某一行即恢复默认值；修改后运行任一 zsxls 命令即生效，写错会提示出错的配置项。",
    ]
    _render_section(config, "", lines)
    return "\n".join(lines).rstrip() + "\n"


def _render_section(obj: Any, prefix: str, lines: list[str]) -> None:
    scalars = [f for f in dataclasses.fields(obj) if not _is_table(getattr(obj, f.name))]
    tables = [f for f in dataclasses.fields(obj) if _is_table(getattr(obj, f.name))]
    for f in scalars:
        value = getattr(obj, f.name)
        dump = f.metadata.get("dump")
        lines.append(f"# {f.metadata['doc']}")
        lines.append(f"{_toml_key(f.name)} = {_toml_value(dump(value) if dump else value)}")
    for f in tables:
        value = getattr(obj, f.name)
        name = f"{prefix}{_toml_key(f.name)}"
        lines += ["", f"# {f.metadata['doc']}"]
        if _is_section(value):
            if any(not _is_table(getattr(value, g.name)) for g in dataclasses.fields(value)):
                lines.append(f"[{name}]")
            _render_section(value, f"{name}.", lines)
        elif all(isinstance(v, dict) for v in value.values()):
            for sub, table in value.items():
                lines.append(f"[{name}.{_toml_key(str(sub))}]")
                lines += [f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in table.items()]
        else:
            lines.append(f"[{name}]")
            lines += [f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in value.items()]


def _is_table(value: Any) -> bool:
    return _is_section(value) or isinstance(value, dict)


def _is_section(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, (Period, MonthDay, Tier))


def _toml_key(key: str) -> str:
    return key if key.isascii() and key.replace("_", "").isalnum() and not key.isdigit() else f'"{key}"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, Period):
        return _toml_value(value.to_toml())
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise AssertionError(f"cannot render {value!r}")  # pragma: no cover
