"""报送状态 (docs/rules.md, 报送状态): one rule for every output.

``status``, ``consolidate``, receipts, 一月一交流, 一季一评比 and 年终 all call ``unit_states``, so
every unit has the same state and the same 迟报 verdict for the same month wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from zhaoshang_xls import schema
from zhaoshang_xls.records import ACCEPTED, REJECTED, Filed, UnitState
from zhaoshang_xls.roster import Roster


def received_on(filed: Filed) -> tuple[dt.date | None, str]:
    """The day a file counts as received, and which date that is: the mail's date for a file
    saved by ``zsxls collect``, else its 填报日期. The file's own time never decides (copying a
    folder changes it); with neither date the day is unknown (None, "")."""
    if filed.received is not None:
        return filed.received.date(), schema.BY_MAIL
    if filed.reported_on is not None:
        return filed.reported_on, schema.BY_FORM
    return None, ""


def is_late(filed: Filed, due: dt.date) -> bool:
    day, _basis = received_on(filed)
    return day is not None and day > due


def owner(filed: Filed, codes: Sequence[str]) -> str | None:
    """The unit a file belongs to: the one it names, else (a file too broken to say) the unit
    code its file name starts with (``C01_…``)."""
    if filed.unit_code:
        return filed.unit_code
    upper = filed.file_name.upper()
    return next((code for code in codes if upper.startswith(f"{code.upper()}_")), None)


def unit_states(roster: Roster, files: Sequence[Filed], due: dt.date) -> list[UnitState]:
    """Each roster unit's state for the month ``files`` were sent for.

    已报送 / 迟报: the unit has an accepted file (迟报 when its received day is after ``due``);
    被退回: it sent files but none was accepted; 未报送: nothing arrived, or only unfilled templates (F12).
    """
    codes = [u.code for u in roster.units]
    states = []
    for unit in roster.units:
        mine = [f for f in files if owner(f, codes) == unit.code]
        accepted = [f for f in mine if f.status == ACCEPTED]
        if accepted:
            f = accepted[0]
            day, basis = received_on(f)
            if day is None:
                label = schema.BASIC.column("reported_on").name
                states.append(UnitState(unit, schema.REPORTED, f.file_name, None, "", f.modified,
                                        f"{label}未填，无法判断是否迟报", due))
            elif day > due:
                states.append(UnitState(unit, schema.LATE, f.file_name, day, basis, f.modified,
                                        f"{basis} {day:%m月%d日}，晚于截止日 {due:%m月%d日}", due))
            else:
                states.append(UnitState(unit, schema.REPORTED, f.file_name, day, basis, f.modified, "", due))
        elif any(f.status == REJECTED and not f.blank for f in mine):
            f = next(f for f in mine if f.status == REJECTED and not f.blank)
            states.append(UnitState(unit, schema.RETURNED, f.file_name, None, "", f.modified, f.first_error, due))
        elif mine:  # only unfilled templates (F12): nothing was reported
            states.append(UnitState(unit, schema.MISSING, mine[0].file_name, None, "", mine[0].modified,
                                    "收到的是未填写的模板", due))
        else:
            states.append(UnitState(unit, schema.MISSING, due=due))
    return states


def unowned(roster: Roster, files: Sequence[Filed]) -> list[Filed]:
    """Files no roster unit can be given (listed on their own in 未报送及问题)."""
    codes = [u.code for u in roster.units]
    return [f for f in files if owner(f, codes) not in codes]
