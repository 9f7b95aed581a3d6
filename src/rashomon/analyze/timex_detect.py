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
_YEARLIKE = re.compile(r"1[6-9]\d\d|20\d\d")
_DURATION_PREPS = frozenset("for in within over after before during from of lasting took take takes lasted last "
                            "spent spend spends waited wait than".split())
_SEASON_PREPS = frozenset("in during by since until till through before after of this last next".split())
_NAME_ENTS = frozenset(("PERSON", "ORG", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "NORP"))
_AMOUNT_BEFORE = re.compile(
    r"(?:\d|\b(?:million|billion|trillion|thousand|hundred|dozen|percent|times|once|twice|thrice|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|hundreds|thousands|millions))\b[^.;:!?\n]{0,30}$",
    re.IGNORECASE)
_PUNCT_AFTER = re.compile(r"\s*(?:[.,;:!?)\"'\u201d\u2019]|$|\s*\n|\s+(?:and|but|or|when|while|that|as)\b)")
_TIME_GAP = re.compile(r"\s*(?:,|\s|on|at|of|,\s*on)\s*", re.IGNORECASE)
_PREV_WORD = re.compile(r"([A-Za-z'\-]+)[^A-Za-z\n]{0,3}\Z")
_BEFORE_CAP = re.compile(r"([A-Za-z]+)([^A-Za-z]{0,3})\Z")
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
        self._starts: list[int] | None = None if doc is not None else []

    @property
    def starts(self) -> list[int]:
        if self._starts is None:  # built on first use: most texts need a handful of look-ups
            self._starts = self.doc.to_array("IDX").tolist() if len(self.doc) else []
        return self._starts

    def token_at(self, char: int):
        """The token covering ``char`` (or ending just before it), None outside the doc."""
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
    """True when the match is a time expression: name checks, then the rule's own check."""
    if c.g("mon") is not None and not _check_month(c, text, lex, view):
        return False
    if (c.g("wd") is not None or c.g("wds") is not None) and not _check_weekday(c, text, lex, view):
        return False
    check = _RULE_CHECKS.get(c.rule.name)
    return check is None or check(c, text, view)


def _check_month(c: Candidate, text: str, lex: Lexicon, view: DocView) -> bool:
    mon = c.g("mon")
    if not _cap(mon):
        return False
    tok = view.token_at(c.match.start("mon"))
    if tok is not None and (tok.tag_ == "MD" or tok.ent_type_ in _NAME_ENTS and tok.ent_type_ != "EVENT"):
        return False  # "she May decide", "the March for Our Lives" as a name
    if c.rule.name != "month":
        return True
    if tok is not None and tok.dep_ == "compound" and tok.head.i > tok.i and tok.head.pos_ == "PROPN" \
            and tok.head.text[:1].isupper():
        return False  # "August Wilson", "June Carter"
    if mon.lower().rstrip(".") in lex.words["ambiguous_months"] and not (c.g("pre") or c.g("rel") or c.g("ry")):
        return previous_word(text, c.start) in _TIME_PREPS
    return True


