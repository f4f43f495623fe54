"""A generated set for measuring how the rules judge: real reports (fixtures/real, fixtures/seeds)
rewritten in the usual ways.

``clean_variants`` rewords a report without making it wrong (an example list after 其中, a
list whose numbers run into the next sentence, parts written without 条, an accepted heading
variant, the 2019 notice cited by its title in a 2019/2020 report, 依申请公开 counts in a report
that did receive applications); a judge should say nothing new about them.
``defect_variants`` injects one defect each, with the rule that should report it (a title
year copied from another year, a period of another year or part of the year, a 总计 column left
at 0, one wrong cell, a missing section 四, …); a judge should say exactly one new thing.

Each variant is ``(name, text, rule or None)``; ``None`` marks a clean variant. A variant is
only made when its edit applies to the report (the text it rewrites is there).
"""

from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# reports read as text (the loaders for .txt/.md/.html take edited text); out-of-scope years,
# the blank template and binary files are left out
BASES = sorted(
    [
        p
        for p in (FIXTURES / "real").iterdir()
        if p.suffix in (".txt", ".md", ".html") and not p.name.startswith(("2017_", "2018_"))
    ]
    + [p for p in (FIXTURES / "seeds").iterdir() if p.suffix == ".txt"]
)

_TITLE = re.compile(r"^(.{0,40}?)((?:19|20)\d{2})(\s*年.{0,30}?(?:政府信息公开|政务公开|信息公开).{0,20}?报告)", re.M)
_PERIOD = re.compile(
    r"(统计[^，。；]{0,12}?(?:自|从|为|是)?\s*)((?:19|20)\d{2})(\s*年\s*1\s*月\s*1\s*日[^。；]{0,8}?(?:至|到)\s*)"
    r"(?:((?:19|20)\d{2})(\s*年))?(\s*12\s*月\s*31\s*日)"
)
_SECTION2 = re.compile(r"二\s*、\s*主动公开政府信息情况")
_SECTION4 = re.compile(
    r"四\s*、\s*(?:政府信息公开行政复议、行政诉讼情况|因政府信息公开工作被申请行政复议、提起行政诉讼情况)"
)
_SECTION5 = re.compile(r"五\s*、\s*存在的主要问题及改进情况")


def report_year(text: str) -> int | None:
    m = _TITLE.search(text[:3000])
    return int(m.group(2)) if m else None


def _title_year(text: str, year: int, new: int) -> str | None:
    """Every title (a page header, the page's <title>, an attachment name repeat it) carries
    ``new`` instead of ``year``, as in a copy of another year's file."""
    out, n = re.subn(
        rf"(?<!\d)(?<!编制公布)(?<!编制)(?<!公布){year}(\s*年度?\s*(?:政府信息公开|政务公开)[^。，；\n<>]{{0,10}}?年度报告)",
        rf"{new}\g<1>",
        text,
    )
    return out if n else None


def _period(text: str, start: str | None = None, year: int | None = None) -> str | None:
    m = _PERIOD.search(text)
    if not m:
        return None
    y = int(m.group(2))
    new_year = year if year is not None else y
    middle = m.group(3) if start is None else re.sub(r"1\s*月\s*1\s*日", start, m.group(3), count=1)
    end_year = f"{new_year}{m.group(5)}" if m.group(4) else ""
    return text[: m.start()] + f"{m.group(1)}{new_year}{middle}{end_year}{m.group(6)}" + text[m.end() :]


def _before_section2(text: str, sentence: str) -> str | None:
    """``sentence`` inside section 一's prose: after the first full stop of its text."""
    head = re.search(r"一\s*、\s*(?:总体情况|概述)", text[200:] if len(text) > 400 else text)
    m = _SECTION2.search(text, 200)
    if not head or not m:
        return None
    start = head.end() + (200 if len(text) > 400 else 0)
    stop = text.find("。", start, m.start())
    if stop < 0:
        return None
    return text[: stop + 1] + sentence + text[stop + 1 :]


