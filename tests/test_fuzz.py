"""Property-based tests: random and mutated documents given to every loader and the parser
come back as a Document and a Report (perhaps with parse-error notes), never as an exception."""

from __future__ import annotations

import io
import zipfile

from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter import engine
from linter.load import LoadError, sniff
from linter.load import docx as docx_loader
from linter.load import html as html_loader
from linter.load import pdf as pdf_loader
from linter.load import txt as txt_loader
from linter.parse import parse

SEED = (FIXTURES / "seeds" / "004_b64fd1fa63a59982.txt").read_bytes()
RULES = engine.load_rules()
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def lint_bytes(data: bytes, loader, kind: str) -> None:
    try:
        doc = loader(data, f"fuzz.{kind}", kind)
    except LoadError:
        return  # a clear, expected refusal
    report = parse(doc)
    engine.run(report, RULES, f"fuzz.{kind}")


@FAST
@given(st.binary(max_size=4000))
def test_random_bytes_as_any_format(data):
    for loader, kind in ((txt_loader.load, "txt"), (html_loader.load, "html"), (docx_loader.load, "docx")):
        lint_bytes(data, loader, kind)
    sniff(data, ".pdf")


PDF = (FIXTURES / "real" / "2024_huaian-hongzequ_1.pdf").read_bytes()


@FAST
@given(
    st.binary(max_size=3000),
    st.lists(st.tuples(st.integers(0, len(PDF) - 1), st.binary(max_size=16)), max_size=20),
    st.integers(0, len(PDF)),
)
def test_random_and_mutated_pdfs(noise, edits, cut):
    """Random bytes behind a PDF header, and a real report with bytes overwritten and its tail
    cut off: each is read page by page or refused with a clear message, never an exception."""
    lint_bytes(b"%PDF-1.7\n" + noise, pdf_loader.load, "pdf")
    data = bytearray(PDF)
    for at, chunk in edits:
        data[at : at + len(chunk)] = chunk
    lint_bytes(bytes(data[: max(cut, 1)]), pdf_loader.load, "pdf")


@FAST
@given(st.lists(st.tuples(st.integers(0, len(SEED) - 1), st.binary(max_size=8)), max_size=12))
def test_mutated_report_text(edits):
    data = bytearray(SEED)
    for pos, chunk in edits:
        data[pos : pos + len(chunk)] = chunk
    lint_bytes(bytes(data), txt_loader.load, "txt")


CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "0",
            "—",
            "/",
            "无",
            "12",
            "3.5",
            "-4",
            "0 0",
            "1.属于国家秘密",
            "（七）总计",
            "四、结转下年度继续办理",
            "本年新收",
            "行政复议",
            "总计",
        ]
    ),
    st.text(max_size=6),
)


@FAST
@given(st.lists(st.lists(CELL, min_size=1, max_size=10), max_size=30))
def test_random_tables_under_report_headings(rows):
    lines = (
        [
            "某局2023年政府信息公开工作年度报告",
            "一、总体情况",
            "2023年，本局依法公开政府信息。",
            "三、收到和处理政府信息公开申请情况",
        ]
        + ["\t".join(r) for r in rows]
        + ["四、政府信息公开行政复议、行政诉讼情况"]
        + ["\t".join(r) for r in rows[::-1]]
    )
    lint_bytes("\n".join(lines).encode("utf-8"), txt_loader.load, "txt")


@FAST
@given(
    st.recursive(
        st.text(max_size=20),
        lambda inner: st.builds(
            lambda tag, kids: f"<{tag} rowspan='3' colspan='9999'>{''.join(kids)}</{tag}>",
            st.sampled_from(["div", "table", "tr", "td", "p", "span", "script"]),
            st.lists(inner, max_size=4),
        ),
        max_leaves=40,
    )
)
def test_random_markup(fragment):
    page = f"<html><body><div class='article-content'><p>一、总体情况</p>{fragment}</div></body></html>"
    lint_bytes(page.encode("utf-8"), html_loader.load, "html")


@FAST
@given(st.binary(max_size=2000))
def test_random_word_document_bodies(body):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", body)
    lint_bytes(buffer.getvalue(), docx_loader.load, "docx")


def test_deeply_nested_page_and_entity_tricks(tmp_path):
    deep = "<div>" * 10000 + "一、总体情况" + "</div>" * 10000
    doc = html_loader.load(f"<html><body>{deep}</body></html>".encode(), "deep.html")
    assert any("总体情况" in b.text for b in doc.blocks if b.kind == "paragraph")
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        "<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
    )
    external = laughs.replace('<!ENTITY lol "lol">', '<!ENTITY lol SYSTEM "file:///etc/passwd">')
    for xml in (laughs, external):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("word/document.xml", xml)
        try:
            docx_loader.load(buffer.getvalue(), "evil.docx")
            raise AssertionError("a document with entity declarations was read")
        except LoadError as exc:
            assert "DOCTYPE" in str(exc)
