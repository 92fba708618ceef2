"""No silent zeros (docs/rules.md, 目标责任表 and 扣罚): every figure that would be 0 for lack of
data is a warning where the clerk sees it, and the 年终考核 line says why."""

from __future__ import annotations

import datetime as dt

from tests.cli.test_annual import MONEY_KEYS, read_sheet
from tests.factory import lead, make_file
from zhaoshang_xls.fileio import write_atomic
from zhaoshang_xls.periods import Month
from zhaoshang_xls.reports.templates import build_roster_template
from zhaoshang_xls.workspace import Workspace

UNITS = (
    {"unit_code": "LD", "unit_name": "区领导班子", "unit_type": "区领导", "group": "区领导"},
    {"unit_code": "C01", "unit_name": "东湖村", "unit_type": "村", "group": "村", "target_amount": 3000,
     "village_cadres": 5},
    {"unit_code": "C02", "unit_name": "西塘村", "unit_type": "村", "group": "村", "village_cadres": 4},
    {"unit_code": "D01", "unit_name": "招商局", "unit_type": "部门", "group": "部门", "target_amount": 20000,
     "headcount": 12},
    {"unit_code": "D02", "unit_name": "农村工作组", "unit_type": "部门", "group": "部门", "target_amount": 1000},
)
CADRES = (
    {"cadre_code": "R001", "name": "王建国", "unit_code": "LD", "rank": "区领导", "full_time": "否"},
    {"cadre_code": "R002", "name": "李秀英", "unit_code": "C01", "rank": "一般", "full_time": "是"},
    {"cadre_code": "R003", "name": "张伟", "unit_code": "D01", "rank": "中层", "full_time": "是"},
    {"cadre_code": "R004", "name": "张伟", "unit_code": "D02", "rank": "中层", "full_time": "是"},
    {"cadre_code": "R005", "name": "赵敏", "unit_code": "C02", "rank": "一般", "full_time": "是"},
)


def test_missing_roster_figures_warn_and_the_year_end_says_why(workspace: Workspace, run) -> None:
    ws = workspace
    write_atomic(ws.roster_path, lambda tmp: build_roster_template(UNITS, CADRES).save(tmp))
    made = run(["template", "2024-03"], cwd=ws.root)
    assert made.exit_code == 0, made.output
    assert "T06" in made.stderr and "农村工作组 的“在编人数”未填或为 0" in made.stderr
    assert "T07" in made.stderr and "西塘村 没有填写年度目标" in made.stderr
    assert "T08" in made.stderr and "张伟 在多个单位重名" in made.stderr

    mar = Month(2024, 3)
    make_file(ws, "C01", mar, rows={"leads": [lead("冷链仓储项目", "苏州冷链物流有限公司", "李秀英",
                                                   dt.date(2024, 3, 5), 800, fixed_assets=600, stage="签约",
                                                   signed_on=dt.date(2024, 3, 9), introducer="张伟")]})
    assert run(["consolidate", str(ws.root / "2024-03")], cwd=ws.root).exit_code == 0
    year_end = run(["annual", "2024"], cwd=ws.root)
    assert year_end.exit_code == 0, year_end.output
    assert "招引责任人“张伟”在目标责任表中重名（D01 R003、D02 R004）" in year_end.output
    assert "不在目标责任表中" not in year_end.output
    path = ws.root / "输出" / "2024_年终考核.xlsx"
    rows = {r["对象编码"]: r for r in read_sheet(path, "扣罚明细", MONEY_KEYS["扣罚明细"])}
    assert rows["D02"]["扣罚金额(元)"] == 0 and "未填在编人员人数，扣罚为 0" in rows["D02"]["计算依据"]


def test_a_progress_row_without_id_or_fixed_assets_is_warned(workspace: Workspace, run) -> None:
    ws = workspace
    apr = Month(2024, 4)
    make_file(ws, "C01", apr, rows={"progress": [{"project_name": "启用前报过的厂房项目", "stage": "签约",
                                                  "signed_on": dt.date(2024, 4, 2)}]})
    result = run(["check", str(ws.root / "2024-04")], cwd=ws.root)
    assert "R17" in result.output and "其中固定资产投资(万元)" in result.output
    make_file(ws, "C01", apr, rows={"progress": [{"project_name": "启用前报过的厂房项目", "stage": "签约",
                                                  "signed_on": dt.date(2024, 4, 2), "fixed_assets": 1200}]})
    fixed = run(["consolidate", str(ws.root / "2024-04")], cwd=ws.root)
    assert fixed.exit_code == 0 and "R17" not in fixed.output
    info = read_sheet(_annual(run, ws), "信息奖", MONEY_KEYS["信息奖"])
    assert [r["奖励金额(元)"] for r in info] == [3000]  # 1,200 万元: the 1,000.01–3,000 band


def _annual(run, ws: Workspace):
    assert run(["annual", "2024"], cwd=ws.root).exit_code == 0
    return ws.root / "输出" / "2024_年终考核.xlsx"
