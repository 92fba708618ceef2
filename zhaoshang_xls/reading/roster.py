"""Reading the 目标责任表: units and cadres, every problem an issue (docs/rules.md, 目标责任表)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from zhaoshang_xls import schema
from zhaoshang_xls.config import year_in_range
from zhaoshang_xls.errors import RosterError
from zhaoshang_xls.issues import Issue, Level, has_errors
from zhaoshang_xls.reading.table import Row, Table, read_table
from zhaoshang_xls.reading.workbook import RawSheet, read_workbook
from zhaoshang_xls.roster import Cadre, Roster, Unit


def read_roster(path: Path) -> tuple[Roster, list[Issue]]:
    """Read 目标责任表 and check it; returns the roster and every issue found (not raised)."""
    file = path.name
    try:
        sheets = read_workbook(path)
    except Exception as exc:
        issue = Issue("F01", Level.ERROR, f"无法打开目标责任表：{exc}。请确认它是正常的 .xlsx 文件。", file)
        return Roster((), ()), [issue]
    issues: list[Issue] = []
    tables = {}
    for spec in schema.ROSTER_SHEETS:
        raw = _find_sheet(sheets, spec)
        if raw is None:
            issues.append(Issue("S01", Level.ERROR, f"缺少工作表“{spec.name}”。", file, spec.name))
            continue
        table = read_table(raw, spec, file)
        issues += table.issues
        tables[spec.key] = table
    if "units" not in tables or "cadres" not in tables:
        return Roster((), ()), issues
    _examples(tables.values(), file, issues)
    rows = _units(tables["units"].rows, file, issues)
    units = _one_per_code(rows)
    # A unit row with an error of its own is still the unit its people belong to: no second,
    # false T02 for each of them.
    listed = {r.values["unit_code"] for r in tables["units"].rows if r.values.get("unit_code")}
    cadres = _cadres(tables["cadres"].rows, listed, units, file, issues)
    yearly = any(u.year is not None for u in rows)
    return Roster(tuple(units), tuple(cadres), tuple(rows) if yearly else ()), issues


def load_roster(path: Path, year: int | None) -> tuple[Roster, list[Issue]]:
    """Like :func:`read_roster`, but errors make it unusable: raise :class:`RosterError`; the
    roster of ``year`` (``None``: every unit, to tell units apart)."""
    if not path.exists():
        raise RosterError(f"找不到目标责任表 {path.name}：请用 zsxls init 生成后填写。")
    roster, issues = read_roster(path)
    if has_errors(issues):
        errors = [i for i in issues if i.level is Level.ERROR]
        raise RosterError(f"目标责任表 {path.name} 有 {len(errors)} 处错误，请修改后重试：", issues)
    return roster.for_year(year), issues


def _examples(tables: Iterable[Table], file: str, issues: list[Issue]) -> None:
    """T10: an example row ``zsxls init`` wrote (its name ends in the 示例 mark) is still there."""
    for table in tables:
        key = "unit_name" if table.sheet.key == schema.ROSTER_UNITS.key else "name"
        for row in table.rows:
            if schema.is_example_name(row.values.get(key)):
                issues.append(Issue(
                    "T10", Level.ERROR,
                    f"第 {row.excel_row} 行是 zsxls init 写入的示例（“{row.values[key]}”）：请改为本区的真实内容"
                    f"（去掉“{schema.EXAMPLE_MARK}”）或删除整行。",
                    file, table.sheet.name, row.cells.get(key)))


def _find_sheet(sheets: dict[str, RawSheet], spec: schema.Sheet) -> RawSheet | None:
    for name, raw in sheets.items():
        if schema.sheet_by_name((spec,), name) is spec:
            return raw
    return None


def _positive_or_none(value: object) -> object:
    return value if value else None


def _units(rows: list[Row], file: str, issues: list[Issue]) -> list[Unit]:
    """Every 单位 row read (one per 单位编码 and 年度; a blank 年度 is every other year)."""
    units: list[Unit] = []
    seen: dict[tuple[str, int | None], int] = {}
    kinds: dict[str, tuple[str, int]] = {}
    col = schema.ROSTER_UNITS.column
    for row in rows:
        if row.rejected:
            continue
        v = row.values
        code, year = v["unit_code"], v.get("year")
        if year is not None and not year_in_range(year):
            issues.append(Issue("R03", Level.ERROR, f"“{col('year').name}”应为四位年份（现为 {year}），"
                                                    "不填则每年适用。", file, schema.ROSTER_UNITS.name,
                                row.cells.get("year")))
            continue
        if (code, year) in seen:
            which = f"（年度 {year}）" if year is not None else ""
            issues.append(Issue(
                "T01", Level.ERROR,
                f"{col('unit_code').name} {code}{which} 与第 {seen[code, year]} 行重复；"
                "每个单位的编码必须唯一（各年度目标不同时，每个年度一行）。",
                file, schema.ROSTER_UNITS.name, row.cells["unit_code"],
            ))
            continue
        seen[code, year] = row.excel_row
        if code in kinds and kinds[code][0] != v["unit_type"]:
            issues.append(Issue(
                "T09", Level.ERROR,
                f"{code} 在第 {kinds[code][1]} 行是“{kinds[code][0]}”，本行是“{v['unit_type']}”："
                "同一单位各年度的类型必须相同。",
                file, schema.ROSTER_UNITS.name, row.cells.get("unit_type"),
            ))
            continue
        kinds.setdefault(code, (str(v["unit_type"]), row.excel_row))
        _no_silent_zero(v, row, file, issues)
        units.append(Unit(
            code=code,
            name=v["unit_name"],
            type=v["unit_type"],
            group=v.get("group") or v["unit_type"],
            target_amount=_positive_or_none(v.get("target_amount")),  # type: ignore[arg-type]
            target_projects=_positive_or_none(v.get("target_projects")),  # type: ignore[arg-type]
            headcount=v.get("headcount"),
            village_cadres=v.get("village_cadres"),
            focus=v.get("focus", ""),
            email=v.get("email"),
            year=year,
        ))
    return units


def _one_per_code(rows: list[Unit]) -> list[Unit]:
    """Each unit once: its row without a 年度, else its latest year's (see ``Roster.for_year``)."""
    best: dict[str, Unit] = {}
    for u in rows:
        held = best.get(u.code)
        if held is None or (held.year is not None and (u.year is None or u.year > held.year)):
            best[u.code] = u
    return list(best.values())


