"""Command line: parse options, call one library function, print a short Chinese summary.

Exit codes: 0 = all done, 1 = done but something was rejected, 2 = usage/configuration error.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from zhaoshang_xls import __version__
from zhaoshang_xls.errors import RosterError, ZsxlsError

T = TypeVar("T")


class _Group(click.Group):
    """Turns zsxls errors and click usage errors into Chinese messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.UsageError as exc:
            click.echo(f"用法错误:{_usage_message(exc)}", err=True)
            command = exc.ctx.command_path if exc.ctx else ctx.command_path
            click.echo(f"运行 {command} --help 查看用法。", err=True)
            raise click.exceptions.Exit(2) from None
        except ZsxlsError as exc:
            _echo_error(exc)
            raise click.exceptions.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            click.echo("已中断:未完成的输出已丢弃,已有文件保持不变。", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:
            # The reader of our output went away (``zsxls … | head``): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise click.exceptions.Exit((ctx.obj or {}).get("exit_code", 0)) from None
        except Exception:
            if ctx.obj and ctx.obj.get("verbose"):
                traceback.print_exc()
            click.echo("程序内部错误。请加 --verbose 重新运行,并把输出发给维护人员。", err=True)
            raise click.exceptions.Exit(1) from None


def _usage_message(exc: click.UsageError) -> str:
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        return f"缺少参数 {exc.param.human_readable_name}。"
    if isinstance(exc, click.NoSuchOption):
        return f"没有选项 {exc.option_name}。"
    if isinstance(exc, click.BadParameter):
        name = exc.param.human_readable_name if exc.param is not None else ""
        return f"参数 {name} 的值无效:{exc.message}"
    if exc.message.startswith("No such command"):
        return f"没有这个命令:{exc.message.split(' ', 3)[-1].strip('.')}。"
    return exc.message


def _echo_error(exc: ZsxlsError) -> None:
    click.echo(str(exc), err=True)
    if isinstance(exc, RosterError):
        for issue in exc.issues:
            click.echo(f"  {issue.render()}", err=True)


def _track(items: Sequence[T], description: str) -> Iterable[T]:
    """A progress bar with a count and the time left, on stderr when it is a terminal; plain
    iteration otherwise."""
    if not sys.stderr.isatty():
        return iter(items)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    def run() -> Iterable[T]:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("剩余"),
                      TimeRemainingColumn(), transient=True, console=Console(stderr=True)) as bar:
            yield from bar.track(items, description=description)

    return run()


def _workspace_option(func: Any) -> Any:
    """``-w/--workspace`` accepted after the command too (``zsxls template 2024-03 -w samples``)."""

    def remember(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
        if value is not None:
            ctx.ensure_object(dict)["workspace"] = value

    return click.option(
        "-w", "--workspace", type=click.Path(path_type=Path, file_okay=False), expose_value=False,
        callback=remember, help="工作目录(含 zsxls.toml 的文件夹);不指定则从当前目录向上查找。",
    )(func)


def _month_folder_options(func: Any) -> Any:
    """MONTH_DIR, ``--month``, ``--json`` and ``-w`` (consolidate and status)."""
    for decorate in reversed((
        click.argument("month_dir", type=click.Path(path_type=Path, file_okay=False)),
        click.option("--month", "month_text", metavar="MONTH", help="文件夹名看不出月份时指定,如 2024-03。"),
        click.option("--json", "as_json", is_flag=True, help="改为输出一个 JSON 对象(供其他程序使用)。"),
        _workspace_option,
        click.pass_context,
    )):
        func = decorate(func)
    return func


def _workspace(ctx: click.Context, start: Path | None = None) -> Any:
    from zhaoshang_xls.workspace import find_workspace

    return find_workspace(start, ctx.obj.get("workspace"))


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-w", "--workspace", type=click.Path(path_type=Path, file_okay=False),
              help="工作目录(含 zsxls.toml 的文件夹);不指定则从当前目录向上查找。")
