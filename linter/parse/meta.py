"""Report metadata: title and agency, and the report year decided by consensus.

The year is read from several witnesses (title, statistics period, the body's “YYYY年，…”
statements, sign-off and publication dates, file name), each recorded with where it was read;
the year most of them agree on is the report year, and a disagreeing witness is a finding."""

from __future__ import annotations

import re
from collections import Counter

from linter.models import Meta, YearEvidence
from linter.parse.rows import Unit
from linter.textutil import clean_line, cn_year, nfkc, squash, years_in

_TITLE_WORDS = ("政府信息公开", "政务公开", "信息公开")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2}|[二][〇零○Ｏ一二三四五六七八九]{3})\s*年")


_ORG_END = re.compile(r"(委员会|人民政府|政府|办公室|办公厅|局|委|厅|院|中心|管委会|管理局|办事处|实验区|新区|[省市县区旗州盟])$")


def _agency(title: str, year: re.Match | None) -> str | None:
    """The agency in a title: before the year (X局2023年…), else after it (2023年X局政府信息公开…)."""
    if year is None:
        return None
    before = re.split(r"关于|印发|报送", title[: year.start()])[0].strip()
    if before:
        return before
    after = re.split(r"(?:度)?(?:政府信息公开|政务公开|信息公开)", title[year.end():])[0].strip()
    return after or None


_LEAD_TITLE = re.compile(r"^(.{0,40}?(?:(?:19|20)\d{2}|[二][〇零○Ｏ一二三四五六七八九]{3})\s*年度?.{0,30}?"
                         r"(?:政府信息公开|政务公开|信息公开).{0,10}?年度报告)(?=本|根据|按照|依据|一\s*、|[（(]一)")
_SENTENCE_VERBS = re.compile(r"编制完成|已编制|现将|现予|如下|特此|予以公布|向社会公布|予以公开")


def is_title(text: str) -> bool:
    flat = squash(text)
    return (
        len(flat) <= 70
        and "报告" in flat
        and any(w in flat for w in _TITLE_WORDS)
        and "。" not in flat
        and not flat.startswith(("本报告", "本年度报告", "根据", "按照", "依据"))
        and not _SENTENCE_VERBS.search(flat)  # “现编制完成2023年度…报告”: a sentence about the report
    )


def read_meta(units: list[Unit], first_heading: int | None, published: str | None = None,
              given_title: str | None = None) -> Meta:
    """Title, agency and year. ``given_title`` is the file's own title (e.g. a web page's
    article title), used when the body does not print one."""
    meta = Meta(published=published)
    limit = first_heading if first_heading is not None else min(len(units), 15)
    for i in range(min(limit, 15)):
        unit = units[i]
        if not unit.is_para or not is_title(unit.text):
            continue
        title = clean_line(unit.text)
        m = _YEAR_IN_TITLE.search(title)
        agency = _agency(title, m)
        if not agency and i > 0 and units[i - 1].is_para:
            prev = clean_line(units[i - 1].text)
            if 2 <= len(prev) <= 30 and _ORG_END.search(prev) and not re.search(r"[，。；]", prev):
                agency, title = prev, f"{prev}{title}"
        meta.title, meta.title_loc, meta.agency = title, unit.cells[0].loc, agency or None
        if m:
            meta.year, meta.year_source = cn_year(m.group(1)), "title"
            meta.title_year = meta.year
        break
    if meta.title is None and units and units[0].is_para:
        # flattened text: the title runs straight into the first sentence (“…年度报告本报告按照…”)
        lead = _LEAD_TITLE.match(clean_line(units[0].text))
        if lead and is_title(lead.group(1)):
            meta.title, meta.title_loc = lead.group(1), units[0].cells[0].loc
            m = _YEAR_IN_TITLE.search(meta.title)
            meta.agency = _agency(meta.title, m)
            if m:
                meta.year, meta.year_source = cn_year(m.group(1)), "title"
                meta.title_year = meta.year
    if meta.title is None and given_title and is_title(given_title):
        meta.title = clean_line(given_title)
        m = _YEAR_IN_TITLE.search(meta.title)
        meta.agency = _agency(meta.title, m)
        if m:
            meta.year, meta.year_source = cn_year(m.group(1)), "title"
            meta.title_year = meta.year
    if meta.year is None:
        counts = Counter(y for u in units if u.is_para for y in years_in(u.text))
        if counts:
            top = max(counts.values())
            meta.year = max(y for y, c in counts.items() if c == top)
            meta.year_source = "body"
    return meta


# ---------------------------------------------------------------- the report year by consensus

