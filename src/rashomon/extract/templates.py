"""Per-outlet template memory: lines that recur on many pages of one outlet are boilerplate.

A page of The Example Times copied from a browser carries the same menu, footer and newsletter lines
as every other page of that outlet. The memory counts, per outlet, on how many pages each normalized
line was seen; ``line_share`` is that count over the outlet's page count. The scraped-text cleaner
treats a line with a high share as interface text once the outlet has enough pages.

This class keeps the counts in memory (``rashomon extract`` learns within one batch); the store's
``StoreTemplateMemory`` keeps them in SQLite so the memory grows with every ingest.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from typing import Iterable

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def line_fingerprint(line: str) -> str:
    """Key of a line for template counting: case, spacing and digits ignored (dates and counts vary)."""
    norm = unicodedata.normalize("NFKC", line).casefold().strip()
    norm = _DIGITS.sub("0", _SPACE.sub(" ", norm))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


class TemplateMemory:
    """Counts of line fingerprints per outlet. ``min_pages`` pages are needed before shares count."""

    min_pages = 3

    def __init__(self) -> None:
        self._pages: Counter[str] = Counter()
        self._lines: dict[str, Counter[str]] = {}
        self._page_keys: set[tuple[str, str]] = set()

    def pages(self, outlet: str) -> int:
        """How many pages of this outlet have been observed."""
        self._ensure(outlet)
        return self._pages[outlet]

    def line_share(self, outlet: str | None, line: str) -> float:
        """Share of the outlet's observed pages that contained this line (0 before ``min_pages``)."""
        if not outlet:
            return 0.0
        n = self.pages(outlet)
        if n < self.min_pages:
            return 0.0
        return self._lines[outlet][line_fingerprint(line)] / n

    def observe(self, outlet: str | None, lines: Iterable[str]) -> None:
        """Record one page of this outlet: each distinct line counts once, and a page seen before
        (the same lines) is not counted again, so re-reading a page never turns it into boilerplate."""
        if not outlet:
            return
        self._ensure(outlet)
        keys = {line_fingerprint(line) for line in lines if line.strip()}
        if not keys:
            return
        page_key = hashlib.blake2b("".join(sorted(keys)).encode("ascii"), digest_size=12).hexdigest()
        if self._seen_before(outlet, page_key):
            return
        self._pages[outlet] += 1
        self._lines[outlet].update(keys)
        self._persist(outlet, page_key, keys)

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

    def _persist(self, outlet: str, page_key: str, keys: set[str]) -> None:
        """Write one observed page to storage (nothing to do in memory)."""
