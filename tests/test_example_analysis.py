"""The putin-turkey pair end to end (extract, then analyze): EXPECTED.md's Analysis section."""
from __future__ import annotations

from collections import defaultdict

import pytest

from rashomon.analyze.pipeline import Analyzer
from rashomon.extract import extract
from rashomon.ingest import read_inputs


@pytest.fixture(scope="module")
def analyzed(request):
    from conftest import SHARED
    folder = SHARED / "examples" / "putin-turkey"
    if not folder.is_dir():
        pytest.skip(f"needs the example pages in {folder}")
    articles = {d.source.rsplit("/", 1)[-1][:3]: extract(d) for d in read_inputs([str(folder)])}
    analyzer = Analyzer()
    return {k: analyzer.analyze(a) for k, a in articles.items()}


def _values(res):
    out = defaultdict(set)
    for t in res.times:
        out[t.text.lower()].add((t.value, t.mod))
    return out


def test_one_identity_per_actor_across_the_pair(analyzed):
    keys = defaultdict(set)
    for res in analyzed.values():
        for e in res.entities:
            keys[e.key].add(e.text)
    assert {"Putin", "Vladimir Putin"} <= keys["person:vladimir putin"]
    assert {"Recep Tayyip Erdoğan", "Recep Tayyip Erdogan", "Erdogan"} <= keys["person:recep tayyip erdogan"]
    assert {"Türkiye", "Turkey"} <= keys["country:TUR"]
    for key in ("country:UKR", "country:SYR", "org:kremlin"):
        assert keys[key]


def test_times_resolved_against_each_articles_date(analyzed):
    t0, t2 = _values(analyzed["000"]), _values(analyzed["002"])
    assert analyzed["000"].article.published == "2024-01-23"
    assert ("2024-01-23", None) in t0["tuesday"]
    assert ("2024-02", "MID") in t0["mid-february"]
    assert any(v == "2023-09" for v, _ in t0["september"])
    assert ("2022-02", None) in t0["february 2022"]
    assert any(v == "P18M" for values in t0.values() for v, _ in values)
    assert ("2024-02", None) in t2["february"]
    assert ("2023-03", None) in t2["march 2023"] and ("2022-07", None) in t2["july 2022"]
    caption = {(t.text, t.value) for _, t in analyzed["002"].caption_times}
    assert ("Sept. 16, 2022", "2022-09-16") in caption  # the date sits in the photo caption
    assert any(v == "2022-SP" for values in t2.values() for v, _ in values)


def test_attributions_and_the_chain(analyzed):
    q0, q2 = analyzed["000"].quotes, analyzed["002"].quotes
    assert any("Peskov" in (q.speaker or "") and q.cue.startswith("told") for q in q0)
    assert any("media" in (q.speaker or "") and q.cue == "claimed" for q in q0)
    assert any(q.speaker == "TASS" and q.via == ["Yuri Ushakov"] for q in q2)
    assert any("Ushakov" in (q.speaker or "") and q.cue == "told" for q in q2)
    assert any(q.speaker == "Kyiv" and q.cue == "said" for q in q2)
    statements = analyzed["002"].statements
    assert any(n.value for s in statements for n in s.numbers) or statements
