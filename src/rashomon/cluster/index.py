"""The candidate index: where an arriving article looks for the stories it may belong to.

There is no all-pairs step. Articles are kept in **shards of ``BUCKET_DAYS`` publication days** (plus
one for undated articles); an article looks only in the shards that overlap ``WINDOW_DAYS`` before
and after its own day, and in the undated shard. Each shard holds

- an approximate nearest-neighbour graph over the int8 headline+lead embeddings (usearch HNSW:
  chosen over hnswlib and faiss by ``benchmarks/cluster_scale.py --ann``: about as fast, and int8
  storage keeps it under 1 KB a vector where the float32 indexes need 2.3-2.7 KB);
- LSH buckets of the MinHash signatures (``minhash.py``): sorted uint64 band keys with the rows
  they point to, plus a small unsorted tail merged in batches (a log-structured layout: no Python
  object per key, 12 bytes a band);
- the articles' compact features as columns of fixed-width numpy arrays (signature, padded
  term and entity vectors, day interval, latest year named, story number, outlet number).

A shard depends only on its own articles, so shards can be built, kept and queried apart (by days,
on different machines, or rebuilt from the store for the days a process needs). A row is addressed
by ``slot = shard_number << 32 | row``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from rashomon.cluster import minhash
from rashomon.cluster.embeddings import DIM
from rashomon.cluster.features import MAX_ENTITIES, MAX_TERMS, ArticleFeatures

log = logging.getLogger(__name__)

WINDOW_DAYS = 7        # a story's coverage: BASIL spans up to 3 days, the putin-turkey pair 6; farther
                       # is another story here (the logdt feature already weighs against 2-7 days)
BUCKET_DAYS = 4        # days per shard: a window of +-7 days touches 4-5 shards instead of 15
ANN_NEIGHBOURS = 10    # neighbours asked of each shard's graph
CONNECTIVITY = 12      # HNSW edges per node (usearch default is 16; 12 keeps recall@10 > 0.97 here)
EXPANSION_ADD = 64
EXPANSION_SEARCH = 48
TAIL = 2048            # LSH keys kept unsorted before they are merged into the sorted arrays
UNDATED = None


@dataclass
class Candidates:
    """Rows found for one query: their slots, embedding cosines and MinHash Jaccard estimates."""

    slots: np.ndarray
    cos: np.ndarray
    jac: np.ndarray


class Shard:
    """The articles of ``BUCKET_DAYS`` publication days (or the undated ones): ANN graph, LSH buckets, columns."""

    def __init__(self, number: int, key: int | None, capacity: int = 256) -> None:
        from rashomon.compare import minilm

        minilm.preload()   # onnxruntime must be loaded before usearch (see minilm.preload)
        from usearch.index import Index

        self.number = number
        self.key = key
        self.ann = Index(ndim=DIM, metric="cos", dtype="i8", connectivity=CONNECTIVITY,
                         expansion_add=EXPANSION_ADD, expansion_search=EXPANSION_SEARCH)
        self.n = 0
        self.ids: list[str] = []
        self._alloc(capacity)
        self.lsh_keys = np.zeros(0, dtype=np.uint64)
        self.lsh_rows = np.zeros(0, dtype=np.int32)
        self._tail_keys: list[np.ndarray] = []
        self._tail_rows: list[np.ndarray] = []
        self._tail_n = 0

    def _alloc(self, capacity: int) -> None:
        def grow(name: str, shape: tuple, dtype, fill=0):
            old = getattr(self, name, None)
            new = np.full((capacity, *shape), fill, dtype=dtype)
            if old is not None:
                new[:self.n] = old[:self.n]
            setattr(self, name, new)

        grow("sig", (minhash.NUM_PERM,), np.uint32)
        grow("tkeys", (MAX_TERMS,), np.uint32)
        grow("tw", (MAX_TERMS,), np.float16)
        grow("ekeys", (MAX_ENTITIES,), np.uint32)
        grow("ew", (MAX_ENTITIES,), np.float16)
        grow("day_lo", (), np.int32, -1)
        grow("day_hi", (), np.int32, -1)
        grow("year", (), np.int16)
        grow("story", (), np.int32, -1)
        grow("outlet", (), np.int32, -1)
        self.capacity = capacity

    def add(self, f: ArticleFeatures, vector: np.ndarray, story: int, outlet: int) -> int:
        """Store one article; returns its row."""
        if self.n == self.capacity:
            self._alloc(self.capacity + max(256, self.capacity // 4))  # 25% growth: little slack
        row = self.n
        self.sig[row] = f.signature
        self.tkeys[row, :len(f.term_keys)] = f.term_keys
        self.tw[row, :len(f.term_weights)] = f.term_weights
        self.ekeys[row, :len(f.entity_keys)] = f.entity_keys
        self.ew[row, :len(f.entity_weights)] = f.entity_weights
        if f.day is not None:
            self.day_lo[row], self.day_hi[row] = f.day
        self.year[row] = max(f.years) if f.years else 0
        self.story[row] = story
        self.outlet[row] = outlet
        self.ids.append(f.id)
        self.n += 1
        if np.any(vector):
            self.ann.add(row, vector, threads=1)
        keys = minhash.band_keys(f.signature)
        if len(keys):
            self._tail_keys.append(keys)
            self._tail_rows.append(np.full(len(keys), row, dtype=np.int32))
            self._tail_n += len(keys)
            if self._tail_n >= TAIL:
                self._merge_tail()
        return row

    def _merge_tail(self) -> None:
        keys = np.concatenate([self.lsh_keys, *self._tail_keys])
        rows = np.concatenate([self.lsh_rows, *self._tail_rows])
        order = np.argsort(keys, kind="stable")
        self.lsh_keys, self.lsh_rows = keys[order], rows[order]
        self._tail_keys, self._tail_rows, self._tail_n = [], [], 0

    def lsh_rows_for(self, keys: np.ndarray) -> np.ndarray:
        """Rows sharing at least one LSH bucket with these band keys."""
        if not len(keys):
            return np.zeros(0, dtype=np.int32)
        found = []
        if len(self.lsh_keys):
            lo = np.searchsorted(self.lsh_keys, keys, side="left")
            hi = np.searchsorted(self.lsh_keys, keys, side="right")
            for a, b in zip(lo.tolist(), hi.tolist()):
                if b > a:
                    found.append(self.lsh_rows[a:b])
        if self._tail_n:
            tk = np.concatenate(self._tail_keys)
            hit = np.isin(tk, keys)
            if hit.any():
                found.append(np.concatenate(self._tail_rows)[hit])
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int32)

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosines) of the ``k`` nearest embeddings in this shard."""
        if len(self.ann) == 0 or not np.any(vector):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        matches = self.ann.search(vector, min(k, len(self.ann)), threads=1)
        return np.asarray(matches.keys, dtype=np.int64), 1.0 - np.asarray(matches.distances, dtype=np.float32)

    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """Unit float32 embeddings of rows (zero for rows that had no embedding)."""
        out = np.zeros((len(rows), DIM), dtype=np.float32)
        present = np.array([int(r) in self.ann for r in rows.tolist()], dtype=bool) if len(rows) else np.zeros(0, bool)
        if present.any():
            found = self.ann.get(rows[present].astype(np.uint64))
            v = np.asarray(np.vstack(found) if isinstance(found, tuple) else found, dtype=np.float32).reshape(-1, DIM)
            norms = np.linalg.norm(v, axis=1, keepdims=True)
            out[present] = v / np.where(norms > 0, norms, 1.0)
        return out

    def memory_bytes(self) -> int:
        """Bytes held by this shard: the ANN graph and vectors, the columns and the LSH arrays."""
        arrays = [self.sig, self.tkeys, self.tw, self.ekeys, self.ew, self.day_lo, self.day_hi, self.year,
                  self.story, self.outlet, self.lsh_keys, self.lsh_rows]
        columns = sum(a.nbytes for a in arrays)  # allocated, growth slack included
        ids = sum(49 + len(i) for i in self.ids) + 8 * len(self.ids)
        return int(self.ann.memory_usage) + columns + ids + 12 * self._tail_n


