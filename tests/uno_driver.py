"""Drive a headless LibreOffice through UNO, as a person would: run with the system Python that
has ``uno`` (Debian: python3-uno), not the project's interpreter.

    /usr/bin/python3 tests/uno_driver.py JOB.json

JOB is {"fill": {...}}; the result is printed as one JSON object.

fill:    {"src", "typed": [[sheet, cell, text]], "unhide": [sheet], "save": [[path, filter]],
          "keyboard": [[sheet, cell, text]]}. "typed" text is parsed by Calc's own input parser
         in a zh-CN profile (dates, thousands separators); "keyboard" text is typed through the
         view, where sheet protection applies (last, and nothing is saved after it). Reports
         each cell's value afterwards.

It imports nothing from the project (the system Python has none of its dependencies).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

_TEXT_FORMAT = 256  # com.sun.star.util.NumberFormat.TEXT
_LOCALE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>zh-CN</value></prop></item>
</oor:items>
"""


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


class Office:
    """One headless soffice with a private zh-CN profile, reached through a named pipe."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="zsxls-lo-")
        os.makedirs(os.path.join(self.profile, "user"))
        with open(os.path.join(self.profile, "user", "registrymodifications.xcu"), "w", encoding="utf-8") as f:
            f.write(_LOCALE)
        pipe = f"zsxls_uno_{os.getpid()}"
        self.proc = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
             f"-env:UserInstallation=file://{self.profile}", f"--accept=pipe,name={pipe};urp;"],
            env={"HOME": self.profile, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.time() + 60
        while True:
            try:
                self.ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("LibreOffice did not start") from None
                time.sleep(0.2)
        smgr = self.ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        self.dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", self.ctx)

    def open(self, path):
        """Open a private copy (LibreOffice's lock file goes next to it, never next to ``path``)."""
        copy = os.path.join(tempfile.mkdtemp(dir=self.profile), os.path.basename(path))
        shutil.copyfile(path, copy)
        doc = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(copy), "_blank", 0,
                                                (_prop("Hidden", True),))
        if doc is None:
            raise RuntimeError(f"LibreOffice could not load {path}")
        return doc

    def close(self):
        with contextlib.suppress(Exception):  # terminate() may drop the bridge before it answers
            self.desktop.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _value(cell):
    kind = cell.getType().value
    if kind == "VALUE":
        return {"number": cell.getValue(), "shown": cell.getString()}
    return {"text": cell.getString()}


def _enter(office, doc, sheet_name, address, text):
    """Enter ``text`` the way Calc parses typed input: its own number parser with the cell's
    number format (the zh-CN locale of the profile) decides whether it is a number or a date; a
    text-formatted cell keeps the text. (Driving the view with .uno:EnterString for many cells
    makes a headless LibreOffice 7.4 abort in a timer; see ``_type``.)"""
    cell = doc.Sheets.getByName(sheet_name).getCellRangeByName(address)
    if doc.NumberFormats.getByKey(cell.NumberFormat).Type & _TEXT_FORMAT:
        cell.setString(text)
        return _value(cell)
    formatter = office.ctx.ServiceManager.createInstanceWithContext("com.sun.star.util.NumberFormatter", office.ctx)
    formatter.attachNumberFormatsSupplier(doc)
    try:
        number = formatter.convertStringToNumber(cell.NumberFormat, text)
    except Exception:  # not a number in this locale: Calc keeps it as text
        cell.setString(text)
    else:
        cell.setValue(number)
    return _value(cell)


def _type(office, doc, sheet_name, address, text):
    """Type into the selected cell through the view (.uno:EnterString), as a person does:
    sheet protection applies. Used for a few cells only (see ``_enter``)."""
    ctrl = doc.getCurrentController()
    sheet = doc.Sheets.getByName(sheet_name)
    ctrl.setActiveSheet(sheet)
    cell = sheet.getCellRangeByName(address)
    ctrl.select(cell)
    office.dispatcher.executeDispatch(ctrl.getFrame(), ".uno:EnterString", "", 0, (_prop("StringName", text),))
    return _value(cell)


def fill(office, job):
    doc = office.open(job["src"])
    out = {f"{s}!{a}": _enter(office, doc, s, a, text) for s, a, text in job.get("typed", [])}
    for sheet_name in job.get("unhide", []):
        doc.Sheets.getByName(sheet_name).IsVisible = True
    for path, filter_name in job.get("save", []):
        _store(doc, path, filter_name)
    out["keyboard"] = [_type(office, doc, s, a, text) for s, a, text in job.get("keyboard", [])]
    return out


def _store(doc, path, filter_name):
    doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(path)), (_prop("FilterName", filter_name),))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    office = Office()
    try:
        result = {"fill": fill(office, job["fill"])}
    finally:
        office.close()
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
