"""Exception hierarchy: user-facing messages are Simplified Chinese."""

from __future__ import annotations


class ZsxlsError(Exception):
    """Base of every error zsxls raises on purpose; the CLI prints its message."""

    exit_code = 1


class UsageError(ZsxlsError):
    """A command was called wrongly (bad month, missing argument)."""

    exit_code = 2


class ConfigError(UsageError):
    """zsxls.toml is malformed: unknown key, wrong type or impossible value."""


class WorkspaceError(UsageError):
    """No workspace found, or an existing workspace would be overwritten."""


class RosterError(UsageError):
    """目标责任表 has errors that make it unusable."""

    def __init__(self, message: str, issues: list | None = None) -> None:
        super().__init__(message)
        self.issues = issues or []


class OutputError(ZsxlsError):
    """An output file cannot be written (locked by Excel, no permission, disk full)."""
