"""Unit tests of the comparison parts on hand-built analyses (no spaCy, no embedding model)."""
from __future__ import annotations

import numpy as np
import pytest

from rashomon.compare.align import average_link
from rashomon.compare.conflicts import _number_interval, find_conflicts
from rashomon.compare.facts import build_facts, omissions
from rashomon.compare.features import prepare
from rashomon.compare.framing import _names_differ, find_framing
from rashomon.compare.sources import article_sources, is_sourcing
from rashomon.compare.timeline import build_timeline
from rashomon.compare.timevalues import granularity, interval, overlap
from rashomon.models import AnalyzedArticle, Article, Attribution, Entity, Quantity, Statement, TimeExpression


# ------------------------------------------------------------------------------------------ helpers

def analysed(aid: str, outlet: str, sentences: list[str], published: str = "2025-03-05", *,
             numbers: dict[int, list[tuple[str, float, str | None, str | None]]] | None = None,
             times: dict[int, list[tuple[str, str, str | None]]] | None = None,
             entities: list[tuple[str, str, str]] = (), quotes: list[Attribution] = ()) -> AnalyzedArticle:
    """An article whose statements are ``sentences``; numbers/times given per sentence as
    (text, value, counts, qualifier) and (text, value, mod); entities as (text, label, key)."""
    text = " ".join(sentences)
    art = AnalyzedArticle(article=Article(id=aid, source=aid, text=text, outlet=outlet, published=published))
    pos = 0
    for k, sent in enumerate(sentences):
        st = Statement(start=pos, end=pos + len(sent), text=sent)
        for t_text, value, mod in (times or {}).get(k, []):
            i = sent.index(t_text)
            art.times.append(TimeExpression(t_text, pos + i, pos + i + len(t_text), "DATE", value, mod))
            st.times.append(len(art.times) - 1)
        for q_text, value, counts, qual in (numbers or {}).get(k, []):
            i = sent.index(q_text)
            st.numbers.append(Quantity(q_text, pos + i, pos + i + len(q_text), value, counts=counts, qualifier=qual))
        art.statements.append(st)
        pos += len(sent) + 1
    for e_text, label, key in entities:
        start = 0
        while (i := text.find(e_text, start)) >= 0:
            art.entities.append(Entity(e_text, i, i + len(e_text), label, e_text, key))
            for st in art.statements:
                if st.start <= i < st.end and key not in st.entities:
                    st.entities.append(key)
            start = i + len(e_text)
    art.quotes = list(quotes)
    return art


def unit_vectors(*articles: AnalyzedArticle, same: list[tuple[int, int, int, int]] = ()) -> list[np.ndarray]:
    """Orthogonal statement vectors, except pairs listed in ``same`` (article, statement, article, statement)."""
    n = sum(len(a.statements) for a in articles)
    eye = np.eye(max(n, 1), dtype=np.float32)
    out, row = [], 0
    for a in articles:
        out.append(eye[row:row + len(a.statements)].copy())
        row += len(a.statements)
    for a1, s1, a2, s2 in same:
        out[a2][s2] = out[a1][s1]
    return out


def story(articles, groups_by_ref, edges=None):
    """(data, facts) with facts given as lists of (article, statement) refs."""
    data = prepare(list(articles), unit_vectors(*articles))
    rows = [[int(data.starts[a]) + k for a, k in g] for g in groups_by_ref]
    covered = {r for g in rows for r in g}
    rows += [[r] for r in range(data.n) if r not in covered]
    return data, build_facts(data, rows, edges or {})


# ------------------------------------------------------------------------------------------ times

@pytest.mark.parametrize("a,b,agree", [
    (("2024-02", None), ("2024-02", "MID"), True),       # February / mid-February: precision only
    (("2024-02", "MID"), ("2024-03", None), False),      # mid-February / March: a contradiction
    (("2025-03-04", None), ("2025-03-04", None), True),  # "on Tuesday" / "on March 4", same day
    (("2025-03-04T10:00", "AFTER"), ("2025-03-04T10:20", "APPROX"), True),
    (("2025-03-04TMO", None), ("2025-03-04T10:20", "APPROX"), True),
    (("2025-03-04TEV", None), ("2025-03-04T10:20", None), False),
    (("2024-W04", None), ("2024-01-23", None), True),
    (("2022", None), ("2022-SP", None), True),
])
def test_time_intervals_compare_at_their_precision(a, b, agree):
    assert overlap(interval(*a), interval(*b)) is agree


