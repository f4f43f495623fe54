"""The warm server's messages: what goes over the socket comes back equal, and anything but
plain data, a cut message or an oversized one is refused (closing descriptors that came with it)."""

from __future__ import annotations

import marshal
import os
import socket

import pytest

from linter.warm import wire

pytestmark = pytest.mark.skipif(not wire.usable(), reason="no Unix socket descriptor passing on this platform")

REQUEST = {
    "protocol": wire.PROTOCOL,
    "key": "0123abcd",
    "argv": ["check", "--format", "json", "报告 2024.pdf"],
    "env": {"LANG": "zh_CN.UTF-8", "ODD": "\udcff"},  # a name that is not UTF-8 survives
    "umask": 0o022,
    "streams": [["utf-8", "strict", False], ["utf-8", "backslashreplace", True]],
    "uptime": 1.5,
    "none": None,
}


def _pair():
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    return a, b


def test_a_message_and_its_descriptors_arrive_as_sent():
    a, b = _pair()
    read, write = os.pipe()
    try:
        wire.send(a, REQUEST, [write])
        message, fds = wire.receive(b, 3)
        assert message == REQUEST and len(fds) == 1
        os.write(fds[0], b"x")
        assert os.read(read, 1) == b"x"  # the same pipe, through the descriptor that came along
        os.close(fds[0])
    finally:
        for s in (a, b):
            s.close()
        os.close(read)
        os.close(write)


@pytest.mark.parametrize(
    "body",
    [
        marshal.dumps(("a", "tuple")),
        marshal.dumps({"code": compile("1", "x", "eval")}),  # never run, and never handed on
        marshal.dumps({"set": {1, 2}}),
        marshal.dumps({1: "key that is not a string"}),
        marshal.dumps({"deep": [[[[[[[[[[[["too deep"]]]]]]]]]]]]}),
        marshal.dumps({"ok": "but cut"})[:-3],
        b"\xff not marshal at all",
    ],
)
def test_anything_but_a_plain_message_is_refused_and_its_descriptors_closed(body):
    a, b = _pair()
    read, write = os.pipe()
    try:
        data = len(body).to_bytes(4, "big") + body
        a.sendmsg([data], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, write.to_bytes(4, "little"))])
        before = set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
        with pytest.raises(wire.WireError):
            wire.receive(b, 3)
        if before is not None:
            assert set(os.listdir("/proc/self/fd")) <= before  # the received copy was closed
    finally:
        for s in (a, b):
            s.close()
        os.close(read)
        os.close(write)


def test_a_message_that_is_too_long_or_not_plain_is_not_sent():
    a, b = _pair()
    try:
        with pytest.raises(wire.WireError):
            wire.send(a, {"path": object()})
        with pytest.raises(wire.WireError):
            wire.send(a, ["not", "a", "dict"])
        a.sendall((wire.MAX_MESSAGE + 1).to_bytes(4, "big"))
        with pytest.raises(wire.WireError):
            wire.receive(b)
    finally:
        for s in (a, b):
            s.close()
