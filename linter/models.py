"""The shared vocabulary of the pipeline: Location, Document, Report, Hit, Finding, results.

load → ``Document`` (located paragraphs and table grids, the same for every input format)
parse → ``Report`` (meta, sections, tables addressed by row key × column key)
rules → ``Hit`` from a check, stamped by the engine into a frozen ``Finding``.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from linter.levels import RANK as LEVEL_RANK  # noqa: F401  (the one table of levels: linter.levels)
from linter.levels import Level

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
    meta_loc: dict[str, Location] = Field(default_factory=dict)  # where a ``meta`` value was printed, when in the text
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
    title: str  # the heading part as printed (without a body printed on the same line)
    loc: Location
    inline: str = ""  # body printed on the heading's own line (六、其他需要报告的事项无。 → 无。)
    text: str = ""  # body text (paragraphs only, the inline body first), without signature/date lines
    has_table: bool = False
    index: int | None = None  # the heading's paragraph in Report.paragraphs


YearSource = Literal["title", "period", "body", "signoff", "published", "filename"]
YEAR_SOURCE_NAMES = {
    "title": "标题",
    "period": "统计期限",
    "body": "正文",
    "signoff": "落款日期",
    "published": "发布日期",
    "filename": "文件名",
}  # how findings and ``dump`` name each witness


class YearEvidence(BaseModel):
    """One witness of the report year: where the parser read it and what it says."""

    source: YearSource
    year: int  # the report year this witness points to (a January sign-off points to the year before)
    weight: float = 1.0
    text: str = ""  # what was read, as printed (shortened)
    loc: Location | None = None


class Dated(BaseModel):
    """A date the parser read, and where: ``source`` says how it was printed (网页信息栏“公开日期”,
    页头“成文日期”, 落款), ``loc`` where in the text (None for a page's metadata)."""

    kind: Literal["published", "signed"]  # a publication date, or the date the report was signed
    date: tuple[int, int, int]  # (y, m, d), a valid calendar date
    source: str | None = None
    loc: Location | None = None


class Period(BaseModel):
    """The statement of the statistics period (统计期限…) and the dates it gives."""

    text: str  # the statement as printed (one sentence)
    dates: list[tuple[int | None, int, int]]  # (year or None, month, day), in order
    loc: Location


class Meta(BaseModel):
    """Facts about the report, each recorded once by the parser with where it was read."""

    title: str | None = None
    title_loc: Location | None = None
    agency: str | None = None
    agency_loc: Location | None = None  # the line it was read on (the title, or the line above it); None: page metadata
    agency_kind: Literal["government", "department"] | None = None  # the kind its deadline follows
    year: int | None = None  # the report year decided by the evidence
    year_source: Literal["title", "body", "consensus", "none"] = "none"
    title_year: int | None = None  # the year printed in the title, whatever was decided
    evidence: list[YearEvidence] = Field(default_factory=list)
    year_split: bool = False  # the witnesses disagree with no majority: no year-dependent error
    year_candidates: list[int] = Field(default_factory=list)  # the years tied when split
    published: str | None = None  # ISO date from metadata
    published_source: str | None = None  # where that date was read (e.g. 网页信息栏“公开日期”)
    published_loc: Location | None = None  # where it is printed in the text (a crawler header's line)
    signed: tuple[int, int, int] | None = None  # the sign-off date under the report (y, m, d)
    signed_loc: Location | None = None
    signed_source: str | None = None  # 落款 (under the report), else where the file gives it (页头“成文日期”)
    publication: Dated | None = None  # the date the report was made public: published, else signed
    period: Period | None = None  # the statement of the statistics period


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


Report.model_rebuild()


# the findings vocabulary lives in linter.findings; it is found here too, so that every type of
# the pipeline has one address (resolved on first use: linter.findings imports this module)
_FINDINGS = {"FileResult", "Finding", "Hit", "LintResult", "Related", "RuleInfo", "Stamped"}


def __getattr__(name: str):
    if name in _FINDINGS:
        from linter import findings

        return getattr(findings, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
