"""``zsxls init``: a new workspace."""

from __future__ import annotations

from pathlib import Path

from zhaoshang_xls import schema
from zhaoshang_xls.config import CONFIG_FILE, render_config
from zhaoshang_xls.errors import WorkspaceError
from zhaoshang_xls.fileio import write_text_atomic
from zhaoshang_xls.reports.templates import write_roster_template
from zhaoshang_xls.workspace import open_workspace


def init_workspace(folder: Path) -> list[Path]:
    """Create a new workspace: commented zsxls.toml, 目标责任表.xlsx, 输出/ and .zsxls/.

    Refuses to touch a folder that already holds a zsxls.toml or a 目标责任表.
    """
    existing = [p.name for p in (folder / CONFIG_FILE, folder / schema.ROSTER_FILE) if p.exists()]
    if existing:
        raise WorkspaceError(
            f"{folder} 中已有 {'、'.join(existing)}，不会覆盖。如需重新开始，请换一个空文件夹。"
        )
    folder.mkdir(parents=True, exist_ok=True)
    written = [
        write_text_atomic(folder / CONFIG_FILE, render_config()),
        write_roster_template(folder / schema.ROSTER_FILE, example=True),
    ]
    workspace = open_workspace(folder)
    workspace.output_dir.mkdir(exist_ok=True)
    workspace.ensure_state_dir()
    _ = workspace.secret
    return written
