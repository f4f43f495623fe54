"""Metamorphic sweep (issues 12 and 13): every hand-read fixture whose cells are all known is
rebuilt and rendered in every variant (bare and portal web pages, crawler text in many shapes,
Markdown, Word, PDFs printed by LibreOffice and Chromium), read clean and with each defect
injected, and compared with its source. Prints per-format cell accuracy, per-category
precision and recall, and per-rule error/warning counts on clean variants.

    python scripts/sweep.py                    # everything (PDF printing takes minutes)
    python scripts/sweep.py --quick            # three sources, defects on PDFs skipped
    python scripts/sweep.py --json out.json    # also write all numbers and failures as JSON
    python scripts/sweep.py --variants txt-lines,docx --sources real/2022_pingtan-jingfaju_1
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from harness.defects import DEFECTS  # noqa: E402
from harness.model import sources as all_sources  # noqa: E402
from harness.run import failures, fidelity, summarize, sweep  # noqa: E402
from harness.variants import by_name  # noqa: E402

QUICK_SOURCES = 3


def _pct(x) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def print_summary(summary: dict, fails: list[dict]) -> None:
    print(f"\n{summary['documents']} documents read\n")
    print("| variant | family | read | sections ok | cells exact | wrong values | findings as source | info differs |")
    print("|---|---|---|---|---|---|---|---|")
    for name, f in summary["formats"].items():
        print(
            f"| {name} | {f['family']} | {f['docs'] - f['unreadable']}/{f['docs']} | {f['sections_ok']} | "
            f"{f['cells_exact']}/{f['cells']} ({_pct(f['cell_accuracy'])}) | {f['cells_wrong']} | {f['findings_same']} | "
            f"{f['info_differs']} |"
        )
    print("\n| defect category | injected | recall | precision | exactly one finding |")
    print("|---|---|---|---|---|")
    for name, c in sorted(summary["categories"].items()):
        print(f"| {name} | {c['injected']} | {_pct(c['recall'])} | {_pct(c['precision'])} | {_pct(c['one_finding'])} |")
    clean = summary["clean"]
    print(
        f"\nclean variants: {clean['variants']}; error findings not in the reference: "
        f"{clean['errors_not_in_reference']}; warnings not in the reference: {clean['warnings_not_in_reference']} "
        f"({clean['warnings_per_10_variants']} per 10 variants)"
    )
    print("\n| rule | errors on clean variants | of which new | warnings | of which new |")
    print("|---|---|---|---|---|")
    for rule, r in summary["clean_rules"].items():
        print(
            f"| {rule} | {r.get('error', 0)} | {r.get('error_not_in_reference', 0)} | {r.get('warning', 0)} | "
            f"{r.get('warning_not_in_reference', 0)} |"
        )
    print("\nrebuilt source against its fixture (error/warning findings only on one side):")
    for name, d in summary["fidelity"].items():
        if d["fixture_only"] or d["rebuilt_only"]:
            print(f"  {name}: fixture only {d['fixture_only']}; rebuilt only {d['rebuilt_only']}")
    kinds = Counter((f["kind"], f.get("defect", ""), f["variant"]) for f in fails)
    if kinds:
        print("\nfailures (kind, defect, variant: count; first example)")
        for (kind, defect, variant), n in sorted(kinds.items()):
            ex = next(f for f in fails if (f["kind"], f.get("defect", ""), f["variant"]) == (kind, defect, variant))
            print(f"  {kind:17} {defect:12} {variant:20} {n:3}  {ex['source']}: {ex['detail'][:140]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help=f"first {QUICK_SOURCES} sources, no defects on PDFs")
    ap.add_argument("--json", metavar="FILE", help="write the numbers and every failure as JSON")
    ap.add_argument("--variants", help="comma-separated variant names (default: all)")
    ap.add_argument("--sources", help="comma-separated source names such as real/2022_pingtan-jingfaju_1")
    ap.add_argument("--no-pdf", action="store_true", help="skip the printed PDF variants")
    ap.add_argument("--cache", help="folder for printed PDFs (kept between runs; default: a temporary folder)")
    args = ap.parse_args(argv)
    sources = all_sources()
    if args.sources:
        wanted = args.sources.split(",")
        sources = [s for s in sources if s.name in wanted]
    elif args.quick:
        sources = sources[:QUICK_SOURCES]
    variants = by_name(args.variants.split(",") if args.variants else None)
    if args.no_pdf:
        variants = [v for v in variants if not v.slow]
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(args.cache) if args.cache else Path(tmp)
        cache.mkdir(parents=True, exist_ok=True)
        cells, refs = sweep(
            sources,
            variants,
            cache,
            DEFECTS,
            pdf_defects=not args.quick,
            progress=lambda c: print(
                f"  {c.clean.source} {c.clean.variant}: {'ok' if c.clean_ok else 'differs'}", file=sys.stderr
            ),
        )
    summary = summarize(cells, refs)
    fails = failures(cells)
    summary["seconds"] = round(time.monotonic() - start, 1)
    summary["sources"] = [s.name for s in sources]
    summary["fidelity"] = fidelity(sources, refs)
    print_summary(summary, fails)
    if args.json:
        Path(args.json).write_text(
            json.dumps({"summary": summary, "failures": fails}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
