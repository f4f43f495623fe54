"""Errors about what the user or the project gave.

``InputError``: something the user gave cannot be used (a database path, a baseline, a list
of files, last year's report). Its message is one Chinese line naming the file; the CLI prints
it and exits with 2, with no traceback and no partial output.

``LocatedError``: a file that fails strict validation (a rule file, a configuration, a format
data file), its message always ``file: key: message``; ``invalid`` builds one from a pydantic
``ValidationError``, so that every such file reports its first error the same way."""

from __future__ import annotations

from collections.abc import Callable, Sequence


class InputError(Exception):
    """A bad input given by the user; the message is for users (Chinese, one line)."""


class LocatedError(Exception):
    """An invalid file; the message names the file and the key (dotted, ``(top)`` for the whole)."""

    def __init__(self, file: str, key: str, message: str):
        super().__init__(f"{file}: {key}: {message}")
        self.file, self.key, self.message = file, key, message

    @classmethod
    def invalid(cls, file: str, exc, prefix: Sequence[str] = (), words: Callable[[dict], str] | None = None):
        """The first error of a pydantic ``ValidationError`` ``exc`` as this error: its key is the
        error's location under ``prefix``, its message ``words(error)`` (pydantic's own by default)."""
        err = exc.errors()[0]
        key = ".".join([*map(str, prefix), *map(str, err["loc"])]) or "(top)"
        return cls(file, key, words(err) if words else err["msg"])
