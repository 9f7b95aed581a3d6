"""TimeML values as intervals, so that times can be compared across articles at their own precision.

``interval("2024-02", "MID")`` gives the middle third of February 2024 (with a margin), ``"2025-03-04TMO"``
the morning of that day, ``"2025-03-04T10:00"`` with ``AFTER`` the hour after ten. Two times agree
when their intervals overlap: "February" and "mid-February", "on Tuesday" and "on March 4" (the same
day), "Tuesday morning" and "shortly after 10 a.m." all agree; "mid-February" and "March" do not.
Values that are not points or periods on the calendar (durations, sets, PRESENT_REF, "XXXX") give
None: they are never compared. Times are kept in days (a float ordinal with the fraction of the day).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

_VALUE = re.compile(r"^(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|W(\d{2})|(SP|SU|FA|AU|WI)|Q([1-4])|H([12])))?"
                    r"(?:T(?:(\d{2}):(\d{2})|(MO|AF|EV|NI|DT)))?$")
_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "AU": (9, 11), "WI": (0, 14)}  # either winter touching the year
_PARTS = {"MO": (5 / 24, 12 / 24), "AF": (12 / 24, 18 / 24), "EV": (17 / 24, 22 / 24),
          "NI": (20 / 24, 30 / 24), "DT": (6 / 24, 18 / 24)}
HOUR = 1 / 24
APPROX_MINUTES = 30      # "around 10:20" means 09:50-10:50
AFTER_HOURS = 1          # "shortly after 10 a.m." means 10:00-11:00
THIRD_MARGIN = 0.05      # "mid-February" is the middle third of the month widened by 5% on each side


def _month_span(year: int, month: int) -> tuple[float, float]:
    """[first day, day after the last) of a month, month may run past 12 (into the next year)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    start = dt.date(year, month, 1).toordinal()
    return float(start), float(start + calendar.monthrange(year, month)[1])


def granularity(value: str | None) -> str | None:
    """'year', 'season', 'month', 'week', 'day' or 'time' of a calendar value, else None."""
    m = _VALUE.match(value or "")
    if not m:
        return None
    if m.group(8) or m.group(10):
        return "time"
    if m.group(3):
        return "day"
    if m.group(4):
        return "week"
    if m.group(2):
        return "month"
    if m.group(5) or m.group(6) or m.group(7):
        return "season"
    return "year"


def interval(value: str | None, mod: str | None = None) -> tuple[float, float] | None:
    """[start, end) in days of a calendar value with its TimeML modifier, or None (see module docstring)."""
    m = _VALUE.match(value or "")
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            start = float(dt.date(year, int(m.group(2)), int(m.group(3))).toordinal())
            end = start + 1
        elif m.group(2):
            start, end = _month_span(year, int(m.group(2)))
        elif m.group(4):
            start = float(dt.date.fromisocalendar(year, int(m.group(4)), 1).toordinal())
            end = start + 7
        elif m.group(5):
            first, last = _SEASONS[m.group(5)]
            start, end = _month_span(year, first)[0], _month_span(year, last)[1]
        elif m.group(6):
            q = int(m.group(6))
            start, end = _month_span(year, 3 * q - 2)[0], _month_span(year, 3 * q)[1]
        elif m.group(7):
            h = int(m.group(7))
            start, end = _month_span(year, 6 * h - 5)[0], _month_span(year, 6 * h)[1]
        else:
            start, end = float(dt.date(year, 1, 1).toordinal()), float(dt.date(year + 1, 1, 1).toordinal())
    except ValueError:
        return None
    if m.group(8):
        start = start + int(m.group(8)) * HOUR + int(m.group(9)) / 1440
        end = start + 1 / 1440
    elif m.group(10):
        lo, hi = _PARTS[m.group(10)]
        start, end = start + lo, start + hi
    return _modify(start, end, mod, is_clock=bool(m.group(8)))


def _modify(start: float, end: float, mod: str | None, *, is_clock: bool) -> tuple[float, float] | None:
    if not mod or mod in ("EQUAL_OR_LESS", "EQUAL_OR_MORE"):
        return start, end
    length = end - start
    if mod in ("START", "MID", "END"):
        k = {"START": 0, "MID": 1, "END": 2}[mod]
        lo = start + k * length / 3 - THIRD_MARGIN * length
        hi = start + (k + 1) * length / 3 + THIRD_MARGIN * length
        return max(start, lo), min(end, hi)
    if mod == "APPROX":
        pad = APPROX_MINUTES / 1440 if is_clock else 0.1 * length
        return start - pad, end + pad
    if mod in ("AFTER", "ON_OR_AFTER") and is_clock:
        return start, start + AFTER_HOURS * HOUR
    if mod in ("BEFORE", "ON_OR_BEFORE") and is_clock:
        return start - AFTER_HOURS * HOUR, end
    return None  # open-ended or unknown modifiers are not compared


def overlap(a: tuple[float, float] | None, b: tuple[float, float] | None) -> bool | None:
    """True when both intervals share time, False when disjoint, None when either is unknown."""
    if a is None or b is None:
        return None
    return a[0] < b[1] and b[0] < a[1]


def day_of(published: str | None) -> float | None:
    """Day ordinal of an ISO publication date ("2024-01-29T15:49"), or None."""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", published or "")
    if not m:
        return None
    try:
        return float(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).toordinal())
    except ValueError:
        return None


def sort_key(value: str, mod: str | None = None) -> tuple[float, float]:
    """Chronological order of calendar values (start, then end); unknown values sort last."""
    span = interval(value, mod) or interval(value)
    return span if span else (float("inf"), float("inf"))
