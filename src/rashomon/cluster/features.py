"""Per-article clustering features, computed from one article alone (no corpus statistics).

Because nothing here looks at other articles, features can be computed anywhere (a worker, a Spark
task) and stored; the index and the scorer only combine them. What an article contributes:

- ``day``: the publication day as an interval of proleptic ordinals (``2013-06`` spans June), or,
  when no date is given, a full date written in the first lines (a dateline) found by the analysis;
- ``years``: the years the text's absolute time expressions name (a weak clue for undated texts);
- ``signature``: MinHash of word 3-grams (``minhash.py``), for syndicated and lightly edited copies;
- ``embedding``: sentence embedding of the headline and lead (``embeddings.py``);
- ``entities``: canonical entity keys from the analysis, weighted by mentions, by whether the
  headline or lead names them and by how rare their words are;
- ``terms``: the article's most distinctive words, weighted by sub-linear frequency times rarity,
  where rarity comes from a background word-frequency list of the article's language (the
  ``wordfreq`` package), not from the articles at hand — so the weight of a word never depends on
  what else was clustered.

Terms and entities are kept as hashed 32-bit keys with float16 weights in sorted arrays, so a
feature set costs a few hundred bytes and two sets are compared with a sorted merge.
"""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import math
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from rashomon.cluster import minhash
from rashomon.models import AnalyzedArticle, Article, normalize_body

log = logging.getLogger(__name__)

LEAD_SENTENCES = 3        # headline + this many sentences are embedded (the baseline's choice; see README)
MAX_TERMS = 48            # distinctive words kept per article
MAX_ENTITIES = 24         # entity keys kept per article
ZIPF_CEILING = 6.0        # a word's rarity weight is CEILING - zipf (words above it weigh nothing)
ZIPF_UNKNOWN = 2.0        # zipf assumed for words missing from the background list (rarer than 3.0)
RARE_ZIPF = 4.5           # words at most this frequent count as distinctive terms (~ top 20k words excluded)
LEAD_BOOST = 2.0          # an entity named in the headline or lead counts this much more
DATELINE_CHARS = 300      # a full date this close to the start may stand for a missing publication date
WORDFREQ_LANGS = frozenset({"ar", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he",
                            "hi", "hu", "id", "is", "it", "ja", "ko", "lt", "lv", "mk", "ms", "nb", "nl", "pl",
                            "pt", "ro", "ru", "sh", "sk", "sl", "sv", "ta", "tr", "uk", "ur", "vi", "zh"})
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')\]]*\s+")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


@dataclass
class ArticleFeatures:
    """What the clusterer knows about one article (see the module docstring)."""

    id: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    day: tuple[int, int] | None = None
    years: tuple[int, ...] = ()
    signature: np.ndarray = field(default_factory=lambda: minhash.EMPTY.copy())
    embedding: np.ndarray | None = None
    entity_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    entity_weights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float16))
    term_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint32))
    term_weights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float16))
    entity_names: dict[int, str] = field(default_factory=dict)   # hashed key -> canonical name (for explanations)
    term_names: dict[int, str] = field(default_factory=dict)
    words: int = 0


def key_hash(text: str) -> int:
    """Stable 32-bit key of a term or entity key."""
    return zlib.crc32(text.encode("utf-8"))


def lead_text(title: str | None, text: str, sentences: int = LEAD_SENTENCES) -> str:
    """The headline and the first ``sentences`` sentences of the body (lines count as sentence breaks)."""
    out: list[str] = []
    for line in text.split("\n"):
        for piece in _SENTENCE_END.split(line):
            if piece.strip():
                out.append(piece.strip())
                if len(out) >= sentences:
                    break
        if len(out) >= sentences:
            break
    lead = " ".join(out)
    if title and not lead.startswith(title.strip()):
        return f"{title.strip()}\n{lead}"
    return lead


def day_interval(value: str | None) -> tuple[int, int] | None:
    """Ordinals of the first and last day an ISO date (``2024-01-29``, ``2024-01``, ``2024``) covers."""
    if not value:
        return None
    m = _DATE.match(value.strip())
    if not m:
        return None
    year = int(m.group(1))
    try:
        if m.group(3):
            d = dt.date(year, int(m.group(2)), int(m.group(3))).toordinal()
            return d, d
        if m.group(2):
            month = int(m.group(2))
            return (dt.date(year, month, 1).toordinal(),
                    dt.date(year, month, calendar.monthrange(year, month)[1]).toordinal())
        return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
    except ValueError:
        return None


@lru_cache(maxsize=8)
def _frequencies(lang: str) -> dict[str, float]:
    """Background word frequencies (zipf) of a language, from wordfreq's small list (empty if missing)."""
    try:
        import wordfreq
    except ImportError:  # pragma: no cover - a declared dependency
        log.warning("wordfreq is not installed: every word counts as equally rare")
        return {}
    try:
        freqs = wordfreq.get_frequency_dict(lang, wordlist="small")
    except (LookupError, ValueError, OSError):
        return {}
    return {w: math.log10(f) + 9 for w, f in freqs.items()}


