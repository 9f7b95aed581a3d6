"""Features for the attribution model: cue tokens and (cue, source candidate) pairs over a spaCy parse.

Shared by inference (``cue_detection.py``) and training (``benchmarks/attribution_train.py``), so
both see exactly the same strings. Features are plain strings (one-hot, weight looked up by
name): lemma, part of speech, dependency relations around the token, the lexicon class of the
lemma (``data/attribution_lexicon.json``), quotation-mark state and the shape of the dependency
path between a cue and a candidate source.

For speed, a document is read once into plain Python lists (``DocContext``, via
``Doc.to_array``) and features are computed on token indexes, never on spaCy ``Token`` objects.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rashomon.analyze.quote_marks import QuoteSpan, find_quotes

DATA = Path(__file__).with_name("data")

CUE_POS = {"VERB", "AUX", "NOUN", "ADP", "ADJ", "ADV", "PART", "PUNCT", "PROPN"}
NOMINAL_POS = {"PROPN", "NOUN", "PRON", "NUM", "X", "ADJ", "DET"}
SKIP_CANDIDATE_DEPS = {"compound", "flat", "det", "nummod", "amod", "quantmod", "nmod", "case", "punct"}
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "pcomp", "csubj"}
CHAIN_DEPS = {"advcl", "conj", "xcomp", "pcomp", "prep", "acl", "ccomp", "relcl", "parataxis"}
RELATIVE = {"who", "that", "which", "whom"}
CLOSING_QUOTES = {"”", '"', "’"}
COMPLEMENTS = {"ccomp", "xcomp", "dobj", "prep", "attr", "acomp"}
MAX_SOURCE_DISTANCE = 40

_STRINGS: dict[int, str] = {}


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The hand-made lexicon: cue lemmas by kind, source nouns, media nouns, titles, pronouns."""
    with open(DATA / "attribution_lexicon.json", encoding="utf-8") as fh:
        raw = json.load(fh)
    lemma_class: dict[str, str] = {}
    for kind in ("speech", "belief", "intention", "evidence"):
        for lemma in raw["cues"][kind]:
            lemma_class.setdefault(lemma, kind)
    raw["lemma_class"] = lemma_class
    for key in ("source_nouns", "media_nouns", "titles"):
        raw[key] = set(raw[key])
    return raw


def _strings(strings, hashes: list[int]) -> list[str]:
    """The strings of a column of hashes, through a process-wide cache."""
    out = list(map(_STRINGS.get, hashes))
    if None in out:
        for k, h in enumerate(hashes):
            if out[k] is None:
                out[k] = strings[h] if h else ""
                if len(_STRINGS) < 500_000:
                    _STRINGS[h] = out[k]
    return out


@dataclass
class DocContext:
    """A parsed document as plain lists (one entry per token) plus its quotations and sentences."""

    doc: object
    doc_text: str
    text: list[str]
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    ent: list[str]
    idx: list[int]
    head: list[int]
    children: list[list[int]]
    left: list[int]
    right: list[int]
    sent_of: list[int]
    sent_bounds: list[tuple[int, int]]
    quotes: list[QuoteSpan]
    token_quote: list[int]
    in_quote: list[bool]
    sent_has_quote: list[bool]
    roles: list | None = None  # per token, the role tagger's bins (``role_bins``), when it ran

    @classmethod
    def build(cls, doc, roles=None) -> "DocContext":
        """The context of ``doc``; ``roles``: the role tagger's probabilities (n_tokens x labels)."""
        import numpy as np
        from spacy.attrs import DEP, ENT_TYPE, HEAD, IDX, LEMMA, LOWER, ORTH, POS, SENT_START, SPACY, TAG

        n = len(doc)
        arr = doc.to_array([ORTH, LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, IDX, HEAD, SENT_START, SPACY])
        signed = arr.view(np.int64)
        head = (np.arange(n, dtype=np.int64) + signed[:, 8]).tolist()
        sent_start = signed[:, 9].tolist()
        cols = arr[:, :8].T.tolist()
        spaces = arr[:, 10].tolist()
        strings = doc.vocab.strings
        text = _strings(strings, cols[0])
        lower = _strings(strings, cols[1])
        lemma = [x.lower() for x in _strings(strings, cols[2])]
        pos = _strings(strings, cols[3])
        tag = _strings(strings, cols[4])
        dep = _strings(strings, cols[5])
        ent = _strings(strings, cols[6])
        idx = cols[7]
        doc_text = "".join([t + " " if sp else t for t, sp in zip(text, spaces)])
        children: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(head):
            if h != i:
                children[h].append(i)
        left, right = list(range(n)), list(range(n))
        for i in _bottom_up(head, children):
            h = head[i]
            if h != i:
                if left[i] < left[h]:
                    left[h] = left[i]
                if right[i] > right[h]:
                    right[h] = right[i]
        sent_of, bounds = [0] * n, []
        start = 0
        for i, ss in enumerate(sent_start):
            if ss == 1 and i > start:
                bounds.append((start, i))
                start = i
        if n:
            bounds.append((start, n))
        for k, (a, b) in enumerate(bounds):
            for i in range(a, b):
                sent_of[i] = k
        quotes = find_quotes(doc_text)
        starts = [q.start for q in quotes]
        token_quote, in_quote = [-1] * n, [False] * n
        if quotes:
            for i, off in enumerate(idx):
                k = bisect.bisect_right(starts, off) - 1
                if k >= 0 and off < quotes[k].end:
                    token_quote[i] = k
                    in_quote[i] = quotes[k].start < off < quotes[k].end - 1
        sent_has_quote = [any(token_quote[i] >= 0 for i in range(a, b)) for a, b in bounds]
        return cls(doc, doc_text, text, lower, lemma, pos, tag, dep, ent, idx, head, children, left, right,
                   sent_of, bounds, quotes, token_quote, in_quote, sent_has_quote,
                   role_bins(roles) if roles is not None and len(roles) == n else None)

    def inside_quote(self, i: int) -> bool:
        """True when token ``i`` is within a quotation, marks excluded."""
        return self.in_quote[i]

    def char_range(self, lo: int, hi: int) -> tuple[int, int]:
        """Character offsets [start, end) of the token range [lo, hi)."""
        return self.idx[lo], self.idx[hi - 1] + len(self.text[hi - 1])

    def sent(self, i: int) -> tuple[int, int]:
        return self.sent_bounds[self.sent_of[i]]


