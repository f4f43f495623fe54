"""One `check` run over a folder of broken and hostile files next to a real report: each bad
file gets its own clear finding or error line, the report still gets its findings, and
nothing crashes or hangs."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile

from conftest import FIXTURES

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(body: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", body)
    return buffer.getvalue()


def test_a_folder_of_bad_files(tmp_path):
    bad = {
        "空文件.pdf": b"",
        "garbage.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 64,
        "truncated.pdf": (FIXTURES / "real" / "2024_huaian-shi_1.pdf").read_bytes()[:20000],
        "not a zip.docx": b"PK\x03\x04 this is no zip archive at all",
        "bomb.docx": _docx(f"<w:document {W}><w:body>".encode() + b" " * (40 * 2**20)),
        "entities.docx": _docx(
            (
                '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                f"<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
            ).encode()
        ),
        "deep.html": ("<html><body>" + "<div>" * 20000 + "</div>" * 20000 + "</body></html>").encode(),
        "utf16 no bom.txt": "一、总体情况\n本机关依法公开政府信息。".encode("utf-16-le"),
        "binary.txt": bytes(range(256)) * 16,
    }
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "目录.pdf").mkdir()  # a directory named like a report: searched, not read
    good = tmp_path / "海东 2023.txt"
    good.write_bytes((FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt").read_bytes())
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.returncode == 1  # the real report's errors; no file was unreadable
    findings = json.loads(proc.stdout)
    by_file: dict[str, list[dict]] = {}
    for f in findings:
        by_file.setdefault(f["file"].rsplit("/", 1)[1], []).append(f)
    assert set(by_file) == set(bad) | {good.name}
    for name in bad:
        rules = {f["rule"] for f in by_file[name]}
        assert rules <= {"PAR001", "PAR002", "PAR004"} and "PAR001" in rules, (name, by_file[name])
    messages = {name: " ".join(f["message"] for f in by_file[name]) for name in bad}
    assert "压缩炸弹" in messages["bomb.docx"] and "DOCTYPE" in messages["entities.docx"]
    assert "损坏" in messages["truncated.pdf"] and "损坏" in messages["garbage.pdf"]
    assert {"TBL002", "PER001"} <= {f["rule"] for f in by_file[good.name]}
