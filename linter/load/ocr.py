"""The OCR engine: Tesseract (Debian's ``tesseract-ocr`` with ``tesseract-ocr-chi-sim``), run as
a child process on page and cell images, returning words with boxes and confidences.

Everything is local: the engine and its trained models come from the system packages, nothing is
fetched. A batch of images is read by one process (an image list), so the models are loaded once
per batch; the batch has a time limit and the child is killed when it overruns. ``available``
says whether OCR can run here; ``HINT`` tells users how to enable it when it cannot.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

HINT = (
    "可安装 OCR 组件以识别扫描件：pip install 'nianbao-lint[ocr]'，并安装 Tesseract 及其简体中文模型"
    "（Debian/Ubuntu：apt-get install tesseract-ocr tesseract-ocr-chi-sim）"
)
LANG_TEXT = "chi_sim"
LANG_DIGITS = "eng"
DIGITS = "0123456789.,-"


class OcrTimeout(Exception):
    """The engine did not finish a batch within its time limit."""


@dataclass(slots=True)
class Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float  # 0..1
    line: tuple[int, int, int]  # (block, paragraph, line) within its image
    line_top: int = 0
    line_bottom: int = 0


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """Whether the engine, its Chinese and Latin models and numpy are installed."""
    exe = shutil.which("tesseract")
    if not exe:
        return False
    try:
        import numpy  # noqa: F401  (the page analysis needs it)

        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (ImportError, OSError, subprocess.SubprocessError):
        return False
    langs = {line.strip() for line in out.splitlines()}
    return LANG_TEXT in langs and LANG_DIGITS in langs


def recognise(
    images: list, lang: str = LANG_TEXT, psm: int = 6, seconds: float = 60.0, whitelist: str | None = None
) -> list[list[Word]]:
    """Words of each image (grayscale uint8 numpy arrays), read by one engine process."""
    if not images:
        return []
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="nianbao-ocr-") as tmp:
        names = []
        for i, image in enumerate(images):
            name = os.path.join(tmp, f"{i:05d}.png")
            Image.fromarray(image).save(name, compress_level=1)
            names.append(name)
        listing = os.path.join(tmp, "images.txt")
        with open(listing, "w", encoding="utf-8") as fh:
            fh.write("\n".join(names) + "\n")
        cmd = [
            shutil.which("tesseract") or "tesseract",
            listing,
            "stdout",
            "-l",
            lang,
            "--psm",
            str(psm),
            "-c",
            "preserve_interword_spaces=1",
        ]
        if whitelist:
            cmd += ["-c", f"tessedit_char_whitelist={whitelist}"]
        cmd.append("tsv")
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one core per engine: audits run several workers
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=max(seconds, 1.0), env=env)
        except subprocess.TimeoutExpired:
            raise OcrTimeout from None
    return _parse_tsv(done.stdout, len(images))


def _parse_tsv(tsv: str, count: int) -> list[list[Word]]:
    out: list[list[Word]] = [[] for _ in range(count)]
    lines: dict[tuple, tuple[int, int]] = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or not f[1].isdigit():
            continue
        level, page = int(f[0]), int(f[1]) - 1
        if not 0 <= page < count:
            continue
        left, top, width, height = (int(v) for v in f[6:10])
        key = (page, int(f[2]), int(f[3]), int(f[4]))
        if level == 4:
            lines[key] = (top, top + height)
        text = f[11].strip()
        if level != 5 or not text:
            continue
        line_top, line_bottom = lines.get(key, (top, top + height))
        out[page].append(
            Word(
                text,
                left,
                top,
                left + width,
                top + height,
                max(float(f[10]), 0.0) / 100.0,
                key[1:],
                line_top,
                line_bottom,
            )
        )
    return out
