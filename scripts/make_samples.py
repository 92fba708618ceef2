"""Build ``samples/``: a complete fictional workspace with filled monthly files (SPEC §13).

    python scripts/make_samples.py            # rewrites samples/
    python scripts/make_samples.py OUT_DIR    # writes elsewhere (the tests compare the two)

Everything comes from one fixed random seed and is written reproducibly (fixed zip times), so
running it again gives byte-identical files. The mistakes real offices make are planted on
purpose in 2024-03 (see MISTAKES below) and documented in the README.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import random
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the test helpers (tests/filler.py) of this checkout
from tests.filler import fill_workbook, rename_header
from zhaoshang_xls import schema
from zhaoshang_xls.config import DEFAULT, render_config
from zhaoshang_xls.fileio import make_reproducible, write_atomic
from zhaoshang_xls.ledger import open_ledger
from zhaoshang_xls.ledger import tables as t
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.roster import read_roster
from zhaoshang_xls.reports.templates import (
    MonthlyTemplate,
    build_monthly_template,
    build_roster_template,
    monthly_template_name,
)
from zhaoshang_xls.roster import Roster, Unit
from zhaoshang_xls.usecases.month import consolidate_month
from zhaoshang_xls.usecases.templates import ledger_prefill
from zhaoshang_xls.workspace import SECRET_FILE, STATE_DIR, open_workspace

SEED = 20240316
MONTHS = (Month(2024, 2), Month(2024, 3), Month(2024, 4))
SECRET = hashlib.sha256(f"zsxls-samples-{SEED}".encode()).hexdigest()
ZIP_TIME = (2024, 1, 1, 0, 0, 0)

VILLAGES = (
    "东湖村", "西塘村", "南庄村", "北港村", "桥头村", "新河村", "三里村", "柳湾村", "杏花村", "石桥村",
    "前进村", "永丰村", "红旗村", "太平村", "金沙村", "双塘村", "张堡村", "李庄村", "沙河村", "长胜村",
)
DEPARTMENTS = (
    ("招商局", "好大外项目", 50000, 6),
    ("农村工作组", "农副产品深加工及农业产业化", 8000, 2),
    ("企业服务组", "产业链招商、企业增资扩股", 15000, 3),
    ("规划建设组", "房地产项目", 20000, 2),
    ("项目推进组", "以商引商", 6000, 2),
    ("机关党群组", "以商引商", 3000, 1),
    ("财税工作组", "以商引商", 3000, 1),
    ("经济发展公司", "三产类及标准厂房出租", 12000, 3),
    ("社会事业组", "以商引商", 3000, 1),
    ("综合办公室", "", 0, 0),
    ("安监环保组", "以商引商", 2000, 1),
    ("城市管理局", "以商引商", 2000, 1),
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢钟姜崔谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉海波宁斌鹏飞玉"
    "兰桂芝德龙晓东春梅雪峰国庆建华永强晓燕立新"
)
PLACES = (
    "苏州", "无锡", "常州", "南通", "泰州", "扬州", "上海", "杭州", "宁波", "温州", "台州", "合肥",
    "徐州", "盐城", "淮安", "深圳", "广州", "佛山", "青岛", "潍坊", "临沂", "郑州", "武汉", "成都",
)
BRANDS = "恒瑞德嘉华鑫盛源宏丰泰祥裕隆金辉永茂天润博通聚力康达新创富民兴业立信"
INDUSTRY_WORDS = (
    ("食品", "工业", "农副产品深加工"), ("农业科技", "农业", "农副产品深加工"),
    ("不锈钢", "工业", "不锈钢制品"), ("金属制品", "工业", "不锈钢制品"),
    ("置业", "三产", "房地产"), ("房地产开发", "三产", "房地产"),
    ("物流", "三产", "商贸物流"), ("商贸", "三产", "商贸物流"),
    ("实业", "三产", "标准厂房"), ("机械", "工业", "其他"), ("新材料", "工业", "其他"),
    ("生态农业", "农业", "其他"), ("电子", "工业", "其他"), ("纺织", "工业", "其他"),
)
PROJECTS = {
    "农副产品深加工": ("年产{n}万吨果蔬深加工项目", "{n}万头生猪屠宰及肉制品加工项目", "年产{n}万吨粮油精深加工项目"),
    "不锈钢制品": ("年产{n}万吨不锈钢精密管材项目", "不锈钢厨具及五金制品生产线项目", "年产{n}万件不锈钢餐具项目"),
    "房地产": ("{brand}花园住宅小区开发项目", "{brand}商业综合体项目"),
    "商贸物流": ("冷链物流配送中心项目", "{brand}农产品批发市场项目"),
    "标准厂房": ("{n}万平方米标准厂房建设项目", "小微企业创业园标准厂房项目"),
    "其他工业": ("年产{n}万套汽车零部件项目", "{brand}新型建材生产项目", "年产{n}万米高端面料项目"),
    "其他农业": ("高效设施农业示范园项目", "{n}千亩优质稻米种植基地项目"),
}
TITLES = ("董事长", "总经理", "副总经理", "投资总监", "项目经理", "办公室主任", "总工程师")
METHODS = schema.VOCABULARIES["method"].values
AMOUNTS = (300, 600, 800, 1000, 1200, 1500, 2500, 3000, 3500, 5000, 6000, 8000, 12000, 20000)

# The common mistakes of SPEC §8 / §13, planted in 2024-03 (unit code -> what is wrong).
MISSING_UNIT = "C17"  # sends nothing in 2024-03
RENAMED_FILE = ("C05", "三月份招商报表(最终版).xlsx")
TRADITIONAL_HEADER = "C07"  # 项目信息 headers in Traditional Chinese, a stage written 簽約
TEXT_AMOUNTS = "D04"  # 计划总投资 typed as 500万 / 1,200万元
LATE_FILE = "C09"  # 填报日期 after the due day
DUPLICATE = "D05"  # two files: the first and a corrected one
CORRUPT = "D09"  # a truncated file
LOCK_FILE = "C03"  # an Excel/WPS owner file ~$… left in the folder
# Two units report the same project, the investor spelled differently (R14); C10 was first.
SAME_PROJECT = {
    "C10": {"investor": "苏州恒瑞食品有限公司", "provided_on": dt.date(2024, 3, 8)},
    "D01": {"investor": "恒瑞食品(苏州)有限责任公司", "provided_on": dt.date(2024, 3, 12)},
}
BAD_PHONE = "C11"  # a contact's mobile number typed with 10 digits (R09)

# May to December are abbreviated: only the units whose projects move send a file, so that
# ``zsxls annual 2024`` has a whole year to assess (every kind of reward and penalty). The
# figures these give are worked out by hand in tests/cli/test_samples_annual.py.
LATER_MONTHS = tuple(Month(2024, m) for m in range(5, 13))
SOCIETY_PROVIDER = "周海涛"  # a member of the public (not in the roster) who passed on a lead
STORY_LEADS: dict[str, list[dict[str, Any]]] = {  # new leads of 2024-05, by unit
    "C02": [{"project_name": "年产3万吨农副产品冷链加工项目", "investor": "南通裕隆食品有限公司",
             "investor_location": "南通市",
             "sector": "工业", "subsector": "农副产品深加工", "total_investment": 1500, "fixed_assets": 1000,
             "stage": "意向", "provided_on": dt.date(2024, 5, 6)}],
    "C04": [{"project_name": "金辉商业综合体项目", "investor": "温州金辉置业有限公司", "investor_location": "温州市",
             "sector": "三产", "subsector": "房地产", "total_investment": 5500, "fixed_assets": 5001, "stage": "洽谈",
             "provider": SOCIETY_PROVIDER, "provided_on": dt.date(2024, 5, 9)}],
    "D01": [{"project_name": "精密模具外资项目", "investor": "新加坡丰益模具私人有限公司",
             "investor_location": "新加坡",
             "funding": "外资", "sector": "工业", "subsector": "其他", "total_investment": 8000, "fixed_assets": 6000,
             "foreign_registered": 800, "stage": "协议", "provided_on": dt.date(2024, 5, 13)}],
    "D03": [{"project_name": "小微企业创业园标准厂房项目", "investor": "常州博通实业有限公司",
             "investor_location": "常州市",
             "sector": "三产", "subsector": "标准厂房", "total_investment": 1800, "fixed_assets": 1500, "stage": "意向",
             "provided_on": dt.date(2024, 5, 15), "introducer_rank": "中层"}],
    "LD": [{"project_name": "新型建材生产项目", "investor": "常州宏丰建材有限公司", "investor_location": "常州市",
            "sector": "工业", "subsector": "其他", "total_investment": 800, "fixed_assets": 600, "stage": "意向",
            "provided_on": dt.date(2024, 5, 20)}],
}
# (unit, month) -> progress of storyline projects, by project name (the same-project pair of
# March is taken forward by D01 after the bureau marks C10's report as its duplicate)
SAME_NAME = "年产5万吨果蔬深加工项目"
STORY_PROGRESS: dict[tuple[str, int], dict[str, dict[str, Any]]] = {
    ("D01", 5): {SAME_NAME: {"stage": "签约", "signed_on": dt.date(2024, 5, 16)}},
    ("C02", 6): {"年产3万吨农副产品冷链加工项目": {"stage": "签约", "signed_on": dt.date(2024, 6, 5)}},
    ("D01", 6): {SAME_NAME: {"stage": "开工", "started_on": dt.date(2024, 6, 10), "fixed_assets_actual": 600,
                             "expenses": 3000, "progress_note": "一期厂房开工建设。"}},
    ("C02", 7): {"年产3万吨农副产品冷链加工项目": {"stage": "开工", "started_on": dt.date(2024, 7, 1),
                                                  "fixed_assets_actual": 400, "expenses": 2000}},
    ("D01", 7): {"精密模具外资项目": {"stage": "签约", "signed_on": dt.date(2024, 7, 12), "foreign_arrived": 50}},
    ("LD", 8): {"新型建材生产项目": {"stage": "签约", "signed_on": dt.date(2024, 8, 20)}},
    ("D01", 9): {SAME_NAME: {"fixed_assets_actual": 1500}},
    ("D03", 9): {"小微企业创业园标准厂房项目": {"stage": "签约", "signed_on": dt.date(2024, 9, 3)}},
    ("C04", 10): {"金辉商业综合体项目": {"stage": "签约", "signed_on": dt.date(2024, 10, 9)}},
    ("C02", 11): {"年产3万吨农副产品冷链加工项目": {"stage": "竣工", "completed_on": dt.date(2024, 11, 28),
                                                   "fixed_assets_actual": 980, "progress_note": "已竣工投产。"}},
    ("D01", 12): {SAME_NAME: {"fixed_assets_actual": 2350, "progress_note": "主体工程完工,设备安装中。"},
                  "精密模具外资项目": {"foreign_arrived": 120}},
}
STORY_TAXES = {("C02", "年产3万吨农副产品冷链加工项目"): Decimal("86.4"), ("D01", SAME_NAME): Decimal("35.2")}


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            return name


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "137", "150", "151", "152", "158", "187", "189", "135")) + "".join(
        rng.choice("0123456789") for _ in range(8)
    )


def build_roster(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    units: list[dict[str, Any]] = [
        {"unit_code": "LD", "unit_name": "区领导班子", "unit_type": "区领导", "group": "区领导"}
    ]
    for i, name in enumerate(VILLAGES, start=1):
        units.append({
            "unit_code": f"C{i:02d}", "unit_name": name, "unit_type": "村", "group": "村",
            "target_amount": rng.choice((2000, 3000, 3000, 5000)), "target_projects": rng.choice((1, 2)),
            "village_cadres": rng.choice((5, 6, 7)),
            "focus": rng.choice(("农业产业化", "农副产品深加工", "以商引商")),
            "email": f"c{i:02d}@zs.example.cn" if i % 2 else None,
        })
    for i, (name, focus, amount, projects) in enumerate(DEPARTMENTS, start=1):
        units.append({
            "unit_code": f"D{i:02d}", "unit_name": name, "unit_type": "部门", "group": "部门",
            "target_amount": amount or None, "target_projects": projects or None,
            "headcount": rng.randint(6, 25), "focus": focus or None,
            "email": f"d{i:02d}@zs.example.cn" if i % 3 else None,
        })
    used: set[str] = set()
    cadres: list[dict[str, Any]] = []

    def add(unit_code: str, rank: str, full_time: bool) -> None:
        cadres.append({"cadre_code": f"R{len(cadres) + 1:03d}", "name": _name(rng, used),
                       "unit_code": unit_code, "rank": rank, "full_time": "是" if full_time else "否"})

    for _ in range(6):
        add("LD", "区领导", False)
    for i in range(1, len(VILLAGES) + 1):
        add(f"C{i:02d}", "一般", True)
        add(f"C{i:02d}", "一般", False)
    for i in range(1, len(DEPARTMENTS) + 1):
        add(f"D{i:02d}", "中层", False)
        add(f"D{i:02d}", "一般", True)
        add(f"D{i:02d}", "一般", i == 1)
        if i == 1:
            add("D01", "一般", False)
    return units, cadres


def _company(rng: random.Random) -> tuple[str, str, str, str]:
    place = rng.choice(PLACES)
    brand = "".join(rng.sample(BRANDS, 2))
    word, sector, subsector = rng.choice(INDUSTRY_WORDS)
    suffix = rng.choice(("有限公司", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司"))
    return f"{place}{brand}{word}{suffix}", place, sector, subsector


def _day(rng: random.Random, month: Month) -> dt.date:
    first = max(month.first_day, DEFAULT.campaign.implementation.start.in_year(month.year))
    return first + dt.timedelta(days=rng.randint(0, (month.last_day - first).days))


def month_rows(rng: random.Random, unit: Unit, roster: Roster, month: Month) -> dict[str, list[dict[str, Any]]]:
    cadres = roster.cadres_of(unit.code)
    contacts = []
    for cadre in cadres:
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
            company, place, sector, _sub = _company(rng)
            contacts.append({
                "date": _day(rng, month), "cadre": cadre.name, "investor": _name(rng, set()),
                "company": company, "title": rng.choice(TITLES), "phone": _phone(rng),
                "location": place + "市", "industry": sector, "method": rng.choice(METHODS),
            })
    contacts.sort(key=lambda r: r["date"])
    leads = []
    for _ in range(rng.choice((0, 1, 1, 2, 2, 2, 3))):
        company, place, sector, subsector = _company(rng)
        total = rng.choice(AMOUNTS)
        foreign = rng.random() < 0.1
        provider = rng.choice(cadres).name if rng.random() > 0.1 else _name(rng, set())
        lead = {
            "project_name": rng.choice(PROJECTS[subsector if subsector != "其他" else subsector + sector]).format(
                n=rng.choice((2, 3, 5, 10, 20)), brand=company[2:4]),
            "investor": company, "investor_location": place + "市", "funding": "外资" if foreign else "内资",
            "sector": sector, "subsector": subsector, "total_investment": total,
            "fixed_assets": int(total * rng.choice((0.5, 0.6, 0.7, 0.8))),
            "stage": rng.choice(("信息", "信息", "洽谈", "洽谈", "意向")),
            "provider": provider, "provided_on": _day(rng, month),
            "summary": f"{company}拟投资{total}万元,目前处于初步接洽阶段。",
        }
        if foreign:
            lead["foreign_registered"] = rng.choice((200, 500, 800))
        if rng.random() < 0.3:
            lead["introducer"] = rng.choice(cadres).name
        leads.append(lead)
    for i, row in enumerate(contacts, start=1):
        row["seq"] = i
    for i, row in enumerate(leads, start=1):
        row["seq"] = i
    return {"contacts": contacts, "leads": leads}


def build_samples(dest: Path) -> list[Path]:
    """Write the whole sample workspace into ``dest`` (emptied first); returns files written."""
    rng = random.Random(SEED)
    if dest.exists():
        for child in dest.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    config = dataclasses.replace(
        DEFAULT, campaign=dataclasses.replace(DEFAULT.campaign, contact="区招商局 王老师 0512-66661234")
    )
    written = [dest / "zsxls.toml"]
    written[0].write_text(render_config(config), encoding="utf-8")
    state = dest / STATE_DIR
    state.mkdir()
    (state / SECRET_FILE).write_text(SECRET, encoding="ascii")
    written.append(state / SECRET_FILE)

    units, cadres = build_roster(rng)
    roster_path = dest / schema.ROSTER_FILE
    wb = build_roster_template(units, cadres, generated_at=dt.datetime(2024, 2, 1, 9))
    written.append(_save(wb, roster_path))
    roster, issues = read_roster(roster_path)
    # 综合办公室 has no targets on purpose (no completion, no penalty): its T07 is the only warning
    assert [(i.code, "综合办公室" in i.message) for i in issues] == [("T07", True)], [i.render() for i in issues]

    with tempfile.TemporaryDirectory() as scratch:
        # the months written so far are consolidated in a scratch copy, so every prefilled 项目进展
        # carries the ids exactly as the clerk gets them
        root = Path(scratch) / "ws"
        shutil.copytree(dest, root)
        workspace = open_workspace(root)
        for month in (*MONTHS, *LATER_MONTHS):
            folder = dest / str(month)
            folder.mkdir()
            prefill = ledger_prefill(workspace, month)
            if month in MONTHS:
                for unit in roster.units:
                    if month == Month(2024, 3) and unit.code == MISSING_UNIT:
                        continue
                    written += _unit_files(rng, config, roster, unit, month, folder, prefill.get(unit.code, []))
            else:
                written += _story_files(rng, config, roster, month, folder, prefill)
            shutil.copytree(folder, root / folder.name)
            consolidate_month(workspace, root / folder.name, month, today=month.due_date(5))
        written.append(_tax_book(dest, workspace))
    return written


def _story_files(rng: random.Random, config: Any, roster: Roster, month: Month, folder: Path,
                 prefill: dict[str, list[dict[str, Any]]]) -> list[Path]:
    """An abbreviated month: the files of the units whose storyline projects move (and, in May,
    the bureau's 线索甄别 decision on the same project reported twice in March)."""
    moving = {u for u, m in STORY_PROGRESS if m == month.month}
    codes = sorted(moving | (set(STORY_LEADS) if month.month == 5 else set()))
    files = []
    for code in codes:
        unit = roster.unit(code)
        assert unit is not None
        projects = prefill.get(code, [])
        by_name = {p["project_name"]: p["project_id"] for p in projects}
        rows = month_rows(rng, unit, roster, month)
        rows["leads"] = [_story_lead(lead, unit, roster, i) for i, lead in
                         enumerate(STORY_LEADS.get(code, []) if month.month == 5 else [], start=1)]
        rows["progress"] = [{"project_id": by_name[name], **change}
                            for name, change in STORY_PROGRESS.get((code, month.month), {}).items()]
        files += _write_unit_file(rng, config, roster, unit, month, folder, projects, rows)
    if month.month == 5:
        files.append(_screening_decision(folder, prefill))
    return files


def _story_lead(lead: dict[str, Any], unit: Unit, roster: Roster, seq: int) -> dict[str, Any]:
    cadres = roster.cadres_of(unit.code)
    row = {"seq": seq, "funding": "内资", "provider": cadres[-1].name,
           "summary": f"{lead['investor']}拟投资{lead['total_investment']}万元。", **lead}
    rank = row.pop("introducer_rank", None)
    if rank:
        row["introducer"] = next(c.name for c in cadres if c.rank == rank)
    return row


def _screening_decision(folder: Path, prefill: dict[str, list[dict[str, Any]]]) -> Path:
    """The bureau's 线索甄别 of March's same project: D01's later report is a duplicate of C10's
    earlier one; the two are one project: C10's provider earns the 信息奖, and D01, which reports
    its progress (under its own id), is its 招引单位 (docs/rules.md, 线索甄别)."""
    from zhaoshang_xls.reports.screening import write_screening_workbook

    ids = {code: next(p["project_id"] for p in prefill[code] if p["project_name"] == SAME_NAME)
           for code in SAME_PROJECT}
    rows = [
        {"project_id": ids["D01"], "project_name": SAME_NAME, "unit": "D01", "verdict": "重复",
         "duplicate_of": ids["C10"], "tracker": "招商局"},
        {"project_id": ids["C10"], "project_name": SAME_NAME, "unit": "C10", "verdict": "有效", "tracker": "招商局"},
    ]
    path = write_screening_workbook(folder / f"2024-03{schema.SCREENING_FILE_SUFFIX}", Month(2024, 3), rows,
                                    dt.datetime(2024, 5, 20, 9), SECRET.encode("ascii"))
    make_reproducible(path, ZIP_TIME)
    return path


def _tax_book(dest: Path, workspace: Any) -> Path:
    """税收台账.xlsx as 财税工作组 returns it: the prefilled 2024 template with the zone tax filled."""
    from zhaoshang_xls.compute.projects import taxable_projects
    from zhaoshang_xls.reports.templates import build_tax_template

    with open_ledger(workspace) as ledger:
        started = taxable_projects(ledger.frames("2024-12"), 2024, workspace.config.reward.tax_share.from_stage)
        with ledger.engine.connect() as conn:
            units = dict(conn.execute(select(t.projects.c.id, t.projects.c.unit_code)).all())
    rows = [{**p, "zone_tax": STORY_TAXES.get((units[p["project_id"]], p["project_name"]))} for p in started]
    wb = build_tax_template(DEFAULT, 2024, rows, generated_at=dt.datetime(2025, 1, 10, 9))
    return _save(wb, dest / schema.TAX_FILE)


def _progress(rng: random.Random, projects: list[dict[str, Any]], month: Month) -> list[dict[str, Any]]:
    """Each prefilled project's report this month: most move on a little, some ask for help."""
    rows = []
    for p in projects:
        row = {"project_id": p["project_id"], "stage": p["stage"]}
        stage = p["stage"]
        roll = rng.random()
        if stage in ("信息", "洽谈") and roll < 0.35:
            row["stage"] = schema.STAGES[schema.STAGES.index(stage) + 1]
            row["progress_note"] = "双方进一步接洽,已赴实地考察。"
        elif stage == "意向" and roll < 0.5:
            row |= {"stage": "签约", "signed_on": _day(rng, month), "progress_note": "已正式签订投资合同。"}
        elif stage == "签约":
            signed = p.get("signed_on") or month.first_day
            row |= {"signed_on": signed, "stage": "开工", "started_on": max(signed, _day(rng, month)),
                    "fixed_assets_actual": rng.choice((300, 600, 800)), "expenses": rng.choice((3000, 5000)),
                    "progress_note": "已开工建设,桩基施工中。"}
        if roll > 0.85:
            row["help_needed"] = rng.choice(("用地指标尚未落实,请协调国土部门。", "需协调增容用电 2000 千伏安。",
                                             "环评审批进度较慢,请帮助催办。"))
        rows.append(row)
    return rows


def _unit_files(rng: random.Random, config: Any, roster: Roster, unit: Unit, month: Month,
                folder: Path, projects: list[dict[str, Any]]) -> list[Path]:
    rows = month_rows(rng, unit, roster, month)
    if projects:
        rows["progress"] = _progress(rng, projects, month)
    return _write_unit_file(rng, config, roster, unit, month, folder, projects, rows)


def _write_unit_file(rng: random.Random, config: Any, roster: Roster, unit: Unit, month: Month, folder: Path,
                     projects: list[dict[str, Any]], rows: dict[str, list[dict[str, Any]]],
                     ) -> list[Path]:
    spec = MonthlyTemplate(
        config=config, month=month, unit=unit,
        cadre_names=tuple(c.name for c in roster.cadres_of(unit.code)),
        secret=SECRET.encode("ascii"), generated_at=dt.datetime(month.year, month.month, 1, 9),
        projects=tuple(projects),
    )
    reporter = next(c for c in roster.cadres_of(unit.code) if c.full_time or unit.code == "LD")
    due = month.due_date(config.monthly.report_due_day)
    basic = {"reporter": reporter.name, "reporter_phone": _phone(rng),
             "reported_on": due - dt.timedelta(days=rng.randint(0, 4))}
    march = month == Month(2024, 3)
    name = monthly_template_name(unit, month)
    wb = build_monthly_template(spec)
    if march and unit.code == TRADITIONAL_HEADER:
        rename_header(wb, "leads", "total_investment", "計劃總投資（萬元）")
        rename_header(wb, "leads", "stage", "項目階段")
        rename_header(wb, "contacts", "company", "企業名稱")
        rows["leads"].append({**_extra_lead(rng, unit, roster, month), "stage": "簽約",
                              "signed_on": dt.date(2024, 3, 18)})
    if march and unit.code == TEXT_AMOUNTS:
        extra = _extra_lead(rng, unit, roster, month)
        second = _extra_lead(rng, unit, roster, month)
        rows["leads"] += [{**extra, "total_investment": "500万", "fixed_assets": "300万元"},
                          {**second, "total_investment": "1,200万元", "fixed_assets": 800}]
    if march and unit.code in SAME_PROJECT:
        cadre = roster.cadres_of(unit.code)[0].name
        rows["leads"].append({
            "project_name": "年产5万吨果蔬深加工项目", "funding": "内资", "sector": "工业",
            "subsector": "农副产品深加工", "total_investment": 6000, "fixed_assets": 4200, "stage": "洽谈",
            "provider": cadre, "investor_location": "苏州市", **SAME_PROJECT[unit.code]})
    if march and unit.code == BAD_PHONE and rows["contacts"]:
        rows["contacts"][0]["phone"] = "1380013800"
    if march and unit.code == LATE_FILE:
        basic["reported_on"] = due + dt.timedelta(days=4)
    if march and unit.code == RENAMED_FILE[0]:
        name = RENAMED_FILE[1]
    fill_workbook(wb, basic, rows)
    files = [_save(wb, folder / name)]
    if march and unit.code == DUPLICATE:
        # The unit sends a corrected file a day later, with one more investor met.
        basic2 = {**basic, "reported_on": basic["reported_on"] + dt.timedelta(days=1)}
        wb2 = build_monthly_template(spec)
        extra = month_rows(rng, unit, roster, month)["contacts"][:1]
        rows2 = {"contacts": rows["contacts"] + [{**extra[0], "seq": len(rows["contacts"]) + 1}] if extra
                 else rows["contacts"], "leads": rows["leads"]}
        fill_workbook(wb2, basic2, rows2)
        files.append(_save(wb2, folder / name.replace(".xlsx", "(更正).xlsx")))
    if march and unit.code == CORRUPT:
        data = files[0].read_bytes()
        files[0].write_bytes(data[: len(data) * 2 // 5])
    if march and unit.code == LOCK_FILE:
        lock = folder / f"~${name}"
        lock.write_bytes(b"\x0cWPS Office user".ljust(165, b"\x00"))
        files.append(lock)
    return files


def _extra_lead(rng: random.Random, unit: Unit, roster: Roster, month: Month) -> dict[str, Any]:
    while True:
        lead = month_rows(rng, unit, roster, month)["leads"]
        if lead:
            return {k: v for k, v in lead[0].items() if k != "seq"}


def _save(wb: Any, path: Path) -> Path:
    write_atomic(path, lambda tmp: wb.save(tmp))
    make_reproducible(path, ZIP_TIME)
    return path


def main(argv: list[str]) -> None:
    dest = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "samples"
    files = build_samples(dest)
    print(f"wrote {len(files)} files into {dest}")


if __name__ == "__main__":
    main(sys.argv)