_DATE = re.compile(r"(?:((?:19|20)\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# a sentence opening on a year (“2023年，本机关……”, “2023年以来”, “2023年度，”)
_BODY_YEAR = re.compile(r"(?:^|[。；！\n])\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?((?:19|20)\d{2})\s*年度?\s*(?:[，,]|以来|全年|[我本全]|共|[^\d月]{0,3}?(?:收到|受理|主动公开))")
_THIS_YEAR = re.compile(r"本年度?\s*[（(]\s*((?:19|20)\d{2})\s*年?\s*[）)]")
_LAST_YEAR = re.compile(r"(?:上一?年度?|去年)\s*[（(]\s*((?:19|20)\d{2})\s*年?\s*[）)]")
_FILE_YEAR = re.compile(r"(?<![\dA-Za-z])((?:19|20)\d{2})(?![\dA-Za-z])")


_RANGE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:起)?\s*(?:至|到|—|－|-|~|～)\s*"
                    r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日")
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
                if _RANGE_WORDS.search(text[start:m.start()]):
                    return _statement([para], re.compile(re.escape(text[start:m.start()]) or "^"))
    return found


def _statement(paragraphs, phrase):
    for n, para in enumerate(paragraphs):
        text = nfkc(para.text)
        m = phrase.search(text)
        if not m:
            continue
        window = text[m.start():m.start() + 90]
        if not re.search(r"[。；;]", window) and n + 1 < len(paragraphs):
            window = (window + nfkc(paragraphs[n + 1].text))[:90]  # a sentence wrapped onto the next line
        end = re.search(r"[。；;]", window)
        statement = window[: end.start()] if end else window
        dates = [(int(y) if y else None, int(mo), int(d)) for y, mo, d in _DATE.findall(statement)]
        return para, statement, dates
    return None


def _dated_year(year: int, month: int) -> int:
    """The report year a sign-off or publication date points to: reports are signed in the
    first months after their year (a date late in the year itself is an early report)."""
    return year - 1 if month <= 9 else year


def year_evidence(meta: Meta, paragraphs, sections, period_pattern: str, signoff, path: str = "",
                  published: str | None = None) -> list[YearEvidence]:
    """Every witness of the report year, with where it was read. ``signoff`` is the dated
    sign-off paragraph (or None); ``published`` an ISO date from the page or file."""
    out: list[YearEvidence] = []
    if meta.title_year:
        out.append(YearEvidence(source="title", year=meta.title_year, text=meta.title or "", loc=meta.title_loc))
    found = period_statement(paragraphs, period_pattern)
    if found and found[2] and found[2][0][0]:
        para, statement, dates = found
        years = {y for y, _, _ in dates if y}
        if len(years) == 1:
            out.append(YearEvidence(source="period", year=years.pop(), text=statement[:60], loc=para.loc))
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
        para, (y, mo, d) = signoff
        dated.append(YearEvidence(source="signoff", year=_dated_year(y, mo), text=f"{y}年{mo}月{d}日", loc=para.loc))
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", published or "")
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        dated.append(YearEvidence(source="published", year=_dated_year(y, mo), text=published or ""))
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
    from linter.parse.sections import is_signoff
    from linter.textutil import dates_in

    tail = [p for p in reversed(paragraphs[-6:]) if is_signoff(p.text, agency) or len(p.text) < 40]
    after = []
    if sections:
        last = sections[max(sections, key=lambda k: "一二三四五六七八九十".find(k))].loc
        where = (last.page, last.line, last.paragraph)
        start = next((i for i, p in enumerate(paragraphs) if (p.loc.page, p.loc.line, p.loc.paragraph) == where), None)
        if start is not None:
            after = [p for p in paragraphs[start + 1:] if is_signoff(p.text, agency)]
    for para in tail + after:
        found = dates_in(para.text)
        if found:
            return para, found[-1]
    for para in paragraphs[-3:][::-1]:  # flattened text: the sign-off glued to the last sentence
        m = re.search(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$", nfkc(para.text))
        if m and not nfkc(para.text)[: m.start()].rstrip().endswith(("于", "至", "截至", "到")):
            return para, (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def settle_year(meta: Meta, paragraphs, sections, period_pattern: str, path: str) -> None:
    """Record the sign-off date and the year evidence, and decide the report year."""
    signed = signoff_date(paragraphs, sections, meta.agency)
    if signed is not None:
        meta.signed, meta.signed_loc = signed[1], signed[0].loc
    evidence = year_evidence(meta, paragraphs, sections, period_pattern, signed, path, meta.published)
    if any(e.source != "filename" for e in evidence):  # a file name alone decides nothing
        decide_year(meta, evidence)
