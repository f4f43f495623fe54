"""One cause, one finding: a check's ``Hit`` stamped into a ``Finding`` of its rule (with a
fingerprint stable across reformatting), the hits that name one cause merged into one finding
with the others kept as its related locations, and such a finding taken apart again
(``unmerged``) or pruned part by part (``prune``). Used through ``linter.engine``."""

from __future__ import annotations

import hashlib

from linter.models import LEVEL_RANK, Finding, Hit, Related


def fingerprint(rule: str, hit: Hit) -> str:
    """Stable across reformatting: rule, logical place and the hit's key; never line numbers."""
    loc = hit.loc
    basis = "|".join(str(x or "") for x in (rule, loc.section, loc.table, loc.row, loc.col, hit.key))
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


def stamp(rule, hit: Hit, file: str) -> Finding:
    return Finding(
        file=file,
        rule=rule.spec.id,
        name=rule.spec.name,
        category=rule.spec.category,
        level=rule.spec.level,
        message=rule.spec.message.format(**hit.data),
        location=hit.loc,
        excerpt=hit.excerpt,
        expected=hit.expected,
        actual=hit.actual,
        fix=rule.spec.fix,
        fingerprint=fingerprint(rule.spec.id, hit),
    )


def merge(hits: list[tuple], file: str) -> list[Finding]:
    """One cause, one finding. Hits naming the same ``cause`` are merged: the one that states
    the cause (else the most severe, else the first) is the finding, its message completed by
    the cause's diagnosis; the others become its related locations, each with its own rule id
    and fingerprint. A hit with no cause of its own that speaks of a cell a cause names is
    attached to that cause too."""
    order = {id(h): i for i, (_, h) in enumerate(hits)}
    groups: dict[str, list[tuple]] = {}
    named: dict[str, str] = {}  # cell → cause naming it
    for rule, hit in hits:
        if hit.cause:
            groups.setdefault(hit.cause, []).append((rule, hit))
            for cell in hit.cells:
                named.setdefault(cell, hit.cause)
    loose: list[tuple] = []
    for rule, hit in hits:
        if hit.cause:
            continue
        cause = next((named[c] for c in hit.refers if c in named), None)
        if cause:
            groups[cause].append((rule, hit))
        else:
            loose.append((rule, hit))
    out: list[tuple[int, Finding]] = [(order[id(h)], stamp(r, h, file)) for r, h in loose]
    for members in groups.values():
        members.sort(key=lambda rh: (not rh[1].primary, -LEVEL_RANK[rh[0].spec.level], order[id(rh[1])]))
        (rule, hit), rest = members[0], members[1:]
        finding = stamp(rule, hit, file)
        note = next((h.cause_text for _, h in members if h.cause_text), None)
        update: dict = {"related": tuple(_related(stamp(r, h, file)) for r, h in rest)}
        if note:
            update["message"] = (
                f"{finding.message}。{note}" if not finding.message.endswith("。") else finding.message + note
            )
        out.append((min(order[id(h)] for _, h in members), finding.model_copy(update=update)))
    return [f for _, f in sorted(out, key=lambda x: x[0])]


def _related(f: Finding) -> Related:
    return Related(
        rule=f.rule,
        name=f.name,
        category=f.category,
        level=f.level,
        message=f.message,
        location=f.location,
        fingerprint=f.fingerprint,
    )


def _fields(r: Related) -> dict:
    return {k: getattr(r, k) for k in Related.model_fields}


def unmerged(finding: Finding) -> list[Finding]:
    """A merged finding and each of its related locations, as findings of their own rules."""
    return [finding.model_copy(update={"related": ()})] + [
        finding.model_copy(update={**_fields(r), "related": (), "expected": None, "actual": None, "excerpt": None})
        for r in finding.related
    ]


def prune(finding: Finding, keep) -> Finding | None:
    """The finding with the parts ``keep(finding)`` rejects taken out (each part judged as a
    finding of its own rule): related locations dropped one by one; when the finding's own rule
    is dropped, the first related one kept takes its place, so a merged finding never hides
    another rule's result."""
    head, *parts = unmerged(finding)
    kept = [r for r, p in zip(finding.related, parts) if keep(p)]
    if keep(head):
        return finding if len(kept) == len(finding.related) else finding.model_copy(update={"related": tuple(kept)})
    if not kept:
        return None
    first, *others = kept
    return finding.model_copy(
        update={**_fields(first), "related": tuple(others), "expected": None, "actual": None, "excerpt": None}
    )
