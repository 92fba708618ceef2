"""Text helpers shared by writers: display width counting East-Asian wide characters as 2."""

from __future__ import annotations

import re
import unicodedata


def display_width(text: str) -> int:
    """Columns a string takes in a spreadsheet cell: CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def safe_filename(text: str) -> str:
    """A file-name part without characters Windows refuses."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._") or "_"
