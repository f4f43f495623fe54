"""The official report formats as validated data: loads ``v<version>.yaml`` into typed models.

A format version is chosen by report year (:func:`for_year`); rules and the parser read
section titles, table rows and columns, identities and citations from here, never from
Python literals.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, model_validator

from linter.errors import LocatedError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when a file is validated


class SectionSpec(_Strict):
    key: str
    title: str
    keywords: list[str]
    aliases: list[str] = []  # wordings recognised as this heading (read as the section)
    accepted: list[str] = []  # wordings accepted as the official title (anything else: TYP001)


class ColumnSpec(_Strict):
    key: str
    label: str
    aliases: list[str] = []
    dtype: Literal["int", "decimal"] = "int"
    optional: bool = False


class RowSpec(_Strict):
    key: str
    label: str
    group: str | None = None
    block: str | None = None
    columns: list[str] | None = None  # None: every non-optional column of the table


class TableSpec(_Strict):
    title: str
    anchors: list[str]
    signature: list[str] = []  # labels only this format's version of the table has
    headers: list[str] = []  # header words above the column labels (group headers), not columns
    layout: Literal["grid", "flat"] = "grid"
    row_order: Literal["strict", "free"] = "strict"  # free: rows may be printed in any order
    columns: list[ColumnSpec]
    rows: list[RowSpec]
    _by_key: dict[str, ColumnSpec] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context) -> None:
        """The columns by key, the first of a key (looked up for every cell of a report)."""
        for c in self.columns:
            self._by_key.setdefault(c.key, c)

    def column(self, key: str) -> ColumnSpec:
        # the private dict itself: ``self._by_key`` goes through pydantic's __getattr__ (5 µs, and
        # a report looks up every cell's column)
        return self.__pydantic_private__["_by_key"][key]

    def row(self, key: str) -> RowSpec:
        return next(r for r in self.rows if r.key == key)

    def row_columns(self, row: RowSpec) -> list[str]:
        if row.columns is not None:
            return list(row.columns)
        return [c.key for c in self.columns if not c.optional]

    def cell_keys(self) -> list[tuple[str, str]]:
        return [(r.key, c) for r in self.rows for c in self.row_columns(r)]


class IdentitySpec(_Strict):
    id: str
    table: str
    each: Literal["row", "column"]
    lhs: list[str]
    rhs: list[str]
    text: str
    lhs_text: str | None = None  # how messages name each side; default: the labels joined by ＋
    rhs_text: str | None = None


class CitationSpec(_Strict):
    pattern: str
    label: str
    outdated_from_year: int
    current: str | None = None
    revised_by: int | None = None


class PeriodSpec(_Strict):
    pattern: str  # a regular expression for the phrase that introduces the statistics period


class FormatSpec(_Strict):
    version: str
    name: str
    basis: str
    applies_from_year: int
    first_format_year: int
    sections: list[SectionSpec]
    tables: dict[str, TableSpec]
    identities: list[IdentitySpec]
    citations: dict[str, CitationSpec]
    period: PeriodSpec

    @model_validator(mode="after")
    def _keys_resolve(self) -> FormatSpec:
        for ident in self.identities:
            table = self.tables.get(ident.table)
            if table is None:
                raise ValueError(f"identity {ident.id}: unknown table {ident.table!r}")
            known = {r.key for r in table.rows} if ident.each == "column" else {c.key for c in table.columns}
            for key in ident.lhs + ident.rhs:
                if key not in known:
                    raise ValueError(f"identity {ident.id}: unknown key {key!r}")
        for tkey, table in self.tables.items():
            cols = {c.key for c in table.columns}
            for row in table.rows:
                for c in row.columns or []:
                    if c not in cols:
                        raise ValueError(f"table {tkey} row {row.key}: unknown column {c!r}")
        return self

    def section(self, key: str) -> SectionSpec:
        return next(s for s in self.sections if s.key == key)

    def identity(self, ident_id: str) -> IdentitySpec:
        for ident in self.identities:
            if ident.id == ident_id:
                return ident
        raise KeyError(ident_id)


class FormatError(LocatedError):
    """A format data file is invalid; the message names the file and the key."""


VERSIONS = ("2019", "2021")


@lru_cache(maxsize=1)
def format_sources() -> list[tuple[str, bytes]]:
    """The format files' names and bytes, read once per process (they are package data)."""
    folder = resources.files(__name__)
    return sorted((f.name, f.read_bytes()) for f in folder.iterdir() if f.name.endswith(".yaml"))


def _parse_formats() -> dict:
    from linter.compiled import yaml_load

    return {name: yaml_load(raw.decode("utf-8")) for name, raw in format_sources()}


def _validated(data: dict) -> dict[str, FormatSpec]:
    """Every format file's parsed data as a model; a ``FormatError`` names the file and key."""
    if not isinstance(data, dict) or sorted(data) != [name for name, _ in format_sources()]:
        raise TypeError("not the data of the format files")
    out = {}
    for name, content in data.items():
        try:
            out[name] = FormatSpec.model_validate(content)
        except ValidationError as exc:
            raise FormatError.invalid(name, exc) from None
    return out


def _revived(data: dict) -> dict[str, FormatSpec]:
    from linter.revive import revive

    if not isinstance(data, dict) or sorted(data) != [name for name, _ in format_sources()]:
        raise TypeError("not the validated formats")
    return {name: revive(FormatSpec, content) for name, content in data.items()}


def _all_formats() -> dict[str, FormatSpec]:
    """Every format, parsed and validated once per process and, across processes, kept in its
    validated form in the compiled cache (``linter.compiled``)."""
    import sys

    from linter import compiled, revive

    key = compiled.digest("formats", format_sources(), compiled.code([sys.modules[__name__], revive]))
    build = lambda: {name: revive.frozen(spec) for name, spec in _validated(_parse_formats()).items()}  # noqa: E731
    return compiled.cached("formats", key, build, _revived)


@cache
def load_format(version: str = "2021") -> FormatSpec:
    name = f"v{version}.yaml"
    formats = _all_formats()
    if name not in formats:  # as before: the file of an unknown version does not exist
        raise FileNotFoundError(name)
    return formats[name]


def for_year(year: int | None) -> FormatSpec:
    """The format in force for a report year (the newest when the year is unknown)."""
    chosen = VERSIONS[-1]
    if year is not None:
        for version in VERSIONS:
            if year >= load_format(version).applies_from_year:
                chosen = version
    return load_format(chosen)


def spec_of(item) -> FormatSpec:
    """The format a parsed item is judged by: a report's (``Report``) is the format of its
    version; a found table's (``Table``), the format of the layout it is printed in (a 2019
    table in a 2021 report is read and judged as a 2019 table)."""
    if hasattr(item, "version"):
        return load_format(item.version)
    if item.layout is None:
        raise ValueError(f"table {item.key} was not found: it has no layout of its own")
    return load_format(item.layout)
