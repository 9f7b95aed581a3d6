"""Page-aware array operations over the lines of a batch of pages.

The scraped-text cleaner reads many pages at once (``extract.text.extract_texts``): their lines are
concatenated, so every numpy operation runs once per batch instead of once per page (a page costs
about 150 small numpy calls, ~1 µs each of overhead). The operations here never let one page see
another: neighbours are filled at page edges, windows are clipped to the page, sums restart.

Results must not depend on which other pages share the batch, so prefix sums are exact: values are
integers or are rounded to a fixed point (2**-24) and summed as int64; a running sum of floats
over the batch would carry rounding from earlier pages into later ones.
"""
from __future__ import annotations

import numpy as np

_FIXED = float(1 << 24)


class Segments:
    """Lines ``offsets[k]:offsets[k + 1]`` belong to page ``k``."""

    def __init__(self, offsets: np.ndarray) -> None:
        self.offsets = np.asarray(offsets, dtype=np.intp)
        self.sizes = np.diff(self.offsets)
        self.count = len(self.sizes)
        self.n = int(self.offsets[-1])
        self.page = np.repeat(np.arange(self.count), self.sizes)
        self.first = self.offsets[:-1][self.page]      # first line of each line's page
        self.stop = self.offsets[1:][self.page]        # end of each line's page
        self.local = np.arange(self.n) - self.first    # index of each line within its page
        self.nonempty = np.flatnonzero(self.sizes)
        self._starts = self.offsets[:-1][self.nonempty]
        self._cache: dict[tuple, np.ndarray | tuple[np.ndarray, np.ndarray]] = {}  # masks and windows by size

    def _edge(self, k: int, last: bool) -> np.ndarray:
        """Lines among the first (``last``: the last) ``k`` of their page (computed once per ``k``)."""
        mask = self._cache.get(("edge", k, last))
        if mask is None:
            mask = (self.stop - np.arange(self.n) <= k) if last else (self.local < k)
            self._cache[("edge", k, last)] = mask
        return mask

    # Neighbours ------------------------------------------------------------------------------------

    def prev(self, x: np.ndarray, fill: float, k: int = 1) -> np.ndarray:
        """``x`` of the line ``k`` before, ``fill`` for the first ``k`` lines of a page."""
        out = np.full_like(x, fill)
        out[k:] = x[:-k]
        out[self._edge(k, False)] = fill
        return out

    def next(self, x: np.ndarray, fill: float, k: int = 1) -> np.ndarray:
        """``x`` of the line ``k`` after, ``fill`` for the last ``k`` lines of a page."""
        out = np.full_like(x, fill)
        out[:-k] = x[k:]
        out[self._edge(k, True)] = fill
        return out

    # Per-page reductions -----------------------------------------------------------------------------

    def sum(self, x: np.ndarray) -> np.ndarray:
        """Per-page sums (floats; exact for integer values)."""
        return np.bincount(self.page, weights=x, minlength=self.count)

    def max(self, x: np.ndarray, empty: float) -> np.ndarray:
        """Per-page maxima (``empty`` for a page without lines)."""
        out = np.full(self.count, empty, dtype=x.dtype)
        if len(self.nonempty):
            out[self.nonempty] = np.maximum.reduceat(x, self._starts)
        return out

    def first_true(self, mask: np.ndarray) -> np.ndarray:
        """Per page, the global index of its first line where ``mask`` holds, else -1."""
        at = np.where(mask, np.arange(self.n), self.n)
        out = np.full(self.count, self.n, dtype=np.intp)
        if len(self.nonempty):
            out[self.nonempty] = np.minimum.reduceat(at, self._starts)
        out[out == self.n] = -1
        return out

    def argmax(self, x: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Per page, the global index of the first line holding the page's maximum of ``x`` (among
        the lines where ``mask`` holds), else -1."""
        low = np.iinfo(x.dtype).min if x.dtype.kind in "iu" else -np.inf
        if mask is not None:
            x = np.where(mask, x, low)
            valid = mask
        else:
            valid = np.ones(self.n, dtype=bool)
        top = self.max(x, low)
        return self.first_true((x == top.take(self.page, mode="clip")) & valid)

    # Prefix sums and windows -------------------------------------------------------------------------

    def prefix(self, x: np.ndarray) -> np.ndarray:
        """Per-page inclusive prefix sums as int64 (``x`` integer-valued, or rounded to the fixed
        point with ``fixed``): exact, so a page's sums do not depend on the pages before it."""
        total = np.cumsum(x, dtype=np.int64)
        before = np.zeros(self.count, dtype=np.int64)
        starts = self._starts
        before[self.nonempty] = total[starts] - np.asarray(x, dtype=np.int64)[starts]
        return total - before.take(self.page, mode="clip")

    @staticmethod
    def fixed(x: np.ndarray) -> np.ndarray:
        """Floats rounded to the fixed point used for exact sums."""
        return np.rint(np.asarray(x, dtype=float) * _FIXED).astype(np.int64)

    @staticmethod
    def unfixed(x: np.ndarray) -> np.ndarray:
        return x / _FIXED

    def window_sum(self, x: np.ndarray, radius: int, prefix: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Sums of ``x`` (int64) over the lines within ``radius`` in the same page, and the number
        of those lines."""
        inclusive = self.prefix(x) if prefix is None else prefix
        exclusive = inclusive - x
        window = self._cache.get(("window", radius))
        if window is None:
            idx = np.arange(self.n)
            window = self._cache[("window", radius)] = (np.maximum(idx - radius, self.first),
                                                        np.minimum(idx + radius, self.stop - 1))
        lo, hi = window
        return inclusive[hi] - exclusive[lo], hi - lo + 1

    def window_mean(self, x: np.ndarray, radius: int, prefix: np.ndarray | None = None) -> np.ndarray:
        """Mean of ``x`` over the lines within ``radius`` in the same page (``prefix``: its
        ``prefix`` sums when already known, for integer ``x``)."""
        if x.dtype.kind == "f":
            sums, counts = self.window_sum(self.fixed(x), radius)
            return self.unfixed(sums) / counts
        sums, counts = self.window_sum(x.astype(np.int64), radius, prefix)
        return sums / counts

    def run_lengths(self, mask: np.ndarray) -> np.ndarray:
        """For each line, the length of the run of True values it belongs to within its page (0
        outside runs)."""
        if self.n == 0:
            return np.zeros(0, dtype=np.intp)
        change = np.ones(self.n, dtype=bool)
        change[1:] = (mask[1:] != mask[:-1]) | (self.local[1:] == 0)
        bounds = np.append(np.flatnonzero(change), self.n)
        lengths = np.diff(bounds)
        return np.repeat(lengths, lengths) * mask

    # Best spans --------------------------------------------------------------------------------------

    def best_spans(self, gain: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per page, the local span ``[start, end)`` of lines with the largest sum of gains
        (maximum subarray; the first best end, the latest start for it), or ``(0, 0)`` when no line
        gains. Gains are summed at the fixed point as int64, so ties are decided exactly; each
        page's running minimum is kept apart from the pages before it by an offset of 2**46 per page
        (|sums| < 2**45 holds for pages below ~10**5 lines)."""
        start = np.zeros(self.count, dtype=np.intp)
        end = np.zeros(self.count, dtype=np.intp)
        if self.n == 0:
            return start, end
        g = self.fixed(gain)
        inclusive = self.prefix(g)
        exclusive = inclusive - g
        key = exclusive - (self.page.astype(np.int64) << 46)
        lowest = np.minimum.accumulate(key)
        totals = inclusive - (lowest + (self.page.astype(np.int64) << 46))
        best = self.argmax(totals)
        valid = best >= 0
        valid[valid] = totals[best[valid]] > 0
        idx = np.arange(self.n)
        last_low = np.maximum.accumulate(np.where(key == lowest, idx, 0))
        pages = np.flatnonzero(valid)
        stop = best[pages]
        start[pages] = last_low.take(stop, mode="clip") - self.offsets[pages]
        end[pages] = stop + 1 - self.offsets[pages]
        return start, end
