"""The one registry of checks, filled by the ``@check`` decorator.

A check is a pure function ``(report, params) -> Iterable[Hit]``. It declares the pydantic
model that validates its parameters and the message slots its hits fill; the engine does the
rest (choosing rules, formatting messages, stamping identity and level). Every module of this
package is imported by ``registry()``: a new module's checks are found without being listed.
A cross-document check declares ``context=True`` and is called ``(report, params, context)``:
the ``Context`` holds the other reports it compares with, given to the engine by the run.

A rule file (``rules/ID.yaml``) names its check under ``check:``; the rule families and the
modules that decide them (``nianbao-lint explain ID`` prints the check's file and line, its
parameters and the rule's case file, ``tests/cases/ID.yaml``):

  ARI TBL           tables     the statistical tables: present, filled in, identities hold
  CIT               citations  cited documents: superseded format notices, the unrevised Regulation
  HIE XYR           crossyear  across documents: two years of one agency, a region's departments
  LAY               layout     the table layout and row labels in force for the report's year
  ORD PLH REF SCN   content    the wording: numbering, leftovers, stale references, thin sections
  PAR SEC           sections   the statutory sections, and whether the document is a report
  PER               period     the statement of the statistics period
  PUB YR            dates      publication deadline and date, the title's year
  TXT               prose      numbers in the prose against the tables and their own sums
  TYP               labels     printed labels and titles against the official ones
  VAL               values     table values: whole non-negative counts, the fee's unit

``solve`` is no check of its own: it finds the fewest wrong cells for ``tables``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from linter.models import Hit, Report


class NoParams(BaseModel):
    """Parameters of a check; built at the first rule file validated (a warm cache builds none)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


@dataclass(frozen=True)
class Context:
    """What a cross-document check reads besides its report: last year's report of the same
    agency and, in audits by region, the reports of a government's departments."""

    previous: Report | None = None
    children: tuple[Report, ...] = ()


@dataclass(frozen=True)
class CheckSpec:
    name: str
    fn: Callable[..., Iterable[Hit]]
    params: type[BaseModel]
    slots: frozenset[str]
    doc: str
    context: bool = False  # called with the run's Context as a third argument


CHECKS: dict[str, CheckSpec] = {}


def check(name: str, params: type[BaseModel] = NoParams, slots: Iterable[str] = (), context: bool = False):
    """Register a check under ``name``; ``slots`` are the message fields its hits provide;
    ``context``: it compares with other reports and takes the run's ``Context``."""

    def register(fn):
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        doc = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
        CHECKS[name] = CheckSpec(name, fn, params, frozenset(slots), doc, context)
        return fn

    return register


def registry() -> dict[str, CheckSpec]:
    """All checks, with every module of this package imported (once)."""
    global _imported
    if not _imported:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _imported = True
    return CHECKS


_imported = False
