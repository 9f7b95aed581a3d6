"""The analysis pipeline and the ``analyze`` command: contract, component order, bad input, re-use."""
from __future__ import annotations

import json

import pytest

from rashomon.analyze.pipeline import Analyzer, check_order, chunk_text
from rashomon.models import Article

BODY = ("The council of Port Evran approved a new ferry terminal on Tuesday, Mayor Ana Reyes said. "
        "\"This is a good day for the harbour,\" Reyes told reporters. The terminal will cost "
        "about 40 million euros and take 18 months to build, according to the council.\n\n"
        "Work is due to start in September.")


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer()


def test_chunks_concatenate_back_to_the_text():
    text = ("word " * 30 + "\n\n") * 2000
    pieces = chunk_text(text, size=5000)
    assert "".join(pieces) == text and len(pieces) > 10 and max(map(len, pieces)) <= 5000


def test_component_order_is_checked():
    class Reader:
        name, reads, writes = "reader", ("quotes",), ()

        def __call__(self, state):
            pass

    with pytest.raises(ValueError, match="reads \\['quotes'\\]"):
        check_order([Reader()])


def test_analysis_offsets_index_the_text(analyzer):
    art = Article(id="a", source="t", text=BODY, published="2025-03-06", language="en")
    res = analyzer.analyze(art)
    for e in res.entities:
        assert BODY[e.start:e.end] == e.text
    for t in res.times:
        assert BODY[t.start:t.end] == t.text
    for q in res.quotes:
        assert BODY[q.content_start:q.content_end] == q.content
    assert any(e.key == "person:ana reyes" for e in res.entities)
    assert res.statements and all(BODY[s.start:s.end] == s.text for s in res.statements)
    assert any(n.value == 40_000_000 and n.unit == "EUR" for s in res.statements for n in s.numbers)


def test_empty_and_foreign_texts_are_passed_on_with_a_reason(analyzer):
    skipped = []
    arts = [Article(id="e", source="empty", text="   "),
            Article(id="d", source="de", text="Der Stadtrat hat am Dienstag das neue Terminal genehmigt.",
                    language="de")]
    results = list(analyzer.analyze_many(arts, on_skip=lambda a, why: skipped.append((a.id, why))))
    assert [r.language_supported for r in results] == [False, False]
    assert skipped[1][0] == "d" and "not English" in skipped[1][1]
    assert "skipped" in results[1].to_record()


def test_long_article_is_analysed_whole(analyzer):
    text = (BODY + "\n\n") * 4000  # about 1.5 MB
    res = analyzer.analyze(Article(id="long", source="t", text=text, published="2025-03-06", language="en"))
    assert res.entities[-1].start > 1_000_000
    assert all(text[e.start:e.end] == e.text for e in res.entities[-50:])


def test_no_publication_date_gives_no_relative_values(analyzer):
    res = analyzer.analyze(Article(id="n", source="t", text=BODY, language="en"))
    tuesday = [t for t in res.times if t.text == "Tuesday"]
    assert tuesday and tuesday[0].value is None


def test_analyze_command_contract_and_store_reuse(cli, tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps({"id": "x1", "text": BODY, "published": "2025-03-06"}) + "\n")
    db = tmp_path / "cache.db"
    code, out, err = cli("analyze", "--db", str(db), str(path))
    assert code == 0, err
    record = json.loads(out)
    assert record["text"] == BODY and {"entities", "times", "quotes", "statements"} <= set(record)
    for t in record["times"]:
        assert set(t) >= {"text", "start", "end", "type", "value"}
    for q in record["quotes"]:
        assert set(q) >= {"speaker", "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "content",
                          "content_start", "content_end", "direct"}
    from rashomon.store import Store
    with Store(db) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM analyses").fetchone()[0] == 1
        store.conn.execute("UPDATE analyses SET data = json_set(data, '$.entities', json('[]'))")
    code, out, _ = cli("analyze", "--db", str(db), str(path))
    assert json.loads(out)["entities"] == []  # the stored analysis was re-used, not recomputed
