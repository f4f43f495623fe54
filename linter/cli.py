"""Command line: ``check`` (default), ``dump``, ``rules``, ``explain``, ``audit``, ``audit-report``,
``serve``. Everything the user reads is Chinese; option names and rule ids stay as they are.

Exit codes of ``check`` and ``audit``: 0 no finding at or above the fail level (``--fail-level``,
default the configuration's ``fail_level``, ``error``); 1 at least one such finding; 2 the tool
could not do what was asked (bad arguments or configuration, no report found, a file that could
not be read or checked) — one line on stderr, no traceback; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import os
import sys

from linter import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING, as type checkers read it, without importing typing
if TYPE_CHECKING:  # imported where used: `--version` and the warm client load nothing but this module
    from linter.clitext import Parser

COMMANDS = ("check", "dump", "rules", "explain", "audit", "audit-report", "serve", "warm")
_OCR_HELP = "扫描件文字识别：auto 只识别没有文字层的页（默认），always 识别全部页，never 不识别"


def _check_parser(sub) -> None:
    from linter.levels import LEVELS as LEVEL_CHOICES
    from linter.render import FORMATS

    check = sub.add_parser("check", help="检查报告（默认命令，可省略）", description="检查报告（默认命令，可省略）")
    check.add_argument(
        "paths", nargs="+", metavar="路径", help="报告文件或文件夹（.pdf .docx .html .txt .md）；- 表示从标准输入读取"
    )
    check.add_argument(
        "--format",
        choices=FORMATS,
        default="console",
        help="输出格式（concise：每个问题一行 路径:行:列: 规则 问题；html：标注问题的报告页面）",
    )
    check.add_argument("--output", "-o", metavar="FILE", help="把结果写入文件（而不是标准输出）")
    check.add_argument("--config", metavar="FILE", help="配置文件（默认从被检查的文件所在目录向上查找）")
    check.add_argument("--statistics", action="store_true", help="只输出各规则的问题数")
    check.add_argument("--exit-zero", action="store_true", help="即使有错误也以 0 退出（无法运行时仍为 2）")
    check.add_argument("--fail-level", choices=LEVEL_CHOICES, help="达到此级别的问题使退出码为 1（默认取配置，error）")
    check.add_argument("-q", "--quiet", action="store_true", help="只输出问题，不输出“未发现问题”、跳过的文件和汇总行")
    check.add_argument("--baseline", metavar="FILE", help="基线文件：其中记录的问题不再报告，只报告新问题")
    check.add_argument("--write-baseline", metavar="FILE", help="把当前全部问题写入基线文件（需填写 reason）")
    check.add_argument("--select", default="", help="只运行这些规则（逗号分隔：规则编号、前缀、名称或类别）")
    check.add_argument("--ignore", default="", help="不运行这些规则（同上）")
    check.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PATTERN",
        help="不检查与此模式匹配的文件或文件夹（可重复；在配置的 exclude 和默认排除之外）",
    )
    check.add_argument(
        "--force-exclude",
        action="store_true",
        help="命令行中直接给出的文件也按 exclude 排除，不像年度报告的文字文件跳过（pre-commit 使用）",
    )
    check.add_argument("--stdin-filename", metavar="NAME", help="从标准输入（-）读取时，结果中显示的文件名")
    check.add_argument(
        "--csv-headers", choices=("id", "zh"), default="id", help="CSV 表头：id（英文标识）或 zh（中文）"
    )
    check.add_argument(
        "--previous", metavar="FILE", help="上一年度的报告，用于跨年度核对（上年结转＝上年的结转下年度）"
    )
    check.add_argument("--ocr", choices=("auto", "always", "never"), help=_OCR_HELP)


def build_parser() -> Parser:
    from linter.clitext import Parser
    from linter.levels import LEVELS as LEVEL_CHOICES

    parser = Parser(prog="nianbao-lint", description="政府信息公开工作年度报告合规检查工具")
    parser.add_argument("--version", action="version", version=f"nianbao-lint {__version__}", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", parser_class=Parser, title="子命令", metavar="命令")
    _check_parser(sub)
    dump = sub.add_parser("dump", help="显示从报告中识别出的部分和统计表")
    dump.add_argument("path", metavar="路径")
    dump.add_argument("--format", choices=("console", "json"), default="console", help="输出格式")
    dump.add_argument("--config", metavar="FILE", help="配置文件（读取限制；默认向上查找）")
    dump.add_argument("--ocr", choices=("auto", "always", "never"), help=_OCR_HELP)
    rules = sub.add_parser("rules", help="列出全部规则")
    rules.add_argument("--format", choices=("console", "md"), default="console", help="md：README 中的规则表")
    audit = sub.add_parser("audit", help="批量检查文件夹中的全部报告，结果写入 SQLite 数据库（可中断续跑）")
    audit.add_argument(
        "paths", nargs="+", metavar="路径", help="报告文件夹、文件，或以 @ 开头的文件清单（每行一个路径）"
    )
    audit.add_argument("--db", required=True, metavar="FILE", help="结果数据库（SQLite）")
    audit.add_argument("-j", "--jobs", type=int, default=0, help="并行进程数（默认：全部 CPU 核）")
    audit.add_argument("--timeout", type=float, default=120, help="单个文件的时间上限（秒，默认 120）")
    audit.add_argument("--memory", type=int, default=1024, help="单个进程的内存上限（MB，默认 1024；0 为不限）")
    audit.add_argument("--retry-failed", action="store_true", help="重新检查上次失败的文件")
    audit.add_argument("--fail-level", choices=LEVEL_CHOICES, help="达到此级别的问题使退出码为 1（默认取配置，error）")
    audit.add_argument("--exit-zero", action="store_true", help="即使有错误也以 0 退出（文件失败时仍为 2）")
    audit.add_argument(
        "--executor", choices=("local", "dask"), default="local", help="local：本机多进程；dask：Dask 集群"
    )
    audit.add_argument("--scheduler", metavar="ADDRESS", help="Dask 调度器地址，如 tcp://10.0.0.5:8786")
    audit.add_argument("--config", metavar="FILE", help="配置文件（默认从第一个路径所在目录向上查找），与 check 相同")
    audit.add_argument("--hierarchy", action="store_true", help="核对地区政府的数字是否等于其所属部门之和（警告）")
    report = sub.add_parser("audit-report", help="由审核数据库生成离线 HTML 看板和 XLSX 工作簿")
    report.add_argument("--db", required=True, metavar="FILE", help="audit 生成的数据库")
    report.add_argument("--html", metavar="FILE", help="看板文件（默认：数据库旁的 audit-report.html）")
    report.add_argument("--xlsx", metavar="FILE", help="工作簿（默认：数据库旁的 audit-report.xlsx）")
    report.add_argument("--with-info", action="store_true", help="类别图中也计入提示级的问题（默认不计）")
    explain = sub.add_parser("explain", help="显示一条规则的完整说明")
    explain.add_argument("rule", metavar="规则", help="规则编号或名称，如 ARI001 或 application-balance")
    explain.add_argument("--config", metavar="FILE", help="按此配置文件显示级别和参数（默认从当前目录向上查找）")
    serve = sub.add_parser("serve", help="在本机打开网页：拖入报告文件即可查看检查结果（文件不离开本机）")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只有本机能访问）")
    serve.add_argument("--port", type=int, default=8765, help="端口（默认 8765；0 为任选空闲端口）")
    serve.add_argument("--max-mb", type=float, default=20, help="上传文件的大小上限（MB，默认 20）")
    warm = sub.add_parser("warm", help="常驻检查进程：start 启动，status 查看，stop 停止（check 会自动使用）")
    warm.add_argument("action", choices=("start", "status", "stop"), help="start、status 或 stop")
    return parser


_PARSER: list = []  # the one parser of this process (not functools.cache: the warm client imports no more than it needs)


def _parser() -> Parser:
    """The command line's parser, built once per process (a warm server builds it for all its
    checks; parsing does not change it)."""
    if not _PARSER:
        _PARSER.append(build_parser())
    return _PARSER[0]


def _takes_value(parser: Parser) -> set[str]:
    """Option strings of ``check`` that consume the next word."""
    sub = next(a for a in parser._actions if a.dest == "command")
    return {s for a in sub.choices["check"]._actions if a.nargs != 0 for s in a.option_strings}


def normalise(argv: list[str], parser: Parser) -> list[str]:
    """``nianbao-lint [options] REPORT`` means ``nianbao-lint check [options] REPORT``; a word that
    is neither a command nor an existing path but close to a command is a mistyped command."""
    from pathlib import Path

    from linter.clitext import nearest

    if not argv or any(a in ("-h", "--help", "--version") for a in argv[:1]):
        return argv
    valued, i = _takes_value(parser), 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            break
        if word.startswith("-") and word != "-":
            i += 2 if word in valued else 1
            continue
        if word in COMMANDS:
            return argv
        near = nearest(word, COMMANDS, 0.6)
        if near and not Path(word).exists() and not Path(word).suffix:
            parser.exit(
                2, f"nianbao-lint: 没有子命令 {word!r}；是否想用 {near!r}？（nianbao-lint -h 列出全部子命令）\n"
            )
        break
    return ["check", *argv]


def _database_error(exc: Exception) -> bool:
    """Whether the audit database went wrong during the run. sqlite3 is not imported here (it
    is not needed to start): an error of it can only come after something imported it."""
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and isinstance(exc, sqlite3.Error)


def main(argv: list[str] | None = None) -> int:
    """The ``nianbao-lint`` command. Run as the script (no ``argv``), a ``check`` goes to the
    warm server when one is up (``linter.warm``); given ``argv``, everything runs here."""
    script = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # what argparse's version action prints, without building the parser
        print(f"nianbao-lint {__version__}")
        return 0
    # the models are the tool's own: no pydantic plugin is meant to watch them, and looking for
    # plugins means reading every installed distribution's entry points at the first model
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if script:
        from linter import warm

        if warm.wanted(argv):
            code = warm.run(argv)
            if code is not None:
                warm.leave(code)  # never returns
    parser = _parser()
    args = parser.parse_args(normalise(argv, parser))
    if args.command is None:
        parser.print_help()
        return 2
    from linter import commands
    from linter.clitext import os_error
    from linter.config import ConfigError
    from linter.engine import RuleError
    from linter.errors import InputError

    for stream in (sys.stdout, sys.stderr):  # a name that is not UTF-8 never stops the output
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")

    handlers = {
        "check": commands.check,
        "dump": commands.dump,
        "rules": commands.rules,
        "explain": commands.explain,
        "audit": commands.audit,
        "audit-report": commands.audit_report,
        "serve": commands.serve,
        "warm": commands.warm,
    }
    try:
        return handlers[args.command](args)
    except commands.UsageError as exc:
        print(f"nianbao-lint: 参数错误：{exc}", file=sys.stderr)
        return 2
    except RuleError as exc:
        print(f"nianbao-lint: 规则文件错误：{exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"nianbao-lint: 配置错误：{exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"nianbao-lint: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # an output, list or baseline file that cannot be written or read
        print(f"nianbao-lint: {os_error(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:
        if not _database_error(exc):
            raise
        print(f"nianbao-lint: 审核数据库出错：{exc}", file=sys.stderr)  # locked, disk full …
        return 2
    except KeyboardInterrupt:
        print("nianbao-lint: 已中断", file=sys.stderr)
        return 130
