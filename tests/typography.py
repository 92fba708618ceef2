"""Chinese typography of the text zsxls writes (docs/architecture.md, 用户可见文字): ASCII , : ; ( )
next to Chinese become full-width ，：；（）. Used by tests/stages/test_typography.py to scan every
string literal of the package and by scripts/fullwidth.py to rewrite them.

Left alone: docstrings and raw strings (developer text, regular expressions), the stable headers
of the templates and reports (“累计签约引资(万元)”: scripts read them), and what sits inside an
f-string's replacement fields.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}
# A header with a unit in brackets, kept as scripts read it: 奖励金额(元), 合计(个), 引进项目奖(元/).
HEADER = re.compile(r"^[\w\u4e00-\u9fff·/、\0]+\([\w\u4e00-\u9fff/%]{1,8}\)$")
REGEX_HINTS = ("\\d", "\\s", "\\w", "(?", "[^", ".*", "\\(", "\\)", "\\.")
FIELD = "\0"  # an f-string replacement field, as one neutral character


def is_chinese(ch: str) -> bool:
    return len(ch) == 1 and ("\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
            or ch in "“”‘’…—")


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _pairs(text: str) -> dict[int, int]:
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            pairs[j], pairs[i] = i, j
    return pairs


def fix(text: str) -> str:
    """``text`` (fields as FIELD) with ASCII punctuation next to Chinese made full-width; in a
    Chinese sentence, also a , or ; between fields or at its end (“{a},{b}”, “{basis};”)."""
    while (done := _fix_once(text)) != text:  # a mark made full-width makes its neighbour Chinese
        text = done
    if any(is_chinese(c) for c in text):
        out = list(text)
        for i, ch in enumerate(text):
            if ch in ",;" and all(n in (FIELD, "") for n in (_neighbour(text, i, -1)[:1] or "",)) \
                    and _neighbour(text, i, 1) in (FIELD, ""):
                out[i] = FULL[ch]
        text = "".join(out)
    return text


def _fix_once(text: str) -> str:
    out = list(text)
    pairs = _pairs(text)
    for i, ch in enumerate(text):
        if ch not in FULL:
            continue
        if ch in "()" and i in pairs:
            a, b = sorted((i, pairs[i]))
            inside = text[a + 1:b]
            if any(is_chinese(c) for c in inside) or is_chinese(_neighbour(text, a, -1)) \
                    or is_chinese(_neighbour(text, b, 1)):
                out[i] = FULL[ch]
            continue
        if ch == ":" and text[i + 1:i + 3] == "//":
            continue  # a URL
        if is_chinese(_neighbour(text, i, -1)) or is_chinese(_neighbour(text, i, 1)) \
                or (ch in "()" and (is_chinese(_neighbour(text, i, -1)) or is_chinese(_neighbour(text, i, 1)))):
            out[i] = FULL[ch]
    return "".join(out)


def _split_fstring(body: str) -> tuple[str, list[str]]:
    """The literal text of an f-string body with each ``{field}`` replaced by FIELD, and the fields."""
    text, fields, i, depth, start = [], [], 0, 0, 0
    while i < len(body):
        ch = body[i]
        if depth == 0 and body.startswith(("{{", "}}"), i):
            text.append(body[i:i + 2])
            i += 2
            continue
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                fields.append(body[start:i + 1])
                text.append(FIELD)
        elif depth == 0:
            text.append(ch)
        i += 1
    return "".join(text), fields


def _join_fstring(text: str, fields: list[str]) -> str:
    it = iter(fields)
    return "".join(next(it) if ch == FIELD else ch for ch in text)


def _skipped_lines(source: str, docstrings: bool) -> set[int]:
    """Lines of docstrings (unless they are read by users: ``docstrings``), and of the header
    arguments of schema columns ``C(key, header, …)``."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if not docstrings and isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) \
                and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                lines.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "C":
            for arg in node.args[1:2]:
                lines.add(arg.lineno)
            for kw in node.keywords:
                if kw.arg in ("synonyms", "example"):
                    lines.update(range(kw.value.lineno, (kw.value.end_lineno or kw.value.lineno) + 1))
    return lines


def literals(source: str, docstrings: bool = False) -> Iterator[tuple[tokenize.TokenInfo, str, str, str]]:
    """Each string token that holds user-facing Chinese: (token, prefix, quote, body); ``docstrings``:
    those too (a command's docstring is its ``--help``)."""
    skipped = _skipped_lines(source, docstrings)
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type != tokenize.STRING or tok.start[0] in skipped:
            continue
        m = re.match(r"^([a-zA-Z]*)('''|\"\"\"|'|\")(.*)\2$", tok.string, re.DOTALL)
        if m is None:
            continue
        prefix, quote, body = m.groups()
        if "r" in prefix.lower() or "b" in prefix.lower() or not any(is_chinese(c) for c in body):
            continue
        if any(h in body for h in REGEX_HINTS):
            continue
        if HEADER.match(_split_fstring(body)[0] if "f" in prefix.lower() else body):
            continue
        yield tok, prefix, quote, body


def fixed_body(prefix: str, body: str) -> str:
    if "f" in prefix.lower():
        text, fields = _split_fstring(body)
        return _join_fstring(fix(text), fields)
    return fix(body)


def user_docstrings(path: Path) -> bool:
    """Whether the docstrings of ``path`` are shown to users (click turns cli.py's into ``--help``)."""
    return path.name == "cli.py"


def rewrite(path: Path) -> int:
    """Rewrite ``path`` in place; returns the number of literals changed."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    changes = []
    for tok, prefix, quote, body in literals(source, user_docstrings(path)):
        new = fixed_body(prefix, body)
        if new != body:
            changes.append((tok, f"{prefix}{quote}{new}{quote}"))
    for tok, text in reversed(changes):  # from the end: earlier positions stay valid
        (r1, c1), (r2, c2) = tok.start, tok.end
        head, tail = lines[r1 - 1][:c1], lines[r2 - 1][c2:]
        lines[r1 - 1:r2] = [head + text + tail]
    if changes:
        path.write_text("".join(lines), encoding="utf-8")
    return len(changes)


def offenders(path: Path) -> list[tuple[int, str]]:
    """(line, literal) of each literal that still has ASCII punctuation next to Chinese."""
    source = path.read_text(encoding="utf-8")
    return [(tok.start[0], tok.string[:80]) for tok, prefix, _q, body in literals(source, user_docstrings(path))
            if fixed_body(prefix, body) != body]