def test_non_calendar_values_are_not_compared():
    for value in ("P18M", "PRESENT_REF", "XXXX-02", None):
        assert interval(value) is None and granularity(value) is None


# ------------------------------------------------------------------------------------------ numbers

def test_number_intervals():
    assert _number_interval(200, "about")[0] <= 212 <= _number_interval(200, "about")[1]
    assert _number_interval(14, "at least") == (14, float("inf"))
    assert _number_interval(85000, "nearly")[1] == 85000
    assert _number_interval(12, None) == (12, 12)


def _injured_story():
    a = analysed("a", "Lantern", ["The ferry hit rocks on Tuesday, injuring at least 14 people, officials said.",
                                  "All 212 passengers and nine crew members were taken off the vessel."],
                 numbers={0: [("at least 14", 14, "people", "at least")],
                          1: [("212", 212, "passengers", None), ("nine", 9, "crew members", None)]},
                 times={0: [("Tuesday", "2025-03-04", None)]})
    b = analysed("b", "Wire", ["Twelve people were injured when the ferry hit rocks on Tuesday morning.",
                               "The ferry was carrying about 200 passengers and a crew of 11."],
                 numbers={0: [("Twelve", 12, "people", None)],
                          1: [("about 200", 200, "passengers", "about"), ("11", 11, None, None)]},
                 times={0: [("Tuesday morning", "2025-03-04TMO", None)]})
    c = analysed("c", "Clarion", ["Fourteen people were treated for injuries after the grounding on March 4.",
                                  "Two passengers remained in hospital on Wednesday."],
                 numbers={0: [("Fourteen", 14, "people", None)], 1: [("Two", 2, "passengers", None)]},
                 times={0: [("March 4", "2025-03-04", None)], 1: [("Wednesday", "2025-03-05", None)]})
    return story([a, b, c], [[(0, 0), (1, 0), (2, 0)], [(0, 1), (1, 1)]])


def test_conflicts_found_with_all_their_values():
    data, facts = _injured_story()
    conflicts = find_conflicts(data, facts, {})
    numbers = {c["about"]: sorted((v["article"], v["value"]) for v in c["values"]) for c in conflicts
               if c["kind"] == "number"}
    injured = next(v for k, v in numbers.items() if "people" in k)
    assert injured == [("a", "14"), ("b", "12"), ("c", "14")]
    crew = next(v for k, v in numbers.items() if "crew" in k)
    assert crew == [("a", "9"), ("b", "11")]


def test_precision_differences_are_not_conflicts():
    data, facts = _injured_story()
    conflicts = find_conflicts(data, facts, {})
    assert not [c for c in conflicts if c["kind"] == "date"]          # Tuesday / Tuesday morning / March 4
    flagged = {v["text"] for c in conflicts for v in c["values"]}
    assert "about 200" not in flagged and "212" not in flagged         # 212 vs about 200
    assert "Two" not in flagged                                        # counts another thing, another fact


def test_dates_that_disagree_are_conflicts():
    a = analysed("a", "A", ["Putin might visit the republic in mid-February, local media claimed."],
                 published="2024-01-23", times={0: [("mid-February", "2024-02", "MID")]})
    b = analysed("b", "B", ["Putin plans to visit Turkey in March to discuss Ukraine."], published="2024-01-29",
                 times={0: [("March", "2024-03", None)]})
    data, facts = story([a, b], [[(0, 0), (1, 0)]])
    conflicts = find_conflicts(data, facts, {})
    assert [sorted(v["value"] for v in c["values"]) for c in conflicts] == [["2024-02 MID", "2024-03"]]
    b2 = analysed("b", "B", ["Putin plans to visit Turkey in February to discuss Ukraine."],
                  published="2024-01-29", times={0: [("February", "2024-02", None)]})
    data, facts = story([a, b2], [[(0, 0), (1, 0)]])
    assert find_conflicts(data, facts, {}) == []


