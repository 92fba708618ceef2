"""A real office suite in tests: headless LibreOffice (UNO through the system Python) and poppler.

Tests that need it take the ``office`` fixture: they are skipped where LibreOffice is missing,
except when ``ZSXLS_REQUIRE_OFFICE=1`` (set by ``.ci/run``), where a missing suite fails them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.helpers import unavailable

DRIVER = Path(__file__).with_name("uno_driver.py")
SYSTEM_PYTHON = "/usr/bin/python3"
CJK_FONTS = re.compile(r"WenQuanYi|WQY|Noto ?Sans ?CJK|Noto ?Serif ?CJK|Source ?Han|SimSun|NSimSun|AR ?PL"
                       r"|Droid ?Sans ?Fallback", re.IGNORECASE)


def missing() -> list[str]:
    """What this machine lacks for the office tests (empty: all there)."""
    lacks = [tool for tool in ("soffice", "pdftotext", "pdffonts", "pdfinfo", "pdftoppm") if not shutil.which(tool)]
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run([SYSTEM_PYTHON, "-c", "import uno"],
                                                          capture_output=True).returncode:
        lacks.append("python3-uno")
    return lacks


def require() -> None:
    lacks = missing()
    if lacks:
        unavailable("ZSXLS_REQUIRE_OFFICE", "LibreOffice tests need: " + ", ".join(lacks))


def run_uno(job: dict[str, Any]) -> dict[str, Any]:
    """Run tests/uno_driver.py on ``job`` with the system Python; its JSON result."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(job, f, ensure_ascii=False)
    try:
        done = subprocess.run([SYSTEM_PYTHON, str(DRIVER), f.name], capture_output=True, text=True, timeout=300,
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"})
    finally:
        os.unlink(f.name)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def to_pdf(files: list[Path], out_dir: Path) -> dict[Path, Path]:
    """Convert every file with one headless LibreOffice; source -> PDF. A file LibreOffice could
    not load has no PDF (``--convert-to`` exits 0 all the same)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", "--headless", "--norestore", "--nolockcheck",
                        f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf", "--outdir", str(out_dir),
                        *map(str, files)],
                       capture_output=True, timeout=600, env={"HOME": profile, "LANG": "C.UTF-8",
                                                               "PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    return {f: out_dir / f"{f.stem}.pdf" for f in files}


@dataclass
class Pdf:
    pages: list[str]  # the text of each page, laid out
    sizes: list[tuple[float, float]]  # points
    fonts: list[str]


def read_pdf(path: Path) -> Pdf:
    def run(*args: str) -> str:
        return subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout

    text = run("pdftotext", "-layout", str(path), "-")
    pages = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    info = run("pdfinfo", "-f", "1", "-l", "9999", str(path))
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    fonts = [line.split()[0] for line in run("pdffonts", str(path)).splitlines()[2:] if line.strip()]
    return Pdf(pages, sizes, fonts)