def role_bins(probs) -> list[tuple[int, int, int]]:
    """Per token, the role tagger's probabilities as small integers: (cue head, any cue word,
    source), each the rounded logit clipped to [-6, 6] (features are strings, one per bin)."""
    import numpy as np

    from rashomon.analyze.attribution_tagger import LABELS

    p = np.asarray(probs, dtype=np.float32)
    head = p[:, LABELS.index("CUEH")]
    cue = head + p[:, LABELS.index("CUE")]
    src = p[:, LABELS.index("SRC")]
    cols = []
    for x in (head, cue, src):
        x = np.clip(x, 1e-4, 1 - 1e-4)
        cols.append(np.clip(np.rint(np.log(x / (1 - x))), -6, 6).astype(int).tolist())
    return list(zip(*cols))


def _bottom_up(head: list[int], children: list[list[int]]) -> list[int]:
    """Token indexes ordered children before heads (for subtree edges)."""
    order, stack = [], [i for i, h in enumerate(head) if h == i]
    while stack:
        i = stack.pop()
        order.append(i)
        stack.extend(children[i])
    order.reverse()
    return order


def kind_of(i: int, ctx: DocContext) -> str:
    """A coarse class of a nominal: pron_<word>, ent_<label>, media, srcnoun, title or pos_<POS>."""
    if ctx.pos[i] == "PRON":
        return "pron_" + ctx.lower[i]
    if ctx.ent[i]:
        return "ent_" + ctx.ent[i]
    lex = lexicon()
    lemma = ctx.lemma[i]
    if lemma in lex["media_nouns"]:
        return "media"
    if lemma in lex["source_nouns"]:
        return "srcnoun"
    if lemma in lex["titles"]:
        return "title"
    return "pos_" + ctx.pos[i]


def _subject(i: int, ctx: DocContext) -> int | None:
    for c in ctx.children[i]:
        if ctx.dep[c] in ("nsubj", "nsubjpass", "expl"):
            return c
    h = ctx.head[i]
    if ctx.dep[i] in ("conj", "xcomp", "advcl") and h != i:
        for c in ctx.children[h]:
            if ctx.dep[c] in ("nsubj", "nsubjpass") and c < i:
                return c
    return None


def is_cue_candidate(i: int, ctx: DocContext, gate: set[str] | frozenset = frozenset()) -> bool:
    """Tokens that may head a cue: verbs, words seen as cues in training (``gate``), "according"
    and colons. Without a gate every content word is a candidate (training)."""
    pos = ctx.pos[i]
    if pos not in CUE_POS:
        return False
    if pos == "PUNCT":
        return ctx.text[i] == ":"
    if not ctx.text[i].isalpha() or ctx.dep[i] in ("aux", "auxpass"):
        return False
    if gate and pos not in ("VERB", "AUX"):
        return ctx.lemma[i] in gate
    return True


