"""The parser records the report's facts once, each with where it was read: the sign-off and
publication dates (and how each was printed), the agency and its kind, every section heading's
paragraph index and the statistics period. The checks read those records: a check given a
report whose recorded fact says otherwise follows the record."""

from __future__ import annotations

from linter import engine
from linter.checks.dates import DeadlineParams, publication_deadline
from linter.checks.period import period_full_year
from linter.load import html as html_loader
from linter.load import load_text
from linter.models import Dated, Location
from linter.parse import parse

HEADER = [
    "标题: 2023年政府信息公开工作年度报告",
    "发布机构: 某市某局",
    "{date_line}",
    "==================== 正文 ====================",
    "",
]
BODY = """某市某局2023年政府信息公开工作年度报告

本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。

一、总体情况

2023年，本局认真贯彻《中华人民共和国政府信息公开条例》，全年主动公开政府信息120条。

二、主动公开政府信息情况

2023年，本局主动公开规范性文件3件。

三、收到和处理政府信息公开申请情况

2023年，本局收到政府信息公开申请5件，均已按期答复。

四、政府信息公开行政复议、行政诉讼情况

2023年，本局未发生政府信息公开行政复议、行政诉讼案件。

五、存在的主要问题及改进情况

2023年，本局政府信息公开工作还存在一些不足，2024年将加以改进。

六、其他需要报告的事项

本年度未收取信息处理费。
"""


def crawled(date_line: str, body: str = BODY) -> str:
    return "\n".join(HEADER).format(date_line=date_line) + "\n" + body


def test_a_signed_date_from_the_crawler_header_is_recorded_with_its_line():
    """No sign-off under the report: the header's 成文日期 is the date it was signed, read on
    line 3, and it is what the deadline is judged by."""
    report = parse(load_text(crawled("成文日期: 2024-03-15"), "page.txt"))
    meta = report.meta
    assert meta.signed == (2024, 3, 15)
    assert meta.signed_loc == Location(line=3) and meta.signed_source == "页头“成文日期”"
    assert meta.publication == Dated(kind="signed", date=(2024, 3, 15), source="页头“成文日期”", loc=Location(line=3))
    assert any(e.source == "signoff" and e.loc == Location(line=3) for e in meta.evidence)
    late = [f for f in engine.run(report, engine.load_rules(), "page.txt") if f.rule == "PUB001"]
    assert [f.message for f in late] == ["报告的页头“成文日期”为2024年3月15日，晚于政府部门的公布期限2024年1月31日"]
    assert late[0].location.line == 3


def test_a_sign_off_under_the_report_comes_before_the_header():
    report = parse(load_text(crawled("成文日期: 2024-03-15", BODY + "\n某市某局\n2024年1月20日\n"), "page.txt"))
    assert report.meta.signed == (2024, 1, 20) and report.meta.signed_source == "落款"
    assert report.paragraphs[-1].loc == report.meta.signed_loc


def test_a_publication_date_from_the_header_wins_over_the_signature():
    report = parse(load_text(crawled("发布时间: 2024-01-20 10:00", BODY + "\n某市某局\n2024年1月18日\n"), "page.txt"))
    pub = report.meta.publication
    assert (pub.kind, pub.date, pub.source, pub.loc) == ("published", (2024, 1, 20), "页头“发布时间”", Location(line=3))
    assert report.meta.published_loc == Location(line=3)
    assert report.meta.agency == "某市某局" and report.meta.agency_kind == "department"


def test_an_impossible_date_is_no_publication_date():
    report = parse(load_text(crawled("成文日期: 2024-02-30"), "page.txt"))
    assert report.meta.signed is None and report.meta.publication is None


def test_a_publication_date_from_html_meta_has_its_source_and_no_place_in_the_text():
    body = "".join(f"<p>{line}</p>" for line in BODY.splitlines() if line.strip())
    page = (
        "<html><head><meta charset='utf-8'><meta name='PubDate' content='2024-02-03 10:21'></head>"
        f"<body><div id='zoom'>{body}</div></body></html>"
    ).encode()
    report = parse(html_loader.load(page, "page.html"))
    pub = report.meta.publication
    assert (pub.kind, pub.date, pub.source, pub.loc) == ("published", (2024, 2, 3), "网页元数据 PubDate", None)
    late = [f for f in engine.run(report, engine.load_rules(), "page.html") if f.rule == "PUB001"]
    assert (
        len(late) == 1 and late[0].location == report.meta.title_loc
    )  # shown at the title: the date is not in the text


def test_section_heading_indexes_point_at_their_paragraphs():
    report = parse(load_text(BODY, "report.txt"))
    assert list(report.sections) == list("一二三四五六")
    for section in report.sections.values():
        heading = report.paragraphs[section.index]
        assert heading.text.startswith(f"{section.number}、") and heading.loc == section.loc.model_copy(
            update={"section": None}
        )
    assert report.body_start == report.sections["一"].index


def test_section_indexes_in_one_line_text_where_every_paragraph_shares_a_line():
    """A crawled page flattened to one line: its paragraphs all lie on line 1, so a location
    cannot tell them apart, but the index can."""
    said = "本局坚持以公开为常态、不公开为例外，持续完善工作机制。" * 3  # long enough to be split at its headings
    one_line = "".join(line.strip() + (said if line.startswith("20") else "") for line in BODY.splitlines())
    report = parse(load_text(one_line + "某市某局 2024年1月20日", "flat.txt"))
    assert len({p.loc for p in report.paragraphs}) == 1 and len(report.paragraphs) >= 6
    for section in report.sections.values():
        assert report.paragraphs[section.index].text.lstrip().startswith(f"{section.number}、")
    assert report.meta.signed == (2024, 1, 20)


def test_agency_and_kind_are_recorded_with_where_they_were_read():
    report = parse(load_text(BODY, "report.txt"))
    assert report.meta.agency == "某市某局" and report.meta.agency_loc == report.meta.title_loc
    above = parse(load_text("某县人民政府\n\n" + BODY.replace("某市某局2023年", "2023年", 1), "report.txt"))
    assert above.meta.agency == "某县人民政府" and above.meta.agency_loc == Location(line=1)
    assert above.meta.agency_kind == "government"


def test_the_statistics_period_is_recorded():
    period = parse(load_text(BODY, "report.txt")).meta.period
    assert period.dates == [(2023, 1, 1), (2023, 12, 31)] and period.loc == Location(line=3)
    assert period.text == "数据的统计期限自2023年1月1日起至2023年12月31日止"


def test_checks_follow_the_recorded_facts():
    """The checks do not work the facts out again: change the record and they follow it."""
    report = parse(load_text(BODY, "report.txt"))
    assert not list(period_full_year(report, None))
    wrong = report.meta.period.model_copy(update={"dates": [(2022, 1, 1), (2022, 12, 31)]})
    moved = report.model_copy(update={"meta": report.meta.model_copy(update={"period": wrong})})
    assert [h.key for h in period_full_year(moved, None)] == ["period"]
    dated = report.meta.model_copy(
        update={"publication": Dated(kind="signed", date=(2024, 3, 1), source="落款"), "agency_kind": "government"}
    )
    assert not list(publication_deadline(report.model_copy(update={"meta": dated}), DeadlineParams()))
    late = dated.model_copy(update={"agency_kind": "department"})
    hits = list(publication_deadline(report.model_copy(update={"meta": late}), DeadlineParams()))
    assert [h.data["source"] for h in hits] == ["落款日期"]
