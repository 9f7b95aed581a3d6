"""A small learned tagger of attribution roles: per token, how likely it is a cue, source or content.

A spaCy ``tagger`` model (its own hashed-embedding CNN ``Tok2Vec`` over the word form, prefix,
suffix, shape and the base model's tag, dependency label and entity type, then a softmax) trained
by ``benchmarks/attribution_tagger.py`` on the PolNeAR train split (840 US political news
articles, 2015-2016, attributions annotated by Newell et al., LREC 2018). Only learned weights ship
(``data/attribution_tagger.bin``, a ``to_bytes`` blob of the component without vocabulary), no
PolNeAR text.

Labels: ``CUEH`` the head of a cue, ``CUE`` its other words, ``SRC`` source, ``CON`` content,
``O`` none. The attribution finder reads the probabilities, not the argmax tags: the
cue scorer (``attribution_model.py``) takes the cue probability of a token as a feature, beside
the parse features (``attribution_features.py``), so the tagger adds the surrounding words the
parse features miss. The base model's tags are never overwritten: the scores are stored in
``doc.user_data`` (``add_to_pipeline``), or computed by ``role_probs`` when a doc lacks them.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

TAGGER_PATH = Path(__file__).with_name("data") / "attribution_tagger.bin"
LABELS = ("O", "CUEH", "CUE", "SRC", "CON")
USER_DATA_KEY = "rashomon_attribution_roles"
PIPE_NAME = "rashomon_attribution_roles"

# the architecture: change it only together with a retraining
WIDTH = 64
DEPTH = 4
WINDOW = 1
# embedded per token: word form, prefix, suffix, shape, lemma, tag, dependency label, entity type (the
# base model's), and computed: head lemma with own label, the set of the children's labels, the
# lexicon class of the lemma with the part of speech, the quotation state
ATTRS = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "LEMMA", "TAG", "DEP", "ENT_TYPE"]
COMPUTED = ["HEAD_LEMMA_DEP", "CHILD_DEPS", "CLASS_POS", "QUOTE"]
ROWS = [5000, 1000, 2500, 2500, 5000, 100, 100, 50, 5000, 1000, 100, 20]
_MASK = (1 << 64) - 1


def _mix(a, b):
    """Combine two columns of uint64 hashes into one (wrapping arithmetic)."""
    import numpy as np

    with np.errstate(over="ignore"):
        return (a * np.uint64(0x9E3779B97F4A7C15)) ^ (b + np.uint64(0x632BE59BD9B4E019))


def token_features(doc):
    """The ``(n_tokens, len(ATTRS) + len(COMPUTED))`` uint64 feature ids of ``doc``."""
    import numpy as np
    from spacy.attrs import HEAD, IDX, IDS

    from rashomon.analyze.attribution_features import lexicon
    from rashomon.analyze.quote_marks import find_quotes

    n = len(doc)
    base = doc.to_array([IDS[a] for a in ATTRS]).astype(np.uint64)
    extra = doc.to_array([HEAD, IDX]).astype(np.int64)
    heads = np.arange(n, dtype=np.int64) + extra[:, 0]
    lemma, pos_tag, dep = base[:, 4], base[:, 5], base[:, 6]
    head_lemma_dep = _mix(lemma[heads], dep)
    child = [0] * n
    seen: list[set] = [set() for _ in range(n)]
    dep_list = dep.tolist()
    for i, h in enumerate(heads.tolist()):
        if h != i and dep_list[i] not in seen[h]:
            seen[h].add(dep_list[i])
            child[h] = (child[h] + dep_list[i]) & _MASK
    child_deps = np.asarray(child, dtype=np.uint64)
    strings = doc.vocab.strings
    classes = lexicon()["lemma_class"]
    kinds = {"speech": 1, "belief": 2, "intention": 3, "evidence": 4}
    lemma_class = {}
    for h in set(lemma.tolist()):
        lemma_class[h] = kinds.get(classes.get(strings[h].lower() if h else "", ""), 0)
    cls = np.asarray([lemma_class[h] for h in lemma.tolist()], dtype=np.uint64)
    class_pos = _mix(cls, pos_tag)
    quote = np.zeros(n, dtype=np.uint64)
    spans = find_quotes(doc.text)
    if spans:
        starts = np.asarray([q.start for q in spans])
        ends = np.asarray([q.end for q in spans])
        idx = extra[:, 1]
        k = np.searchsorted(starts, idx, side="right") - 1
        inside = (k >= 0) & (idx < ends[np.maximum(k, 0)])
        edge = inside & ((idx == starts[np.maximum(k, 0)]) | (idx == ends[np.maximum(k, 0)] - 1))
        quote[inside] = 1
        quote[edge] = 2
    cols = [base, head_lemma_dep[:, None], child_deps[:, None], class_pos[:, None], (quote + 1)[:, None]]
    return np.ascontiguousarray(np.hstack(cols), dtype=np.uint64)


def _register() -> None:
    """Register the embedding layer with spaCy (once): the role features, hashed and mixed."""
    from spacy.util import registry

    if "rashomon.RoleEmbed.v1" in registry.architectures:
        return

    @registry.architectures("rashomon.RoleEmbed.v1")
    def role_embed(width: int, rows: list[int]):
        from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array

        def forward(model, docs, is_train):
            feats = [model.ops.asarray2i(token_features(d), dtype="uint64") for d in docs]
            return feats, lambda d_feats: []

        extractor = Model("role_features", forward)
        embeddings = [HashEmbed(width, r, column=k, seed=k + 1, dropout=0.0) for k, r in enumerate(rows)]
        return chain(extractor, list2ragged(), with_array(concatenate(*embeddings)),
                     with_array(Maxout(width, width * len(rows), nP=3, dropout=0.0, normalize=True)),
                     ragged2list())


def model_config(width: int = WIDTH, depth: int = DEPTH, window: int = WINDOW) -> dict:
    """The spaCy ``tagger`` component config of the role tagger."""
    return {"model": {
        "@architectures": "spacy.Tagger.v2",
        "nO": None,
        "normalize": False,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {"@architectures": "rashomon.RoleEmbed.v1", "width": width, "rows": list(ROWS)},
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width, "depth": depth,
                       "window_size": window, "maxout_pieces": 3},
        },
    }}


def new_tagger(nlp=None, **arch):
    """An untrained role tagger (a spaCy ``Tagger`` in a blank English pipeline) with its labels."""
    import spacy

    _register()
    nlp = nlp or spacy.blank("en")
    tagger = nlp.add_pipe("tagger", name="roles", config=model_config(**arch))
    for label in LABELS:
        tagger.add_label(label)
    return nlp, tagger


@lru_cache(maxsize=1)
def default_tagger():
    """The shipped role tagger (loaded once), or None when its weights are not installed."""
    if not TAGGER_PATH.exists():
        log.warning("no attribution role tagger at %s: cues are scored from the parse alone", TAGGER_PATH)
        return None
    _, tagger = new_tagger()
    tagger.from_bytes(TAGGER_PATH.read_bytes(), exclude=["vocab"])
    if tuple(tagger.labels) != LABELS:
        raise ValueError(f"role tagger labels {tagger.labels} differ from {LABELS}")
    return tagger


def predict(docs: list, tagger=None) -> list:
    """Per doc, a ``(n_tokens, len(LABELS))`` float32 array of role probabilities (or None)."""
    tagger = tagger or default_tagger()
    if tagger is None:
        return [None] * len(docs)
    out = [None] * len(docs)
    nonempty = [k for k, d in enumerate(docs) if len(d)]
    if nonempty:
        import numpy as np

        scores = tagger.model.predict([docs[k] for k in nonempty])  # logits: the softmax is for training
        for k, s in zip(nonempty, scores):
            s = tagger.model.ops.to_numpy(s).astype("float32")
            e = np.exp(s - s.max(axis=1, keepdims=True))
            out[k] = e / e.sum(axis=1, keepdims=True)
    return out


def role_probs(doc, tagger=None):
    """The role probabilities of ``doc``: those stored by the pipeline component, else computed."""
    stored = doc.user_data.get(USER_DATA_KEY)
    if stored is not None and len(stored) == len(doc) and tagger is None:
        return stored
    return predict([doc], tagger)[0]


class RoleScorer:
    """spaCy pipeline component: stores the role probabilities in ``doc.user_data`` (tags untouched)."""

    def __init__(self, tagger=None, batch_size: int = 32) -> None:
        self.tagger = tagger
        self.batch_size = batch_size

    def __call__(self, doc):
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int | None = None):
        from spacy.util import minibatch

        tagger = self.tagger or default_tagger()
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            for doc, p in zip(batch, predict(batch, tagger) if tagger is not None else [None] * len(batch)):
                if p is not None:
                    doc.user_data[USER_DATA_KEY] = p
                yield doc


def add_to_pipeline(nlp) -> None:
    """Append the role scorer to a loaded English pipeline (after the parser and entities it reads)."""
    from spacy.language import Language

    if PIPE_NAME in nlp.pipe_names or not TAGGER_PATH.exists():
        return
    if not Language.has_factory(PIPE_NAME):
        Language.factory(PIPE_NAME, func=lambda nlp, name: RoleScorer())
    nlp.add_pipe(PIPE_NAME, last=True)
