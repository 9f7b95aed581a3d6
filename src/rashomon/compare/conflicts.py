"""Contradictions: aligned mentions that disagree on a number, a date, a place or an actor.

Claims are read from the statements of aligned mentions (the same fact; for numbers also a pair the
alignment model scored at least ``NEAR_PAIR``, since a disagreement can keep two statements just
below the merge threshold). Two claims from different articles are **about the same thing** when

- numbers: they count the same noun (a shared stem of what they count: "crew members" / "a crew of
  11"; the noun is read from the analysis' ``counts``, else from "<noun> of <number>") and the words
  around them share a content stem ("injured" / "injuries");
- dates (same fact only): both are calendar times of one grain (years, months, or days and times)
  and the words nearest to them share a rarer content stem ("visit ... in February" / "visit ... in
  mid-February");
- places and actors (same fact only): a named entity in the same slot (the same two words before
  it, one a content word: "met in Sochi" / "met in Ankara") with different identities, the other
  outlet never naming this one, and no word shared by the two names.

Claims about the same thing are grouped (connected components), and a group is a conflict when two
of its claims from different articles cannot both be true **at their stated precision**. Numbers
are intervals: "212" is [212, 212], "about 200" is 200 ± ``APPROX``, "at least 14" is [14, ∞),
"nearly 85,000" is [85,000 × (1 − ``APPROX``), 85,000]; dates are calendar intervals
(``timevalues.py``: "February" contains "mid-February", "on Tuesday" is "on March 4"). Only
disjoint intervals conflict, so a difference in precision never does.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from rashomon.compare.facts import Fact
from rashomon.compare.features import StoryStatements
from rashomon.compare.text import WORD, fold, stem, weight
from rashomon.compare.timevalues import granularity, interval, overlap

NEAR_PAIR = 0.15       # pair probability that makes two statements comparable outside one fact
CONTEXT_WORDS = 6      # words on each side of a number or date that describe what it is about
APPROX = 0.12          # "about 200" covers 176-224: "about 200" agrees with 212 (newsroom rounding)
MIN_SLOT_WEIGHT = 0.5  # the slot before a place/actor must hold a word at least this rare
MIN_CONTEXT_WEIGHT = 1.0  # context words at least this rare (zipf <= 5): "visit", "injured", not "also"
DATE_CONTEXT_WEIGHT = 1.5  # two dates need a shared word at least this rare (zipf <= 4.5): "visit", not "president"
_GRAIN = {"year": "year", "season": "year", "month": "month", "week": "day", "day": "day", "time": "day"}

_AT_LEAST = ("at least", "more than", "over", "above", "upwards of", "no fewer than", "no less than", "in excess of")
_AT_MOST = ("at most", "up to", "fewer than", "less than", "under", "no more than", "below")
_NEARLY = ("nearly", "almost", "close to", "just under")
_ABOUT = ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated", "circa", "approx",
          "or so", "just over", "more or less")
_VAGUE = r"\b(?:dozens?|several|few|handful|scores|hundreds|thousands|tens|couple)\b"  # "a dozen" is about 12
_FUNCTION = frozenset({"the", "and", "for", "with", "from", "of", "their", "its", "his", "her", "all", "some", "those",
                       "these", "them", "who", "which", "that", "than", "total", "number", "lot", "out"})
_OF_NUMBER = re.compile(r"([^\W\d_]+)\s+of\s+(?:about\s+|around\s+|some\s+)?$", re.UNICODE)


@dataclass
class Claim:
    row: int
    article: int
    kind: str                      # number | date | place | actor
    value: object                  # (lo, hi) interval, or an entity key
    text: str
    start: int
    end: int
    about: str
    nouns: set[str] = field(default_factory=set)
    context: set[str] = field(default_factory=set)
    shown: str = ""                # value as shown in the output


def _number_interval(value: float, qualifier: str | None) -> tuple[float, float]:
    q = (qualifier or "").lower()
    if any(w in q for w in _AT_LEAST):
        return value, float("inf")
    if any(w in q for w in _AT_MOST):
        return 0.0, value
    if any(w in q for w in _NEARLY):
        return value * (1 - APPROX), value
    if any(w in q for w in _ABOUT):
        return value * (1 - APPROX), value * (1 + APPROX)
    return value, value


def _statement_words(data: StoryStatements, row: int) -> list[tuple[str, int, int]]:
    """Content words of a statement that may say what a number or date is about: (stem, start, end)
    in statement offsets, leaving out names, times and numbers (they are values, not predicates)."""
    a = data.articles[int(data.article_of[row])]
    s = data.statement(row)
    blocked = [(e.start - s.start, e.end - s.start) for e in a.entities]
    blocked += [(a.times[t].start - s.start, a.times[t].end - s.start) for t in s.times if 0 <= t < len(a.times)]
    blocked += [(q.start - s.start, q.end - s.start) for q in s.numbers]
    out = []
    for m in WORD.finditer(s.text):
        if weight(m.group()) < MIN_CONTEXT_WEIGHT or any(m.start() < e and b < m.end() for b, e in blocked):
            continue
        out.append((stem(m.group()), m.start(), m.end()))
    return out


def _assign_context(data: StoryStatements, row: int, claims: list[Claim]) -> None:
    """Each claim's context: the content words near it (``CONTEXT_WORDS`` words); for a date only those
    nearer to it than to any other date of the statement, so "visit ... in February" pairs the visit
    with February, not with another date of the sentence. (Numbers keep their whole window: "212
    passengers and a crew of 11" shares "passengers" with "212 passengers and nine crew members",
    and the counted noun already says what they count.)"""
    if not claims:
        return
    s = data.statement(row)
    words = _statement_words(data, row)
    starts = [m.start() for m in WORD.finditer(s.text)]

    def index(offset: int) -> int:
        return bisect_left(starts, offset)
    spans = [(index(c.start - s.start), index(c.end - s.start)) for c in claims]
    for stem_, ws, _ in words:
        w = index(ws)
        dist = [0 if lo <= w < max(hi, lo + 1) else (lo - w if w < lo else w - hi + 1) for lo, hi in spans]
        for c, d in zip(claims, dist):
            same_kind = [dd for cc, dd in zip(claims, dist) if cc.kind == c.kind]
            nearest = c.kind == "number" or d == min(same_kind)
            if d <= CONTEXT_WORDS and nearest and stem_ not in c.nouns:
                c.context.add(stem_)


def _number_claims(data: StoryStatements, row: int) -> list[Claim]:
    a = int(data.article_of[row])
    s = data.statement(row)
    out = []
    for q in s.numbers:
        if q.value is None:
            continue
        lo = q.start - s.start
        nouns = {stem(w) for w in WORD.findall(q.counts or "") if len(w) > 2 and w.lower() not in _FUNCTION}
        about = q.counts or ""
        if not nouns:
            m = _OF_NUMBER.search(s.text[:lo])
            if m and m.group(1).lower() not in _FUNCTION:
                nouns, about = {stem(m.group(1))}, m.group(1)
        if not nouns:
            continue
        vague = not re.search(r"\d", q.text) and re.search(_VAGUE, q.text.lower())
        span = _number_interval(q.value, "about" if vague else q.qualifier)
        out.append(Claim(row, a, "number", span, q.text, q.start, q.end, about, nouns, set(), _shown(q.value)))
    return out


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _date_claims(data: StoryStatements, row: int) -> list[Claim]:
    a = int(data.article_of[row])
    art = data.articles[a]
    s = data.statement(row)
    out = []
    for t in s.times:
        if not 0 <= t < len(art.times):
            continue
        tx = art.times[t]
        span = interval(tx.value, tx.mod) if tx.type in ("DATE", "TIME") else None
        if span is None:
            continue
        shown = tx.value + (f" {tx.mod}" if tx.mod else "")
        out.append(Claim(row, a, "date", span, tx.text, tx.start, tx.end, "date", set(), set(), shown))
    return out


def _slot_claims(data: StoryStatements, row: int) -> list[Claim]:
    a = int(data.article_of[row])
    art = data.articles[a]
    s = data.statement(row)
    out = []
    for e in art.entities:
        if not (s.start <= e.start and e.end <= s.end):
            continue
        kind = "place" if e.label in ("GPE", "LOC", "FAC") else "actor" if e.label in ("PERSON", "ORG") else None
        if kind is None:
            continue
        before = WORD.findall(s.text[: e.start - s.start])[-2:]
        if len(before) < 2 or max(weight(w) for w in before) < MIN_SLOT_WEIGHT:
            continue
        slot = " ".join(w.lower() for w in before)
        out.append(Claim(row, a, kind, e.key, e.text, e.start, e.end, slot, {slot}, set(), e.canonical))
    return out


def _comparable(x: Claim, y: Claim, data: StoryStatements, same_fact: bool) -> bool:
    if x.kind != y.kind or x.article == y.article:
        return False
    if x.kind == "number":
        return bool(x.nouns & y.nouns) and bool(x.context & y.context)
    if not same_fact:
        return False  # dates, places and actors only within one fact: their context is weaker evidence
    if x.kind == "date":
        return (_GRAIN.get(granularity_of(x)) == _GRAIN.get(granularity_of(y))
                and any(weight(w) >= DATE_CONTEXT_WEIGHT for w in x.context & y.context))
    if x.about != y.about or x.value == y.value:
        return False
    # another name in the same slot contradicts only when the other outlet never names this one,
    # and when the names are not two forms of one (no shared word: "Romney's Medicare" / "Medicare")
    named_x = {e.key for e in data.articles[x.article].entities}
    named_y = {e.key for e in data.articles[y.article].entities}
    return (x.value not in named_y and y.value not in named_x
            and not set(fold(x.shown).split()) & set(fold(y.shown).split()))


def granularity_of(c: Claim) -> str | None:
    return granularity(c.shown.split()[0])


def _disagree(x: Claim, y: Claim) -> bool:
    if x.kind == "number":
        return not (x.value[0] <= y.value[1] and y.value[0] <= x.value[1])
    if x.kind == "date":
        return overlap(x.value, y.value) is False
    return x.value != y.value


def find_conflicts(data: StoryStatements, facts: list[Fact], edges: dict[tuple[int, int], float]) -> list[dict]:
    """Conflicts of a story (see the module docstring), each with every claim of its group."""
    fact_of = {r: f.id for f in facts for r in f.rows}
    claims: list[Claim] = []
    for row in range(data.n):
        found = _number_claims(data, row) + _date_claims(data, row)
        _assign_context(data, row, found)
        claims += found + _slot_claims(data, row)
    by_row: dict[int, list[int]] = {}
    for i, c in enumerate(claims):
        by_row.setdefault(c.row, []).append(i)
    parent = list(range(len(claims)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    candidates = {pair for pair, p in edges.items() if p >= NEAR_PAIR}
    for f in facts:
        rows = [r for r in f.rows if r in by_row]
        candidates.update((r1, r2) for i, r1 in enumerate(rows) for r2 in rows[i + 1:])
    disagreeing: set[tuple[int, int]] = set()
    for r1, r2 in sorted(candidates):
        if r1 not in by_row or r2 not in by_row or data.article_of[r1] == data.article_of[r2]:
            continue
        for x in by_row[r1]:
            for y in by_row[r2]:
                if _comparable(claims[x], claims[y], data, fact_of.get(r1) == fact_of.get(r2)):
                    parent[find(y)] = find(x)
                    if _disagree(claims[x], claims[y]):
                        disagreeing.add((x, y))
    groups: dict[int, list[int]] = {}
    for x, y in disagreeing:
        groups.setdefault(find(x), [])
    for i in range(len(claims)):
        root = find(i)
        if root in groups:
            groups[root].append(i)
    out = []
    for root, members in groups.items():
        members.sort(key=lambda i: (claims[i].article, claims[i].start))
        first = claims[members[0]]
        about = first.about if first.kind in ("number",) else _date_about(claims, members, data) if first.kind == "date" \
            else f"{first.kind} after “{first.about}”"
        out.append({"about": about, "kind": first.kind,
                    "facts": sorted({fact_of[claims[i].row] for i in members if claims[i].row in fact_of},
                                    key=lambda f: int(f[1:])),
                    "values": [{"article": data.articles[claims[i].article].article.id, "value": claims[i].shown,
                                "text": claims[i].text, "start": claims[i].start, "end": claims[i].end,
                                "statement": data.statement(claims[i].row).text} for i in members]})
    return sorted(out, key=lambda c: (c["facts"] and int(c["facts"][0][1:]) or 0))


def _date_about(claims: list[Claim], members: list[int], data: StoryStatements) -> str:
    """"date of <the words the claims share>", in the words of the first claim's statement."""
    shared = set.intersection(*(claims[i].context for i in members)) if members else set()
    if not shared:
        counts: dict[str, int] = {}
        for i in members:
            for w in claims[i].context:
                counts[w] = counts.get(w, 0) + 1
        shared = {w for w, n in counts.items() if n > 1}
    text = data.statement(claims[members[0]].row).text
    words = [w for w in WORD.findall(text) if stem(w) in shared]
    return "date of " + (" / ".join(dict.fromkeys(w.lower() for w in words)) if words else "the event")
