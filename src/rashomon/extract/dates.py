"""Dates in scraped news text: date lines and a publication date inferred from the story itself.

A date line is a short line such as "January 29, 2024 3:49 PM", "Published 2024-01-29 | 15:49",
"29 Jan 2024" or "Updated: 19 November 2019, 09:01 AM"; ``read_date_line`` returns its dates with
their role (published or modified). ``infer_published`` is the fallback when a page shows no date:
the latest absolute date the text mentions is a lower bound, and a weekday mention that falls on
that date ("the Kremlin said Tuesday", Jan. 23, 2024 being a Tuesday) pins the day.

Why hand-written: dateparser reads one date string well but costs about a millisecond per call and
cannot say which line of a page is its date line nor what the weekdays of a story imply. The common
news formats are read here with precompiled patterns (month names kept as data in
``data/date_words.json``); dateparser is only asked about short lines that a cue marks as a date
line but that no pattern reads.

Speed: a case-insensitive pattern with a hundred month names costs about a microsecond per word it
is tried at, so ``find_dates`` never runs it over a whole story. Every date holds a four-digit year,
found with ``str.find``; the pattern is then searched, case-sensitively, in the lower-cased window
of text around each year (the window is widened to the whole text when long runs of whitespace could
stretch a date beyond it). The result is what ``DATE_PATTERN.finditer`` over the text gives.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Iterable, Literal

log = logging.getLogger(__name__)

DateRole = Literal["published", "modified"]

_WORDS = json.loads(resources.files("rashomon.extract").joinpath("data/date_words.json").read_text("utf-8"))
MONTHS: dict[str, int] = _WORDS["months"]
WEEKDAYS: dict[str, int] = _WORDS["weekdays"]


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation of words as a trie ("sep(?:t(?:ember)?)?"): the regex engine tries the
    alternatives of a group one by one, so a trie tries a few first letters instead of a hundred
    month names at every position. Longer words still win over their prefixes ("september" over
    "sep"), as in a longest-first alternation."""
    return _trie(sorted(set(words)))


def _trie(words: list[str]) -> str:
    groups: dict[str, list[str]] = {}
    for word in words:
        if word:
            groups.setdefault(word[0], []).append(word[1:])
    branches = [re.escape(first) + _trie(rest) for first, rest in sorted(groups.items())]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in words else body


_MON = _alternation(MONTHS)
_WDAY = _alternation(list(WEEKDAYS) + [w[:3] for w in WEEKDAYS])
_YEAR = r"(?:19|20)\d\d"
DATE_PATTERN = re.compile(
    rf"(?<!\w)(?:(?:{_WDAY})\.?,?\s+)?(?:"
    rf"(?P<mon1>{_MON})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?,?\s+(?P<y1>{_YEAR})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th|er|º|°)?\.?\s+(?:de\s+)?(?P<mon2>{_MON})\.?,?\s+(?:de\s+)?(?P<y2>{_YEAR})"
    rf"|(?P<y3>{_YEAR})(?P<sep3>[-/.])(?P<m3>\d{{1,2}})(?P=sep3)(?P<d3>\d{{1,2}})"
    rf"|(?P<y4>{_YEAR})\s*[년年]\s*(?P<m4>\d{{1,2}})\s*[월月]\s*(?P<d4>\d{{1,2}})\s*[일日]?"
    rf"|(?P<a5>\d{{1,2}})(?P<sep5>[./-])(?P<b5>\d{{1,2}})(?P=sep5)(?P<y5>{_YEAR})"
    rf")(?!\d)",
    re.I)
# A time right after a date ("3:49 PM", "| 15:49", "at 09:01 a.m.", "T15:49").
TIME_AFTER = re.compile(
    r"\s*(?:[,|·•–—/@-]|\bat\b|\bum\b|à|às|alle|a las|kl\.?|T)?\s*(?:[,|·•–—/@-]\s*)?"
    r"(?P<h>\d{1,2})[:h.](?P<mi>[0-5]\d)(?::[0-5]\d)?(?:\.\d+)?\s*(?P<ap>[ap]\.?\s?m\b\.?)?",
    re.I)
