"""Word lists and compiled patterns for time expressions (data in ``analyze/data/``).

``timex_words.json`` holds the vocabulary (months, units, modifiers, reference words...);
``timex_patterns.txt`` holds the regular expressions, written with macros that name those lists.
This module turns both into a :class:`Lexicon` (loaded once per process) and parses number words.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
WS = r"(?:[ \t\u00a0]+\n?|\n)[ \t\u00a0]*"  # what a plain space in a pattern matches
_MACRO = re.compile(r"%([A-Z0-9_]+)%")


@dataclass(frozen=True)
class Rule:
    """One detection pattern: its name (which picks the normalizer), TIMEX3 type and compiled regex."""

    name: str
    type: str
    regex: re.Pattern
    priority: int
    back: int = 6  # how many words before a trigger word a match may start
    vocab: frozenset[str] = frozenset()  # the lower-case words its pattern can match


TOKEN = re.compile(r"[A-Za-z]+|\d+")


@dataclass
class Lexicon:
    """Everything the detector and the normalizer read from the data files."""

    words: dict[str, Any]
    rules: list[Rule]
    months: dict[str, int]
    weekdays: dict[str, int]
    triggers: dict[str, tuple[int, ...]]  # lower-case word -> indexes of the rules it triggers
    digit_rules: tuple[int, ...]          # rules triggered by any number
    year_rules: tuple[int, ...]           # rules triggered by a number 1600-2099


def _trigger_words(name: str, words: dict[str, Any]) -> set[str]:
    """The trigger words of an upper-case list name (phrases give their longest word)."""
    lists = {"MONTH": ("months", "month_abbreviations"), "WEEKDAY": ("weekdays", "weekday_abbreviations"),
             "UNIT": ("units",), "SEASON": ("seasons",), "POD": ("parts_of_day",), "PRESENT": ("present_ref",),
             "PAST": ("past_ref",), "FUTURE": ("future_ref",), "HOLIDAY": ("holidays",),
             "SETADV": ("set_adverbs",), "LONG": ("long_compounds",)}
    if name not in lists:
        raise KeyError(f"unknown trigger list {name} in time patterns")
    out: set[str] = set()
    for key in lists[name]:
        for phrase in words[key]:
            toks = TOKEN.findall(phrase.lower())
            out.add(max(toks, key=len))
    if name == "WEEKDAY":
        out |= {w + "s" for w in words["weekdays"]}
    return out


def _alternation(items, escape: bool = True) -> str:
    """A non-capturing alternation, longest first, spaces matching any spacing."""
    parts = sorted({str(i) for i in items}, key=lambda s: (-len(s), s))
    out = [(re.escape(p) if escape else p).replace(r"\ ", " ") for p in parts]
    return "(?:" + "|".join(out) + ")"


def _word_macros(words: dict[str, Any]) -> dict[str, str]:
    nums = words["number_words"]
    ones = [w for w, v in nums.items() if 1 <= v <= 9 and " " not in w and w not in ("a", "an")]
    teens = [w for w, v in nums.items() if 10 <= v <= 19 and " " not in w]
    tens = [w for w, v in nums.items() if v in (20, 30, 40, 50, 60, 70, 80, 90)]
    simple = [w for w in nums if w not in tens]
    numword = ("(?:" + _alternation(tens) + r"(?:[-\s]" + _alternation(ones) + ")?|" + _alternation(simple) + ")")
    return {
        "MONTHNAME": _alternation(words["months"]),
        "MONTHABBR": _alternation(words["month_abbreviations"]),
        "WEEKDAYNAME": _alternation(words["weekdays"]),
        "WEEKDAYABBR": _alternation(words["weekday_abbreviations"]),
        "ONES": _alternation(ones), "TEENS": _alternation(teens), "TENS": _alternation(tens),
        "NUMWORD": numword,
        "VAGUE": _alternation(words["vague_numbers"]),
        "UNIT": _alternation(words["units"]),
        "ORDINAL": _alternation(words["ordinals"]),
        "SEASON": _alternation(words["seasons"]),
        "POD": _alternation(words["parts_of_day"]),
        "APPROX": _alternation(words["approx_modifiers"]),
        "PRESENT": _alternation(words["present_ref"]),
        "PAST": _alternation(words["past_ref"]),
        "FUTURE": _alternation(words["future_ref"]),
        "TZ": _alternation(words["timezones"]),
        "HOLIDAY": _alternation(words["holidays"]),
        "SETADV": _alternation(words["set_adverbs"]),
        "LONG": _alternation(words["long_compounds"]),
    }


def _spaces_to_ws(pattern: str) -> str:
    """Replace plain spaces outside character classes by :data:`WS`."""
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == " ":
            out.append(WS)
        else:
            out.append(ch)
    return "".join(out)


def _read_blocks(path: Path) -> list[tuple[str, str]]:
    """(header, body) for each ``$MACRO`` or ``@rule TYPE`` block of the pattern file."""
    blocks: list[tuple[str, list[str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in "$@":
            blocks.append((line.strip(), []))
        elif line[0].isspace() and blocks:
            blocks[-1][1].append(line.strip())
        else:
            raise ValueError(f"{path.name}: cannot read line {line!r}")
    return [(head, "".join(body)) for head, body in blocks]


def _expand(pattern: str, macros: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        if m.group(1) not in macros:
            raise KeyError(f"unknown macro %{m.group(1)}% in time patterns")
        return macros[m.group(1)]
    return _MACRO.sub(sub, pattern)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The word lists and compiled rules (read once per process)."""
    words = json.loads((DATA / "timex_words.json").read_text(encoding="utf-8"))
    macros = _word_macros(words)
    rules: list[Rule] = []
    triggers: dict[str, list[int]] = {}
    digit_rules, year_rules = [], []
    for head, body in _read_blocks(DATA / "timex_patterns.txt"):
        if head.startswith("$"):
            macros[head[1:]] = _expand(_spaces_to_ws(body), macros)
            continue
        name, type_, *spec = head[1:].split()
        back = int(spec.pop()[1:]) if spec and spec[-1].startswith("/") else 6
        index = len(rules)
        for item in spec:
            if item == "DIGIT":
                digit_rules.append(index)
            elif item == "YEAR":
                year_rules.append(index)
            else:
                for w in (_trigger_words(item, words) if item.isupper() else {item}):
                    triggers.setdefault(w, []).append(index)
        pattern = r"(?<![\w])(?:" + _expand(_spaces_to_ws(body), macros) + r")(?![\w])"
        vocab = frozenset(re.findall(r"[a-z]+", re.sub(r"\(\?P<\w+>|\\[a-z]", " ", pattern.lower())))
        rules.append(Rule(name, type_, re.compile(pattern, re.IGNORECASE), index, back, vocab))
    months = {**words["months"], **words["month_abbreviations"]}
    weekdays = {**words["weekdays"], **words["weekday_abbreviations"]}
    return Lexicon(words=words, rules=rules, months=months, weekdays=weekdays,
                   triggers={w: tuple(sorted(set(r))) for w, r in triggers.items()},
                   digit_rules=tuple(digit_rules), year_rules=tuple(y for y in year_rules if y not in digit_rules))


_SPACES = re.compile(r"[\s\-]+")
_WS_ONLY = re.compile(r"\s+")


def parse_number(text: str | None, lex: Lexicon) -> float | None:
    """``"18"`` -> 18, ``"twenty four"`` -> 24, ``"a couple of"`` -> 2, ``"1,500"`` -> 1500; None if vague."""
    if not text:
        return None
    t = _SPACES.sub(" ", text.strip().lower())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", t):
        return float(t.replace(",", ""))
    nums = lex.words["number_words"]
    if t in nums:
        return float(nums[t])
    total, current = 0, 0
    for w in t.split():
        if w not in nums or w in ("a", "an"):
            return None
        v = nums[w]
        if v == 100:
            current = max(current, 1) * 100
        elif v == 1000:
            total += max(current, 1) * 1000
            current = 0
        else:
            current += v
    return float(total + current) if (total or current) else None


def norm_key(text: str) -> str:
    """Lower case with single spaces and no trailing period: the key used in the word lists."""
    return _WS_ONLY.sub(" ", text.strip().lower()).rstrip(".")