@click.option("-v", "--verbose", is_flag=True, help="出错时显示详细的技术信息。")
@click.version_option(__version__, "-V", "--version", prog_name="zsxls", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, verbose: bool) -> None:
    """zsxls:全员招商月报表批量处理——校验、汇总、排名、奖惩测算。"""
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace
    ctx.obj["verbose"] = verbose


@cli.command()
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """新建工作目录:写入带注释的 zsxls.toml 和目标责任表.xlsx(不会覆盖已有文件)。

    例:zsxls init 招商2024
    """
    from zhaoshang_xls.workspace import init_workspace

    written = init_workspace(directory)
    click.echo(f"已创建工作目录 {directory.resolve()}:")
    for path in written:
        click.echo(f"  {path.name}")
    click.echo("下一步:在目标责任表.xlsx 中填写各单位和人员,然后运行 zsxls template 2024-03 生成月报模板。")


@cli.command()
@click.argument("month", required=False)
@_workspace_option
@click.option("--unit", "unit_code", metavar="CODE", help="只生成这个单位编码的模板。")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="输出文件夹(默认 输出/模板/<月份>/)。")
@click.option("--tax", "tax_year", type=int, metavar="YEAR", help="生成该年度的税收台账(财税工作组填写)。")
@click.pass_context
def template(ctx: click.Context, month: str | None, unit_code: str | None, out_dir: Path | None,
             tax_year: int | None) -> None:
    """生成下发给各单位的月报模板(每个单位一份,单位和月份已预填)。

    例:zsxls template 2024-03;zsxls template 2024-03 --unit C01;zsxls template --tax 2024
    """
    from zhaoshang_xls.errors import UsageError
    from zhaoshang_xls.periods import require_month
    from zhaoshang_xls.roster import load_roster
    from zhaoshang_xls.templates import write_month_templates, write_workspace_tax_template

    if month is None and tax_year is None:
        raise UsageError("请指定月份(如 zsxls template 2024-03),或用 --tax 年度 生成税收台账。")
    workspace = _workspace(ctx)
    if tax_year is not None:
        if not 2000 <= tax_year <= 2100:
            raise UsageError(f"--tax 应为四位年份,如 2024(现为 {tax_year})。")
        path = write_workspace_tax_template(workspace, tax_year, out_dir)
        click.echo(f"已生成税收台账模板:{_shown(path, workspace.root)}")
        click.echo(f"请财税工作组填写后,保存为工作目录中的 {path.name.split('_', 1)[1]}。")
    if month is None:
        return
    parsed = require_month(month)
    roster, warnings = load_roster(workspace.roster_path)
    for issue in warnings:
        click.echo(f"  {issue.render()}", err=True)
    written = write_month_templates(
        workspace, roster, parsed, unit_code, out_dir,
        progress=lambda units: _track(list(units), f"生成 {parsed.label} 模板"),
    )
    folder = _shown(written[0].parent, workspace.root) if written else ""
    click.echo(f"已生成 {len(written)} 份 {parsed.label} 月报模板,保存在 {folder}")
    click.echo("请将各单位的模板发给对应单位;收回后放入以月份命名的文件夹(如 2024-03/)。")


@cli.command()
@_month_folder_options
@click.option("--no-receipts", is_flag=True, help="不写回执(文件很多、只想先看汇总时更快)。")
def consolidate(ctx: click.Context, month_dir: Path, month_text: str | None, as_json: bool,
                no_receipts: bool) -> None:
    """汇总一个月的报表:逐个读取、校验,写入台账(同一月份重跑会整体替换)。

    例:zsxls consolidate 2024-03/;zsxls consolidate 收件 --month 2024-03 --json;
    zsxls consolidate 2024-03/ --no-receipts
    """
    import json

    from zhaoshang_xls.consolidate import consolidate_month, folder_month, json_report, missing_earlier_months

    month = folder_month(month_dir, month_text)
    workspace = _workspace(ctx, month_dir)
    for earlier, folder in missing_earlier_months(workspace, month):
        done = consolidate_month(workspace, folder, earlier, progress=_reading(earlier))
        click.echo(f"台账中还没有 {earlier.label},先汇总它:读取 {len(done.submissions)} 个文件,"
                   f"接收 {done.count('accepted')} 个。", err=as_json)
    result = consolidate_month(workspace, month_dir, month, progress=_reading(month), receipts=not no_receipts)
    ctx.obj["exit_code"] = 0 if result.all_accepted else 1
    if as_json:
        click.echo(json.dumps(json_report(result), ensure_ascii=False, indent=2))
    else:
        _print_month_summary(result, workspace.root)
    ctx.exit(ctx.obj["exit_code"])


