"""Online story clustering: each arriving article joins the best story or starts one.

For an article the index (``index.py``) returns nearby articles from the shards of its time window
(embedding neighbours and MinHash bucket mates). Their stories are the candidates; each candidate
story is also represented by its first ``EXEMPLARS`` articles, so that a story is judged by more than
the one article that happened to be near. Every (article, member) pair gets a probability from the
logistic pair model (``scoring.py``); a story's score is the mean of its ``top`` best pair
probabilities (3: between single link, which chains rewrites into unrelated stories, and average
link, which splits loosely written stories). The article joins the best story when its score
reaches ``model.join``; any other candidate story that also reaches ``model.merge`` is merged into
the older of the two (a bridging article), which keeps the older story's id.

Story ids are derived from the id of the story's first article, so they do not depend on anything
else that was clustered; an article's story id changes only when a related article merges its story
into an older one. The same articles in the same order give the same stories (the index is built
single-threaded and usearch's graph is deterministic for a given insertion order).

Every decision keeps its reasons: the best members with their pair features and shared entities and
words, and the runner-up story; ``explain.py`` turns them into text for ``rashomon show``.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

import numpy as np

from rashomon.cluster.features import ArticleFeatures
from rashomon.cluster.index import CandidateIndex
from rashomon.cluster.scoring import FEATURES, Model, default_model, pair_matrix, top_mean

log = logging.getLogger(__name__)

EXEMPLARS = 3      # first members that always stand for a story when it is a candidate
REASONS = 3        # member pairs kept per decision
SHARED_NAMES = 8   # shared entities / words listed per pair


def story_id_for(article_id: str) -> str:
    """The id of a story started by this article: ``s`` + 12 hex digits of a hash of the article id."""
    return "s" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12]


@dataclass
class Assignment:
    """Where one article went and why."""

    id: str
    story: str
    new: bool
    score: float
    merged: list[str] = field(default_factory=list)
    reasons: dict = field(default_factory=dict)
    slot: int = -1


class StoryClusterer:
    """Stories over a ``CandidateIndex``; ``add`` places one article (see the module docstring)."""

    def __init__(self, model: Model | None = None, index: CandidateIndex | None = None) -> None:
        self.model = model or default_model()
        self.index = index or CandidateIndex()
        self.story_ids: list[str] = []
        self.number: dict[str, int] = {}
        self.parent: list[int] = []
        self.size: list[int] = []
        self.exemplars: list[list[int]] = []
        self.outlets: dict[str, int] = {}

    # ------------------------------------------------------------------------------ stories

    def find(self, story: int) -> int:
        """The surviving story of a (possibly merged) story number."""
        root = story
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[story] != root:  # path compression
            self.parent[story], story = root, self.parent[story]
        return root

    def _new_story(self, story_id: str) -> int:
        number = self.number.get(story_id)
        if number is not None:
            return self.find(number)
        number = len(self.story_ids)
        self.story_ids.append(story_id)
        self.number[story_id] = number
        self.parent.append(number)
        self.size.append(0)
        self.exemplars.append([])
        return number

    def _merge(self, a: int, b: int) -> int:
        """Merge two stories; the older (lower number) survives. Returns the survivor."""
        a, b = self.find(a), self.find(b)
        if a == b:
            return a
        keep, gone = (a, b) if a < b else (b, a)
        self.parent[gone] = keep
        self.size[keep] += self.size[gone]
        room = EXEMPLARS - len(self.exemplars[keep])
        if room > 0:
            self.exemplars[keep].extend(self.exemplars[gone][:room])
        return keep

    def story_of_slot(self, slot: int) -> str:
        """Current story id of an indexed article."""
        shard, row = self.index.locate(slot)
        return self.story_ids[self.find(int(shard.story[row]))]

    def _outlet(self, name: str | None) -> int:
        if not name:
            return -1
        return self.outlets.setdefault(name.casefold(), len(self.outlets))

    def _index(self, f: ArticleFeatures, vector: np.ndarray, story: int) -> int:
        slot = self.index.add(f, vector, story, self._outlet(f.outlet))
        self.size[story] += 1
        if len(self.exemplars[story]) < EXEMPLARS:
            self.exemplars[story].append(slot)
        return slot

    # ------------------------------------------------------------------------------ placing

    def add_known(self, f: ArticleFeatures, story_id: str) -> int:
        """Index an article whose story is already decided (rebuilding from the store); returns its slot."""
        return self._index(f, _vector(f), self._new_story(story_id))

    def add(self, f: ArticleFeatures) -> Assignment:
        """Place one article: join the best story, merge bridged stories, or start a story."""
        vector = _vector(f)
        cands = self.index.candidates(f, vector)
        ranked, detail = self._score(f, vector, cands) if len(cands.slots) else ([], {})
        merged: list[str] = []
        if ranked and ranked[0][1] >= self.model.join:
            story = ranked[0][0]
            for other, score in ranked[1:]:
                if score >= self.model.merge:
                    gone = max(self.find(story), self.find(other))
                    merged.append(self.story_ids[gone])
                    story = self._merge(story, other)
            new = False
        else:
            story = self._new_story(story_id_for(f.id))
            new = True
        reasons = self._reasons(ranked, detail, story, new)
        slot = self._index(f, vector, story)
        return Assignment(id=f.id, story=self.story_ids[self.find(story)], new=new,
                          score=round(ranked[0][1], 4) if ranked else 0.0, merged=merged, reasons=reasons, slot=slot)

    def _score(self, f: ArticleFeatures, vector: np.ndarray, cands) -> tuple[list[tuple[int, float]], dict]:
        slots, cos, jac = cands.slots, cands.cos, cands.jac
        cols = self.index.columns(slots)
        roots = np.array([self.find(int(s)) for s in cols["story"]], dtype=np.int64)
        # stand-ins: the first members of every candidate story that the search did not return
        have = set(slots.tolist())
        extra = [s for r in np.unique(roots).tolist() for s in self.exemplars[r] if s not in have]
        if extra:
            extra_slots = np.array(extra, dtype=np.int64)
            ecols = self.index.columns(extra_slots)
            ecos = (self.index.vectors(extra_slots) @ vector).astype(np.float64)
            ejac = (ecols["sig"] == f.signature[None, :]).mean(axis=1) if f.signature.any() else np.zeros(len(extra))
            slots = np.concatenate([slots, extra_slots])
            cos, jac = np.concatenate([cos, ecos]), np.concatenate([jac, ejac])
            cols = {k: np.concatenate([cols[k], ecols[k]]) for k in cols}
            roots = np.concatenate([roots, [self.find(int(s)) for s in ecols["story"]]])
        x, dt = pair_matrix(f, cos, jac, cols)
        p = self.model.probability(x)
        ranked = []
        for root in np.unique(roots).tolist():
            mask = roots == root
            ranked.append((root, top_mean(p[mask], self.model.top)))
        ranked.sort(key=lambda kv: (-kv[1], kv[0]))
        names = {"entity": f.entity_names, "term": f.term_names}
        return ranked, {"slots": slots, "x": x, "p": p, "roots": roots, "dt": dt, "cols": cols, "names": names}

    def _reasons(self, ranked, detail, story: int, new: bool) -> dict:
        """Why: the best member pairs of the chosen (or best rejected) story, and the runner-up."""
        if not ranked:
            return {"decision": "new", "why": "no article within the time window is similar", "threshold": self.model.join}
        best_root, best = ranked[0]
        target = best_root if new else self.find(story)
        mask = np.flatnonzero(np.array([self.find(int(r)) == target for r in detail["roots"]]))
        if not len(mask):
            mask = np.flatnonzero(detail["roots"] == best_root)
        order = mask[np.argsort(-detail["p"][mask], kind="stable")][:REASONS]
        pairs = [self._pair_reason(detail, i) for i in order.tolist()]
        out = {"decision": "new" if new else "join", "score": round(best, 4), "threshold": self.model.join,
               "pairs": pairs}
        if new:
            out["nearest_story"] = self.story_ids[best_root]
        if len(ranked) > 1:
            out["runner_up"] = {"story": self.story_ids[ranked[1][0]], "score": round(ranked[1][1], 4)}
        return out

    def _pair_reason(self, detail: dict, i: int) -> dict:
        x = detail["x"][i]
        slot = int(detail["slots"][i])
        reason = {"article": self.index.article_id(slot), "p": round(float(detail["p"][i]), 4)}
        reason.update({name: round(float(v), 4) for name, v in zip(FEATURES, x)
                       if name in ("cos", "term", "ent", "jac")})
        dt = detail["dt"][i]
        reason["days"] = None if np.isnan(dt) else int(dt)
        for kind, column, label in (("entity", "ekeys", "entities"), ("term", "tkeys", "terms")):
            names = detail["names"][kind]
            reason[label] = [names[k] for k in detail["cols"][column][i].tolist() if k in names][:SHARED_NAMES]
        return reason


def _vector(f: ArticleFeatures) -> np.ndarray:
    if f.embedding is None:
        from rashomon.cluster.embeddings import DIM
        return np.zeros(DIM, dtype=np.float32)
    return np.asarray(f.embedding, dtype=np.float32)
