"""TimeML values for detected time expressions, anchored to the publication date or to the discourse.

Deictic expressions ("Tuesday", "last year", "this week", "in September") are anchored to the
publication date (DCT) and the tense of their clause; anaphoric ones ("a year earlier", "the
latest quarter", "that year", "the following day") to the last calendar time the text mentioned
(financial reports compare "the third quarter" with "a year ago", meaning that quarter a year
before). Without a publication date, anything relative to it gets value None.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rashomon.analyze import timex_calendar as cal
from rashomon.analyze.timex_calendar import Point
from rashomon.analyze.timex_detect import Candidate, DocView
from rashomon.analyze.timex_lexicon import Lexicon, norm_key, parse_number

Result = tuple[str, str | None, str | None]  # (type, value, mod)
QUARTER_WINDOW = 1000  # characters back (a few paragraphs) in which a mentioned quarter frames "a year ago"
MAX_LOOKBACK = 10_000  # characters: the farthest any anaphoric expression looks back for its anchor
MAX_TENSE_DAYS = 310  # a bare date follows its clause's tense only up to ~10 months from the DCT
_ORD_Q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
          "final": 4, "last": 4}
_PAST_RELS = ("last", "past", "the past", "the last", "the previous", "the preceding", "previous", "this past",
              "the prior")
_NEXT_RELS = ("next", "the next", "the coming", "coming", "the upcoming", "this coming", "the following")
_ANAPHORIC_RELS = ("the following", "the previous", "the preceding", "the prior", "that")
_UNIT_GRAN = {"week": "W", "weekend": "WE", "month": "M", "year": "Y", "quarter": "Q", "half": "H",
              "decade": "DE", "century": "C", "millennium": "Y", "day": "D"}


@dataclass
class Context:
    """What normalizing one text needs: DCT, text, parse, lexicon and the calendar times seen so far."""

    dct: dt.date | None
    text: str
    view: DocView
    lex: Lexicon
    refs: list[tuple[int, Point]] = field(default_factory=list)
    governors: frozenset[str] = frozenset()
    past_words: frozenset[str] = frozenset()
    by_gran: dict[str, list[tuple[int, Point]]] = field(default_factory=dict)

    def add_ref(self, start: int, point: Point) -> None:
        """Remember a calendar time mentioned at ``start`` (texts are read in order)."""
        self.refs.append((start, point))
        self.by_gran.setdefault(point.gran, []).append((start, point))

    def tense(self, c: Candidate) -> str | None:
        return cal.tense_at(self.view, self.text, c.start, self.governors, self.past_words)

    def last(self, before: int, gran: str | None = None, window: int | None = None) -> Point | None:
        """The last calendar time mentioned before offset ``before`` (of granularity ``gran``), at most
        ``window`` characters back (:data:`MAX_LOOKBACK` at most, which keeps long texts linear)."""
        window = MAX_LOOKBACK if window is None else min(window, MAX_LOOKBACK)
        for start, p in reversed(self.refs if gran is None else self.by_gran.get(gran, ())):
            if start >= before:
                continue
            if before - start > window:
                return None
            return p
        return None

    def last_quarter(self, before: int, window: int | None = None, completed: bool = False) -> Point | None:
        """The last quarter mentioned before ``before``; ``completed``: only quarters already over at the DCT."""
        current = cal.at(self.dct, "Q").date() if self.dct else None
        window = MAX_LOOKBACK if window is None else min(window, MAX_LOOKBACK)
        for start, p in reversed(self.by_gran.get("Q", ())):
            if start >= before:
                continue
            if before - start > window:
                return None
            if not completed or current is None or p.date() < current:
                return p
        return None


def max_tense_days() -> int:
    """Read at call time, so that an evaluation can vary it."""
    return MAX_TENSE_DAYS


def pos_mod(pre: str | None, lex: Lexicon) -> str | None:
    """TIMEX3 mod of a position word ("early" -> START, "mid-" -> MID, "the end of" -> END)."""
    if not pre:
        return None
    key = norm_key(pre).rstrip("-").strip()
    key = re.sub(r"^the (?:very )?", "", key)
    return lex.words["position_modifiers"].get(key)


def approx_mod(mod: str | None, lex: Lexicon) -> str | None:
    return lex.words["approx_modifiers"].get(norm_key(mod)) if mod else None


def _month(c: Candidate, lex: Lexicon) -> int:
    return lex.months[c.g("mon").lower().rstrip(".")]


def _year(s: str | None) -> int | None:
    return int(s) if s else None


def _rel_key(s: str | None) -> str:
    return norm_key(s) if s else ""


# ------------------------------------------------------------------------------------- calendar dates

def n_iso(c, ctx) -> Result:
    y, m, d = int(c.g("y")), int(c.g("m")), int(c.g("d"))
    if c.g("H"):
        return "TIME", f"{y:04d}-{m:02d}-{d:02d}T{c.g('H')}:{c.g('M')}", None
    return "DATE", _valid_day(y, m, d), None


def _valid_day(y: int, m: int, d: int) -> str:
    """ISO date; raises ValueError for a day that does not exist ("Feb. 30"): the match is dropped."""
    return dt.date(y, m, d).isoformat()


def n_numdate(c, ctx) -> Result:
    y = int(c.g("y"))
    if y < 100:
        y += 1900 if y >= 50 else 2000
    return "DATE", _valid_day(y, int(c.g("m")), int(c.g("d"))), None


def n_mdy(c, ctx) -> Result:
    mon, d = _month(c, ctx.lex), int(re.match(r"\d+", c.g("d")).group())
    mod = pos_mod(c.g("pre"), ctx.lex)
    y = _year(c.g("y"))
    if y is not None:
        return "DATE", _valid_day(y, mon, d), mod
    if ctx.dct is None:
        return "DATE", None, mod
    options = []
    for yy in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1):
        try:
            dt.date(yy, mon, d)
            options.append(Point("D", yy, mon, d))
        except ValueError:
            continue
    if not options:
        raise ValueError(f"no such day: {mon}/{d}")
    return "DATE", cal.pick(options, ctx.dct, ctx.tense(c), max_tense_days()).value, mod


n_dmy = n_mdy


def n_my(c, ctx) -> Result:
    year = int(c.g("y")) if c.g("y") else int(n_spoken_year(c, ctx)[1])
    return "DATE", Point("M", year, _month(c, ctx.lex)).value, pos_mod(c.g("pre"), ctx.lex)


def n_month(c, ctx) -> Result:
    mon = _month(c, ctx.lex)
    mod = pos_mod(c.g("pre"), ctx.lex)
    rel, ry = _rel_key(c.g("rel")), _rel_key(c.g("ry"))
    if rel == "that":
        ref = ctx.last(c.start)
        return ("DATE", Point("M", ref.year, mon).value, mod) if ref else ("DATE", None, mod)
    if ctx.dct is None:
        return "DATE", None, mod
    y0 = ctx.dct.year
    if ry:
        return "DATE", Point("M", y0 + {"this": 0, "last": -1, "next": 1}[ry], mon).value, mod
    cur = ctx.dct.month
    if rel in ("last", "past", "this past"):
        return "DATE", Point("M", y0 if mon < cur else y0 - 1, mon).value, mod
    if rel in ("next", "coming", "this coming"):
        return "DATE", Point("M", y0 if mon > cur else y0 + 1, mon).value, mod
    if rel == "this":
        return "DATE", Point("M", y0, mon).value, mod
    options = [Point("M", y, mon) for y in (y0 - 1, y0, y0 + 1)]
    return "DATE", cal.pick(options, ctx.dct, ctx.tense(c), max_tense_days()).value, mod


def n_year(c, ctx) -> Result:
    return "DATE", f"{int(c.g('y')):04d}", pos_mod(c.g("pre"), ctx.lex)


def n_decade(c, ctx) -> Result:
    mod = pos_mod(c.g("pre"), ctx.lex)
    if c.g("dec"):
        return "DATE", c.g("dec")[:3], mod
    tens = int(c.g("dec2")[0]) if c.g("dec2") else 2 + ("twenties thirties forties fifties sixties seventies "
                                                         "eighties nineties".split().index(c.g("decw").lower()))
    base = ctx.dct.year if ctx.dct else 1999
    year = 2000 + tens * 10
    if year > base:
        year -= 100
    return "DATE", f"{year // 10:03d}", mod


def n_century(c, ctx) -> Result:
    o = c.g("ord").lower()
    n = ctx.lex.words["ordinals"].get(o) or int(re.match(r"\d+", o).group())
    return "DATE", f"{n - 1:02d}", pos_mod(c.g("pre"), ctx.lex)


def n_spoken_year(c, ctx) -> Result:
    words = norm_key(c.g("sy")).replace("-", " ").split()
    if words[0] == "nineteen":
        rest = [w for w in words[1:] if w not in ("o", "oh")]
        tail = 0 if rest == ["hundred"] else int(parse_number(" ".join(rest), ctx.lex) or 0)
        return "DATE", f"{1900 + tail:04d}", None
    rest = [w for w in words[2:] if w != "and"]
    return "DATE", f"{2000 + int(parse_number(' '.join(rest), ctx.lex) or 0):04d}", None


def n_holiday(c, ctx) -> Result:
    spec = ctx.lex.words["holidays"][norm_key(c.g("hol"))]
    y = _year(c.g("y"))
    if y is None:
        if ctx.dct is None:
            return "DATE", None, None
        options = [p for p in (_holiday(spec, yy) for yy in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)) if p]
        return "DATE", cal.pick(options, ctx.dct, ctx.tense(c)).value, None
    p = _holiday(spec, y)
    return "DATE", p.value if p else None, None


def _holiday(spec: str, year: int) -> Point | None:
    if spec.startswith("EASTER"):
        return cal.day(cal.easter(year) + dt.timedelta(days=int(spec[6:] or 0)))
    month, rest = spec.split("-")
    if rest.isdigit():
        return Point("D", year, int(month), int(rest))
    wd = {"MO": 1, "TH": 4}[rest[:2]]
    n = -1 if rest[2] == "L" else int(rest[2])
    return cal.day(cal.nth_weekday(year, int(month), wd, n))


# ------------------------------------------------------------------------------------ days and weeks

def _weekday_date(c, ctx, wd: int, rel: str) -> dt.date | None:
    if rel == "that":
        ref = ctx.last(c.start, "D")
        base = ref.date() if ref else ctx.dct
    else:
        base = ctx.dct
    if base is None:
        return None
    back = base - dt.timedelta(days=(base.isoweekday() - wd) % 7)
    fwd = base + dt.timedelta(days=(wd - base.isoweekday()) % 7)
    if rel in ("last", "past", "this past"):
        return back if back != base else back - dt.timedelta(days=7)
    if rel in ("next", "coming", "this coming"):
        return fwd if fwd != base else fwd + dt.timedelta(days=7)
    tense = ctx.tense(c)
    if tense == "PAST":
        return back
    if tense == "FUTURE":
        return fwd
    return back if (base - back) <= (fwd - base) else fwd


def n_weekday(c, ctx) -> Result:
    wd = ctx.lex.weekdays[c.g("wd").lower().rstrip(".")]
    mod = pos_mod(c.g("pre"), ctx.lex)
    d = _weekday_date(c, ctx, wd, _rel_key(c.g("rel")))
    pod = c.g("pod")
    if pod:
        code = ctx.lex.words["parts_of_day"][pod.lower()]
        return "TIME", (d.isoformat() + "T" + code) if d else None, mod
    return "DATE", d.isoformat() if d else None, mod


_DEICTIC = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
            "the day after tomorrow": 2}


def n_deictic(c, ctx) -> Result:
    w = norm_key(c.g("w"))
    mod = pos_mod(c.g("pre"), ctx.lex)
    d = ctx.dct + dt.timedelta(days=_DEICTIC[w]) if ctx.dct else None
    pod = c.g("pod")
    code = ctx.lex.words["parts_of_day"][pod.lower()] if pod else ("NI" if w == "tonight" else None)
    if code:
        return "TIME", (d.isoformat() + "T" + code) if d else None, mod
    return "DATE", d.isoformat() if d else None, mod


n_pod_day = n_deictic


def n_this_pod(c, ctx) -> Result:
    rel = norm_key(c.g("rel"))
    code = ctx.lex.words["parts_of_day"][c.g("pod").lower()]
    mod = pos_mod(c.g("pre"), ctx.lex)
    if rel == "that":
        ref = ctx.last(c.start, "D")
        return "TIME", (ref.value + "T" + code) if ref else None, mod
    if ctx.dct is None:
        return "TIME", None, mod
    d = ctx.dct - dt.timedelta(days=1) if rel == "last" else ctx.dct
    return "TIME", d.isoformat() + "T" + code, mod


# ------------------------------------------------------------------------------ relative calendar units

def _season_point(code: str, base: dt.date, step: int, tense: str | None) -> Point:
    """The season ``code`` relative to ``base``: step -1 last, +1 next, 0 this, None by tense."""
    cur_code = cal.season_of(base.month)
    cur_year = base.year + (1 if base.month == 12 else 0)
    idx_cur = cur_year * 4 + cal.SEASON_ORDER.index(cur_code)
    options = [Point("S", y, code) for y in (cur_year - 1, cur_year, cur_year + 1)]
    idx = {p: p.year * 4 + cal.SEASON_ORDER.index(code) for p in options}
    if step == -1:
        return max((p for p in options if idx[p] < idx_cur), key=idx.get)
    if step == 1:
        return min((p for p in options if idx[p] > idx_cur), key=idx.get)
    if step == 0 or tense is None or tense == "PRESENT":
        return Point("S", cur_year if code != "WI" or base.month >= 11 or base.month <= 2 else cur_year + 1, code) \
            if step == 0 else min(options, key=lambda p: abs(idx[p] - idx_cur))
    if tense == "PAST":
        return max((p for p in options if idx[p] <= idx_cur), key=idx.get)
    return min((p for p in options if idx[p] >= idx_cur), key=idx.get)


def n_relunit(c, ctx) -> Result:
    rel, unit = _rel_key(c.g("rel")), norm_key(c.g("unit"))
    mod = pos_mod(c.g("pre"), ctx.lex)
    step = -1 if rel in _PAST_RELS else 1 if rel in _NEXT_RELS else 0
    anaphoric = rel in _ANAPHORIC_RELS
    if unit in ctx.lex.words["seasons"]:
        code = ctx.lex.words["seasons"][unit]
        base = ctx.dct
        if anaphoric:
            ref = ctx.last(c.start)
            base = ref.date() if ref else base
        if base is None:
            return "DATE", None, mod
        return "DATE", _season_point(code, base, step, ctx.tense(c)).value, mod
    gran = _UNIT_GRAN[unit]
    if unit == "day":
        if rel in ("this", "current", "the current", "the present", "past", "coming"):
            raise ValueError(f"not a day expression: {rel} day")
        ref = ctx.last(c.start, "D")
        base = ref.date() if ref is not None else ctx.dct
        if base is None:
            return "DATE", None, mod
        return "DATE", cal.day(base + dt.timedelta(days=step)).value, mod
    if unit == "quarter" and rel == "this":
        ref = ctx.last_quarter(c.start)
        if ref is not None:
            return "DATE", ref.value, mod
    base_point = None
    if anaphoric:
        ref = ctx.last(c.start)
        if ref is not None:
            base_point = cal.at(ref.date(), gran) if gran not in ("DE", "C") else Point(gran, ref.year)
    if base_point is None:
        if ctx.dct is None:
            return "DATE", None, mod
        base_point = cal.at(ctx.dct, gran) if gran not in ("DE", "C") else Point(gran, ctx.dct.year)
    if gran == "WE":
        if ctx.dct and ctx.dct.isoweekday() >= 6 and step == 0:
            return "DATE", base_point.value, mod
        p = cal.shift(base_point, step, "W")
    elif gran == "DE":
        p = Point("DE", base_point.year // 10 * 10 + 10 * step)
    elif gran == "C":
        p = Point("C", base_point.year // 100 * 100 + 100 * step)
    else:
        p = cal.shift(base_point, step, gran) if step else base_point
    return "DATE", p.value if p else None, mod