def zipf(word: str, lang: str | None) -> float:
    """Zipf frequency of a lower-case word in the article's language (English when unknown)."""
    lang = lang if lang in WORDFREQ_LANGS else "en"
    return _frequencies(lang).get(word, ZIPF_UNKNOWN)


def rarity(word: str, lang: str | None) -> float:
    """Weight of a word: how much rarer it is than the ZIPF_CEILING (0 for the commonest words)."""
    return max(0.0, ZIPF_CEILING - zipf(word, lang))


def _sorted_keys(weights: dict[int, float], limit: int) -> tuple[np.ndarray, np.ndarray]:
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    top.sort()
    keys = np.fromiter((k for k, _ in top), dtype=np.uint32, count=len(top))
    values = np.fromiter((v for _, v in top), dtype=np.float32, count=len(top))
    norm = float(np.sqrt((values ** 2).sum())) or 1.0
    return keys, (values / norm).astype(np.float16)


def term_weights(title: str | None, text: str, lang: str | None) -> tuple[dict[int, float], dict[int, str]]:
    """Distinctive words of the headline and body: (1 + log tf) x rarity, for words with zipf <= RARE_ZIPF."""
    counts: dict[str, int] = {}
    for word in _TOKEN.findall(f"{title or ''}\n{title or ''}\n{text}".casefold()):
        word = word.strip("'’-")
        if len(word) >= 3:
            counts[word] = counts.get(word, 0) + 1
    weights, names = {}, {}
    for word, count in counts.items():
        z = zipf(word, lang)
        if z > RARE_ZIPF:
            continue
        key = key_hash(word)
        weights[key] = (1.0 + math.log(count)) * (ZIPF_CEILING - z)
        names[key] = word
    return weights, names


def entity_weights(analyzed: AnalyzedArticle, lead_end: int) -> tuple[dict[int, float], dict[int, str]]:
    """Entity keys weighted by (1 + log mentions) x rarity of the name's rarest word x LEAD_BOOST if early."""
    lang = analyzed.article.language
    counts: dict[str, int] = {}
    early: set[str] = set()
    names: dict[str, str] = {}
    for e in analyzed.entities:
        counts[e.key] = counts.get(e.key, 0) + 1
        names.setdefault(e.key, e.canonical)
        if e.start < lead_end:
            early.add(e.key)
    title_folded = normalize_body(analyzed.article.title or "")
    weights, out_names = {}, {}
    for key, count in counts.items():
        words = normalize_body(names[key]).split() or [key]
        rare = max(rarity(w, lang) for w in words)
        boost = LEAD_BOOST if key in early or (title_folded and normalize_body(names[key]) in title_folded) else 1.0
        hashed = key_hash(key)
        weights[hashed] = (1.0 + math.log(count)) * max(rare, 0.5) * boost
        out_names[hashed] = names[key]
    return weights, out_names


def _dateline_day(analyzed: AnalyzedArticle) -> tuple[int, int] | None:
    for t in analyzed.times:
        if t.start > DATELINE_CHARS:
            break
        if t.type in ("DATE", "TIME") and t.value and re.match(r"^\d{4}-\d{2}-\d{2}", t.value):
            return day_interval(t.value)
    return None


def article_day(analyzed: AnalyzedArticle) -> tuple[int, int] | None:
    """Publication day interval; a dateline date refines a missing or month-only publication date."""
    given = day_interval(analyzed.article.published)
    if given is not None and given[0] == given[1]:
        return given
    written = _dateline_day(analyzed)
    if written is not None and (given is None or given[0] <= written[0] <= given[1]):
        return written
    return given


def text_years(analyzed: AnalyzedArticle) -> tuple[int, ...]:
    """Years named by absolute time expressions (values starting with a 4-digit year)."""
    years = set()
    for t in analyzed.times:
        if t.value and t.type in ("DATE", "TIME"):
            m = re.match(r"^(\d{4})(?:$|-)", t.value)
            if m and 1800 < int(m.group(1)) < 2200:
                years.add(int(m.group(1)))
    return tuple(sorted(years))


def compute(analyzed: AnalyzedArticle | Article, embedding: np.ndarray | None = None) -> ArticleFeatures:
    """Features of one article (an ``Article`` alone gives no entities, times or datelines)."""
    if isinstance(analyzed, Article):
        analyzed = AnalyzedArticle(article=analyzed, language_supported=False)
    article = analyzed.article
    lang = article.language
    words = normalize_body(f"{article.title or ''}\n{article.text}").split()
    lead = lead_text(None, article.text)
    terms, term_names = term_weights(article.title, article.text, lang)
    ents, ent_names = entity_weights(analyzed, lead_end=len(lead) + 1)
    t_keys, t_weights = _sorted_keys(terms, MAX_TERMS)
    e_keys, e_weights = _sorted_keys(ents, MAX_ENTITIES)
    kept_terms = {int(k): term_names[int(k)] for k in t_keys}
    kept_ents = {int(k): ent_names[int(k)] for k in e_keys}
    return ArticleFeatures(
        id=article.id, outlet=article.outlet, title=article.title, published=article.published,
        day=article_day(analyzed), years=text_years(analyzed),
        signature=minhash.signature(normalize_body(article.text).split()),
        embedding=None if embedding is None else np.asarray(embedding, dtype=np.float32),
        entity_keys=e_keys, entity_weights=e_weights, term_keys=t_keys, term_weights=t_weights,
        entity_names=kept_ents, term_names=kept_terms, words=len(words))


