"""Command line: ``check`` (default), ``dump``, ``rules``, ``explain``; exit codes 0 / 1 / 2.

0: no finding at error level; 1: at least one error-level finding; 2: the tool could not
run (bad arguments, invalid rule files, an unreadable input) — one line on stderr, no traceback.
"""

from __future__ import annotations

import argparse
import sys

from linter import __version__
from linter.render import FORMATS

COMMANDS = ("check", "dump", "rules", "explain", "audit", "audit-report")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit code 2
        self.exit(2, f"nianbao-lint: 参数错误：{message}\n")


_OCR_HELP = "扫描件文字识别：auto 只识别没有文字层的页（默认），always 识别全部页，never 不识别"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nianbao-lint", description="政府信息公开工作年度报告合规检查工具")
    parser.add_argument("--version", action="version", version=f"nianbao-lint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    check = sub.add_parser("check", help="检查报告（默认命令）")
    check.add_argument("paths", nargs="+", help="报告文件或文件夹（.pdf .docx .html .txt .md）")
    check.add_argument("--format", choices=FORMATS, default="console", help="输出格式")
    check.add_argument("--output", "-o", metavar="FILE", help="把结果写入文件（而不是标准输出）")
    check.add_argument("--config", metavar="FILE", help="配置文件（默认从被检查的文件所在目录向上查找）")
    check.add_argument("--statistics", action="store_true", help="只输出各规则的问题数")
    check.add_argument("--exit-zero", action="store_true", help="即使有错误也以 0 退出（无法运行时仍为 2）")
    check.add_argument("-q", "--quiet", action="store_true", help="只输出问题，不输出“未发现问题”和汇总行")
    check.add_argument("--baseline", metavar="FILE", help="基线文件：其中记录的问题不再报告，只报告新问题")
    check.add_argument("--write-baseline", metavar="FILE", help="把当前全部问题写入基线文件（需填写 reason）")
    check.add_argument("--select", default="", help="只运行这些规则（逗号分隔：规则编号、前缀、名称或类别）")
    check.add_argument("--ignore", default="", help="不运行这些规则（同上）")
    check.add_argument("--previous", metavar="FILE", help="上一年度的报告，用于跨年度核对（上年结转＝上年的结转下年度）")
    check.add_argument("--ocr", choices=("auto", "always", "never"), help=_OCR_HELP)
    dump = sub.add_parser("dump", help="显示从报告中识别出的部分和统计表")
    dump.add_argument("path")
    dump.add_argument("--format", choices=("console", "json"), default="console")
    dump.add_argument("--ocr", choices=("auto", "always", "never"), default="auto", help=_OCR_HELP)
    rules = sub.add_parser("rules", help="列出全部规则")
    rules.add_argument("--format", choices=("console", "md"), default="console", help="md：README 中的规则表")
    audit = sub.add_parser("audit", help="批量检查文件夹中的全部报告，结果写入 SQLite 数据库（可中断续跑）")
    audit.add_argument("paths", nargs="+", help="报告文件夹、文件，或以 @ 开头的文件清单（每行一个路径）")
    audit.add_argument("--db", required=True, metavar="FILE", help="结果数据库（SQLite）")
    audit.add_argument("-j", "--jobs", type=int, default=0, help="并行进程数（默认：全部 CPU 核）")
    audit.add_argument("--timeout", type=float, default=120, help="单个文件的时间上限（秒，默认 120）")
    audit.add_argument("--memory", type=int, default=1024, help="单个进程的内存上限（MB，默认 1024；0 为不限）")
    audit.add_argument("--retry-failed", action="store_true", help="重新检查上次失败的文件")
    audit.add_argument("--executor", choices=("local", "dask"), default="local", help="local：本机多进程；dask：Dask 集群")
    audit.add_argument("--scheduler", metavar="ADDRESS", help="Dask 调度器地址，如 tcp://10.0.0.5:8786")
    audit.add_argument("--hierarchy", action="store_true", help="核对地区政府的数字是否等于其所属部门之和（警告）")
    report = sub.add_parser("audit-report", help="由审核数据库生成离线 HTML 看板和 XLSX 工作簿")
    report.add_argument("--db", required=True, metavar="FILE", help="audit 生成的数据库")
    report.add_argument("--html", metavar="FILE", help="看板文件（默认：数据库旁的 audit-report.html）")
    report.add_argument("--xlsx", metavar="FILE", help="工作簿（默认：数据库旁的 audit-report.xlsx）")
    explain = sub.add_parser("explain", help="显示一条规则的完整说明")
    explain.add_argument("rule", help="规则编号或名称，如 ARI001 或 application-balance")
    return parser


def _check(args) -> int:
    from linter.api import configured_rules, filtered, lint_paths
    from linter.models import LEVEL_RANK
    from linter.render import render

    config, rules = configured_rules(args.config, args.paths[0], args.select, args.ignore)
    if args.ocr:
        config.limits.ocr = args.ocr
    result = filtered(lint_paths(args.paths, rules, args.previous, config.limits), config)
    if args.write_baseline:
        from linter.baseline import write

        write(args.write_baseline, result)
    if args.baseline:
        from linter.baseline import hide

        result = hide(args.baseline, result)
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        render("statistics" if args.statistics else args.format, result, out, quiet=args.quiet)
    finally:
        if args.output:
            out.close()
    failed = [fr for fr in result.files if fr.error]
    for fr in failed:
        print(f"nianbao-lint: {fr.path}: {fr.error}", file=sys.stderr)
    if failed:
        return 2
    fail = LEVEL_RANK[config.fail_level]
    return 0 if args.exit_zero or not any(LEVEL_RANK[f.level] >= fail for f in result.findings) else 1


def _audit(args) -> int:
    import os

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from linter.audit import audit
    from linter.audit.pool import Limits

    paths = []
    for p in args.paths:  # @list.txt: one path per line
        paths += [line.strip() for line in open(p[1:], encoding="utf-8") if line.strip()] if p.startswith("@") else [p]
    jobs = args.jobs or os.cpu_count() or 1
    columns = (TextColumn("[bold]检查中"), BarColumn(), MofNCompleteColumn(), TextColumn("失败 {task.fields[failed]}"),
               TextColumn("剩余"), TimeRemainingColumn())
    with Progress(*columns, transient=not sys.stderr.isatty(), console=None) as bar:
        task = bar.add_task("audit", total=None, failed=0)

        def progress(summary, todo):
            bar.update(task, total=todo, completed=summary.linted + sum(1 for _ in summary.failures), failed=summary.failed)

        if args.executor == "dask" and not args.scheduler:
            print("nianbao-lint: --executor dask 需要 --scheduler 地址", file=sys.stderr)
            return 2
        summary = audit(paths, args.db, jobs, Limits(args.timeout, args.memory), progress, args.retry_failed,
                        args.scheduler if args.executor == "dask" else None, args.hierarchy)
    print(f"共 {summary.total} 个文件：检查 {summary.linted} 个，未变化跳过 {summary.skipped} 个，失败 {summary.failed} 个；"
          f"跨文件核对发现 {summary.cross_year} 个问题；结果在 {args.db}")
    for path, reason in summary.failures[:20]:
        print(f"  失败：{path}：{reason}", file=sys.stderr)
    return 0


def _audit_report(args) -> int:
    from pathlib import Path

    from linter.audit.report import write

    if not Path(args.db).is_file():
        print(f"nianbao-lint: 找不到审核数据库 {args.db}（先运行 nianbao-lint audit）", file=sys.stderr)
        return 2
    folder = Path(args.db).parent
    html_path, xlsx_path = args.html or folder / "audit-report.html", args.xlsx or folder / "audit-report.xlsx"
    write(args.db, html_path, xlsx_path)
    print(f"看板：{html_path}\n工作簿：{xlsx_path}")
    return 0


def _dump(args) -> int:
    from linter.dump import dump

    return dump(args.path, args.format, sys.stdout, args.ocr)


def _rules(args) -> int:
    from linter.explain import list_rules, rules_markdown

    if args.format == "md":
        sys.stdout.write(rules_markdown())
    else:
        list_rules(sys.stdout)
    return 0


def _explain(args) -> int:
    from linter.explain import explain

    return explain(args.rule, sys.stdout)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv.insert(0, "check")  # `nianbao-lint report.pdf` means `nianbao-lint check report.pdf`
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    from linter.config import ConfigError
    from linter.engine import RuleError

    try:
        handlers = {"check": _check, "dump": _dump, "rules": _rules, "explain": _explain, "audit": _audit,
                    "audit-report": _audit_report}
        return handlers[args.command](args)
    except RuleError as exc:
        print(f"nianbao-lint: 规则文件错误：{exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"nianbao-lint: 配置错误：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # an output or baseline file that cannot be written or read
        print(f"nianbao-lint: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nianbao-lint: 已中断", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