def test_unaligned_statements_are_never_compared():
    a = analysed("a", "A", ["Twelve people were injured."], numbers={0: [("Twelve", 12, "people", None)]})
    b = analysed("b", "B", ["Fourteen people were injured."], numbers={0: [("Fourteen", 14, "people", None)]})
    data, facts = story([a, b], [])
    assert find_conflicts(data, facts, {}) == []


# ------------------------------------------------------------------------------------------ facts

def test_fact_status_counts_outlets_and_omissions():
    a = analysed("a", "Lantern", ["The ferry ran aground.", "Tugs arrived within half an hour."])
    b = analysed("b", "Wire", ["The ferry slammed into rocks.", "The rescue took two hours."])
    b2 = analysed("b2", "Wire", ["A ferry hit rocks.", "The rescue took about two hours."])
    data, facts = story([a, b, b2], [[(0, 0), (1, 0), (2, 0)], [(1, 1), (2, 1)]])
    status = {f.text: f.status for f in facts}
    assert status["The ferry ran aground."] == "shared"
    assert status["The rescue took two hours."] == "unique" or status["The rescue took about two hours."] == "unique"
    assert status["Tugs arrived within half an hour."] == "unique"
    omitted = omissions(data, facts)
    ids = {f.text: f.id for f in facts}
    assert ids["Tugs arrived within half an hour."] in omitted[1]
    assert ids["The ferry ran aground."] not in omitted[1]


def test_background_facts_are_told_apart():
    a = analysed("a", "A", ["The ferry ran aground on Tuesday.", "In September 2019 a cargo ship ran aground there."],
                 published="2025-03-04",
                 times={0: [("Tuesday", "2025-03-04", None)], 1: [("September 2019", "2019-09", None)]})
    data, facts = story([a], [])
    kinds = {f.text: f.kind for f in facts}
    assert kinds["The ferry ran aground on Tuesday."] == "news"
    assert kinds["In September 2019 a cargo ship ran aground there."] == "background"


def test_average_link_does_not_chain_loose_pairs():
    art = np.array([0, 1, 2])
    # 0-1 strong, 1-2 strong, 0-2 absent: the mean over the merged group stays above 0.3 only for one pair
    groups = average_link(3, art, {(0, 1): 0.9, (1, 2): 0.35}, threshold=0.3)
    assert sorted(map(sorted, groups)) == [[0, 1], [2]]
    groups = average_link(3, art, {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.7}, threshold=0.3)
    assert groups == [[0, 1, 2]]


def test_same_article_value_keeps_a_star_from_forming():
    art = np.array([0, 0, 0, 1])   # three statements of one article each close to one statement of another
    edges = {(0, 3): 0.6, (1, 3): 0.5, (2, 3): 0.45}
    assert max(len(g) for g in average_link(4, art, edges, 0.3)) == 4
    assert max(len(g) for g in average_link(4, art, edges, 0.3, same_article=0.0)) == 2


# ------------------------------------------------------------------------------------------ framing

def test_names_differ_only_for_real_choices():
    assert _names_differ({"a": {"Türkiye", "Turkish"}, "b": {"Turkey", "Turkish"}})
    assert _names_differ({"a": {"Recep Tayyip Erdoğan"}, "b": {"Recep Tayyip Erdogan", "Erdogan"}})
    assert not _names_differ({"a": {"Vladimir Putin", "Putin"}, "b": {"Putin"}})
    assert not _names_differ({"a": {"Russia", "Moscow"}, "b": {"Russia"}})


def test_framing_finds_names_labels_and_aligned_phrases():
    a = analysed("a", "A", ["A passenger ferry sailing from Ayvalık in Türkiye ran aground.",
                            "It was the first military operation into Ukraine.",
                            "Ankara fights the terrorist group PKK."],
                 entities=[("Türkiye", "GPE", "country:TUR"), ("Ukraine", "GPE", "country:UKR"),
                           ("PKK", "ORG", "org:pkk")])
    b = analysed("b", "B", ["A Turkish ferry sailing from Ayvalik in Turkey hit rocks.",
                            "It was the full-scale war in Ukraine."],
                 entities=[("Turkey", "GPE", "country:TUR"), ("Ukraine", "GPE", "country:UKR")])
    data, facts = story([a, b], [[(0, 0), (1, 0)]])
    entries = find_framing(data, facts)
    by = {(e["kind"], e["referent"]): e for e in entries}
    assert by[("name", "Türkiye")]["differs"] and by[("name", "Türkiye")]["terms"] == {"a": ["Türkiye"], "b": ["Turkey"]}
    assert by[("event", "Ukraine")]["terms"] == {"a": ["military operation"], "b": ["full-scale war"]}
    phrase = [e for e in entries if e["kind"] == "phrase"]
    assert any(e["terms"].get("a") == ["passenger"] and e["terms"].get("b") == ["Turkish"] for e in phrase)
    loaded = [e for e in entries if e["kind"] == "loaded"]
    assert loaded and loaded[0]["referent"] == "PKK" and "terrorist group" in loaded[0]["loaded"]


