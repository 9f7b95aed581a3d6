"""TimeML values for durations, sets, times of day, seasons, "ago" offsets and reference words.

Companion of :mod:`timex_normalize` (calendar dates); same normalizer signature
``(candidate, context) -> (type, value, mod)``.
"""
from __future__ import annotations

import datetime as dt
import re

from rashomon.analyze import timex_calendar as cal
from rashomon.analyze import timex_normalize as norm
from rashomon.analyze.timex_calendar import Point
from rashomon.analyze.timex_normalize import Result, _season_point, approx_mod, norm_key, pos_mod
from rashomon.analyze.timex_lexicon import parse_number

SAME_DAY_WINDOW = 150  # characters back within which a mentioned day is the day of a bare "3 p.m."
_SMALLER = {("Y", False): (12, "M", False), ("M", False): (30, "D", False), ("W", False): (7, "D", False),
            ("D", False): (24, "H", True), ("H", True): (60, "M", True), ("M", True): (60, "S", True)}


def duration_value(n: float | None, unit: str, lex) -> str:
    """``P18M``, ``PT4H``, ``PXY`` (n None: unknown count), ``P1.5D`` avoided by moving to a smaller unit."""
    key = norm_key(unit)
    letter, mult, is_time = lex.words["units"][key]
    if n is None:
        vague = lex.words["vague_unit_letters"].get(key)
        return "P" + ("T" if is_time else "") + "X" + (vague or letter)
    n = n * mult
    if n != int(n) and (n * 2) == int(n * 2) and (letter, is_time) in _SMALLER:
        factor, letter, is_time = _SMALLER[(letter, is_time)]
        n = n * factor
    num = str(int(n)) if n == int(n) else f"{n:g}"
    return "P" + ("T" if is_time else "") + num + letter


def n_duration(c, ctx) -> Result:
    lex = ctx.lex
    if norm_key(c.g("num")) == "one" and norm_key(c.g("unit")) == "day" and not (c.g("det") or c.g("mod")):
        if re.search(r"\b(?:will|would|could|might|may|can|shall|'ll|to)\s+$", ctx.text[max(0, c.start - 12):c.start]):
            return "DATE", "FUTURE_REF", None
    n = parse_number(c.g("num"), lex)
    if c.g("half") and n is not None:
        n += 0.5
    return "DURATION", duration_value(n, c.g("unit"), lex), approx_mod(c.g("mod"), lex)


def n_bare_plural(c, ctx) -> Result:
    return "DURATION", duration_value(None, c.g("unit"), ctx.lex), None


def n_long_compound(c, ctx) -> Result:
    lc = norm_key(c.g("lc"))
    table = ctx.lex.words["long_compounds"]
    if lc in table:
        return ("DURATION", table[lc], None) if table[lc] else ("DURATION", None, None)
    return "DURATION", duration_value(1, c.g("lu"), ctx.lex), None


def n_half_units(c, ctx) -> Result:
    lex = ctx.lex
    mod = approx_mod(c.g("mod"), lex)
    if c.g("unit"):
        n, unit = parse_number(c.g("num"), lex), c.g("unit")
        return "DURATION", duration_value(None if n is None else n + 0.5, unit, lex), mod
    if c.g("unit4"):
        n = parse_number(c.g("num3"), lex)
        return "DURATION", duration_value(None if n is None else n + 0.5, c.g("unit4"), lex), mod
    unit = norm_key(c.g("unit2") or c.g("unit3")).replace("half-", "").replace("half ", "")
    return "DURATION", duration_value(0.5, unit, lex), mod


