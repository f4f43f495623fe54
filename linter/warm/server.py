"""The warm server: loads the checker once, then forks one checking process per request.

``python -m linter.warm.server KEY`` is started by a client (``linter.warm.start``). It takes
the key's lock (a second server for the same code exits at once), checks that the code it
imported is the code the key names, warms up (``linter.warm.warmup``), and only then listens,
so a client never waits on a half-ready server. Each request is served by a forked child
(``linter.warm.child``): the spare forked and readied beforehand (``linter.warm.spare``) when
there is one, else a fork made for it. Requests never share state, run side by side, and a
crash takes down only its own child. The server exits after its idle time with no request and no
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

from linter.warm import child, spare, warmup, wire

IDLE_DEFAULT = 900.0
MAX_CHILDREN = 32


def _idle_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get("NIANBAO_LINT_WARM_IDLE", IDLE_DEFAULT)))
    except ValueError:
        return IDLE_DEFAULT


class Server:
    def __init__(self, ident: str, where: str, lock: int = -1):
        self.ident, self.where, self.lock = ident, where, lock
        self.samples: list[str] = []  # what a spare checks to warm itself (``warm_up`` writes them)
        self.spare: spare.Spare | None = None
        self.spares_live = True  # False after a spare died unused: none again until a check is served
        self.path = wire.socket_path(where, ident)
        self.children: set[int] = set()
        self.started = time.time()
        self.last = time.monotonic()
        self.served = 0
        self.idle = _idle_seconds()
        self.listener: socket.socket | None = None
        self.inode = None
        self.wakeup: tuple[int, int] | None = None  # a pipe written to when a child ends (SIGCHLD)

    def hear_children(self) -> None:
        """Wake the loop when a child ends, so that the next spare is forked as soon as no check runs."""
        ends = os.pipe()
        for fd in ends:
            os.set_blocking(fd, False)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        signal.set_wakeup_fd(ends[1])
        self.wakeup = ends

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

    def _inherited(self) -> list[int]:
        """The server's descriptors, which no child keeps: the listener, the lock, the spare's pair."""
        fds = [self.listener.fileno()] if self.listener else []
        fds += [self.lock] if self.lock >= 0 else []
        fds += list(self.wakeup) if self.wakeup else []
        return fds + ([self.spare.sock.fileno()] if self.spare else [])

    def _spawn(self) -> None:
        """A new spare, when there is none and the samples to prepare it are there."""
        if self.spare is None and self.samples and self.spares_live and len(self.children) < MAX_CHILDREN:
            self.spare = spare.fork(self.samples, self._inherited())

    def _drop_spare(self) -> None:
        if self.spare is not None:
            self.spare.close()  # it hears the end of the pair and exits
            self.children.add(self.spare.pid)  # reaped as it ends
            self.spare = None

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
            waiting = [self.spare.sock] if self.spare else []
            woken = [self.wakeup[0]] if self.wakeup else []
            ready, _, _ = select.select([self.listener, *waiting, *woken], [], [], max(0.05, min(left, 1.0)))
            if woken and woken[0] in ready:
                try:
                    os.read(woken[0], 4096)  # the signals, as bytes
                except BlockingIOError:
                    pass
            if waiting and waiting[0] in ready and not self.spare.heard():
                self._drop_spare()  # it died: the next request is served by a fork, and no spare
                self.spares_live = False  # is forked again before then (one that keeps dying would spin)
            if self.listener in ready and not self.handle(self.listener.accept()[0]):
                return
            self._reap()  # a check that just ended (it woke the loop) no longer holds the spare back
            if not self.children:  # not beside a running check: it would take a core from it
                self._spawn()

    def status(self) -> dict:
        self._reap()  # a check that just ended is not "running"
        return {
            "pid": os.getpid(),
            "key": self.ident,
            "started": self.started,
            "served": self.served,
            "running": len(self.children),
            "spare": self.spare.pid if self.spare and self.spare.ready else 0,  # its pid, once ready
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
            self.spares_live = True
            if self.spare and self.spare.ready:
                handed = self.spare.hand(conn, message, fds)
                self._drop_spare()  # it runs the check now, or it is gone: the server's part ends here
                if handed:
                    return True
            pid = os.fork()
            if pid == 0:
                child.run(conn, message, fds, close=self._inherited())  # never returns
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
    server = Server(ident, where, lock)
    try:
        server.samples = warmup.warm_up(warmup.sample_folder(where))
        gc.collect()
        gc.freeze()  # what is loaded now is never collected: children neither scan it nor copy its pages
        server.listen()
        server.hear_children()
        server._spawn()
    except Exception:  # clients do not try again for a while (linter.warm.start), and run cold
        with open(wire.failed_path(where, ident), "w", encoding="utf-8") as note:
            traceback.print_exc(file=note)
        return 1
    try:
        server.serve_forever()
    finally:
        server._drop_spare()
        if server._mine():
            os.unlink(server.path)
        if server.samples:
            shutil.rmtree(os.path.dirname(server.samples[0]), ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
