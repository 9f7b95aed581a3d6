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
ATTRS = ["NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG", "DEP", "ENT_TYPE"]
ROWS = [5000, 1000, 2500, 2500, 100, 100, 50]
WIDTH = 64
DEPTH = 4
WINDOW = 1


def model_config(width: int = WIDTH, depth: int = DEPTH, window: int = WINDOW) -> dict:
    """The spaCy ``tagger`` component config of the role tagger."""
    return {"model": {
        "@architectures": "spacy.Tagger.v2",
        "nO": None,
        "normalize": False,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": width, "attrs": list(ATTRS),
                      "rows": list(ROWS), "include_static_vectors": False},
            "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": width, "depth": depth,
                       "window_size": window, "maxout_pieces": 3},
        },
    }}


def new_tagger(nlp=None, **arch):
    """An untrained role tagger (a spaCy ``Tagger`` in a blank English pipeline) with its labels."""
    import spacy

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
        scores = tagger.model.predict([docs[k] for k in nonempty])
        for k, s in zip(nonempty, scores):
            out[k] = tagger.model.ops.to_numpy(s).astype("float32")
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
