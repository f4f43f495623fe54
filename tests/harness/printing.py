"""PDFs printed by real programs: LibreOffice (from a Word file or an HTML page) and headless
Chromium (from an HTML page). Results are cached by content hash in a folder the caller owns,
so each document is printed once per cache."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 180


class PrintError(Exception):
    """The printing program is missing or failed; the message says which and why."""


def available(program: str) -> bool:
    return shutil.which(program) is not None


def _cached(cache: Path, data: bytes, tag: str) -> tuple[Path, str]:
    tag += "\0" + os.environ.get("FONTCONFIG_FILE", "")  # another font set prints another PDF
    key = hashlib.sha256(tag.encode() + b"\0" + data).hexdigest()[:20]
    return cache / f"{key}.pdf", key


def _print(data: bytes, cache: Path, tag: str, program: str, suffix: str, command) -> Path:
    """Print ``data`` (written as ``<key><suffix>`` in a fresh folder) with ``program``:
    ``command(work, source)`` gives the argument list and the path the PDF appears at."""
    out, key = _cached(cache, data, tag)
    if out.exists():
        return out
    if not available(program):
        raise PrintError(f"{program} is not installed")
    with tempfile.TemporaryDirectory(dir=cache) as work:
        src = Path(work) / f"{key}{suffix}"
        src.write_bytes(data)
        cmd, made = command(work, src)
        run = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT)
        if not made.exists():
            raise PrintError(f"{program} failed ({run.returncode}): {run.stderr.decode(errors='replace')[-300:]}")
        os.replace(made, out)
    return out


def chromium(data: bytes, cache: Path) -> Path:
    """An HTML page printed to PDF by headless Chromium."""

    def command(work: str, page: Path):
        tmp = Path(work) / "out.pdf"
        return [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={work}/profile",
            f"--print-to-pdf={tmp}",
            page.as_uri(),
        ], tmp

    return _print(data, cache, "chromium", "chromium", ".html", command)


def libreoffice(data: bytes, suffix: str, cache: Path) -> Path:
    """A Word file (suffix ".docx") or HTML page (".html") converted to PDF by LibreOffice."""

    def command(work: str, src: Path):
        target = "pdf:writer_web_pdf_Export" if suffix == ".html" else "pdf"
        return [
            "soffice",
            f"-env:UserInstallation=file://{work}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            work,
            str(src),
        ], src.with_suffix(".pdf")

    return _print(data, cache, "soffice" + suffix, "soffice", suffix, command)
