"""Exception hierarchy: user-facing messages are Simplified Chinese.

Exit codes (README): 0 all accepted; 1 done, some files or rows rejected; 2 usage or
configuration error; 3 the environment stopped it (ledger busy, mailbox unreachable, disk full,
output locked); 4 internal error (a bug).
"""

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


class EnvironmentProblem(ZsxlsError):
    """Something outside zsxls stopped the run; nothing half-done was left."""

    exit_code = 3


class OutputError(EnvironmentProblem):
    """An output file cannot be written (locked by Excel, no permission, disk full)."""


class LedgerBusy(EnvironmentProblem):
    """Another zsxls held the ledger for longer than we wait; nothing was changed."""

    def __init__(self, waited_seconds: int) -> None:
        super().__init__(f"台账正被另一个 zsxls 使用(等待 {waited_seconds} 秒仍未释放)。请等它完成后再运行;"
                         "台账没有被改动。")


class MailboxError(EnvironmentProblem):
    """The mailbox of ``zsxls collect imap`` cannot be reached or read."""


class LedgerUnavailable(EnvironmentProblem):
    """The ledger's disk is full or its database refuses to write; the transaction was rolled back."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"无法写入台账({reason}):请腾出磁盘空间或检查数据库后重新运行;本次写入已整体撤销,"
                         "台账保持运行前的样子。")