def n_ago(c, ctx) -> Result:
    lex = ctx.lex
    direction = norm_key(c.g("dir"))
    mod = approx_mod(c.g("mod"), lex)
    n = parse_number(c.g("num"), lex)
    sign = 1 if direction in ("later", "after", "from now", "hence", "on") else -1
    if c.extra.get("duration"):
        return "DURATION", duration_value(n, c.g("unit"), lex), mod
    if n is None:
        return "DATE", "FUTURE_REF" if sign > 0 else "PAST_REF", mod
    letter, mult, is_time = lex.words["units"][norm_key(c.g("unit"))]
    count = int(n * mult) if n * mult == int(n * mult) else None
    if is_time:  # "two hours ago", "a couple hours earlier": that day
        ref = ctx.last(c.start, "D", SAME_DAY_WINDOW) if direction != "ago" else None
        day_value = ref.value if ref is not None else (ctx.dct.isoformat() if ctx.dct else None)
        return "DATE", day_value, mod
    if count is None:
        return "DATE", None, mod
    unit = {"Y": "Y", "M": "M", "W": "W", "D": "D", "Q": "Q", "WE": "W"}[letter]
    anaphoric = direction in ("earlier", "later", "before", "after", "prior", "on", "previously")
    base: Point | None = None
    if anaphoric or unit == "Y" and count == 1:
        ref = ctx.last_quarter(c.start, norm.QUARTER_WINDOW, completed=True) if unit in ("Y", "Q") else None
        if ref is None and anaphoric and not (unit == "Y" and count == 1):
            ref = ctx.last(c.start, None, norm.QUARTER_WINDOW)
            if ref is not None and ref.gran in ("W", "WE", "S", "DE", "C", "H"):
                ref = None
        base = ref
    if base is None:
        if ctx.dct is None:
            return "DATE", None, mod
        gran = {"Y": "Y", "M": "M", "W": "D", "D": "D", "Q": "Q"}[unit]
        base = cal.at(ctx.dct, gran)
    p = cal.shift(base, sign * count, unit)
    if p is None and base.gran in ("Y",) and unit in ("M", "Q"):
        p = cal.shift(cal.at(base.date(), unit), sign * count, unit)
    return "DATE", p.value if p else None, mod


def n_set(c, ctx) -> Result:
    lex = ctx.lex
    unit = norm_key(c.g("unit"))
    if unit in lex.weekdays:
        return "SET", f"XXXX-WXX-{lex.weekdays[unit]}", None
    if unit in lex.months:
        return "SET", f"XXXX-{lex.months[unit]:02d}", None
    rate = norm_key(c.g("q")) in ("a", "an", "per")  # "$55 a night": a rate per unit, not every night
    if unit in lex.words["parts_of_day"] and not (rate and unit in lex.words["units"]):
        return "SET", "XXXX-XX-XXT" + lex.words["parts_of_day"][unit], None
    if unit in lex.words["seasons"]:
        return "SET", "XXXX-" + lex.words["seasons"][unit], None
    n = parse_number(c.g("num"), lex) if c.g("num") else 1.0
    if c.g("other"):
        n = (n or 1) * (2 if norm_key(c.g("other")) == "other" else 1)
    return "SET", duration_value(n, unit, lex), None


def n_setadv(c, ctx) -> Result:
    return "SET", ctx.lex.words["set_adverbs"][norm_key(c.g("adv"))], None


def n_weekdays(c, ctx) -> Result:
    return "SET", f"XXXX-WXX-{ctx.lex.weekdays[c.g('wds').lower()]}", None


def n_present_ref(c, ctx) -> Result:
    return "DATE", "PRESENT_REF", None


def n_past_ref(c, ctx) -> Result:
    return "DATE", "PAST_REF", None


def n_future_ref(c, ctx) -> Result:
    return "DATE", "FUTURE_REF", None


# ---------------------------------------------------------------------------------------- times of day

def time_of_day(c) -> str | None:
    """``T15:49`` for "3:49 PM", ``T12:00`` for "noon", ``T24:00`` for "midnight"."""
    name = c.rule.name
    if name == "named_time":
        nt = norm_key(c.g("nt"))
        if nt in ("noon", "midday"):
            return "T12:00"
        if nt == "midnight":
            return "T24:00"
        h = c.g("h")
        hour = int(h) if h and h.isdigit() else None
        if hour is None:
            from rashomon.analyze.timex_lexicon import load_lexicon
            v = parse_number(h, load_lexicon())
            hour = int(v) if v else None
        return f"T{hour:02d}:00" if hour is not None and hour <= 24 else None
    h = int(c.g("h") or c.g("h2"))
    mi = int(c.g("mi") or c.g("mi2") or 0)
    ap = (c.g("ap") or "").lower().replace(".", "").replace(" ", "")
    if ap.startswith("p") and h < 12:
        h += 12
    elif ap.startswith("a") and h == 12:
        h = 0
    if h > 24:
        return None
    return f"T{h:02d}:{mi:02d}"


