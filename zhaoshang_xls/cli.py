"""Command line: parse the options, call ONE use case, print a short Chinese summary.

All console wording and the exit codes live here (errors.py lists them): 0 all accepted; 1 done,
some files or rows rejected; 2 usage or configuration error; 3 the environment stopped it; 4 a bug.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from zhaoshang_xls import __version__, console, schema
from zhaoshang_xls.issues import Level


def _workspace(ctx: click.Context, start: Path | None = None) -> Any:
    from zhaoshang_xls.workspace import find_workspace

    return find_workspace(start, ctx.obj.get("workspace"))


def _finish(ctx: click.Context, code: int) -> None:
    ctx.obj["exit_code"] = code
    ctx.exit(code)


@click.group(cls=console.Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-w", "--workspace", type=click.Path(path_type=Path, file_okay=False),
              help="工作目录（含 zsxls.toml 的文件夹）；不指定则从当前目录向上查找。")
@click.option("-v", "--verbose", is_flag=True, help="出错时显示详细的技术信息。")
@click.version_option(__version__, "-V", "--version", prog_name="zsxls", message="%(prog)s %(version)s",
                      help="显示版本并退出。")
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, verbose: bool) -> None:
    """zsxls：全员招商月报表批量处理——校验、汇总、排名、奖惩测算。"""
    ctx.ensure_object(dict).update(workspace=workspace, verbose=verbose)


@cli.command()
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """新建工作目录：写入带注释的 zsxls.toml 和目标责任表.xlsx（不会覆盖已有文件）。例：zsxls init 招商2024"""
    from zhaoshang_xls.usecases.init import init_workspace

    written = init_workspace(directory)
    click.echo(f"已创建工作目录 {directory.resolve()}：")
    for path in written:
        click.echo(f"  {path.name}")
    click.echo("下一步：在目标责任表.xlsx 中填写各单位和人员，然后运行 zsxls template 2024-03 生成月报模板。")


@cli.command()
@click.argument("month", required=False)
@console.workspace_option
@click.option("--unit", "unit_code", metavar="CODE", help="只生成这个单位编码的模板。")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              help="输出文件夹（默认 输出/模板/<月份>/）。")
@click.option("--tax", "tax_year", type=int, metavar="YEAR", help="生成该年度的税收台账（财税工作组填写）。")
@click.pass_context
def template(ctx: click.Context, month: str | None, unit_code: str | None, out_dir: Path | None,
             tax_year: int | None) -> None:
    """生成下发给各单位的月报模板（每个单位一份，单位和月份已预填）。

    例：zsxls template 2024-03；zsxls template 2024-03 --unit C01；zsxls template --tax 2024
    """
    from zhaoshang_xls.errors import UsageError
    from zhaoshang_xls.periods import require_month
    from zhaoshang_xls.usecases.templates import write_month_templates, write_workspace_tax_template

    if month is None and tax_year is None:
        raise UsageError("请指定月份（如 zsxls template 2024-03），或用 --tax 年度 生成税收台账。")
    workspace = _workspace(ctx)
    if tax_year is not None:
        path, notes = write_workspace_tax_template(workspace, tax_year, out_dir)
        click.echo(f"已生成税收台账模板：{console.shown(path, workspace.root)}")
        console.notes(notes)
        click.echo(f"请财税工作组填写后，保存为工作目录中的 {schema.TAX_FILE}。")
    if month is None:
        return
    parsed = require_month(month)
    written, warnings = write_month_templates(
        workspace, parsed, unit_code, out_dir, progress=lambda units: console.track(list(units), f"生成 {parsed} 模板"))
    console.notes(warnings)
    folder = console.shown(written[0].parent, workspace.root) if written else ""
    click.echo(f"已生成 {len(written)} 份 {parsed.label} 月报模板，保存在 {folder}")
    click.echo("请将各单位的模板发给对应单位；收回后放入以月份命名的文件夹（如 2024-03/）。")


@cli.command()
@console.month_folder_options
@click.option("--no-receipts", is_flag=True, help="不写回执（文件很多、只想先看汇总时更快）。")
def consolidate(ctx: click.Context, month_dir: Path, month_text: str | None, as_json: bool, no_receipts: bool) -> None:
    """汇总一个月的报表：逐个读取、校验，写入台账（同一月份重跑会整体替换）。

    例：zsxls consolidate 2024-03/；zsxls consolidate 收件 --month 2024-03 --json；
    zsxls consolidate 2024-03/ --no-receipts
    """
    from zhaoshang_xls.usecases.month import (
        consolidate_missing,
        consolidate_month,
        earlier_months,
        month_folder,
        not_an_output_folder,
    )

    month = month_folder(month_dir, month_text)
    workspace = _workspace(ctx, month_dir)
    not_an_output_folder(workspace, month_dir, month)  # before anything is consolidated
    consolidate_missing(workspace, earlier_months(workspace, month), console.reading, console.announcer(err=as_json))
    result = consolidate_month(workspace, month_dir, month, progress=console.reading(month), receipts=not no_receipts)
    ctx.obj["exit_code"] = 0 if result.all_accepted else 1  # kept if the reader of our output goes away
    console.print_result(result, workspace.root, as_json, "台账已更新。")
    _finish(ctx, ctx.obj["exit_code"])


@cli.command()
@click.argument("source")
@click.option("--month", "month_text", required=True, metavar="MONTH", help="这些邮件属于哪个月的报表，如 2024-03。")
@console.workspace_option
@click.pass_context
def collect(ctx: click.Context, source: str, month_text: str) -> None:
    """从保存下来的邮件（.eml、Outlook .msg 所在文件夹）或收件邮箱（写 imap，设置见 zsxls.toml 的
    [collect]）中取出报表附件，存入月份文件夹，并记下收件记录。

    只保存表格文件（按内容判断）；已有相同内容的文件跳过；同名不同内容的文件加编号，从不覆盖。
    文件按模板中的单位编码（或发件邮箱对应的单位）命名；月份文件夹中的 收件记录.csv 记下发件人、
    邮件日期等，汇总和催报时以邮件日期判断是否迟报。

    例：zsxls collect 邮件/ --month 2024-03；zsxls collect imap --month 2024-03
    """
    from zhaoshang_xls.periods import require_month
    from zhaoshang_xls.usecases.collect import LOG_NAME, collect_into_workspace

    month = require_month(month_text)
    workspace = _workspace(ctx)
    settings = workspace.config.collect
    password = None
    if source.lower() == "imap":
        password = os.environ.get(settings.password_env) or click.prompt(
            f"{settings.imap_user} 的邮箱密码", hide_input=True, err=True)
    result, folder = collect_into_workspace(workspace, source, month, password)

    console.collect_summary(result, folder, workspace.root, LOG_NAME)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--month", "month_text", metavar="MONTH", help="按这个月份校验（默认取文件夹名或文件中的月份）。")
@console.json_option
@console.workspace_option
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], month_text: str | None, as_json: bool) -> None:
    """只校验并写回执，不改动台账：报送前自查，或先看看一批文件有什么问题。

    例：zsxls check 2024-03/；zsxls check 收件/东湖村.xlsx --month 2024-03
    """
    from zhaoshang_xls.periods import require_month
    from zhaoshang_xls.usecases.month import check_paths

    workspace = _workspace(ctx, paths[0])
    result = check_paths(workspace, list(paths), require_month(month_text) if month_text else None)
    ctx.obj["exit_code"] = 0 if result.all_accepted else 1
    console.print_check(result, workspace.root, as_json)
    _finish(ctx, 0 if result.all_accepted else 1)


@cli.command()
@console.month_folder_options
def status(ctx: click.Context, month_dir: Path, month_text: str | None, as_json: bool) -> None:
    """谁已报送、谁迟报、谁未报送或被退回；为需要催报的单位写好催报短信和邮件草稿。例：zsxls status 2024-03/"""
    from zhaoshang_xls.usecases.month import month_folder, month_status

    month = month_folder(month_dir, month_text)
    workspace = _workspace(ctx, month_dir)
    result = month_status(workspace, month_dir, month)
    ctx.obj["exit_code"] = 0 if not result.missing else 1
    console.print_status(result, workspace.root, as_json)
    _finish(ctx, 0 if not result.missing else 1)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@console.workspace_option
@click.pass_context
def screen(ctx: click.Context, file: Path) -> None:
    """把招商局填好的线索甄别表（甄别结论、重复于、跟踪责任人）读入台账。例：zsxls screen 输出/2024-03_线索甄别.xlsx"""
    from zhaoshang_xls.usecases.screen import screen_file

    done = screen_file(_workspace(ctx, file), file)
    for issue in done.issues:
        click.echo(f"  {issue.render()}", err=issue.level is Level.ERROR)
    counts = "，".join(f"{v} {done.by_verdict[v]}" for v in schema.VERDICTS)
    stop = "、".join(v for v in schema.VERDICTS if v in schema.NOT_COUNTED)
    click.echo(f"已读入 {len(done.decisions)} 条甄别结论（{counts}）。"
               f"{stop}的线索不再计入信息报送；重新运行 zsxls consolidate 可更新报表。")
    _finish(ctx, 1 if done.has_errors else 0)


@cli.command()
@click.argument("quarter")
@console.json_option
@console.workspace_option
@click.pass_context
def quarterly(ctx: click.Context, quarter: str, as_json: bool) -> None:
    """一季一评比：各单位季度得分（客商、信息、引资、推进、加分、扣分）、分组排名和个人排名。

    例：zsxls quarterly 2024Q1；zsxls quarterly 2024年第二季度
    """
    from zhaoshang_xls.periods import parse_span
    from zhaoshang_xls.usecases.rankings import run_quarterly

    workspace = _workspace(ctx)
    ranked = run_quarterly(workspace, parse_span(quarter, "Q"), progress=console.reading,
                           announce=console.announcer(err=as_json))
    console.print_quarterly(ranked, workspace.root, as_json)


@cli.command()
@click.argument("half")
@console.json_option
@console.workspace_option
@click.pass_context
def halfyear(ctx: click.Context, half: str, as_json: bool) -> None:
    """半年一小结：半年合计、各单位年度目标完成进度、项目分布，以及可直接使用的小结文字草稿。

    例：zsxls halfyear 2024H1；zsxls halfyear 2024年上半年
    """
    from zhaoshang_xls.periods import parse_span
    from zhaoshang_xls.usecases.rankings import run_halfyear

    workspace = _workspace(ctx)
    ranked = run_halfyear(workspace, parse_span(half, "H"), progress=console.reading,
                          announce=console.announcer(err=as_json))
    console.print_halfyear(ranked, workspace.root, as_json)


@cli.command()
@click.argument("year", required=False, type=int)
@click.option("--finalize", is_flag=True, help="结算：把本次应发的奖励记入台账（以后不再重复发放）。")
@console.json_option
@console.workspace_option
@click.pass_context
def annual(ctx: click.Context, year: int | None, finalize: bool, as_json: bool) -> None:
    """年终考核：目标完成率、信息奖、引进项目奖、财税分成奖、扣罚，每一笔写明计算依据。

    不加 --finalize 只是测算，不结算奖励；确认无误后加 --finalize 结算，已结算的奖励以后不会重复发放。
    工作目录中的税收台账.xlsx 每次都会读取并校验（回执写到 输出/回执/）。

    例：zsxls annual 2024；zsxls annual 2024 --finalize
    """
    from zhaoshang_xls.usecases.annual import run_annual

    workspace = _workspace(ctx)
    year = year or workspace.config.campaign.year
    run = run_annual(workspace, year, finalize=finalize, progress=console.reading,
                     announce=console.announcer(err=as_json))
    console.print_annual(run, year, finalize, workspace.root, as_json)
    _finish(ctx, 1 if any(i.level is Level.ERROR for i in run.tax_issues) else 0)


@cli.command()
@console.workspace_option
@click.pass_context
def rebuild(ctx: click.Context) -> None:
    """从 .zsxls/archive 中存档的报表重建台账（台账损坏或丢失时使用）。例：zsxls rebuild -w 招商2024"""
    from zhaoshang_xls.usecases.month import rebuild_ledger

    console.print_rebuilt(rebuild_ledger(_workspace(ctx)))


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="zsxls")