def _table3_rows(text: str) -> list[tuple[int, int, list[str]]]:
    """Tab-separated rows of table 三: (start, end, fields)."""
    start = text.find("三、收到和处理政府信息公开申请情况")
    stop = _SECTION4.search(text, start + 1) if start >= 0 else None
    if start < 0 or stop is None:
        return []
    rows = []
    pos = start
    for line in text[start : stop.start()].split("\n"):
        fields = line.split("\t")
        numbers = [f for f in fields if f.strip().isdigit()]
        if len(numbers) == 7 and "\t" in line:
            rows.append((pos, pos + len(line), fields))
        pos += len(line) + 1
    return rows


def _edit_rows(text: str, edit) -> str | None:
    rows = _table3_rows(text)
    if len(rows) < 20:
        return None
    out, last = [], 0
    changed = False
    for start, end, fields in rows:
        new = edit(fields)
        if new != fields:
            changed = True
        out += [text[last:start], "\t".join(new)]
        last = end
    return "".join(out) + text[last:] if changed else None


def _total_column_zero(fields: list[str]) -> list[str]:
    idx = [i for i, f in enumerate(fields) if f.strip().isdigit()]
    return [("0" if i == idx[-1] else f) for i, f in enumerate(fields)]


def _granted_plus_two(text: str) -> str | None:
    """（一）予以公开 for 自然人 reads 2 more than it should (one wrong cell)."""
    rows = _table3_rows(text)
    for start, end, fields in rows:
        if "予以公开" in "".join(fields) and "部分" not in "".join(fields):
            idx = [i for i, f in enumerate(fields) if f.strip().isdigit()]
            new = list(fields)
            new[idx[0]] = str(int(fields[idx[0]]) + 2)
            return text[:start] + "\t".join(new) + text[end:]
    return None


def _drop_section4(text: str) -> str | None:
    m = _SECTION4.search(text)
    five = re.search(r"五\s*、\s*(?:存在|政府信息公开工作存在)", text[m.end() :]) if m else None
    if not m or not five:
        return None
    return text[: m.start()] + text[m.end() + five.start() :]


def _received_nothing(text: str) -> bool:
    rows = _table3_rows(text)
    return bool(rows) and all(f.strip() == "0" for _, _, fields in rows[:2] for f in fields if f.strip().isdigit())


def filled_tables(text: str) -> list[str]:
    """The report with other consistent fillings of a tab-separated table 三 (applications
    from people and a company, results spread over three rows, some carried over)."""
    rows = _table3_rows(text)
    if len(rows) != 25:
        return []
    out = []
    for a, b, c, company in ((12, 1, 2, 1), (40, 3, 5, 2), (7, 0, 1, 0), (95, 4, 0, 3), (3, 2, 2, 1)):
        results = a + b - c
        x, y = results // 2, results // 4
        z = results - x - y
        values = {i: [0] * 6 for i in range(25)}
        values[0] = [a, company, 0, 0, 0, 0]
        values[1] = [b, 0, 0, 0, 0, 0]
        values[2] = [x, company, 0, 0, 0, 0]
        values[3] = [y, 0, 0, 0, 0, 0]
        values[10] = [z, 0, 0, 0, 0, 0]
        values[23] = [results, company, 0, 0, 0, 0]
        values[24] = [c, 0, 0, 0, 0, 0]
        pieces, last = [], 0
        for n, (start, end, fields) in enumerate(rows):
            idx = [i for i, f in enumerate(fields) if f.strip().isdigit()]
            nums = values[n] + [sum(values[n])]
            new = list(fields)
            for i, v in zip(idx, nums):
                new[i] = str(v)
            pieces += [text[last:start], "\t".join(new)]
            last = end
        out.append("".join(pieces) + text[last:])
    return out


def _total_row_zero(text: str) -> str | None:
    """（七）总计 left at 0 across the row."""

    def edit(fields):
        return [("0" if f.strip().isdigit() else f) for f in fields] if "总计" in "".join(fields) else fields

    return _edit_rows(text, edit)


