"""Pure text helpers: width/space normalisation, label keys, numbers in cells (the reports'
wording of years, dates, numbering and names is ``linter.wording``)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from linter.models import CellStatus

_SPACE_RE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
# Punctuation that does not distinguish one label from another.
_PUNCT_RE = re.compile(
    r"[\s\u3000\u00a0,，。．.、:：;；\"'“”‘’「」『』()（）\[\]［］【】〔〕<>《》〈〉!！?？*#|_\-—–－~·…/\\]+"
)


@lru_cache(maxsize=65536)
def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC with all whitespace removed."""
    return _SPACE_RE.sub("", nfkc(text))


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """A comparison key for labels: NFKC, no whitespace, no punctuation."""
    return _PUNCT_RE.sub("", nfkc(text))


def clean_line(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _SPACE_RE.sub(" ", text).strip()


# ---------------------------------------------------------------- numbers in table cells

_UNIT = r"(?:件|个|项|条|次|万元|元|笔)"
_NUM = r"[+\-−－]?\d[\d,，]*(?:\.\d+)?"
_NUMBER_RE = re.compile(rf"^{_NUM}\s*{_UNIT}?$")
_PLACEHOLDERS = {"-", "—", "——", "－", "–", "/", "／", "\\", "无", "空", "×", "x", "X", "…", "--", "---"}


@lru_cache(maxsize=65536)
def parse_number(raw: str) -> tuple[CellStatus, int | float | None]:
    """Classify one cell's text: a number (0 included), blank, a placeholder, or unreadable.
    Memoised: a report's cells repeat a few hundred distinct texts many times over."""
    text = nfkc(raw).strip()
    if not text:
        return CellStatus.BLANK, None
    if text in _PLACEHOLDERS:
        return CellStatus.PLACEHOLDER, None
    if text in ("O", "o", "〇", "○"):  # OCR reads a lone 0 as the letter O
        return CellStatus.NUMBER, 0
    if _NUMBER_RE.match(text):
        digits = re.sub(rf"{_UNIT}$", "", text).strip().replace(",", "").replace("，", "")
        digits = digits.replace("−", "-").replace("－", "-")
        try:
            if "." in digits:
                return CellStatus.NUMBER, float(digits)
            return CellStatus.NUMBER, int(digits)
        except ValueError:
            return CellStatus.UNREADABLE, None
    return CellStatus.UNREADABLE, None


def is_value_text(raw: str) -> bool:
    """True when a cell holds a number or a placeholder (not a label)."""
    status, _ = parse_number(raw)
    return status in (CellStatus.NUMBER, CellStatus.PLACEHOLDER)


_RUN = re.compile(r"[+\-−－]?\d+(?:\.\d+)?(?:[ \u3000\u00a0]+\d+(?:\.\d+)?)*(?:\s*(?:件|万元|元))?")


def split_mixed(raw: str) -> list[tuple[str, str]]:
    """Split text into label and value tokens: ``"规章000行政规范性文件6 2 3"`` →
    [("L", "规章"), ("N", "000"), ("L", "行政规范性文件"), ("N", "6"), ("N", "2"), ("N", "3")].

    Whitespace separates value tokens; digits glued together stay one token (a digit run).
    A row number glued to the values before it (``…40000042.其他…``) is given back to the label;
    dates in sentences ("2023年") stay text.
    Memoised per distinct text (a new list each call).
    """
    return list(_split_mixed(raw))


@lru_cache(maxsize=65536)
def _split_mixed(raw: str) -> tuple[tuple[str, str], ...]:
    text = nfkc(raw).strip()
    out: list[tuple[str, str]] = []
    label, pos = "", 0
    for m in _RUN.finditer(text):
        run, end = m.group(0), m.end()
        if text[end : end + 1] in ("年", "月", "日"):
            continue
        last = run.split()[-1]
        if last.isdigit() and re.match(r"\s*[.．、](?!\d)", text[end:]):
            keep = run[: len(run) - 1].rstrip() if len(last) > 1 else run[: run.rfind(last)].rstrip()
            label += text[pos : m.start()]
            if keep:
                if label.strip():
                    out.append(("L", label.strip()))
                out.extend(("N", t) for t in _tokens(keep))
                label = ""
            label += run[len(keep) :].strip()
            pos = end
            continue
        label += text[pos : m.start()]
        if label.strip():
            out.append(("L", label.strip()))
        label = ""
        out.extend(("N", t) for t in _tokens(run))
        pos = end
    label += text[pos:]
    if label.strip():
        out.append(("L", label.strip()))
    if len(out) == 1 and out[0][0] == "L" and is_value_text(out[0][1]):
        return (("N", out[0][1]),)  # a placeholder cell such as "—"
    return tuple(out)


def _tokens(run: str) -> list[str]:
    parts = run.split()
    if len(parts) > 1 and parts[-1] in ("件", "万元", "元"):
        parts[-2:] = [parts[-2] + parts[-1]]
    return parts


def is_digit_run(text: str) -> bool:
    """A token of several digits that starts with 0 cannot be one number: cells ran together."""
    t = nfkc(text).strip()
    return t.isdigit() and len(t) > 1 and t[0] == "0"
