"""What each subcommand does once its arguments are parsed: ``check``, ``dump``, ``rules``,
``explain``, ``audit``, ``audit-report`` and ``serve``. Each returns the exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from linter.clitext import nearest
from linter.levels import LEVELS


class UsageError(Exception):
    """A command line that cannot be carried out (exit code 2, one line)."""


def check_selectors(text: str, option: str) -> None:
    """Every --select/--ignore item must name a rule (id, id prefix, name or category)."""
    if not text.strip(", "):
        return
    from linter import engine
    from linter.config import matches

    rules = engine.load_rules()
    for item in (s.strip() for s in text.split(",")):
        if item and not any(matches(r, item) for r in rules):
            names = [r.spec.id for r in rules] + [r.spec.name for r in rules] + sorted({r.spec.category for r in rules})
            near = nearest(item, names, 0.5)
            raise UsageError(
                f"{option}：没有与 {item!r} 对应的规则"
                + (f"；是否想写 {near!r}？" if near else "")
                + "（nianbao-lint rules 列出全部规则）"
            )


def position(f) -> tuple:
    """Sort key of a finding within its file: page, line, block, then rule."""
    loc = f.location
    return (
        loc.page or 0,
        loc.line or 0,
        -1 if loc.paragraph is None else loc.paragraph,
        -1 if loc.table_index is None else loc.table_index,
        f.rule,
        loc.row or "",
        loc.col or "",
    )


def lint_files(files, rules, previous, limits, keep_reports: bool = True):
    """Lint the selected files; with ``keep_reports`` also keep each parsed report (for the
    annotated page), else only what the cross-year checks need."""
    from linter.api import lint_paths

    reports: dict = {} if keep_reports else None
    return lint_paths(files, rules, previous, limits, reports), reports or {}


def rename(result, reports, old: str, new: str) -> None:
    """Show a temporary copy (standard input) under the name the user knows it by."""
    for fr in result.files:
        if fr.path == old:
            fr.path = new
            fr.findings = [f.model_copy(update={"file": new}) for f in fr.findings]
            if fr.error:
                fr.error = fr.error.replace(old, new)
    if old in reports:
        reports[new] = reports.pop(old)


def check(args) -> int:
    from linter.api import configured_rules, filtered
    from linter.files import cleanup, gather
    from linter.models import LEVEL_RANK
    from linter.render import render

    check_selectors(args.select, "--select")
    check_selectors(args.ignore, "--ignore")
    near = next((p for p in args.paths if p != "-"), ".")
    config, rules = configured_rules(args.config, near, args.select, args.ignore)
    if args.ocr:
        config.limits.ocr = args.ocr
    root = Path(config.root)
    selection = gather(args.paths, [*config.exclude, *args.exclude], root, args.force_exclude)
    try:
        if not args.quiet:
            for path, why in selection.skipped:
                print(f"nianbao-lint: 跳过 {path}：{why}", file=sys.stderr)
        if not selection.files:
            if args.force_exclude and selection.skipped:
                return 0  # the hook was given only files that are not reports: nothing to block
            print(
                "nianbao-lint: 没有找到可检查的报告（.pdf .docx .html .htm .txt .md）；请检查路径和 exclude 设置",
                file=sys.stderr,
            )
            return 2
        result, reports = lint_files(
            selection.files,
            rules,
            args.previous,
            config.limits,
            keep_reports=args.format == "html" and not args.statistics,
        )
        if selection.stdin is not None:
            rename(result, reports, str(selection.stdin), args.stdin_filename or "-")
    finally:
        cleanup(selection)
    result = filtered(result, config)
    for fr in result.files:
        fr.findings.sort(key=position)
    if args.write_baseline:
        from linter.baseline import write

        write(args.write_baseline, result)
    if args.baseline:
        from linter.baseline import hide

        result = hide(args.baseline, result)
    out = open(args.output, "w", encoding="utf-8", errors="backslashreplace", newline="") if args.output else sys.stdout
    try:
        render(
            "statistics" if args.statistics else args.format,
            result,
            out,
            quiet=args.quiet,
            reports=reports,
            options={"csv_headers": args.csv_headers},
        )
    finally:
        if args.output:
            out.close()
    failed = [fr for fr in result.files if fr.error]
    for fr in failed:
        print(f"nianbao-lint: {fr.path}: {fr.error}", file=sys.stderr)
    if failed:
        return 2
    fail = LEVEL_RANK[args.fail_level or config.fail_level]
    return 0 if args.exit_zero or not any(LEVEL_RANK[f.level] >= fail for f in result.findings) else 1


def _interruptible():
    """Ctrl-C stops the coordinating process only: the worker processes it forks inherit a
    handler that ignores it, so they end when told, without tracebacks."""
    import signal

    parent = os.getpid()

    def on_interrupt(signum, frame):
        if os.getpid() == parent:
            raise KeyboardInterrupt

    return signal.signal(signal.SIGINT, on_interrupt)


def _audit_exit(db: str, files: list[str], summary, fail_level: str, exit_zero: bool) -> int:
    import sqlite3

    from linter.models import LEVEL_RANK

    wanted = set(files)
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT path, level, count(*) FROM findings GROUP BY path, level").fetchall()
    finally:
        con.close()
    counts = {lv: 0 for lv in LEVELS}
    for path, level, n in rows:
        if path in wanted and level in counts:
            counts[level] += n
    print(f"本次审核的文件中共有 {counts['error']} 个错误，{counts['warning']} 个警告，{counts['info']} 条提示")
    if summary.failed:
        return 2
    fail = LEVEL_RANK[fail_level]
    return 0 if exit_zero or not any(n for lv, n in counts.items() if LEVEL_RANK[lv] >= fail) else 1


def audit(args) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from linter.api import collect
    from linter.audit import audit as run_audit
    from linter.audit import listed
    from linter.audit.pool import WorkerLimits

    paths = [path for p in args.paths for path in listed(p)]  # @list.txt: one path per line
    if args.executor == "dask" and not args.scheduler:
        raise UsageError("--executor dask 需要 --scheduler 地址")
    fail_level = args.fail_level
    if fail_level is None:
        from linter.config import discover, load_config

        found = Path(args.config) if args.config else discover(paths[0]) if paths else None
        fail_level = load_config(found).fail_level if found else "error"
    jobs = args.jobs or os.cpu_count() or 1
    columns = (
        TextColumn("[bold]检查中"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("失败 {task.fields[failed]}"),
        TextColumn("剩余"),
        TimeRemainingColumn(),
    )
    seen = {}
    previous = _interruptible()
    try:
        with Progress(*columns, transient=not sys.stderr.isatty(), console=None) as bar:
            task = bar.add_task("audit", total=None, failed=0)

            def progress(summary, todo):
                seen["summary"] = summary
                bar.update(task, total=todo, completed=summary.linted + len(summary.failures), failed=summary.failed)

            summary = run_audit(
                paths,
                args.db,
                jobs,
                WorkerLimits(args.timeout, args.memory),
                progress,
                args.retry_failed,
                args.scheduler if args.executor == "dask" else None,
                args.hierarchy,
                args.config,
            )
    except KeyboardInterrupt:
        done = seen.get("summary")
        saved = f"已完成的 {done.linted + done.failed} 个文件的结果已保存在 {args.db}" if done else "尚未完成任何文件"
        print(f"nianbao-lint: 已中断：{saved}；再次运行同一命令将从中断处继续", file=sys.stderr)
        return 130
    finally:
        import signal

        signal.signal(signal.SIGINT, previous)
    gone = f"，已从文件夹删除 {summary.removed} 个（不再列入看板）" if summary.removed else ""
    print(
        f"共 {summary.total} 个文件：检查 {summary.linted} 个，未变化跳过 {summary.skipped} 个，失败 {summary.failed} 个{gone}；"
        f"跨文件核对发现 {summary.cross_year} 个问题；结果在 {args.db}"
    )
    for path, reason in summary.failures[:20]:
        print(f"  失败：{path}：{reason}", file=sys.stderr)
    return _audit_exit(args.db, [str(p) for p in collect(paths)], summary, fail_level, args.exit_zero)


def audit_report(args) -> int:
    from linter.audit.report import write

    if not Path(args.db).is_file():
        raise UsageError(f"找不到审核数据库 {args.db}（先运行 nianbao-lint audit）")
    folder = Path(args.db).parent
    html_path, xlsx_path = args.html or folder / "audit-report.html", args.xlsx or folder / "audit-report.xlsx"
    write(args.db, html_path, xlsx_path, include_info=args.with_info)
    print(f"看板：{html_path}\n工作簿：{xlsx_path}")
    return 0


def dump(args) -> int:
    from linter.dump import dump as show

    return show(args.path, args.format, sys.stdout, args.config, args.ocr)


def rules(args) -> int:
    from linter.explain import list_rules, rules_markdown

    if args.format == "md":
        sys.stdout.write(rules_markdown())
    else:
        list_rules(sys.stdout)
    return 0


def explain(args) -> int:
    from linter.explain import explain as show

    return show(args.rule, sys.stdout, args.config)


def serve(args) -> int:
    try:
        from linter.serve import run
    except ImportError as exc:
        raise UsageError(f"serve 需要可选组件：pip install 'nianbao-lint[serve]'（缺少 {exc.name}）") from None
    return run(args.host, args.port, args.max_mb)


def warm(args) -> int:
    from linter.warm import manage

    return {"start": manage.start, "status": manage.status, "stop": manage.stop}[args.action]()