def _check_weekday(c: Candidate, text: str, lex: Lexicon, view: DocView) -> bool:
    wd = c.g("wd")
    w = wd or c.g("wds")
    if not _cap(w):
        return False
    if not c.g("rel") and previous_word(text, c.start) in lex.words["event_day_words"] \
            and _cap(re.search(r"(\w+)\W*$", text[max(0, c.start - 20):c.start]).group(1)):
        return False  # "Black Friday", "Super Tuesday"
    if wd is not None and wd.endswith(".") and c.rule.name == "weekday" and not c.g("rel") \
            and previous_word(text, c.start) != "on" and not re.match(r",?\s+\d", text[c.end:c.end + 4]):
        return False  # "the Sun.", "Sat." alone: an abbreviation needs "on" or a date after it
    tok = view.token_at(c.match.start("wd") if wd is not None else c.match.start("wds"))
    return tok is None or tok.ent_type_ not in ("PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "FAC")


def _in_title(c: Candidate, text: str, view: DocView) -> bool:
    """A capitalized expression inside a name or title: "USA Today", "VOA Today", ABC's "This Week",
    "Shape the Future of Transit" (only for words that are lower case in running text)."""
    words = re.findall(r"[A-Za-z]+", c.match.group())
    if any(w[0].isupper() for w in words[1:]):
        return True
    if not words or not words[0][0].isupper() or c.start == 0:
        return False
    m = _BEFORE_CAP.search(text, max(0, c.start - 30), c.start)
    if m:
        after_name = m.group(1)[0].isupper() and not re.search(r"[.!?:;\n]", m.group(2))
        if after_name or re.search(r"[\"\u201c]\Z", m.group(2)):
            return True
    tok = view.token_at(c.start)
    return tok is not None and tok.ent_type_ in ("ORG", "WORK_OF_ART", "PRODUCT", "FAC")


def _check_deictic(c: Candidate, text: str, view: DocView) -> bool:
    return not _in_title(c, text, view)


def _check_season(c: Candidate, text: str, view: DocView) -> bool:
    if not (c.g("pre") or c.g("det") or c.g("y") or c.g("pre2")):
        return previous_word(text, c.start) in _SEASON_PREPS  # "prices could fall" is no season
    if c.g("det") and c.g("det").lower() == "the" and not c.g("y"):
        return not re.match(r"\s+of\b", text[c.end:c.end + 4])  # "the fall of the Berlin Wall"
    return True


def _check_time24(c: Candidate, text: str, view: DocView) -> bool:
    line_start = c.start == 0 or text[max(0, c.start - 20):c.start].rstrip(" ").endswith("\n")
    return bool(c.g("tz") or c.g("tz2")) or previous_word(text, c.start) in _TIME_PREP_24 or line_start


def _check_setadv(c: Candidate, text: str, view: DocView) -> bool:
    tok = view.token_at(c.start)  # "weekly" as an adverb, not "the weekly magazine"
    return tok is None or tok.pos_ == "ADV" or tok.dep_ in ("advmod", "npadvmod")


def _check_bare_plural(c: Candidate, text: str, view: DocView) -> bool:
    if re.match(r"\s+old\b", text[c.end:c.end + 5]) or text[c.start - 1:c.start] == "-" \
            or previous_word(text, c.start) == "light":
        return False  # "55 years old": an age; "light-years", "man-hours": other units
    if not c.g("det") and c.g("unit").lower() in ("minutes", "seconds", "days"):
        return previous_word(text, c.start) in _DURATION_PREPS  # "the board's minutes"
    return True


def _check_ago(c: Candidate, text: str, view: DocView) -> bool:
    if c.g("dir").lower() in ("before", "after", "prior", "back", "on"):
        return bool(_PUNCT_AFTER.match(text, c.end))  # "two days before." but not "two days before the vote"
    return True


def _trim(c: Candidate, text: str) -> Candidate:
    """Extent conventions (TimeML): "the [18-month] war", "[three days] later" (a duration anchored
    to an event, the signal word left out)."""
    name = c.rule.name
    if name == "duration" and c.g("det") and not c.g("tail") and not c.g("mod") \
            and text[c.match.end("num"):c.match.start("unit")].strip() == "-":
        c.start = c.match.start("num")
    elif name == "theunit" and (c.g("after") or "").lower() in ("ended", "ending"):
        c.end = c.match.end("unit")
    elif name == "ago" and c.g("dir").lower() in ("later", "after", "on", "before"):
        c.end = c.match.end("unit")
        c.extra["duration"] = True
    return c


def _check_year(c: Candidate, text: str, view: DocView) -> bool:
    if c.g("fy") or c.g("pre"):
        return True
    prev = text[max(0, c.start - 12):c.start]
    if re.search(r"(?:no\.|number|#|\bpage|\bsection|\broute|\bflight|\broom|\bmodel|\bvs\.?|\bbill)\s*$", prev.lower()):
        return False
    if re.search(r"\b(?!AD\b|BC\b|CE\b|FY\b)[A-Z][A-Z0-9]+ $", prev):
        return False  # a product or model number: "GTX 1660", "RTX 2060"
    tok = view.token_at(c.match.start("y"))
    if tok is not None and tok.dep_ == "nummod" and tok.head.tag_ == "NNS" and tok.head.i > tok.i:
        return False
    after = re.match(r"\s+([a-z]+)", text[c.end:c.end + 20])
    if after and after.group(1) in ("people", "percent", "votes", "shares", "points", "employees", "workers",
                                     "jobs", "troops", "soldiers", "units", "cars", "homes", "tons", "miles",
                                     "feet", "meters", "dollars", "euros", "residents", "students", "members"):
        return False
    return True


def _check_set(c: Candidate, text: str, view: DocView) -> bool:
    q = c.g("q").lower()
    unit = c.g("unit").lower()
    if q in ("a", "an"):
        if unit[0].isupper() or not unit.endswith(("year", "month", "week", "day", "hour", "minute", "night",
                                                   "decade", "quarter", "season")):
            return False
        return bool(c.g("freq")) or bool(_AMOUNT_BEFORE.search(text, max(0, c.start - 60), c.start))
    return True


def _check_duration(c: Candidate, text: str, view: DocView) -> bool:
    if re.search(r"(?:[$£€¥]\s*|\w-)$", text[max(0, c.start - 2):c.start]):
        return False  # "$6.99-a-month"
    num = (c.g("num") or "").lower()
    unit = c.g("unit").lower()
    if _YEARLIKE.fullmatch(num) and (not unit.endswith("s") or _YEARLIKE.fullmatch(c.g("num2") or "")):
        return False  # "the 2022-2023 season", "a 1990 year"
    if num in ("a", "an", "one") and unit in ("second", "quarter", "minute") and not c.g("det"):
        return bool(_PUNCT_AFTER.match(text, c.end)) and unit != "quarter"
    if num in ("a", "an") and c.g("det"):
        return False
    if unit.startswith("quarter") and re.match(r"\s+of\b", text[c.end:c.end + 4]):
        return False
    if unit.startswith("year") and not c.g("suffix") and re.match(r"\s+old\b", text[c.end:c.end + 5]):
        return False  # a person's age ("Mr. Lee, 55 years old"), not a period of the story
    return True


def _check_theunit(c: Candidate, text: str, view: DocView) -> bool:
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


_RULE_CHECKS = {
    "year": _check_year, "deictic": _check_deictic, "season": _check_season, "set": _check_set,
    "relunit": lambda c, text, view: not _in_title(c, text, view),
    "duration": _check_duration, "ago": _check_ago, "time24": _check_time24, "theunit": _check_theunit,
    "bare_plural": _check_bare_plural, "setadv": _check_setadv,
    "decade": lambda c, text, view: not c.g("decw") or bool(c.g("the") or c.g("pre")),
    "spoken_year": lambda c, text, view: not c.g("sy").lower().startswith("two") or bool(c.g("the"))
    or previous_word(text, c.start) in ("in", "since", "by", "until", "before", "after", "of"),
    "the_pod": lambda c, text, view: previous_word(text, c.start) in (
        "in", "during", "through", "on", "by", "until", "throughout", "of"),
    "qnum": lambda c, text, view: c.g("q")[0] in "QH",
    "holiday": lambda c, text, view: _cap(c.g("hol")),
    "future_ref": lambda c, text, view: not (c.g("w").lower() == "soon" and re.match(r"\s+as\b", text[
        c.end:c.end + 4])) and not _in_title(c, text, view),  # "as soon as", "Shape the Future of Transit"
    "present_ref": lambda c, text, view: c.g("w").lower() != "the present" or not re.match(
        r"\s+(?:case|study|article|report|system|government|situation)\b", text[c.end:c.end + 12]),
}


def detect(text: str, lex: Lexicon, view: DocView) -> list[Candidate]:
    """Checked, non-overlapping candidates in text order, with times of day joined to their day.

    Each rule is tried only where it can match: at a word that triggers it and at the few words
    before it that the rule's pattern knows (anchored ``match`` calls), so the cost grows with the
    number of trigger words, not with the square of anything.
    """
    toks = [(m.start(), m.group()) for m in TOKEN.finditer(text.lower())]
    wanted: dict[int, list[int]] = {}
    get = lex.triggers.get
    for i, (_, w) in enumerate(toks):
        rules = get(w)
        if rules:
            for r in rules:
                wanted.setdefault(r, []).append(i)
    if lex.digit_rules or lex.year_rules:
        starts = [s for s, _ in toks]
        for m in _DIGIT_TRIGGER.finditer(text):
            rules = lex.digit_rules + lex.year_rules if m.group(1) else lex.year_rules
            i = bisect.bisect_left(starts, m.start())
            for r in rules:
                wanted.setdefault(r, []).append(i)
    found: list[Candidate] = []
    for r, idxs in wanted.items():
        rule = lex.rules[r]
        regex, vocab = rule.regex, rule.vocab
        tried: set[int] = set()
        for i in idxs:
            first = i
            while first > 0 and i - first < rule.back and (toks[first - 1][1] in vocab or toks[first - 1][1].isdigit()):
                first -= 1
            for j in range(first, i + 1):
                s = toks[j][0]
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
    taken = bytearray(len(text))  # 1 where a chosen expression lies: longest first, no overlaps
    chosen: list[Candidate] = []
    for c in found:
        if taken.find(1, c.start, c.end) >= 0:
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return _join_times(chosen, text)


# a number that can start a date or time ("1/15/2025", "3:30", "1990s", "5 p.m."; group 1), or a year
_DIGIT_TRIGGER = re.compile(r"(?<![\d.,])(?:(\d+)(?=[/:]|\.\d|'?s\b|\s?[ap]\.?\s?m\b|\s(?:gmt|utc|hours|hrs|local))"
                            r"|(?:1[6-9]|20)\d\d(?!\d))",
                            re.IGNORECASE)


_DAY_RULES = frozenset(("iso", "mdy", "dmy", "numdate", "weekday", "deictic", "holiday"))
_TIME_RULES = frozenset(("time", "time24", "named_time"))  # times of day that join a day next to them


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
