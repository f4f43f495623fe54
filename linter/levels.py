"""The levels of a finding, in one table: id, rank, the Chinese name every output shows, the
name other tools' formats give it (SARIF, GitHub annotations) and its colour. Whatever names,
orders or colours a level reads it from here. Nothing but ``typing`` is imported: the command
line reads the level names at start-up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple


class LevelRow(NamedTuple):
    id: str
    rank: int  # higher is more severe
    name: str  # Chinese, as every output shows it
    sarif: str  # SARIF 2.1.0 result level
    github: str  # GitHub workflow command
    colour: str  # charts and the annotated page
    style: str  # rich style in the terminal


TABLE = (
    LevelRow("error", 3, "错误", "error", "error", "#c62828", "bold red"),
    LevelRow("warning", 2, "警告", "warning", "warning", "#ef8f00", "yellow"),
    LevelRow("info", 1, "提示", "note", "notice", "#1e88e5", "cyan"),
)

Level = Literal["error", "warning", "info"]  # the ids of TABLE (a test keeps the two the same)
LEVELS: tuple[str, ...] = tuple(row.id for row in TABLE)  # most severe first
RANK = {row.id: row.rank for row in TABLE}
NAMES = {row.id: row.name for row in TABLE}
SARIF = {row.id: row.sarif for row in TABLE}
GITHUB = {row.id: row.github for row in TABLE}
COLOUR = {row.id: row.colour for row in TABLE}
STYLE = {row.id: row.style for row in TABLE}


def worst(levels: Iterable[str]) -> str:
    """The most severe of some levels."""
    return max(levels, key=RANK.__getitem__)


def sql_order(column: str = "level") -> str:
    """An SQL expression sorting a level column most severe first (unknown levels last)."""
    whens = " ".join(f"WHEN '{lv}' THEN {n}" for n, lv in enumerate(LEVELS))
    return f"CASE {column} {whens} ELSE {len(LEVELS)} END"


def sql_list(levels: Iterable[str]) -> str:
    """Level ids as an SQL list: ``('error','warning')``."""
    return "(" + ",".join(f"'{lv}'" for lv in levels if lv in RANK) + ")"