def clean_variants(text: str) -> list[tuple[str, str, None]]:
    year = report_year(text)
    out = []
    edits = {
        "examples-after-qizhong": lambda t: _before_section2(
            t, "本年度共发布各类信息236条，其中政策文件15条、工作动态120条，涵盖机构职能、政策解读、公示公告等方面。"
        ),
        "examples-with-deng": lambda t: _before_section2(t, "全年公开信息180条，其中通知公告40条、政策解读25条等。"),
        "next-sentence-numbers": lambda t: _before_section2(
            t, "全年主动公开信息96条，其中政策文件36条、工作动态60条。另外更新办事指南12条，回应关切3次。"
        ),
        "parts-without-unit": lambda t: _before_section2(
            t, "全年共处理信息510条，其中主动公开信息数169，政策解读317条，回应关切24条。"
        ),
        "partial-list": lambda t: _before_section2(t, "全年发布信息300条，其中政策解读类20条、图片新闻类50条。"),
        "heading-variant-4": lambda t: (
            t.replace(
                "四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 1
            )
            if "四、政府信息公开行政复议、行政诉讼情况" in t
            else None
        ),
    }
    if year is not None and year <= 2020:
        edits["notice-by-title-in-its-years"] = lambda t: _before_section2(
            t, "本报告根据《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》要求编制。"
        )
    if not _received_nothing(text) and _table3_rows(text):
        edits["classified-yishenqing-count"] = lambda t: _before_section2(t, "本年度依申请公开信息3条。")
    for name, edit in edits.items():
        new = edit(text)
        if new is not None and new != text:
            out.append((name, new, None))
    return out


def defect_variants(text: str) -> list[tuple[str, str, str]]:
    year = report_year(text)
    edits: dict[str, tuple[str, object]] = {}
    if year is not None:
        edits["title-next-year"] = ("YR001", lambda t: _title_year(t, year, year + 1))
        edits["title-last-year"] = ("YR001", lambda t: _title_year(t, year, year - 1))
        edits["period-last-year"] = ("PER002", lambda t: _period(t, year=year - 1))
        edits["period-part-of-year"] = ("PER002", lambda t: _period(t, start="9月1日"))
        if year >= 2021 and not re.search(r"2019\s*[〕\])）】］]\s*60\s*号", text):
            edits["notice-by-title-outdated"] = (
                "CIT001",
                lambda t: _before_section2(
                    t,
                    "本报告根据《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》要求编制。",
                ),
            )
    edits["total-column-left-0"] = ("ARI003", lambda t: _edit_rows(t, _total_column_zero))
    edits["total-row-left-0"] = ("ARI001", _total_row_zero)
    edits["one-wrong-cell"] = ("ARI003", _granted_plus_two)
    edits["missing-section-4"] = ("SEC001", _drop_section4)
    edits["renamed-section-5"] = ("TYP001", lambda t: _SECTION5.sub("五、存在的主要问题及改进措施", t, count=1))
    edits["complete-list-short"] = (
        "TXT002",
        lambda t: _before_section2(t, "全年主动公开信息100条，其中政策文件30条、工作动态50条、其他类15条。"),
    )
    if _received_nothing(text):
        edits["yishenqing-without-applications"] = (
            "TXT001",
            lambda t: _before_section2(t, "本年度依申请公开信息3条。"),
        )
    out = []
    for name, (rule, edit) in edits.items():
        new = edit(text)
        if new is not None and new != text:
            out.append((name, new, rule))
    return out


def table_variants(text: str) -> list[tuple[str, str, str, str]]:
    """(name, clean text, defective text, rule): the table defects on other fillings of table 三."""
    out = []
    for n, filled in enumerate(filled_tables(text)):
        for name, edit, rule in (
            ("one-wrong-cell", _granted_plus_two, "ARI"),
            ("total-column-left-0", lambda t: _edit_rows(t, _total_column_zero), "ARI"),
            ("total-row-left-0", _total_row_zero, "ARI"),
        ):
            bad = edit(filled)
            if bad is not None and bad != filled:
                out.append((f"{name}/{n}", filled, bad, rule))
    return out
