"""TimeML values for quarters, halves and reporting periods ("third-quarter", "the latest quarter",
"the year-ago period", "a year earlier" in a results story).

Financial news compares a period with the same period a year before; the period in question is the
last quarter the story mentioned (already over at the publication date for "latest" and "year-ago").
Companion of :mod:`timex_normalize`, same normalizer signature.
"""
from __future__ import annotations

import re

from rashomon.analyze import timex_calendar as cal
from rashomon.analyze import timex_normalize as norm
from rashomon.analyze.timex_calendar import Point
from rashomon.analyze.timex_normalize import _ORD_Q, _UNIT_GRAN, Result, _year, norm_key, pos_mod


def _quarter_from_end(ctx, end: int) -> int | None:
    """"the quarter ended Sept. 30" -> 3: the quarter holding the month before the closing month."""
    m = re.match(r"\s+([A-Za-z]{3,9})\.?\s+\d", ctx.text[end:end + 20])
    if not m or m.group(1).lower() not in ctx.lex.months:
        return None
    month = ctx.lex.months[m.group(1).lower()]
    return ((month - 2) % 12) // 3 + 1


def n_theunit(c, ctx) -> Result:
    """"the quarter", "the latest period", "the year-ago quarter", "that year", "the weekend", "the year
    ended June 30" (a duration): a unit named by a determiner, anchored to the story or the DCT."""
    det, unit = norm_key(c.g("det")), norm_key(c.g("unit"))
    after = norm_key(c.g("after")) if c.g("after") else ""
    mod = pos_mod(c.g("pre"), ctx.lex)
    if unit == "year" and after in ("ended", "ending", "just ended"):
        return "DURATION", "P1Y", mod
    back = -1 if ("year-" in det or "prior-year" in det or "last year's" == det or after in (
        "a year ago", "a year earlier", "last year", "of last year", "in the previous year")) else 0
    fwd = 1 if det == "next year's" else 0
    explicit_year = _year(c.g("dy"))
    if unit in ("quarter", "period"):
        q_end = _quarter_from_end(ctx, c.match.end()) if after in ("ended", "ending", "just ended") else None
        latest = det in ("the latest", "the most recent")
        window = None if unit == "quarter" or latest else norm.QUARTER_WINDOW
        ref = ctx.last_quarter(c.start, window, completed=latest or bool(back))
        if explicit_year is not None:
            if ref is not None:
                return "DATE", Point("Q", explicit_year, ref.sub).value, mod
            return "DATE", f"{explicit_year:04d}", mod
        if ref is None and ctx.dct is not None:
            if q_end is not None:
                ref = cal.pick([Point("Q", y, q_end) for y in (ctx.dct.year - 1, ctx.dct.year)], ctx.dct, "PAST")
            elif det == "the current" or det == "the same" or unit == "period" and back:
                ref = cal.at(ctx.dct, "Q")
            else:
                ref = cal.shift(cal.at(ctx.dct, "Q"), -1, "Q")
        if ref is None:
            return "DATE", None, mod
        if q_end is not None and ref.sub != q_end:
            ref = Point("Q", ref.year, q_end)
        if det in ("this year's", "last year's", "next year's") and ctx.dct:
            ref = Point("Q", ctx.dct.year + back + fwd, ref.sub)
            return "DATE", ref.value, mod
        return "DATE", cal.shift(ref, back, "Y").value, mod
    gran = _UNIT_GRAN[unit]
    if explicit_year is not None:
        return "DATE", f"{explicit_year:04d}", mod
    if unit == "weekend" and ctx.dct is not None:
        we = cal.at(ctx.dct, "WE")
        tense = ctx.tense(c)
        if ctx.dct.isoweekday() < 6:
            if tense == "PAST" or tense is None and ctx.dct.isoweekday() <= 2:
                we = cal.shift(we, -1, "W")
        return "DATE", we.value, mod
    ref = ctx.last(c.start, window=norm.QUARTER_WINDOW)
    if det in ("this year's", "last year's", "next year's") and ctx.dct is not None:
        return "DATE", str(ctx.dct.year + back + fwd), mod
    if det in ("that", "the same") or (ref is not None and gran in ("D", "M") and det == "the"):
        if ref is None:
            return "DATE", None, mod
        base = cal.at(ref.date(), gran) if ref.gran not in ("Y", "DE", "C") or gran == "Y" else None
        if base is None:
            return "DATE", None, mod
        return "DATE", cal.shift(base, back, "Y").value, mod
    if ctx.dct is None:
        return "DATE", None, mod
    return "DATE", cal.shift(cal.at(ctx.dct, gran), back, "Y").value, mod


def n_quarter(c, ctx) -> Result:
    ordw = norm_key(c.g("ord"))
    unit = norm_key(c.g("unit"))
    det = norm_key(c.g("det")) if c.g("det") else ""
    if ordw in ("first three",):
        return "DURATION", "P9M", None
    if ordw == "last two":
        return "DURATION", "P6M", None
    half = unit.startswith("half") or ordw == "first two"
    gran = "H" if half else "Q"
    sub = 1 if ordw == "first two" else _ORD_Q[ordw]
    if half:
        sub = 1 if sub == 1 else 2
    y = _year(c.g("y")) or _year(c.g("qy")) or _year(c.g("qy2"))
    if y is None and c.g("ofyear") and ctx.dct:
        ref = ctx.last(c.start, "Y")
        y = ref.year if ref else ctx.dct.year
    if y is None and c.g("ry") and ctx.dct:
        y = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[norm_key(c.g("ry"))]
    if y is None and det in ("this year's", "last year's", "next year's") and ctx.dct:
        y = ctx.dct.year + {"this year's": 0, "last year's": -1, "next year's": 1}[det]
    if y is not None:
        return "DATE", Point(gran, y, sub).value, None
    if ctx.dct is None:
        return "DATE", None, None
    p = _pick_period(gran, sub, ctx, c)
    if det in ("the year-ago", "the year-earlier", "the prior-year", "the year-before"):
        p = cal.shift(p, -1, "Y")
    elif det in ("next",):
        p = cal.shift(cal.at(ctx.dct, gran), 1, gran)
    return "DATE", p.value, None


def n_qnum(c, ctx) -> Result:
    q = c.g("q").upper()
    y = _year(c.g("y")) or _year(c.g("y2"))
    gran, sub = q[0], int(q[1])
    if y is not None:
        return "DATE", Point(gran, y, sub).value, None
    if ctx.dct is None:
        return "DATE", None, None
    return "DATE", _pick_period(gran, sub, ctx, c).value, None


def _pick_period(gran: str, sub: int, ctx, c) -> Point:
    """A quarter or half without a year: the latest one begun by the DCT, or the next one or two when
    the clause speaks of the future (reports discuss past quarters in the future tense too)."""
    options = [Point(gran, yy, sub) for yy in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)]
    past = cal.pick(options, ctx.dct, "PAST")
    if ctx.tense(c) == "FUTURE":
        future = cal.pick(options, ctx.dct, "FUTURE")
        ahead = (future.year - ctx.dct.year) * (4 if gran == "Q" else 2) + future.sub - cal.at(ctx.dct, gran).sub
        if 0 < ahead <= (2 if gran == "Q" else 1):
            return future
    return past


def n_yearago_adj(c, ctx) -> Result:
    ref = ctx.last_quarter(c.start, norm.QUARTER_WINDOW, completed=True)
    if ref is not None:
        return "DATE", cal.shift(ref, -1, "Y").value, None
    if ctx.dct is None:
        return "DATE", None, None
    return "DATE", str(ctx.dct.year - 1), None