# A time right before a date ("15:49, 29 January 2024").
TIME_BEFORE = re.compile(
    r"(?P<h>\d{1,2})[:h.](?P<mi>[0-5]\d)\s*(?P<ap>[ap]\.?\s?m\b\.?)?\s*(?:[,|·•–—/-]\s*)?(?:\w+,?\s+)?$", re.I)
YEAR_HINT = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
# DATE_PATTERN without re.I, for lower-cased text (month names are lower case in the data).
DATE_LOWER = _DATE_LOWER = re.compile(DATE_PATTERN.pattern)
_BEFORE, _AFTER = 80, 40           # a date's text before and after its year, whitespace runs < 6
_LONG_SPACE = re.compile(r"\s{6,}")
_WEEKDAY_TAILS: dict[bytes, list[tuple[bytes, int]]] = {}  # weekday names by their last three bytes
for _name, _number in sorted(WEEKDAYS.items(), key=lambda kv: -len(kv[0])):
    _WEEKDAY_TAILS.setdefault(_name.encode()[-3:], []).append((_name.encode(), _number))
WEEKDAY_MENTION = re.compile(rf"\b(?P<wd>{_alternation(WEEKDAYS)})\b", re.I)
MODIFIED_CUE = re.compile(rf"\b(?:{_alternation(_WORDS['modified_cues'])})\b", re.I)
PUBLISHED_CUE = re.compile(rf"\b(?:{_alternation(_WORDS['published_cues'])})\b", re.I)
FUTURE_CUE = re.compile(rf"\b(?:{_alternation(_WORDS['future_cues'])})\b[^.;]{{0,25}}$", re.I)


@dataclass(frozen=True)
class FoundDate:
    """A calendar date (and maybe a time) found at ``start:end`` of a string."""

    day: date
    hour: int | None
    minute: int | None
    start: int
    end: int

    def iso(self) -> str:
        """ISO 8601: ``2024-01-29T15:49`` with a time, ``2024-01-29`` without."""
        if self.hour is None:
            return self.day.isoformat()
        return f"{self.day.isoformat()}T{self.hour:02d}:{self.minute:02d}"


def _calendar_day(m: re.Match) -> date | None:
    g = m.groupdict()
    try:
        if g["y1"]:
            return date(int(g["y1"]), MONTHS[g["mon1"].lower()], int(g["d1"]))
        if g["y2"]:
            return date(int(g["y2"]), MONTHS[g["mon2"].lower()], int(g["d2"]))
        if g["y3"]:
            return date(int(g["y3"]), int(g["m3"]), int(g["d3"]))
        if g["y4"]:
            return date(int(g["y4"]), int(g["m4"]), int(g["d4"]))
        a, b, year = int(g["a5"]), int(g["b5"]), int(g["y5"])
        # 10/12/2024 is read the US way (month first), 10.12.2024 and 10-12-2024 day first,
        # unless the numbers allow only the other reading.
        month_first = (g["sep5"] == "/" and a <= 12) or b > 12
        return date(year, a, b) if month_first else date(year, b, a)
    except (ValueError, KeyError):
        return None


def _clock(m: re.Match | None) -> tuple[int | None, int | None]:
    if not m:
        return None, None
    hour, minute = int(m["h"]), int(m["mi"])
    ap = (m["ap"] or "").lower()
    if ap.startswith("p") and hour < 12:
        hour += 12
    elif ap.startswith("a") and hour == 12:
        hour = 0
    if hour > 23:
        return None, None
    return hour, minute


