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
from typing import Any, ClassVar, TypeVar

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


class HelpFormatter(click.HelpFormatter):
    """click's help in Chinese: 用法 / 选项 / 命令 instead of click's English headings."""

    HEADINGS: ClassVar[dict[str, str]] = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{self.HEADINGS.get(heading, heading)}：\n")


class Context(click.Context):
    formatter_class = HelpFormatter


# What each command's exit codes mean (errors.py defines them; README 退出码 tells the same).
_ONE: dict[str, str] = {
    "consolidate": "有文件或行被退回（其余照常汇总）",
    "check": "有文件将被退回",
    "status": "有单位未报送或被退回",
    "screen": "有甄别结论未读入",
    "annual": "税收台账有错误",
}
_COMMON = (
    ("2", "用法、配置或目标责任表有错误，什么也没做"),
    ("3", "运行环境阻止了它（台账被占用或损坏、磁盘满、无写权限、文件正在 Excel/WPS 中打开），已有文件不变"),
    ("4", "程序内部错误（请加 -v 重新运行，把输出发给维护人员）"),
    ("130", "被中断（Ctrl+C），未完成的输出已丢弃"),
)


def exit_codes(command: str) -> list[tuple[str, str]]:
    """(code, meaning) for each exit code ``command`` can end with."""
    one = [("1", f"已完成，但{_ONE[command]}")] if command in _ONE else []
    return [("0", "完成"), *one, *_COMMON]


