"""Benchmark on the sample workspace: templates, the raw-read floor, and consolidate.

    python benchmarks/bench_foundation.py [--repeat 3]

Prints median wall time per task and the process's peak resident memory after it. The annual
task runs ``zsxls annual 2024`` (estimate) on the whole sample year, already in the ledger.
The scale benchmark (150 / 1,500 generated files, the naive pandas script) is bench_scale.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from zhaoshang_xls.periods import Month
from zhaoshang_xls.reading.workbook import read_workbook
from zhaoshang_xls.usecases.annual import run_annual
from zhaoshang_xls.usecases.month import consolidate_month
from zhaoshang_xls.usecases.templates import write_month_templates
from zhaoshang_xls.workspace import open_workspace

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _measure(func: Callable[[], int], repeat: int) -> tuple[float, int, float]:
    times = []
    count = 0
    for _ in range(repeat):
        start = time.perf_counter()
        count = func()
        times.append(time.perf_counter() - start)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return statistics.median(times), count, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workspace = open_workspace(SAMPLES)
    files = sorted(p for p in SAMPLES.glob("2024-*/*.xlsx") if not p.name.startswith("~$"))

    def templates() -> int:
        with tempfile.TemporaryDirectory() as out:
            written, _warnings = write_month_templates(workspace, Month(2024, 5), out_dir=Path(out),
                                            now=dt.datetime(2024, 5, 1))
        return len(written)

    def read_floor() -> int:
        n = 0
        for path in files:
            try:
                read_workbook(path)
                n += 1
            except Exception:
                continue
        return n

    def consolidate() -> int:
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch) / "ws"
            shutil.copytree(SAMPLES, root, ignore=shutil.ignore_patterns("输出", "ledger.sqlite", "archive"))
            ws = open_workspace(root)
            result = consolidate_month(ws, root / "2024-03", Month(2024, 3))
        return len(result.submissions)

    annual_root = Path(tempfile.mkdtemp()) / "ws"
    shutil.copytree(SAMPLES, annual_root, ignore=shutil.ignore_patterns("输出", "ledger.sqlite", "archive"))
    annual_ws = open_workspace(annual_root)
    for folder in sorted(annual_root.glob("2024-*")):  # the year in the ledger first (not measured)
        consolidate_month(annual_ws, folder, Month(2024, int(folder.name[5:])))

    def annual() -> int:
        run = run_annual(annual_ws, 2024)
        return len(run.annual.units) + len(run.annual.cadres)

    print(f"{'task':<40}{'files':>7}{'median s':>10}{'ms/file':>9}{'peak RSS MiB':>14}")
    for name, func in (("zsxls template (one month, all units)", templates),
                       ("calamine read of every sample file", read_floor),
                       ("consolidate 2024-03 (all outputs)", consolidate),
                       ("annual 2024 (per unit or cadre)", annual)):
        seconds, count, peak = _measure(func, args.repeat)
        print(f"{name:<40}{count:>7}{seconds:>10.2f}{seconds / count * 1000:>9.1f}{peak:>14.1f}")


if __name__ == "__main__":
    main()
