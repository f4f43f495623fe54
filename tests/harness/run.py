"""Running the harness: each source in each variant, clean and with every defect, and the
numbers the sweep prints (per-format cell accuracy, per-category precision and recall,
per-rule findings on clean variants, and every failure with an example)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from harness.defects import DEFECTS, Defect
from harness.measure import LEVELS, Injection, Outcome, compare_findings, finding_key, inject, read
from harness.model import FIXTURES, Source
from harness.variants import Variant, by_name
from linter import api, engine

REFERENCE = "html-plain"  # the plainest rendering: every other variant must read like it


@dataclass
class Cell:
    """One (source, variant): the clean reading and the injections."""

    clean: Outcome
    missing: list[tuple] = field(default_factory=list)  # reference findings the variant lacks
    extra: list[tuple] = field(default_factory=list)  # findings the reference lacks
    injections: list[Injection] = field(default_factory=list)

    @property
    def clean_ok(self) -> bool:
        o = self.clean
        return not o.error and o.sections_ok and not o.cell_diffs and not self.missing and not self.extra


def run_pair(
    source: Source, variant: Variant, reference: Outcome, rules, cache: Path, defects: list[Defect] | None
) -> Cell:
    clean = read(source, variant, rules, cache)
    missing, extra = compare_findings(clean, reference) if not clean.error else ([], [])
    cell = Cell(clean, missing, extra)
    for defect in defects or []:
        if clean.error:
            break
        got = inject(source, variant, defect, clean, rules, cache)
        if got is not None:
            cell.injections.append(got)
    return cell


def fidelity(sources: list[Source], references: dict[str, Outcome]) -> dict[str, dict]:
    """How the rebuilt source differs from its fixture in error/warning findings (the rebuild
    prints official labels and drops page chrome, so some findings of the fixture go away)."""
    rules = engine.load_rules()
    out = {}
    for source in sources:
        fixture, rebuilt = fixture_findings(source, rules), references[source.name].judged()
        out[source.name] = {
            "fixture_only": [_fmt(k) for k in sorted((fixture - rebuilt).elements())],
            "rebuilt_only": [_fmt(k) for k in sorted((rebuilt - fixture).elements())],
        }
    return out


def fixture_findings(source: Source, rules) -> Counter:
    """Error/warning findings of the original fixture (how faithful the rebuilt source is)."""
    import yaml

    from harness.model import EXPECTED

    want = yaml.safe_load((EXPECTED / f"{source.name}.yaml").read_text(encoding="utf-8"))
    result = api.lint_file(FIXTURES / want["file"], rules)
    return Counter(finding_key(f) for f in result.findings if f.level in LEVELS)


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def summarize(cells: list[Cell], references: dict[str, Outcome]) -> dict:
    fam: dict[str, Counter] = defaultdict(Counter)
    for c in cells:
        o, f = c.clean, fam[c.clean.variant]
        f["docs"] += 1
        f["unreadable"] += bool(o.error)
        f["sections_ok"] += o.sections_ok and not o.error
        f["cells"] += o.cells_total
        f["cells_exact"] += o.cells_total - len(o.cell_diffs)
        f["cells_wrong"] += sum(1 for d in o.cell_diffs if d[3] is not None)
        f["findings_same"] += not o.error and not c.missing and not c.extra
        info = Counter({k: n for k, n in o.findings.items() if k[1] == "info"})
        ref_info = Counter({k: n for k, n in references[o.source].findings.items() if k[1] == "info"})
        f["info_differs"] += not o.error and info != ref_info
        f["clean_ok"] += c.clean_ok
        f["family:" + o.family] += 1
    formats = {}
    for name, f in fam.items():
        family = next(k.split(":", 1)[1] for k in f if k.startswith("family:"))
        formats[name] = {
            "family": family,
            "docs": f["docs"],
            "unreadable": f["unreadable"],
            "sections_ok": f["sections_ok"],
            "cells": f["cells"],
            "cells_exact": f["cells_exact"],
            "cells_wrong": f["cells_wrong"],
            "cell_accuracy": _rate(f["cells_exact"], f["cells"]),
            "findings_same": f["findings_same"],
            "info_differs": f["info_differs"],
            "clean_ok": f["clean_ok"],
        }
    cat: dict[str, Counter] = defaultdict(Counter)
    for c in cells:
        for inj in c.injections:
            k = cat[inj.defect.category]
            k["injected"] += 1
            k["detected"] += inj.detected
            k["exactly_one"] += inj.exactly_one
            k["matching"] += sum(1 for x in inj.new if inj.expect.matches(x) and x[1] in LEVELS)
            k["extraneous"] += len(inj.extraneous)
    categories = {
        name: {
            **k,
            "recall": _rate(k["detected"], k["injected"]),
            "precision": _rate(k["matching"], k["matching"] + k["extraneous"]),
            "one_finding": _rate(k["exactly_one"], k["injected"]),
        }
        for name, k in cat.items()
    }
    per_rule: dict[str, Counter] = defaultdict(Counter)
    for c in cells:
        ref = references[c.clean.source].judged()
        for key, n in c.clean.judged().items():
            per_rule[key[0]][key[1]] += n
            per_rule[key[0]][key[1] + "_not_in_reference"] += max(0, n - ref.get(key, 0))
    clean_docs = sum(1 for c in cells if not c.clean.error)
    errors_new = sum(r["error_not_in_reference"] for r in per_rule.values())
    warnings_new = sum(r["warning_not_in_reference"] for r in per_rule.values())
    return {
        "documents": len(cells) + sum(len(c.injections) for c in cells),
        "formats": formats,
        "categories": categories,
        "clean_rules": {k: dict(v) for k, v in sorted(per_rule.items())},
        "clean": {
            "variants": clean_docs,
            "errors_not_in_reference": errors_new,
            "warnings_not_in_reference": warnings_new,
            "warnings_per_10_variants": round(10 * warnings_new / clean_docs, 2) if clean_docs else None,
        },
    }


def failures(cells: list[Cell]) -> list[dict]:
    """Every difference, one record each: clean variants that read differently from the
    source, and injections missed or followed by findings elsewhere."""
    out = []
    for c in cells:
        o = c.clean
        base = {"source": o.source, "variant": o.variant, "family": o.family}
        if o.error:
            out.append({**base, "kind": "unreadable", "detail": o.error})
            continue
        if not o.sections_ok:
            out.append(
                {
                    **base,
                    "kind": "sections",
                    "detail": f"got {''.join(o.sections)} want {''.join(sorted(o.want_sections))}",
                }
            )
        if o.cell_diffs:
            out.append(
                {
                    **base,
                    "kind": "cells",
                    "count": len(o.cell_diffs),
                    "detail": "; ".join(f"{t}/{r}/{col} got {g} want {w}" for t, r, col, g, w in o.cell_diffs[:4]),
                }
            )
        for k in c.extra:
            out.append({**base, "kind": "extra-finding", "detail": _fmt(k)})
        for k in c.missing:
            out.append({**base, "kind": "missing-finding", "detail": _fmt(k)})
        for inj in c.injections:
            if not inj.detected:
                out.append(
                    {
                        **base,
                        "kind": "defect-missed",
                        "defect": inj.defect.name,
                        "detail": f"want {inj.expect}; new: {[_fmt(k) for k in inj.new]}",
                    }
                )
            for k in inj.extraneous:
                out.append({**base, "kind": "defect-extraneous", "defect": inj.defect.name, "detail": _fmt(k)})
    return out


def _fmt(key: tuple) -> str:
    rule, level, section, table, row, col = key
    where = "/".join(x for x in (f"§{section}" if section else None, table, row, col) if x)
    return f"{rule}({level}{' @' + where if where else ''})"


def sweep(
    sources: list[Source],
    variants: list[Variant],
    cache: Path,
    defects=DEFECTS,
    pdf_defects: bool = True,
    progress=None,
) -> tuple[list[Cell], dict[str, Outcome]]:
    rules = engine.load_rules()
    reference = by_name([REFERENCE])[0]
    refs = {s.name: read(s, reference, rules, cache) for s in sources}
    cells = []
    for source in sources:
        for variant in variants:
            chosen = defects if (pdf_defects or not variant.slow) else []
            cells.append(run_pair(source, variant, refs[source.name], rules, cache, chosen))
            if progress:
                progress(cells[-1])
    return cells, refs