def _chinese_help_option(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = "显示帮助并退出。"
    return option


def _usage_exit(exc: click.UsageError, path: str) -> click.exceptions.Exit:
    click.echo(f"用法错误：{usage_message(exc)}", err=True)
    click.echo(f"运行 {exc.ctx.command_path if exc.ctx else path} --help 查看用法。", err=True)
    return click.exceptions.Exit(2)


class Command(click.Command):
    """A zsxls command: Chinese help, its exit codes at the end of ``--help``."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        with formatter.section("退出码"):
            formatter.write_dl(exit_codes(self.name or ""))


class Group(click.Group):
    """Turns zsxls errors and click usage errors into Chinese messages and exit codes."""

    context_class = Context
    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        tolerant_streams()
        return super().main(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _chinese_help_option(super().get_help_option(ctx))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:  # an unknown option before the command (``zsxls --bogus``)
            raise _usage_exit(exc, ctx.command_path) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.UsageError as exc:
            raise _usage_exit(exc, ctx.command_path) from None
        except ZsxlsError as exc:
            click.echo(str(exc), err=True)
            for issue in exc.issues if isinstance(exc, RosterError) else []:
                click.echo(f"  {issue.render()}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            click.echo("已中断：未完成的输出已丢弃，已有文件保持不变。", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:  # the reader of our output went away (``zsxls … | head``): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit((ctx.obj or {}).get("exit_code", 0)) from None
        except OSError as exc:
            if exc.errno not in _ENVIRONMENT:
                raise internal(ctx) from None
            where = f" {exc.filename}" if exc.filename else ""
            click.echo(f"无法读写文件{where}（{exc.strerror}）：请腾出磁盘空间、检查权限或恢复该文件后重新运行同一命令。"
                       "已记入台账的数据重新运行时会整体替换，不会重复计入；已结算的奖励不会重复结算。", err=True)
            raise click.exceptions.Exit(3) from None
        except Exception:
            raise internal(ctx) from None


def internal(ctx: click.Context) -> click.exceptions.Exit:
    if ctx.obj and ctx.obj.get("verbose"):
        traceback.print_exc()
    click.echo("程序内部错误（这是 zsxls 的缺陷）。请加 --verbose 重新运行，并把输出发给维护人员。", err=True)
    for note in getattr(sys.exc_info()[1], "__notes__", ()):  # the state things are in (usecases say it)
        click.echo(note, err=True)
    return click.exceptions.Exit(INTERNAL_ERROR)


def usage_message(exc: click.UsageError) -> str:
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        return f"缺少参数 {exc.param.human_readable_name}。"
    if isinstance(exc, click.NoSuchOption):
        maybe = f"是不是要用 {'、'.join(sorted(exc.possibilities))}？" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}。{maybe}"
    if isinstance(exc, click.BadParameter):
        return f"参数 {exc.param.human_readable_name if exc.param is not None else ''} 的值无效：{exc.message}"
    if exc.message.startswith("No such command"):
        return f"没有这个命令：{exc.message.split(' ', 3)[-1].strip('.')}。"
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
        why = (f"{result.month.label} 上次汇总后报表未写完（程序被中断）" if result.redone
               else f"台账中没有 {result.month.label}")
        click.echo(f"{why}，已先汇总：读取 {len(result.submissions)} 个文件，"
                   f"接收 {result.count('accepted')} 个。", err=err)

    return announce


def notes(lines: Sequence[str]) -> None:
    """Warnings a command found (on stderr: the output proper stays on stdout)."""
    for line in lines:
        click.echo(f"  {line}", err=True)


def print_rebuilt(rebuilt: Any) -> None:
    """What ``zsxls rebuild`` did (usecases.month.Rebuilt)."""
    for result in rebuilt.results:
        click.echo(f"{result.month.label}：重新读取 {len(result.submissions)} 个存档文件，"
                   f"接收 {result.count('accepted')} 个。")
    if rebuilt.damaged_kept is not None:
        click.echo(f"损坏的台账文件已改名留存为 {rebuilt.damaged_kept.name}。")
    if rebuilt.carried_from == "存档导出":
        click.echo("项目编号登记、已结算的奖励、甄别结论和税收已从存档中的导出恢复。")
    if rebuilt.note:
        click.echo(f"注意：{rebuilt.note}", err=True)
    click.echo(f"台账已重建，共 {len(rebuilt.results)} 个月。报表可用 zsxls consolidate 重新生成。")


def no_data_note(scores: Any) -> None:
    if scores.months_without_data:
        click.echo("注意：" + "、".join(m.label for m in scores.months_without_data)
                   + " 台账中没有数据（不计目标、不扣分）；收齐后请先 zsxls consolidate 再重新评比。")


def print_late(result: Any) -> None:
    if result.late:
        click.echo("迟报：" + "、".join(f"{s.unit.code}（{s.basis} {s.received:%m月%d日}，截止日 {s.due:%m月%d日}）"
                                       for s in result.late))


def print_result(result: Any, root: Path, as_json: bool, closing: str) -> None:
    from zhaoshang_xls.usecases.month import RECEIPTS_DIR, json_report

    if as_json:
        click.echo(json.dumps(json_report(result), ensure_ascii=False, indent=2))
        return
    subs = result.submissions
    errors = sum(i.level is Level.ERROR for s in subs for i in s.issues)
    warnings = sum(i.level is Level.WARNING for s in subs for i in s.issues)
    click.echo(f"{result.month.label}：读取 {len(subs)} 个文件，接收 {result.count('accepted')} 个，"
               f"退回 {result.count('rejected')} 个，重复报送作废 {result.count('superseded')} 个；"
               f"错误 {errors} 处，警告 {warnings} 处。")
    if result.missing:
        click.echo("未收到可用报表（未报送或被退回）：" + "、".join(f"{u.code} {u.name}" for u in result.missing))
    print_late(result)
    for line in filter(None, map(file_line, subs)):
        click.echo(line)
    for note in result.notes:
        click.echo(note)
    for name, count in result.screening_read:
        click.echo(f"甄别表 {name}：已读入 {count} 条甄别结论。")
    for issue in result.screening_issues:
        click.echo(f"  甄别表 {issue.file}：{issue.render()}")
    receipts = [p for p in result.outputs if RECEIPTS_DIR in p.parts]
    for path in result.outputs:
        if path not in receipts:
            click.echo(f"已写出 {shown(path, root)}")
    if receipts:
        click.echo(f"已写出 {len(receipts)} 份回执到 {shown(receipts[0].parent, root)}")
    click.echo(closing)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], indent: int = 2) -> None:
    """Print columns aligned by display width (a Chinese character is two columns wide): rich's
    table, without borders, every cell plain text (a unit's ``[red]`` is shown as typed)."""
    import io
    import shutil

    from rich.console import Console
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    grid = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
    for head in headers:
        grid.add_column(Text(head), no_wrap=True)
    for row in rows:
        grid.add_row(*(Text("" if v is None else str(v)) for v in row))
    width = shutil.get_terminal_size((400, 24)).columns if sys.stdout.isatty() else 400
    buffer = io.StringIO()
    Console(file=buffer, width=width, no_color=True, color_system=None, highlight=False,
            emoji=False, legacy_windows=False).print(Padding(grid, (0, 0, 0, indent)))
    for line in buffer.getvalue().splitlines():
        if line.strip():
            click.echo(line.rstrip())


def print_status(result: Any, root: Path, as_json: bool) -> None:
    """``zsxls status``: one row per unit, aligned."""
    from zhaoshang_xls import schema

    if as_json:
        print_result(result, root, True, "")
        return
    click.echo(f"{result.month.label} 报送情况（截止日 {result.due:%Y-%m-%d}）：")
    rows = []
    for s in result.states:
        note = s.reason or ""
        if s.state == schema.LATE and s.modified:
            note = f"文件修改时间 {s.modified:%m-%d %H:%M}（仅供参考）{'；' + note if note else ''}"
        rows.append((s.unit.code, s.unit.name, s.state, s.file or "", note))
    table(("编码", "名称", "状态", "文件", "说明"), rows)
    counts = {k: sum(s.state == k for s in result.states) for k in schema.UNIT_STATES}
    click.echo("合计：" + "，".join(f"{k} {v}" for k, v in counts.items()) + "。")
    if result.outputs:
        click.echo(f"催报文字和邮件草稿已写到 {shown(result.outputs[0].parent, root)}"
                   f"（共 {len(result.outputs)} 个文件）。")


def print_check(result: Any, root: Path, as_json: bool) -> None:
    """``zsxls check``: each file's verdict and its issues (all errors; warnings when few)."""
    if as_json:
        print_result(result, root, True, "")
        return
    label = {"accepted": "可接收", "rejected": "将被退回", "superseded": "重复报送"}
    for sub in result.submissions:
        click.echo(f"{sub.name}：{label[sub.status]}（{sub.unit_code or '单位未识别'}）")
        for issue in sub.issues:
            if issue.level is Level.ERROR or len(sub.issues) <= 10:
                click.echo(f"  {issue.render()}")
    print_late(result)
    folders = "、".join(sorted({shown(p.parent, root) for p in result.outputs}))
    click.echo(f"共 {len(result.submissions)} 个文件；回执已写到 {folders or '—'}。台账未改动。")


def file_line(sub: Any) -> str | None:
    """One console line for a file with problems: for a rejected file its first error and how many
    more; else its warnings counted by code (the receipt tells each one)."""
    from collections import Counter

    from zhaoshang_xls.issues import CATALOGUE

    errors = [i for i in sub.issues if i.level is Level.ERROR]
    if sub.status == "rejected" and errors:
        more = f"（另有 {len(errors) - 1} 处错误，见回执）" if len(errors) > 1 else ""
        return f"  退回 {sub.name}：{errors[0].render()}{more}"
    warnings = Counter(i.code for i in sub.issues if i.level is Level.WARNING)
    if not warnings:
        return None
    kinds = "、".join(f"{code} {CATALOGUE.get(code, '')} {n} 处" for code, n in sorted(warnings.items()))
    return f"  {sub.name}：警告 {sum(warnings.values())} 处（{kinds}），详见回执。"


def collect_summary(result: Any, folder: Path, root: Path, log_name: str) -> None:
    """What ``zsxls collect`` saved, skipped and ignored."""
    import unicodedata

    def plain(text: str) -> str:  # a mailer's name or address, without control characters (no terminal tricks)
        return "".join("?" if unicodedata.category(ch).startswith("C") else ch for ch in text)

    for att, path, unit in result.saved:
        who = f"{unit} " if unit and not path.name.startswith(unit) else ""  # no "C02 C02_西湖村…"
        click.echo(f"已保存 {who}{path.name}（来自 {plain(att.sender) or '未知发件人'}，附件“{plain(att.name)}”）")
    for att, path in result.reserved:
        click.echo(f"注意：附件“{plain(att.name)}”（来自 {plain(att.sender) or '未知发件人'}）与 zsxls 自用的文件"
                   f"（收件记录、线索甄别表、税收台账、目标责任表）同名，已改名保存为 {path.name}，"
                   "请核对它是什么文件。")
    for att, existing in result.relogged:
        click.echo(f"补记收件记录：{existing}（文件已在文件夹中、收件记录里却没有，如上次运行中断；"
                   f"按来自 {plain(att.sender) or '未知发件人'} 的这封邮件补记）")
    for att, existing in result.skipped:
        click.echo(f"跳过“{plain(att.name)}”（来自 {plain(att.sender)}）：与已有的 {existing} 内容相同。")
    for what, why in result.ignored:
        click.echo(f"忽略 {plain(what)}：{why}")
    relogged = f"，补记收件记录 {len(result.relogged)} 条" if result.relogged else ""
    click.echo(f"读取 {result.mails} 封邮件，保存 {len(result.saved)} 个文件，跳过 {len(result.skipped)} 个重复文件"
               f"{relogged}；收件记录在 {shown(folder / log_name, root)}。")


def emit_json(payload: object) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def print_quarterly(ranked: Any, root: Path, as_json: bool) -> None:
    from zhaoshang_xls.compute.quarterly import show
    from zhaoshang_xls.usecases.rankings import json_scores

    if as_json:
        emit_json(json_scores(ranked))
        return
    units = ranked.scores.units
    for group in dict.fromkeys(u.group for u in units):
        top = [u for u in units if u.group == group and u.rank == 1]
        click.echo(f"{group}：第一名 " + "、".join(f"{u.unit_name}（{show(u.total)} 分）" for u in top))
    no_data_note(ranked.scores)
    click.echo(f"已写出 {shown(ranked.path, root)}")


def print_halfyear(ranked: Any, root: Path, as_json: bool) -> None:
    from zhaoshang_xls.usecases.rankings import json_scores

    if as_json:
        emit_json(json_scores(ranked))
        return
    click.echo(ranked.half.summary if ranked.half else "")
    no_data_note(ranked.scores)
    click.echo(f"已写出 {shown(ranked.path, root)}")


def print_annual(run: Any, year: int, finalize: bool, root: Path, as_json: bool) -> None:
    from zhaoshang_xls import schema
    from zhaoshang_xls.usecases.annual import json_annual

    if as_json:
        emit_json(json_annual(run))
        return
    a = run.annual
    for label, lines in {"信息奖": a.info, "引进项目奖": a.intro, "财税分成奖": a.tax_share}.items():
        click.echo(f"{label}：{len(lines)} 笔，应发 {sum(m.payable for m in lines):,.2f} 元")
    vetoed = [u.code for u in a.units if u.deduction and u.deduction.veto]
    click.echo(f"扣罚：{len(a.deductions)} 项，合计 {sum(d.amount for d in a.deductions):,.2f} 元；"
               f"一票否决 {len(vetoed)} 个单位。")
    if run.tax_book is None:
        click.echo(f"工作目录中没有 {schema.TAX_FILE}，财税分成奖只按台账中已结算年度的税收计算"
                   "（可用 zsxls template --tax 生成）。")
    for issue in run.tax_issues:
        click.echo(f"  税收台账：{issue.render()}", err=issue.level is Level.ERROR)
    for note in a.notes:
        click.echo(f"  注意：{note}")
    for path in run.outputs:
        click.echo(f"已写出 {shown(path, root)}")
    if finalize:
        click.echo(f"已结算：本次记入台账 {run.recorded} 笔奖励；再次结算不会重复发放。")
    else:
        settled = "奖励未结算" if run.ledger_changed else "台账未改动"
        click.echo(f"以上为测算，{settled}；确认无误后运行 zsxls annual {year} --finalize 结算。")


def json_option(func: Any) -> Any:
    return click.option("--json", "as_json", is_flag=True,
                        help="改为输出一个 JSON 对象（供其他程序使用，见 README）。")(func)


def workspace_option(func: Any) -> Any:
    """``-w/--workspace`` accepted after the command too (``zsxls template 2024-03 -w samples``)."""

    def remember(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
        if value is not None:
            ctx.ensure_object(dict)["workspace"] = value

    return click.option("-w", "--workspace", type=click.Path(path_type=Path, file_okay=False), expose_value=False,
                        callback=remember,
                        help="工作目录（含 zsxls.toml 的文件夹）；不指定则从当前目录向上查找。")(func)


def month_folder_options(func: Any) -> Any:
    """MONTH_DIR, ``--month``, ``--json`` and ``-w`` (consolidate and status)."""
    for decorate in reversed((
        click.argument("month_dir", type=click.Path(path_type=Path, file_okay=False)),
        click.option("--month", "month_text", metavar="MONTH", help="文件夹名看不出月份时指定，如 2024-03。"),
        json_option, workspace_option, click.pass_context,
    )):
        func = decorate(func)
    return func