@cli.command()
@click.argument("source")
@click.option("--month", "month_text", required=True, metavar="MONTH", help="这些邮件属于哪个月的报表,如 2024-03。")
@_workspace_option
@click.pass_context
def collect(ctx: click.Context, source: str, month_text: str) -> None:
    """从保存下来的邮件(.eml、Outlook .msg 所在文件夹)或收件邮箱(写 imap,设置见 zsxls.toml 的
    [collect])中取出报表附件,存入月份文件夹,并记下收件记录。

    只保存表格文件(按内容判断);已有相同内容的文件跳过;同名不同内容的文件加编号,从不覆盖。
    文件按模板中的单位编码(或发件邮箱对应的单位)命名;月份文件夹中的 收件记录.csv 记下发件人、
    邮件日期等,汇总和催报时以邮件日期判断是否迟报。

    例:zsxls collect 邮件/ --month 2024-03;zsxls collect imap --month 2024-03
    """
    import os

    from zhaoshang_xls.collect import LOG_NAME, mails_in_folder, mails_in_imap
    from zhaoshang_xls.collect import collect as collect_mails
    from zhaoshang_xls.errors import UsageError
    from zhaoshang_xls.periods import require_month
    from zhaoshang_xls.roster import load_roster

    month = require_month(month_text)
    workspace = _workspace(ctx)
    if source.lower() == "imap":
        settings = workspace.config.collect
        password = os.environ.get(settings.password_env) or click.prompt(
            f"{settings.imap_user} 的邮箱密码", hide_input=True, err=True)
        mails = mails_in_imap(settings, password)
    else:
        if not Path(source).is_dir():
            raise UsageError(f"找不到文件夹 {source}(请把邮件另存为 .eml 或 .msg 文件放在一个文件夹里,"
                             "或写 imap 从邮箱收取)。")
        mails = mails_in_folder(Path(source))
    roster, _warnings = load_roster(workspace.roster_path)
    folder = workspace.root / str(month)
    result = collect_mails(mails, folder, roster, month)
    for att, path, unit in result.saved:
        who = f"{unit} " if unit else ""
        click.echo(f"已保存 {who}{path.name}(来自 {att.sender or '未知发件人'},附件“{att.name}”)")
    for att, existing in result.skipped:
        click.echo(f"跳过“{att.name}”(来自 {att.sender}):与已有的 {existing} 内容相同。")
    for what, why in result.ignored:
        click.echo(f"忽略 {what}:{why}")
    click.echo(f"读取 {result.mails} 封邮件,保存 {len(result.saved)} 个文件,跳过 {len(result.skipped)} 个重复文件;"
               f"收件记录在 {_shown(folder / LOG_NAME, workspace.root)}。")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--month", "month_text", metavar="MONTH", help="按这个月份校验(默认取文件夹名或文件中的月份)。")
