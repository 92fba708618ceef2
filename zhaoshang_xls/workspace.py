"""The clerk's workspace: finding it, its folders, its configuration and template secret."""

from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from zhaoshang_xls import schema
from zhaoshang_xls.config import CONFIG_FILE, Config, load_config
from zhaoshang_xls.errors import WorkspaceError
from zhaoshang_xls.fileio import hide, remove_stale_temp

STATE_DIR = ".zsxls"
OUTPUT_DIR = "输出"
SECRET_FILE = "secret"


@dataclass
class Workspace:
    root: Path
    config: Config = field(repr=False)

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def output_dir(self) -> Path:
        return self.root / OUTPUT_DIR

    @property
    def roster_path(self) -> Path:
        return self.root / schema.ROSTER_FILE

    def template_dir(self, period: str) -> Path:
        return self.output_dir / "模板" / period

    def ensure_state_dir(self) -> Path:
        """Create ``.zsxls/`` readable by its owner only (it holds personal data and the secret)."""
        self.state_dir.mkdir(mode=0o700, exist_ok=True)
        os.chmod(self.state_dir, stat.S_IRWXU)
        hide(self.state_dir)  # a dot-name hides it everywhere but on Windows
        return self.state_dir

    @cached_property
    def secret(self) -> bytes:
        """The per-workspace key that signs template tokens; created on first use."""
        path = self.state_dir / SECRET_FILE
        if not path.exists():
            self.ensure_state_dir()
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32))
        return path.read_text(encoding="ascii").strip().encode("ascii")


def find_workspace(start: Path | None = None, explicit: Path | None = None) -> Workspace:
    """The workspace given by ``-w``, else the first folder upward from ``start`` with zsxls.toml."""
    if explicit is not None:
        root = explicit.resolve()
        if not (root / CONFIG_FILE).is_file():
            raise WorkspaceError(f"{explicit} 不是 zsxls 工作目录（其中没有 {CONFIG_FILE}）；可用 zsxls init 创建。")
        return open_workspace(root)
    here = (start or Path.cwd()).resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return open_workspace(folder)
    raise WorkspaceError(
        f"在 {here} 及其上级目录中找不到 {CONFIG_FILE}：请在工作目录中运行，"
        "或用 -w 指定工作目录，或先用 zsxls init 创建。"
    )


def open_workspace(root: Path) -> Workspace:
    """The workspace at ``root``; temporary files a killed zsxls left there are removed first."""
    workspace = Workspace(root, load_config(root / CONFIG_FILE))
    remove_stale_temp(root)
    return workspace
