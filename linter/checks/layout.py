"""Checks that tables use the format in force for the report's year, and its current labels."""

from __future__ import annotations

from linter.checks import NoParams, check
from linter.formats import VERSIONS, for_year, load_format, spec_of
from linter.models import Hit, Location, Report
from linter.textutil import label_key

# Labels of the provincial 统计表 used before the national format (2018 and earlier).
PRE_2019 = (
    "历年累计",
    "计量单位",
    "当面申请数",
    "网上申请数",
    "同意公开答复数",
    "同意部分公开答复数",
    "主动公开文件数",
)


@check("table_layout", slots=("what", "year", "expected"))
def table_layout(report: Report, params: NoParams):
    """Tables are in the layout of the format in force for the report year (2019 or 2021)."""
    fmt = spec_of(report)
    year = report.meta.year or "本"
    if report.meta.year_split and len({for_year(y).version for y in report.meta.year_candidates}) > 1:
        return  # the year is undecided and the candidate years have different formats
    expected = f"{fmt.version}年格式（{fmt.basis}）"
    for key, table in report.tables.items():
        if table.found and table.layout != fmt.version:
            other = spec_of(table)
            yield Hit(
                loc=table.loc,
                key=f"{key}/layout",
                data={
                    "what": f"表{key}是{other.version}年格式（{other.basis}）的表格",
                    "year": year,
                    "expected": expected,
                },
            )
        for group, members in table.collapsed.items():
            yield Hit(
                loc=table.loc,
                key=f"{key}/collapsed",
                data={
                    "what": f"表{key}的“{group}”只有一行合计，没有分列其下{len(members)}个小项（2019年格式的写法）",
                    "year": year,
                    "expected": expected,
                },
            )
    text = label_key(" ".join(p.text for p in report.paragraphs))
    old = [label for label in PRE_2019 if label_key(label) in text]
    if len(old) >= 2:
        yield Hit(
            loc=Location(),
            key="pre-2019",
            excerpt="、".join(old),
            data={
                "what": f"报告使用了2019年以前的“政府信息公开情况统计表”（含“{'”“'.join(old[:3])}”等栏目）",
                "year": year,
                "expected": expected,
            },
        )


def _earlier_labels(spec, key: str) -> dict[str, str]:
    """Row key → the label an earlier format gave the row of table ``key``, where it differs."""
    out = {}
    for version in VERSIONS[: VERSIONS.index(spec.version)]:
        older = load_format(version).tables[key]
        for row in spec.tables[key].rows:
            old = next((r.label for r in older.rows if r.key == row.key), None)
            if old and label_key(old) != label_key(row.label):
                out[row.key] = old
    return out


@check("current_row_labels", slots=("printed", "official"))
def current_row_labels(report: Report, params: NoParams):
    """Table 二 uses the current row labels (the 2021 label 行政规范性文件), not those of an
    earlier format (the 2019 label 规范性文件)."""
    table = report.tables.get("二")
    if table is None or not table.found or table.layout != report.version:
        return
    spec = spec_of(report)
    for row, old in _earlier_labels(spec, "二").items():
        official = spec.tables["二"].row(row).label
        key = label_key(table.row_labels.get(row, ""))
        if key and label_key(old) in key and label_key(official) not in key:
            cell = table.cell(row, spec.tables["二"].row_columns(spec.tables["二"].row(row))[0])
            yield Hit(loc=cell.loc, key=row, excerpt=table.row_labels[row], data={"printed": old, "official": official})
