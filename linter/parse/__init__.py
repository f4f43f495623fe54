"""Document → Report: metadata, the six sections, and tables 二, 三, 四 in official cells.

``parse`` never raises on odd input: what it cannot recover becomes a ``ParseNote``, and a
document that is not recognisably an annual report is marked ``recognised=False``.
"""

from __future__ import annotations

from linter.formats import VERSIONS, FormatSpec, for_year, load_format
from linter.models import CellStatus, Document, Location, ParseNote, Report, Table
from linter.parse.meta import read_meta, read_period, record_facts, settle_year
from linter.parse.rows import Unit
from linter.parse.sections import Heading, build_sections, find_headings, stray_headings
from linter.parse.tables import Recovery
from linter.textutil import label_key

TABLE_KEYS = ("二", "三", "四")


def flatten(doc: Document) -> list[Unit]:
    units: list[Unit] = []
    for block in doc.blocks:
        if block.kind == "paragraph":
            if block.text.strip():
                units.append(Unit([block], is_para=True))  # its one cell: its text at its place
        else:
            units.extend(Unit(row, is_para=False) for row in block.rows if row)
    return units


def has_label(units: list[Unit], labels: list[str]) -> str | None:
    """The first of ``labels`` that occurs in the units (spacing and width ignored)."""
    text = label_key(" ".join(u.text for u in units))
    for label in labels:
        if label_key(label) in text:
            return label
    return None


def _find_anchor(units: list[Unit], start: int, anchors: list[str]) -> int | None:
    for prefer_grid in (True, False):
        for i in range(start, len(units)):
            if (not prefer_grid or not units[i].is_para) and has_label([units[i]], anchors):
                return i
    return None


def _regions(units: list[Unit], heads: list[Heading], fmt: FormatSpec) -> dict[str, tuple[int, int]]:
    head_at = {h.key: h.index for h in heads}
    anchors: dict[str, int] = {}
    floor = 0
    for key in TABLE_KEYS:
        lo = max(floor, head_at.get(key, floor))
        found = _find_anchor(units, lo, fmt.tables[key].anchors)
        if found is None and key in head_at:
            found = _find_anchor(units, floor, fmt.tables[key].anchors)
        if found is not None:
            anchors[key] = found
            floor = found + 1
    regions: dict[str, tuple[int, int]] = {}
    for key, anchor in anchors.items():
        start = anchor
        if (
            key in head_at
            and head_at[key] < anchor
            and all(a <= head_at[key] for k, a in anchors.items() if a < anchor)
        ):
            start = head_at[key] + 1
        later = [a for a in anchors.values() if a > anchor] + [h.index for h in heads if h.index > anchor]
        regions[key] = (start, min(later, default=len(units)))
    return regions


def _layout(units: list[Unit], key: str, fmt: FormatSpec) -> str:
    """The format version a table is printed in: the one whose signature labels it carries
    most (a 2019 table 二 in a 2023 report, say); the report's own version when none."""
    text = label_key(" ".join(u.text for u in units))
    hits = {v: sum(label_key(lab) in text for lab in load_format(v).tables[key].signature) for v in VERSIONS}
    best = max(hits, key=lambda v: (hits[v], v == fmt.version))
    return best if hits[best] else fmt.version


def parse(doc: Document) -> Report:
    units = flatten(doc)
    fmt0 = for_year(None)
    heads = find_headings(units, fmt0)
    meta = read_meta(units, heads[0].index if heads else None, doc.meta.get("published"), doc.meta.get("title"))
    if meta.published:
        meta.published_source, meta.published_loc = doc.meta.get("published_source"), doc.meta_loc.get("published")
    if not meta.agency and doc.meta.get("agency"):  # the page's 发布机构 when the title names none
        meta.agency, meta.agency_loc = doc.meta["agency"], doc.meta_loc.get("agency")
    paragraphs = [b for b in doc.blocks if b.kind == "paragraph" and b.text.strip()]
    sections = build_sections(units, heads, meta.agency)
    signed = doc.meta.get("signed")  # the file's own 成文日期, used when no sign-off is under the report
    signed = (signed, doc.meta_loc.get("signed"), doc.meta.get("signed_source")) if signed else None
    settle_year(meta, paragraphs, sections, fmt0.period.pattern, doc.path, signed)
    fmt = for_year(meta.year)
    report = Report(
        path=doc.path,
        format=doc.format,
        version=fmt.version,
        meta=meta,
        in_scope=meta.year is None or max(meta.year_candidates or [meta.year]) >= fmt.first_format_year,
    )
    if fmt.period.pattern != fmt0.period.pattern:  # the format in force words the period otherwise
        meta.period = read_period(paragraphs, fmt.period.pattern)
    record_facts(meta)
    report.paragraphs = paragraphs
    report.sections = sections
    report.stray_headings = stray_headings(units, heads)
    if heads:
        report.body_start = sum(1 for u in units[: heads[0].index] if u.is_para)
    for problem in doc.problems:
        report.notes.append(ParseNote(level="error", message=problem, loc=Location(), key="document"))
    regions = _regions(units, heads, fmt)
    for key in TABLE_KEYS:
        if key not in regions:
            report.tables[key] = Table(key=key, found=False)
            continue
        start, end = regions[key]
        body = units[start:end]
        loc = units[start].cells[0].loc.model_copy(update={"table": key})
        layout = load_format(_layout(body, key, fmt))
        spec = layout.tables[key]
        row_identity = next(((i.lhs, i.rhs) for i in layout.identities if i.table == key and i.each == "row"), None)
        rec = Recovery(key, spec, row_identity)
        table = rec.flat(body, loc) if spec.layout == "flat" else rec.grid(body, loc)
        table.layout = layout.version
        _stamp(table, spec)
        report.tables[key] = table
        report.notes.extend(rec.notes)
    # A title alone is not enough (a notice, a README or a list of reports names the report):
    # several statutory headings, or a table whose rows were actually recovered, are.
    report.recognised = len(report.sections) >= 3 or any(
        t.found and sum(c.status != CellStatus.MISSING for c in t.cells.values()) >= len(t.cells) / 2 > 0
        for t in report.tables.values()
    )
    return report


def _stamp(table: Table, spec) -> None:
    """Give every cell's location its logical address and official labels."""
    labels = {r.key: r.label for r in spec.rows}
    for ref, cell in table.cells.items():
        row, col = ref.split("/")
        label = spec.column(col).label
        update = {"table": table.key, "row": row, "col": col, "row_label": labels.get(row, row), "col_label": label}
        cell.loc = _relocated(cell.loc, update)


_set = object.__setattr__


def _relocated(loc: Location, update: dict) -> Location:
    """``loc.model_copy(update=update)`` (the same fields, and the same fields counted as set)
    without pydantic's general copy: a report has a few hundred cells to stamp."""
    new = type(loc).__new__(type(loc))
    _set(new, "__dict__", {**loc.__dict__, **update})
    _set(new, "__pydantic_extra__", None)  # a Location allows no extra fields
    _set(new, "__pydantic_fields_set__", loc.__pydantic_fields_set__ | update.keys())
    _set(new, "__pydantic_private__", None)  # nor private attributes
    return new
