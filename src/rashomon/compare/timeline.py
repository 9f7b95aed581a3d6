"""The story's timeline: the dated events of all articles merged on one calendar axis.

Every calendar time of an article's body and captions (the analysis' ``times`` and ``caption_times``;
clutter never reaches them because extraction removed it) becomes a mention; mentions with the same
value and modifier are one entry, so a coarse date stays coarse ("2022-02", "2024-02" MID) and is
never guessed finer. Times of day join their day's entry (``times`` lists them: "T10:00", "TMO").
Durations, sets and references such as PRESENT_REF are not on the axis. Each entry names the outlets
that mention it and, as ``event``, the statement that carries the time in the first article.
"""
from __future__ import annotations

import re
from collections import Counter

from rashomon.compare.features import StoryStatements
from rashomon.compare.timevalues import granularity, sort_key

_TIME_OF_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(T.+)$")


def _key(value: str, mod: str | None) -> tuple[str, str | None, str | None]:
    """(axis value, modifier kept on the axis, time of day) of a time."""
    m = _TIME_OF_DAY.match(value)
    if m:
        return m.group(1), None, m.group(2)
    return value, mod if mod in ("START", "MID", "END", "APPROX") else None, None


def build_timeline(data: StoryStatements) -> list[dict]:
    """Timeline entries in chronological order (coarser periods before finer ones starting the same day)."""
    entries: dict[tuple[str, str | None], dict] = {}
    for a in data.articles:
        aid = a.article.id
        statement_of = {}
        for s in a.statements:
            for t in s.times:
                statement_of.setdefault(t, s)
        found = [(t, None, i) for i, t in enumerate(a.times)] + [(t, c, None) for c, t in a.caption_times]
        for t, caption, index in found:
            if t.type not in ("DATE", "TIME") or granularity(t.value) is None:
                continue
            value, mod, clock = _key(t.value, t.mod)
            entry = entries.setdefault((value, mod), {"value": value, "mod": mod, "texts": Counter(),
                                                      "articles": [], "mentions": [], "times": [], "event": None})
            entry["texts"][t.text] += 1
            if aid not in entry["articles"]:
                entry["articles"].append(aid)
            mention = {"article": aid, "start": t.start, "end": t.end, "text": t.text}
            if caption is not None:
                mention["caption"] = caption
                event = a.article.captions[caption] if caption < len(a.article.captions) else None
            else:
                s = statement_of.get(index)
                event = s.text if s is not None else None
                if s is not None:
                    mention.update(statement_start=s.start, statement_end=s.end)
            entry["mentions"].append(mention)
            if entry["event"] is None and event:
                entry["event"] = event
            if clock and clock not in entry["times"]:
                entry["times"].append(clock)
    out = []
    for (value, mod), e in sorted(entries.items(), key=lambda kv: _order(*kv[0])):
        item = {"value": value, "text": e["texts"].most_common(1)[0][0], "articles": e["articles"],
                "mentions": e["mentions"], "granularity": granularity(value), "event": e["event"]}
        if mod:
            item["mod"] = mod
        if e["times"]:
            item["times"] = sorted(e["times"])
        out.append(item)
    return out


def _order(value: str, mod: str | None) -> tuple[float, float, str]:
    start, end = sort_key(value, mod)
    return start, -end, value