def _no_silent_zero(v: dict[str, object], row: Row, file: str, issues: list[Issue]) -> None:
    """T06 / T07: a 村 or 部门 whose penalty would be 0 or whose completion cannot be computed, silently."""
    sheet, col = schema.ROSTER_UNITS.name, schema.ROSTER_UNITS.column
    kind, name = v["unit_type"], v["unit_name"]
    people = {schema.UNIT_DEPARTMENT: "headcount", schema.UNIT_VILLAGE: "village_cadres"}.get(str(kind))
    if people is not None and not v.get(people):
        issues.append(Issue("T06", Level.WARNING,
                            f"{name} 的“{col(people).name}”未填或为 0：年终未完成目标时扣罚按 0 人计为 0 元；"
                            "请填写实际人数。",
                            file, sheet, row.cells.get(people)))
    if people is not None and not v.get("target_amount") and not v.get("target_projects"):
        issues.append(Issue("T07", Level.WARNING,
                            f"{name} 没有填写年度目标（“{col('target_amount').name}”“{col('target_projects').name}”）："
                            "没有目标就没有完成率，也不扣罚；请填写年初签订的目标。",
                            file, sheet, row.cells.get("target_amount")))


def _cadres(rows: list[Row], listed: set[str], units: list[Unit], file: str,
            issues: list[Issue]) -> list[Cadre]:
    sheet = schema.ROSTER_CADRES.name
    cadres: list[Cadre] = []
    codes: dict[str, int] = {}
    names: dict[tuple[str, str], int] = {}
    for row in rows:
        v = row.values
        code, name, unit_code = v.get("cadre_code"), v.get("name"), v.get("unit_code")
        if row.rejected:
            # An unknown rank or an empty cell is already an R0x issue; what the rest of the row
            # says wrong is told too, so that one pass lists every problem.
            if unit_code and unit_code not in listed:
                issues.append(_unknown_unit(name or code or "", unit_code, file, sheet, row))
            if code and code in codes:
                issues.append(_duplicate_code(code, codes[code], file, sheet, row))
            elif code:
                codes[code] = row.excel_row
            continue
        code, name, unit_code = v["cadre_code"], v["name"], v["unit_code"]  # required: present when not rejected
        if code in codes:
            issues.append(_duplicate_code(code, codes[code], file, sheet, row))
            continue
        codes[code] = row.excel_row
        if unit_code not in listed:
            issues.append(_unknown_unit(name, unit_code, file, sheet, row))
            continue
        if (unit_code, name) in names:
            issues.append(Issue(
                "T03", Level.ERROR,
                f"{unit_code} 单位内已有同名人员 {name}（第 {names[(unit_code, name)]} 行）；"
                "同一单位内姓名须唯一，可在姓名后加区分，如“张伟（大）”。",
                file, sheet, row.cells["name"],
            ))
            continue
        names[(unit_code, name)] = row.excel_row
        cadres.append(Cadre(code, name, unit_code, v["rank"], v.get("full_time") == "是"))
    same_name: dict[str, list[Cadre]] = defaultdict(list)
    for c in cadres:
        same_name[schema.name_key(c.name)].append(c)
    for group in same_name.values():
        if len({c.unit_code for c in group}) > 1:
            where = "、".join(f"{c.unit_code} {c.code}" for c in group)
            issues.append(Issue("T08", Level.WARNING,
                                f"{group[0].name} 在多个单位重名（{where}）：项目的招引责任人写这个名字时，"
                                "按登记项目的单位的那一位计；别的单位的项目请在姓名后加区分，如“张伟（招商局）”。",
                                file, sheet, None))
    full_time = Counter(c.unit_code for c in cadres if c.full_time)
    by_unit: dict[str, int] = defaultdict(int)
    for c in cadres:
        by_unit[c.unit_code] += 1
    for unit in units:
        if unit.type == schema.UNIT_LEADERSHIP:
            continue
        count = full_time[unit.code]
        if count == 0 or count > 2:
            issues.append(Issue(
                "T04", Level.WARNING,
                f"{unit.name}（{unit.code}）有 {count} 名专职招商人员；按要求每个村、单位应明确 1-2 名。",
                file, sheet, None,
            ))
    return cadres


def _duplicate_code(code: str, first_row: int, file: str, sheet: str, row: Row) -> Issue:
    return Issue("T05", Level.ERROR,
                 f"{schema.ROSTER_CADRES.column('cadre_code').name} {code} 与第 {first_row} 行重复。",
                 file, sheet, row.cells.get("cadre_code"))


def _unknown_unit(name: str, unit_code: str, file: str, sheet: str, row: Row) -> Issue:
    return Issue("T02", Level.ERROR,
                 f"{name} 的所属单位 {unit_code} 不在“{schema.ROSTER_UNITS.name}”表中，请核对编码。",
                 file, sheet, row.cells.get("unit_code"))