class CandidateIndex:
    """Day shards and the window search over them (see the module docstring)."""

    def __init__(self, window_days: int = WINDOW_DAYS, neighbours: int = ANN_NEIGHBOURS) -> None:
        self.window_size = window_days
        self.neighbours = neighbours
        self.shards: list[Shard] = []
        self.by_key: dict[int | None, Shard] = {}

    def shard_for(self, key: int | None) -> Shard:
        shard = self.by_key.get(key)
        if shard is None:
            shard = Shard(len(self.shards), key)
            self.shards.append(shard)
            self.by_key[key] = shard
        return shard

    @staticmethod
    def shard_day(f: ArticleFeatures) -> int | None:
        """The day an article is filed under: its first possible publication day (None: undated)."""
        return None if f.day is None else f.day[0]

    @staticmethod
    def key_of(day: int | None) -> int | None:
        return None if day is None else day // BUCKET_DAYS

    def window_days(self, f: ArticleFeatures, latest: int | None = None) -> range:
        """Publication days whose shards an article searches (undated: the latest window)."""
        if f.day is not None:
            first, last = f.day[0] - self.window_size, f.day[1] + self.window_size
        else:
            latest = self.latest_day() if latest is None else latest
            if latest is None:
                return range(0)
            first, last = latest - self.window_size, latest
        return range(first // BUCKET_DAYS * BUCKET_DAYS, (last // BUCKET_DAYS + 1) * BUCKET_DAYS)

    def window(self, f: ArticleFeatures) -> list[Shard]:
        """Shards an article searches: those of its window's days, and the undated shard."""
        span = self.window_days(f)
        shards = [s for k in range(span.start // BUCKET_DAYS, span.stop // BUCKET_DAYS)
                  if (s := self.by_key.get(k)) is not None] if len(span) else []
        undated = self.by_key.get(UNDATED)
        if undated is not None:
            shards.append(undated)
        return shards

    def latest_day(self) -> int | None:
        """The last day of the newest dated shard (an undated article is taken to arrive then)."""
        keys = [k for k in self.by_key if k is not None]
        return (max(keys) + 1) * BUCKET_DAYS - 1 if keys else None

    def add(self, f: ArticleFeatures, vector: np.ndarray, story: int, outlet: int) -> int:
        """Index an article; returns its slot."""
        shard = self.shard_for(self.key_of(self.shard_day(f)))
        row = shard.add(f, vector, story, outlet)
        return shard.number << 32 | row

    def candidates(self, f: ArticleFeatures, vector: np.ndarray) -> Candidates:
        """Rows near an article: ANN neighbours in every window shard plus LSH bucket mates."""
        keys = minhash.band_keys(f.signature)
        slots, cos, jac = [], [], []
        for shard in self.window(f):
            rows, sims = shard.search(vector, self.neighbours)
            lsh = shard.lsh_rows_for(keys)
            extra = np.setdiff1d(lsh, rows)
            if len(extra):
                rows = np.concatenate([rows, extra.astype(np.int64)])
                sims = np.concatenate([sims, shard.vectors(extra) @ vector])
            if not len(rows):
                continue
            sig = shard.sig[rows]
            jac.append(_jaccard_rows(f.signature, sig))
            slots.append((shard.number << 32) | rows)
            cos.append(sims)
        if not slots:
            empty = np.zeros(0)
            return Candidates(np.zeros(0, dtype=np.int64), empty, empty)
        return Candidates(np.concatenate(slots), np.concatenate(cos).astype(np.float64), np.concatenate(jac))

    def locate(self, slot: int) -> tuple[Shard, int]:
        return self.shards[slot >> 32], slot & 0xFFFFFFFF

    COLUMNS = ("tkeys", "tw", "ekeys", "ew", "day_lo", "day_hi", "year", "story", "outlet", "sig")

    def columns(self, slots: np.ndarray) -> dict[str, np.ndarray]:
        """The scoring columns of these slots, gathered across shards."""
        shard_no = slots >> 32
        rows = slots & 0xFFFFFFFF
        first = int(shard_no[0]) if len(slots) else 0
        if not len(slots) or (shard_no == first).all():
            shard = self.shards[first]
            return {name: getattr(shard, name)[rows] for name in self.COLUMNS}
        out = {}
        groups = [(int(s), shard_no == s) for s in set(shard_no.tolist())]
        for name in self.COLUMNS:
            sample = getattr(self.shards[groups[0][0]], name)
            col = np.empty((len(slots), *sample.shape[1:]), dtype=sample.dtype)
            for s, mask in groups:
                col[mask] = getattr(self.shards[s], name)[rows[mask]]
            out[name] = col
        return out

    def vectors(self, slots: np.ndarray) -> np.ndarray:
        """Unit float32 embeddings of these slots (one batched lookup per shard)."""
        out = np.zeros((len(slots), DIM), dtype=np.float32)
        shard_no = slots >> 32
        for s in set(shard_no.tolist()):
            mask = shard_no == s
            out[mask] = self.shards[s].vectors(slots[mask] & 0xFFFFFFFF)
        return out

    def set_story(self, slot: int, story: int) -> None:
        shard, row = self.locate(slot)
        shard.story[row] = story

    def article_id(self, slot: int) -> str:
        shard, row = self.locate(slot)
        return shard.ids[row]

    def __len__(self) -> int:
        return sum(s.n for s in self.shards)

    def memory_bytes(self) -> int:
        """Bytes held by every shard (ANN graphs, LSH arrays and feature columns)."""
        return sum(s.memory_bytes() for s in self.shards)


def _jaccard_rows(sig: np.ndarray, rows: np.ndarray) -> np.ndarray:
    if (sig == minhash.EMPTY).all():
        return np.zeros(len(rows))
    return (rows == sig[None, :]).mean(axis=1)
