"""Whether a file changed since an audit stored it: the stat first, the hash only when needed.

A file whose size, mtime, ctime and inode are those stored with its hash is taken as unchanged
and not read. Otherwise it is hashed (SHA-256), and only a different hash makes it linted again;
the new stat is then stored so the next run need not hash it.

Times are compared to the nanosecond (``st_mtime_ns``, ``st_ctime_ns``), but filesystems stamp
them with a coarse clock: a kernel tick (1-10 ms) on ext4, XFS, Btrfs and tmpfs, 2 s on FAT,
1 s on ext3 and HFS+. Two writes within one tick can leave the same times and the same size. So
a stat taken less than ``RACY_NS`` after the file's last change is not trusted (it is stored
empty and the next run hashes the file again, as git does with a "racily clean" index entry);
a trusted stat was taken so long after the file's last change that any later write must give a
later time. ctime cannot be set by programs, so a tool that restores the mtime after writing
(``cp -p``, ``rsync -t``, ``tar``) still changes it, and a file replaced by a rename has a new
inode. What this cannot see: a clock set back by more than ``RACY_NS`` between two writes, or
a network filesystem whose server clock lags this machine's by more than that.
"""

from __future__ import annotations

import hashlib
import os
import stat as stats
import time
from dataclasses import dataclass
from pathlib import Path

RACY_NS = 3 * 10**9  # longer than the coarsest timestamp granularity (FAT, 2 s) plus a tick

StatKey = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


@dataclass(frozen=True)
class Seen:
    """A file as hashed: its SHA-256, size, and its stat if it can be trusted next time."""

    sha256: str
    size: int
    stat: StatKey | None


def key(st: os.stat_result) -> StatKey:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def hashed(path: str | Path) -> Seen:
    """Hash a regular file in chunks (a FIFO or device is an OSError), with the stat of the
    descriptor it read, trusted only if the file did not change while it was read and its last
    change is older than ``RACY_NS``."""
    from linter.load import open_regular

    now = time.time_ns()
    digest, size = hashlib.sha256(), 0
    fd = open_regular(path)
    try:
        before = os.fstat(fd)
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
            size += len(chunk)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    steady = key(before) == key(after) and size == before.st_size
    old = now - max(before.st_mtime_ns, before.st_ctime_ns) > RACY_NS
    return Seen(digest.hexdigest(), size, key(before) if steady and old else None)


def same_stat(path: str | Path, stored: StatKey | None) -> bool:
    """True if ``path`` is a regular file whose stat is the trusted ``stored`` one."""
    if stored is None:
        return False
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stats.S_ISREG(st.st_mode) and key(st) == stored


def unchanged(path: str | Path, seen: Seen) -> bool:
    """True if ``path`` still holds what ``seen`` describes: by its stat where that is
    trusted, else by hashing it again."""
    if seen.stat is not None:
        return same_stat(path, seen.stat)
    try:
        again = hashed(path)
    except OSError:
        return False
    return (again.sha256, again.size) == (seen.sha256, seen.size)
