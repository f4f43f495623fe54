"""SARIF 2.1.0: the run's rules as configured (a level a configuration changed is the rule's
level in this run; the rule file's is kept in its properties), one result per finding with
stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from linter import __version__
from linter.levels import SARIF as LEVEL
from linter.models import LintResult


def _uri(path: str) -> dict:
    """The artifact location: relative to %SRCROOT% (the folder the tool ran in) when inside it."""
    p = Path(path)
    try:
        # percent-encoded: spaces, '#', '%' and non-ASCII are not URI characters
        return {"uri": quote(p.resolve().relative_to(Path.cwd().resolve()).as_posix()), "uriBaseId": "%SRCROOT%"}
    except ValueError:
        return {"uri": p.resolve().as_uri()}


def _physical(fr, file: str, loc) -> dict:
    """Where a viewer puts the finding: the line from the start of the file (a PDF's earlier
    pages counted), the page and paragraph or table index in the region's message and properties."""
    from linter.render import absolute_line

    physical = {"artifactLocation": _uri(file)}
    line = absolute_line(fr, loc)
    if line:
        physical["region"] = {"startLine": line}
        if loc.page:
            physical["region"]["message"] = {"text": loc.physical()}
    index = {
        k: v
        for k, v in (
            ("page", loc.page),
            ("lineOnPage", loc.line if loc.page else None),
            ("paragraph", loc.paragraph),
            ("tableIndex", loc.table_index),
        )
        if v is not None
    }
    if index:
        physical["properties"] = index
    return physical


def _location(fr, file: str, loc) -> dict:
    location = {"physicalLocation": _physical(fr, file, loc)}
    logical = loc.logical()
    if logical or loc.physical():
        location["logicalLocations"] = [{"name": logical or loc.physical(), "kind": "element"}]
    return location


def _rule(info) -> dict:
    properties = {"category": info.category, "tags": [info.category]}
    if info.reconfigured:
        properties["ruleFileLevel"] = LEVEL[info.rule_file_level]
    return {
        "id": info.id,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.why.strip()},
        "help": {"text": f"{info.fix}\n依据：{info.basis}"},
        "defaultConfiguration": {"level": LEVEL[info.level]},
        "properties": properties,
    }


def render(result: LintResult, out: TextIO) -> None:
    from linter.render import rule_docs

    docs = rule_docs(result)
    ids = sorted(docs)
    rules = [_rule(docs[i]) for i in ids]
    results = []
    owners = {fr.path: fr for fr in result.files}
    for f in result.findings:
        loc = f.location
        location = _location(owners.get(f.file), f.file, loc)
        where = loc.describe()
        entry = {
            "ruleId": f.rule,
            "level": LEVEL[f.level],
            "message": {"text": f.message + (f"（{where}）" if where and where not in f.message else "")},
            "locations": [location],
            "partialFingerprints": {"nianbaoLint/v1": f.fingerprint},
            "properties": {
                k: v
                for k, v in (("page", loc.page), ("paragraph", loc.paragraph), ("category", f.category))
                if v is not None
            },
        }
        if f.rule in docs:
            entry["ruleIndex"] = ids.index(f.rule)
        if f.related:  # findings merged into this one's cause keep their rule id and fingerprint
            entry["relatedLocations"] = [
                {
                    **_location(owners.get(f.file), f.file, r.location),
                    "id": n,
                    "message": {"text": f"{r.rule}: {r.message}"},
                    "properties": {"ruleId": r.rule, "level": LEVEL[r.level], "fingerprint": r.fingerprint},
                }
                for n, r in enumerate(f.related, 1)
            ]
        results.append(entry)
    notifications = [
        {
            "level": "error",
            "message": {"text": fr.error},
            "locations": [{"physicalLocation": {"artifactLocation": _uri(fr.path)}}],
        }
        for fr in result.files
        if fr.error
    ]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "nianbao-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://pypi.org/project/nianbao-lint/",
                        "rules": rules,
                    }
                },
                "invocations": [
                    {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
                ],
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    json.dump(sarif, out, ensure_ascii=False, indent=2)
    out.write("\n")
