"""The compiled cache of the rule and format files: their validated form, kept as JSON in the
user's cache folder so that a new process need neither parse YAML nor validate again.

An entry is keyed by the SHA-256 of the package version and every source file's name and
bytes, with the size and time of the modules whose models validate them (``code``), so an
edited file, or edited code, always misses. Only data that validated is stored, in the JSON
form of the validated instances (``linter.revive``), with the SHA-256 of that data: whoever
reads an entry checks the sum and that it covers the same files, and makes the instances
again without validating (building the validators is what a start-up would spend most on).
A corrupt entry (truncated, garbage, the wrong shape, data edited after it was written) can
neither run code (JSON, never pickle) nor let an invalid rule through: it is ignored and the
sources are parsed and validated as if there were no cache. Entries live in a folder only the
user can write (0700), are written atomically, and one owned by another user or writable by
others is ignored; whoever can write the user's own files can change what the tool does
anyway. Every failure to read or write the cache is silent: the run behaves exactly as
without it. Within a process each key is read once.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from linter import __version__

SCHEMA = 2  # layout of a cache file; part of the key
MAX_BYTES = 16 * 1024 * 1024  # a larger file is not ours: ignored unread
KEEP = 8  # entries kept per kind (the newest), so edits to rule files do not pile files up

Sources = list[tuple[str, bytes]]
_memo: dict[str, object] = {}


def folder() -> Path | None:
    """Where the cache lives: ``$XDG_CACHE_HOME/nianbao-lint``, else the platform's user cache
    folder (``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on
    Windows); None when there is no home to put it in."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):  # the XDG spec ignores a relative path
        return Path(xdg) / "nianbao-lint"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "nianbao-lint" / "Cache"
    try:
        home = Path.home()
    except (RuntimeError, KeyError, OSError):  # no HOME and no password entry
        return None
    if not home.is_absolute() or str(home) in ("", "/nonexistent"):
        return None
    return home / ("Library/Caches" if sys.platform == "darwin" else ".cache") / "nianbao-lint"


_READ: dict[str, tuple[tuple, bytes]] = {}
SETTLED_NS = 3_000_000_000  # a file changed this recently may change again within the same stat


def _bytes(path: str) -> bytes:
    """A file's bytes; read again only when its stat (size, times, inode) is not the one it had
    when last read in this process, or it had changed within 3 s of that read."""
    info = os.stat(path)
    signature = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    hit = _READ.get(path)
    if hit is not None and hit[0] == signature:
        return hit[1]
    data = Path(path).read_bytes()
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > SETTLED_NS:
        _READ[path] = (signature, data)
    return data


def read_sources(paths) -> Sources:
    """Each file's name and bytes, sorted by name (the files are read once: the key and the
    parse use the same bytes)."""
    return sorted((os.path.basename(p), _bytes(p)) for p in map(os.fspath, paths))


_DIGESTS: dict[str, tuple[tuple, str]] = {}  # kind → the groups last hashed, and their digest


def digest(kind: str, *groups: Sources) -> str:
    """The key of ``groups`` (lists of name and bytes) of ``kind``. The last key of each kind
    is kept with what it was made of: the same sources again (the bytes ``read_sources`` keeps
    are the same objects, compared by identity first) are not hashed again."""
    last = _DIGESTS.get(kind)
    if last is not None and last[0] == groups:
        return last[1]
    h = hashlib.sha256(f"nianbao-lint {__version__} compiled {SCHEMA} {kind}\0".encode())
    for group in groups:
        h.update(b"\1")
        for name, data in group:
            h.update(f"{name}\0{len(data)}\0".encode("utf-8", "surrogateescape"))
            h.update(data)
    _DIGESTS[kind] = (tuple(list(g) for g in groups), h.hexdigest())
    return _DIGESTS[kind][1]


_CODE: dict[str, bytes] = {}  # module name → what stands for its code, taken once a process


def code(modules) -> Sources:
    """What stands for the code of ``modules`` in a key: each source file's size and time (an
    installed package's files never change; an edited one has another time), taken the first
    time a process asks: the code a process runs is the one it imported, whatever happens to
    the file afterwards."""
    out = []
    for module in modules:
        name = getattr(module, "__name__", "?")
        mark = _CODE.get(name)
        if mark is None:
            try:
                st = os.stat(module.__file__)
                mark = f"{st.st_size} {st.st_mtime_ns}".encode()
            except (OSError, TypeError, AttributeError):
                mark = b"unknown"
            _CODE[name] = mark
        out.append((name, mark))
    return out


def _sum(data) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def _path(kind: str, key: str) -> Path | None:
    base = folder()
    return base / f"{kind}-{key[:40]}.json" if base else None


def _read(kind: str, key: str):
    path = _path(kind, key)
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            if not _ours(os.fstat(fh.fileno())):
                return None
            raw = fh.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return None
        entry = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(entry, dict) or entry.get("kind") != kind or entry.get("key") != key or "data" not in entry:
        return None
    try:
        if entry.get("sum") != _sum(entry["data"]):
            return None
    except (TypeError, ValueError, RecursionError):
        return None
    return entry["data"]


def _ours(st: os.stat_result) -> bool:
    """An entry another user could have written (in a shared cache folder) is not trusted."""
    if not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _write(kind: str, key: str, data) -> None:
    """Store ``data`` if it survives JSON unchanged (a YAML date or an integer key would not:
    such data is simply not cached), atomically, never failing the run."""
    path = _path(kind, key)
    if path is None:
        return
    try:
        entry = {"kind": kind, "key": key, "version": __version__, "sum": _sum(data), "data": data}
        text = json.dumps(entry, ensure_ascii=False)
        if json.loads(text)["data"] != data:
            return
    except (TypeError, ValueError, RecursionError):
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
        tmp = None
        _prune(path.parent, kind)
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _prune(base: Path, kind: str) -> None:
    entries = []
    for p in base.glob(f"{kind}-*.json"):
        try:
            entries.append((p.stat().st_mtime, p))
        except OSError:
            continue
    for _, p in sorted(entries, reverse=True)[KEEP:]:
        try:
            p.unlink()
        except OSError:
            pass


def cached(kind: str, key: str, build: Callable[[], object], use: Callable[[object], object]):
    """``use(data)`` on the stored data of ``key``; on a miss, or when the stored data does not
    pass ``use`` (any exception: a corrupt or tampered entry), ``use(build())``, and the built
    data is stored. ``build`` raises for an invalid source, and then nothing is stored. The
    result is memoised for the process by key."""
    if key in _memo:
        return _memo[key]
    data = _read(kind, key)
    result = _MISSING
    if data is not None:
        try:
            result = use(data)
        except Exception:  # noqa: BLE001 - whatever a bad entry does, the sources decide
            result = _MISSING
    if result is _MISSING:
        data = build()
        result = use(data)
        _write(kind, key, data)
    _memo[key] = result
    return result


_MISSING = object()


def yaml_load(text: str):
    """Parse one YAML document safely, with libyaml's C parser where PyYAML has it."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def yaml_error() -> type[Exception]:
    import yaml

    return yaml.YAMLError
