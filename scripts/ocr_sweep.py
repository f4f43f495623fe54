"""Sweep: scanned versions of the PDF fixtures read by OCR, against their text-layer reading.

Each PDF in fixtures/real and fixtures/generated is rendered, degraded like a scan (slight
rotation, speckle, blur, a red seal, JPEG) and wrapped as an image-only PDF; the linter reads
both. Printed per file and in total: cells of tables 二/三/四 read exactly, confident cells
(at or above the OCR threshold) read exactly, error-level findings that the scan has and the
original has not, and seconds per page, wall clock and CPU (the machine is shared: the CPU time is what a page costs).

    .venv/bin/python scripts/ocr_sweep.py [--dpi 200] [--seeds 1] [FILE ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from ocrscans import scan_pdf  # noqa: E402

from linter.api import check, configured_rules, read  # noqa: E402
from linter.config import Limits  # noqa: E402
from linter.load.scanned import THRESHOLD  # noqa: E402
from linter.models import CellStatus  # noqa: E402


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def cells(report) -> dict[str, tuple]:
    out = {}
    for key in ("二", "三", "四"):
        table = report.tables.get(key)
        if table is None or not table.found:
            continue
        for ref, cell in table.cells.items():
            if cell.status == CellStatus.MISSING:
                continue
            value = cell.value if cell.status in (CellStatus.NUMBER, CellStatus.INFERRED) else None
            out[f"{key}/{ref}"] = (value, cell.status == CellStatus.BLANK, cell)
    return out


def same(a: tuple, b: tuple) -> bool:
    value, blank = a[0], a[1]
    cell = b[2]
    if cell.conf is not None and cell.conf < THRESHOLD:  # taken out of the checks: compare its reading
        from linter.textutil import parse_number

        status, got = parse_number(cell.raw)
        return (blank and not cell.raw.strip()) or (got is not None and got == value)
    return (value, blank) == (b[0], b[1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*")
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--dpi", type=int, default=200)
    args = ap.parse_args()
    # The browser-printed fixtures' fonts carry no glyph outlines PDFium can draw (their pages
    # render as empty boxes), so no scan can be made of them.
    files = [Path(f) for f in args.files] or [
        f for f in sorted((ROOT / "fixtures").glob("*/*.pdf")) if ".chromium." not in f.name
    ]
    _, rules = configured_rules(None, ROOT)
    limits = Limits(max_seconds=0, ocr_page_seconds=120)
    totals = dict(cells=0, exact=0, confident=0, confident_exact=0, pages=0, seconds=0.0, cpu=0.0, new_errors=0)
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            original, res0 = read(f, limits)
            if original is None or not any(t.found for t in original.tables.values()):
                continue
            base = cells(original)
            before = {x.fingerprint for x in check(original, res0, rules).findings if x.level == "error"}
            for seed in range(args.seeds):
                scan = Path(tmp) / f"{f.stem}.{seed}.pdf"
                scan.write_bytes(scan_pdf(f, seed=seed, dpi=args.dpi))
                start, before_cpu = time.monotonic(), _cpu()
                report, res = read(scan, limits)
                spent, cpu = time.monotonic() - start, _cpu() - before_cpu
                pages = len(report.ocr_pages) if report else 0
                got = cells(report) if report else {}
                exact = sum(1 for k, v in base.items() if k in got and same(v, got[k]))
                conf = [k for k in base if k in got and (got[k][2].conf is None or got[k][2].conf >= THRESHOLD)]
                conf_exact = sum(1 for k in conf if same(base[k], got[k]))
                errors = [x for x in check(report, res, rules).findings if x.level == "error"] if report else []
                new = [x for x in errors if x.fingerprint not in before and x.rule != "PAR001"]
                wrong = [k for k in conf if not same(base[k], got[k])]
                print(
                    f"{f.name} seed {seed}: cells {exact}/{len(base)} exact, confident {conf_exact}/{len(conf)}, "
                    f"{pages} pages in {spent:.1f} s ({spent / max(pages, 1):.2f} s/page wall, "
                    f"{cpu / max(pages, 1):.2f} s/page CPU), new errors {len(new)}"
                )
                for k in wrong[:10]:
                    print(
                        f"    confident but wrong: {k} text layer {base[k][:2]} OCR {got[k][2].raw!r} conf {got[k][2].conf}"
                    )
                for x in new[:5]:
                    print(f"    new error: {x.rule} {x.message[:100]}")
                totals["cells"] += len(base)
                totals["exact"] += exact
                totals["confident"] += len(conf)
                totals["confident_exact"] += conf_exact
                totals["pages"] += pages
                totals["seconds"] += spent
                totals["cpu"] += cpu
                totals["new_errors"] += len(new)
    t = totals
    print(
        f"TOTAL: cells {t['exact']}/{t['cells']} exact ({100 * t['exact'] / max(t['cells'], 1):.2f}%), "
        f"confident {t['confident_exact']}/{t['confident']} ({100 * t['confident_exact'] / max(t['confident'], 1):.2f}%), "
        f"{t['pages']} pages, {t['seconds'] / max(t['pages'], 1):.2f} s/page wall, "
        f"{t['cpu'] / max(t['pages'], 1):.2f} s/page CPU (this process and the engine's), new errors {t['new_errors']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
