"""The warm server's wire: where its socket lives, what it is called, and the messages on it.

A message is a 4-byte big-endian length and that many bytes of a ``marshal`` dump of a dict of
plain values (strings, numbers, booleans, None, and lists and string-keyed dicts of them;
anything else is refused); the request also carries the client's standard input, output and
error as file descriptors (SCM_RIGHTS), so the checking process writes straight to the client's
terminal, pipe or file. Only built-in modules are imported here: the client pays for nothing
else (``json`` brings ``re`` and ``enum``, about 10 ms of every warm check's start). Marshal is
the interpreter's own format, not meant for data from strangers: here both ends are the same
interpreter (it is part of the key) and the same user (a private folder, and the peer's user id
checked), and a decoded message is only ever data.

The socket lives in a folder only the user can enter: ``$XDG_RUNTIME_DIR/nianbao-lint`` or
``/tmp/nianbao-lint-UID`` (``$TMPDIR`` instead of ``/tmp`` when set). A folder owned by someone
else or open to others is not used; the server also checks the peer's user id where the system
tells it (Linux's SO_PEERCRED).
"""

from __future__ import annotations

import _socket  # the C module: the client need not import socket.py and what it brings
import marshal
import os
import stat
import struct
import sys
import zlib

PROTOCOL = 2  # 2: marshal instead of JSON
INTERRUPT = b"\x03"  # Ctrl-C, sent by the client while its check runs (a byte, not a message)
MAX_MESSAGE = 1 << 22  # an environment and an argument list, never a document
_LENGTH = struct.Struct(">I")


class WireError(Exception):
    """The other side closed, sent something that is not a message, or sent too much."""


def usable() -> bool:
    """Whether this platform can pass descriptors over a Unix socket and fork a checker."""
    return hasattr(_socket, "AF_UNIX") and hasattr(_socket, "SCM_RIGHTS") and hasattr(os, "fork")


def connect(path: str, timeout: float) -> _socket.socket:
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(path)
    except OSError:
        sock.close()
        raise
    return sock


def folder(create: bool = False) -> str | None:
    """The user's private folder for warm sockets, or None when there is none to trust."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and os.path.isdir(runtime):
        path = os.path.join(runtime, "nianbao-lint")
    else:
        path = os.path.join(os.environ.get("TMPDIR") or "/tmp", f"nianbao-lint-{os.getuid()}")
    if create:
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return None
    try:
        info = os.lstat(path)
    except OSError:
        return None
    private = stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077
    return path if private else None


def _package_files() -> list[str]:
    """The files whose change makes a running server stale: the package's code and data. The
    rule files are its ``rules`` folder (in a checkout a link to the top-level ``rules/``, which
    the walk follows)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = []
    for base, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        found += [os.path.join(base, f) for f in sorted(files) if f.endswith((".py", ".yaml", ".yml", ".json"))]
    return found


def _startup() -> list[str]:
    """What the interpreter fixed at its start and a forked child cannot take from the client:
    its flags (UTF-8 mode, -O, -X …), its prefix and module path settings, its text encodings."""
    import _locale

    codeset = _locale.nl_langinfo(_locale.CODESET) if hasattr(_locale, "nl_langinfo") else ""
    env = [os.environ.get(name, "") for name in ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH")]
    return [repr(sys.flags), sys.prefix, sys.getfilesystemencoding(), codeset, *env]


def key() -> str:
    """Names the code a server runs and the interpreter that runs it: the interpreter and its
    start-up settings, the version, and every package file's path, size and modification time.
    A server of other code has another key, so a client never talks to a stale server (it
    idles out on its own)."""
    from linter import __version__

    parts = [str(PROTOCOL), __version__, sys.executable, sys.version, *_startup()]
    for path in _package_files():
        try:
            info = os.stat(path)
        except OSError:
            continue
        parts.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
    blob = "\n".join(parts).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(blob):08x}{zlib.adler32(blob):08x}"


SOCKET_PATH_MAX = 107 if sys.platform.startswith("linux") else 103  # bytes in sun_path, without its NUL


def socket_path(where: str, ident: str) -> str:
    return os.path.join(where, f"warm-{ident}.sock")


def failed_path(where: str, ident: str) -> str:
    """Where a server that could not start leaves its traceback; clients wait before trying again."""
    return os.path.join(where, f"warm-{ident}.failed")


def _plain(value, depth: int = 0) -> bool:
    """Whether ``value`` is what a message may hold (exact types: marshal makes no subclasses)."""
    kind = type(value)
    if kind in (str, int, float, bool) or value is None:
        return True
    if depth > 8:
        return False
    if kind is list:
        return all(_plain(v, depth + 1) for v in value)
    if kind is dict:
        return all(type(k) is str and _plain(v, depth + 1) for k, v in value.items())
    return False


def send(sock: _socket.socket, message: dict, fds: list[int] = ()) -> None:
    if type(message) is not dict or not _plain(message):
        raise WireError("not a message")
    body = marshal.dumps(message)
    data = _LENGTH.pack(len(body)) + body
    if fds:
        rights = struct.pack(f"{len(fds)}i", *fds)
        sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
        data = data[sent:]
    if data:
        sock.sendall(data)


def _with_fds(sock: _socket.socket, size: int, most: int) -> tuple[bytes, list[int]]:
    head, ancillary, _flags, _addr = sock.recvmsg(size, _socket.CMSG_SPACE(most * 4))
    received: list[int] = []
    for level, kind, data in ancillary:
        if level == _socket.SOL_SOCKET and kind == _socket.SCM_RIGHTS:
            whole = len(data) - len(data) % 4
            received += struct.unpack(f"{whole // 4}i", data[:whole])
    for fd in received[most:]:
        os.close(fd)
    return head, received[:most]


def receive(sock: _socket.socket, fds: int = 0) -> tuple[dict, list[int]]:
    """One message and the descriptors that came with it (at most ``fds`` are accepted; any
    beyond are closed)."""
    received: list[int] = []
    if fds:
        head, received = _with_fds(sock, _LENGTH.size, fds)
    else:
        head = sock.recv(_LENGTH.size)
    try:
        while len(head) < _LENGTH.size:
            more = sock.recv(_LENGTH.size - len(head))
            if not more:
                raise WireError("closed")
            head += more
        (size,) = _LENGTH.unpack(head)
        if size > MAX_MESSAGE:
            raise WireError("message too long")
        body = bytearray()
        while len(body) < size:
            more = sock.recv(min(size - len(body), 1 << 16))
            if not more:
                raise WireError("closed")
            body += more
        message = marshal.loads(bytes(body))
        if type(message) is not dict or not _plain(message):
            raise WireError("not a message")
        return message, received
    except (WireError, ValueError, EOFError, TypeError):
        for fd in received:
            os.close(fd)
        raise WireError("bad message") from None


def peer_uid(sock: _socket.socket) -> int | None:
    """The user id of the process at the other end, where the system says (Linux)."""
    option = getattr(_socket, "SO_PEERCRED", None)
    if option is None:
        return None
    _pid, uid, _gid = struct.unpack("3i", sock.getsockopt(_socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return uid
