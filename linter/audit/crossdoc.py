"""Cross-document checks over an audit database: the cross-year rules (XYR001, XYR002) between
consecutive years of each agency and, with ``--hierarchy``, a region government against its
departments (HIE001), run after every audit on everything the database holds. The stored
figures are the form ``linter.figures`` gives, and the pass is the one ``check`` runs."""

from __future__ import annotations

import json
import sqlite3

from linter.figures import Entry


def entries(con: sqlite3.Connection) -> list[Entry]:
    """Every file of the database with stored figures, as the cross-document pass pairs them."""
    return [
        Entry(path, agency, year, figs, level, region)
        for path, agency, year, level, region, figs in con.execute(
            "SELECT path, agency, year, level, region, figures FROM files WHERE status='ok' AND figures IS NOT NULL"
            " AND removed IS NULL ORDER BY path"
        )
    ]


def run(con: sqlite3.Connection, rules, hierarchy: bool = False, keep=lambda finding: True) -> int:
    """Replace the cross-document findings in the database (cross-year; with ``hierarchy`` also
    region government = sum of its departments) from the configured ``rules``, keeping those
    the configuration keeps; returns how many there are."""
    from linter.api import cross_check

    categories = {"cross-year", "region-sum"} if hierarchy else {"cross-year"}
    chosen = [r for r in rules if r.check.context and r.spec.category in categories]
    files = entries(con)
    found = 0
    with con:
        con.execute("DELETE FROM findings WHERE category IN ('cross-year', 'region-sum')")
        for index, result in cross_check(files, chosen, hierarchy=hierarchy):
            for f in result.findings:
                if not keep(f):
                    continue
                r = f.record()
                con.execute(
                    "INSERT INTO findings(path, rule, name, category, level, message, location, place,"
                    " fingerprint) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        files[index].path,
                        r["rule"],
                        r["name"],
                        r["category"],
                        r["level"],
                        r["message"],
                        json.dumps(r["location"], ensure_ascii=False),
                        r["where"],
                        r["fingerprint"],
                    ),
                )
                found += 1
        con.execute(
            "UPDATE files SET errors=(SELECT count(*) FROM findings f WHERE f.path=files.path AND"
            " f.level='error'), warnings=(SELECT count(*) FROM findings f WHERE f.path=files.path AND"
            " f.level='warning')"
        )
    return found
