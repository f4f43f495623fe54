"""Report metadata, recorded once with where each fact was read: title, agency and its kind,
the sign-off and publication dates, the statement of the statistics period, and the report
year decided by consensus.

The year is read from several witnesses (title, statistics period, the body's “YYYY年，…”
statements, sign-off and publication dates, file name), each recorded with where it was read;
the year most of them agree on is the report year, and a disagreeing witness is a finding."""

from __future__ import annotations

import re
from collections import Counter

from linter.models import Dated, Location, Meta, Period, YearEvidence
from linter.parse.rows import Unit
from linter.textutil import clean_line, nfkc
from linter.wording.dates import DAY_RE, FIGURES, YEAR_RE, calendar_date, cn_year, dates_in, is_calendar_date, years_in
from linter.wording.names import LEAD_TITLE, agency_in_title, agency_kind, is_org_name, is_title
from linter.wording.numbering import CN
from linter.wording.signoff import glued_signoff, is_signoff


def _from_title(meta: Meta, title: str, loc: Location | None) -> None:
    """Record the title, the agency it names and the year it prints."""
    m = YEAR_RE.search(title)
    meta.title, meta.title_loc = title, loc
    meta.agency = agency_in_title(title, m)
    meta.agency_loc = loc if meta.agency else None
    if m:
        meta.year, meta.year_source = cn_year(m.group(1)), "title"
        meta.title_year = meta.year


def read_meta(
    units: list[Unit], first_heading: int | None, published: str | None = None, given_title: str | None = None
) -> Meta:
    """Title, agency and year. ``given_title`` is the file's own title (e.g. a web page's
    article title), used when the body does not print one."""
    meta = Meta(published=published)
    limit = first_heading if first_heading is not None else min(len(units), 15)
    for i in range(min(limit, 15)):
        unit = units[i]
        if not unit.is_para or not is_title(unit.text):
            continue
        _from_title(meta, clean_line(unit.text), unit.cells[0].loc)
        if not meta.agency and i > 0 and units[i - 1].is_para:
            prev = clean_line(units[i - 1].text)
            if is_org_name(prev) and not re.search(r"[，。；]", prev):  # the agency on the line above
                meta.agency, meta.agency_loc, meta.title = prev, units[i - 1].cells[0].loc, f"{prev}{meta.title}"
        break
    if meta.title is None and units and units[0].is_para:
        # flattened text: the title runs straight into the first sentence (“…年度报告本报告按照…”)
        lead = LEAD_TITLE.match(clean_line(units[0].text))
        if lead and is_title(lead.group(1)):
            _from_title(meta, lead.group(1), units[0].cells[0].loc)
    if meta.title is None and given_title and is_title(given_title):
        _from_title(meta, clean_line(given_title), None)
    if meta.year is None:
        counts = Counter(y for u in units if u.is_para for y in years_in(u.text))
        if counts:
            top = max(counts.values())
            meta.year = max(y for y, c in counts.items() if c == top)
            meta.year_source = "body"
    return meta


# ---------------------------------------------------------------- the report year by consensus

# a sentence opening on a year (“2023年，本机关……”, “2023年以来”, “2023年度，”)
_BODY_YEAR = re.compile(
    rf"(?:^|[。；！\n])\s*(?:[（(]?[{CN}\d]+[)）、.．]\s*)?({FIGURES})\s*年度?\s*(?:[，,]|以来|全年|[我本全]|共|[^\d月]{{0,3}}?(?:收到|受理|主动公开))"
)
_THIS_YEAR = re.compile(rf"本年度?\s*[（(]\s*({FIGURES})\s*年?\s*[）)]")
_LAST_YEAR = re.compile(rf"(?:上一?年度?|去年)\s*[（(]\s*({FIGURES})\s*年?\s*[）)]")
_FILE_YEAR = re.compile(rf"(?<![\dA-Za-z])({FIGURES})(?![\dA-Za-z])")


_RANGE = re.compile(
    rf"{FIGURES}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*"
    rf"(?:{FIGURES}\s*年\s*)?\d{{1,2}}\s*月\s*\d{{1,2}}\s*日"
)
_RANGE_WORDS = re.compile(r"统计|数据")


