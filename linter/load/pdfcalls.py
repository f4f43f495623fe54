"""Lean entry points into PDFium for the loops that run once per character or page object.

pypdfium2's bindings declare argument and result types, so each call converts its arguments
and wraps a returned handle in a new pointer object: about twice the cost of the C call itself,
paid thousands of times a page (a report can print every character as its own text object).
The same C functions are called here through prototypes without declared arguments, with
handles as ``Handle`` (kept as it comes back, passed on as it is) and output arguments given
as ``ctypes.byref`` of objects made once. Only handles, C ints and pointers pass through
them; nothing else may be given to these functions.
"""

from __future__ import annotations

import ctypes
from functools import cache
from types import SimpleNamespace


class Handle(ctypes.c_void_p):
    """A PDFium handle: a subclass, so that ctypes returns it unconverted and passes it as a pointer."""


def handle(pointer) -> Handle:
    """A pypdfium2 handle (a ctypes pointer) as a ``Handle``."""
    return Handle(ctypes.cast(pointer, ctypes.c_void_p).value)


def address(h) -> int:
    return h.value or 0 if h is not None else 0


# name: the C result type (None: a handle)
_SIGNATURES = {
    "FPDFPage_CountObjects": ctypes.c_int,
    "FPDFPage_GetObject": None,
    "FPDFPageObj_GetType": ctypes.c_int,
    "FPDFPageObj_GetMatrix": ctypes.c_int,
    "FPDFFormObj_CountObjects": ctypes.c_int,
    "FPDFFormObj_GetObject": None,
    "FPDFPath_GetDrawMode": ctypes.c_int,
    "FPDFPath_CountSegments": ctypes.c_int,
    "FPDFPath_GetPathSegment": None,
    "FPDFPathSegment_GetPoint": ctypes.c_int,
    "FPDFPathSegment_GetType": ctypes.c_int,
    "FPDFPathSegment_GetClose": ctypes.c_int,
    "FPDFText_CountChars": ctypes.c_int,
    "FPDFText_GetText": ctypes.c_int,
    "FPDFText_GetUnicode": ctypes.c_uint,
    "FPDFText_GetLooseCharBox": ctypes.c_int,
    "FPDFText_GetCharOrigin": ctypes.c_int,
    "FPDFText_GetCharBox": ctypes.c_int,
}


@cache
def lean(raw) -> SimpleNamespace:
    """The functions of ``_SIGNATURES``, from the addresses of pypdfium2's own (``raw``)."""
    out = {}
    for name, restype in _SIGNATURES.items():
        declared = getattr(raw, name)
        fn = type(declared)(ctypes.cast(declared, ctypes.c_void_p).value)  # the library's calling convention
        fn.restype, fn.argtypes = restype or Handle, None
        out[name] = fn
    return SimpleNamespace(**out)