def find_dates(text: str, *, with_time: bool = False) -> list[FoundDate]:
    """Every full calendar date (day, month and year) in ``text``, in order."""
    found = []
    done = 0  # end of the last date: dates do not overlap
    for year in _year_starts(text):
        if year < done:
            continue
        m, shift = _date_at(text, done, year)
        if m is None:
            continue
        day = _calendar_day(m)
        start, end = m.start() + shift, m.end() + shift
        done = end
        if day is None:
            continue
        hour = minute = None
        if with_time:
            after = TIME_AFTER.match(text, end)
            if after:
                hour, minute = _clock(after)
                if hour is not None:
                    end = after.end()
            if hour is None:
                hour, minute = _clock(TIME_BEFORE.search(text[max(0, start - 20):start]))
        found.append(FoundDate(day, hour, minute, start, end))
    return found


def _year_starts(text: str) -> list[int]:
    """Start of every year ``YEAR_HINT`` finds, in order (``str.find`` is far faster than a scan)."""
    starts = []
    for prefix in ("19", "20"):
        i = text.find(prefix)
        while i >= 0:
            digits = text[i + 2:i + 4]
            if (len(digits) == 2 and digits.isdecimal() and not text[i + 4:i + 5].isdecimal()
                    and not (i and text[i - 1].isdecimal())):
                starts.append(i)
            i = text.find(prefix, i + 1)
    return sorted(starts) if len(starts) > 1 else starts


def _date_at(text: str, done: int, year: int) -> tuple[re.Match | None, int]:
    """The first ``DATE_PATTERN`` match from ``done`` on that may hold the year at ``year``, searched
    in the window around it, and the offset to add to the match's positions. A date's text spans at
    most ``_BEFORE`` characters before its year and ``_AFTER`` after it unless it holds a run of six
    or more spaces; then, or when the match reaches the window's end, the text itself is searched."""
    lo, hi = max(done, year - _BEFORE), min(len(text), year + 4 + _AFTER)
    if _LONG_SPACE.search(text, lo, hi):
        return DATE_PATTERN.search(text, done), 0
    left = 1 if lo else 0  # one character of context for the pattern's look-behind
    window = text[lo - left:hi].lower()
    if len(window) != hi - lo + left:  # lower-casing changed the length ("İ")
        return DATE_PATTERN.search(text, done), 0
    m = _DATE_LOWER.search(window, left)
    if m is not None and m.end() + lo - left >= hi < len(text):
        return DATE_PATTERN.search(text, done), 0
    return m, lo - left


def date_in(text: str, lo: int, hi: int) -> bool:
    """Whether ``DATE_PATTERN.search(text, lo, hi)`` finds a date (searched case-sensitively in the
    lower-cased window, as ``find_dates`` does)."""
    hi = min(hi, len(text))
    left = 1 if lo else 0
    window = text[lo - left:hi].lower()
    if len(window) != hi - lo + left:
        return DATE_PATTERN.search(text, lo, hi) is not None
    return _DATE_LOWER.search(window, left) is not None


def date_in_lowered(text: str, lo: int, hi: int) -> bool:
    """``date_in`` for text that is lower-cased already."""
    return _DATE_LOWER.search(text, lo, hi) is not None


def read_date_line(line: str) -> list[tuple[DateRole, str]]:
    """The dates of a date line with their role: "Updated ..." dates are ``modified``, others
    ``published``. Empty when the line holds no full date (dateparser is tried when a cue says
    the line is a date line but no pattern reads it)."""
    dates = find_dates(line, with_time=True)
    if not dates:
        if YEAR_HINT.search(line) and (PUBLISHED_CUE.search(line) or MODIFIED_CUE.search(line)):
            parsed = _dateparser_date(line)
            if parsed:
                return [(_role(line), parsed)]
        return []
    out: list[tuple[DateRole, str]] = []
    previous_end = 0
    for d in dates:
        out.append((_role(line[previous_end:d.start]), d.iso()))
        previous_end = d.end
    return out