@click.option("--json", "as_json", is_flag=True, help="改为输出一个 JSON 对象(供其他程序使用)。")
@_workspace_option
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], month_text: str | None, as_json: bool) -> None:
    """只校验并写回执,不改动台账:报送前自查,或先看看一批文件有什么问题。

    例:zsxls check 2024-03/;zsxls check 收件/东湖村.xlsx --month 2024-03
    """
    import json

    from zhaoshang_xls.consolidate import check_paths, json_report
    from zhaoshang_xls.issues import Level
    from zhaoshang_xls.periods import require_month

    month = require_month(month_text) if month_text else None
    workspace = _workspace(ctx, paths[0])
    result = check_paths(workspace, list(paths), month)
    ctx.obj["exit_code"] = 0 if result.all_accepted else 1
    if as_json:
        click.echo(json.dumps(json_report(result), ensure_ascii=False, indent=2))
    else:
        for sub in result.submissions:
            label = {"accepted": "可接收", "rejected": "将被退回", "superseded": "重复报送"}[sub.status]
            click.echo(f"{sub.name}:{label}({sub.unit_code or '单位未识别'})")
            for issue in sub.issues:
                if issue.level is Level.ERROR or len(sub.issues) <= 10:
                    click.echo(f"  {issue.render()}")
        folders = "、".join(sorted({_shown(p.parent, workspace.root) for p in result.outputs}))
        click.echo(f"共 {len(result.submissions)} 个文件;回执已写到 {folders or '-'}。台账未改动。")
    ctx.exit(ctx.obj["exit_code"])


@cli.command()
@_month_folder_options
def status(ctx: click.Context, month_dir: Path, month_text: str | None, as_json: bool) -> None:
    """谁已报送、谁迟报、谁未报送或被退回;为需要催报的单位写好催报短信和邮件草稿。

    例:zsxls status 2024-03/
    """
    import json

    from zhaoshang_xls.consolidate import folder_month, json_report, month_status

    month = folder_month(month_dir, month_text)
    workspace = _workspace(ctx, month_dir)
    result, states, written = month_status(workspace, month_dir, month)
    ctx.obj["exit_code"] = 0 if not result.missing else 1
    if as_json:
        data = json_report(result)
        data["units"] = [{"unit": s.unit.code, "name": s.unit.name, "state": s.state, "file": s.file,
                          "received": s.received.isoformat() if s.received else None, "reason": s.reason}
                         for s in states]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        due = result.due
        click.echo(f"{month.label} 报送情况(截止日 {due:%Y-%m-%d}):")
        for s in states:
            extra = f"  {s.file}" if s.file else ""
            if s.state == "迟报" and s.modified:
                extra += f"(文件修改时间 {s.modified:%m-%d %H:%M})"
            reason = f"  {s.reason}" if s.reason else ""
            click.echo(f"  {s.unit.code:<5}{s.unit.name:<10}{s.state}{extra}{reason}")
        counts = {k: sum(s.state == k for s in states) for k in ("已报送", "迟报", "被退回", "未报送")}
        click.echo("合计:" + ",".join(f"{k} {v}" for k, v in counts.items()) + "。")
        if written:
            folder = _shown(written[0].parent, workspace.root)
            click.echo(f"催报文字和邮件草稿已写到 {folder}(共 {len(written)} 个文件)。")
    ctx.exit(ctx.obj["exit_code"])


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@_workspace_option
@click.pass_context
def screen(ctx: click.Context, file: Path) -> None:
    """把招商局填好的线索甄别表(甄别结论、重复于、跟踪责任人)读入台账。

    例:zsxls screen 输出/2024-03_线索甄别.xlsx
    """
    from zhaoshang_xls.consolidate import ledger_url, screen_file
    from zhaoshang_xls.issues import Level
    from zhaoshang_xls.ledger.store import open_ledger

    workspace = _workspace(ctx, file)
    engine = open_ledger(ledger_url(workspace))
    try:
        decisions, issues = screen_file(engine, file)
    finally:
        engine.dispose()
    for issue in issues:
        click.echo(f"  {issue.render()}", err=issue.level is Level.ERROR)
    counts = {v: sum(d["verdict"] == v for d in decisions) for v in ("有效", "无效", "重复", "待定")}
    click.echo(f"已读入 {len(decisions)} 条甄别结论(" + ",".join(f"{k} {n}" for k, n in counts.items()) + ")。"
               "无效、重复的线索不再计入信息报送;重新运行 zsxls consolidate 可更新报表。")
    ctx.exit(1 if any(i.level is Level.ERROR for i in issues) else 0)


