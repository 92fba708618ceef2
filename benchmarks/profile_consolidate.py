"""Where consolidate spends its time: cProfile over one run on a benchmark workspace.

    python benchmarks/profile_consolidate.py            # the 150-file workspace of bench_scale.py
    python benchmarks/profile_consolidate.py --files 1500 --top 40

Run ``bench_scale.py`` once first (it makes the workspaces). Prints the functions of ours and of
the libraries sorted by cumulative time; what this showed is how consolidate got near the floor.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=150)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--receipts", action="store_true", help="write receipts too")
    args = parser.parse_args()
    source = HERE / ".cache" / str(args.files)
    if not (source / ".complete").exists():
        sys.exit(f"no workspace in {source}: run python benchmarks/bench_scale.py --files {args.files} first")
    from zhaoshang_xls.periods import Month
    from zhaoshang_xls.usecases.month import consolidate_month
    from zhaoshang_xls.workspace import open_workspace

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "ws"
        shutil.copytree(source, root, ignore=shutil.ignore_patterns("输出", "ledger.sqlite", "archive"))
        workspace = open_workspace(root)
        profiler = cProfile.Profile()
        profiler.enable()
        consolidate_month(workspace, root / "2024-03", Month(2024, 3), receipts=args.receipts,
                          today=dt.date(2024, 4, 10))
        profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
