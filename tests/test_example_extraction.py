"""The bundled example (examples/README.md, "Extraction"): every point holds."""
from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.extract import extract
from rashomon.ingest import read_inputs

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "lesbos-ferry-grounding"


@pytest.fixture(scope="module")
def articles():
    docs = list(read_inputs([str(EXAMPLE)]))
    return {Path(d.source.split(":")[0]).stem: extract(d) for d in docs}


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_html_page(articles):
    a = articles["aegean-lantern"]
    assert a.title == "Ferry from Ayvalık runs aground off Lesbos, at least 14 injured"
    assert a.authors == ["Elif Karataş", "Jonas Whitfield"]
    assert a.outlet == "The Aegean Lantern"
    assert (a.published, a.published_from) == ("2025-03-04T15:40:00+02:00", "page")
    assert a.modified == "2025-03-04T18:05:00+02:00" and a.language == "en"
    assert len(a.captions) == 1 and a.captions[0].startswith("The ferry Cunda Star lies tilted on the shoal")
    paras = _paragraphs(a.text)
    assert len(paras) == 9
    assert paras[0].startswith("MYTILENE, Greece — A passenger ferry sailing from Ayvalık")
    assert paras[-1].endswith("most of them in the summer months.")
    for clutter in ("Maritime safety", "The Cunda Star struck a shoal outside", "Related stories", "Sign up",
                    "The ferry Cunda Star lies tilted"):
        assert clutter not in a.text


def test_copied_text_page(articles):
    a = articles["meridian-wire"]
    assert a.title == "Ferry disaster off Lesbos: 12 hurt as Turkish vessel slams into rocks in storm"
    assert a.authors == ["Petra Lindqvist"]
    assert (a.published, a.published_from) == ("2025-03-05T08:05", "text")
    assert a.outlet == "Meridian Wire"
    assert a.captions == ["Passengers wrapped in blankets wait on the quay in Mytilene after being brought "
                          "ashore from the stranded ferry. (Meridian Wire/Andreas Kolios)"]
    paras = _paragraphs(a.text)
    assert len(paras) == 10
    assert paras[0].startswith("Twelve people were injured")
    assert paras[-1].endswith("Crossings between Turkey and Lesbos remain suspended.")
    for clutter in ("Skip to content", "4 min read", "Latest news", "Lyon", "Utrecht", "Enter your email",
                    "cookies", "Meridian Wire Media Ltd", "Europe / Greece"):
        assert clutter not in a.text


def test_json_record(articles):
    a = articles["ionian-clarion"]
    assert a.outlet == "The Ionian Clarion" and a.authors == ["Katerina Vlachou"]
    assert (a.published, a.published_from) == ("2025-03-05T11:30:00+02:00", "given")
    assert len(_paragraphs(a.text)) == 9 and a.captions == []
