"""Scanned versions of PDF fixtures, made the way an office makes them: each page rendered by
PDFium, turned slightly, speckled, softened, stamped with a red seal over part of the page and
JPEG-compressed, then wrapped page by page as an image-only PDF (no text layer)."""

from __future__ import annotations

import io
import math
import random
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter


def degrade(
    image: Image.Image, seed: int, angle: float = 0.6, noise: float = 0.002, blur: float = 0.6, stamp: bool = True
) -> Image.Image:
    """A page image as a scanner leaves it."""
    rng = random.Random(seed)
    img = image.convert("RGB")
    if stamp:  # a red seal, partly over the text, as on a signed report
        w, h = img.size
        r = int(w * 0.09)
        cx, cy = rng.randint(int(w * 0.55), int(w * 0.8)), rng.randint(int(h * 0.3), int(h * 0.8))
        layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(layer)
        for k in range(3):
            draw.ellipse((cx - r + k, cy - r + k, cx + r - k, cy + r - k), outline=(220, 30, 30, 170))
        for k in range(5):  # the star in the middle
            a = math.pi / 2 + k * 4 * math.pi / 5
            b = math.pi / 2 + (k + 1) * 4 * math.pi / 5
            draw.line(
                (
                    cx + r * 0.3 * math.cos(a),
                    cy - r * 0.3 * math.sin(a),
                    cx + r * 0.3 * math.cos(b),
                    cy - r * 0.3 * math.sin(b),
                ),
                fill=(220, 30, 30, 170),
                width=3,
            )
        img = Image.alpha_composite(img.convert("RGBA"), layer).convert("RGB")
    if angle:
        img = img.rotate(rng.uniform(-angle, angle), resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        arr = np.asarray(img).copy()
        nrng = np.random.default_rng(seed)
        mask = nrng.random(arr.shape[:2]) < noise
        arr[mask] = nrng.integers(0, 256, size=(int(mask.sum()), 1), dtype=np.uint8)
        img = Image.fromarray(arr)
    return img


def scan_pdf(
    source: str | Path, pages: list[int] | None = None, dpi: int = 200, seed: int = 0, quality: int = 80, **degradation
) -> bytes:
    """An image-only PDF of the given pages (0-based; all by default) of ``source``."""
    src = pdfium.PdfDocument(str(source))
    out = pdfium.PdfDocument.new()
    try:
        for _n, index in enumerate(pages if pages is not None else range(len(src))):
            page = src[index]
            width, height = page.get_size()
            image = page.render(scale=dpi / 72, rev_byteorder=True).to_pil()
            page.close()
            image = degrade(image, seed * 1000 + index, **degradation)
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality)
            buffer.seek(0)
            new = out.new_page(width, height)
            obj = pdfium.PdfImage.new(out)
            obj.load_jpeg(buffer, inline=False, autoclose=True)
            obj.set_matrix(pdfium.PdfMatrix().scale(width, height))
            new.insert_obj(obj)
            new.gen_content()
            new.close()
        data = io.BytesIO()
        out.save(data)
        return data.getvalue()
    finally:
        out.close()
        src.close()
