"""Code points of a batch of lines as numpy arrays: character classes and hashes of line spans.

Why arrays: Python spends about a tenth of a microsecond on every operation on a line, a page has
about 170 lines and the scraped-text cleaner must read thousands of pages per second. So the text of
a whole batch of pages is read once as an array of code points (UTF-32), without splitting it into
line strings: one table lookup gives every character's classes (line breaks among them), another its
lower-case form.

Why hashes: comparing strings needs Python strings. A span of a line (the whole line, the line
without its bullets, its first characters, its last word, one word) is instead named by a 64-bit
polynomial hash of its lower-cased characters, read for any number of spans at once off one prefix
sum: ``sum(c[j] * P**(j - s) for j in range(s, e)) mod 2**64 == (H[e] - H[s]) * P**-s``. "Is this
bare line a cue phrase", "does it start with this literal", "is its last word a photo credit" and
"which words are function words" become sorted-array lookups. The hashes are plain integer
arithmetic, so they are the same in every process and on every machine (the template memory stores
them). Characters beyond U+FFFF share one class and one lower-case value.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

# Character classes (bits of ``classes()``).
SPACE, UPPER, LOWER, DIGIT, PUNCT, FRAME, EDGE, TERMINAL, CLOSER, BREAK = (1 << i for i in range(10))
FRAME_CHARS = " []()•·|-–—*:>»›<«/\\#.,!"   # stripped from both ends of a line before comparing it
EDGE_CHARS = ".,;:!?()[]\"'“”‘’«»"           # stripped from both ends of a word
TERMINAL_CHARS = ".!?…。！？"                  # end a sentence
CLOSER_CHARS = "\"”’'»)]*"                     # may follow a sentence's end
PUNCT_CHARS = ".,;:!?"
BREAK_CHARS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"   # where ``str.splitlines`` splits

_BASE = 0x9E3779B97F4A7C15                      # odd, so it has an inverse modulo 2**64
_INVERSE = pow(_BASE, -1, 1 << 64)


@lru_cache(maxsize=1)
def tables() -> tuple[np.ndarray, np.ndarray]:
    """Class bits (uint16) and lower-case code (uint32; spaces as " ") of every code point up to
    U+FFFF; built on first use (about 20 ms) from Python's own ``str`` methods."""
    chars = [chr(c) for c in range(0x10000)]
    classes = np.zeros(0x10000, dtype=np.uint16)
    for bit, test in ((SPACE, str.isspace), (UPPER, str.isupper), (LOWER, str.islower), (DIGIT, str.isdecimal)):
        classes[np.fromiter(map(test, chars), dtype=bool, count=0x10000)] |= bit
    for bit, members in ((PUNCT, PUNCT_CHARS), (FRAME, FRAME_CHARS), (EDGE, EDGE_CHARS),
                         (TERMINAL, TERMINAL_CHARS), (CLOSER, CLOSER_CHARS), (BREAK, BREAK_CHARS)):
        classes[[ord(ch) for ch in members]] |= bit
    chars[0x130] = "\x00"  # "İ" is the one character that lower-cases to two; it keeps its code
    lowered = "".join(chars).lower()
    if len(lowered) == 0x10000:
        lower = np.frombuffer(lowered.encode("utf-32-le", "surrogatepass"), dtype="<u4").copy()
        lower[0] = 0
        lower[0x130] = 0x130
    else:  # another Unicode version: read the characters one by one
        lower = np.fromiter((ord(low) if len(low) == 1 else code for code, low in enumerate(map(str.lower, chars))),
                            dtype=np.uint32, count=0x10000)
    lower[(classes & SPACE) != 0] = 32  # any space compares as a plain space ...
    lower[10] = 10                      # ... but lines stay apart
    return classes, lower


