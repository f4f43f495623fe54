"""One page image read by OCR into the same ``Page`` (characters with boxes, ruling edges) that
the text-layer reader makes, so table finding, reading order and the parser are shared.

The image is cleaned and straightened, its ruling lines found; each table cell's ink is cut out
and read on its own (a cell of digits is read again by the Latin model restricted to digits, which
tells 0 from O and 7 from 了), and the rest of the page is read as prose with the cells blanked.
Each word's box is shared out among its characters; every character keeps its word's confidence,
and every cell its lowest word confidence.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from linter.load import ocr, ocrgrid
from linter.load.pdfpage import Char, Page

DPI = 200
_DIGITLIKE = re.compile(r"^[0-9０-９OoQDIl|!丨〇○。，,.．·°了工口\-—－–_/／]{1,16}$")
_FULL = str.maketrans("０１２３４５６７８９，．－", "0123456789,.-")
_AS_DIGIT = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "Q": "0",
        "D": "0",
        "〇": "0",
        "○": "0",
        "°": "0",
        "。": "0",
        "口": "0",
        "l": "1",
        "I": "1",
        "|": "1",
        "!": "1",
        "丨": "1",
        "工": "1",
        "了": "7",
        "，": ",",
        "．": ".",
        "·": ".",
    }
)
_PLACEHOLDER = re.compile(r"^[\-—－–_/／]+$")


@dataclass(slots=True)
class OcrChar(Char):
    conf: float = 1.0


@dataclass
class Scan:
    """A page read by OCR: the page, its cells (points) with their confidence, time taken."""

    page: Page
    cells: list[tuple[tuple[float, float, float, float], float]] = field(default_factory=list)
    seconds: float = 0.0
    angle: float = 0.0


def render(pdf, index: int, dpi: int = DPI):
    """The page as an RGB array and its height in points."""
    page = pdf[index]
    try:
        _, bottom, _, top = page.get_mediabox()
        return page.render(scale=dpi / 72, rev_byteorder=True).to_numpy()[..., :3], top - bottom
    finally:
        page.close()


def _chars(words: list[ocr.Word], dx: int, dy: int, scale: float) -> list[OcrChar]:
    """Characters of the words, laid out left to right in the engine's reading order: the engine's
    word boxes of Chinese text overlap, so each word starts where the previous one ended at the
    earliest. All characters of one engine line share its top, bottom and baseline."""
    out, last_line, cursor = [], None, 0.0
    for w in words:
        text = re.sub(r"\s", "", w.text)
        if not text:
            continue
        if w.line != last_line:
            last_line, cursor = w.line, float(w.left)
            first = True
        else:
            first = False
        start = max(float(w.left), cursor)
        if not first and start - cursor < 0.8 * (w.line_bottom - w.line_top):
            start = cursor  # Chinese prose has no spaces: a narrow gap between words is none
        end = max(float(w.right), start + len(text))
        step = (end - start) / len(text)
        top, bottom = (w.line_top + dy) / scale, (w.line_bottom + dy) / scale
        for k, ch in enumerate(text):
            x0 = (start + dx + k * step) / scale
            out.append(OcrChar(ch, x0, x0 + step / scale, top, bottom, bottom, w.conf))
        cursor = end
    return out


def _digit_text(words: list[ocr.Word]) -> str:
    return "".join(w.text for w in words).replace(" ", "")


def read_image(rgb, scale: float, height: float, seconds: float = 30.0) -> Scan:
    """Read one page image (``scale`` pixels per point, page ``height`` in points)."""
    start = time.monotonic()
    gray, ink = ocrgrid.prepare(rgb)
    lines, edges = ocrgrid.ruling(ink, scale)
    across = sum(e["orientation"] == "h" for e in edges)
    if across >= 3 and 3 * sum(e["orientation"] == "v" for e in edges) < across:
        # rules across but hardly any upright: hairlines the threshold lost, looked for in faint ink
        # (which can also join the strokes of a line of text, so it is taken only if it finds more)
        faint = ocrgrid.ruling(ink, scale, gray)
        if len(ocrgrid.cells(faint[1])) > len(ocrgrid.cells(edges)):
            lines, edges = faint
    boxes = ocrgrid.cells(edges)
    text_ink = ink & ~lines
    prose = gray.copy()
    prose[lines] = 255
    scan = Scan(page=Page(height=height, edges=edges))
    crops, owners = [], []
    for box in boxes:
        x0, y0, x1, y1 = (int(round(v * scale)) for v in box)
        prose[y0:y1, x0:x1] = 255
        inner = int(scale)  # a pixel row of the ruling line may remain at the border
        piece = ocrgrid.crop(gray, text_ink, (x0 + inner, y0 + inner, x1 - inner, y1 - inner))
        if piece is None:
            scan.cells.append((box, 1.0))
        else:
            crops.append(piece)
            owners.append(box)

    def left() -> float:
        remaining = seconds - (time.monotonic() - start)
        if remaining <= 0:
            raise ocr.OcrTimeout
        return remaining

    readings = ocr.recognise([c[0] for c in crops], ocr.LANG_TEXT, 6, left())
    digitlike = [i for i, words in enumerate(readings) if _maybe_digits(words, crops[i][0])]
    if digitlike:
        again = ocr.recognise([crops[i][0] for i in digitlike], ocr.LANG_DIGITS, 7, left(), ocr.DIGITS)
        for i, words in zip(digitlike, again):
            words = _trim(words)
            if words and (not readings[i] or _better(words, readings[i])):
                readings[i] = words
            readings[i] = _trim(readings[i])
    for (_image, dx, dy), box, words in zip(crops, owners, readings):
        if words and _DIGITLIKE.match(_digit_text(words).translate(_FULL)):
            said = " ".join(w.text for w in words)
            number = as_number(said)
            if number != said:  # one word: the cell's digits with confusions resolved
                words = [
                    ocr.Word(
                        number,
                        words[0].left,
                        min(w.top for w in words),
                        words[-1].right,
                        max(w.bottom for w in words),
                        min(w.conf for w in words),
                        words[0].line,
                        words[0].line_top,
                        words[0].line_bottom,
                    )
                ]
        chars = _chars(words, dx, dy, scale)
        scan.page.chars.extend(chars)
        scan.cells.append((box, min((c.conf for c in chars), default=0.0)))
    page_words = ocr.recognise([prose], ocr.LANG_TEXT, 3, left())[0]
    if len(page_words) < 5 and (prose < 128).sum() > 40 * scale * scale:
        # a few lines between tables: the page layout analysis may find no block, sparse text mode does
        page_words = ocr.recognise([prose], ocr.LANG_TEXT, 11, left())[0]
    scan.page.chars.extend(_chars(page_words, 0, 0, scale))
    for c in scan.page.chars:
        c.text = c.text.translate(_FULL)
    scan.seconds = time.monotonic() - start
    return scan


def _maybe_digits(words: list[ocr.Word], image) -> bool:
    """Whether a cell may hold digits the text model misread: nothing read, a reading of digits
    and their look-alikes, mostly digits, or one or two characters narrower than Chinese ones."""
    text = _digit_text(words).translate(_FULL)
    if len({w.line for w in words}) > 1:
        return False  # a number is on one line; a label printed upright is not
    if not text or _DIGITLIKE.match(text) or sum(ch.isdigit() for ch in text) * 2 >= len(text):
        return True
    h, w = image.shape
    return len(text) <= 2 and w < 0.75 * h * len(text) + 12  # a Chinese character is as wide as high


def as_number(text: str) -> str:
    """The reading of a cell of digits with the engine's usual confusions resolved: letters and
    signs that look like digits (O/0, l/1, 〇, 了/7), full-width forms, stray points at the ends.
    A cell that is not all digits and look-alikes, or has no real digit among several
    characters, is left as read."""
    if re.search(r"\S\s+\S", text.strip()):
        return text  # two readings in one cell are not glued into one number
    compact = text.strip().translate(_FULL)
    if not compact or _PLACEHOLDER.match(compact) or not _DIGITLIKE.match(compact):
        return text
    mapped = compact.translate(_AS_DIGIT).strip(".,")
    if not re.fullmatch(r"\d+(?:[.,]\d+)*", mapped):
        return text
    if len(compact) > 1 and not any(ch.isdigit() for ch in compact):
        return text  # "Ol" is more likely a word than the number 01
    return mapped


def _trim(words: list[ocr.Word]) -> list[ocr.Word]:
    """Digit readings without the stray points and commas that specks of noise become."""
    out = []
    for w in words:
        w.text = w.text.strip(".,")
        if w.text:
            out.append(w)
    return out


def _better(digits: list[ocr.Word], text: list[ocr.Word]) -> bool:
    """Whether the digit model's reading beats the text model's for a cell of digits."""
    d, t = _digit_text(digits), _digit_text(text).translate(_FULL)
    if re.fullmatch(r"[\d,.\-]+", d) and not re.fullmatch(r"[\d,.\-]+", t):
        return True
    return min(w.conf for w in digits) >= min(w.conf for w in text)


def read_pdf_page(pdf, index: int, seconds: float = 30.0, dpi: int = DPI) -> Scan:
    rgb, height = render(pdf, index, dpi)
    return read_image(rgb, dpi / 72, height, seconds)
