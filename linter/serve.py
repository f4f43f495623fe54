"""``nianbao-lint serve``: a local web page where a clerk drops a report and sees it annotated
(the ``--format html`` page), with its findings to download as XLSX or JSON.

Built on Starlette and uvicorn (the optional ``serve`` extra). It listens on 127.0.0.1 unless
told otherwise; nothing is fetched or sent anywhere. An upload is size-limited while it arrives,
saved in a private temporary folder, checked in a separate process under a time and memory limit
(a hostile file cannot hang or crash the server), and deleted before the response is sent.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import socket
import sys
import tempfile
from html import escape
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from linter.load import SUFFIXES

SECONDS, MEMORY_MB = 60.0, 1024  # per upload, in its own process
DROP = """var zone=document.getElementById('zone'),input=document.getElementById('file'),form=document.getElementById('form');
['dragenter','dragover'].forEach(function(e){zone.addEventListener(e,function(ev){ev.preventDefault();zone.classList.add('over');});});
['dragleave','drop'].forEach(function(e){zone.addEventListener(e,function(ev){ev.preventDefault();zone.classList.remove('over');});});
zone.addEventListener('drop',function(ev){if(ev.dataTransfer.files.length){input.files=ev.dataTransfer.files;form.submit();}});
input.addEventListener('change',function(){if(input.files.length){form.submit();}});"""
STYLE = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:46em;margin:3em auto;color:#222}
#zone{border:3px dashed #9aa5b1;border-radius:12px;padding:3em 1em;text-align:center;font-size:1.15em}
#zone.over{background:#eef5ff;border-color:#1e88e5}.note{color:#555}.error{color:#b00020;font-weight:bold}
button{font-size:1em;padding:.4em 1.2em}"""


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; form-action 'self'"


def _home(max_mb: float, message: str = "", status: int = 400) -> HTMLResponse:
    body = (
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>年度报告检查</title>"
        f"<style>{STYLE}</style></head><body><h1>政府信息公开工作年度报告检查</h1>"
        + (f"<p class='error' id='message'>{escape(message)}</p>" if message else "")
        + "<form id='form' method='post' action='/check' enctype='multipart/form-data'>"
        "<div id='zone'><p>把报告文件拖到这里，或</p>"
        "<p><input type='file' id='file' name='file' accept='.docx,.pdf,.html,.htm,.txt,.md'></p>"
        "<p><button type='submit'>检查</button></p></div></form>"
        f"<p class='note'>支持 Word（.docx）、PDF、网页（.html）和文字（.txt .md）文件，不超过 {max_mb:g} MB。"
        "文件只在本机检查，检查完立即删除，不会上传到任何地方。</p>"
        f"<script>{DROP}</script></body></html>"
    )
    return HTMLResponse(body, status_code=status if message else 200, headers={"Content-Security-Policy": _csp(DROP)})


def _job(path: str) -> dict:
    """In the worker process: lint one file, return the page and the downloads."""
    from linter.api import configured_rules
    from linter.audit.workbook import findings_workbook
    from linter.commands import lint_files, position
    from linter.config import Config
    from linter.render import html
    from linter.render.json import records

    config, rules = configured_rules(Config(), ".")
    config.limits.max_seconds = 0  # the pool enforces the time limit
    result, reports = lint_files([Path(path)], rules, None, config.limits)
    fr = result.files[0]
    if fr.error or path not in reports:
        return {"path": path, "status": "failed", "reason": fr.error or "无法读取"}
    if not reports[path].recognised:  # nothing to annotate: say why, as the finding does
        return {
            "path": path,
            "status": "failed",
            "reason": "；".join(f.message for f in fr.findings if f.rule == "PAR001") or "不是年度报告",
        }
    fr.findings.sort(key=position)
    page = io.StringIO()
    html.render(result, page, reports=reports)
    book = io.BytesIO()
    findings_workbook([f.record() for f in fr.findings], book)
    return {"path": path, "status": "ok", "html": page.getvalue(), "json": records(result), "xlsx": book.getvalue()}


