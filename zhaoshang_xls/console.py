"""The CLI's console side: error messages and exit codes, progress bars, and the summaries
commands print (all console wording; ``cli`` holds the commands)."""

from __future__ import annotations

import errno
import json
import os
import sys
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from zhaoshang_xls.errors import RosterError, ZsxlsError
from zhaoshang_xls.issues import Level

T = TypeVar("T")
INTERNAL_ERROR = 4
# errno values that mean the machine, not zsxls, stopped the run (exit 3)
_ENVIRONMENT = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO, errno.ENOENT,
                errno.EMFILE, errno.ENFILE}


def tolerant_streams() -> None:
    """Let stdout and stderr print anything: a character the console's encoding cannot show (an
    emoji in a file name on a GBK console, ``PYTHONIOENCODING=gbk``) becomes ``?``, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


class Group(click.Group):
    """Turns zsxls errors and click usage errors into Chinese messages and exit codes."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        tolerant_streams()
        return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.UsageError as exc:
            click.echo(f"用法错误:{usage_message(exc)}", err=True)
            click.echo(f"运行 {exc.ctx.command_path if exc.ctx else ctx.command_path} --help 查看用法。", err=True)
            raise click.exceptions.Exit(2) from None
        except ZsxlsError as exc:
            click.echo(str(exc), err=True)
            for issue in exc.issues if isinstance(exc, RosterError) else []:
                click.echo(f"  {issue.render()}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            click.echo("已中断:未完成的输出已丢弃,已有文件保持不变。", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:  # the reader of our output went away (``zsxls … | head``): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit((ctx.obj or {}).get("exit_code", 0)) from None
        except OSError as exc:
            if exc.errno not in _ENVIRONMENT:
                raise internal(ctx) from None
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(f"无法读写文件{where}({exc.strerror}):请腾出磁盘空间、检查权限或恢复该文件后重新运行同一命令。"
                       "已记入台账的数据重新运行时会整体替换,不会重复计入;已结算的奖励不会重复结算。", err=True)
            raise click.exceptions.Exit(3) from None
        except Exception:
            raise internal(ctx) from None


def internal(ctx: click.Context) -> click.exceptions.Exit:
    if ctx.obj and ctx.obj.get("verbose"):
        traceback.print_exc()
    click.echo("程序内部错误(这是 zsxls 的缺陷)。请加 --verbose 重新运行,并把输出发给维护人员。", err=True)
    for note in getattr(sys.exc_info()[1], "__notes__", ()):  # the state things are in (usecases say it)
        click.echo(note, err=True)
    return click.exceptions.Exit(INTERNAL_ERROR)


def usage_message(exc: click.UsageError) -> str:
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        return f"缺少参数 {exc.param.human_readable_name}。"
    if isinstance(exc, click.NoSuchOption):
        return f"没有选项 {exc.option_name}。"
    if isinstance(exc, click.BadParameter):
        return f"参数 {exc.param.human_readable_name if exc.param is not None else ''} 的值无效:{exc.message}"
    if exc.message.startswith("No such command"):
        return f"没有这个命令:{exc.message.split(' ', 3)[-1].strip('.')}。"
    return exc.message


def track(items: Sequence[T], description: str) -> Iterable[T]:
    """A progress bar (count, time left) on stderr when it is a terminal; plain iteration otherwise."""
    if not sys.stderr.isatty():
        return iter(items)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    def run() -> Iterable[T]:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("剩余"),
                      TimeRemainingColumn(), transient=True, console=Console(stderr=True)) as bar:
            yield from bar.track(items, description=description)

    return run()


def reading(month: Any) -> Any:
    return lambda files: track(files, f"读取 {month.label} 报表")


def shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def announcer(err: bool = False) -> Any:
    """Say, as soon as it is done, each month a command consolidated first (the ledger changed)."""

    def announce(result: Any) -> None:
        why = (f"{result.month.label} 上次汇总后报表未写完(程序被中断)" if result.redone
               else f"台账中没有 {result.month.label}")
        click.echo(f"{why},已先汇总:读取 {len(result.submissions)} 个文件,"
                   f"接收 {result.count('accepted')} 个。", err=err)

    return announce


def notes(lines: Sequence[str]) -> None:
    """Warnings a command found (on stderr: the output proper stays on stdout)."""
    for line in lines:
        click.echo(f"  {line}", err=True)