def n_time(c, ctx, day_value: str | None = None, day_known: bool = False) -> Result:
    """A time of day on its day: the joined day's value, else the publication date."""
    tod = time_of_day(c)
    mod = approx_mod(c.g("mod"), ctx.lex) if c.g("mod") else None
    if tod is None:
        return "TIME", None, mod
    if day_known:
        return "TIME", (day_value + tod) if day_value and re.fullmatch(r"\d{4}-\d\d-\d\d", day_value) else None, mod
    ref = ctx.last(c.start, "D", SAME_DAY_WINDOW)
    if ref is not None:
        return "TIME", ref.value + tod, mod
    if ctx.dct is None:
        return "TIME", None, mod
    return "TIME", ctx.dct.isoformat() + tod, mod


n_time24 = n_time


def n_the_pod(c, ctx) -> Result:
    """"in the morning": that part of the last day mentioned, else of the publication day."""
    code = ctx.lex.words["parts_of_day"][c.g("pod").lower()]
    ref = ctx.last(c.start, "D")
    day_value = ref.value if ref is not None else (ctx.dct.isoformat() if ctx.dct else None)
    return "TIME", (day_value + "T" + code) if day_value else None, pos_mod(c.g("pre"), ctx.lex)
n_named_time = n_time


# --------------------------------------------------------------------------------------------- seasons

def n_season(c, ctx) -> Result:
    lex = ctx.lex
    code = lex.words["seasons"][c.g("s").lower()]
    mod = pos_mod(c.g("pre"), lex) or pos_mod(c.g("pre2"), lex)
    if c.g("y"):
        return "DATE", Point("S", int(c.g("y")), code).value, mod
    det = norm_key(c.g("det")) if c.g("det") else ""
    base = ctx.dct
    if det == "that":
        ref = ctx.last(c.start)
        base = ref.date() if ref else None
    if base is None:
        return "DATE", None, mod
    step = {"last": -1, "past": -1, "this past": -1, "next": 1, "coming": 1, "this coming": 1, "this": 0}.get(det)
    return "DATE", _season_point(code, base, step, ctx.tense(c)).value, mod


def n_year_season(c, ctx) -> Result:
    return "DATE", Point("S", int(c.g("y")), ctx.lex.words["seasons"][c.g("s").lower()]).value, None


def n_year_end(c, ctx) -> Result:
    w = norm_key(c.g("w"))
    if "century" in w:
        return ("DATE", f"{ctx.dct.year // 100:02d}", "END") if ctx.dct else ("DATE", None, "END")
    ref = ctx.last(c.start, "Y", norm.QUARTER_WINDOW)
    year = ref.year if ref else (ctx.dct.year if ctx.dct else None)
    return "DATE", (f"{year:04d}" if year else None), "END"


def point_of(value: str | None) -> Point | None:
    """The :class:`Point` of a calendar value (``2024-01-23``, ``2024-W04``, ``2023-09``, ``1989-Q3``,
    ``2022-SP``, ``2022``); None for anything else (durations, sets, PRESENT_REF, times)."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?|-W(\d\d)(-WE)?|-([QH])([1-4])|-(SP|SU|FA|WI))?", value)
    if not m:
        return None
    y = int(m.group(1))
    try:
        if m.group(3):
            return cal.day(dt.date(y, int(m.group(2)), int(m.group(3))))
        if m.group(2):
            return Point("M", y, int(m.group(2)))
        if m.group(4):
            return Point("WE" if m.group(5) else "W", y, int(m.group(4)))
        if m.group(6):
            return Point(m.group(6), y, int(m.group(7)))
        if m.group(8):
            return Point("S", y, m.group(8))
    except ValueError:
        return None
    return Point("Y", y)
