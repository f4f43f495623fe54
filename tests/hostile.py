"""Hostile inputs built in code (nothing stored): PDFs written object by object, pathological
HTML, text and DOCX, so that every attack the tool must survive can be rebuilt in a test."""

from __future__ import annotations

import io
import zipfile
import zlib

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def pdf(page_content: bytes, xobjects: dict[str, bytes] | None = None, compress: bool = True, size: int = 842) -> bytes:
    """A one-page PDF whose page draws ``page_content``; ``xobjects`` are form XObjects by name,
    each able to invoke all the others (their resources name every form), with a Helvetica font
    as /F1. Offsets in the cross-reference table are exact."""
    xobjects = xobjects or {}
    names = list(xobjects)
    first_form = 5
    refs = " ".join(f"/{n} {first_form + i} 0 R" for i, n in enumerate(names))
    resources = f"<< /Font << /F1 4 0 R >> /XObject << {refs} >> >>".encode()

    def stream(body: bytes, extra: bytes = b"") -> bytes:
        data = zlib.compress(body, 9) if compress else body
        flate = b" /Filter /FlateDecode" if compress else b""
        return b"<< /Length %d%s%s >>\nstream\n" % (len(data), flate, extra) + data + b"\nendstream"

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources " % (size, size)
        + resources
        + b" /Contents %d 0 R >>" % (first_form + len(names)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for n in names:
        objects.append(
            stream(xobjects[n], b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + resources)
        )
    objects.append(stream(page_content))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def fanout_pdf(width: int = 10, depth: int = 6) -> bytes:
    """Form XObjects that each invoke the next level ``width`` times, ``depth`` levels deep: a
    few kilobytes that expand to width**depth text objects."""
    forms = {f"X{level}": b" ".join([b"/X%d Do" % (level + 1)] * width) for level in range(depth)}
    forms[f"X{depth}"] = b"BT /F1 1 Tf 10 10 Td (a) Tj ET"
    return pdf(b"/X0 Do", forms)


def grid_pdf(n: int = 2000, step: float = 7.0) -> bytes:
    """A large page ruled into an n × n grid of cells ``step`` points wide (wider than the
    tolerance that snaps lines together), compressed to a few kilobytes."""
    end = 10 + n * step
    lines = [b"0.1 w"]
    for i in range(n + 1):
        pos = 10 + i * step
        lines.append(b"10 %.1f m %.1f %.1f l S" % (pos, end, pos))
        lines.append(b"%.1f 10 m %.1f %.1f l S" % (pos, pos, end))
    lines.append(b"BT /F1 12 Tf 20 20 Td (Report) Tj ET")
    return pdf(b"\n".join(lines), size=int(end) + 10)


def docx(body: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", body)
    return buffer.getvalue()


def big_xml_docx(megabytes: int = 63) -> bytes:
    """A DOCX whose document.xml holds ``megabytes`` of short paragraphs: a block of random
    ones larger than deflate's window, repeated, so that it compresses like text (about 5:1),
    not like a zip bomb."""
    import random

    rng = random.Random(15)
    block = b"".join(
        f"<w:p><w:r><w:t>{''.join(rng.choices('本机关依法公开政府信息年度报告', k=30))}</w:t></w:r></w:p>".encode()
        for _ in range(2000)
    )
    body = block * (megabytes * 2**20 // len(block) + 1)
    return docx(f"<w:document {W}><w:body>".encode() + body + b"</w:body></w:document>")


def rowspan_html(rows: int = 12000, span: int = 1000) -> bytes:
    """Table rows whose cells each claim to span ``span`` rows: cells × span × rows when expanded."""
    row = f"<tr><td rowspan={span}>1</td></tr>".encode()
    return b"<html><body><table>" + row * rows + b"</table></body></html>"


HOSTILE_TEXT = {
    "tags.html": b"<a" * 2000,
    "scripts.html": b"<html><body>" + b"<script" * 30000,
    "spaces.txt": b" " * 150000 + b"\n",
}
