"""Exception hierarchy: user-facing messages are Simplified Chinese.

Exit codes (README): 0 all accepted; 1 done, some files or rows rejected; 2 usage or
configuration error; 3 the environment stopped it (ledger busy, mailbox unreachable, disk full,
output locked, ledger damaged); 4 internal error (a bug).
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
        super().__init__(f"台账正被另一个 zsxls 使用（等待 {waited_seconds} 秒仍未释放）。请等它完成后再运行；"
                         "台账没有被改动。")


class LedgerReplaced(EnvironmentProblem):
    """``zsxls rebuild`` put a new ledger in place while this run had the old one open."""

    def __init__(self) -> None:
        super().__init__("台账在本次运行期间被 zsxls rebuild 重建，本次没有写入任何内容。请重新运行同一命令。")


class LedgerMissing(EnvironmentProblem):
    """The default ledger file is gone but the archive shows the workspace was used."""

    def __init__(self, path: str) -> None:
        super().__init__(f"台账文件 {path} 不见了，而存档中有以前汇总的数据。请运行 zsxls rebuild 从存档重建台账"
                         "（已结算的奖励、甄别结论等从存档中的导出恢复）；不要在空台账上继续，以免奖励重复发放。")


class MailboxError(EnvironmentProblem):
    """The mailbox of ``zsxls collect imap`` cannot be reached or read."""


class LedgerUnavailable(EnvironmentProblem):
    """The ledger cannot be opened or written (disk full, read-only, a folder that is not there, a
    server that cannot be reached); a write under way was rolled back, nothing was changed."""

    def __init__(self, reason: str, advice: str = "请腾出磁盘空间或检查数据库", *, opening: bool = False) -> None:
        if opening:
            super().__init__(f"无法打开台账（{reason}）：{advice}。台账没有被改动，改正后重新运行即可。")
        else:
            super().__init__(f"无法写入台账（{reason}）：{advice}后重新运行；本次写入已整体撤销，"
                             "台账保持运行前的样子。")


class LedgerDamaged(EnvironmentProblem):
    """The ledger's SQLite file is damaged (not a database, or malformed pages): found on opening
    it nothing was changed; found later, the write under way was rolled back.

    ``rebuilding``: said by ``zsxls rebuild`` itself, which cannot carry over what only the
    damaged file holds, so the way out is a backup or moving the file aside first.
    """

    def __init__(self, path: str, reason: str, *, opening: bool = True, rebuilding: bool = False) -> None:
        self.path, self.reason = path, reason
        if rebuilding:
            super().__init__(
                f"现有台账 {path} 已损坏（{reason}），其中只存于台账的项目编号登记、已结算的奖励、甄别结论和税收"
                "无法读出，所以没有重建，该文件保持原样。请从备份恢复该文件后再运行 zsxls rebuild；没有备份时，"
                "把它改名留存（如 ledger.damaged.sqlite）后再运行 zsxls rebuild：月报数据从存档重建，上述数据"
                "无法恢复，再次 zsxls annual --finalize 之前请先核对已发放的奖励，以免重复发放。")
        else:
            super().__init__(
                f"台账文件 {path} 已损坏（{reason}），无法读写；"
                f"{'本次没有改动台账' if opening else '未完成的写入已整体撤销'}。请运行 zsxls rebuild "
                "从存档重建台账（.zsxls/archive 中的月报文件按月重新汇总，能读出的项目编号登记、已结算的奖励、"
                "甄别结论和税收原样保留），或从备份恢复该文件。")