def _load_missing_months(workspace: Any, months: Any) -> None:
    """Months of the period with a folder but not in the ledger are consolidated first."""
    from zhaoshang_xls.consolidate import consolidate_month, unconsolidated_months

    for month, folder in unconsolidated_months(workspace, months):
        done = consolidate_month(workspace, folder, month, progress=_reading(month))
        click.echo(f"台账中还没有 {month.label},先汇总它:读取 {len(done.submissions)} 个文件,"
                   f"接收 {done.count('accepted')} 个。")


def _no_data_note(scores: Any) -> None:
    if scores.months_without_data:
        click.echo("注意:" + "、".join(m.label for m in scores.months_without_data)
                   + " 台账中没有数据(不计目标、不扣分);收齐后请先 zsxls consolidate 再重新评比。")


@cli.command()
@click.argument("quarter")
@_workspace_option
@click.pass_context
def quarterly(ctx: click.Context, quarter: str) -> None:
    """一季一评比:各单位季度得分(客商、信息、引资、推进、加分、扣分)、分组排名和个人排名。

    例:zsxls quarterly 2024Q1;zsxls quarterly 2024年第二季度
    """
    from zhaoshang_xls.compute.quarterly import show
    from zhaoshang_xls.periods import parse_span
    from zhaoshang_xls.rankings import run_quarterly

    span = parse_span(quarter, "Q")
    workspace = _workspace(ctx)
    _load_missing_months(workspace, span.months)
    scores, path = run_quarterly(workspace, span)
    for group in dict.fromkeys(u.group for u in scores.units):
        top = [u for u in scores.units if u.group == group and u.rank == 1]
        click.echo(f"{group}:第一名 " + "、".join(f"{u.unit_name}({show(u.total)} 分)" for u in top))
    _no_data_note(scores)
    click.echo(f"已写出 {_shown(path, workspace.root)}")


@cli.command()
@click.argument("half")
@_workspace_option
@click.pass_context
def halfyear(ctx: click.Context, half: str) -> None:
    """半年一小结:半年合计、各单位年度目标完成进度、项目分布,以及可直接使用的小结文字草稿。

    例:zsxls halfyear 2024H1;zsxls halfyear 2024年上半年
    """
    from zhaoshang_xls.periods import parse_span
    from zhaoshang_xls.rankings import run_halfyear

    span = parse_span(half, "H")
    workspace = _workspace(ctx)
    _load_missing_months(workspace, span.months)
    result, path = run_halfyear(workspace, span)
    click.echo(result.summary)
    _no_data_note(result.scores)
    click.echo(f"已写出 {_shown(path, workspace.root)}")


