"""The format's own wording restores what OCR misread in headings and table labels.

The official formats fix the section titles, the table titles, row, group and column labels and
the block anchors (第二十条第（一）项). An OCR'd heading or label cell that is one or two
characters away from exactly one of these phrases, and clearly nearer to it than to any other, is
given the official wording (with the numbering the format gives it, or else its own with brackets
made full-width); anything else is left as read. A misnumbered heading in a scan is therefore
not seen; the engine misreads a numeral far more often. Typos in a scanned report are therefore not reported from OCR'd labels: the
engine misreads a label far more often than an office misprints it.
"""

from __future__ import annotations

import functools
import re
from difflib import SequenceMatcher

_NUMBERING = re.compile(
    r"^\s*((?:[（(《〔【\[<〈]+\s*[一二三四五六七八九十]{1,3}\s*[)）》〕】\]>〉]+)|"
    r"(?:[一二三四五六七八九十]{1,3}\s*[、.．,，])|(?:\d{1,2}\s*[.．、,，])|(?:\d{1,2}\s+(?=\D)))\s*"
)
_CJK_NUMERAL = re.compile(r"[一二三四五六七八九十]{1,3}")
_LEADING_DIGIT = re.compile(r"^\s*([SslIO|])(?=\s*[.．、,，])")
_PUNCT = str.maketrans(
    {
        ",": "，",
        ":": "：",
        ";": "；",
        "(": "（",
        ")": "）",
        "《": "（",
        "〔": "（",
        "【": "（",
        "〈": "（",
        "〉": "）",
        "》": "）",
        "〕": "）",
        "】": "）",
        '"': "“",
        "'": "‘",
    }
)


def _split(text: str) -> tuple[str, str]:
    m = _NUMBERING.match(text)
    if not m:
        return "", text.strip()
    return m.group(1), text[m.end() :].strip()


def _numbering(prefix: str) -> str:
    """A numbering as the formats print it: （一） 一、 1."""
    prefix = re.sub(r"\s", "", prefix)
    numeral = _CJK_NUMERAL.search(prefix)
    if numeral and prefix[0] in "（(《〔【[<〈":
        return f"（{numeral.group(0)}）"
    if numeral:
        return numeral.group(0) + "、"
    digits = re.match(r"\d+", prefix)
    return digits.group(0) + ("、" if prefix[-1] == "、" else ".") if digits else prefix


_SECTION: dict[str, str] = {}  # section title or alias → its numeral
_OFFICIAL: dict[str, str] = {}  # label body → the one numbering the formats give it ("" for none)


@functools.lru_cache(maxsize=1)
def _groups() -> dict[str, int]:
    """Every heading and label body of every format, without numbering, with the group it belongs
    to: a section's title and aliases, or a column's label and aliases, are one group."""
    from linter.formats import load_format

    groups: list[list[str]] = []
    for version in ("2021", "2019"):
        try:
            fmt = load_format(version)
        except Exception:  # a format that cannot load is reported by the parser
            continue
        for s in fmt.sections:
            groups.append([s.title, *s.aliases])
            for title in (s.title, *s.aliases):
                _SECTION.setdefault(title, s.key)
        for t in fmt.tables.values():
            groups.extend([p] for p in [t.title, *t.anchors, *t.headers])
            groups.extend([c.label, *c.aliases] for c in t.columns)
            groups.extend([x] for r in t.rows for x in (r.label, r.group, r.block) if x)
    out: dict[str, int] = {}
    numbered: dict[str, set[str]] = {}
    for n, group in enumerate(groups):
        for phrase in group:
            prefix, body = _split(phrase)
            if len(body) >= 3:
                out.setdefault(body, n)
                numbered.setdefault(body, set()).add(_numbering(prefix) if prefix else "")
    _OFFICIAL.update({body: next(iter(marks)) for body, marks in numbered.items() if len(marks) == 1})
    return out


def phrases() -> tuple[str, ...]:
    return tuple(sorted(_groups()))


def correct(text: str, paragraph: bool = True) -> str:
    """The official wording of an OCR'd heading (``paragraph``) or label cell, when the reading
    makes it unique."""
    number = _numbered if paragraph else (lambda body: body)
    fixed = _LEADING_DIGIT.sub(lambda m: {"S": "5", "s": "5", "O": "0"}.get(m.group(1), "1"), text)
    prefix, body = _split(fixed)
    body = re.sub(r"\s+", "", body).translate(_PUNCT)
    if re.match(r"\d", body):
        return text  # a number the numbering pattern did not take: not a label to restore
    as_read = _numbering(prefix) + body if prefix else text
    if not 3 <= len(body) <= 60 or body in phrases():
        return as_read if prefix or body not in phrases() else number(body)
    scored = []
    for phrase in phrases():
        if abs(len(phrase) - len(body)) > 2 or phrase[0] in "0123456789":
            continue
        ratio = SequenceMatcher(None, body, phrase, autojunk=False).ratio()
        scored.append((ratio, phrase))
    if not scored:
        return as_read
    scored.sort(reverse=True)
    best, phrase = scored[0]
    group = _groups()
    runner = next((r for r, p in scored[1:] if group[p] != group[phrase]), 0.0)  # aliases do not compete
    wrong = round((1 - best) * (len(body) + len(phrase)) / 2)  # about how many characters differ
    if wrong > (1 if len(phrase) < 8 else 2) or best - runner < 0.08 or (len(phrase) < 6 and len(body) < len(phrase)):
        # a short label read with a character too many is restored, one missing a character is
        # not (it may be the rest of a label broken over a page)
        return as_read
    if prefix and _OFFICIAL.get(phrase):  # the format numbers this label one way: a misread numeral too
        return _OFFICIAL[phrase] + phrase
    return _numbering(prefix) + phrase if prefix else number(phrase)


def _numbered(body: str) -> str:
    """A section title standing alone on its line is a heading whose numeral the engine dropped
    (一 is a single stroke, easily taken for a rule or a dash)."""
    _groups()
    key = _SECTION.get(body)
    return f"{key}、{body}" if key else body
