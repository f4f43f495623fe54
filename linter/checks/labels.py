"""Checks that printed labels and titles are the official ones (typos, renamings)."""

from __future__ import annotations

from difflib import SequenceMatcher

from linter.checks import NoParams, check
from linter.formats import spec_of
from linter.models import Hit, Location, Report
from linter.textutil import label_key
from linter.wording.numbering import numbering


def _core(text: str) -> str:
    return label_key(numbering(text)[1])


def _column_typos(table, spec, key: str, min_ratio: float):
    """Header cells that are near misses of a column label (本年度止件数, 社会组织)."""
    labels = {label_key(c.label): c.label for c in spec.columns}
    seen = {label_key(h) for h in spec.headers}
    for text, loc in table.header_labels:
        k = label_key(text)
        if not k or k in labels or k in seen:
            continue
        best = max(labels, key=lambda lab: SequenceMatcher(None, k, lab).ratio())
        ratio = SequenceMatcher(None, k, best).ratio()
        if any(_fragment(k, lab) for lab in [*labels, *(label_key(h) for h in spec.headers)]):
            continue  # part of a header printed over two lines
        if ratio >= max(min_ratio, 0.75) and abs(len(k) - len(best)) <= 2:
            seen.add(k)
            yield Hit(
                loc=loc.model_copy(update={"table": key}),
                key=f"{key}/col/{k}",
                excerpt=text,
                data={"what": f"表{key}的列名", "printed": text.strip(), "official": labels[best]},
            )


def _without_groups(core: str, groups: list[str], official: str = "") -> str:
    """A row label printed with its group titles in front (三、本年度办理结果（四）无法提供1.…),
    or with letters of a vertical merged group cell that a text export spreads over the rows
    (“三、本 (一)予以公开”, “提(1.本机关不掌握…”): the layout, not the label."""
    changed = True
    while changed:
        changed = False
        for group in groups:
            if group and core.startswith(group) and len(core) > len(group):
                core, changed = core[len(group) :], True
    if official and core != official and core.endswith(official):
        letters = set("".join(groups)) | set("0123456789一二三四五六七八九十")
        if set(core[: -len(official)]) <= letters:
            return official
    return core


def _fragment(printed: str, official: str) -> bool:
    """A header cell holding one line of a label split over two lines (“自然” / “人”)."""
    return len(printed) < len(official) and (official.startswith(printed) or official.endswith(printed))


class TypoParams(NoParams):
    min_ratio: float = 0.6  # below this the printed text is not a variant of the label at all


@check("official_labels", params=TypoParams, slots=("what", "printed", "official"))
def official_labels(report: Report, params: TypoParams):
    """Row labels of tables 二 and 三, and section titles, match the official wording."""
    for key in ("二", "三"):
        table = report.tables.get(key)
        if table is None or not table.found or table.scrambled:
            continue
        spec = spec_of(table).tables[key]
        groups = sorted({_core(r.group) for r in spec.rows if r.group}, key=len, reverse=True)
        for row, printed in table.own_labels.items():
            official = spec.row(row).label
            b = _core(official)
            a = _without_groups(_core(printed), groups, b)
            if (a, b) == ("规范性文件", "行政规范性文件"):
                continue  # the 2019 label: LAY002's finding
            if a and a != b and SequenceMatcher(None, a, b).ratio() >= params.min_ratio:
                cell_loc = table.cell(row, spec.row_columns(spec.row(row))[0]).loc
                yield Hit(
                    loc=cell_loc.model_copy(update={"col": None, "col_label": None}),
                    key=f"{key}/{row}",
                    excerpt=printed,
                    data={"what": f"表{key}的行名", "printed": printed.strip(), "official": official},
                )
        yield from _column_typos(table, spec, key, params.min_ratio)
    fmt = spec_of(report)
    for section in report.sections.values():
        spec = fmt.section(section.key)
        accepted = {label_key(t) for t in [spec.title, *spec.accepted]}
        if label_key(section.title) not in accepted:
            yield Hit(
                loc=section.loc,
                key=f"section/{section.key}",
                excerpt=section.title,
                data={"what": f"第{section.key}部分的标题", "printed": section.title, "official": spec.title},
            )


class TitleParams(NoParams):
    letter_words: list[str] = ["关于报送", "关于上报", "关于提交"]
    letter_endings: list[str] = ["的函", "的报告", "的通知", "的请示"]


@check("report_title", params=TitleParams, slots=("title",))
def report_title(report: Report, params: TitleParams):
    """The report is titled as an annual report, not as the letter that forwards it."""
    title = report.meta.title or ""
    if any(w in title for w in params.letter_words) or any(title.endswith(e) for e in params.letter_endings):
        yield Hit(loc=report.meta.title_loc or Location(), key="title", excerpt=title, data={"title": title})
