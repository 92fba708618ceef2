"""Write the blank standard templates committed under ``templates/``.

    python scripts/make_templates.py          # rewrites templates/
    python scripts/make_templates.py OUT_DIR  # writes elsewhere (a test compares the two)

The blank monthly template has no unit or month prefilled (and so no token); the files a
unit receives come from ``zsxls template MONTH``. A test fails when templates/ differs in
content from what this script makes, so run it after changing the schema or the generator.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from zhaoshang_xls.config import DEFAULT
from zhaoshang_xls.fileio import make_reproducible, write_atomic
from zhaoshang_xls.reports.templates import (
    MonthlyTemplate,
    build_monthly_template,
    build_roster_template,
    build_tax_template,
)

GENERATED_AT = dt.datetime(2024, 1, 1)
FILES = {
    "月报表_空白模板.xlsx": lambda: build_monthly_template(MonthlyTemplate(DEFAULT, generated_at=GENERATED_AT)),
    "税收台账_空白模板.xlsx": lambda: build_tax_template(DEFAULT, 2024, generated_at=GENERATED_AT),
    "目标责任表_示例.xlsx": lambda: build_roster_template(generated_at=GENERATED_AT, example=True),
}


def build_templates(dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in FILES.items():
        wb = build()
        path = write_atomic(dest / name, lambda tmp, wb=wb: wb.save(tmp))
        make_reproducible(path)
        written.append(path)
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "templates"
    for path in build_templates(out):
        print(f"wrote {path}")
