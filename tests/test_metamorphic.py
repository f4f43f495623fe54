"""Metamorphic fast slice: every hand-read fixture whose cells are all known is rebuilt and
rendered in unseen layouts; each variant must give the sections, every cell of tables 二/三/四
and the findings of its source, and each injected defect must be found at its place with
nothing new elsewhere. The full sweep (every family, PDFs with defects) is scripts/sweep.py."""

from __future__ import annotations

import pytest
from harness import measure, run
from harness.defects import DEFECTS
from harness.model import sources
from harness.variants import by_name

from linter.load.pdfpage import Char, Page, table_rows

# Families that read exactly like their source on every fixture.
CLEAN = [
    "html-plain",
    "html-plain-gbk",
    "md-pipe",
    "docx",
    "txt-tabs",
    "txt-lines",
    "txt-crawler",
    "txt-oneline",
    "txt-wrap40",
    "txt-wrap72",
    "txt-paged-of",
    "txt-paged-emdash",
    "txt-paged-head",
    "txt-paged-dash",
    "txt-paged-slash",
    "txt-paged-bare",
    "portal-trs_table",
    "portal-div_list",
    "portal-ul_list",
    "portal-ucap_gbk",
    "portal-layout_tables_gbk",
    "portal-dl_box",
    "portal-info_line",
    "portal-trs_table-gbk",
]
# Defects found in place, alone, in every family of DEFECT_VARIANTS.
DEFECT_NAMES = ["cell-t4", "drop-section", "period-year", "cite-60", "placeholder", "typo-row", "late-signoff"]
DEFECT_VARIANTS = [
    "html-plain",
    "md-pipe",
    "docx",
    "txt-tabs",
    "txt-lines",
    "txt-paged-of",
    "txt-paged-bare",
    "portal-ucap_gbk",
]
DEFECT_SOURCES = 4
PRINTED = ["pdf-lo-docx", "pdf-lo-html", "pdf-chromium"]  # a few PDFs only: printing is the slow part


@pytest.fixture(scope="session")
def harness(all_rules, tmp_path_factory):
    cache = tmp_path_factory.mktemp("printed-pdfs")
    srcs = sources()
    reference = by_name([run.REFERENCE])[0]
    refs = {s.name: measure.read(s, reference, all_rules, cache) for s in srcs}
    return srcs, refs, cache


def _problems(cell: run.Cell) -> list[str]:
    o = cell.clean
    out = [o.error] if o.error else []
    if not o.error and not o.sections_ok:
        out.append(f"sections {o.sections} want {sorted(o.want_sections)}")
    out += [f"cell {t}/{r}/{c} got {g} want {w}" for t, r, c, g, w in o.cell_diffs[:5]]
    out += [f"extra finding {k}" for k in cell.extra] + [f"missing finding {k}" for k in cell.missing]
    return [f"{o.source} {o.variant}: {p}" for p in out]


def test_enough_sources_with_every_cell_known(harness):
    srcs, refs, _ = harness
    assert len(srcs) >= 8
    for source in srcs:  # the reference rendering reads every hand-read cell and section back
        assert refs[source.name].cells_total == 200 and not refs[source.name].cell_diffs, source.name
        assert refs[source.name].sections_ok, source.name


@pytest.mark.parametrize("name", CLEAN)
def test_variant_reads_like_its_source(harness, all_rules, name):
    srcs, refs, cache = harness
    variant = by_name([name])[0]
    problems = [p for s in srcs for p in _problems(run.run_pair(s, variant, refs[s.name], all_rules, cache, None))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("defect", DEFECT_NAMES)
def test_injected_defect_found_in_place_and_nothing_else(harness, all_rules, defect):
    srcs, _, cache = harness
    chosen = [d for d in DEFECTS if d.name == defect]
    problems, injected = [], 0
    for source in srcs[:DEFECT_SOURCES]:
        for variant in by_name(DEFECT_VARIANTS):
            clean = measure.read(source, variant, all_rules, cache)
            got = measure.inject(source, variant, chosen[0], clean, all_rules, cache)
            if got is None:
                continue
            injected += 1
            if not got.detected:
                problems.append(f"{source.name} {variant.name}: {got.expect} not found; new {got.new}")
            problems += [f"{source.name} {variant.name}: also {k}" for k in got.extraneous]
    assert injected >= DEFECT_SOURCES  # the defect applies to most sources
    assert not problems, "\n".join(problems)


def test_changed_cell_is_an_arithmetic_finding_on_that_cell(harness, all_rules):
    """One cell of table 三 raised by one: an arithmetic finding names its row or column (one
    cell breaks both the column and the row identity, so two findings may follow)."""
    srcs, refs, cache = harness
    defect = next(d for d in DEFECTS if d.name == "cell-t3")
    # one injected defect: sources whose tables already break an identity have two
    consistent = [s for s in srcs if not any(k[0].startswith("ARI") for k in refs[s.name].findings)]
    assert len(consistent) >= DEFECT_SOURCES
    for source in consistent[:DEFECT_SOURCES]:
        for variant in by_name(DEFECT_VARIANTS):
            clean = measure.read(source, variant, all_rules, cache)
            got = measure.inject(source, variant, defect, clean, all_rules, cache)
            assert got.detected and not got.extraneous, (source.name, variant.name, got.new)


@pytest.mark.parametrize("name", PRINTED)
def test_printed_pdf_reads_like_its_source(harness, all_rules, name):
    srcs, refs, cache = harness
    variant = by_name([name])[0]
    source = srcs[0]
    cell = run.run_pair(
        source, variant, refs[source.name], all_rules, cache, [d for d in DEFECTS if d.name == "cell-t4"]
    )
    assert not _problems(cell), "\n".join(_problems(cell))
    assert cell.injections and cell.injections[0].detected and not cell.injections[0].extraneous


def _box(x0: float, top: float, x1: float, bottom: float, close_bottom: bool = True) -> list[dict]:
    """The rules of one cell as a browser draws them (four edges, the bottom one optional)."""

    def h(y):
        return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0, "orientation": "h"}

    def v(x):
        return {
            "x0": x,
            "x1": x,
            "top": top,
            "bottom": bottom,
            "width": 0.0,
            "height": bottom - top,
            "orientation": "v",
        }

    return [h(top), v(x0), v(x1)] + ([h(bottom)] if close_bottom else [])


def test_table_left_open_at_a_page_break_still_has_its_cells():
    """A browser prints a table broken across pages without a rule at the break: the last
    row's cells are closed by the page's lowest rule ends."""
    chars = [Char("申", 110, 120, 705, 715, 715), Char("自", 210, 220, 705, 715, 715)]
    edges = _box(100, 660, 200, 700) + _box(200, 660, 300, 700)
    edges += _box(100, 700, 200, 726, close_bottom=False) + _box(200, 700, 300, 726, close_bottom=False)
    rows = table_rows(Page(height=792, chars=chars, edges=edges))
    assert [texts for _, _, texts in rows if any(texts)] == [["申", "自"]]
    closed = table_rows(Page(height=792, chars=chars, edges=_box(100, 700, 200, 726) + _box(200, 700, 300, 726)))
    assert [texts for _, _, texts in closed] == [["申", "自"]]  # a closed table is unchanged
