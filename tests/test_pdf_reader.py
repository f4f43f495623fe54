"""The PDF reader's bounded memory: a long PDF is reopened every few pages so that PDFium's
caches of fonts and images do not grow with it, and reading it so gives the same document. Its
pages can be shared out among reader processes and put together again as one process reads them."""

from __future__ import annotations

import errno
import os
import signal

import pypdfium2 as pdfium
import pytest
from conftest import FIXTURES

from linter import isolate
from linter.load import load
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


def _forks() -> bool:
    """``isolate.available`` where a library another test used left a thread of its own (dask's
    offload thread): the readers are forked all the same, as in a process of one thread."""
    return hasattr(os, "fork")


def _long_pdf(tmp_path, copies: int):
    source = pdfium.PdfDocument(FIXTURES / "real" / "2024_huaian-shi_1.pdf")
    book = pdfium.PdfDocument.new()
    for _ in range(copies):
        book.import_pages(source)
    path = tmp_path / "long.pdf"
    book.save(path)
    book.close()
    source.close()
    return path


def test_pages_shared_out_among_two_readers_give_the_document_one_process_reads(tmp_path, monkeypatch):
    path = _long_pdf(tmp_path, 2)
    alone = load(path, isolate=False)
    monkeypatch.setattr(isolate, "readers", lambda: 2)
    monkeypatch.setattr(isolate, "available", _forks)
    shared = load(path, isolate=True)
    pids = {reader.pid for reader in isolate._readers.values()}
    assert len(pids) == 2 and os.getpid() not in pids  # two reader processes took part
    assert alone.pages == 12 and len(alone.blocks) > 20
    assert shared.model_dump() == alone.model_dump()
    pages, odd = pdfload.read_pages(path.read_bytes(), str(path), 1, 2)
    assert pages == 12 and [r.index for r in odd] == [1, 3, 5, 7, 9, 11]
    # each reader ends when its pipe closes: the other does not hold it open
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("a reader did not end when its pipe closed"))
    signal.alarm(20)
    try:
        assert [isolate._readers.pop(slot).close(kill=False) for slot in sorted(isolate._readers)] == [0, 0]
    finally:
        signal.alarm(0)


def test_a_page_that_could_not_be_read_is_named_and_the_others_are_kept(tmp_path):
    path = _long_pdf(tmp_path, 1)
    pages, reads = pdfload.read_pages(path.read_bytes(), str(path))
    whole = pdfload.assemble(str(path), pages, reads, "auto")
    reads[1] = pdfload.PageRead(index=1, failed="ValueError")
    broken = pdfload.assemble(str(path), pages, reversed(reads), "auto")  # any order: by page
    assert "第2页无法解析（ValueError），已跳过" in broken.problems
    assert {b.loc.page for b in broken.blocks} == {b.loc.page for b in whole.blocks} - {2}
    kept = [b.model_dump() for b in broken.blocks if b.loc.page == 1]
    # page 1 is read as before, but for its last paragraph, which page 3 now continues
    assert len(kept) > 5 and kept[:-1] == [b.model_dump() for b in whole.blocks if b.loc.page == 1][:-1]


def test_where_no_second_reader_can_be_forked_one_reads_all_the_pages(tmp_path, monkeypatch):
    path = _long_pdf(tmp_path, 1)
    alone = load(path, isolate=False)
    for slot in sorted(isolate._readers):
        isolate._readers.pop(slot).close(kill=True)
    forked = isolate._Reader

    def one_at_most(memory_mb):
        if isolate._readers:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
        return forked(memory_mb)

    monkeypatch.setattr(isolate, "_Reader", one_at_most)
    monkeypatch.setattr(isolate, "readers", lambda: 2)
    monkeypatch.setattr(isolate, "available", _forks)
    assert load(path, isolate=True).model_dump() == alone.model_dump()
    assert list(isolate._readers) == [0]
