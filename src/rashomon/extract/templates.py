"""Per-outlet template memory: lines that recur on many pages of one outlet are boilerplate.

A page of The Example Times copied from a browser carries the same menu, footer and newsletter lines
as every other page of that outlet. The memory counts, per outlet, on how many pages each line was
seen; a line's share is that count over the outlet's page count. The scraped-text cleaner treats a
line with a high share as interface text once the outlet has enough pages.

Lines are counted by fingerprint: a 64-bit hash of their words, lower-cased, every word holding a
digit counted as the same word (dates and counts vary), computed for a whole batch of pages at once
by ``lines.read_pages`` (hashing each line in Python cost ~2 µs a line). Fingerprints are plain
integer arithmetic on code points, so they are the same in every process and can be stored.

This class keeps the counts in memory (``rashomon extract`` learns within one batch); the store's
``StoreTemplateMemory`` keeps them in SQLite so the memory grows with every ingest.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable, Sequence

import numpy as np


def line_fingerprints(lines: list[str]) -> list[int]:
    """Fingerprints of lines (as ``lines.read_pages`` computes them for its pages)."""
    from rashomon.extract.lines import line_fingerprints as compute

    return compute(list(lines)).tolist()


def line_fingerprint(line: str) -> int:
    """Key of one line for template counting: case and numbers ignored."""
    return line_fingerprints([line])[0]


def page_key(keys: np.ndarray) -> str:
    """Key of a page: its set of line fingerprints, as a sorted array (the same page read twice
    counts once)."""
    return "2:" + hashlib.blake2b(np.asarray(keys, dtype="<u8").tobytes(), digest_size=12).hexdigest()


class TemplateMemory:
    """Counts of line fingerprints per outlet. ``min_pages`` pages are needed before shares count."""

    min_pages = 3

    def __init__(self) -> None:
        self._pages: Counter[str] = Counter()
        self._lines: dict[str, Counter[int]] = {}
        self._page_keys: set[tuple[str, str]] = set()

    def pages(self, outlet: str) -> int:
        """How many pages of this outlet have been observed."""
        self._ensure(outlet)
        return self._pages[outlet]

    def shares(self, outlet: str, fingerprints: Sequence[int]) -> list[float] | None:
        """Share of the outlet's observed pages that contained each line; None before ``min_pages``."""
        n = self.pages(outlet)
        if n < self.min_pages:
            return None
        get = self._lines[outlet].get
        return [get(key, 0) / n for key in fingerprints]

    def line_share(self, outlet: str | None, line: str) -> float:
        """Share of the outlet's observed pages that contained this line (0 before ``min_pages``)."""
        if not outlet:
            return 0.0
        found = self.shares(outlet, [line_fingerprint(line)])
        return found[0] if found else 0.0

    def observe(self, outlet: str | None, lines: Iterable[str]) -> None:
        """Record one page of this outlet given as lines."""
        if outlet:
            self.observe_keys(outlet, line_fingerprints([line for line in lines if line.strip()]))

    def observe_keys(self, outlet: str | None, fingerprints: Sequence[int] | np.ndarray) -> None:
        """Record one page of this outlet: each distinct line counts once, and a page seen before
        (the same lines) is not counted again, so re-reading a page never turns it into boilerplate."""
        if not outlet:
            return
        self._ensure(outlet)
        unique = np.sort(np.asarray(fingerprints, dtype=np.uint64))
        if not len(unique):
            return
        unique = unique[np.concatenate(([True], unique[1:] != unique[:-1]))]  # np.unique, at a third of the cost
        key = page_key(unique)
        if self._seen_before(outlet, key):
            return
        keys = unique.tolist()
        self._pages[outlet] += 1
        self._lines[outlet].update(keys)
        self._persist(outlet, key, keys)

    # Hooks for persistent subclasses -------------------------------------------------------------

    def _ensure(self, outlet: str) -> None:
        if outlet not in self._lines:
            self._lines[outlet] = Counter()
            self._load(outlet)

    def _load(self, outlet: str) -> None:
        """Fill ``_pages[outlet]`` and ``_lines[outlet]`` from storage (nothing to do in memory)."""

    def _seen_before(self, outlet: str, page_key: str) -> bool:
        """True when this exact page was observed already (then remembers it)."""
        if (outlet, page_key) in self._page_keys:
            return True
        self._page_keys.add((outlet, page_key))
        return False

    def _persist(self, outlet: str, page_key: str, keys: list[int]) -> None:
        """Write one observed page to storage (nothing to do in memory)."""
