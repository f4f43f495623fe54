"""The warm server: loads the checker once, then forks one checking process per request.

``python -m linter.warm.server KEY`` is started by a client (``linter.warm.start``). It takes
the key's lock (a second server for the same code exits at once), checks that the code it
imported is the code the key names, warms up (imports every reader, renderer and check, loads
the rules and formats, checks a small sample report so that the patterns are compiled), and only
then listens, so a client never waits on a half-ready server. Each request is served by a
forked child (``linter.warm.child``): requests never share state, run side by side, and a crash
takes down only its own child. The server exits after its idle time with no request and no
child running, on ``stop``, on SIGTERM, or when its socket file is removed or replaced.
"""

from __future__ import annotations

import fcntl
import gc
import os
import select
import shutil
import signal
import socket
import sys
import time
import traceback

from linter.warm import child, samples, wire

IDLE_DEFAULT = 900.0
MAX_CHILDREN = 32


def _idle_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get("NIANBAO_LINT_WARM_IDLE", IDLE_DEFAULT)))
    except ValueError:
        return IDLE_DEFAULT


def warm_up(where: str) -> None:
    """Import and exercise what a check needs, so that the forked children start warm."""
    import importlib

    for name in (
        "linter.commands",
        "linter.api",
        "linter.files",
        "linter.baseline",
        "linter.render",
        "linter.load.txt",
        "linter.load.docx",
        "linter.load.html",
        "pypdfium2",
        "linter.load.pdf",
        "linter.render.console",
        "linter.render.json",
        "linter.render.sarif",
        "linter.render.html",
    ):
        try:
            importlib.import_module(name)
        except ImportError:  # an optional reader's library missing: that reader stays cold
            pass
    folder = os.path.join(where, f"warm-sample-{os.getpid()}")
    os.mkdir(folder, 0o700)
    try:
        report = samples.write(folder)
        _quietly(_check_all, report)
        from linter import api

        for path in samples.others(folder):  # our own files: read in place, so this process itself warms
            api.run_file(path, [], isolate=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check_all(report: str) -> None:
    from linter import cli

    for form in ("json", "console", "sarif", "concise"):
        try:
            cli.main(["check", "--format", form, "--fail-level", "info", "--exit-zero", report])
        except SystemExit:
            pass


def _quietly(fn, *args) -> None:
    """Run ``fn`` with descriptors 1 and 2 on /dev/null."""
    null = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(1), os.dup(2)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        fn(*args)
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


class Server:
    def __init__(self, ident: str, where: str):
        self.ident, self.where = ident, where
        self.path = wire.socket_path(where, ident)
        self.children: set[int] = set()
        self.started = time.time()
        self.last = time.monotonic()
        self.served = 0
        self.idle = _idle_seconds()
        self.listener: socket.socket | None = None
        self.inode = None

    def listen(self) -> None:
        try:
            os.unlink(self.path)  # a dead server's socket: the lock says none is alive
        except FileNotFoundError:
            pass
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.path)
        os.chmod(self.path, 0o600)
        listener.listen(64)
        self.listener, self.inode = listener, os.stat(self.path).st_ino
        self.last = time.monotonic()  # the idle time counts from when it is ready

    def _reap(self) -> None:
        for pid in list(self.children):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.children.discard(pid)

    def _mine(self) -> bool:
        try:
            return os.stat(self.path).st_ino == self.inode
        except OSError:
            return False

    def serve_forever(self) -> None:
        assert self.listener is not None
        while True:
            self._reap()
            left = self.idle - (time.monotonic() - self.last)
            if (left <= 0 and not self.children) or not self._mine():
                return
            ready, _, _ = select.select([self.listener], [], [], max(0.05, min(left, 1.0)))
            if ready and not self.handle(self.listener.accept()[0]):
                return

    def status(self) -> dict:
        self._reap()  # a check that just ended is not "running"
        return {
            "pid": os.getpid(),
            "key": self.ident,
            "started": self.started,
            "served": self.served,
            "running": len(self.children),
            "idle_left": max(0.0, self.idle - (time.monotonic() - self.last)),
            "python": sys.executable,
        }

    def handle(self, conn: socket.socket) -> bool:
        """Serve one connection; False when told to stop."""
        fds: list[int] = []
        try:
            conn.settimeout(5.0)
            uid = wire.peer_uid(conn)
            if uid is not None and uid != os.getuid():
                return True
            message, fds = wire.receive(conn, 3)
            op = message.get("op", "check")
            if op == "status":
                wire.send(conn, self.status())
                return True
            if op == "stop":
                wire.send(conn, {"stopped": os.getpid()})
                return False
            if message.get("key") != self.ident or message.get("protocol") != wire.PROTOCOL or len(fds) != 3:
                wire.send(conn, {"refused": "key"})
                return True
            self._reap()
            if len(self.children) >= MAX_CHILDREN:
                wire.send(conn, {"refused": "busy"})
                return True
            self.last = time.monotonic()
            self.served += 1
            pid = os.fork()
            if pid == 0:
                child.run(conn, message, fds, close=[self.listener.fileno()])  # never returns
            self.children.add(pid)
        except (OSError, wire.WireError):
            pass
        finally:
            for fd in fds:
                os.close(fd)
            conn.close()
        return True


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or not wire.usable():
        return 2
    ident = argv[0]
    where = wire.folder(create=True)
    if where is None:
        return 1
    lock = os.open(os.path.join(where, f"warm-{ident}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return 0  # another server for this code is starting or running
    if wire.key() != ident:
        return 1  # the files changed since the client looked: a later client starts the right one
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    server = Server(ident, where)
    try:
        warm_up(where)
        gc.collect()
        gc.freeze()  # what is loaded now is never collected: children neither scan it nor copy its pages
        server.listen()
    except Exception:  # clients do not try again for a while (linter.warm.start), and run cold
        with open(wire.failed_path(where, ident), "w", encoding="utf-8") as note:
            traceback.print_exc(file=note)
        return 1
    try:
        server.serve_forever()
    finally:
        if server._mine():
            os.unlink(server.path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
