"""Features for the attribution model: cue tokens and (cue, source candidate) pairs over a spaCy parse.

Shared by inference (``quotes.py``) and training (``benchmarks/attribution_train.py``), so the two
see exactly the same strings. Features are plain strings (one-hot, weight looked up by name):
lemma, part of speech, dependency relations around the token, the lexicon class of the lemma
(``data/attribution_lexicon.json``), quotation-mark state and the shape of the path between a cue
and a candidate source.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rashomon.analyze.quote_marks import QuoteSpan, find_quotes

DATA = Path(__file__).with_name("data")

CUE_POS = {"VERB", "AUX", "NOUN", "ADP", "ADJ", "ADV", "PART", "PUNCT", "PROPN"}
NOMINAL_POS = {"PROPN", "NOUN", "PRON", "NUM", "X", "ADJ", "DET"}
SKIP_CANDIDATE_DEPS = {"compound", "flat", "det", "nummod", "amod", "quantmod", "nmod", "case", "punct"}
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "pcomp", "csubj"}


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


@dataclass
class DocContext:
    """Per-document facts the features need: quotation spans and the quotation of each token."""

    doc: object
    quotes: list[QuoteSpan]
    token_quote: list[int]
    sent_of: list[int] = field(default_factory=list)
    sents: list = field(default_factory=list)

    @classmethod
    def build(cls, doc) -> "DocContext":
        quotes = find_quotes(doc.text)
        starts = [q.start for q in quotes]
        token_quote = []
        for tok in doc:
            k = bisect.bisect_right(starts, tok.idx) - 1
            token_quote.append(k if k >= 0 and tok.idx < quotes[k].end else -1)
        sents = list(doc.sents)
        sent_of = [0] * len(doc)
        for n, s in enumerate(sents):
            for i in range(s.start, s.end):
                sent_of[i] = n
        return cls(doc, quotes, token_quote, sent_of, sents)

    def inside_quote(self, tok) -> bool:
        """True when the token is within a quotation, marks excluded."""
        k = self.token_quote[tok.i]
        return k >= 0 and self.quotes[k].start < tok.idx < self.quotes[k].end - 1


def _subject(tok):
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "expl"):
            return c
    if tok.dep_ in ("conj", "xcomp", "advcl") and tok.head is not tok:
        for c in tok.head.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i:
                return c
    return None


def _kind_of(tok) -> str:
    """A coarse class of a nominal: pron, person, org, media, source noun, other."""
    lex = lexicon()
    if tok.pos_ == "PRON":
        return "pron_" + tok.lower_
    if tok.ent_type_:
        return "ent_" + tok.ent_type_
    lemma = tok.lemma_.lower()
    if lemma in lex["media_nouns"]:
        return "media"
    if lemma in lex["source_nouns"]:
        return "srcnoun"
    if lemma in lex["titles"]:
        return "title"
    return "pos_" + tok.pos_


def cue_features(tok, ctx: DocContext) -> list[str]:
    """Features of a token as the head of an attribution cue."""
    lex = lexicon()
    lemma = tok.lemma_.lower()
    cls = lex["lemma_class"].get(lemma, "none")
    pos, dep = tok.pos_, tok.dep_
    f = ["b", "l=" + lemma, "p=" + pos, "t=" + tok.tag_, "d=" + dep, "c=" + cls, "cp=" + cls + pos,
         "cd=" + cls + dep, "ld=" + lemma + dep, "lp=" + lemma + pos]
    child_deps = set()
    for c in tok.children:
        cd = c.dep_
        child_deps.add(cd)
        if cd == "prep" or cd == "prt" or cd == "agent":
            f.append("pr=" + lemma + "_" + c.lower_)
            f.append("pr=" + c.lower_)
        elif cd == "mark":
            f.append("mk=" + c.lower_)
        elif cd == "poss":
            f.append("poss=" + _kind_of(c))
        elif cd == "neg":
            f.append("neg")
    for cd in child_deps:
        f.append("ch=" + cd)
        f.append("cch=" + cls + cd)
        f.append("lch=" + lemma + "_" + cd)
    if "ccomp" in child_deps:
        f.append("lcc=" + lemma)
    if "xcomp" in child_deps:
        f.append("lxc=" + lemma)
    if "dobj" in child_deps:
        f.append("ldo=" + lemma)
    subj = _subject(tok)
    if subj is not None:
        k = _kind_of(subj)
        f.append("sk=" + k)
        f.append("csk=" + cls + k)
        f.append("lsk=" + lemma + "_" + k)
        k2 = "pron" if k.startswith("pron_") else k
        for cd in child_deps & {"ccomp", "xcomp", "dobj", "prep", "attr", "acomp"}:
            f.append("skch=" + k2 + "_" + cd + "_" + pos)
        f.append("skd=" + k2 + "_" + dep + "_" + pos)
        f.append("sd=" + subj.dep_)
    else:
        f.append("nosubj")
        f.append("cnosubj=" + cls)
    head = tok.head
    if head is not tok:
        hl = head.lemma_.lower()
        f.append("hd=" + dep + "_" + head.pos_)
        f.append("hl=" + hl)
        f.append("hc=" + lex["lemma_class"].get(hl, "none") + dep)
    # the nearest clausal ancestor: is this token inside the complement of another cue?
    anc, steps = tok, 0
    while anc.head is not anc and steps < 4:
        if anc.dep_ in CLAUSE_DEPS:
            al = anc.head.lemma_.lower()
            f.append("anc=" + anc.dep_ + "_" + lex["lemma_class"].get(al, "none"))
            f.append("ancl=" + anc.dep_ + "_" + al)
            break
        anc, steps = anc.head, steps + 1
    doc = tok.doc
    prev1 = doc[tok.i - 1] if tok.i > 0 else None
    next1 = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    f.append("w-1=" + (prev1.lower_ if prev1 is not None else "<s>"))
    f.append("w+1=" + (next1.lower_ if next1 is not None else "</s>"))
    f.append("lw+1=" + lemma + "_" + (next1.lower_ if next1 is not None else "</s>"))
    if prev1 is not None and tok.i > 1:
        f.append("w-2=" + doc[tok.i - 2].lower_ + "_" + prev1.lower_)
    # quotation state
    f.append("lw=" + tok.lower_)
    if prev1 is not None:
        f.append("ll-1=" + prev1.lemma_.lower() + "_" + lemma)
    if ctx.inside_quote(tok):
        f.append("inq")
        f.append("cinq=" + cls)
        f.append("linq=" + lemma)
    sent = ctx.sents[ctx.sent_of[tok.i]]
    if any(ctx.token_quote[i] >= 0 for i in range(sent.start, sent.end)):
        f.append("sq")
        f.append("csq=" + cls)
    for back in (1, 2, 3):
        j = tok.i - back
        if j >= sent.start and doc[j].text in ("”", '"', "’"):
            f.append(f"afterq{back}")
            f.append("afterq=" + cls)
            f.append("lafterq=" + lemma)
            break
    if tok.i + 1 < sent.end and doc[tok.i + 1].text == ":":
        f.append("colon")
    rel = tok.i - sent.start
    f.append("sp=" + ("0" if rel == 0 else "1" if rel < 3 else "m" if sent.end - tok.i > 3 else "e"))
    f.append("suf=" + lemma[-3:])
    return f


def is_cue_candidate(tok) -> bool:
    """Tokens that may head a cue: content words, prepositions (according to) and colons."""
    pos = tok.pos_
    if pos not in CUE_POS:
        return False
    if pos == "PUNCT":
        return tok.text == ":"
    return tok.is_alpha


def source_candidates(cue, ctx: DocContext) -> list:
    """Heads of nominal phrases in the cue's sentence (the source is in the same sentence 99% of times)."""
    sent = ctx.sents[ctx.sent_of[cue.i]]
    out = []
    for tok in sent:
        if tok.i == cue.i or tok.pos_ not in NOMINAL_POS:
            continue
        dep = tok.dep_
        if dep in SKIP_CANDIDATE_DEPS and tok.head.i != cue.i:
            continue
        if tok.pos_ == "ADJ" and dep not in ("nsubj", "pobj", "nsubjpass", "dobj"):
            continue
        if tok.pos_ == "DET" and dep not in ("nsubj", "pobj", "nsubjpass"):
            continue
        out.append(tok)
    return out


