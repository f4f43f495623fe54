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


def chromium(data: bytes, cache: Path) -> Path:
    """An HTML page printed to PDF by headless Chromium."""
    out, key = _cached(cache, data, "chromium")
    if out.exists():
        return out
    if not available("chromium"):
        raise PrintError("chromium is not installed")
    with tempfile.TemporaryDirectory(dir=cache) as work:
        page = Path(work) / f"{key}.html"
        page.write_bytes(data)
        tmp = Path(work) / "out.pdf"
        cmd = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={work}/profile", f"--print-to-pdf={tmp}", page.as_uri()]
        run = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT)
        if not tmp.exists():
            raise PrintError(f"chromium failed ({run.returncode}): {run.stderr.decode(errors='replace')[-300:]}")
        os.replace(tmp, out)
    return out


def libreoffice(data: bytes, suffix: str, cache: Path) -> Path:
    """A Word file (suffix ".docx") or HTML page (".html") converted to PDF by LibreOffice."""
    out, key = _cached(cache, data, "soffice" + suffix)
    if out.exists():
        return out
    if not available("soffice"):
        raise PrintError("soffice (LibreOffice) is not installed")
    with tempfile.TemporaryDirectory(dir=cache) as work:
        src = Path(work) / f"{key}{suffix}"
        src.write_bytes(data)
        target = "pdf:writer_web_pdf_Export" if suffix == ".html" else "pdf"
        cmd = ["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless", "--norestore",
               "--convert-to", target, "--outdir", work, str(src)]
        run = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT)
        made = Path(work) / f"{key}.pdf"
        if not made.exists():
            raise PrintError(f"soffice failed ({run.returncode}): {run.stderr.decode(errors='replace')[-300:]}")
        os.replace(made, out)
    return out
