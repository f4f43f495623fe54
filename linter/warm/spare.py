"""The spare checker: a copy of the warm server forked before the request it will serve.

A freshly forked checker runs slower than the server would: every page of memory it writes to
(reference counts touch nearly every object it uses) is copied on its first write, and a PDF or
Word file first forks the isolated reader (``linter.isolate``), whose own pages are copied in
turn. So the server keeps one spare, forked whenever no check runs. It says at once that it is
ready (it is no worse than a fork made for the request), then checks the server's sample
reports quietly, one at a time, as long as no request has come: every reader, the parser, the
checks and the renderers run once, which copies the pages a check writes to and leaves the
reader of the default memory limit started and warm. A request that comes meanwhile waits for
the sample in hand at most. The server hands the spare the client's connection, standard
streams and message; a spare serves one request, and exits when the server goes away (its end
of the pair closes).
"""

from __future__ import annotations

import gc
import os
import select
import signal
import socket

from linter.warm import child, warmup, wire


def run(control: socket.socket, samples: list[str], close: list[int]) -> None:
    """The spare's life, in the forked child; never returns."""
    try:
        child.leave_server(close)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C in the server's terminal is not for a spare
        wire.send(control, {"ready": os.getpid()})  # already as good as a fork made for the request
        for args in warmup.spare_runs(samples):
            if select.select([control], [], [], 0)[0]:
                break  # the request is here: it waits no longer than the sample in hand
            warmup.check_quietly([args])
        gc.freeze()  # the request's collections leave what the samples left alone (collecting it takes longer)
        message, fds = wire.receive(control, 4)
        if len(fds) != 4:
            os._exit(0)
        conn = socket.socket(fileno=fds[0])
        conn.setblocking(True)
        child.run(conn, message, fds[1:], close=[control.detach()])
    except BaseException:  # the server went away, or sent nothing usable
        pass
    os._exit(0)


class Spare:
    """The server's handle on its spare: the pid, its end of the pair, whether it said it is ready."""

    def __init__(self, pid: int, sock: socket.socket):
        self.pid, self.sock, self.ready = pid, sock, False

    def heard(self) -> bool:
        """Read what the spare said (its socket was readable); False when it is gone (a ready
        spare says nothing more: its socket becomes readable only at its end)."""
        if self.ready:
            return False
        try:
            message, _ = wire.receive(self.sock)
        except (OSError, wire.WireError):
            return False
        self.ready = message.get("ready") == self.pid
        return self.ready

    def hand(self, conn: socket.socket, message: dict, fds: list[int]) -> bool:
        """Give the spare a request (the descriptors are duplicated into it); False when it is gone."""
        try:
            wire.send(self.sock, message, [conn.fileno(), *fds])
            return True
        except OSError:
            return False

    def close(self) -> None:
        self.sock.close()


def fork(samples: list[str], close: list[int]) -> Spare | None:
    """A new spare, preparing itself; None where the system refused a fork."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        pid = os.fork()
    except OSError:
        ours.close()
        theirs.close()
        return None
    if pid == 0:
        run(theirs, samples, [*close, ours.detach()])  # never returns
    theirs.close()
    return Spare(pid, ours)
