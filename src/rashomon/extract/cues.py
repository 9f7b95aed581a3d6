"""Cues of the scraped-text classifier, kept as data in ``data/text_cues.json``.

A cue says what kind of clutter (or metadata) a line looks like: interface text ("Skip to content"),
a newsletter prompt, a read-time or audio notice, an advert marker, a feed heading ("More news"), a
comment header, a copyright or social line, a photo caption, a byline, a date line. Each cue is one
feature of the learned line model, so the data only says what a line looks like, never what to do.

Matching is built for speed (a page has hundreds of lines and the extractor must handle thousands
of pages per second). ``match`` and ``ending`` read one line; the scraped-text cleaner reads a whole
batch of pages at once through hashes (``extract.chars``): a bare line is a phrase when its hash is
in ``phrase_set``; a pattern can only match a line that starts with the pattern's literal prefix
(derived from each pattern when the table is loaded), so only lines whose first characters hash to
one of ``prefix_sets`` (or start with a digit, for patterns that do) meet the patterns; line
endings are only tried on lines whose last word hashes to one of ``last_word_set`` or whose
last characters could start one.
"""
from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from importlib import resources

try:  # the standard library's regular-expression parser (public as sre_parse before Python 3.11)
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]

import numpy as np

from rashomon.extract.chars import EDGE_CHARS, FRAME_CHARS, HashSet, hash_strings

log = logging.getLogger(__name__)

CUE_NAMES = ("interface", "newsletter", "read_time", "audio", "advert", "feed", "related", "comment",
             "copyright", "social", "caption", "byline", "dateline_cue", "date")
CUE_BIT = {name: 1 << i for i, name in enumerate(CUE_NAMES)}
# Characters stripped from both ends of a line before comparing: bullets, brackets, separators.
FRAME = FRAME_CHARS
_SPECIAL = set("\\()[]?*+.{}|^$")
_QUANTIFIERS = set("?*{")
WORD_EDGE = EDGE_CHARS
PREFIX_CHARS = 12  # literal prefixes of patterns are compared up to this many characters
_MAX_PREFIXES = 256


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


def leading_keys(pattern: str, limit: int = 3) -> set[str] | None:
    """The prefixes (up to ``limit`` characters) a line must start with to match ``pattern`` ("#"
    for a digit), or None when they cannot be read off the pattern."""
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
            found = leading_keys(alternative + rest, limit)
            if found is None:
                return None
            keys |= found
        return keys
    literal = ""
    for i, ch in enumerate(pattern):
        if len(literal) == limit or ch in _SPECIAL or pattern[i + 1:i + 2] in _QUANTIFIERS and pattern[i + 1:i + 2]:
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
        self.endings: list[tuple[int, str, frozenset[str], bool, re.Pattern]] = [
            (CUE_BIT[name], spec["last_chars"], frozenset(spec["last_words"]), bool(spec.get("labels")),
             re.compile(spec["pattern"])) for name, spec in data["endings"].items()]
        self.labels = frozenset(w for spec in data["endings"].values() for w in spec.get("labels", ()))
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
        # Each list of patterns as one regular expression (``_combine``).
        self.by_digit = _combine(self.by_digit) if self.by_digit else None
        self.by_prefix[0].update({key: _combine(entries) for key, entries in self.by_prefix[0].items()})
        self._dispatch = {key: (_combine(entries), {ch: _combine(more) for ch, more in by_third.items()})
                          for key, (entries, by_third) in self._dispatch.items()}
        self.last_chars = "".join(sorted({ch for _, chars, _, _, _ in self.endings for ch in chars}))
        self.last_words = frozenset(w for _, _, words, _, _ in self.endings for w in words)
        self._hash_tables(data)
        # Menus and footers recur from batch to batch: their pattern bits are remembered.
        self.cached_pattern_bits = lru_cache(maxsize=1 << 14)(self.pattern_bits)

    def _hash_tables(self, data: dict) -> None:
        """Sorted hashes for the batch reader: phrases (with their bits), the literal prefixes of
        the patterns by length, the last words and label words of endings."""
        phrases = sorted(self.phrases)
        self.phrase_set = HashSet(hash_strings(phrases), np.array([self.phrases[p] for p in phrases], dtype=np.int64))
        prefixes: set[str] = set()
        for patterns in data["patterns"].values():
            for pattern in patterns:
                prefixes |= literal_prefixes(pattern)
        self.digit_patterns = "#" in prefixes
        self.any_prefix = "" in prefixes   # some pattern may match any line: all are candidates
        prefixes -= {"#", ""}
        self.prefix_chars = frozenset(ord(p) for p in prefixes if len(p) == 1)   # one-character prefixes
        longer = sorted(p for p in prefixes if len(p) >= 2)
        # All longer prefixes in one set, each hash salted with its length: a line's first 2, 3, ...
        # characters are looked up at once, for the lines whose first characters (as many as the
        # shortest prefix holds) start a prefix (``prefix_starts``).
        self.prefix_lengths = np.array(sorted({len(p) for p in longer}) or [2], dtype=np.intp)
        self.prefix_starts = HashSet(hash_strings(sorted({p[:self.prefix_lengths[0]] for p in longer})))
        self.prefix_set = HashSet(hash_strings(longer) ^ length_salt(np.array([len(p) for p in longer])))
        self.last_word_set = HashSet(hash_strings(sorted(self.last_words)))
        self.ending_tables = [(bit, [ord(c) for c in chars], HashSet(hash_strings(sorted(words))), labels, pattern)
                              for bit, chars, words, labels, pattern in self.endings]
        self.label_set = HashSet(hash_strings(sorted(self.labels)))

    @classmethod
    def load(cls, name: str = "text_cues.json") -> "CueTable":
        """The cue table shipped in ``extract/data``."""
        text = resources.files("rashomon.extract").joinpath("data", name).read_text("utf-8")
        return cls(json.loads(text))

    def match(self, bare: str) -> int:
        """Cue bits of a line's bare form (lower-cased, frame characters stripped)."""
        return self.phrases.get(bare, 0) | self.pattern_bits(bare)

    def pattern_bits(self, bare: str) -> int:
        """Cue bits of the patterns (not the phrases) that a line's bare form matches."""
        entry = self._dispatch.get(bare[:2])
        if entry is None:
            group = self.by_digit if bare[:1].isdigit() else self.by_prefix[0].get(bare[:1])
            if not group:
                return 0
        else:
            group = entry[1].get(bare[2:3], entry[0])
        pattern, cue_bits = group
        bits = 0
        for bit, found in zip(cue_bits, pattern.match(bare).groups()):
            if found is not None:
                bits |= bit
        return bits

    def ending(self, line: str, labelled: bool | None = None) -> int:
        """Cue bits found at the end of a line (photo credits, comment headers). ``labelled``: the
        line has a colon among its last 70 characters right after a label word ("Photo: ...");
        found here when not given."""
        last_char = line[-1]
        last_word = line[line.rfind(" ") + 1:].strip(WORD_EDGE).lower()
        if labelled is None:
            labelled = self.labelled(line)
        bits = 0
        tail = None
        for bit, chars, words, labels, pattern in self.endings:
            if last_char in chars or last_word in words or (labels and labelled):
                tail = tail or line[-160:].lower()
                if pattern.search(tail):
                    bits |= bit
        return bits

    def labelled(self, line: str) -> bool:
        """A colon among the line's last 70 characters right after a label word ("Photo: ...")."""
        head = line[-70:]
        colon = head.find(":")
        while colon >= 0:
            word = head[:colon].rstrip()
            word = word[word.rfind(" ") + 1:].strip(WORD_EDGE).lower()
            if word in self.labels:
                return True
            colon = head.find(":", colon + 1)
        return False


