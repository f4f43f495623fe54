"""Which files a run lints: folders searched for report formats, ``exclude`` patterns (defaults,
configuration, ``--exclude``), text notes that are plainly not reports set aside, and ``-``
(standard input) saved to a private temporary file whose format is found from its content."""

from __future__ import annotations

import fnmatch
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from linter.load import SUFFIXES, sniff

# Files every repository has beside its reports, and dot-folders (.git, .venv …).
DEFAULT_EXCLUDE = (
    "README*",
    "CHANGELOG*",
    "CHANGES*",
    "LICENSE*",
    "LICENCE*",
    "COPYING*",
    "CONTRIBUTING*",
    "AUTHORS*",
    "NOTICE*",
    ".*",
)
# Words every annual report contains (its title names it); a text file with none of them is not one.
REPORT_WORDS = ("信息公开", "政务公开", "年度报告", "資訊公開", "信息公開", "政務公開", "年度報告")
_TEXT_KINDS = ("txt", "md")


@dataclass
class Selection:
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (path, why) for the user
    stdin: Path | None = None  # the temporary copy of standard input, to remove afterwards


def excluded(path: Path, patterns: list[str], root: Path | None = None, base: Path | None = None) -> bool:
    """Whether a pattern matches the path relative to ``root`` (the configuration's folder), or
    any one of its parts below ``base`` (the folder being searched): ``drafts`` excludes every
    drafts folder, ``2019/*.txt`` matches from the root. Folders above ``base`` are not judged."""
    try:
        parts = path.relative_to(base).parts if base is not None else (path.name,) if path.is_absolute() else path.parts
    except ValueError:
        parts = (path.name,)
    try:
        rel = path.resolve().relative_to((root or Path.cwd()).resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/")
        if not pattern:
            continue
        if "/" in pattern:
            if any(fnmatch.fnmatch(rel, p) for p in (pattern, pattern + "/*", pattern.lstrip("/"))):
                return True
        elif any(fnmatch.fnmatch(p, pattern) for p in parts if p not in (".", "..")):
            return True
    return False


def plainly_not_a_report(path: Path) -> bool:
    """A text or Markdown file of readable text (notes, a to-do list) in which no word of a
    report's title occurs. Anything else is looked at and judged: an empty or garbled file, a
    web page, a PDF or Word file is never set aside here."""
    if path.suffix.lower() not in (".txt", ".md"):
        return False
    from linter.load import LoadError, read_file

    try:  # a regular file only, and bounded: a FIFO or /dev/zero behind a .txt name never blocks
        data = read_file(path, 2 * 1024 * 1024)
    except (OSError, LoadError):
        return False  # let the reader report it
    if not data.strip() or sniff(data, path.suffix.lower()) not in _TEXT_KINDS:
        return False
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\0" in text:
        return False
    printable = sum(1 for c in text if c.isprintable() or c in "\n\r\t")
    if printable < 0.98 * len(text):
        return False
    return not any(word in text for word in REPORT_WORDS)


def gather(paths: list[str], exclude: list[str], root: Path | None, force_exclude: bool = False) -> Selection:
    """The files to lint. Folders are searched; files named on the command line are linted as
    given unless ``force_exclude`` (the pre-commit hook, which names every staged file)."""
    patterns = [*DEFAULT_EXCLUDE, *exclude]
    out = Selection()
    for raw in paths:
        if raw == "-":
            out.stdin = out.stdin or _stdin()
            out.files.append(out.stdin)
            continue
        path = Path(raw)
        if path.is_dir():
            unlisted = lambda exc: out.files.append(Path(exc.filename))  # noqa: E731  # reading it says why
            for folder, dirs, names in os.walk(path, onerror=unlisted, followlinks=False):
                here = Path(folder)
                dirs[:] = sorted(d for d in dirs if not excluded(here / d, patterns, root, path))
                for name in sorted(names):
                    file = here / name
                    if file.suffix.lower() not in SUFFIXES or excluded(file, patterns, root, path):
                        continue
                    if plainly_not_a_report(file):
                        out.skipped.append((file, "不像年度报告（没有“信息公开”“年度报告”等字样）"))
                    else:
                        out.files.append(file)
        elif force_exclude and excluded(path, patterns, root):
            out.skipped.append((path, "按 exclude 设置排除"))
        elif force_exclude and path.is_file() and plainly_not_a_report(path):
            out.skipped.append((path, "不像年度报告（没有“信息公开”“年度报告”等字样）"))
        else:
            out.files.append(path)
    return out


def _stdin() -> Path:
    import sys

    data = sys.stdin.buffer.read()
    kind = sniff(data, "")
    folder = Path(tempfile.mkdtemp(prefix="nianbao-lint-"))  # private: mode 0700
    path = folder / f"stdin.{kind}"
    path.write_bytes(data)
    return path


def cleanup(selection: Selection) -> None:
    if selection.stdin is not None:
        import shutil

        shutil.rmtree(selection.stdin.parent, ignore_errors=True)
