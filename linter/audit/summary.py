"""What the audit dashboard and workbook show, collected from an audit database: agencies as
the reports name them, normalised (spacing and bracket forms unified, and a name printed without
its city or province, 洪泽区人民政府, joined to the one form in the audit that adds it,
淮安市洪泽区人民政府), their regions, the rules as the last audit configured them, and the rows of
every table and chart."""

from __future__ import annotations

import json
import re
from pathlib import Path

from linter.audit.db import current_views, open_for_reading
from linter.levels import LEVELS, sql_list, sql_order
from linter.levels import NAMES as NAME
from linter.render import category_label

UNKNOWN = "（未识别机关）"
_PREFIX = re.compile(r"^(?:.{2,10}?(?:省|自治区|特别行政区))?(?:.{2,10}?(?:市|自治州|地区|盟))?")
_PLACE = re.compile(r"^[^省市区县旗]{2,8}?(?:自治县|自治旗|新区|区|县|市|旗)")  # 洪泽区…, not 市场… or 城市…


def _clean(name: str | None) -> str:
    return re.sub(r"\s+", "", (name or "").replace("(", "（").replace(")", "）"))


def agency_names(names) -> dict[str, str]:
    """Each agency name as read → the name it is counted under."""
    clean = {n: _clean(n) for n in names if n}
    forms = set(clean.values())
    joined = {}
    for form in forms:
        longer = [o for o in forms if o != form and o.endswith(form) and _PREFIX.fullmatch(o[: -len(form)])]
        longest = max(longer, key=len, default=None)
        nested = longest is not None and all(longest.endswith(o) for o in longer)  # 淮安市… inside 江苏省淮安市…
        joined[form] = longest if nested and _PLACE.match(form) else form
    return {raw: joined.get(c, c) or UNKNOWN for raw, c in clean.items()}


def _region_of(agency: str) -> str | None:
    m = re.match(r"^(.+?(?:自治区|省|市))", agency)
    return m.group(1) if m and agency != UNKNOWN else None


def run_rules(con) -> dict[str, dict]:
    """id → the rule as the last audit that recorded its rules configured it (``RuleInfo``
    fields: level, rule_file_level, summary, fix …); for a database from before rules were
    recorded, the rule files as they are."""
    if "rules" in {row[1] for row in con.execute("PRAGMA table_info(runs)")}:
        row = con.execute("SELECT rules FROM runs WHERE rules IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
        try:
            rules = json.loads(row[0]) if row else None
        except ValueError:
            rules = None
        if isinstance(rules, list) and all(isinstance(r, dict) and "id" in r for r in rules):
            return {r["id"]: r for r in rules}
    from linter import engine

    return {r.spec.id: r.info().model_dump() for r in engine.load_rules()}


def collect(db: str | Path, include_info: bool = False) -> dict:
    con = open_for_reading(db)  # read only; immutable where the database cannot be written
    current_views(con)  # files gone from their folder are left out
    q = lambda sql, *a: con.execute(sql, a).fetchall()  # noqa: E731
    levels = sql_list(LEVELS if include_info else LEVELS[:-1])
    files = q(
        "SELECT path, agency, year, region, errors, warnings, infos FROM current_files WHERE status='ok'"
        " ORDER BY errors DESC, warnings DESC, path"
    )
    names = agency_names({a for _, a, *_ in files})
    files = [(p, names.get(a, UNKNOWN) if a else UNKNOWN, y, r, e, w, i) for p, a, y, r, e, w, i in files]
    files = [(p, a, y, r or _region_of(a), e, w, i) for p, a, y, r, e, w, i in files]
    agencies: dict[str, list[int]] = {}
    for _, agency, _, _, e, w, _ in files:
        row = agencies.setdefault(agency, [0, 0, 0])
        row[0], row[1], row[2] = row[0] + 1, row[1] + (e or 0), row[2] + (w or 0)
    by_path = {p: (a, y, r) for p, a, y, r, *_ in files}
    rules = run_rules(con)
    findings = q(
        f"SELECT path, rule, category, level, place, message FROM current_findings ORDER BY path, {sql_order()}, rule"
    )
    data = {
        "totals": q(
            "SELECT count(*), sum(status='ok'), sum(status='failed'), coalesce(sum(errors),0),"
            " coalesce(sum(warnings),0), coalesce(sum(infos),0) FROM current_files"
        )[0],
        "categories": q(
            f"SELECT category, level, count(*) FROM current_findings WHERE level IN {levels}"
            " GROUP BY category, level ORDER BY 3 DESC"
        ),
        "rules": [
            (r, rules.get(r, {}).get("summary", n), rules.get(r, {}).get("level", lv), c)
            for r, n, lv, c in q(
                "SELECT rule, name, level, count(*) FROM current_findings GROUP BY rule ORDER BY 4 DESC, rule"
            )
        ],
        "rule_docs": rules,
        "agencies": sorted(((a, n, e, w) for a, (n, e, w) in agencies.items()), key=lambda r: (-r[2], -r[3], r[0])),
        "years": q(
            "SELECT coalesce(year,0), count(*), sum(errors), sum(warnings) FROM current_files GROUP BY year ORDER BY 1"
        ),
        "failed": q("SELECT path, reason FROM current_files WHERE status='failed' ORDER BY path"),
        "files": [(p, a, y, e, w, i) for p, a, y, r, e, w, i in files],
        "findings": findings,
        "sheet": [
            (
                p,
                *by_path.get(p, ("", None, None)),
                rule,
                category_label(cat),
                NAME.get(lv, lv),
                place,
                message,
                rules.get(rule, {}).get("fix", ""),
            )
            for p, rule, cat, lv, place, message in findings
        ],
        "run": q("SELECT started, finished, tool_version, ruleset FROM runs ORDER BY id DESC LIMIT 1"),
        "include_info": include_info,
    }
    con.close()
    return data