def _role(prefix: str) -> DateRole:
    """Role of a date from the words before it: the last cue wins ("Published ... Updated ...")."""
    mod = [m.end() for m in MODIFIED_CUE.finditer(prefix)]
    pub = [m.end() for m in PUBLISHED_CUE.finditer(prefix)]
    if mod and (not pub or mod[-1] > pub[-1]):
        return "modified"
    return "published"


def _dateparser_date(line: str) -> str | None:
    """Slow path for date lines in formats the patterns do not read (logged at debug level)."""
    text = PUBLISHED_CUE.sub(" ", MODIFIED_CUE.sub(" ", line)).strip(" :|-–—,")
    if not text or len(text) > 60:
        return None
    parsed = _parse_with_dateparser(text)
    log.debug("dateparser read %r as %s", text, parsed)
    return parsed


@lru_cache(maxsize=1024)
def _parse_with_dateparser(text: str) -> str | None:
    import dateparser

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False}
    try:
        value = dateparser.parse(text, settings=settings)
    except (ValueError, TypeError, OverflowError):
        return None
    if not isinstance(value, datetime):
        return None
    if value.hour or value.minute:
        return value.strftime("%Y-%m-%dT%H:%M")
    return value.date().isoformat()


def infer_published(text: str, captions: list[str] | tuple[str, ...] = ()) -> str | None:
    """Publication date implied by the story, at the precision the evidence supports, or None.

    The latest absolute date mentioned (captions included; dates announced as future or deadlines
    left out) is a lower bound. If the text mentions that date's weekday ("said Tuesday"), the day
    is returned ("2024-01-23"). Weekday mentions that fall on none of that date's week mean the story
    came out a few days later: only the month is returned, and only when those days all fall in one
    month. Without weekday mentions the month of the latest date is returned. No absolute date, or
    weekdays pointing to different months: None.
    """
    chunks = [(chunk, find_dates(chunk)) for chunk in [*captions, text]]
    days = [d.day for chunk, dated in chunks for d in dated
            if not FUTURE_CUE.search(chunk[max(0, d.start - 40):d.start])]
    if not days:
        return None   # (most pages: the weekday mentions need not be looked for)
    weekdays: set[int] = set()
    for chunk, dated in chunks:
        spans = [(d.start, d.end) for d in dated]
        for start, weekday in _weekday_mentions(chunk):
            if not any(s <= start < e for s, e in spans):
                weekdays.add(weekday)
    latest = max(days)
    if not weekdays:
        return f"{latest.year:04d}-{latest.month:02d}"
    if latest.weekday() in weekdays:
        return latest.isoformat()
    later = [latest + timedelta(days=k) for k in range(1, 7) if (latest.weekday() + k) % 7 in weekdays]
    months = {(d.year, d.month) for d in [latest, *later]}
    if len(months) == 1:
        return f"{latest.year:04d}-{latest.month:02d}"
    log.debug("publication date not inferred: weekdays %s after %s span months", sorted(weekdays), latest)
    return None


def _weekday_mentions(text: str) -> list[tuple[int, int]]:
    """(position, weekday) of each ``WEEKDAY_MENTION`` in ``text``. The names' common endings
    ("day") are found with ``bytes.find`` in the ASCII-lower-cased UTF-8 text and the names and word
    boundaries checked there (a case-insensitive scan of the whole text costs ten times more)."""
    data = text.encode("utf-8", "surrogatepass").lower()
    found = []
    for tail, names in _WEEKDAY_TAILS.items():
        i = data.find(tail)
        while i >= 0:
            end = i + len(tail)
            for name, number in names:
                if end >= len(name) and data.startswith(name, end - len(name)):
                    start = end - len(name)
                    if not text.isascii():
                        start = len(data[:start].decode("utf-8", "surrogatepass"))
                    if not (_word_char(text, start - 1) or _word_char(text, start + len(name.decode()))):
                        found.append((start, number))
                    break
            i = data.find(tail, end)
    return sorted(found)


def _word_char(text: str, i: int) -> bool:
    """True when ``text[i]`` exists and is a word character (``\\w``)."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")