def weighted_overlap(keys_a: np.ndarray, w_a: np.ndarray, keys_b: np.ndarray, w_b: np.ndarray) -> tuple[float, np.ndarray]:
    """Cosine of two L2-normalised sparse vectors given as sorted keys and weights; also the shared keys."""
    if not len(keys_a) or not len(keys_b):
        return 0.0, np.zeros(0, np.uint32)
    shared, ia, ib = np.intersect1d(keys_a, keys_b, assume_unique=True, return_indices=True)
    if not len(shared):
        return 0.0, shared
    return float(np.dot(w_a[ia].astype(np.float32), w_b[ib].astype(np.float32))), shared


def analyzed_from_record(record: dict, article: Article | None = None) -> AnalyzedArticle:
    """An ``AnalyzedArticle`` holding what clustering reads (entities, times) from an analysis record."""
    from rashomon.models import Entity, TimeExpression

    if article is None:
        fields = ("id", "source", "text", "url", "outlet", "title", "published", "published_from", "modified",
                  "language")
        article = Article(**{k: record.get(k) for k in fields})
        article.source = article.source or article.id or ""
        article.text = article.text or ""
    entities = [Entity(**{k: e.get(k) for k in ("text", "start", "end", "label", "canonical", "key", "role")})
                for e in record.get("entities") or [] if e.get("key")]
    times = [TimeExpression(**{k: t.get(k) for k in ("text", "start", "end", "type", "value", "mod")})
             for t in record.get("times") or []]
    return AnalyzedArticle(article=article, analyzer=record.get("analyzer", ""),
                           language_supported=not record.get("skipped"), entities=entities, times=times)


# ------------------------------------------------------------------------------ storage

_FORMAT = 1


def to_bytes(f: ArticleFeatures) -> bytes:
    """Compact binary form (for the store): a JSON header, then the arrays; the embedding as int8."""
    import json
    import struct

    from rashomon.cluster.embeddings import quantize

    header = {"v": _FORMAT, "id": f.id, "outlet": f.outlet, "title": f.title, "published": f.published,
              "day": list(f.day) if f.day else None, "years": list(f.years), "words": f.words,
              "entities": {str(k): v for k, v in f.entity_names.items()},
              "terms": {str(k): v for k, v in f.term_names.items()},
              "nt": len(f.term_keys), "ne": len(f.entity_keys), "emb": f.embedding is not None}
    raw = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    parts = [struct.pack("<I", len(raw)), raw, f.signature.astype("<u4").tobytes(),
             f.term_keys.astype("<u4").tobytes(), f.term_weights.astype("<f2").tobytes(),
             f.entity_keys.astype("<u4").tobytes(), f.entity_weights.astype("<f2").tobytes()]
    if f.embedding is not None:
        parts.append(quantize(f.embedding).tobytes())
    return b"".join(parts)


def from_bytes(data: bytes) -> ArticleFeatures:
    """The features ``to_bytes`` wrote (the embedding comes back as a unit float32 vector)."""
    import json
    import struct

    from rashomon.cluster.embeddings import DIM, dequantize

    (size,) = struct.unpack_from("<I", data, 0)
    header = json.loads(data[4:4 + size].decode("utf-8"))
    pos = 4 + size

    def take(count: int, dtype: str) -> np.ndarray:
        nonlocal pos
        width = np.dtype(dtype).itemsize * count
        out = np.frombuffer(data, dtype=dtype, count=count, offset=pos).copy()
        pos += width
        return out

    sig = take(minhash.NUM_PERM, "<u4").astype(np.uint32)
    tk, tw = take(header["nt"], "<u4").astype(np.uint32), take(header["nt"], "<f2").astype(np.float16)
    ek, ew = take(header["ne"], "<u4").astype(np.uint32), take(header["ne"], "<f2").astype(np.float16)
    emb = dequantize(take(DIM, "i1")) if header["emb"] else None
    return ArticleFeatures(id=header["id"], outlet=header["outlet"], title=header["title"],
                           published=header["published"], day=tuple(header["day"]) if header["day"] else None,
                           years=tuple(header["years"]), signature=sig, embedding=emb, entity_keys=ek,
                           entity_weights=ew, term_keys=tk, term_weights=tw,
                           entity_names={int(k): v for k, v in header["entities"].items()},
                           term_names={int(k): v for k, v in header["terms"].items()}, words=header["words"])
