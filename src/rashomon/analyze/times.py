"""Time expressions: find dates, times, durations and sets and normalize them to TimeML values.

``find_times(text, published, doc)`` returns :class:`~rashomon.models.TimeExpression` items with
character offsets into ``text`` and TIMEX3 values anchored to the publication date: "Tuesday" ->
``2024-01-23``, "mid-February" -> ``2024-02`` + ``MID``, "This week" -> ``2024-W04``, "the spring
of 2022" -> ``2022-SP``, "18-month war" -> ``P18M``, "now" -> ``PRESENT_REF``.

Why hand-written: no installable library anchors news time expressions well. dateparser parses
single strings but fails "mid-February" and "early March", its ``search_dates`` splits "Jan. 29"
and reads "a three" as a date, knows no durations, sets or PRESENT_REF, and picks the year of a bare
month without looking at tense (STACK.md; the TimeBank baseline scores value F1 0.28). HeidelTime
and SUTime are Java; ctparse is wrong on news dates. So detection is ours (patterns as data in
``analyze/data/``, checked with the spaCy parse), and so is anchoring: tense of the clause for bare
weekdays, months and quarters, the last mentioned quarter for "a year ago" in financial reports.

Layout: :mod:`timex_lexicon` (word lists, patterns), :mod:`timex_detect` (matching, checks,
overlaps), :mod:`timex_calendar` (calendar arithmetic, tense), :mod:`timex_normalize` (dates),
:mod:`timex_periods` (quarters, reporting periods) and :mod:`timex_durations` (durations, sets,
times of day). Cost: well under 5 ms per 650-word article.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from functools import lru_cache
from typing import Any, Callable

from rashomon.analyze import timex_durations as durs
from rashomon.analyze import timex_normalize as norm
from rashomon.analyze import timex_periods as periods
from rashomon.analyze.timex_detect import Candidate, DocView, detect
from rashomon.analyze.timex_lexicon import load_lexicon
from rashomon.models import TimeExpression

log = logging.getLogger(__name__)

_DCT = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
Normalizer = Callable[[Candidate, norm.Context], norm.Result]


def _normalizers() -> dict[str, Normalizer]:
    table: dict[str, Normalizer] = {}
    for module in (norm, periods, durs):
        for name in dir(module):
            if name.startswith("n_"):
                table[name[2:]] = getattr(module, name)
    return table


NORMALIZERS = _normalizers()


def parse_published(published: str | None) -> dt.date | None:
    """The publication date of an ISO 8601 date or date-time (None when absent or unreadable)."""
    if not published:
        return None
    m = _DCT.match(published)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _tense_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words that point a clause ahead ("plans to") and irregular past verbs, as sets (built once)."""
    words = load_lexicon().words
    return frozenset(words["future_governors"]), frozenset(words["irregular_past"])


# rules whose values may anchor later anaphoric expressions ("that year", "a year earlier")
REFERENCE_RULES = frozenset(("iso", "numdate", "mdy", "dmy", "my", "month", "year", "quarter", "qnum", "weekday",
                             "deictic", "relunit", "season", "year_season", "holiday", "time", "time24",
                             "named_time"))
_SHIFTED = re.compile(r"year-|prior-year|last year's|next year's|the same")


def find_times(text: str, published: str | None, doc: Any = None) -> list[TimeExpression]:
    """Time expressions in ``text``, normalized against ``published`` (ISO date or date-time, or None).

    ``doc`` is the spaCy Doc of ``text`` (or of its beginning) when available: its tags and parse
    decide tense and filter "May" the verb, names and counts. Without a publication date,
    expressions relative to it get value None; absolute ones keep their values.
    """
    if not text:
        return []
    lex = load_lexicon()
    view = DocView(doc)
    governors, past_words = _tense_words()
    ctx = norm.Context(dct=parse_published(published), text=text, view=view, lex=lex, governors=governors,
                       past_words=past_words)
    out: list[TimeExpression] = []
    for c in detect(text, lex, view):
        try:
            type_, value, mod = _normalize(c, ctx)
        except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError) as exc:
            log.debug("time expression %r at %d not normalized: %s", text[c.start:c.end], c.start, exc)
            continue
        out.append(TimeExpression(text=text[c.start:c.end], start=c.start, end=c.end, type=type_,
                                  value=value, mod=mod))
    return out


def _normalize(c: Candidate, ctx: norm.Context) -> norm.Result:
    if c.day is not None:
        _, day_value, _ = NORMALIZERS[c.day.rule.name](c.day, ctx)
        point = durs.point_of(day_value)
        if point is not None:
            ctx.add_ref(c.start, point)
        return durs.n_time(c, ctx, day_value, True)
    type_, value, mod = NORMALIZERS[c.rule.name](c, ctx)
    if c.rule.name == "quarter" and _SHIFTED.match(c.g("det") or ""):
        return type_, value, mod
    if type_ in ("DATE", "TIME") and c.rule.name in REFERENCE_RULES:
        point = durs.point_of(value if type_ == "DATE" else (value or "")[:10])
        if point is not None:
            ctx.add_ref(c.start, point)
    return type_, value, mod


class TimeTagger:
    """Analysis component: adds ``times`` (TimeML-normalized time expressions) to the results."""

    name = "times"
    reads = ("doc",)
    writes = ("times",)
    version = 1

    def __call__(self, state) -> None:
        state.results.times = find_times(state.article.text, state.article.published, doc=state.doc)