def lint_upload(path: Path) -> dict:
    from linter.audit.pool import WorkerLimits, run

    out: list[dict] = []
    run([str(path)], _job, 1, WorkerLimits(SECONDS, MEMORY_MB), out.append)
    return out[0] if out else {"status": "failed", "reason": "检查进程没有返回结果"}


def _page(name: str, outcome: dict) -> HTMLResponse:
    from linter.render.html import SCRIPT

    stem = Path(name).stem or "report"
    data_json = base64.b64encode(json.dumps(outcome["json"], ensure_ascii=False, indent=2).encode()).decode()
    data_xlsx = base64.b64encode(outcome["xlsx"]).decode()
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    bar = (
        "<p class='downloads'><a href='/'>← 检查另一个文件</a> "
        f"<a id='download-xlsx' download='{escape(stem, True)}-问题.xlsx' href='data:{mime};base64,{data_xlsx}'>"
        "下载问题清单（XLSX）</a> "
        f"<a id='download-json' download='{escape(stem, True)}-问题.json' "
        f"href='data:application/json;base64,{data_json}'>下载问题清单（JSON）</a></p>"
    )
    page = outcome["html"].replace("<header>", "<header>" + bar, 1)
    return HTMLResponse(page, headers={"Content-Security-Policy": _csp(SCRIPT)})


def app(max_mb: float = 20) -> Starlette:
    limit = int(max_mb * 1024 * 1024)

    async def home(request: Request) -> Response:
        return _home(max_mb)

    async def check(request: Request) -> Response:
        try:
            form = await request.form(max_files=1, max_fields=5)
        except ClientDisconnect:
            if request.scope.get("too_large"):
                return _home(max_mb, f"文件超过 {max_mb:g} MB 的上限，未检查", 413)
            return Response(status_code=400)
        except Exception:  # a malformed form body
            return _home(max_mb, "上传的内容无法识别，请重新选择文件")
        upload = form.get("file")
        if upload is None or not hasattr(upload, "read") or not upload.filename:
            return _home(max_mb, "没有收到文件，请选择一个报告文件")
        name = Path(upload.filename).name
        suffix = Path(name).suffix.lower()
        folder = Path(tempfile.mkdtemp(prefix="nianbao-serve-"))  # private: mode 0700
        try:
            saved = folder / ("upload" + (suffix if suffix in SUFFIXES else ""))
            with open(saved, "wb") as fh:
                while chunk := await upload.read(1 << 20):
                    fh.write(chunk)
            await upload.close()
            outcome = await run_in_threadpool(lint_upload, saved)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if outcome.get("status") != "ok":
            reason = str(outcome.get("reason", "")).replace(str(saved), name)
            return _home(max_mb, f"无法检查 {name}：{reason}", 422)
        return _page(name, outcome)

    inner = Starlette(routes=[Route("/", home), Route("/check", check, methods=["POST"])])

    async def limited(scope, receive, send):
        """Refuse a body over the limit as it arrives (Content-Length or not)."""
        if scope["type"] == "http":
            seen = 0

            async def receive_limited():
                nonlocal seen
                if scope.get("too_large"):
                    return {"type": "http.disconnect"}
                message = await receive()
                if message["type"] == "http.request":
                    seen += len(message.get("body", b""))
                    if seen > limit + 64 * 1024:  # room for the form's own headers
                        scope["too_large"] = True
                        while message.get("more_body"):  # read the rest unseen, so the browser gets the answer
                            message = await receive()
                        return {"type": "http.disconnect"}
                return message

            return await inner(scope, receive_limited, send)
        return await inner(scope, receive, send)

    return limited


def run(host: str, port: int, max_mb: float) -> int:
    import uvicorn

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)  # connections wait in the queue until the server takes them
    actual = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    local = host in ("127.0.0.1", "::1", "localhost")
    print(
        f"nianbao-lint serve：正在监听 {shown}:{actual}"
        + ("（只有本机能访问）" if local else "（注意：其他计算机也可能访问此地址）")
    )
    print(f"请在浏览器中打开 http://{shown}:{actual}/ ；文件只在本机检查，检查后立即删除。按 Ctrl-C 停止。", flush=True)
    config = uvicorn.Config(app(max_mb), log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    print("nianbao-lint serve：已停止", file=sys.stderr)
    return 0
