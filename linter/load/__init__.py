"""Input loading: detect a file's kind by content and turn it into a ``Document``.

One loader per format (``LOADERS``); every loader returns the same ``Document`` of located
paragraphs and table grids, so the parser and rules never see the source format.
"""

from __future__ import annotations

import re
from pathlib import Path

from linter.models import Document


class LoadError(Exception):
    """The file could not be turned into a Document; the message is for users (Chinese)."""


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
        from linter.load import pdf

        return pdf.load
    raise LoadError(f"暂不支持读取 {kind} 格式的文件")


SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")


MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 300


def load(path: str | Path, max_bytes: int = MAX_BYTES, max_pages: int = MAX_PAGES, ocr: str = "auto",
         ocr_seconds: float = 30.0) -> Document:
    """Load one file; ``ocr`` (auto, always, never) and ``ocr_seconds`` (per page or picture)
    govern reading scanned PDF pages, and tables pasted as pictures into DOCX and HTML, by OCR."""
    path = Path(path)
    size = path.stat().st_size  # OSError propagates: the caller reports an unreadable file
    if size > max_bytes:
        raise LoadError(f"文件大小 {size / 2**20:.1f} MB，超过上限 {max_bytes / 2**20:.0f} MB，未读取（可在配置的 limits 中调整）")
    data = path.read_bytes()
    kind = sniff(data, path.suffix.lower())
    if kind == "pdf":
        from linter.load import pdf

        return pdf.load(data, str(path), kind, max_pages=max_pages, ocr=ocr, ocr_seconds=ocr_seconds)
    doc = _loader(kind)(data, str(path), kind)
    pictures = b"word/media/" in data if kind == "docx" else kind == "html" and re.search(rb"<img\b", data, re.I)
    if pictures and ocr != "never":  # tables pasted as pictures
        from linter.load.ocrimages import add_picture_tables

        add_picture_tables(doc, data, ocr, ocr_seconds)
    return doc


def load_text(text: str, path: str = "<text>", kind: str = "txt") -> Document:
    """Load a report given as a string (used by tests and the API)."""
    from linter.load import txt

    return txt.load(text.encode("utf-8"), path, kind)
