"""Near-duplicate text: MinHash signatures of word shingles and LSH band keys, in numpy.

Hand-written rather than datasketch's ``MinHash`` because a vectorised numpy version is faster
(STACK.md) and because every value here must be stable across processes and machines: shingles
are hashed with CRC-32 (Python's ``hash`` is salted per process) and the permutations come from a
fixed seed. A signature is ``NUM_PERM`` unsigned 32-bit integers; ``jaccard`` estimates the
Jaccard similarity of two shingle sets as the share of equal positions.

LSH: the signature is cut into ``BANDS`` bands of ``ROWS`` rows; two articles whose signatures
agree on a whole band share a bucket key. With 8 bands of 8 rows a pair with Jaccard 0.9 meets in a
bucket with probability 1 - (1 - 0.9^8)^8 = 0.99, at 0.8 with 0.77, at 0.6 with 0.13 and at 0.3 almost
never: syndicated copies collide; lighter rewrites are found by the embedding index anyway. Eight
64-bit keys per article keep the buckets at 96 bytes an article (index.py).
"""
from __future__ import annotations

import zlib

import numpy as np

NUM_PERM = 64
BANDS = 8
ROWS = NUM_PERM // BANDS
SHINGLE = 3           # words per shingle: short enough that light edits leave most shingles intact
_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)
_rng = np.random.RandomState(20240123)  # fixed: signatures must be comparable across runs
_A = _rng.randint(1, 2 ** 32 - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, 2 ** 32 - 1, size=NUM_PERM, dtype=np.uint64)
EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)


def shingles(words: list[str], size: int = SHINGLE) -> set[str]:
    """Word ``size``-grams of a token list (the whole list when it is shorter)."""
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def signature(words: list[str]) -> np.ndarray:
    """MinHash signature (``NUM_PERM`` uint32) of the word shingles; ``EMPTY`` for no words."""
    grams = shingles(words)
    if not grams:
        return EMPTY.copy()
    hashes = np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.uint64, count=len(grams))
    # (a * x + b) mod p, x < 2^32 and a < 2^32 so the product fits in 64 bits
    permuted = ((hashes[:, None] * _A[None, :] + _B[None, :]) % _PRIME) & _MAX32
    return permuted.min(axis=0).astype(np.uint32)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures (0 when either is empty)."""
    if (a == EMPTY).all() or (b == EMPTY).all():
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x27D4EB2F165667C5, 0x94D049BB133111EB],
                dtype=np.uint64)[:ROWS]


def band_keys(sig: np.ndarray) -> np.ndarray:
    """LSH bucket keys of a signature: ``BANDS`` uint64 values, the band number mixed in (none if empty)."""
    if (sig == EMPTY).all():
        return np.zeros(0, dtype=np.uint64)
    bands = sig[:BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        keys = (bands * _MIX[None, :]).sum(axis=1, dtype=np.uint64)
        keys ^= np.arange(BANDS, dtype=np.uint64) * np.uint64(0x100000001B3)
    return keys