def period_statement(paragraphs, pattern: str):
    """(paragraph, statement text, [(year|None, month, day) …]) of the first statement of the
    statistics period (统计期限…), or None. Without the usual phrase, a date range in a sentence
    about the data or the statistics (“本报告数据为2019年9月1日至12月31日”) is the statement."""
    phrase = re.compile(pattern)
    found = _statement(paragraphs, phrase)
    if found is None:
        for para in paragraphs:
            text = nfkc(para.text)
            for m in _RANGE.finditer(text):
                start = max(text.rfind(c, 0, m.start()) for c in "。；;\n") + 1
                if _RANGE_WORDS.search(text[start : m.start()]):
                    return _statement([para], re.compile(re.escape(text[start : m.start()]) or "^"))
    return found


def _statement(paragraphs, phrase):
    for n, para in enumerate(paragraphs):
        text = nfkc(para.text)
        m = phrase.search(text)
        if not m:
            continue
        window = text[m.start() : m.start() + 90]
        if not re.search(r"[。；;]", window) and n + 1 < len(paragraphs):
            window = (window + nfkc(paragraphs[n + 1].text))[:90]  # a sentence wrapped onto the next line
        end = re.search(r"[。；;]", window)
        statement = window[: end.start()] if end else window
        dates = [(int(y) if y else None, int(mo), int(d)) for y, mo, d in DAY_RE.findall(statement)]
        return para, statement, dates
    return None


def _dated_year(year: int, month: int) -> int:
    """The report year a sign-off or publication date points to: reports are signed in the
    first months after their year (a date late in the year itself is an early report)."""
    return year - 1 if month <= 9 else year


def year_evidence(meta: Meta, sections, signoff, path: str = "", published: str | None = None) -> list[YearEvidence]:
    """Every witness of the report year, with where it was read. ``signoff`` is the sign-off's
    (location, (y, m, d)) (or None); ``published`` an ISO date from the page or file."""
    out: list[YearEvidence] = []
    if meta.title_year:
        out.append(YearEvidence(source="title", year=meta.title_year, text=meta.title or "", loc=meta.title_loc))
    period = meta.period
    if period and period.dates and period.dates[0][0]:
        years = {y for y, _, _ in period.dates if y}
        if len(years) == 1:
            out.append(YearEvidence(source="period", year=years.pop(), text=period.text[:60], loc=period.loc))
    counts: Counter[int] = Counter()
    first: dict[int, tuple[str, object]] = {}
    for key in ("一", "二", "三", "四", "五"):
        section = sections.get(key)
        if section is None:
            continue
        text = nfkc(section.text)
        hits = [(int(m.group(1)), m.group(0)) for m in _BODY_YEAR.finditer(text)]
        hits += [(int(m.group(1)), m.group(0)) for m in _THIS_YEAR.finditer(text)]
        hits += [(int(m.group(1)) + 1, m.group(0)) for m in _LAST_YEAR.finditer(text)]
        for y, said in hits:
            counts[y] += 1
            first.setdefault(y, (said.strip("。；！\n "), section.loc))
    if counts:
        (top, n), *rest = counts.most_common(2) + [(None, 0)]
        second = rest[0][1]
        if n >= 2 and n >= 2 * second:
            said, loc = first[top]
            out.append(YearEvidence(source="body", year=top, text=f"{said}（共{n}处）", loc=loc))
    dated = []
    if signoff is not None:
        loc, (y, mo, d) = signoff
        dated.append(YearEvidence(source="signoff", year=_dated_year(y, mo), text=f"{y}年{mo}月{d}日", loc=loc))
    day = calendar_date(published)
    if day:
        dated.append(YearEvidence(source="published", year=_dated_year(*day[:2]), text=published or ""))
    if len(dated) == 2 and dated[0].year != dated[1].year:
        dated = [e.model_copy(update={"weight": 0.5}) for e in dated]
    elif len(dated) == 2:
        dated = [dated[0], dated[1].model_copy(update={"weight": 0.0})]  # one date, said twice
    out.extend(dated)
    stem = re.split(r"[\\/]", path)[-1].rsplit(".", 1)[0]
    years = set(_FILE_YEAR.findall(stem))
    if len(years) == 1:
        out.append(YearEvidence(source="filename", year=int(years.pop()), weight=0.5, text=stem))
    return out


