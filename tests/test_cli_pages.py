"""The annotated report page (``--format html``) and ``nianbao-lint serve`` as a user meets them:
pages opened in a real headless Chromium, the server a real process on a free local port."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest
from browser import CHROMIUM, Browser
from conftest import FIXTURES
from openpyxl import load_workbook

HONGZE = FIXTURES / "real" / "2023_huaian-hongzequ_1.pdf"


@pytest.fixture
def browser(tmp_path):
    assert CHROMIUM, "Debian's chromium package is needed (.ci/run installs it)"
    b = Browser(tmp_path / "profile")
    yield b
    b.close()


def test_annotated_page_highlights_the_flagged_cell_of_a_real_report(tmp_path, browser):
    page = tmp_path / "page.html"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "linter",
            "check",
            "--format",
            "html",
            "-o",
            str(page),
            str(HONGZE),
            str(FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 1, proc.stderr
    browser.open(page.as_uri())
    # 表四 行政复议 总计 is 0 where its parts add up to 11 (ARI004): that cell is marked and explained
    cell = browser.evaluate("""(() => { const c = document.querySelector("#r0-t四 td[data-cell='review/total']");
        return c && [c.className, c.dataset.rules, c.title, c.textContent,
                     c.parentElement.querySelector('td.notes').textContent]; })()""")
    assert cell is not None, "the cell of 表四 is not on the page"
    classes, rules, title, text, notes = cell
    assert "flag" in classes and "error" in classes and rules == "ARI004" and text == "0"
    assert "总计为0" in title and "ARI004" in notes and "总计为0" in notes
    flagged = browser.evaluate("[...document.querySelectorAll('#r0 td.flag[data-cell]')].map(c => c.dataset.cell)")
    assert sorted(flagged) == ["review/total", "suit_after_review/total"]
    # the report itself: sections in order, a table of contents, counts, the year evidence
    toc = browser.evaluate("[...document.querySelectorAll('#r0 nav li a')].map(a => a.textContent)")
    assert toc[0] == "标题与开头" and [t[:2] for t in toc if "、" in t[:3]] == [
        "一、",
        "二、",
        "三、",
        "四、",
        "五、",
        "六、",
    ]
    assert any(t.startswith("表三") for t in toc)
    text = browser.evaluate("document.querySelector('#r0').innerText")
    assert (
        "年度：2023（各处依据多数一致：标题" in text and "错误 2" in text
    )  # the two ARI004 of one cause are one finding
    # the filter: only one rule shown when asked by the address
    browser.open(page.as_uri() + "#rule=TYP001")
    shown = browser.evaluate(
        "[...document.querySelectorAll('.finding')].filter(f => !f.hidden).map(f => f.dataset.rule)"
    )
    assert shown and set(shown) == {"TYP001"}
    browser.open(page.as_uri() + "#level=error")
    levels = browser.evaluate(
        "[...document.querySelectorAll('.finding')].filter(f => !f.hidden).map(f => f.dataset.level)"
    )
    assert levels and set(levels) == {"error"}


def test_document_text_is_escaped_on_the_page(tmp_path, browser):
    hostile = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"
    text = (FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt").read_text(encoding="utf-8")
    report = tmp_path / "hostile.txt"
    report.write_text(text.replace("海东市卫生健康委员会", hostile + "海东市卫生健康委员会", 1), encoding="utf-8")
    page = tmp_path / "page.html"
    subprocess.run(
        [sys.executable, "-m", "linter", "--format", "html", "-o", str(page), str(report)],
        capture_output=True,
        timeout=180,
    )
    browser.open(page.as_uri())
    assert browser.evaluate("document.title") == "nianbao-lint 检查结果"
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert hostile in browser.evaluate("document.body.innerText")  # shown as text


@pytest.fixture
def server(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "linter", "serve", "--port", "0", "--max-mb", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    first = proc.stdout.readline()
    second = proc.stdout.readline()
    assert "127.0.0.1" in first and "只有本机能访问" in first, first + proc.stderr.read() if proc.poll() else first
    url = re.search(r"http://127\.0\.0\.1:\d+/", second).group(0)
    yield url, tmp_path / "tmp"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(30) == 0
    assert "Traceback" not in proc.stderr.read()


def test_serve_checks_an_uploaded_report_and_survives_a_broken_one(server, tmp_path, browser):
    url, temp = server
    browser.open(url)
    assert "把报告文件拖到这里" in browser.html()
    browser.choose_file("#file", HONGZE)
    browser.wait_event("Page.loadEventFired")
    assert browser.evaluate("document.querySelector(\"td[data-cell='review/total']\").dataset.rules") == "ARI004"
    link = browser.evaluate("document.getElementById('download-xlsx').href")
    assert link.startswith("data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,")
    import base64
    import io

    book = load_workbook(io.BytesIO(base64.b64decode(link.split(",", 1)[1])))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("文件", "规则", "类别", "级别") and any(r[1] == "ARI004" and r[3] == "错误" for r in rows)
    assert browser.evaluate("document.getElementById('download-json').download").endswith("-问题.json")
    assert not [p for p in temp.iterdir() if p.name.startswith("nianbao-serve-")]  # the upload is gone
    # a broken file: a clear message, and the server goes on serving
    broken = tmp_path / "坏文件.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    browser.open(url)
    browser.choose_file("#file", broken)
    browser.wait_event("Page.loadEventFired")
    message = browser.evaluate("document.getElementById('message').textContent")
    assert message.startswith("无法检查 坏文件.pdf：")
    too_big = tmp_path / "big.txt"
    too_big.write_bytes(b"x" * (3 * 1024 * 1024))
    browser.open(url)
    browser.choose_file("#file", too_big)
    browser.wait_event("Page.loadEventFired")
    assert "超过 2 MB 的上限" in browser.evaluate("document.getElementById('message').textContent")
    browser.open(url)
    browser.drop_file("#zone", FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt")  # dragged onto the page
    browser.wait_event("Page.loadEventFired")
    assert browser.evaluate("location.pathname") == "/check" and "TBL002" in browser.html()
    assert not [p for p in temp.iterdir() if p.name.startswith("nianbao-serve-")]


def _post(url: str, name: str, data: bytes) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    boundary = "----nianbao" + os.urandom(8).hex()
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url + "check", data=body, method="POST", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_serve_takes_concurrent_uploads(server):
    from concurrent.futures import ThreadPoolExecutor

    url, temp = server
    jobs = [
        ("a.pdf", HONGZE.read_bytes()),
        ("b.txt", (FIXTURES / "seeds" / "003_72e8cc29e03ca078.txt").read_bytes()),
        ("c.pdf", b"%PDF-1.4\n" + b"\xff" * 5000),
        ("d.docx", (FIXTURES / "real" / "tmpl_2021format-blank_1.docx").read_bytes()),
    ]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda job: _post(url, *job), jobs))
    (a_code, a_page), (b_code, b_page), (c_code, c_page), (d_code, d_page) = answers
    assert a_code == 200 and "data-rules='ARI004'" in a_page
    assert b_code == 200 and "TBL002" in b_page and "ARI004" not in b_page
    assert c_code == 422 and "无法检查 c.pdf：" in c_page
    assert d_code == 200 and "PLH001" in d_page
    assert not [p for p in temp.iterdir() if p.name.startswith("nianbao-serve-")]
