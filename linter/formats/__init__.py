"""The official report formats as validated data: loads ``v<version>.yaml`` into typed models.

A format version is chosen by report year (:func:`for_year`); rules and the parser read
section titles, table rows and columns, identities and citations from here, never from
Python literals.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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

    def column(self, key: str) -> ColumnSpec:
        return next(c for c in self.columns if c.key == key)

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
    deadlines: dict[str, str]

    @model_validator(mode="after")
    def _keys_resolve(self) -> "FormatSpec":
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


class FormatError(Exception):
    """A format data file is invalid; the message names the file and the key."""


VERSIONS = ("2019", "2021")


@lru_cache(maxsize=None)
def load_format(version: str = "2021") -> FormatSpec:
    name = f"v{version}.yaml"
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    try:
        return FormatSpec.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top)"
        raise FormatError(f"{name}: {key}: {err['msg']}") from None


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
