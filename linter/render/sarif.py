"""SARIF 2.1.0: rule metadata from the rule files, one result per finding with stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from linter import __version__
from linter.models import LintResult

LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """A relative URI reference (percent-encoded: spaces, '#', '%' and non-ASCII are not URI
    characters) under the current folder, else a file URI."""
    p = Path(path)
    try:
        return quote(p.resolve().relative_to(Path.cwd().resolve()).as_posix())
    except ValueError:
        return p.resolve().as_uri()


def render(result: LintResult, out: TextIO) -> None:
    from linter.render import rule_docs

    docs = rule_docs()
    ids = sorted(docs)
    rules = [{
        "id": i, "name": docs[i].name,
        "shortDescription": {"text": docs[i].summary},
        "fullDescription": {"text": docs[i].why.strip()},
        "help": {"text": f"{docs[i].fix}\n依据：{docs[i].basis}"},
        "defaultConfiguration": {"level": LEVEL[docs[i].level]},
        "properties": {"category": docs[i].category, "tags": [docs[i].category]},
    } for i in ids]
    results = []
    for f in result.findings:
        loc = f.location
        physical = {"artifactLocation": {"uri": _uri(f.file)}}
        if loc.line:
            physical["region"] = {"startLine": loc.line}
        location = {"physicalLocation": physical}
        logical = loc.logical()
        if logical:
            location["logicalLocations"] = [{"name": logical, "kind": "element"}]
        entry = {
            "ruleId": f.rule, "level": LEVEL[f.level], "message": {"text": f.message},
            "locations": [location], "partialFingerprints": {"nianbaoLint/v1": f.fingerprint},
            "properties": {k: v for k, v in (("page", loc.page), ("paragraph", loc.paragraph),
                                             ("category", f.category)) if v is not None},
        }
        if f.rule in docs:
            entry["ruleIndex"] = ids.index(f.rule)
        results.append(entry)
    notifications = [{"level": "error", "message": {"text": fr.error},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(fr.path)}}}]}
                     for fr in result.files if fr.error]
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "nianbao-lint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://pypi.org/project/nianbao-lint/", "rules": rules}},
            "invocations": [{"executionSuccessful": not notifications,
                             "toolExecutionNotifications": notifications}],
            "results": results,
        }],
    }
    json.dump(sarif, out, ensure_ascii=False, indent=2)
    out.write("\n")
