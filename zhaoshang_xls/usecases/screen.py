"""``zsxls screen FILE``: the bureau's filled 线索甄别 into the ledger."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zhaoshang_xls.issues import Issue, Level
from zhaoshang_xls.ledger import open_ledger
from zhaoshang_xls.reading.roster import load_roster
from zhaoshang_xls.usecases.month import screen_into
from zhaoshang_xls.workspace import Workspace


@dataclass
class Screened:
    decisions: list[dict[str, Any]]
    issues: list[Issue] = field(default_factory=list)

    @property
    def by_verdict(self) -> Counter[str]:
        return Counter(str(d["verdict"]) for d in self.decisions)

    @property
    def has_errors(self) -> bool:
        return any(i.level is Level.ERROR for i in self.issues)


def screen_file(workspace: Workspace, path: Path) -> Screened:
    roster, _warnings = load_roster(workspace.roster_path, None)
    with open_ledger(workspace) as ledger:
        decisions, issues = screen_into(ledger, workspace, path, [u.code for u in roster.units])
    return Screened(decisions, issues)
