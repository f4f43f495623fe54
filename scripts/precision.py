"""Precision of the rules on the generated set (tests/generated_set.py): per rule, the findings
that benign rewording adds to real reports (false alarms), and for each injected defect whether
it gives exactly one new finding of the expected rule.

    python scripts/precision.py                 # this checkout
    python scripts/precision.py --rules DIR     # another checkout's rule files (run it with that
                                                # checkout first on PYTHONPATH)

Findings already on the unedited report are not counted: they are the report's own (real
defects, or reading problems of the file); only what an edit changes is.
"""

from __future__ import annotations

import argparse
import importlib.util
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generated():
    spec = importlib.util.spec_from_file_location("generated_set", ROOT / "tests" / "generated_set.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parts(findings):
    """Every finding and every finding merged into one, as (rule, level, fingerprint)."""
    out = []
    for f in findings:
        out.append((f.rule, f.level, f.fingerprint))
        out.extend((r.rule, r.level, r.fingerprint) for r in getattr(f, "related", ()))
    return out


def lint_text(text: str, name: str, rules):
    from linter import engine
    from linter.load import load_text
    from linter.parse import parse

    if name.endswith(".html"):
        from linter.load import html

        doc = html.load(text.encode("utf-8"), "report.html")
    else:
        doc = load_text(text, "report.txt", "md" if name.endswith(".md") else "txt")
    return engine.run(parse(doc), rules, "report")


def measure(rules_dir: str | None = None) -> dict:
    from linter import engine

    gen = _generated()
    rules = engine.load_rules(rules_dir)
    base_levels: Counter = Counter()
    clean_new: Counter = Counter()
    defects = {
        "total": 0,
        "exactly_one": 0,
        "missed": Counter(),
        "extra": Counter(),
        "kinds": Counter(),
        "kinds_ok": Counter(),
    }
    n_clean = n_base = 0
    for path in gen.BASES:
        text = path.read_text(encoding="utf-8")
        base = lint_text(text, path.name, rules)
        n_base += 1
        for f in base:
            base_levels[(f.rule, f.level)] += 1
        seen = {fp for _, _, fp in _parts(base)}
        for _name, variant, _ in gen.clean_variants(text):
            n_clean += 1
            for f in lint_text(variant, path.name, rules):
                if f.fingerprint not in seen:
                    clean_new[(f.rule, f.level)] += 1
        heads = {f.fingerprint for f in base}
        for name, variant, rule in gen.defect_variants(text):
            found = lint_text(variant, path.name, rules)
            new = [f for f in found if f.fingerprint not in heads]
            defects["total"] += 1
            defects["kinds"][name] += 1
            hit = [
                f
                for f in new
                if f.rule.startswith(rule[:3] if rule.startswith("ARI") else rule)
                or any(r.rule == rule for r in getattr(f, "related", ()))
            ]
            if not hit:
                defects["missed"][name] += 1
            if len(new) == 1 and hit:
                defects["exactly_one"] += 1
                defects["kinds_ok"][name] += 1
            for f in new:
                if f not in hit[:1]:
                    defects["extra"][(name, f.rule, f.level)] += 1
        for name, clean, bad, rule in gen.table_variants(text):
            # the refilled table no longer matches the report's prose: compared with itself only
            before = lint_text(clean, path.name, rules)
            fps = {f.fingerprint for f in before}
            new = [f for f in lint_text(bad, path.name, rules) if f.fingerprint not in fps]
            kind = "table:" + name.split("/")[0]
            defects["total"] += 1
            defects["kinds"][kind] += 1
            hit = [f for f in new if f.rule.startswith(rule)]
            if not hit:
                defects["missed"][kind] += 1
            if len(new) == 1 and hit:
                defects["exactly_one"] += 1
                defects["kinds_ok"][kind] += 1
            for f in new:
                if f not in hit[:1]:
                    defects["extra"][(kind, f.rule, f.level)] += 1
    return {"bases": n_base, "base": base_levels, "clean": n_clean, "clean_new": clean_new, "defects": defects}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", default=None)
    args = ap.parse_args()
    r = measure(args.rules)
    print(f"{r['bases']} real reports, {r['clean']} clean variants, {r['defects']['total']} defect variants")
    print("findings on the unedited reports (rule, level): count")
    for (rule, level), n in sorted(r["base"].items()):
        print(f"  {rule} {level}: {n}")
    print("new findings on clean variants (rule, level): count")
    for (rule, level), n in sorted(r["clean_new"].items()):
        print(f"  {rule} {level}: {n}")
    d = r["defects"]
    print(f"defects giving exactly one new finding of the expected rule: {d['exactly_one']}/{d['total']}")
    for kind, n in sorted(d["kinds"].items()):
        print(f"  {kind}: {d['kinds_ok'][kind]}/{n} exactly one; missed {d['missed'][kind]}")
    print("extra findings on defect variants (variant, rule, level): count")
    for key, n in sorted(d["extra"].items()):
        print(f"  {' '.join(key)}: {n}")


if __name__ == "__main__":
    main()
