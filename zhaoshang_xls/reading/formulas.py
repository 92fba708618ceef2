"""Formula cells saved without a computed value (SPEC R15), found in the xlsx sheet XML.

Files written by programs that do not calculate (openpyxl, some web exporters) store the
formula and no cached result; every reader then sees an empty cell. Such cells must be
reported, never read as 0.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from defusedxml import ElementTree

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb"<f[ >/]")  # a cell formula (not <formula1> of a data validation, nor <fill>)


def _col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def uncalculated_formulas(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Sheet name -> 0-based (row, col) of formula cells without a cached value (xlsx bytes)."""
    found: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
            for sheet in workbook.findall("m:sheets/m:sheet", _NS):
                target = targets.get(sheet.get(f"{{{_NS['r']}}}id"))
                if not target:
                    continue
                name = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                data = zf.read(posixpath.normpath(name))
                if not _FORMULA.search(data):
                    continue
                cells = _scan(data)
                if cells:
                    found[sheet.get("name")] = cells
    except Exception:  # a damaged zip or XML: the parser reports it
        return {}
    return found


def _scan(data: bytes) -> set[tuple[int, int]]:
    cells = set()
    for match in _CELL.finditer(data):
        body = match.group(2) or b""
        if b"<f" in body and not re.search(rb"<v>[^<]+</v>", body):
            ref = _REF.search(match.group(1))
            if ref:
                cells.add((int(ref.group(2)) - 1, _col_index(ref.group(1).decode())))
    return cells
