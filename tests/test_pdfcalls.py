"""The lean PDFium calls of the reader's loops give what pypdfium2's declared bindings give, and
the memoised text helpers hand out results that a caller may change."""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from conftest import FIXTURES

from linter.load import pdfpage
from linter.load.pdfcalls import handle, lean
from linter.textutil import parse_number, split_mixed

PDFS = sorted(p for d in ("real", "generated") for p in (FIXTURES / d).glob("*.pdf"))


def _declared_chars(page, top: float) -> list[tuple]:
    """The characters as the reader takes them, read through pypdfium2's own bindings."""
    textpage = page.get_textpage()
    out = []
    try:
        rect, x, y = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
        box = [ctypes.c_double() for _ in range(4)]
        for i in range(raw.FPDFText_CountChars(textpage.raw)):
            code = raw.FPDFText_GetUnicode(textpage.raw, i)
            if code <= 32 or code in pdfpage._SKIP or not raw.FPDFText_GetLooseCharBox(textpage.raw, i, rect):
                continue
            raw.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
            x0, x1, upper, lower, base = rect.left, rect.right, rect.top, rect.bottom, y.value
            if x1 - x0 > 40 or upper - lower > 40:  # the reader's check of the glyph's own box
                raw.FPDFText_GetCharBox(textpage.raw, i, *box)
                left, right, low, high = (b.value for b in box)
                if x1 - x0 > 4 * (right - left) + 10 or upper - lower > 4 * (high - low) + 10:
                    x0, x1, upper, lower, base = left, right, high, low, low
            out.append((chr(code), x0, x1, top - upper, top - lower, top - base))
    finally:
        textpage.close()
    return out


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_lean_calls_read_the_characters_the_declared_bindings_read(path):
    pdf = pdfium.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            top = page.get_mediabox()[3]
            got = [(c.text, c.x0, c.x1, c.top, c.bottom, c.base) for c in pdfpage._chars(raw, page, top)]
            want = _declared_chars(page, top)
            if not any(0xD800 <= ord(t[0]) <= 0xDFFF for t in want):  # surrogate halves are joined by the reader
                assert got == want
            page.close()
    finally:
        pdf.close()


def test_lean_handles_pass_through_and_null_is_false():
    pdf = pdfium.PdfDocument(FIXTURES / "real" / "2024_huaian-shi_1.pdf")
    try:
        page = pdf[0]
        api = lean(raw)
        h = handle(page.raw)
        count = api.FPDFPage_CountObjects(h)
        assert count == raw.FPDFPage_CountObjects(page.raw) > 0
        types = [api.FPDFPageObj_GetType(api.FPDFPage_GetObject(h, i)) for i in range(count)]
        assert types == [raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page.raw, i)) for i in range(count)]
        assert not api.FPDFPage_GetObject(h, count)  # past the end: a null handle
        page.close()
    finally:
        pdf.close()


def test_memoised_split_gives_a_fresh_list_each_call():
    first = split_mixed("规章000行政规范性文件6 2 3")
    assert first == [("L", "规章"), ("N", "000"), ("L", "行政规范性文件"), ("N", "6"), ("N", "2"), ("N", "3")]
    first.clear()
    assert split_mixed("规章000行政规范性文件6 2 3")[1] == ("N", "000")
    assert split_mixed("—") == [("N", "—")]
    assert parse_number("1,234件") == parse_number("1,234件") == (parse_number("5")[0], 1234)
