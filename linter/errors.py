"""``InputError``: something the user gave cannot be used (a database path, a baseline, a list
of files, last year's report). Its message is one Chinese line naming the file; the CLI prints
it and exits with 2, with no traceback and no partial output."""

from __future__ import annotations


class InputError(Exception):
    """A bad input given by the user; the message is for users (Chinese, one line)."""
