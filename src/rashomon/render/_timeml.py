"""TimeML values as time ranges and human labels, for drawing a timeline.

A value such as ``2025-03`` is a whole month: it is drawn as the range it covers, not as a point.
``parse("2025-02", "MID")`` gives the middle of February; values that name no calendar time
(``PRESENT_REF``, durations, ``XXXX-..``) give ``None``.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
PARTS_OF_DAY = {"MO": (6, 12, "morning"), "MI": (11, 13, "midday"), "AF": (12, 18, "afternoon"),
                "EV": (18, 22, "evening"), "NI": (22, 30, "night"), "DT": (9, 17, "daytime")}
SEASONS = {"SP": (3, "spring"), "SU": (6, "summer"), "FA": (9, "autumn"), "WI": (12, "winter")}
MOD_WORDS = {"EARLY": "early", "START": "early", "MID": "mid", "LATE": "late", "END": "late",
             "APPROX": "about", "BEFORE": "before", "AFTER": "after", "ON_OR_BEFORE": "by",
             "ON_OR_AFTER": "from", "LESS_THAN": "less than", "MORE_THAN": "more than"}

_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<q>Q[1-4])|(?P<h>H[12])|(?P<s>SP|SU|FA|WI)|W(?P<w>\d{2})(?:-WE)?"
    r"|(?P<m>\d{2})(?:-(?P<d>\d{2})(?:T(?:(?P<pod>MO|MI|AF|EV|NI|DT)|(?P<hh>\d{2})(?::(?P<mm>\d{2})(?::\d{2}(?:\.\d+)?)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?))?)?))?$")
_DECADE = re.compile(r"^(?P<c>\d{3})X?$")


@dataclass(frozen=True)
class TimeRange:
    """The time a TimeML value covers: ``start`` inclusive, ``end`` exclusive; ``point`` for a clock time."""

    start: datetime
    end: datetime
    precision: str  # decade|year|half|quarter|season|month|week|day|part|minute
    label: str

    @property
    def point(self) -> bool:
        """True for a clock time (drawn as a mark, not a bar)."""
        return self.precision == "minute"

    @property
    def coarse(self) -> bool:
        """True for anything longer than a day (drawn as a range)."""
        return self.precision not in ("day", "part", "minute")


def _month_end(y: int, m: int) -> datetime:
    return datetime(y + (m == 12), m % 12 + 1, 1)


def _apply_mod(start: datetime, end: datetime, mod: str | None) -> tuple[datetime, datetime]:
    """Narrow a range to its early, middle or late third."""
    if mod not in ("EARLY", "START", "MID", "LATE", "END"):
        return start, end
    third = (end - start) / 3
    if mod in ("EARLY", "START"):
        return start, start + third
    if mod == "MID":
        return start + third, end - third
    return end - third, end


def _mod_label(label: str, mod: str | None) -> str:
    word = MOD_WORDS.get(mod or "")
    if not word:
        return label
    return f"{word}-{label}" if word in ("early", "mid", "late") else f"{word} {label}"


def parse(value: object, mod: object = None) -> TimeRange | None:
    """The range of a TimeML date value, or ``None`` when it names no calendar time."""
    if not isinstance(value, str):
        return None
    mod = mod if isinstance(mod, str) else None
    value = value.strip()
    try:
        return _parse(value, mod)
    except (ValueError, OverflowError):
        return None


def _parse(value: str, mod: str | None) -> TimeRange | None:
    dm = _DECADE.match(value)
    if dm:
        y = int(dm["c"]) * 10
        start, end = _apply_mod(datetime(y, 1, 1), datetime(y + 10, 1, 1), mod)
        return TimeRange(start, end, "decade", _mod_label(f"the {y}s", mod))
    m = _RE.match(value)
    if not m:
        return None
    y = int(m["y"])
    if y < 1:
        return None
    if m["q"]:
        q = int(m["q"][1])
        start, end = datetime(y, 3 * q - 2, 1), _month_end(y, 3 * q)
        label, prec = f"Q{q} {y}", "quarter"
    elif m["h"]:
        h = int(m["h"][1])
        start, end = datetime(y, 6 * h - 5, 1), _month_end(y, 6 * h)
        label, prec = f"{'first' if h == 1 else 'second'} half of {y}", "half"
    elif m["s"]:
        first, name = SEASONS[m["s"]]
        start = datetime(y, first, 1)
        end = _month_end(y + (first + 2 > 12), (first + 1) % 12 + 1)
        label, prec = f"{name} {y}", "season"
    elif m["w"]:
        w = int(m["w"])
        d0 = date.fromisocalendar(y, w, 1)
        start = datetime(d0.year, d0.month, d0.day)
        end = start + timedelta(days=7)
        last = end - timedelta(days=1)
        label, prec = f"week {w} of {y} ({start.day} {MONTHS[start.month - 1]} – {last.day} {MONTHS[last.month - 1]})", "week"
    elif m["m"]:
        mo = int(m["m"])
        if not 1 <= mo <= 12:
            return None
        if m["d"]:
            d = int(m["d"])
            if not 1 <= d <= calendar.monthrange(y, mo)[1]:
                return None
            day = datetime(y, mo, d)
            if m["pod"]:
                h0, h1, name = PARTS_OF_DAY[m["pod"]]
                start, end = day + timedelta(hours=h0), day + timedelta(hours=h1)
                label, prec = f"{_day(day)}, {name}", "part"
            elif m["hh"]:
                hh, mm = int(m["hh"]), int(m["mm"] or 0)
                if hh > 24 or mm > 59:
                    return None
                start = day + timedelta(hours=hh, minutes=mm)
                end = start + timedelta(minutes=1)
                label, prec = f"{_day(day)}, {hh:02d}:{mm:02d}", "minute"
            else:
                start, end = day, day + timedelta(days=1)
                label, prec = _day(day), "day"
        else:
            start, end = datetime(y, mo, 1), _month_end(y, mo)
            label, prec = f"{MONTHS[mo - 1]} {y}", "month"
    else:
        start, end = datetime(y, 1, 1), datetime(y + 1, 1, 1)
        label, prec = str(y), "year"
    if prec not in ("minute", "day", "part"):
        start, end = _apply_mod(start, end, mod)
    return TimeRange(start, end, prec, _mod_label(label, mod))


def _day(d: datetime) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def published(value: object) -> datetime | None:
    """An ISO 8601 publication time as a naive local datetime (its own clock), or ``None``."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        try:
            dt = datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    return dt.replace(tzinfo=None)


def human_published(value: object) -> str:
    """'4 Mar 2025, 15:40' for an ISO time, the raw text when it cannot be read, '' when absent."""
    if not isinstance(value, str) or not value.strip():
        return ""
    dt = published(value)
    if dt is None:
        return value.strip()
    has_time = "T" in value or " " in value.strip()
    return f"{_day(dt)}, {dt:%H:%M}" if has_time else _day(dt)
