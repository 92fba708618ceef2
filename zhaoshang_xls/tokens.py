"""The template token: an HMAC proving a file is the template issued to one unit and month."""

from __future__ import annotations

import hashlib
import hmac

from zhaoshang_xls import schema


def template_token(secret: bytes, unit_code: str, month: str, version: str = schema.TEMPLATE_VERSION) -> str:
    """HMAC-SHA256 of ``unit|month|version`` with the workspace secret (32 hex characters)."""
    message = f"{unit_code}|{month}|{version}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def screening_token(secret: bytes, month: str) -> str:
    """HMAC-SHA256 of ``screening|month``: a 线索甄别 workbook this workspace wrote (32 hex)."""
    return hmac.new(secret, f"screening|{month}".encode(), hashlib.sha256).hexdigest()[:32]


def screening_token_matches(secret: bytes, token: str, month: str) -> bool:
    return _same(token, screening_token(secret, month))


def _same(given: str, expected: str) -> bool:
    """Constant-time comparison of a token read from a file (any text: compare_digest refuses
    non-ASCII ``str``) with the expected one."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("ascii"))


def token_matches(secret: bytes, token: str, unit_code: str, month: str, version: str) -> bool:
    return _same(token, template_token(secret, unit_code, month, version))
