"""Scale of the online story clusterer: time and index memory per article at 10k, 100k and 1M articles.

    python benchmarks/cluster_scale.py [--sizes 10000,100000,1000000] [--per-day 100000] [--base PKL...]
    python benchmarks/cluster_scale.py --ann 50000        # compare hnswlib, usearch and faiss alone

The stream is synthetic but made from real articles: the features of the evaluation sets (cached by
``cluster_train.py`` in build/cluster/cache/*-features.pkl, or any pickles given with --base) are
computed once, and every synthetic story starts from one real article, or from a recombination of
two (half the words and entities of each, the mean of their embeddings), whose copies are perturbed:
Gaussian noise on the embedding (sigma 0.02-0.08 per dimension before normalising), a share of the
MinHash positions redrawn (0-60%), a few words and entities dropped. Stories have 1-12 articles
(geometric, mean about 3) spread over 0-2 days, and ``--per-day`` articles arrive per day (100k: a
large share of a day of the world's news), so the 1M point spans ten days and every article searches
a full two-week window. Only ``StoryClusterer.add`` is timed; feature generation is not.

Printed per checkpoint: the mean time per article over the last 5,000 placed (the marginal cost at
that size), the index's own accounting of its bytes per article (ANN graphs with their int8 vectors,
LSH arrays, feature columns, ids) and the growth of the process's resident memory per article
(everything: stories, Python objects). The 1M point takes about 25 minutes on one core.
"""
from __future__ import annotations

import argparse
import glob
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def load_bases(paths: list[str]):
    from rashomon.cluster.features import ArticleFeatures

    bases = []
    for path in paths:
        bases.extend(pickle.loads(Path(path).read_bytes()))
    bases = [f for f in bases if isinstance(f, ArticleFeatures) and f.embedding is not None]
    if not bases:
        sys.exit("no base features: run benchmarks/cluster_train.py first, or pass --base")
    return bases


class Stream:
    """Synthetic articles: perturbed copies and recombinations of real articles' features."""

    def __init__(self, bases, per_day: int, seed: int = 1) -> None:
        self.bases = bases
        self.per_day = per_day
        self.rng = np.random.default_rng(seed)
        self.count = 0
        self.queue: list = []

    def _story(self):
        rng = self.rng
        a = self.bases[rng.integers(len(self.bases))]
        if rng.random() < 0.3:
            b = self.bases[rng.integers(len(self.bases))]
            emb = a.embedding + b.embedding
            tk = np.concatenate([a.term_keys[::2], b.term_keys[1::2]])
            tw = np.concatenate([a.term_weights[::2], b.term_weights[1::2]])
            ek = np.concatenate([a.entity_keys[::2], b.entity_keys[1::2]])
            ew = np.concatenate([a.entity_weights[::2], b.entity_weights[1::2]])
            sig = np.where(rng.random(a.signature.shape) < 0.5, a.signature, b.signature)
        else:
            emb, tk, tw, ek, ew, sig = a.embedding, a.term_keys, a.term_weights, a.entity_keys, a.entity_weights, a.signature
        # a story's own identity: a shared random direction, so that stories from the same base differ
        emb = emb / np.linalg.norm(emb) + rng.normal(0, 0.05, emb.shape)
        return emb.astype(np.float32), tk, tw, ek, ew, sig.copy(), a

    def __iter__(self):
        from rashomon.cluster.features import ArticleFeatures

        rng = self.rng
        while True:
            if not self.queue:
                emb, tk, tw, ek, ew, sig, a = self._story()
                size = min(12, int(rng.geometric(0.33)))
                start = 730000 + self.count // self.per_day
                for k in range(size):
                    self.queue.append((emb, tk, tw, ek, ew, sig, a, start + int(rng.integers(0, 3))))
            emb, tk, tw, ek, ew, sig, a, day = self.queue.pop()
            e = emb + rng.normal(0, rng.uniform(0.02, 0.08), emb.shape).astype(np.float32)
            e /= np.linalg.norm(e)
            s = sig.copy()
            redraw = rng.random(s.shape) < rng.uniform(0, 0.6)
            s[redraw] = rng.integers(0, 2 ** 32 - 1, redraw.sum(), dtype=np.uint64).astype(np.uint32)
            keep_t = rng.random(len(tk)) > 0.2
            keep_e = rng.random(len(ek)) > 0.2
            self.count += 1
            yield ArticleFeatures(id=f"a{self.count}", outlet=f"outlet{int(rng.integers(300))}", title=a.title,
                                  day=(day, day), years=a.years, signature=s, embedding=e,
                                  entity_keys=ek[keep_e], entity_weights=ew[keep_e],
                                  term_keys=tk[keep_t], term_weights=tw[keep_t], words=a.words)


