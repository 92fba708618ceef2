"""Scale benchmark: N filled monthly files, the raw-read floor, the naive pandas script, and
``zsxls consolidate`` end to end, side by side.

    python benchmarks/bench_scale.py                 # N = 150 and 1,500, three runs each
    python benchmarks/bench_scale.py --files 150 --repeat 1

The files are made through the real templates and filler from a fixed seed (a city of N units,
three cadres each, realistic rows) and kept in ``benchmarks/.cache/`` so later runs skip that.
Each task runs in its own process, so its peak memory is its own; the median wall time of the
runs is printed with the ratios the targets are stated in:
  c/a  consolidate without receipts ÷ floor      (target ≤ 4)
  b/c  naive script ÷ consolidate without receipts (target ≥ 10)
  receipts: the extra time per file they cost      (target ≤ 10 ms)
  linear: the time for the largest N ÷ the time for the smallest, against N's ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
SEED = 20240601
MONTH = "2024-03"
TASKS = ("floor", "naive", "consolidate", "no_receipts")
LABELS = {
    "floor": "(a) python-calamine reads every cell",
    "naive": "(b) pandas.read_excel(openpyxl) + concat",
    "consolidate": "(c) zsxls consolidate",
    "no_receipts": "(c') zsxls consolidate --no-receipts",
}


def _samples_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_samples", HERE.parent / "scripts" / "make_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_workspace(n: int) -> Path:
    """``benchmarks/.cache/<n>/``: a workspace with n units and their filled files for MONTH."""
    from zhaoshang_xls.config import DEFAULT, render_config
    from zhaoshang_xls.fileio import write_atomic
    from zhaoshang_xls.periods import Month
    from zhaoshang_xls.reading.roster import read_roster
    from zhaoshang_xls.reports.templates import build_roster_template
    from zhaoshang_xls.workspace import SECRET_FILE, STATE_DIR

    root = CACHE / str(n)
    done = root / ".complete"
    if done.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    (root / STATE_DIR).mkdir(parents=True)
    (root / STATE_DIR / SECRET_FILE).write_text(f"bench-{SEED}", encoding="ascii")
    (root / "zsxls.toml").write_text(render_config(DEFAULT), encoding="utf-8")
    samples = _samples_script()
    rng = random.Random(SEED)
    used: set[str] = set()
    units = [{"unit_code": f"C{i:04d}", "unit_name": f"第{i}村", "unit_type": "村", "group": "村",
              "target_amount": 3000, "target_projects": 1, "village_cadres": 5} for i in range(1, n + 1)]
    cadres = [{"cadre_code": f"R{3 * i + k:05d}", "name": samples._name(rng, used), "unit_code": u["unit_code"],
               "rank": "一般", "full_time": "是" if k < 2 else "否"} for i, u in enumerate(units) for k in range(3)]
    wb = build_roster_template(units, cadres)
    write_atomic(root / "目标责任表.xlsx", lambda tmp: wb.save(tmp))
    roster, _ = read_roster(root / "目标责任表.xlsx")
    month = Month(2024, 3)
    folder = root / MONTH
    folder.mkdir()
    samples.SECRET = f"bench-{SEED}"
    started = time.perf_counter()
    for k, unit in enumerate(roster.units, start=1):
        samples._unit_files(rng, DEFAULT, roster, unit, month, folder, [])
        if k % 100 == 0:
            print(f"  generated {k}/{n} files ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    done.write_text(dt.datetime.now().isoformat(), encoding="ascii")
    return root


# --- the tasks, each run in a fresh process ------------------------------------------------------


def task_floor(root: Path) -> int:
    from python_calamine import CalamineWorkbook

    n = 0
    for path in sorted((root / MONTH).glob("*.xlsx")):
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            n += len(wb.get_sheet_by_name(name).to_python())
    return n


def task_naive(root: Path) -> int:
    import pandas as pd

    frames: dict[str, list[Any]] = {}
    for path in sorted((root / MONTH).glob("*.xlsx")):
        for name, frame in pd.read_excel(path, sheet_name=None, engine="openpyxl").items():
            frames.setdefault(name, []).append(frame.assign(_file=path.name))
    return sum(len(pd.concat(f, ignore_index=True)) for f in frames.values())


def _consolidate(root: Path, receipts: bool) -> int:
    from zhaoshang_xls.periods import Month
    from zhaoshang_xls.usecases.month import consolidate_month
    from zhaoshang_xls.workspace import open_workspace

    with tempfile.TemporaryDirectory() as scratch:
        ws_root = Path(scratch) / "ws"
        shutil.copytree(root, ws_root, ignore=shutil.ignore_patterns("输出", "ledger.sqlite", "archive"))
        started = time.perf_counter()
        result = consolidate_month(open_workspace(ws_root), ws_root / MONTH, Month(2024, 3), receipts=receipts,
                                   today=dt.date(2024, 4, 10))
        _report(time.perf_counter() - started)
        return len(result.submissions)


def _report(seconds: float) -> None:
    """The measured time, when a task times only part of its process (not the copying)."""
    print(json.dumps({"seconds": seconds}), file=sys.stderr)


def run_task(task: str, root: Path) -> tuple[float, int, float]:
    """(seconds, items, peak MiB) of one run of ``task`` in a child process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--task", task, "--root", str(root)], capture_output=True,
                          text=True, check=True)
    seconds = time.perf_counter() - started
    for line in done.stderr.splitlines():
        if line.startswith('{"seconds"'):
            seconds = json.loads(line)["seconds"]
    out = json.loads(done.stdout)
    return seconds, out["items"], out["peak_mib"]


def child(task: str, root: Path) -> None:
    import_started = time.perf_counter()
    funcs = {"floor": task_floor, "naive": task_naive,
             "consolidate": lambda r: _consolidate(r, True), "no_receipts": lambda r: _consolidate(r, False)}
    items = funcs[task](root)
    if task in ("floor", "naive"):
        _report(time.perf_counter() - import_started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"items": items, "peak_mib": peak}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, nargs="+", default=[150, 1500])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--task", choices=TASKS)
    parser.add_argument("--root", type=Path)
    args = parser.parse_args()
    if args.task:
        child(args.task, args.root)
        return
    medians: dict[tuple[int, str], float] = {}
    print(f"{'files':>6}  {'task':<40}{'median s':>9}{'ms/file':>9}{'× floor':>8}{'peak MiB':>10}")
    for n in args.files:
        root = make_workspace(n)
        for task in TASKS:
            runs = [run_task(task, root) for _ in range(args.repeat)]
            seconds = statistics.median(r[0] for r in runs)
            peak = max(r[2] for r in runs)
            medians[n, task] = seconds
            ratio = seconds / medians[n, "floor"]
            print(f"{n:>6}  {LABELS[task]:<40}{seconds:>9.2f}{seconds / n * 1000:>9.1f}{ratio:>8.1f}{peak:>10.0f}")
        c, a, b = medians[n, "no_receipts"], medians[n, "floor"], medians[n, "naive"]
        receipts = (medians[n, "consolidate"] - c) / n * 1000
        print(f"{'':>6}  c/a = {c / a:.1f} (≤ 4)   b/c = {b / c:.1f} (≥ 10)   receipts = {receipts:.1f} ms/file (≤ 10)")
    if len(args.files) > 1:
        small, large = min(args.files), max(args.files)
        growth = medians[large, "no_receipts"] / medians[small, "no_receipts"]
        print(f"linear: consolidate for {large} files took {growth:.1f}× the time for {small} "
              f"(files: {large / small:.0f}×; target ≤ {large / small * 1.1:.0f}×)")


if __name__ == "__main__":
    main()
