"""One warm check: the forked child that becomes the client's process for one command line.

It takes on the client's standard streams (the descriptors that came with the request), working
folder, umask and environment, rebuilds ``sys.stdin``/``stdout``/``stderr`` with the client's
encodings, tells the client its pid, and runs ``linter.cli.main`` on the client's arguments, as
the ``nianbao-lint`` script would. It hears the client meanwhile by SIGIO: Ctrl-C is passed on
as a KeyboardInterrupt in the check; the client going away ends the child. The exit code goes back to the client; the child never returns to the server's loop.
"""

from __future__ import annotations

import fcntl
import io
import os
import signal
import socket
import sys
import time
import traceback

from linter.warm import wire


def _stream(fd: int, spec: list, write: bool) -> io.TextIOWrapper:
    encoding, errors, line_buffering = spec
    raw = io.FileIO(fd, "wb" if write else "rb", closefd=False)
    buffered = io.BufferedWriter(raw) if write else io.BufferedReader(raw)
    return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, line_buffering=line_buffering)


def _become(message: dict, fds: list[int]) -> list[str]:
    """Take on the client's process state; the arguments to run."""
    argv = [str(a) for a in message["argv"]]
    env = {str(k): str(v) for k, v in dict(message["env"]).items()}
    specs = message["streams"]
    os.chdir(message["cwd"])
    os.umask(int(message["umask"]))
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    fds.clear()
    os.environ.clear()
    os.environ.update(env)
    if hasattr(time, "tzset"):
        time.tzset()  # "today" for the deadline checks is the client's
    sys.stdin = _stream(0, specs[0], write=False)
    sys.stdout = _stream(1, specs[1], write=True)
    sys.stderr = _stream(2, specs[2], write=True)
    sys.argv = [str(message.get("argv0", "nianbao-lint")), *argv]
    return argv


def _watch(conn: socket.socket) -> None:
    """Hear the client while the check runs, without a thread (a thread would keep the check
    from forking its isolated PDF reader): the socket raises SIGIO when something arrives. An
    ``INT`` message is Ctrl-C, raised in the check as KeyboardInterrupt, which interrupts a
    blocking call as SIGINT would; the client gone (end of stream) ends this process."""
    pending = bytearray()

    def on_io(signum, frame):
        while True:
            try:
                chunk = conn.recv(4096, socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                os._exit(1)
            if not chunk:
                os._exit(1)  # the client is gone: nobody waits for this check
            pending.extend(chunk)
        if wire.INTERRUPT in pending:
            pending.clear()
            raise KeyboardInterrupt

    signal.signal(signal.SIGIO, on_io)
    fcntl.fcntl(conn.fileno(), fcntl.F_SETOWN, os.getpid())
    fcntl.fcntl(conn.fileno(), fcntl.F_SETFL, fcntl.fcntl(conn.fileno(), fcntl.F_GETFL) | os.O_ASYNC)
    on_io(signal.SIGIO, None)  # whatever came before the signal was asked for


def _code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def _main(argv: list[str], conn: socket.socket) -> int:
    from linter.cli import main

    try:
        _watch(conn)
        return main(argv) or 0
    except SystemExit as exc:
        return _code(exc)
    except KeyboardInterrupt:
        return 130
    except BaseException:
        traceback.print_exc()
        return 1


def leave_server(close: list[int]) -> None:
    """In a process just forked from the server: drop the server's descriptors (``close``) and
    its signal handling (its wake-up pipe among them)."""
    signal.set_wakeup_fd(-1)  # the server's pipe (closed below) is not this process's
    for fd in close:
        os.close(fd)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)


def run(conn: socket.socket, message: dict, fds: list[int], close: list[int]) -> None:
    """Never returns: the child ends with ``os._exit``."""
    code = 1
    try:
        leave_server(close)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            argv = _become(message, fds)
        except (OSError, KeyError, TypeError, ValueError, LookupError):
            wire.send(conn, {"refused": "setup"})  # the client runs the check itself
            os._exit(0)
        wire.send(conn, {"pid": os.getpid()})
        conn.settimeout(30.0)
        if wire.receive(conn)[0].get("go") is not True:  # the client gave up waiting: it runs the check itself
            os._exit(0)
        conn.settimeout(None)
        code = _main(argv, conn)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        wire.send(conn, {"rc": code})
    except BaseException:
        pass
    finally:
        os._exit(0)
