"""The shared vocabulary of the pipeline: Location, Document, Report, Hit, Finding, results.

load → ``Document`` (located paragraphs and table grids, the same for every input format)
parse → ``Report`` (meta, sections, tables addressed by row key × column key)
rules → ``Hit`` from a check, stamped by the engine into a frozen ``Finding``.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Level = Literal["error", "warning", "info"]
LEVEL_RANK = {"error": 3, "warning": 2, "info": 1}

# Categories are a public interface: JSON output and batch audits group by them.
Category = Literal[
    "missing-section",
    "blank-table",
    "arithmetic",
    "statistics-period",
    "outdated-citation",
    "parse-error",
    "old-table-layout",
    "label-typo",
    "late-publication",
    "title-year-mismatch",
    "text-table-mismatch",
    "cross-year",
    "region-sum",
    "placeholder-left",
    "stale-reference",
    "section-content",
    "section-order",
    "value-range",
]


class Location(BaseModel):
    """Where something is: physical place (page, line, block index) and logical place."""

    model_config = ConfigDict(frozen=True)

    page: int | None = None  # 1-based page (PDF)
    line: int | None = None  # 1-based line (text formats)
    paragraph: int | None = None  # 0-based paragraph index (DOCX, HTML)
    table_index: int | None = None  # 0-based index of the physical table in the document
    section: str | None = None  # section key: 一 … 六
    table: str | None = None  # table key: 二 / 三 / 四
    row: str | None = None  # row key, e.g. r01
    col: str | None = None  # column key, e.g. natural
    row_label: str | None = None
    col_label: str | None = None

    def physical(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.paragraph is not None and self.page is None and self.line is None:
            parts.append(f"第{self.paragraph + 1}段")
        if self.table_index is not None and self.page is None and self.line is None:
            parts.append(f"第{self.table_index + 1}个表格")
        return " ".join(parts)

    def logical(self) -> str:
        parts = []
        if self.table:
            cell = f"表{self.table}"
            if self.row_label and self.col_label:
                cell += f"［{self.row_label}］×［{self.col_label}］"
            elif self.row_label:
                cell += f"［{self.row_label}］行"
            elif self.col_label:
                cell += f"［{self.col_label}］列"
            parts.append(cell)
        elif self.section:
            parts.append(f"第{self.section}部分")
        return " ".join(parts)

    def describe(self) -> str:
        return " · ".join(p for p in (self.physical(), self.logical()) if p)


# ---------------------------------------------------------------- Document (loader output)


class TextCell(BaseModel):
    """One physical table cell as extracted: its text and where it is."""

    text: str
    loc: Location
    conf: float | None = None  # OCR confidence (0..1) of a cell read from an image; None: text layer


class Paragraph(BaseModel):
    kind: Literal["paragraph"] = "paragraph"
    text: str
    loc: Location


class Grid(BaseModel):
    """A physical table: rows of cells, merged cells already expanded by the loader."""

    kind: Literal["table"] = "table"
    rows: list[list[TextCell]]
    loc: Location


Block = Paragraph | Grid


class Document(BaseModel):
    """A normalised input document: blocks in reading order, whatever the source format."""

    path: str
    format: str  # txt, md, pdf, docx, html
    blocks: list[Block] = Field(default_factory=list)
    pages: int | None = None
    meta: dict[str, str] = Field(default_factory=dict)  # e.g. publication date from a crawler header
    problems: list[str] = Field(default_factory=list)  # loader-level problems (encrypted, no text …)


# ---------------------------------------------------------------- Report (parser output)


class CellStatus(str, Enum):
    NUMBER = "number"  # a number was read
    BLANK = "blank"  # present but empty
    PLACEHOLDER = "placeholder"  # "—", "/", "无" where a number is required
    UNREADABLE = "unreadable"  # text that is not a number, or cells that cannot be aligned
    INFERRED = "inferred"  # not in the text; deduced unambiguously from a row identity
    MISSING = "missing"  # the row was not found at all


class Cell(BaseModel):
    raw: str = ""
    value: int | float | None = None
    status: CellStatus = CellStatus.MISSING
    loc: Location = Field(default_factory=Location)
    conf: float | None = None  # OCR confidence of the cell it was read from; None: not OCR'd

    @property
    def has_value(self) -> bool:
        return self.value is not None and self.status in (CellStatus.NUMBER, CellStatus.INFERRED)


class ParseNote(BaseModel):
    """Something the parser could not recover with certainty (becomes a parse-error finding)."""

    level: Level
    message: str
    loc: Location
    key: str  # stable identity for fingerprints


class Table(BaseModel):
    key: str  # 二 / 三 / 四
    found: bool = False
    layout: str | None = None  # format version the table's labels match (e.g. "2021", "2019")
    loc: Location = Field(default_factory=Location)
    cells: dict[str, Cell] = Field(default_factory=dict)  # "row/col" → Cell
    row_labels: dict[str, str] = Field(default_factory=dict)  # row key → label as printed
    collapsed: dict[str, list[str]] = Field(default_factory=dict)  # group label → sub-row keys given as one total
    own_labels: dict[str, str] = Field(default_factory=dict)  # row key → the row's own label when printed in one piece
    header_labels: list[tuple[str, Location]] = Field(default_factory=list)  # header cells printed in one piece
    scrambled: bool = False  # labels and numbers separated by a conversion: labels are not judged

    def cell(self, row: str, col: str) -> Cell:
        return self.cells.get(f"{row}/{col}") or Cell()

    def value(self, row: str, col: str) -> int | float | None:
        c = self.cell(row, col)
        return c.value if c.has_value else None

    @property
    def has_numbers(self) -> bool:
        return any(c.has_value for c in self.cells.values())


class Section(BaseModel):
    key: str
    number: str  # the numeral as printed (may differ from the key when misnumbered)
    title: str  # heading text as printed
    loc: Location
    text: str = ""  # body text (paragraphs only), without signature/date lines
    has_table: bool = False


class Meta(BaseModel):
    title: str | None = None
    title_loc: Location | None = None
    agency: str | None = None
    year: int | None = None
    year_source: Literal["title", "body", "none"] = "none"
    published: str | None = None  # ISO date from metadata


class Report(BaseModel):
    path: str
    format: str
    version: str  # format version the report is judged against
    recognised: bool = True  # False: not an annual report / nothing readable
    in_scope: bool = True  # False: a report for a year no national format covers (2018 and earlier)
    meta: Meta = Field(default_factory=Meta)
    sections: dict[str, Section] = Field(default_factory=dict)
    tables: dict[str, Table] = Field(default_factory=dict)
    paragraphs: list[Paragraph] = Field(default_factory=list)  # prose in reading order
    stray_headings: list[Section] = Field(default_factory=list)  # top-level numbered headings of no statutory section
    body_start: int = 0  # index in paragraphs of the first section heading (before it: title, page chrome)
    notes: list[ParseNote] = Field(default_factory=list)
    ocr_pages: list[int] = Field(default_factory=list)  # pages read by OCR (PDF) or 0 for images in a document
    previous: Report | None = Field(default=None, exclude=True)  # last year's report of the same agency
    children: list[Report] = Field(default_factory=list, exclude=True)  # the region's departments (audits)


Report.model_rebuild()


# ---------------------------------------------------------------- findings


class Hit(BaseModel):
    """What a check returns: where, the message slots, and evidence. No identity, no level."""

    loc: Location
    data: dict[str, object] = Field(default_factory=dict)
    key: str = ""  # stable discriminator among hits of one rule (fingerprint input)
    excerpt: str | None = None
    expected: str | None = None
    actual: str | None = None


class Finding(BaseModel):
    """An immutable, fully stamped finding: who (rule), how severe, what, where."""

    model_config = ConfigDict(frozen=True)

    file: str
    rule: str
    name: str
    category: str
    level: Level
    message: str
    location: Location
    excerpt: str | None = None
    expected: str | None = None
    actual: str | None = None
    fix: str | None = None
    fingerprint: str

    def record(self) -> dict:
        """The flat JSON record (stable keys)."""
        d = self.model_dump(exclude={"location"})
        d["location"] = self.location.model_dump(exclude_none=True)
        d["where"] = self.location.describe()
        return d


class FileResult(BaseModel):
    path: str
    format: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    error: str | None = None  # the file could not be read at all (exit code 2)


class LintResult(BaseModel):
    files: list[FileResult] = Field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for fr in self.files for f in fr.findings]

    def count(self, level: Level) -> int:
        return sum(1 for f in self.findings if f.level == level)
