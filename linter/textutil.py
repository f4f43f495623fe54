"""Pure text helpers: width/space normalisation, label keys, numbers in cells, years, dates."""

from __future__ import annotations

import re
import unicodedata

from linter.models import CellStatus

_SPACE_RE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
# Punctuation that does not distinguish one label from another.
_PUNCT_RE = re.compile(r"[\s\u3000\u00a0,，。．.、:：;；\"'“”‘’「」『』()（）\[\]［］【】〔〕<>《》〈〉!！?？*#|_\-—–－~·…/\\]+")
CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC with all whitespace removed."""
    return _SPACE_RE.sub("", nfkc(text))


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
_TRAILING_NUMS_RE = re.compile(rf"^(.*?[^\d\s.,，])\s+((?:{_NUM}\s*{_UNIT}?\s+)*{_NUM}\s*{_UNIT}?)$")
_NUM_SPLIT_RE = re.compile(rf"{_NUM}\s*{_UNIT}?")


def parse_number(raw: str) -> tuple[CellStatus, int | float | None]:
    """Classify one cell's text: a number (0 included), blank, a placeholder, or unreadable."""
    text = nfkc(raw).strip()
    if not text:
        return CellStatus.BLANK, None
    if text in _PLACEHOLDERS:
        return CellStatus.PLACEHOLDER, None
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


def split_label_numbers(raw: str) -> tuple[str, list[str]]:
    """Split ``"规章 0 0 0"`` into ``("规章", ["0", "0", "0"])``; also ``"0 0 0"`` into values."""
    text = nfkc(raw).strip()
    if not text:
        return "", []
    if is_value_text(text):
        return "", [text]
    parts = text.split()
    if len(parts) > 1 and all(is_value_text(p) for p in parts):
        return "", parts
    m = _TRAILING_NUMS_RE.match(text)
    if m:
        return m.group(1).strip(), _NUM_SPLIT_RE.findall(m.group(2))
    return raw.strip(), []


# ---------------------------------------------------------------- years and dates

_YEAR_RE = re.compile(r"((?:19|20)\d{2}|[二][〇零○Ｏ一二三四五六七八九]{3})\s*年")


def cn_year(text: str) -> int | None:
    """'二〇二三' → 2023; '2023' → 2023."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(ch in CN_DIGITS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    return None


def years_in(text: str) -> list[int]:
    out = []
    for m in _YEAR_RE.finditer(nfkc(text)):
        y = cn_year(m.group(1))
        if y and 1990 <= y <= 2100:
            out.append(y)
    return out


_DATE_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def dates_in(text: str) -> list[tuple[int, int, int]]:
    return [(int(a), int(b), int(c)) for a, b, c in _DATE_RE.findall(nfkc(text))]
