"""Cross-document checks over an audit database: the cross-year rules (XYR001, XYR002) between
consecutive years of each agency, run after every audit on everything the database holds.
They reuse the rules' own checks on minimal reports rebuilt from the stored figures."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

from linter.models import Cell, CellStatus, Location, Meta, Report, Table

ROWS = {"三": ["r01", "r02", "r24", "r25"], "二": ["rules", "normative"],
        "四": ["review", "direct_suit", "suit_after_review"]}


def figures(report: Report) -> dict:
    """The cells the cross-year checks need, as plain data for the database."""
    out: dict = {"layouts": {}}
    for key, rows in ROWS.items():
        table = report.tables.get(key)
        if table is None or not table.found:
            continue
        out["layouts"][key] = table.layout
        out[key] = {ref: c.value for ref, c in table.cells.items() if ref.split("/")[0] in rows and c.has_value}
    return out


def _report(path: str, agency: str, year: int, data: dict) -> Report:
    report = Report(path=path, format="", version="2021", meta=Meta(agency=agency, year=year))
    for key in ROWS:
        if key in data:
            cells = {ref: Cell(raw=str(v), value=v, status=CellStatus.NUMBER,
                               loc=Location(table=key, row=ref.split("/")[0], col=ref.split("/")[1]))
                     for ref, v in data[key].items()}
            report.tables[key] = Table(key=key, found=True, layout=data["layouts"][key], cells=cells)
    return report


def run(con: sqlite3.Connection, rules, hierarchy: bool = False, keep=lambda finding: True) -> int:
    """Replace the cross-document findings in the database (cross-year; with ``hierarchy`` also
    region government = sum of its departments) from the configured ``rules``, keeping those
    the configuration keeps; returns how many there are."""
    from linter import engine

    categories = {"cross-year", "region-sum"} if hierarchy else {"cross-year"}
    chosen = [r for r in rules if r.spec.category in categories]
    by_agency = defaultdict(dict)
    by_region = defaultdict(list)
    for path, agency, year, level, region, figs in con.execute(
            "SELECT path, agency, year, level, region, figures FROM files WHERE status='ok' AND figures IS NOT NULL"
            " AND removed IS NULL"):
        if agency and year and len(agency) >= 3:
            report = _report(path, agency, year, json.loads(figs))
            by_agency[agency][year] = report
            if region:
                by_region[(region, year)].append((level, report))
    if hierarchy:
        for members in by_region.values():
            governments = [r for lv, r in members if lv == "government"]
            if len(governments) == 1:
                governments[0].children = [r for lv, r in members if lv == "department"]
    found = 0
    with con:
        con.execute("DELETE FROM findings WHERE category IN ('cross-year', 'region-sum')")
        for years in by_agency.values():
            for year, report in years.items():
                report.previous = years.get(year - 1)
                if report.previous is None and not report.children:
                    continue
                for f in engine.run(report, chosen, report.path):
                    if not keep(f):
                        continue
                    r = f.record()
                    con.execute("INSERT INTO findings(path, rule, name, category, level, message, location, place,"
                                " fingerprint) VALUES (?,?,?,?,?,?,?,?,?)",
                                (report.path, r["rule"], r["name"], r["category"], r["level"], r["message"],
                                 json.dumps(r["location"], ensure_ascii=False), r["where"], r["fingerprint"]))
                    found += 1
        con.execute("UPDATE files SET errors=(SELECT count(*) FROM findings f WHERE f.path=files.path AND"
                    " f.level='error'), warnings=(SELECT count(*) FROM findings f WHERE f.path=files.path AND"
                    " f.level='warning')")
    return found