def decide_year(meta: Meta, evidence: list[YearEvidence]) -> None:
    """The report year is the one most witnesses point to; with a tie, the evidence is split:
    the earliest candidate is kept (the reading that asks least of the report), and no
    year-dependent error is raised."""
    meta.evidence = evidence
    score: Counter[int] = Counter()
    for e in evidence:
        score[e.year] += e.weight
    if not score:
        return
    best = max(score.values())
    tied = sorted(y for y, s in score.items() if abs(s - best) < 1e-9)
    if len(tied) == 1:
        meta.year = tied[0]
        meta.year_source = "title" if {e.source for e in evidence} == {"title"} else "consensus"
        return
    meta.year_split, meta.year_candidates = True, tied
    meta.year = tied[0]
    meta.year_source = "consensus"


def signoff_date(paragraphs, sections, agency: str | None):
    """(paragraph, (y, m, d)) of the signature date: a dated line among the last few, else (a
    web page printed to PDF carries dozens of lines of site footer after it) the first dated
    sign-off after the heading of the last section; None when there is none."""
    tail = [p for p in reversed(paragraphs[-6:]) if is_signoff(p.text, agency) or len(p.text) < 40]
    after = []
    last = sections[max(sections, key=CN.find)] if sections else None
    if last is not None and last.index is not None:
        after = [p for p in paragraphs[last.index + 1 :] if is_signoff(p.text, agency)]
    for para in tail + after:
        found = dates_in(para.text)
        if found:
            return para, found[-1]
    for para in paragraphs[-3:][::-1]:  # flattened text: the sign-off glued to the last sentence
        found = glued_signoff(para.text)
        if found:
            return para, found
    return None


def publication(meta: Meta) -> Dated | None:
    """The date the report was made public: the file's publication date (web page, crawler
    header), else the date it was signed; None when neither is a calendar date."""
    day = calendar_date(meta.published)
    if day:
        return Dated(kind="published", date=day, source=meta.published_source, loc=meta.published_loc)
    if meta.signed and is_calendar_date(*meta.signed):
        return Dated(kind="signed", date=meta.signed, source=meta.signed_source, loc=meta.signed_loc)
    return None


def settle_year(
    meta: Meta,
    paragraphs,
    sections,
    period_pattern: str,
    path: str,
    signed: tuple[str, Location | None, str | None] | None = None,
) -> None:
    """Record the sign-off date (under the report, else ``signed``: the date the file itself
    gives, as printed, where and how it was read, e.g. a crawler header's 成文日期), the
    statement of the statistics period and the year evidence, and decide the report year."""
    found = signoff_date(paragraphs, sections, meta.agency)
    if found is not None:
        meta.signed, meta.signed_loc, meta.signed_source = found[1], found[0].loc, "落款"
    elif signed is not None:
        day = calendar_date(signed[0])
        if day:
            meta.signed, meta.signed_loc, meta.signed_source = day, signed[1], signed[2]
    dated = (meta.signed_loc, meta.signed) if meta.signed else None
    meta.period = read_period(paragraphs, period_pattern)
    evidence = year_evidence(meta, sections, dated, path, meta.published)
    if any(e.source != "filename" for e in evidence):  # a file name alone decides nothing
        decide_year(meta, evidence)


def read_period(paragraphs, pattern: str) -> Period | None:
    """The statement of the statistics period, with the dates it gives and where it stands."""
    found = period_statement(paragraphs, pattern)
    if found is None:
        return None
    para, statement, dates = found
    return Period(text=statement, dates=dates, loc=para.loc)


def record_facts(meta: Meta) -> None:
    """The facts the checks read that follow from the settled ones: the kind of agency and the
    date the report was made public."""
    meta.agency_kind = agency_kind(meta.agency)
    meta.publication = publication(meta)