class _Powers:
    """``P**k`` and ``P**-k`` modulo 2**64 for k below a size that grows on demand."""

    def __init__(self) -> None:
        self.up = self.down = np.ones(0, dtype=np.uint64)

    def get(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        if len(self.up) < n:
            size = max(n, 2 * len(self.up), 1 << 16)
            steps = np.full(size, _BASE, dtype=np.uint64)
            steps[0] = 1
            self.up = np.cumprod(steps, dtype=np.uint64)
            steps[1:] = _INVERSE
            self.down = np.cumprod(steps, dtype=np.uint64)
        return self.up, self.down


_POWERS = _Powers()


class CodeArrays:
    """A text as arrays: code points, classes, lower-case prefix hash, and the ``start`` and ``end``
    offsets of its lines (end exclusive; the line break after a line is at ``end``)."""

    def __init__(self, text: str, start: np.ndarray | None = None, end: np.ndarray | None = None) -> None:
        self.text = text
        self.codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        classes, lower = tables()
        index = self.codes.astype(np.intp)   # cast once for both lookups
        self.classes = classes.take(index, mode="clip")
        self.lower = lower.take(index, mode="clip")
        n = len(self.codes)
        up, self._down = _POWERS.get(n + 1)
        self.prefix = np.empty(n + 1, dtype=np.uint64)
        self.prefix[0] = 0
        np.multiply(self.lower, up[:n], out=self.prefix[1:])   # in place: no temporary of the text's size
        np.cumsum(self.prefix[1:], out=self.prefix[1:])
        self._spaces: np.ndarray | None = None
        self._marks: tuple[np.ndarray, np.ndarray] | None = None
        self._line_of: np.ndarray | None = None
        if start is None or end is None:
            start, end = self.line_bounds()
        self.start, self.end = start, end

    @classmethod
    def from_lines(cls, lines: list[str]) -> "CodeArrays":
        """The lines (without line breaks of their own) joined with "\\n"."""
        lengths = np.fromiter(map(len, lines), dtype=np.intp, count=len(lines))
        end = np.cumsum(lengths + 1) - 1
        return cls("\n".join(lines), end - lengths, end)

    def line_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Start and end of every line, split where ``str.splitlines`` splits ("\\r\\n" is one
        break); a break at the very end starts no line."""
        spaces = self.spaces
        breaks = spaces[(self.classes.take(spaces, mode="clip") & BREAK) != 0]
        if len(breaks):
            pair = (self.codes[breaks] == 10) & (breaks > 0)
            pair[pair] = self.codes[breaks[pair] - 1] == 13
            crlf = breaks[pair]
            breaks = breaks[~pair]
        else:
            crlf = breaks
        n = len(self.codes)
        start = np.concatenate(([0], breaks + 1))
        end = np.concatenate((breaks, [n]))
        if len(crlf):  # a line after "\\r\\n" starts after the "\\n"
            after = np.zeros(n + 1, dtype=bool)
            after[crlf] = True
            start = start + after[start]
        if end[-1] <= start[-1] and len(start) > 1:  # nothing after the last break
            start, end = start[:-1], end[:-1]
        return start, end

    def __len__(self) -> int:
        return len(self.codes)

    def hash(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Hashes of the lower-cased spans ``[start, end)`` (0 for an empty span)."""
        prefix = self.prefix
        return (prefix.take(end, mode="clip") - prefix.take(start, mode="clip")) * self._down.take(start, mode="clip")

    def has(self, positions: np.ndarray, bits: int) -> np.ndarray:
        """Whether the characters at ``positions`` belong to any of the classes in ``bits``."""
        return (self.classes.take(positions, mode="clip") & bits) != 0

    def positions(self, bits: int) -> np.ndarray:
        """Offsets of the characters of the given classes, in order."""
        return np.flatnonzero((self.classes & bits) != 0)  # a bool array: ~5x faster than uint16

    def tokens(self) -> tuple[np.ndarray, np.ndarray]:
        """Start and end of every word (maximal run of non-space characters), in order."""
        bounds = np.concatenate(([-1], self.spaces, [len(self.codes)]))
        start, end = bounds[:-1] + 1, bounds[1:]
        keep = end > start
        return start[keep], end[keep]

    @property
    def spaces(self) -> np.ndarray:
        """Offsets of the space characters (line breaks included)."""
        if self._spaces is None:
            self._scan()
        return self._spaces

    def marks(self) -> tuple[np.ndarray, np.ndarray]:
        """Offsets of the punctuation marks and of the digits."""
        if self._marks is None:
            self._scan()
        return self._marks

    def _scan(self) -> None:
        """Spaces, punctuation marks and digits in one pass over the classes."""
        found = np.flatnonzero((self.classes & (SPACE | PUNCT | DIGIT)) != 0)
        kind = self.classes.take(found, mode="clip")
        space = (kind & SPACE) != 0
        digit = (kind & DIGIT) != 0
        self._spaces = found[space]
        self._marks = found[~space & ~digit], found[digit]

    def set_lines(self, start: np.ndarray, end: np.ndarray) -> None:
        """Use these spans as the lines (``line_of`` follows)."""
        self.start, self.end = start, end
        self._line_of = None

    def line_of(self, positions: np.ndarray) -> np.ndarray:
        """The line each position inside a line belongs to: a running count of line starts read at
        the positions (a binary search per position costs several times more)."""
        if self._line_of is None:
            starts = np.zeros(len(self.codes) + 1, dtype=np.int32)
            starts[self.start] = 1  # lines are disjoint and non-empty: their starts differ
            np.cumsum(starts, out=starts)   # in place: no temporaries of the text's size
            starts -= 1
            self._line_of = starts
        return self._line_of.take(positions, mode="clip")

    def strip(self, start: np.ndarray, end: np.ndarray, bits: int, *, left: bool = True,
              right: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Spans with characters of the given classes stripped from their ends. Loops once per
        stripped character, over the spans that still have one (a few rounds on real text)."""
        start, end = start.copy(), end.copy()
        for on, side in ((left, 0), (right, 1)):
            active = np.flatnonzero(end > start) if on else np.zeros(0, dtype=np.intp)
            while len(active):
                at = start.take(active, mode="clip") if side == 0 else end.take(active, mode="clip") - 1
                active = active[self.has(at, bits)]
                if side == 0:
                    start[active] += 1
                else:
                    end[active] -= 1
                active = active[end[active] > start[active]]
        return start, end


def span_hashes(codes: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Hashes of the spans ``[start, end)`` of ``codes`` as they are (not lower-cased), by the same
    polynomial as ``CodeArrays.hash``."""
    n = len(codes)
    up, down = _POWERS.get(n + 1)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(codes * up[:n], out=prefix[1:])
    return (prefix.take(end, mode="clip") - prefix.take(start, mode="clip")) * down.take(start, mode="clip")


def hash_strings(strings: list[str]) -> np.ndarray:
    """The ``CodeArrays.hash`` of each whole string (for tables of phrases and words)."""
    if not strings:
        return np.zeros(0, dtype=np.uint64)
    arrays = CodeArrays.from_lines(list(strings))
    return arrays.hash(arrays.start, arrays.end)


class HashSet:
    """A set of hashes with an optional value each, looked up by array. A small direct-address
    table on the hashes' low bits holds up to two members per slot (sized so that no slot needs
    three), so a lookup is a few gathers in tables that stay in the CPU cache; ``np.searchsorted``
    costs ~10 comparisons a lookup and a collision-free table would be too large to stay cached."""

    def __init__(self, hashes: np.ndarray, values: np.ndarray | None = None) -> None:
        hashes, first = np.unique(np.asarray(hashes, dtype=np.uint64), return_index=True)
        self.hashes = np.concatenate((np.zeros(1, dtype=np.uint64), hashes))  # place 0: no member
        self.values = np.concatenate(([0], np.asarray(values)[first])) if values is not None else None
        bits = max(4, int(len(hashes)).bit_length() + 1)
        while True:
            mask = (1 << bits) - 1
            slots = (hashes & np.uint64(mask)).astype(np.intp)
            if len(slots) == 0 or np.bincount(slots).max() <= 2:
                break
            bits += 1
        self.mask = np.uint64(mask)
        self.first = np.zeros(mask + 1, dtype=np.intp)
        self.second = np.zeros(mask + 1, dtype=np.intp)
        for place, slot in enumerate(slots.tolist(), start=1):
            if self.first[slot]:
                self.second[slot] = place
            else:
                self.first[slot] = place
        # The members' hashes by slot, so that a lookup compares without a second gather. An empty
        # slot holds a value of another slot (its number plus one), which no hash of its own slot
        # can equal.
        empty = (np.arange(mask + 1, dtype=np.uint64) + np.uint64(1)) & self.mask
        self.first_hash = np.where(self.first > 0, self.hashes[self.first], empty)
        self.second_hash = np.where(self.second > 0, self.hashes[self.second], empty)

    def _slots(self, hashes: np.ndarray) -> np.ndarray:
        slot = np.bitwise_and(hashes, self.mask)
        return slot.view(np.intp) if slot.dtype == np.uint64 else slot.astype(np.intp)

    def find(self, hashes: np.ndarray) -> np.ndarray:
        """Each hash's place among the members (index into ``values``), 0 for non-members."""
        hashes = np.asarray(hashes, dtype=np.uint64)
        slot = self._slots(hashes)
        places = np.zeros(hashes.shape, dtype=np.intp)
        for slot_hash, place in ((self.first_hash, self.first), (self.second_hash, self.second)):
            hit = slot_hash.take(slot) == hashes
            places[hit] = place.take(slot[hit])
        return places

    def has(self, hashes: np.ndarray) -> np.ndarray:
        """Whether each hash is a member (the hash 0 of an empty span never is)."""
        slot = self._slots(hashes)
        return (self.first_hash.take(slot) == hashes) | (self.second_hash.take(slot) == hashes)
