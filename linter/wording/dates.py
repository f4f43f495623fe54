"""Years and dates as reports print them: 2023年, 二〇二三年, 2024年1月25日, 2024年1月."""

from __future__ import annotations

import datetime as dt
import re

from linter.textutil import nfkc

CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
FIGURES = r"(?:19|20)\d{2}"  # a year in figures
YEAR = rf"{FIGURES}|[二][〇零○Ｏ一二三四五六七八九]{{3}}"  # in figures or in Chinese numerals (二〇二三)
YEAR_RE = re.compile(rf"({YEAR})\s*年")
DATE = rf"({FIGURES})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日"  # groups: year, month, day
DATE_RE = re.compile(DATE)
DAY_RE = re.compile(rf"(?:({FIGURES})\s*年\s*)?(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日")  # the year may be left out
MONTH_RE = re.compile(rf"{FIGURES}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?")  # a date, or a month of a year


def cn_year(text: str) -> int | None:
    """'二〇二三' → 2023; '2023' → 2023."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(ch in CN_DIGITS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    return None


def years_in(text: str) -> list[int]:
    """Every year printed as “…年” in the text, in figures or in Chinese numerals."""
    out = []
    for m in YEAR_RE.finditer(nfkc(text)):
        y = cn_year(m.group(1))
        if y and 1990 <= y <= 2100:
            out.append(y)
    return out


def dates_in(text: str) -> list[tuple[int, int, int]]:
    """Every full date (year, month, day) printed in the text."""
    return [(int(a), int(b), int(c)) for a, b, c in DATE_RE.findall(nfkc(text))]


# a date as page metadata and file headers print it: 2024-01-25, 2024/1/25, 2024.1.25, 2024年1月25日
_ANY_DATE = re.compile(rf"({FIGURES})\s*[-/.年]\s*(\d{{1,2}})\s*[-/.月]\s*(\d{{1,2}})")


def calendar_date(text: str | None) -> tuple[int, int, int] | None:
    """The first date in ``text`` in any of the usual forms, when it is a calendar date
    (2024-02-30 is none)."""
    m = _ANY_DATE.search(text or "")
    day = tuple(map(int, m.groups())) if m else None
    return day if day and is_calendar_date(*day) else None


def is_calendar_date(y: int, m: int, d: int) -> bool:
    """True for a day the calendar has (2024年2月30日 is none)."""
    try:
        dt.date(y, m, d)
    except ValueError:
        return False
    return True