def dep_path(a, b, limit: int = 5) -> str:
    """Dependency path from ``a`` up to the common ancestor and down to ``b`` (``^`` up, ``v`` down)."""
    up = [a]
    t = a
    while t.head is not t and len(up) <= 12:
        t = t.head
        up.append(t)
    index = {x.i: k for k, x in enumerate(up)}
    down = []
    t = b
    while t.i not in index:
        down.append(t)
        if t.head is t or len(down) > 12:
            return "none"
        t = t.head
    k = index[t.i]
    labels = ["^" + x.dep_ for x in up[:k]] + ["v" + x.dep_ for x in reversed(down)]
    if len(labels) > limit:
        return "long"
    return "".join(labels)


def source_features(cue, cand, ctx: DocContext, cue_lemma_class: str) -> list[str]:
    """Features of ``cand`` as the source of the cue headed by ``cue``."""
    path = dep_path(cue, cand)
    kind = _kind_of(cand)
    dist = cand.i - cue.i
    direction = "L" if dist < 0 else "R"
    ad = abs(dist)
    db = "1" if ad == 1 else "2" if ad == 2 else "3-4" if ad <= 4 else "5-8" if ad <= 8 else "9+"
    cl = cue.lemma_.lower()
    f = ["b", "pa=" + path, "k=" + kind, "pk=" + path + "|" + kind, "dir=" + direction + db,
         "pc=" + path + "|" + cue_lemma_class, "pcp=" + path + "|" + cue.pos_, "cd=" + cand.dep_,
         "cdp=" + cand.dep_ + "|" + cue.dep_, "pl=" + path + "|" + cl, "cpos=" + cand.pos_]
    if ctx.inside_quote(cand):
        f.append("inq")
        f.append("inqk=" + kind)
    if cand.pos_ == "PRON":
        f.append("pron=" + cand.lower_ + "|" + path)
    # how many verbs between the two, and does the candidate lie in the cue's own subtree
    lo, hi = sorted((cue.i, cand.i))
    nverbs = sum(1 for t in cue.doc[lo + 1:hi] if t.pos_ in ("VERB", "AUX") and t.dep_ != "aux")
    f.append("nv=" + str(min(nverbs, 3)))
    if cue.left_edge.i <= cand.i <= cue.right_edge.i:
        f.append("insub")
    if cand.head.i == cue.i:
        f.append("child=" + cand.dep_)
    elif cand.head.head.i == cue.i:
        f.append("gchild=" + cand.head.dep_ + "_" + cand.head.lower_ + "_" + cand.dep_)
    return f
