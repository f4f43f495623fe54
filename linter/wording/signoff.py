"""Sign-offs as reports print them: the agency's name and the date under the report, on lines
of their own or at the end of the last line."""

from __future__ import annotations

import re

from linter.textutil import nfkc, squash
from linter.wording.dates import DATE, DATE_RE, dates_in
from linter.wording.names import is_org_name

_PUNCT = re.compile(r"[，。；,;！？]")
DATE_AT_END = re.compile(rf"{DATE}\s*$")  # a date that ends a line (groups: year, month, day)
_BEFORE_DATE = ("于", "至", "截至", "到")  # a date in a sentence (完成于…, 截至…), not a sign-off


def is_signoff(text: str, agency: str | None) -> bool:
    """A signature or date line: the agency name and/or a date, no sentence punctuation."""
    flat = squash(text)
    if not flat:
        return True
    if agency and flat == squash(agency):
        return True
    if dates_in(text) and not _PUNCT.search(text):
        return len(squash(DATE_RE.sub("", nfkc(text)))) <= 30
    return False


def strip_signoff(text: str, agency: str | None) -> str:
    """The text without a trailing signature (agency name and date) on the same line."""
    m = DATE_AT_END.search(text)
    if not m:
        return text.strip()
    rest = text[: m.start()].rstrip()
    if agency and squash(rest).endswith(squash(agency)):
        return rest[: len(rest) - len(agency)].rstrip() if rest.endswith(agency) else rest
    tail = re.split(r"[\s。，；]", rest)[-1]
    if tail and is_org_name(tail):
        return rest[: len(rest) - len(tail)].rstrip()
    return rest


def glued_signoff(text: str) -> tuple[int, int, int] | None:
    """The date of a sign-off glued to the end of the last sentence (flattened text), or None."""
    text = nfkc(text)
    m = DATE_AT_END.search(text)
    if m and not text[: m.start()].rstrip().endswith(_BEFORE_DATE):
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return None
