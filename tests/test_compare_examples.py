"""Acceptance: the Comparison sections of ../shared/examples/putin-turkey/EXPECTED.md and
examples/README.md (the bundled Lesbos example), through `rashomon compare`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from rashomon.cli import main

REPO = Path(__file__).resolve().parents[1]
LESBOS = REPO / "examples" / "lesbos-ferry-grounding"


def _compare(tmp_path_factory, *inputs: str) -> dict:
    from click.testing import CliRunner

    db = tmp_path_factory.mktemp("cmp") / "c.db"
    result = CliRunner().invoke(main, ["compare", "--as-one-story", "--db", str(db), *inputs],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == 1 and len(data["stories"]) == 1
    return data["stories"][0]


def _by_outlet(story: dict) -> dict[str, str]:
    """outlet (or, when missing, 'turkish') -> article id."""
    return {(a["outlet"] or "turkish"): a["id"] for a in story["articles"]}


def _fact_with(story: dict, article: str, *words: str) -> dict:
    """The fact holding the mention of ``article`` that contains all ``words``."""
    for f in story["facts"]:
        for m in f["mentions"]:
            if m["article"] == article and all(w.lower() in m["text"].lower() for w in words):
                return f
    raise AssertionError(f"no mention of {article} with {words}")


# ------------------------------------------------------------------------------------- putin-turkey

@pytest.fixture(scope="module")
def putin(tmp_path_factory):
    shared = REPO.parent / "shared" / "examples" / "putin-turkey"
    if not shared.is_dir():
        pytest.skip(f"needs the shared example pages at {shared}")
    return _compare(tmp_path_factory, *map(str, sorted(shared.glob("*.txt"))))


def test_putin_visit_in_february_is_shared(putin):
    ids = _by_outlet(putin)
    tk, ki = ids["turkish"], ids["The Kyiv Independent"]
    fact = _fact_with(putin, tk, "Preparations are underway")
    assert fact["status"] == "shared"
    assert any(m["article"] == ki and "preparations to visit Turkey in February" in m["text"] for m in fact["mentions"])


def _same_fact(story: dict, first: tuple[str, str], second: tuple[str, str]) -> bool:
    return _fact_with(story, first[0], first[1])["id"] == _fact_with(story, second[0], second[1])["id"]


def test_putin_september_meeting_is_shared(putin):
    ids = _by_outlet(putin)
    assert _same_fact(putin, (ids["turkish"], "last met"), (ids["The Kyiv Independent"], "visited Russia in September"))


@pytest.mark.xfail(strict=True, reason="'Moscow put on hold the key agreement' and 'the agreement's collapse ... "
                                       "following Russia's unilateral exit' share no time, number or name but Russia")
def test_putin_grain_deal_end_is_shared(putin):
    ids = _by_outlet(putin)
    assert _same_fact(putin, (ids["turkish"], "put on hold"), (ids["The Kyiv Independent"], "collapse"))


def test_putin_only_one_outlet(putin):
    ids = _by_outlet(putin)
    tk, ki = ids["turkish"], ids["The Kyiv Independent"]
    # (Raisi's rumoured visit shares its sentence with the mid-February visit claim, so it aligns with the visit)
    for words in (["Peskov"], ["Security Council"], ["Assad"], ["PKK", "terrorist"]):
        assert _fact_with(putin, tk, *words)["articles"] == [tk], words
    for words in (["Ushakov told TASS"], ["arrest warrant"], ["Rome Statute"], ["full Russian withdrawal"],
                  ["Few in the West"]):
        assert _fact_with(putin, ki, *words)["articles"] == [ki], words
    omitted = set(putin["omissions"][tk])
    assert _fact_with(putin, ki, "arrest warrant")["id"] in omitted


def test_putin_background_is_told_apart(putin):
    ki = _by_outlet(putin)["The Kyiv Independent"]
    assert _fact_with(putin, ki, "arrest warrant", "March 2023")["kind"] == "background"
    assert _fact_with(putin, ki, "spring of 2022")["kind"] == "background"
    tk = _by_outlet(putin)["turkish"]
    assert _fact_with(putin, tk, "Preparations are underway")["kind"] == "news"


def test_putin_framing_pairs(putin):
    ids = _by_outlet(putin)
    tk, ki = ids["turkish"], ids["The Kyiv Independent"]
    names = {e["referent"]: e for e in putin["framing"] if e["kind"] == "name"}
    turkey = names["Türkiye"]
    assert turkey["differs"] and "Türkiye" in turkey["terms"][tk] and "Turkey" in turkey["terms"][ki]
    assert "Turkey" not in turkey["terms"][tk] and "Türkiye" not in turkey["terms"][ki]
    erdogan = next(e for r, e in names.items() if "Erdo" in r)
    assert erdogan["differs"] and any("Erdoğan" in t for t in erdogan["terms"][tk])
    assert all("ğ" not in t for t in erdogan["terms"][ki])
    assert not names["Vladimir Putin"]["differs"]
    war = next(e for e in putin["framing"] if e["kind"] == "event" and e["referent"] == "Ukraine")
    assert war["differs"] and war["terms"][tk] == ["military operation"]
    assert "full-scale war" in war["terms"][ki]
    loaded = [e for e in putin["framing"] if e["kind"] == "loaded" and e["referent"] == "PKK"]
    assert loaded and "terrorist group" in loaded[0]["loaded"] and tk in loaded[0]["terms"]


@pytest.mark.xfail(strict=True, reason="the grain deal 'put on hold' / 'collapse ... unilateral exit' pair is "
                                       "neither an entity, a listed event noun nor an aligned phrase")
def test_putin_grain_deal_framing(putin):
    ids = _by_outlet(putin)
    assert any("put on hold" in " ".join(e["terms"].get(ids["turkish"], [])) for e in putin["framing"])


def test_putin_sources(putin):
    ids = _by_outlet(putin)
    tk, ki = ids["turkish"], ids["The Kyiv Independent"]
    by = {(s["article"], s["speaker"]): s for s in putin["sources"]}
    assert by[(tk, "Dmitriy Peskov")]["direct"] >= 1 and by[(tk, "Dmitriy Peskov")]["role"] == "spokesperson"
    assert by[(ki, "TASS")]["via"] == ["Yuri Ushakov"]
    assert (ki, "Yuri Ushakov") in by and (tk, "TASS") not in by
    assert by[(tk, "Turkish local media")]["named"] is False
    assert any(s["article"] == tk and not s["named"] and s["speaker"].lower() == "officials" for s in putin["sources"])


def test_putin_timeline_spans_february_2022_to_mid_february_2024(putin):
    line = putin["timeline"]
    assert (line[0]["value"], line[0].get("mod")) == ("2022-02", None)
    assert len(line[0]["articles"]) == 2
    assert (line[-1]["value"], line[-1].get("mod")) == ("2024-02", "MID")
    assert not [t for t in line if t["value"].startswith("2024-12")]     # the news feed's December 2024 items


# ------------------------------------------------------------------------------------- lesbos

@pytest.fixture(scope="module")
def lesbos(tmp_path_factory):
    return _compare(tmp_path_factory, str(LESBOS))


def _ids(story):
    o = _by_outlet(story)
    return o["The Aegean Lantern"], o["Meridian Wire"], o["The Ionian Clarion"]


def test_lesbos_grounding_shared_by_all_three(lesbos):
    lantern, wire, clarion = _ids(lesbos)
    fact = _fact_with(lesbos, lantern, "ran aground")
    assert fact["status"] == "shared" and set(fact["articles"]) == {lantern, wire, clarion}


def test_lesbos_partial_and_unique_facts(lesbos):
    lantern, wire, clarion = _ids(lesbos)
    inquiry = _fact_with(lesbos, lantern, "10-day inquiry")
    assert inquiry["status"] == "partial" and set(inquiry["articles"]) == {lantern, clarion}
    for article, words in ((lantern, ["300 metres"]), (lantern, ["22 years"]), (wire, ["two hours"]),
                           (wire, ["Brenner"]), (wire, ["back-to-back shifts"]), (clarion, ["Perama"]),
                           (clarion, ["refunded"]), (clarion, ["Easter"])):
        assert _fact_with(lesbos, article, *words)["articles"] == [article], words


def test_lesbos_nobody_killed_shared(lesbos):
    lantern, wire, clarion = _ids(lesbos)
    assert set(_fact_with(lesbos, wire, "Nobody was killed")["articles"]) == {lantern, wire, clarion}


def test_lesbos_conflicts_found(lesbos):
    lantern, wire, clarion = _ids(lesbos)
    values = [{(v["article"], v["value"]) for v in c["values"]} for c in lesbos["conflicts"]]
    assert any({(lantern, "14"), (wire, "12")} <= v for v in values)          # injured
    assert any({(lantern, "9"), (clarion, "11")} <= v for v in values)        # crew


def test_lesbos_no_false_conflicts(lesbos):
    for c in lesbos["conflicts"]:
        assert c["kind"] != "date", c                                 # Tuesday / March 4 / 10 a.m. / 10:20
        texts = {v["text"] for v in c["values"]}
        assert not texts & {"212", "about 200"}, c                    # precision, not contradiction
        assert not texts & {"three", "Two", "within half an hour", "about two hours"}, c
        assert not texts & {"27", "18", "4.5 percent", "2027", "February 26"}, c   # the Wire's news feed


def test_lesbos_framing(lesbos):
    lantern, wire, clarion = _ids(lesbos)
    names = {e["referent"]: e for e in lesbos["framing"] if e["kind"] == "name"}
    assert names["Türkiye"]["differs"] and "Türkiye" in names["Türkiye"]["terms"][lantern]
    assert "Turkey" in names["Türkiye"]["terms"][wire]
    mytilene = [e for e in lesbos["framing"] if e["kind"] == "name" and e["referent"].startswith("Mytil")]
    assert any(e["differs"] and {"Mytilene", "Mytilini"} <= {t for ts in e["terms"].values() for t in ts}
               for e in mytilene)
    event = next(e for e in lesbos["framing"] if e["kind"] == "event" and e["referent"] == "the event")
    assert event["differs"]
    assert "accident" in event["terms"][lantern] and any("disaster" in t for t in event["terms"][wire])
    assert {"incident", "grounding"} <= set(event["terms"][clarion])


def test_lesbos_sources(lesbos):
    lantern, wire, clarion = _ids(lesbos)
    speakers = {a: {s["speaker"] for s in lesbos["sources"] if s["article"] == a} for a in (lantern, wire, clarion)}
    assert {"Ayşe Korkmaz", "Selin Aydoğan"} <= speakers[lantern]
    assert {"Stratos Kalogeros", "Thomas Brenner", "Hakan Yurtsever", "Pelagos Press"} <= speakers[wire]
    assert {"Eleni Markopoulou"} <= speakers[clarion] and any("Stamatiou" in s for s in speakers[clarion])
    unnamed = {(s["article"], s["speaker"].lower()) for s in lesbos["sources"] if not s["named"]}
    assert (lantern, "port officials") in unnamed and (wire, "local media") in unnamed
    assert (clarion, "hotel owners") in unnamed


def test_lesbos_timeline(lesbos):
    lantern, wire, clarion = _ids(lesbos)
    line = lesbos["timeline"]
    assert line[0]["value"] == "2019-09"
    day = next(t for t in line if t["value"] == "2025-03-04")
    assert set(day["articles"]) == {lantern, wire, clarion} and {"T10:00", "T10:20"} <= set(day["times"])
    assert any(t["value"] == "2025-03-10" for t in line)
    assert not [t for t in line if t["value"].startswith("2027") or t["value"] == "2025-02-26"]
    assert all(t["value"][:4] in ("2019", "2025") for t in line)
