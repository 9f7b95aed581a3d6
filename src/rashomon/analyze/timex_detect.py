"""Finding time expressions: run the pattern rules, check each match, keep the best non-overlapping ones.

Every rule of ``data/timex_patterns.txt`` is tried where one of its trigger words occurs
(precompiled regexes, anchored at that word and a few words before it: linear in the text).
A match is then checked with what regular expressions cannot see: capitalisation of month and
weekday names, "May" as a modal verb, names that contain a month ("August Wilson"), counts that
look like years, "a year" that is a rate only after an amount. The spaCy doc is used when given.
Overlapping matches are settled longest first; a time of day is then joined to a day next to it
("10 p.m. Wednesday", "Jan. 29, 2024 3:49 PM").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from rashomon.analyze.timex_lexicon import TOKEN, Lexicon, Rule

# words before a bare month / season / spoken year that make it a time expression
_TIME_PREPS = frozenset(
    "in of since by until till from through to during before after between last next this early late "
    "mid the that and or around about circa throughout into starting beginning ending".split())
_SEASON_PREPS = frozenset("in during by since until till through before after of this last next".split())
_NAME_ENTS = frozenset(("PERSON", "ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "NORP"))
_AMOUNT_BEFORE = re.compile(
    r"(?:\d|\b(?:million|billion|trillion|thousand|hundred|dozen|percent|times|once|twice|thrice|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|hundreds|thousands|millions))\b[^.;:!?\n]{0,30}$",
    re.IGNORECASE)
_PUNCT_AFTER = re.compile(r"\s*(?:[.,;:!?)\"'\u201d\u2019]|$|\s*\n|\s+(?:and|but|or|when|while|that|as)\b)")
_TIME_GAP = re.compile(r"\s*(?:,|\s|on|at|of|,\s*on)\s*", re.IGNORECASE)
_PREV_WORD = re.compile(r"([A-Za-z'\-]+)[^A-Za-z\n]{0,3}$")
_TIME_PREP_24 = frozenset("at by until till from to before after around since about".split())


@dataclass
class Candidate:
    """A checked match: span, rule, the regex match and (for a time of day) the day joined to it."""

    start: int
    end: int
    rule: Rule
    match: re.Match
    day: "Candidate | None" = None
    extra: dict[str, Any] = field(default_factory=dict)

    def g(self, name: str) -> str | None:
        """The text of a named group (None when absent or unmatched)."""
        try:
            return self.match.group(name)
        except IndexError:
            return None

    @property
    def text_len(self) -> int:
        return self.end - self.start


class DocView:
    """Character offsets to spaCy tokens (bisect over token starts); empty when there is no doc."""

    def __init__(self, doc: Any = None) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc] if doc is not None else []

    def token_at(self, char: int):
        if not self.starts:
            return None
        i = bisect.bisect_right(self.starts, char) - 1
        if i < 0:
            return None
        tok = self.doc[i]
        return tok if char < tok.idx + len(tok.text) + 1 else None


def previous_word(text: str, pos: int) -> str:
    """The word just before ``pos`` (lower case), across at most a few punctuation characters."""
    m = _PREV_WORD.search(text, max(0, pos - 40), pos)
    return m.group(1).lower() if m else ""


def _cap(s: str | None) -> bool:
    return bool(s) and s[0].isupper()


def _check(c: Candidate, text: str, lex: Lexicon, view: DocView) -> bool:
    """True when the match is a time expression (rule-specific checks)."""
    name = c.rule.name
    mon, wd = c.g("mon"), c.g("wd")
    if mon is not None:
        if not _cap(mon):
            return False
        tok = view.token_at(c.match.start("mon"))
        if tok is not None and (tok.tag_ == "MD" or tok.ent_type_ in _NAME_ENTS and tok.ent_type_ != "EVENT"):
            return False
        key = mon.lower().rstrip(".")
        if name == "month" and key in lex.words["ambiguous_months"] and not (c.g("pre") or c.g("rel") or c.g("ry")):
            if previous_word(text, c.start) not in _TIME_PREPS:
                return False
    if wd is not None or c.g("wds") is not None:
        w = wd or c.g("wds")
        if not _cap(w):
            return False
        tok = view.token_at(c.match.start("wd") if wd is not None else c.match.start("wds"))
        if tok is not None and tok.ent_type_ in ("PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "FAC"):
            return False
    if name == "year":
        return _check_year(c, text, view)
    if name in ("season",) and not (c.g("pre") or c.g("det") or c.g("y") or c.g("pre2")):
        return previous_word(text, c.start) in _SEASON_PREPS
    if name == "season" and c.g("det") and c.g("det").lower() == "the" and not c.g("y"):
        return not re.match(r"\s+of\b", text[c.end:c.end + 4])
    if name == "decade" and c.g("decw") and not (c.g("the") or c.g("pre")):
        return False
    if name == "spoken_year" and c.g("sy").lower().startswith("two") and not c.g("the"):
        return previous_word(text, c.start) in ("in", "since", "by", "until", "before", "after", "of")
    if name == "set":
        return _check_set(c, text)
    if name == "duration":
        return _check_duration(c, text)
    if name == "ago" and c.g("dir").lower() in ("before", "after", "prior", "back", "on"):
        return bool(_PUNCT_AFTER.match(text, c.end))
    if name == "time24":
        return bool(c.g("tz")) or previous_word(text, c.start) in _TIME_PREP_24 or text[:c.start].rstrip(" ").endswith("\n") \
            or c.start == 0
    if name == "qnum":
        return c.g("q")[0] in "QH"
    if name == "holiday":
        return _cap(c.g("hol"))
    if name == "theunit":
        return _check_theunit(c, text)
    if name == "setadv":
        tok = view.token_at(c.start)
        return tok is None or tok.pos_ == "ADV" or tok.dep_ in ("advmod", "npadvmod")
    if name == "future_ref" and c.g("w").lower() == "soon" and re.match(r"\s+as\b", text[c.end:c.end + 4]):
        return False
    if name == "present_ref" and c.g("w").lower() == "the present":
        return not re.match(r"\s+(?:case|study|article|report|system|government|situation)\b", text[c.end:c.end + 12])
    return True


def _trim(c: Candidate, text: str) -> Candidate:
    """Extent conventions (TimeML): "the [18-month] war", "[three days] later" (a duration anchored
    to an event, the signal word left out)."""
    name = c.rule.name
    if name == "duration" and c.g("det") and not c.g("tail") and not c.g("mod") \
            and text[c.match.end("num"):c.match.start("unit")].strip() == "-":
        c.start = c.match.start("num")
    elif name == "ago" and c.g("dir").lower() in ("later", "after", "on", "before"):
        c.end = c.match.end("unit")
        c.extra["duration"] = True
    return c


def _check_year(c: Candidate, text: str, view: DocView) -> bool:
    if c.g("fy") or c.g("pre"):
        return True
    prev = text[max(0, c.start - 12):c.start].lower()
    if re.search(r"(?:no\.|number|#|\bpage|\bsection|\broute|\bflight|\broom|\bmodel|\bvs\.?|\bbill)\s*$", prev):
        return False
    tok = view.token_at(c.match.start("y"))
    if tok is not None and tok.dep_ == "nummod" and tok.head.tag_ == "NNS" and tok.head.i > tok.i:
        return False
    after = re.match(r"\s+([a-z]+)", text[c.end:c.end + 20])
    if after and after.group(1) in ("people", "percent", "votes", "shares", "points", "employees", "workers",
                                     "jobs", "troops", "soldiers", "units", "cars", "homes", "tons", "miles",
                                     "feet", "meters", "dollars", "euros", "residents", "students", "members"):
        return False
    return True


def _check_set(c: Candidate, text: str) -> bool:
    q = c.g("q").lower()
    unit = c.g("unit").lower()
    if q in ("a", "an"):
        if unit[0].isupper() or not unit.endswith(("year", "month", "week", "day", "hour", "minute", "night",
                                                   "decade", "quarter", "season")):
            return False
        return bool(c.g("freq")) or bool(_AMOUNT_BEFORE.search(text, max(0, c.start - 60), c.start))
    return True


def _check_duration(c: Candidate, text: str) -> bool:
    num = (c.g("num") or "").lower()
    unit = c.g("unit").lower()
    if num in ("a", "an", "one") and unit in ("second", "quarter", "minute") and not c.g("det"):
        return bool(_PUNCT_AFTER.match(text, c.end)) and unit != "quarter"
    if num in ("a", "an") and c.g("det"):
        return False
    if unit.startswith("quarter") and re.match(r"\s+of\b", text[c.end:c.end + 4]):
        return False
    return True


def _check_theunit(c: Candidate, text: str) -> bool:
    det = c.g("det").lower()
    unit = c.g("unit").lower()
    prev = previous_word(text, c.start)
    if unit == "period":
        return det not in ("the", "its", "their", "that")
    if unit == "day" and det in ("the", "its", "their"):
        return prev in ("on", "during") and not c.g("pre")
    if unit == "week" and det in ("the", "its", "their"):
        return prev in ("for", "during", "in", "over", "of", "that") or bool(c.g("pre"))
    if unit in ("month", "year") and det in ("its", "their"):
        return False
    return True


def detect(text: str, lex: Lexicon, view: DocView) -> list[Candidate]:
    """Checked, non-overlapping candidates in text order, with times of day joined to their day.

    Each rule is tried only where it can match: at a word that triggers it and at the few words
    before (anchored ``match`` calls), so the cost grows with the number of trigger words.
    """
    starts: list[int] = []
    known: list[bool] = []  # the word can be part of a match (digits and pattern words)
    wanted: dict[int, list[int]] = {}
    vocab = lex.vocab
    for i, m in enumerate(TOKEN.finditer(text)):
        starts.append(m.start())
        w = m.group()
        if w[0].isdigit():
            known.append(True)
            rules = _digit_rules(w, text, m.end(), lex)
        else:
            lw = w.lower()
            known.append(lw in vocab)
            rules = lex.triggers.get(lw, ())
        for r in rules:
            wanted.setdefault(r, []).append(i)
    found: list[Candidate] = []
    for r, idxs in wanted.items():
        rule = lex.rules[r]
        regex = rule.regex
        tried: set[int] = set()
        for i in idxs:
            first = i
            while first > 0 and i - first < rule.back and known[first - 1]:
                first -= 1
            for j in range(first, i + 1):
                s = starts[j]
                if s in tried:
                    continue
                tried.add(s)
                m = regex.match(text, s)
                if m is None and s and text[s - 1] == "'":
                    m = regex.match(text, s - 1)
                if m is not None:
                    c = Candidate(m.start(), m.end(), rule, m)
                    if _check(c, text, lex, view):
                        found.append(_trim(c, text))
    found.sort(key=lambda c: (-c.text_len, c.rule.priority, c.start))
    taken: list[tuple[int, int]] = []
    chosen: list[Candidate] = []
    for c in found:
        i = bisect.bisect_left(taken, (c.start, c.end))
        if i > 0 and taken[i - 1][1] > c.start:
            continue
        if i < len(taken) and taken[i][0] < c.end:
            continue
        taken.insert(i, (c.start, c.end))
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return _join_times(chosen, text)


_DIGIT_NEXT = re.compile(r"(?:[/:]|\.\d|'?s\b|\s?[ap]\.?\s?m\b)", re.IGNORECASE)


def _digit_rules(w: str, text: str, end: int, lex: Lexicon) -> tuple[int, ...]:
    """Rules a number can trigger: years always; the others only when a "/", ":", "s" or "p.m." follows."""
    year = lex.year_rules if len(w) == 4 and "1600" <= w <= "2099" else ()
    if _DIGIT_NEXT.match(text, end):
        return lex.digit_rules + year
    return year


_DAY_RULES = frozenset(("iso", "mdy", "dmy", "numdate", "weekday", "deictic", "holiday"))
_TIME_RULES = frozenset(("time", "time24", "named_time"))


def _join_times(cands: list[Candidate], text: str) -> list[Candidate]:
    """A time of day next to a day ("5 p.m. EST, Nov. 6", "Tuesday at noon") becomes one TIME."""
    out: list[Candidate] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if nxt is not None and _joinable(c, nxt, text):
            t, d = (c, nxt) if c.rule.name in _TIME_RULES else (nxt, c)
            out.append(Candidate(c.start, nxt.end, t.rule, t.match, day=d))
            i += 2
            continue
        out.append(c)
        i += 1
    return out


def _joinable(a: Candidate, b: Candidate, text: str) -> bool:
    names = {a.rule.name, b.rule.name}
    if not (names & _TIME_RULES and names & _DAY_RULES) or a.day or b.day:
        return False
    if any(c.rule.name in _DAY_RULES and c.g("pod") for c in (a, b)):
        return False
    gap = text[a.end:b.start]
    return len(gap) <= 6 and bool(_TIME_GAP.fullmatch(gap))
