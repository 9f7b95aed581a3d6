"""Calendar arithmetic for TimeML values, and the tense that decides which way a bare date points.

A :class:`Point` is a calendar unit at some granularity (day, ISO week, weekend, month, quarter,
half, season, year, decade, century); it prints as its TimeML value and shifts by whole units.
``pick`` chooses among the occurrences of a bare "Tuesday"/"September"/"Sept. 16" the one that the
tense of its clause points to: past -> on or before the publication date, future -> on or after,
unknown -> the nearest. ``tense_at`` reads the tense from the spaCy parse (or, without a doc, from
auxiliary words nearby).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

SEASON_ORDER = ("WI", "SP", "SU", "FA")  # by the month each starts in: WI counts with its January


@dataclass(frozen=True)
class Point:
    """``gran``: D, W, WE, M, Q, H, S, Y, DE (decade) or C (century); ``sub``: month/week/quarter/half/season."""

    gran: str
    year: int
    sub: int | str = 0
    day: int = 0

    @property
    def value(self) -> str:
        g, y = self.gran, self.year
        if g == "D":
            return f"{y:04d}-{self.sub:02d}-{self.day:02d}"
        if g == "W":
            return f"{y:04d}-W{self.sub:02d}"
        if g == "WE":
            return f"{y:04d}-W{self.sub:02d}-WE"
        if g == "M":
            return f"{y:04d}-{self.sub:02d}"
        if g in ("Q", "H"):
            return f"{y:04d}-{g}{self.sub}"
        if g == "S":
            return f"{y:04d}-{self.sub}"
        if g == "DE":
            return f"{y // 10:03d}"
        if g == "C":
            return f"{y // 100:02d}"
        return f"{y:04d}"

    def date(self) -> dt.date:
        """The first day of the unit (for ordering and for shifting days)."""
        g = self.gran
        if g == "D":
            return dt.date(self.year, self.sub, self.day)
        if g in ("W", "WE"):
            return dt.date.fromisocalendar(self.year, self.sub, 6 if g == "WE" else 1)
        if g == "M":
            return dt.date(self.year, self.sub, 1)
        if g == "Q":
            return dt.date(self.year, 3 * self.sub - 2, 1)
        if g == "H":
            return dt.date(self.year, 6 * self.sub - 5, 1)
        if g == "S":
            return dt.date(self.year, 3 * SEASON_ORDER.index(self.sub), 1) if self.sub != "WI" \
                else dt.date(self.year, 1, 1)
        return dt.date(self.year, 1, 1)


def day(d: dt.date) -> Point:
    return Point("D", d.year, d.month, d.day)


def at(d: dt.date, gran: str) -> Point:
    """The unit of granularity ``gran`` that contains day ``d``."""
    if gran == "D":
        return day(d)
    if gran in ("W", "WE"):
        y, w, _ = d.isocalendar()
        return Point(gran, y, w)
    if gran == "M":
        return Point("M", d.year, d.month)
    if gran == "Q":
        return Point("Q", d.year, (d.month - 1) // 3 + 1)
    if gran == "H":
        return Point("H", d.year, 1 if d.month <= 6 else 2)
    if gran == "S":
        return Point("S", d.year, season_of(d.month))
    return Point(gran, d.year)


def season_of(month: int) -> str:
    return ("WI", "WI", "SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA", "WI")[month - 1]


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def shift(p: Point, n: int, unit: str) -> Point | None:
    """``p`` moved by ``n`` units (D, W, M, Q, Y); None when the unit does not fit the granularity."""
    months = {"M": 1, "Q": 3, "Y": 12, "H": 6}.get(unit)
    g = p.gran
    if g in ("Y", "DE", "C"):
        if unit != "Y":
            return None
        return replace(p, year=p.year + n)
    if g == "S":
        return replace(p, year=p.year + n) if unit == "Y" else None
    if g == "H":
        if unit == "Y":
            return replace(p, year=p.year + n)
        if unit == "H":
            y, h = divmod(p.sub - 1 + n, 2)
            return Point("H", p.year + y, h + 1)
        return None
    if g == "Q":
        if months is None or months < 3:
            return None
        y, q = divmod(p.sub - 1 + n * months // 3, 4)
        return Point("Q", p.year + y, q + 1)
    if g == "M":
        if months is None:
            return None
        return at(add_months(p.date(), n * months), "M")
    if g in ("W", "WE"):
        if unit == "W":
            return at(p.date() + dt.timedelta(weeks=n), g)
        if unit == "Y":
            return Point(g, p.year + n, min(p.sub, 52))
        return None
    d = p.date()
    if unit == "D":
        return day(d + dt.timedelta(days=n))
    if unit == "W":
        return day(d + dt.timedelta(weeks=n))
    if months is not None:
        return day(add_months(d, n * months))
    return None


def pick(options: list[Point], ref: dt.date, tense: str | None, max_days: int | None = None) -> Point:
    """The option the tense points to: past -> latest on/before ``ref``, future -> first on/after, else nearest.

    With ``max_days``, the tense is followed only when its option is that close; farther, the
    nearest option wins (a bare "Dec. 7" is rarely ten months away, whatever the verb's tense).
    """
    options = sorted(options, key=lambda p: p.date())

    def contains(p: Point) -> bool:
        return at(ref, p.gran) == p if p.gran != "D" else p.date() == ref

    for p in options:
        if contains(p):
            return p
    past = [p for p in options if p.date() <= ref]
    future = [p for p in options if p.date() >= ref]
    chosen = past[-1] if tense == "PAST" and past else future[0] if tense == "FUTURE" and future else None
    if chosen is not None and (max_days is None or abs((_middle(chosen) - ref).days) <= max_days):
        return chosen
    return min(options, key=lambda p: (abs((_middle(p) - ref).days), p.date() > ref))


def _middle(p: Point) -> dt.date:
    nxt = shift(p, 1, {"D": "D", "W": "W", "WE": "W", "M": "M", "Q": "Q", "H": "H"}.get(p.gran, "Y"))
    return p.date() + (nxt.date() - p.date()) / 2 if nxt else p.date()


def easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month, dd = divmod(h + ll - 7 * m + 114, 31)
    return dt.date(year, month, dd + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (n=-1: last) ISO ``weekday`` (Monday=1) of a month."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


# ------------------------------------------------------------------------------------------------ tense

_FUTURE_AUX = frozenset(("will", "'ll", "shall", "wo", "ll"))
_MODAL = frozenset(("would", "could", "might", "may", "should", "must", "can", "ca", "'d"))
_HAVE = frozenset(("have", "has", "'ve", "had"))
_TEXT_FUTURE = re.compile(r"\b(?:will|won't|'ll|shall|would|might|could|may|going to|plans? to|expects? to|"
                          r"expected to|scheduled to|set to|due to|intends? to|to be held)\b", re.I)
_TEXT_PAST = re.compile(r"\b[a-z]{3,}ed\b", re.I)
_SENT_END = re.compile(r"[.!?]\s|\n")
_WORD = re.compile(r"[A-Za-z]+")


def verb_tense(v) -> str | None:
    """PAST, PRESENT or FUTURE of a verb token from its tag and auxiliaries (modals count as FUTURE)."""
    aux = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in aux}
    if words & _FUTURE_AUX or ("going" in words and "to" in words):
        return "FUTURE"
    if words & _MODAL:
        return "PAST" if words & _HAVE else "FUTURE"
    if v.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux):
        return "PAST"
    if v.tag_ == "VBN" and (words & _HAVE or not aux):
        return "PAST"
    if v.tag_ == "VB" and "to" in words:
        return "FUTURE"
    if v.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in aux):
        return "PRESENT"
    if v.tag_ == "MD":
        return "FUTURE"
    return None


def tense_at(view, text: str, start: int, governors: frozenset[str] = frozenset(),
             past_words: frozenset[str] = frozenset()) -> str | None:
    """The tense of the clause a time expression starting at ``start`` belongs to.

    Walks up the parse from the expression to its verb. An infinitive takes its tense from the word
    governing it: "plans to visit", "is expected to sign" point ahead (``governors``), "had been
    allowed to inspect" points back; a past "was scheduled to" gives no direction (None).
    """
    tok = view.token_at(start)
    if tok is None:
        return _tense_from_text(text, start, past_words)
    for _ in range(12):
        verbal = tok.pos_ in ("VERB", "AUX") and (tok.tag_ != "VBG" or any(c.dep_ == "aux" for c in tok.children))
        if verbal and tok.tag_ == "VB" and any(c.tag_ == "TO" for c in tok.children):
            gov = tok.head
            if gov is tok:
                return "FUTURE"
            if gov.lemma_.lower() in governors or gov.lower_ in governors:
                return None if verb_tense(gov) == "PAST" else "FUTURE"
            tok = gov
            continue
        if verbal:
            t = verb_tense(tok)
            if t is not None:
                return t
        if tok.head is tok:
            break
        tok = tok.head
    return None


def _tense_from_text(text: str, start: int, past_words: frozenset[str] = frozenset()) -> str | None:
    """Without a parse: the auxiliary or past-tense verb nearest to the expression in its sentence."""
    lo = max(0, start - 300)
    for m in _SENT_END.finditer(text, max(0, start - 300), start):
        lo = m.end()
    hi_m = _SENT_END.search(text, start, start + 300)
    hi = hi_m.start() if hi_m else min(len(text), start + 300)
    best, best_d = None, 10 ** 9
    for rx, label in ((_TEXT_FUTURE, "FUTURE"), (_TEXT_PAST, "PAST"), (_WORD, "PAST")):
        for m in rx.finditer(text, lo, hi):
            if rx is _WORD and m.group().lower() not in past_words:
                continue
            d = abs(m.start() - start)
            if d < best_d:
                best, best_d = label, d
    return best
