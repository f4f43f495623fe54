"""Configuration files on disk: finding the one that applies to a path and reading its TOML.

A ``.nianbao-lint.toml``, or a ``pyproject.toml`` with a ``[tool.nianbao-lint]`` table, in the
folder of the first linted path or any folder above it. Reading never executes anything: a
file that cannot be read, is not TOML or nests too deep is a ``ConfigError`` naming it.
Validating what a file says is ``linter.config``'s.
"""

from __future__ import annotations

from pathlib import Path

from linter.clitext import os_error
from linter.errors import LocatedError

NAMES = (".nianbao-lint.toml", "pyproject.toml")
MAX_DEPTH = 16  # tables and arrays in a configuration file


class ConfigError(LocatedError):
    """An invalid configuration; the message names the file and the key (in Chinese)."""


def read_toml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            path.name, "(file)", f"无法读取：{os_error(exc) if isinstance(exc, OSError) else exc}"
        ) from None
    return _parse_toml(path.name, text)


def _parse_toml(name: str, text: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(name, "(toml)", str(exc)) from None
    except RecursionError:
        raise ConfigError(name, "(toml)", f"嵌套超过 {MAX_DEPTH} 层") from None
    if _depth(data) > MAX_DEPTH:
        raise ConfigError(name, "(toml)", f"嵌套超过 {MAX_DEPTH} 层")
    return data


def _depth(value, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return max((_depth(v, level + 1) for v in children), default=level)


def _has_table(project: Path) -> bool:
    """Whether a pyproject.toml has a [tool.nianbao-lint] table. Most projects' files have none,
    and parsing TOML is most of what finding no configuration costs (the parser compiles its
    expressions when imported), so the answer for the file's bytes is kept in the compiled cache
    (``linter.compiled``). A file that does not parse is never kept: it is the same error each run."""
    from linter import compiled

    try:
        raw = project.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):  # said the way reading the text has always said it
        return "nianbao-lint" in read_toml(project).get("tool", {})
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # the newlines ``read_text`` gives
    key = compiled.digest("pyproject", [(project.name, raw)])
    return compiled.cached(
        "pyproject", key, lambda: "nianbao-lint" in _parse_toml(project.name, text).get("tool", {}), _flag
    )


def _flag(data) -> bool:
    if not isinstance(data, bool):
        raise TypeError("not a yes or no")
    return data


def discover(start: str | Path) -> Path | None:
    """The nearest config file above ``start``: a .nianbao-lint.toml, or a pyproject.toml with a
    [tool.nianbao-lint] table."""
    here = Path(start).resolve()
    for folder in [here, *here.parents] if here.is_dir() else [here.parent, *here.parent.parents]:
        own = folder / NAMES[0]
        if own.is_file():
            return own
        project = folder / NAMES[1]
        if project.is_file() and _has_table(project):
            return project
    return None