def cue_features(i: int, ctx: DocContext) -> list[str]:
    """Features of token ``i`` as the head of an attribution cue."""
    lex = lexicon()
    lemma = ctx.lemma[i]
    cls = lex["lemma_class"].get(lemma, "none")
    pos, dep = ctx.pos[i], ctx.dep[i]
    f = ["l=" + lemma, "p=" + pos, "t=" + ctx.tag[i], "d=" + dep, "c=" + cls, "cp=" + cls + pos,
         "cd=" + cls + dep, "ld=" + lemma + dep, "lp=" + lemma + pos, "lw=" + ctx.lower[i],
         "suf=" + lemma[-3:]]
    child_deps = set()
    for c in ctx.children[i]:
        cd = ctx.dep[c]
        child_deps.add(cd)
        if cd == "prep" or cd == "prt" or cd == "agent":
            f.append("pr=" + lemma + "_" + ctx.lower[c])
            f.append("pr=" + ctx.lower[c])
        elif cd == "mark":
            f.append("mk=" + ctx.lower[c])
        elif cd == "poss":
            f.append("poss=" + kind_of(c, ctx))
        elif cd == "neg":
            f.append("neg")
    for cd in child_deps:
        f.append("ch=" + cd)
        f.append("cch=" + cls + cd)
        f.append("lch=" + lemma + "_" + cd)
    subj = _subject(i, ctx)
    if subj is not None:
        k = kind_of(subj, ctx)
        k2 = "pron" if k.startswith("pron_") else k
        f.append("sk=" + k)
        f.append("csk=" + cls + k)
        f.append("lsk=" + lemma + "_" + k)
        f.append("skd=" + k2 + "_" + dep + "_" + pos)
        f.append("sd=" + ctx.dep[subj])
        for cd in child_deps & COMPLEMENTS:
            f.append("skch=" + k2 + "_" + cd + "_" + pos)
    else:
        f.append("nosubj")
        f.append("cnosubj=" + cls)
    h = ctx.head[i]
    if h != i:
        hl = ctx.lemma[h]
        f.append("hd=" + dep + "_" + ctx.pos[h])
        f.append("hl=" + hl)
        f.append("hc=" + lex["lemma_class"].get(hl, "none") + dep)
    # the nearest clausal ancestor: is this token inside the complement of another cue?
    a, steps = i, 0
    while ctx.head[a] != a and steps < 4:
        if ctx.dep[a] in CLAUSE_DEPS:
            al = ctx.lemma[ctx.head[a]]
            f.append("anc=" + ctx.dep[a] + "_" + lex["lemma_class"].get(al, "none"))
            f.append("ancl=" + ctx.dep[a] + "_" + al)
            break
        a, steps = ctx.head[a], steps + 1
    n = len(ctx.lower)
    prev1 = ctx.lower[i - 1] if i > 0 else "<s>"
    next1 = ctx.lower[i + 1] if i + 1 < n else "</s>"
    f.append("w-1=" + prev1)
    f.append("w+1=" + next1)
    f.append("lw+1=" + lemma + "_" + next1)
    if i > 1:
        f.append("w-2=" + ctx.lower[i - 2] + "_" + prev1)
    if i > 0:
        f.append("ll-1=" + ctx.lemma[i - 1] + "_" + lemma)
    if ctx.in_quote[i]:
        f.append("inq")
        f.append("cinq=" + cls)
        f.append("linq=" + lemma)
    s_start, s_end = ctx.sent(i)
    if ctx.sent_has_quote[ctx.sent_of[i]]:
        f.append("sq")
        f.append("csq=" + cls)
    for back in (1, 2, 3):
        j = i - back
        if j >= s_start and ctx.text[j] in CLOSING_QUOTES:
            f.append("afterq" + str(back))
            f.append("afterq=" + cls)
            f.append("lafterq=" + lemma)
            break
    if i + 1 < s_end and ctx.text[i + 1] == ":":
        f.append("colon")
    rel = i - s_start
    f.append("sp=" + ("0" if rel == 0 else "1" if rel < 3 else "m" if s_end - i > 3 else "e"))
    if ctx.roles is not None:
        rh, rc, _ = ctx.roles[i]
        f.append(f"rh={rh}")
        f.append(f"rc={rc}")
        f.append(f"rhc={rh}_{cls}")
        f.append(f"rhp={rh}_{pos}")
    return f


