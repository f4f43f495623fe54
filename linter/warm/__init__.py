"""Warm checks: a ``check`` run handed to a resident server that has everything loaded.

Starting Python, importing the readers, the parser, the checks and pydantic, and loading the
rules costs several tenths of a second; a pre-commit hook or a clerk's editor pays it on every
run. So the first ``check`` of a user starts, beside itself, a server (``linter.warm.server``)
that loads all that once and waits on a private Unix socket. Later runs of the same code send it
their arguments, working folder, environment and their standard input, output and error; the
server forks a checking process that runs exactly the command line the user typed, writing to the
user's own terminal or pipe, and hands back the exit code. Output and exit codes are the same as
without it; Ctrl-C is passed on.

Not used: when ``NIANBAO_LINT_WARM=0`` (or off/no/false), for commands other than ``check``, for
calls of ``linter.cli.main`` from Python, where the platform has no fork or descriptor passing,
and when anything about the server is unexpected (then the run is simply done in this process).
No server is started when ``CI`` is set (a one-shot job gains nothing from it). A server serves
one version of the code (a changed file means a new one), and exits after
``NIANBAO_LINT_WARM_IDLE`` seconds (default 900) without a request. ``nianbao-lint warm status``
shows the servers; ``nianbao-lint warm stop`` stops them.
"""

from __future__ import annotations

import os
import sys
import time

from linter.warm import wire

OFF = ("0", "off", "no", "false")
RETRY_AFTER = 600.0  # seconds before starting again a server that failed to start


def enabled() -> bool:
    return os.environ.get("NIANBAO_LINT_WARM", "").strip().lower() not in OFF and wire.usable()


def wanted(argv: list[str]) -> bool:
    """A ``check`` command line (given or implied) that a warm server may run."""
    from linter.cli import COMMANDS

    words = argv[: argv.index("--")] if "--" in argv else argv
    others = {*COMMANDS, "-h", "--help", "--version"} - {"check"}
    return bool(argv) and not any(w in others for w in words) and enabled()


def leave(code: int) -> None:
    """End the client with ``code`` at once. The check ran in the server's process, and this
    one holds nothing to tidy (no file, no exit handler of ours), so the interpreter's teardown,
    about 2 ms of every warm check, is skipped; what it printed itself is flushed first."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)


def _streams() -> list[list] | None:
    """How this process's standard streams encode text, so the checker writes the same bytes;
    None when one of them is missing or is not the process's own descriptor 0, 1 or 2."""
    specs = []
    for fd, stream in enumerate((sys.stdin, sys.stdout, sys.stderr)):
        try:
            if stream is None or stream.fileno() != fd:
                return None
            os.fstat(fd)
        except (OSError, ValueError, AttributeError):
            return None
        specs.append([stream.encoding, stream.errors, bool(getattr(stream, "line_buffering", False))])
    return specs


def run(argv: list[str]) -> int | None:
    """The exit code of ``argv`` run by the warm server, or None when it was not run there (no
    server, a stale one, a refusal): the caller then runs it itself, as if there were none."""
    streams = _streams()
    where = wire.folder()
    if streams is None:
        return None
    ident = wire.key()
    if where is None:
        start(ident)
        return None
    path = wire.socket_path(where, ident)
    if len(os.fsencode(path)) > wire.SOCKET_PATH_MAX:
        return None
    try:
        sock = wire.connect(path, 10.0)
    except OSError:
        start(ident)
        return None
    try:
        return _exchange(sock, argv, ident, streams)
    except (OSError, wire.WireError):
        return None
    except KeyboardInterrupt:  # before the check began: the checker, never told to go, ends
        print("nianbao-lint: 已中断", file=sys.stderr)
        return 130
    finally:
        sock.close()


def _exchange(sock, argv: list[str], ident: str, streams: list[list]) -> int | None:
    mask = os.umask(0o022)
    os.umask(mask)
    request = {
        "protocol": wire.PROTOCOL,
        "key": ident,
        "argv": argv,
        "argv0": sys.argv[0] if sys.argv else "nianbao-lint",
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": mask,
        "streams": streams,
    }
    wire.send(sock, request, [0, 1, 2])
    reply, _ = wire.receive(sock)
    if "pid" not in reply:
        return None  # refused: nothing ran
    wire.send(sock, {"go": True})  # from here on the check runs there, and only there
    sock.settimeout(None)  # as long as the check takes
    while True:
        try:
            reply, _ = wire.receive(sock)
        except KeyboardInterrupt:
            try:
                sock.sendall(wire.INTERRUPT)
            except OSError:
                pass
            continue
        except (OSError, wire.WireError):
            print("nianbao-lint: 常驻检查进程意外结束，未得到结果（可设 NIANBAO_LINT_WARM=0 后重试）", file=sys.stderr)
            return 2
        if "rc" in reply:
            return int(reply["rc"])


def start(ident: str, asked: bool = False) -> None:
    """Start a server for this code in the background, unless told not to (CI, ``NIANBAO_LINT_WARM=0``).
    It runs detached, in its own session, from the socket folder (so that no ``linter`` folder in
    the user's working folder shadows the installed package), with no standard streams."""
    if (os.environ.get("CI") and not asked) or not enabled():
        return
    where = wire.folder(create=True)
    if where is None or len(os.fsencode(wire.socket_path(where, ident))) > wire.SOCKET_PATH_MAX:
        return
    try:  # a server of this code failed to start not long ago: not again on every run
        if time.time() - os.stat(wire.failed_path(where, ident)).st_mtime < RETRY_AFTER:
            return
    except OSError:
        pass
    try:
        pid = os.fork()
    except OSError:
        return
    if pid:
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
        return
    try:  # the first child: a new session, then a grandchild that nobody waits for
        os.setsid()
        if os.fork() == 0:
            os.chdir(where)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.execv(sys.executable, [sys.executable, "-m", "linter.warm.server", ident])
    finally:
        os._exit(0)
