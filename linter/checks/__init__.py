"""The one registry of checks, filled by the ``@check`` decorator.

A check is a pure function ``(report, params) -> Iterable[Hit]``. It declares the pydantic
model that validates its parameters and the message slots its hits fill; the engine does the
rest (choosing rules, formatting messages, stamping identity and level). A cross-document
check declares ``context=True`` and is called ``(report, params, context)``: the ``Context``
holds the other reports it compares with, given to the engine by the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from pydantic import BaseModel, ConfigDict

from linter.models import Hit, Report


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    """All checks, with every check module imported."""
    from linter.checks import citations, content, crossyear, dates, labels, layout, period, prose, sections, tables, values  # noqa: F401

    return CHECKS
