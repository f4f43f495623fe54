"""Input loading: detect a file's kind by content and turn it into a ``Document``.

One loader per format (``LOADERS``); every loader returns the same ``Document`` of located
paragraphs and table grids, so the parser and rules never see the source format. Only regular
files are read, never more than the size limit; PDF and DOCX loaders can be run in a bounded
reader process (``linter.isolate``).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from linter.models import Document


class LoadError(Exception):
    """The file could not be turned into a Document; the message is for users (Chinese)."""


class NotRegularFile(OSError):
    """A FIFO, device, socket or folder where a report file was expected."""


def sniff(data: bytes, suffix: str) -> str:
    """The format of a file by its content, with the suffix only as a tie-breaker."""
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return "docx"
    lowered = head[:1024].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered or b"<body" in lowered:
        return "html"
    if suffix in (".html", ".htm") and b"<" in lowered:
        return "html"
    if suffix == ".md":
        return "md"
    return "txt"


def _loader(kind: str):
    if kind in ("txt", "md"):
        from linter.load import txt

        return txt.load
    if kind == "docx":
        from linter.load import docx

        return docx.load
    if kind == "html":
        from linter.load import html

        return html.load
    if kind == "pdf":
        import pypdfium2  # noqa: F401 — imported once here, not in every reading process

        from linter.load import pdf

        return pdf.load
    raise LoadError(f"暂不支持读取 {kind} 格式的文件")


SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")


MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 300


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "文件夹"),
        (stat.S_ISFIFO, "命名管道（FIFO）"),
        (stat.S_ISCHR, "字符设备"),
        (stat.S_ISBLK, "块设备"),
        (stat.S_ISSOCK, "套接字"),
    ):
        if test(mode):
            return name
    return "特殊文件"


def open_regular(path: str | Path) -> int:
    """A descriptor open on a regular file, or ``NotRegularFile``: opened non-blocking (a FIFO
    cannot make it wait) and checked on the descriptor itself, so nothing can be swapped in."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise NotRegularFile(errno.EINVAL, f"不是普通文件（{_kind(mode)}），已跳过", str(path))
    return fd


def read_file(path: str | Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most ``max_bytes``: a FIFO, device or socket (also behind
    a symlink) is refused, and the size is checked on the bytes actually read, not on what stat
    says. OSError propagates: the caller reports an unreadable file."""
    fd = open_regular(path)
    try:
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise LoadError(f"文件大小超过上限 {max_bytes / 2**20:.0f} MB，未读取（可在配置的 limits 中调整）")
        return b"".join(chunks)
    finally:
        os.close(fd)


# Formats read by C libraries (PDFium; zlib and expat), where one call can run for minutes or take
# gigabytes. The text formats are read by Python code, which the time limit interrupts, within
# caps of their own; isolating them would cost more (a fork and a pickle) than their reading.
ISOLATED = ("pdf", "docx")


def load(
    path: str | Path,
    max_bytes: int = MAX_BYTES,
    max_pages: int = MAX_PAGES,
    memory_mb: int = 0,
    isolate: bool = False,
    ocr: str = "auto",
    ocr_seconds: float = 30.0,
    tables_read: Callable[[Document], bool] | None = None,
) -> Document:
    """The Document of one file. With ``isolate``, the loader of a format in ``ISOLATED`` runs on
    the bytes in a child process under ``memory_mb`` (``linter.isolate``): this process reads
    the file and imports the loader, which the child inherits, so isolation costs a fork and a
    pickle. A PDF's pages are shared out among ``isolate.readers()`` such processes (every
    other page to each) and put together here. ``ocr`` (auto, always, never) and ``ocr_seconds`` (per page or picture) govern reading
    scanned PDF pages, and tables pasted as pictures into DOCX and HTML, by OCR; in ``auto`` mode
    pictures are read unless ``tables_read(doc)`` says the tables were read as text (the caller,
    which parses, judges: loading knows nothing of the parser)."""
    path = Path(path)
    size = path.stat().st_size  # OSError propagates: the caller reports an unreadable file
    if size > max_bytes:
        raise LoadError(
            f"文件大小 {size / 2**20:.1f} MB，超过上限 {max_bytes / 2**20:.0f} MB，未读取（可在配置的 limits 中调整）"
        )
    data = read_file(path, max_bytes)
    kind = sniff(data, path.suffix.lower())
    loader = _loader(kind)
    extra = {"max_pages": max_pages, "ocr": ocr, "ocr_seconds": ocr_seconds} if kind == "pdf" else {}
    if isolate and kind in ISOLATED:
        from linter import isolate as isolation

        if isolation.available() and kind == "pdf":  # the pages shared out among the readers
            from linter.load import pdf

            parts = isolation.readers()
            calls = [(pdf.read_pages, (data, str(path), k, parts, max_pages, ocr, ocr_seconds)) for k in range(parts)]
            read = isolation.spread(calls, memory_mb)
            return pdf.assemble(str(path), read[0][0], [page for _, pages in read for page in pages], ocr)
        if isolation.available():
            doc = isolation.bounded(_call, loader, data, str(path), kind, extra, memory_mb=memory_mb)
            return _pictures(doc, data, kind, ocr, ocr_seconds, tables_read)
    return _pictures(loader(data, str(path), kind, **extra), data, kind, ocr, ocr_seconds, tables_read)


def _call(loader, data: bytes, path: str, kind: str, extra: dict) -> Document:
    return loader(data, path, kind, **extra)


def _pictures(doc: Document, data: bytes, kind: str, ocr: str, ocr_seconds: float, tables_read=None) -> Document:
    """Tables pasted as pictures into a DOCX or HTML report, read by OCR where there is no table as text."""
    pictures = b"word/media/" in data if kind == "docx" else kind == "html" and re.search(rb"<img\b", data, re.I)
    if pictures and ocr != "never":
        from linter.load.ocrimages import add_picture_tables

        add_picture_tables(doc, data, ocr, ocr_seconds, tables_read)
    return doc


def load_text(text: str, path: str = "<text>", kind: str = "txt") -> Document:
    """Load a report given as a string (used by tests and the API)."""
    from linter.load import txt

    return txt.load(text.encode("utf-8"), path, kind)
