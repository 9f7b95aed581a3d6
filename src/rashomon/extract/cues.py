"""Cues of the scraped-text classifier, kept as data in ``data/text_cues.json``.

A cue says what kind of clutter (or metadata) a line looks like: interface text ("Skip to content"),
a newsletter prompt, a read-time or audio notice, an advert marker, a feed heading ("More news"), a
comment header, a copyright or social line, a photo caption, a byline, a date line. Each cue is one
feature of the learned line model, so the data only says what a line looks like, never what to do.

Matching is built for speed (a page has hundreds of lines and the extractor must handle thousands
of pages per second): exact phrases are one dictionary lookup on the line's bare form; patterns are
looked up by the bare line's first one or two characters (derived from each pattern when the table
is loaded), so a line only meets the few patterns that could match it; line endings (photo credits,
"... says:") are only tried on lines whose last word or character could start one.
"""
from __future__ import annotations

import json
import logging
import re
from importlib import resources

log = logging.getLogger(__name__)

CUE_NAMES = ("interface", "newsletter", "read_time", "audio", "advert", "feed", "related", "comment",
             "copyright", "social", "caption", "byline", "dateline_cue", "date")
CUE_BIT = {name: 1 << i for i, name in enumerate(CUE_NAMES)}
# Characters stripped from both ends of a line before comparing: bullets, brackets, separators.
FRAME = " []()•·|-–—*:>»›<«/\\#.,!"
_SPECIAL = set("\\()[]?*+.{}|^$")
_QUANTIFIERS = set("?*{")
WORD_EDGE = ".,;:!?()[]\"'“”‘’«»"


def _split_alternatives(group: str) -> list[str]:
    """Top-level alternatives of a regex group body."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(group):
        if ch == "\\":
            continue
        if ch == "(" and (i == 0 or group[i - 1] != "\\"):
            depth += 1
        elif ch == ")" and group[i - 1] != "\\":
            depth -= 1
        elif ch == "|" and depth == 0 and group[i - 1] != "\\":
            parts.append(group[start:i])
            start = i + 1
    parts.append(group[start:])
    return parts


def leading_keys(pattern: str) -> set[str] | None:
    """The prefixes (up to three characters) a line must start with to match ``pattern`` ("#" for a
    digit), or None when they cannot be read off the pattern."""
    if pattern.startswith("\\d"):
        return {"#"}
    if pattern.startswith("(?:"):
        depth = 0
        for close, ch in enumerate(pattern):
            if ch == "(" and pattern[close - 1:close] != "\\":
                depth += 1
            elif ch == ")" and pattern[close - 1:close] != "\\":
                depth -= 1
                if depth == 0:
                    break
        rest = pattern[close + 1:]
        if rest[:1] in _QUANTIFIERS:
            return None
        keys: set[str] = set()
        for alternative in _split_alternatives(pattern[3:close]):
            found = leading_keys(alternative + rest)
            if found is None:
                return None
            keys |= found
        return keys
    literal = ""
    for i, ch in enumerate(pattern):
        if len(literal) == 3 or ch in _SPECIAL or pattern[i + 1:i + 2] in _QUANTIFIERS and pattern[i + 1:i + 2]:
            break
        literal += ch
    return {literal} if literal else None


class CueTable:
    """Compiled cues: ``match(bare)`` for a line's bare form, ``ending(line)`` for its end."""

    def __init__(self, data: dict) -> None:
        self.max_words: int = data["max_words"]
        self.phrases: dict[str, int] = {}
        for name, phrases in data["phrases"].items():
            for phrase in phrases:
                self.phrases[phrase] = self.phrases.get(phrase, 0) | CUE_BIT[name]
        # Patterns by the prefix a line needs to match them: one, two or three characters, or a digit.
        self.by_prefix: tuple[dict[str, list[tuple[int, re.Pattern]]], ...] = ({}, {}, {})
        self.by_digit: list[tuple[int, re.Pattern]] = []
        self.unkeyed: list[tuple[int, re.Pattern]] = []
        for name, patterns in data["patterns"].items():
            for pattern in patterns:
                entry = (CUE_BIT[name], re.compile(pattern))
                keys = leading_keys(pattern)
                if keys is None:
                    log.debug("cue pattern %r has no fixed start; tried on every line", pattern)
                    self.unkeyed.append(entry)
                    continue
                for key in keys:
                    if key == "#":
                        self.by_digit.append(entry)
                    else:
                        self.by_prefix[len(key) - 1].setdefault(key, []).append(entry)
        self.endings: list[tuple[int, str, frozenset[str], re.Pattern]] = [
            (CUE_BIT[name], spec["last_chars"], frozenset(spec["last_words"]), re.compile(spec["pattern"]))
            for name, spec in data["endings"].items()]
        self.desk_byline = re.compile(data["desk_byline"], re.I)
        self.copyright_holder = re.compile(data["copyright_holder"], re.I)
        # Lookup tables: each prefix maps to every pattern a line with that prefix may match.
        one, two, three = self.by_prefix
        self._two = {key: [*one.get(key[0], []), *entries] for key, entries in two.items()}
        for key, entries in three.items():
            self._two.setdefault(key[:2], [*one.get(key[0], [])])
        self._three = {key: [*self._two[key[:2]], *entries] for key, entries in three.items()}
        # Two-character prefix -> (patterns for it, {third character: patterns for the three}).
        self._dispatch: dict[str, tuple[list, dict[str, list]]] = {}
        for key, entries in self._two.items():
            self._dispatch[key] = (entries, {})
        for key, entries in self._three.items():
            self._dispatch[key[:2]][1][key[2]] = entries
        if self.unkeyed:
            raise ValueError(f"cue patterns without a fixed start: {[p.pattern for _, p in self.unkeyed]}")
        self.last_chars = "".join({ch for _, chars, _, _ in self.endings for ch in chars})
        self.last_words = frozenset(w for _, _, words, _ in self.endings for w in words)

    @classmethod
    def load(cls, name: str = "text_cues.json") -> "CueTable":
        """The cue table shipped in ``extract/data``."""
        text = resources.files("rashomon.extract").joinpath("data", name).read_text("utf-8")
        return cls(json.loads(text))

    def match(self, bare: str) -> int:
        """Cue bits of a line's bare form (lower-cased, frame characters stripped)."""
        bits = self.phrases.get(bare, 0)
        entry = self._dispatch.get(bare[:2])
        if entry is None:
            candidates = self.by_digit if bare[:1].isdigit() else self.by_prefix[0].get(bare[:1])
            if not candidates:
                return bits
        else:
            candidates = entry[1].get(bare[2:3], entry[0])
        for bit, pattern in candidates:
            if not bits & bit and pattern.match(bare):
                bits |= bit
        return bits

    def ending(self, line: str) -> int:
        """Cue bits found at the end of a line (photo credits, comment headers)."""
        last_char = line[-1]
        last_word = line[line.rfind(" ") + 1:].strip(WORD_EDGE).lower()
        labelled = ":" in line[-70:]  # "Photo: Example Agency"
        if last_char not in self.last_chars and last_word not in self.last_words and not labelled:
            return 0
        bits = 0
        tail = line[-160:].lower()
        for bit, chars, words, pattern in self.endings:
            if (labelled or last_char in chars or last_word in words) and pattern.search(tail):
                bits |= bit
        return bits


def bare(line: str) -> str:
    """A line lower-cased with bullets, brackets and separators stripped from both ends."""
    return line.strip(FRAME).lower()
