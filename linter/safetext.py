"""Text from documents and file names made safe to show or store: every function here is total
(never raises) and idempotent.

- ``shown_path``: a file name as users see it in any output. Bytes that are not UTF-8 (which
  Python carries as lone surrogates) become ``\\xff``, control characters ``\\x1b``, so a name
  can neither crash an encoder nor drive a terminal.
- ``storable``: any string that UTF-8 can encode (lone surrogates escaped), for the database.
- ``printable``: text for a terminal: control characters (ESC, NUL, C1, bidirectional
  overrides) shown escaped; tab and newline kept.
- ``xml_text``: only the characters XML 1.0 allows (JUnit), the others shown escaped.
"""

from __future__ import annotations

import re

# C0 except tab and newline, DEL, C1, and the bidirectional embeddings, overrides and isolates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# the complement of what XML 1.0 allows (tab, LF, CR, U+0020-D7FF, U+E000-FFFD, U+10000-10FFFF),
# written as what it leaves out: the same characters, and a class this small compiles at once
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def storable(text: str) -> str:
    return _SURROGATE.sub(_escape, text) if isinstance(text, str) else text


def shown_path(path) -> str:
    return _CONTROL_IN_NAME.sub(_escape, storable(str(path)))


def printable(text: str) -> str:
    return _CONTROL.sub(_escape, storable(text))


def xml_text(text: str) -> str:
    return _NOT_XML.sub(_escape, text)
