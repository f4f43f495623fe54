"""``nianbao-lint warm start|status|stop``: the user's view of their warm servers.

``start`` starts the server for the installed code and waits until it answers; ``status`` lists
the servers running (their pid, age, requests served, time left before they idle out, whether
they serve the installed code); ``stop`` asks each to exit. Socket files whose server is gone
(its lock is free) are removed on the way.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time

from linter import warm
from linter.warm import wire


def _ask(path: str, op: str) -> dict | None:
    try:
        sock = wire.connect(path, 2.0)
    except OSError:
        return None
    try:
        wire.send(sock, {"op": op})
        return wire.receive(sock)[0]
    except (OSError, wire.WireError):
        return None
    finally:
        sock.close()


def _dead(where: str, ident: str) -> bool:
    """Whether no server holds the lock of this key (then its files are left-overs)."""
    try:
        lock = os.open(os.path.join(where, f"warm-{ident}.lock"), os.O_RDWR)
    except OSError:
        return True
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False
    finally:
        os.close(lock)


def servers(where: str) -> list[tuple[str, str]]:
    """(key, socket path) of each server's socket in the folder, left-overs removed."""
    found = []
    for name in sorted(os.listdir(where)):
        if not (name.startswith("warm-") and name.endswith(".sock")):
            continue
        ident, path = name[5:-5], os.path.join(where, name)
        if _dead(where, ident):
            for leftover in (path, os.path.join(where, f"warm-{ident}.lock"), wire.failed_path(where, ident)):
                try:
                    os.unlink(leftover)
                except OSError:
                    pass
            continue
        found.append((ident, path))
    return found


def status(out=None) -> int:
    out = out or sys.stdout
    where = wire.folder()
    if not warm.enabled():
        print("常驻检查进程已关闭（NIANBAO_LINT_WARM=0）或本系统不支持。", file=out)
    listed = servers(where) if where else []
    if not listed:
        print("没有正在运行的常驻检查进程。", file=out)
        return 0
    current = wire.key()
    for ident, path in listed:
        info = _ask(path, "status")
        if info is None:
            print(f"{ident}：无响应", file=out)
            continue
        age = time.time() - float(info.get("started", time.time()))
        which = "当前安装的代码" if ident == current else "其他版本的代码（空闲后自行退出）"
        print(
            f"{ident}：进程 {info.get('pid')}，已运行 {age:.0f} 秒，处理 {info.get('served')} 次检查，"
            f"正在检查 {info.get('running')} 个，{'备用进程已就绪，' if info.get('spare') else ''}"
            f"{float(info.get('idle_left', 0)):.0f} 秒无请求后退出；{which}",
            file=out,
        )
    return 0


def stop(out=None) -> int:
    out = out or sys.stdout
    where = wire.folder()
    stopped = 0
    for _ident, path in servers(where) if where else []:
        if _ask(path, "stop") is not None:
            stopped += 1
    print(f"已停止 {stopped} 个常驻检查进程。", file=out)
    return 0


def start(out=None, wait: float = 60.0) -> int:
    out = out or sys.stdout
    if not warm.enabled():
        print("nianbao-lint: 常驻检查进程已关闭（NIANBAO_LINT_WARM=0）或本系统不支持", file=sys.stderr)
        return 2
    where = wire.folder(create=True)
    if where is None:
        print("nianbao-lint: 没有只属于当前用户的文件夹可放置常驻进程的套接字", file=sys.stderr)
        return 2
    ident = wire.key()
    path = wire.socket_path(where, ident)
    failed = wire.failed_path(where, ident)
    if _ask(path, "status") is None:
        try:
            os.unlink(failed)  # asked for in so many words: try now
        except OSError:
            pass
        warm.start(ident, asked=True)  # asked for in so many words: CI or not
    until = time.monotonic() + wait
    while time.monotonic() < until:
        info = _ask(path, "status")
        if info is not None:
            print(f"常驻检查进程已就绪：进程 {info.get('pid')}（{ident}）", file=out)
            return 0
        time.sleep(0.05)
        if os.path.exists(failed):
            break
    why = ""
    try:
        with open(failed, encoding="utf-8", errors="replace") as note:
            why = "：" + note.read().strip().splitlines()[-1]
    except (OSError, IndexError):
        pass
    print(f"nianbao-lint: 常驻检查进程未能启动{why}", file=sys.stderr)
    return 2
