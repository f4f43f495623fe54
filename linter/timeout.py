"""A per-file time limit for in-process runs (``check``, the API): ``deadline(seconds)``.

On POSIX, in the main thread, an interval timer raises ``FileTimeout`` inside the work when
time is up; the timer is always cancelled and the previous handler restored. Python cannot
interrupt a single long call into a C library (a PDF page in PDFium), so the limit takes hold at
the next Python step; ``audit`` runs every file in a worker process that is killed outright.
Elsewhere (Windows, other threads) the limit is not enforced.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class FileTimeout(BaseException):
    """The file took longer than its time limit. A BaseException, like KeyboardInterrupt, so
    that the loaders' per-page ``except Exception`` recovery cannot swallow it."""


def _raise(signum, frame):
    raise FileTimeout


@contextmanager
def deadline(seconds: float | None):
    usable = (
        seconds
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