def run_stream(args) -> None:
    from rashomon.cluster.online import StoryClusterer

    bases = load_bases(args.base or glob.glob(str(REPO / "build" / "cluster" / "cache" / "*-features.pkl")))
    sizes = sorted(int(s) for s in args.sizes.split(","))
    stream = iter(Stream(bases, args.per_day))
    clusterer = StoryClusterer()
    start_rss = rss()
    window = 5000
    recent: list[float] = []
    placed = 0
    wall = time.perf_counter()
    print(f"base articles: {len(bases)}; {args.per_day} articles a day", flush=True)
    print("articles   ms/article(last 5k)  index B/article  RSS growth B/article  stories  elapsed", flush=True)
    for target in sizes:
        while placed < target:
            f = next(stream)
            t0 = time.perf_counter()
            clusterer.add(f)
            recent.append(time.perf_counter() - t0)
            if len(recent) > window:
                recent.pop(0)
            placed += 1
        index_bytes = clusterer.index.memory_bytes()
        live = sum(1 for i, p in enumerate(clusterer.parent) if p == i)
        print(f"{placed:>9}  {1000 * np.mean(recent):>19.3f}  {index_bytes / placed:>15.0f}  "
              f"{(rss() - start_rss) / placed:>20.0f}  {live:>7}  {time.perf_counter() - wall:>6.0f} s", flush=True)


def run_ann(n: int) -> None:
    """hnswlib vs usearch vs faiss on perturbed real embeddings: insert, query, memory, recall@10."""
    bases = load_bases(glob.glob(str(REPO / "build" / "cluster" / "cache" / "*-features.pkl")))
    base = np.vstack([f.embedding for f in bases]).astype(np.float32)
    rng = np.random.default_rng(0)
    x = base[rng.integers(0, len(base), n)] + rng.normal(0, 0.03, (n, base.shape[1])).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    queries = x[rng.integers(0, n, 500)]
    truth = np.argsort(-(queries @ x.T), axis=1)[:, :10]

    def bench(name, build, search):
        before = rss()
        t0 = time.perf_counter()
        index = build()
        t1 = time.perf_counter()
        found = [search(index, q) for q in queries]
        t2 = time.perf_counter()
        recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
        print(f"{name:<14} insert {1e6 * (t1 - t0) / n:6.0f} us  query {1e6 * (t2 - t1) / len(queries):5.0f} us  "
              f"memory {(rss() - before) / n:6.0f} B/vector  recall@10 {recall:.3f}", flush=True)

    def hnsw():
        import hnswlib
        index = hnswlib.Index(space="ip", dim=x.shape[1])
        index.init_index(max_elements=n, ef_construction=64, M=12)
        index.set_num_threads(1)
        for i in range(n):
            index.add_items(x[i:i + 1], [i])
        index.set_ef(48)
        return index

    def usearch(dtype):
        def build():
            from usearch.index import Index
            index = Index(ndim=x.shape[1], metric="cos", dtype=dtype, connectivity=12, expansion_add=64,
                          expansion_search=48)
            for i in range(n):
                index.add(i, x[i], threads=1)
            return index
        return build

    def faiss_index(sq8):
        def build():
            import faiss
            faiss.omp_set_num_threads(1)
            if sq8:
                index = faiss.IndexHNSWSQ(x.shape[1], faiss.ScalarQuantizer.QT_8bit, 12, faiss.METRIC_INNER_PRODUCT)
                index.train(x[:5000])
            else:
                index = faiss.IndexHNSWFlat(x.shape[1], 12, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 64
            for i in range(n):
                index.add(x[i:i + 1])
            index.hnsw.efSearch = 48
            return index
        return build

    candidates = [("hnswlib f32", hnsw, lambda ix, q: ix.knn_query(q[None], k=10)[0][0]),
                  ("usearch i8", usearch("i8"), lambda ix, q: ix.search(q, 10, threads=1).keys),
                  ("usearch f16", usearch("f16"), lambda ix, q: ix.search(q, 10, threads=1).keys),
                  ("faiss f32", faiss_index(False), lambda ix, q: ix.search(q[None], 10)[1][0]),
                  ("faiss sq8", faiss_index(True), lambda ix, q: ix.search(q[None], 10)[1][0])]
    for name, build, search in candidates:
        try:
            bench(name, build, search)
        except ImportError as exc:
            print(f"{name:<14} not installed ({exc})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--per-day", type=int, default=100_000)
    ap.add_argument("--base", nargs="*")
    ap.add_argument("--ann", type=int, default=0, help="only compare the ANN libraries on this many vectors")
    args = ap.parse_args()
    if args.ann:
        run_ann(args.ann)
    else:
        run_stream(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
