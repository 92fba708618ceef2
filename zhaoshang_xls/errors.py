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


class LedgerBusy(ZsxlsError):
    """Another zsxls held the ledger for longer than we wait; nothing was changed."""

    exit_code = 2

    def __init__(self, waited_seconds: int) -> None:
        super().__init__(f"台账正被另一个 zsxls 使用(等待 {waited_seconds} 秒仍未释放)。请等它完成后再运行;"
                         "台账没有被改动。")


class MailboxError(ZsxlsError):
    """The mailbox of ``zsxls collect imap`` cannot be reached or read."""

    exit_code = 2