# ------------------------------------------------------------------------------------------ sources

def _q(text: str, speaker: str | None, cue: str, content: str, direct: bool, key=None, via=None) -> Attribution:
    s = text.index(speaker) if speaker else None
    c = text.index(cue)
    i = text.index(content)
    return Attribution(speaker, s, s + len(speaker) if speaker else None, cue, c, c + len(cue), content, i,
                       i + len(content), direct, speaker_key=key, via=via)


def test_sources_chains_unnamed_and_direct_counts():
    text = ("TASS announced the visit, citing Yuri Ushakov. Ushakov told TASS that talks will follow. "
            "\"We are ready,\" Ushakov said. Officials said the date is open. Russia has backed the plan.")
    art = AnalyzedArticle(article=Article(id="k", source="k", text=text, outlet="KI"))
    art.entities = [Entity("TASS", 0, 4, "ORG", "TASS", "org:tass"),
                    Entity("Yuri Ushakov", text.index("Yuri"), text.index("Yuri") + 12, "PERSON", "Yuri Ushakov",
                           "person:yuri ushakov", role="adviser")]
    art.quotes = [_q(text, "TASS", "announced", "the visit", False, "org:tass", ["Yuri Ushakov"]),
                  _q(text, "TASS", "citing", "Yuri Ushakov", False, "org:tass"),
                  _q(text, "Ushakov told", "told", "that talks will follow", False, "person:yuri ushakov"),
                  _q(text, "Ushakov said", "said", "\"We are ready,\"", True, "person:yuri ushakov"),
                  _q(text, "Officials", "said", "the date is open", False),
                  _q(text, "Russia", "has backed", "the plan", False, "country:RUS")]
    # speaker spans above cover "Ushakov told": narrow them to the name
    for q in art.quotes[2:4]:
        q.speaker, q.speaker_end = "Yuri Ushakov", q.speaker_start + len("Ushakov")
    found = {e["speaker"]: e for e in article_sources(art)}
    assert found["TASS"]["indirect"] == 1 and found["TASS"]["via"] == ["Yuri Ushakov"]   # relay counted once
    assert (found["Yuri Ushakov"]["direct"], found["Yuri Ushakov"]["indirect"]) == (1, 1)
    assert found["Officials"]["named"] is False and found["Officials"]["type"] == "unnamed"
    assert "Russia" not in found                      # "has backed" is not a source
    assert not is_sourcing(art.quotes[5]) and is_sourcing(art.quotes[4])


# ------------------------------------------------------------------------------------------ timeline

def test_timeline_merges_keeps_coarse_dates_and_orders():
    a = analysed("a", "A", ["The war began in February 2022.", "He may visit in mid-February."],
                 published="2024-01-23", times={0: [("February 2022", "2022-02", None)],
                                                1: [("mid-February", "2024-02", "MID")]})
    b = analysed("b", "B", ["Since February 2022 the war goes on.", "He plans to visit in February."],
                 published="2024-01-29", times={0: [("February 2022", "2022-02", None)],
                                                1: [("February", "2024-02", None)]})
    b.times.append(TimeExpression("18-month", 0, 8, "DURATION", "P18M"))
    data = prepare([a, b], unit_vectors(a, b))
    timeline = build_timeline(data)
    assert [(t["value"], t.get("mod")) for t in timeline] == [("2022-02", None), ("2024-02", None), ("2024-02", "MID")]
    assert timeline[0]["articles"] == ["a", "b"]
    assert all(t["granularity"] == "month" for t in timeline)
