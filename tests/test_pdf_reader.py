"""The PDF reader's bounded memory: a long PDF is reopened every few pages so that PDFium's
caches of fonts and images do not grow with it, and reading it so gives the same document."""

from __future__ import annotations

import pypdfium2 as pdfium
from conftest import FIXTURES

from linter.load import pdf as pdfload


def test_reopening_a_long_pdf_reads_the_same_document(tmp_path, monkeypatch):
    source = pdfium.PdfDocument(FIXTURES / "real" / "2024_huaian-shi_1.pdf")
    book = pdfium.PdfDocument.new()
    for _ in range(4):
        book.import_pages(source)
    path = tmp_path / "long.pdf"
    book.save(path)
    book.close()
    source.close()
    data = path.read_bytes()
    monkeypatch.setattr(pdfload, "REOPEN_EVERY", 10**6)
    whole = pdfload.load(data, str(path))
    monkeypatch.setattr(pdfload, "REOPEN_EVERY", 5)
    reopened = pdfload.load(data, str(path))
    assert whole.pages == 24 and len(whole.blocks) > 50
    assert reopened.model_dump() == whole.model_dump()
