"""Make ASCII , : ; ( ) next to Chinese full-width in the package's user-facing strings (the rule and
what it leaves alone: tests/typography.py). Usage: python scripts/fullwidth.py [FILE ...]"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.typography import rewrite  # noqa: E402


def main(args: list[str]) -> None:
    files = [Path(a) for a in args] or sorted((REPO / "zhaoshang_xls").rglob("*.py"))
    for path in files:
        if count := rewrite(path):
            print(f"{path.relative_to(REPO) if path.is_absolute() else path}: {count}")


if __name__ == "__main__":
    main(sys.argv[1:])
