"""Story clustering: signals, the online clusterer and ``rashomon cluster`` on real and invented articles."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rashomon.cluster import minhash
from rashomon.cluster.features import ArticleFeatures, compute, day_interval, from_bytes, lead_text, to_bytes
from rashomon.models import Article

REPO = Path(__file__).resolve().parents[1]

# An invented article (no such trip happened): Putin, the Kremlin and a planned foreign visit, as in
# the putin-turkey pair, but another country and another month.
PUTIN_BRAZIL = {
    "id": "invented-putin-brazil", "outlet": "Invented Courier", "published": "2024-05-14T09:30:00+00:00",
    "title": "Kremlin confirms Putin will travel to Brazil for talks with Lula in June",
    "text": ("Russian President Vladimir Putin will travel to Brazil in June for talks with President Luiz "
             "Inacio Lula da Silva, Kremlin spokesperson Dmitry Peskov told reporters in Moscow on Tuesday.\n\n"
             "The visit to Brasilia would be Putin's first to South America in more than a decade. Peskov said "
             "the two leaders would discuss trade in fertilisers and grain, energy cooperation and the BRICS "
             "summit that Russia hosts in Kazan in October.\n\n"
             "Brazil is a party to the Rome Statute of the International Criminal Court, which issued an arrest "
             "warrant for Putin in March 2023, and Brazilian officials declined to say how they would handle it. "
             "Lula has said Brazil wants to help end the war in Ukraine through negotiations.\n\n"
             "Preparations for the trip are under way, Peskov said, and the exact dates will be announced once "
             "both sides agree on the programme."),
}


def run_cluster(*inputs: str, extra: tuple[str, ...] = ()) -> dict[str, str]:
    """``rashomon cluster`` in a subprocess (as a user runs it); id -> story."""
    command = [sys.executable, "-c", "from rashomon.cli import main; main()", "cluster", "--format", "jsonl"]
    out = subprocess.run([*command, *extra, *inputs],
                         capture_output=True, text=True, cwd=REPO, timeout=600)
    assert out.returncode == 0, out.stderr
    return {r["id"]: r["story"] for r in map(json.loads, out.stdout.splitlines())}


def write_records(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------ signals

def test_minhash_finds_copies_and_is_stable_across_processes():
    words = ("the ferry from ayvalik struck a rocky shoal at the entrance to mytilene harbour on tuesday "
             "morning in strong wind and at least fourteen people were injured the coast guard said").split()
    edited = list(words)
    edited[5] = "hit"
    other = "the central bank raised its main interest rate by a quarter point to curb inflation".split()
    sig = minhash.signature(words)
    assert minhash.jaccard(sig, minhash.signature(edited)) > 0.6
    assert minhash.jaccard(sig, minhash.signature(other)) < 0.1
    assert (minhash.band_keys(sig) == minhash.band_keys(minhash.signature(list(words)))).all()
    code = ("from rashomon.cluster import minhash; import sys; "
            "print(minhash.signature(sys.argv[1].split()).tolist())")
    printed = subprocess.run([sys.executable, "-c", code, " ".join(words)], capture_output=True, text=True, check=True)
    assert json.loads(printed.stdout) == sig.tolist()


def test_day_intervals_and_lead():
    assert day_interval("2024-01-29T15:49:00") == (738914, 738914)
    lo, hi = day_interval("2024-02")
    assert hi - lo == 28  # February 2024 has 29 days
    assert day_interval(None) is None and day_interval("soon") is None
    lead = lead_text("Title here", "First sentence. Second one! Third? Fourth.", 3)
    assert lead == "Title here\nFirst sentence. Second one! Third?"


def test_features_round_trip_through_bytes():
    article = Article(id="a1", source="x", outlet="O", title="Quake strikes Izmir",
                      text="A strong earthquake struck the Aegean coast near Izmir on Friday, officials said.",
                      published="2020-10-30")
    f = compute(article, np.ones(512, dtype=np.float32) / np.sqrt(512))
    g = from_bytes(to_bytes(f))
    assert (g.id, g.outlet, g.day, g.years) == (f.id, f.outlet, f.day, f.years)
    assert (g.signature == f.signature).all() and (g.term_keys == f.term_keys).all()
    assert float(g.embedding @ f.embedding) > 0.99
    assert "izmir" in g.term_names.values()


# ------------------------------------------------------------------------------------------ the clusterer

def _features(fid: str, vector: np.ndarray, day: int | None, text: str) -> ArticleFeatures:
    f = compute(Article(id=fid, source=fid, text=text), vector)
    f.day = None if day is None else (day, day)
    return f


def test_online_clusterer_joins_copies_keeps_ids_and_merges_bridges():
    from rashomon.cluster.online import StoryClusterer, story_id_for
    from rashomon.cluster.scoring import default_model

    rng = np.random.default_rng(7)
    base = rng.normal(size=512).astype(np.float32)
    base /= np.linalg.norm(base)
    far = rng.normal(size=512).astype(np.float32)
    far /= np.linalg.norm(far)
    text = "rescue teams searched the rubble of collapsed buildings in the town after the earthquake struck"
    other_text = "the parliament approved the budget after a long debate about taxes and pensions"
    clusterer = StoryClusterer(default_model())
    a = clusterer.add(_features("a", base, 100, text))
    assert a.new and a.story == story_id_for("a")
    b = clusterer.add(_features("b", base, 101, text))  # a copy one day later joins
    assert not b.new and b.story == a.story
    assert b.reasons["decision"] == "join" and b.reasons["pairs"][0]["article"] == "a"
    c = clusterer.add(_features("c", far, 101, other_text))  # unrelated: its own story
    assert c.new and c.story != a.story
    assert clusterer.story_of_slot(a.slot) == a.story  # unrelated arrivals leave ids alone
    d = clusterer.add(_features("d", base, 200, text))  # same text, 100 days later: outside the window
    assert d.new and d.story not in (a.story, c.story)


def test_same_input_gives_same_stories_and_order_of_unrelated_does_not_matter(tmp_path):
    from rashomon.cluster.batch import cluster_features

    rng = np.random.default_rng(3)
    vecs = rng.normal(size=(4, 512)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    texts = ["storm floods the harbour district", "court sentences former minister to prison",
             "central bank holds rates", "wildfire forces evacuations in the hills"]
    feats = [_features(f"x{i}", vecs[i % 4], 50 + i % 2, texts[i % 4] + " " + texts[i % 4]) for i in range(8)]
    first = [(a.id, a.story) for a in cluster_features(feats)]
    again = [(a.id, a.story) for a in cluster_features([from_bytes(to_bytes(f)) for f in feats])]
    assert first == again
    stories = dict(first)
    assert stories["x0"] == stories["x4"] and stories["x0"] != stories["x1"]


# ------------------------------------------------------------------------------------------ examples (CLI)

def test_bundled_lesbos_example_forms_one_story():
    stories = run_cluster(str(REPO / "examples" / "lesbos-ferry-grounding"))
    assert len(stories) == 3
    assert len(set(stories.values())) == 1


@pytest.mark.xfail(strict=True, reason="known gap: the pair scores p=0.31 (< join 0.60): six days apart, distinctive-word "
                   "cosine 0.12 between a long Turkish article and a short Kyiv Independent one; see "
                   "benchmarks/README-cluster.md")
def test_putin_turkey_pair_is_one_story(shared_dir):
    pages = sorted((shared_dir / "examples" / "putin-turkey").glob("*.txt"))
    stories = run_cluster(*map(str, pages))
    assert len(stories) == 2 and len(set(stories.values())) == 1


def test_another_putin_trip_does_not_join_the_putin_turkey_story(shared_dir, tmp_path):
    pages = sorted((shared_dir / "examples" / "putin-turkey").glob("*.txt"))
    assert len(pages) == 2
    other = write_records(tmp_path / "brazil.jsonl", [PUTIN_BRAZIL])
    stories = run_cluster(*map(str, pages), str(other))
    pair = [story for key, story in stories.items() if key != PUTIN_BRAZIL["id"]]
    assert len(pair) == 2
    assert stories[PUTIN_BRAZIL["id"]] not in pair


def test_bad_inputs_are_placed_not_crashed(tmp_path):
    text = ("Firefighters contained a blaze at a textile warehouse in the port district late on Sunday after "
            "six hours, the city's fire service said, and no one was hurt.")
    records = [
        {"id": "nodate", "outlet": "A", "title": "Warehouse fire contained", "text": text},
        {"id": "noentities", "outlet": "B", "published": "2025-05-04",
         "text": "it rained. then it stopped. people went home and nothing much else happened at all."},
        {"id": "oneword", "outlet": "C", "published": "2025-05-04", "text": "Breaking"},
        {"id": "copy-1", "outlet": "Wire One", "published": "2025-05-05", "title": "Warehouse fire", "text": text},
        {"id": "copy-2", "outlet": "Wire Two", "published": "2025-05-05", "title": "Warehouse fire", "text": text},
    ]
    stories = run_cluster(str(write_records(tmp_path / "bad.jsonl", records)))
    assert set(stories) == {r["id"] for r in records}
    assert stories["copy-1"] == stories["copy-2"] == stories["nodate"]
    assert stories["oneword"] != stories["copy-1"] and stories["noentities"] != stories["copy-1"]