@cli.command()
@click.argument("year", required=False, type=int)
@click.option("--finalize", is_flag=True, help="结算:把本次应发的奖励记入台账(以后不再重复发放)。")
@_workspace_option
@click.pass_context
def annual(ctx: click.Context, year: int | None, finalize: bool) -> None:
    """年终考核:目标完成率、信息奖、引进项目奖、财税分成奖、扣罚,每一笔写明计算依据。

    不加 --finalize 只是测算,台账不变;确认无误后加 --finalize 结算,已结算的奖励以后不会重复发放。
    工作目录中的税收台账.xlsx 每次都会读取并校验(回执写到 输出/回执/)。

    例:zsxls annual 2024;zsxls annual 2024 --finalize
    """
    from zhaoshang_xls.annual import run_annual
    from zhaoshang_xls.consolidate import assessed_in
    from zhaoshang_xls.errors import UsageError
    from zhaoshang_xls.issues import Level

    workspace = _workspace(ctx)
    year = year or workspace.config.campaign.year
    if not 2000 <= year <= 2100:
        raise UsageError(f"年度应为四位年份,如 2024(现为 {year})。")
    _load_missing_months(workspace, assessed_in(workspace, year))
    run = run_annual(workspace, year, finalize=finalize)
    a = run.annual
    money = {"信息奖": a.info, "引进项目奖": a.intro, "财税分成奖": a.tax_share}
    for label, lines in money.items():
        click.echo(f"{label}:{len(lines)} 笔,应发 {sum(m.payable for m in lines):,.2f} 元")
    deductions = a.deductions
    vetoed = [u.code for u in a.units if u.deduction and u.deduction.veto]
    click.echo(f"扣罚:{len(deductions)} 项,合计 {sum(d.amount for d in deductions):,.2f} 元;"
               f"一票否决 {len(vetoed)} 个单位。")
    if run.tax_book is None:
        from zhaoshang_xls.schema import TAX_FILE

        click.echo(f"工作目录中没有 {TAX_FILE},财税分成奖只按台账中已结算年度的税收计算"
                   "(可用 zsxls template --tax 生成)。")
    for issue in run.tax_issues:
        click.echo(f"  税收台账:{issue.render()}", err=issue.level is Level.ERROR)
    for note in a.notes:
        click.echo(f"  注意:{note}")
    for path in run.outputs:
        click.echo(f"已写出 {_shown(path, workspace.root)}")
    if finalize:
        click.echo(f"已结算:本次记入台账 {run.recorded} 笔奖励;再次结算不会重复发放。")
    else:
        click.echo("以上为测算,台账未改动;确认无误后运行 zsxls annual "
                   f"{year} --finalize 结算。")
    ctx.exit(1 if any(i.level is Level.ERROR for i in run.tax_issues) else 0)


@cli.command()
@_workspace_option
@click.pass_context
def rebuild(ctx: click.Context) -> None:
    """从 .zsxls/archive 中存档的报表重建台账(台账损坏或丢失时使用)。

    例:zsxls rebuild -w 招商2024
    """
    from zhaoshang_xls.consolidate import rebuild_ledger

    workspace = _workspace(ctx)
    results = rebuild_ledger(workspace)
    for result in results:
        click.echo(f"{result.month.label}:重新读取 {len(result.submissions)} 个存档文件,"
                   f"接收 {result.count('accepted')} 个。")
    click.echo(f"台账已重建,共 {len(results)} 个月。报表可用 zsxls consolidate 重新生成。")


def _reading(month: Any) -> Any:
    """Progress callback for reading one month's files."""

    def progress(files: list[Any]) -> Iterable[Any]:
        return _track(files, f"读取 {month.label} 报表")

    return progress


def _print_month_summary(result: Any, root: Path) -> None:
    from zhaoshang_xls.issues import Level

    subs = result.submissions
    errors = sum(i.level is Level.ERROR for s in subs for i in s.issues)
    warnings = sum(i.level is Level.WARNING for s in subs for i in s.issues)
    click.echo(f"{result.month.label}:读取 {len(subs)} 个文件,接收 {result.count('accepted')} 个,"
               f"退回 {result.count('rejected')} 个,重复报送作废 {result.count('superseded')} 个;"
               f"错误 {errors} 处,警告 {warnings} 处。")
    if result.missing:
        click.echo("未收到可用报表(未报送或被退回):" + "、".join(f"{u.code} {u.name}" for u in result.missing))
    if result.late:
        click.echo("迟报:" + "、".join(f"{s.unit_code}({s.reported_on:%m月%d日})" for s in result.late))
    for sub in subs:
        if sub.status == "rejected":
            first = next(i for i in sub.issues if i.level is Level.ERROR)
            click.echo(f"  退回 {sub.name}:{first.render()}")
    for issue in result.screening_issues:
        click.echo(f"  甄别表 {issue.file}:{issue.render()}")
    from zhaoshang_xls.consolidate import RECEIPTS_DIR

    receipts = [p for p in result.outputs if RECEIPTS_DIR in p.parts]
    for path in result.outputs:
        if path not in receipts:
            click.echo(f"已写出 {_shown(path, root)}")
    if receipts:
        click.echo(f"已写出 {len(receipts)} 份回执到 {_shown(receipts[0].parent, root)}")
    click.echo("台账已更新。")


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="zsxls")