def literal_prefixes(pattern: str, limit: int = PREFIX_CHARS) -> set[str]:
    """Strings of up to ``limit`` characters one of which starts every text ``pattern`` matches
    ("#": a digit; "": anything). Read off the parsed pattern: literals, groups, alternatives and
    optional parts are followed; ``\\s`` counts as a space (lines are compared with their spaces made
    plain); anything else ends the prefix."""
    done: set[str] = set()
    open_ = _expand(_sre_parse.parse(pattern), {""}, done, limit)
    return {p[:limit] for p in done | open_}


def _expand(items, prefixes: set[str], done: set[str], limit: int) -> set[str]:
    """Extend the still-open ``prefixes`` by a parsed sequence; closed ones go to ``done``."""
    for op, av in items:
        if not prefixes:
            break
        name = str(op)
        if len(prefixes) + len(done) > _MAX_PREFIXES:
            done |= prefixes
            return set()
        if name == "LITERAL":
            prefixes = {p + chr(av).lower() for p in prefixes}
        elif name == "IN" and av == [(_sre_parse.CATEGORY, _sre_parse.CATEGORY_SPACE)]:
            prefixes = {p + " " for p in prefixes}
        elif name == "IN" and av == [(_sre_parse.CATEGORY, _sre_parse.CATEGORY_DIGIT)]:
            done |= {"#" if p == "" else p for p in prefixes}
            return set()
        elif name == "IN" and all(str(o) == "LITERAL" for o, _ in av) and len(av) <= 4:
            prefixes = {p + chr(c).lower() for p in prefixes for _, c in av}
        elif name == "AT" and str(av) in ("AT_BEGINNING", "AT_BEGINNING_STRING", "AT_BOUNDARY"):
            continue
        elif name == "SUBPATTERN":
            prefixes = _expand(av[-1], prefixes, done, limit)
        elif name == "BRANCH":
            prefixes = set().union(*(_expand(alt, set(prefixes), done, limit) for alt in av[1]))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            once = _expand(sub, set(prefixes), done, limit)
            if high != 1:  # more repeats may follow: the prefix ends after one
                done |= once
                once = set()
            prefixes = once | (prefixes if low == 0 else set())
        else:
            done |= prefixes
            return set()
        full = {p for p in prefixes if len(p) >= limit}
        done |= full
        prefixes -= full
    return prefixes


def _combine(entries: list[tuple[int, re.Pattern]]) -> tuple[re.Pattern, tuple[int, ...]]:
    """One regular expression that tries every cue of a list at once: per cue an optional
    look-ahead for the alternation of its patterns, followed by an empty group that takes part in
    the match exactly when the look-ahead holds (one ``match`` call instead of one per pattern)."""
    by_bit: dict[int, list[str]] = {}
    for bit, pattern in entries:
        if pattern.groups:
            raise ValueError(f"cue pattern {pattern.pattern!r} has a capturing group; use (?:...)")
        by_bit.setdefault(bit, []).append(pattern.pattern)
    body = "".join("(?:(?=" + "|".join(f"(?:{p})" for p in patterns) + ")())?" for patterns in by_bit.values())
    return re.compile(body), tuple(by_bit)


def length_salt(lengths: np.ndarray) -> np.ndarray:
    """A value per length to mix into a hash, so that sets of strings of several lengths stay apart."""
    return np.asarray(lengths, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)


def bare(line: str) -> str:
    """A line lower-cased with bullets, brackets and separators stripped from both ends."""
    return line.strip(FRAME).lower()