def print_rebuilt(rebuilt: Any) -> None:
    """What ``zsxls rebuild`` did (usecases.month.Rebuilt)."""
    for result in rebuilt.results:
        click.echo(f"{result.month.label}:重新读取 {len(result.submissions)} 个存档文件,"
                   f"接收 {result.count('accepted')} 个。")
    if rebuilt.damaged_kept is not None:
        click.echo(f"损坏的台账文件已改名留存为 {rebuilt.damaged_kept.name}。")
    if rebuilt.carried_from == "存档导出":
        click.echo("项目编号登记、已结算的奖励、甄别结论和税收已从存档中的导出恢复。")
    if rebuilt.note:
        click.echo(f"注意:{rebuilt.note}", err=True)
    click.echo(f"台账已重建,共 {len(rebuilt.results)} 个月。报表可用 zsxls consolidate 重新生成。")


def no_data_note(scores: Any) -> None:
    if scores.months_without_data:
        click.echo("注意:" + "、".join(m.label for m in scores.months_without_data)
                   + " 台账中没有数据(不计目标、不扣分);收齐后请先 zsxls consolidate 再重新评比。")


def print_late(result: Any) -> None:
    if result.late:
        click.echo("迟报:" + "、".join(f"{s.unit.code}({s.basis} {s.received:%m月%d日},截止日 {s.due:%m月%d日})"
                                       for s in result.late))


def print_result(result: Any, root: Path, as_json: bool, closing: str) -> None:
    from zhaoshang_xls.usecases.month import RECEIPTS_DIR, json_report

    if as_json:
        click.echo(json.dumps(json_report(result), ensure_ascii=False, indent=2))
        return
    subs = result.submissions
    errors = sum(i.level is Level.ERROR for s in subs for i in s.issues)
    warnings = sum(i.level is Level.WARNING for s in subs for i in s.issues)
    click.echo(f"{result.month.label}:读取 {len(subs)} 个文件,接收 {result.count('accepted')} 个,"
               f"退回 {result.count('rejected')} 个,重复报送作废 {result.count('superseded')} 个;"
               f"错误 {errors} 处,警告 {warnings} 处。")
    if result.missing:
        click.echo("未收到可用报表(未报送或被退回):" + "、".join(f"{u.code} {u.name}" for u in result.missing))
    print_late(result)
    for sub in subs:
        if sub.status == "rejected":
            click.echo(f"  退回 {sub.name}:{next(i for i in sub.issues if i.level is Level.ERROR).render()}")
    for note in result.notes:
        click.echo(note)
    for name, count in result.screening_read:
        click.echo(f"甄别表 {name}:已读入 {count} 条甄别结论。")
    for issue in result.screening_issues:
        click.echo(f"  甄别表 {issue.file}:{issue.render()}")
    receipts = [p for p in result.outputs if RECEIPTS_DIR in p.parts]
    for path in result.outputs:
        if path not in receipts:
            click.echo(f"已写出 {shown(path, root)}")
    if receipts:
        click.echo(f"已写出 {len(receipts)} 份回执到 {shown(receipts[0].parent, root)}")
    click.echo(closing)


def workspace_option(func: Any) -> Any:
    """``-w/--workspace`` accepted after the command too (``zsxls template 2024-03 -w samples``)."""

    def remember(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
        if value is not None:
            ctx.ensure_object(dict)["workspace"] = value

    return click.option("-w", "--workspace", type=click.Path(path_type=Path, file_okay=False), expose_value=False,
                        callback=remember, help="工作目录(含 zsxls.toml 的文件夹);不指定则从当前目录向上查找。")(func)


def month_folder_options(func: Any) -> Any:
    """MONTH_DIR, ``--month``, ``--json`` and ``-w`` (consolidate and status)."""
    for decorate in reversed((
        click.argument("month_dir", type=click.Path(path_type=Path, file_okay=False)),
        click.option("--month", "month_text", metavar="MONTH", help="文件夹名看不出月份时指定,如 2024-03。"),
        click.option("--json", "as_json", is_flag=True, help="改为输出一个 JSON 对象(供其他程序使用)。"),
        workspace_option, click.pass_context,
    )):
        func = decorate(func)
    return func