def source_candidates(cue: int, ctx: DocContext) -> list[int]:
    """Heads of nominal phrases in the cue's sentence (the source is in the same sentence 99% of times)."""
    s_start, s_end = ctx.sent(cue)
    lo, hi = max(s_start, cue - MAX_SOURCE_DISTANCE), min(s_end, cue + MAX_SOURCE_DISTANCE)
    out = []
    for t in range(lo, hi):
        pos = ctx.pos[t]
        if t == cue or pos not in NOMINAL_POS:
            continue
        dep = ctx.dep[t]
        if dep in SKIP_CANDIDATE_DEPS and ctx.head[t] != cue:
            continue
        if pos == "ADJ" and dep not in ("nsubj", "pobj", "nsubjpass", "dobj"):
            continue
        if pos == "DET" and dep not in ("nsubj", "pobj", "nsubjpass"):
            continue
        out.append(t)
    return out


def effective_subject(cue: int, ctx: DocContext) -> int | None:
    """The subject the cue shares with the clause it hangs from: "Mook refused ..., adding that"
    -> Mook; "X blasted Y and mocked Z" -> X (up to four clausal links)."""
    t = cue
    for _ in range(5):
        for c in ctx.children[t]:
            d = ctx.dep[c]
            if c != cue and d in ("nsubj", "nsubjpass"):
                return c
            if c != cue and d == "agent":
                return next((g for g in ctx.children[c] if ctx.dep[g] == "pobj"), None)
        if ctx.head[t] == t or ctx.dep[t] not in CHAIN_DEPS:
            return None
        t = ctx.head[t]
    return None


def dep_path(a: int, b: int, ctx: DocContext, limit: int = 5) -> str:
    """Dependency path from ``a`` up to the common ancestor and down to ``b`` (``^`` up, ``v`` down)."""
    head, dep = ctx.head, ctx.dep
    up = [a]
    t = a
    while head[t] != t and len(up) <= 12:
        t = head[t]
        up.append(t)
    index = {x: k for k, x in enumerate(up)}
    down = []
    t = b
    while t not in index:
        down.append(t)
        if head[t] == t or len(down) > 12:
            return "none"
        t = head[t]
    k = index[t]
    if k + len(down) > limit:
        return "long"
    return "".join(["^" + dep[x] for x in up[:k]] + ["v" + dep[x] for x in reversed(down)])


def source_features(cue: int, cand: int, ctx: DocContext, cue_lemma_class: str,
                    esubj: int | None = None) -> list[str]:
    """Features of ``cand`` as the source of the cue ``cue`` (``esubj``: the cue's effective subject)."""
    path = dep_path(cue, cand, ctx)
    kind = kind_of(cand, ctx)
    dist = cand - cue
    ad = abs(dist)
    db = "1" if ad == 1 else "2" if ad == 2 else "3-4" if ad <= 4 else "5-8" if ad <= 8 else "9+"
    cl = ctx.lemma[cue]
    cand_dep = ctx.dep[cand]
    f = ["pa=" + path, "k=" + kind, "pk=" + path + "|" + kind, "dir=" + ("L" if dist < 0 else "R") + db,
         "pc=" + path + "|" + cue_lemma_class, "pcp=" + path + "|" + ctx.pos[cue], "cd=" + cand_dep,
         "cdp=" + cand_dep + "|" + ctx.dep[cue], "pl=" + path + "|" + cl, "cpos=" + ctx.pos[cand]]
    if ctx.in_quote[cand]:
        f.append("inq")
        f.append("inqk=" + kind)
    if ctx.pos[cand] == "PRON":
        f.append("pron=" + ctx.lower[cand] + "|" + path)
        if ctx.lower[cand] in RELATIVE and ctx.dep[ctx.head[cand]] in ("relcl", "acl"):
            f.append("relpron")
    if esubj is not None and esubj == cand:
        f.append("esubj")
        f.append("esubj=" + ctx.dep[cue])
        f.append("esubjk=" + kind)
    lo, hi = (cue, cand) if cue < cand else (cand, cue)
    nverbs = sum(1 for t in range(lo + 1, hi) if ctx.pos[t] in ("VERB", "AUX") and ctx.dep[t] != "aux")
    f.append("nv=" + str(min(nverbs, 3)))
    if ctx.left[cue] <= cand <= ctx.right[cue]:
        f.append("insub")
    if ctx.roles is not None:
        rs = ctx.roles[cand][2]
        f.append(f"rs={rs}")
        f.append(f"rsp={rs}|{path}")
    h = ctx.head[cand]
    if h == cue:
        f.append("child=" + cand_dep)
    elif ctx.head[h] == cue:
        f.append("gchild=" + ctx.dep[h] + "_" + ctx.lower[h] + "_" + cand_dep)
    return f
