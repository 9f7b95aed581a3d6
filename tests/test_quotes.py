"""Attributions: quotation marks, cues, sources, contents, speakers, chains, and the example pair."""
from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.analyze.quote_marks import find_quotes
from rashomon.models import Entity

SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLE = SHARED / "examples" / "putin-turkey"


@pytest.fixture(scope="module")
def nlp():
    from rashomon.analyze.model import load_model

    return load_model()


@pytest.fixture(scope="module")
def find(nlp):
    from rashomon.analyze.quotes import find_attributions

    def run(text: str, entities: list[Entity] | None = None):
        doc = nlp(text)
        quotes = find_attributions(doc, entities)
        for q in quotes:  # offsets index the text, end exclusive
            assert text[q.cue_start:q.cue_end] == q.cue
            assert text[q.content_start:q.content_end] == q.content
            if q.speaker_start is not None:
                assert q.speaker_end > q.speaker_start
        return quotes

    return run


def _by_cue(quotes, word: str):
    found = [q for q in quotes if word in q.cue]
    assert found, f"no attribution with cue {word!r} in {[q.cue for q in quotes]}"
    return found[0]


def _speaker_text(text: str, q) -> str:
    return text[q.speaker_start:q.speaker_end]


# ---------------------------------------------------------------------------------------- quotation marks

def test_quotes_pair_straight_and_curly_marks():
    text = 'She said "the river is high" and he replied “not for long.” It’s Anna’s boat.'
    spans = [text[q.start:q.end] for q in find_quotes(text)]
    assert spans == ['"the river is high"', "“not for long.”"]


def test_quote_continues_over_paragraphs():
    text = ('"The harbour will open in spring.\n\n'
            '"We have hired forty workers," the director said.')
    (q,) = find_quotes(text)
    assert q.start == 0 and text[q.end - 1] == '"' and q.paragraphs == 2
    assert text[q.start:q.end].endswith('forty workers,"')


def test_unclosed_quote_is_not_a_span():
    assert find_quotes('He shouted "stop and ran.\n\nNothing more.') == []


# ---------------------------------------------------------------------------------------- attributions

def test_reported_speech_with_that(find):
    text = "The mayor said that the new bridge would reopen in May."
    q = _by_cue(find(text), "said")
    assert _speaker_text(text, q) == "The mayor"
    assert q.content.startswith("that the new bridge") and not q.direct and q.kind == "speech"


def test_direct_quote_with_speaker_after(find):
    text = '"We will rebuild the harbour before winter," Anna Lindqvist said on Monday.'
    q = _by_cue(find(text), "said")
    assert "Lindqvist" in _speaker_text(text, q)
    assert q.direct and q.content.startswith('"We will rebuild')


def test_quote_of_several_sentences_is_one_content(find):
    text = ('"The dam is safe. The engineers checked it twice. Nobody needs to leave," '
            'the regional governor told reporters.')
    q = _by_cue(find(text), "told")
    assert q.content.startswith('"The dam is safe.') and "Nobody needs to leave" in q.content
    assert q.direct and "governor" in _speaker_text(text, q)


def test_according_to(find):
    text = "According to the fire brigade, the storm damaged forty homes in the valley."
    q = _by_cue(find(text), "According")
    assert q.cue == "According to" and _speaker_text(text, q) == "the fire brigade"
    assert "forty homes" in q.content


def test_pronoun_speaker_resolves_to_the_named_person(find):
    text = ("Maria Okafor has led the dockworkers' union since 2019. "
            "She said the strike would continue until the port agreed to new contracts.")
    q = _by_cue(find(text), "said")
    assert _speaker_text(text, q) == "She" and q.speaker == "Maria Okafor"


def test_speaker_key_comes_from_the_entities(find):
    text = ("Maria Okafor has led the dockworkers' union since 2019. "
            "She said the strike would continue until the port agreed to new contracts.")
    ents = [Entity("Maria Okafor", 0, 12, "PERSON", "Maria Okafor", "person:maria okafor")]
    q = _by_cue(find(text, ents), "said")
    assert q.speaker_key == "person:maria okafor" and q.speaker == "Maria Okafor"


def test_title_speaker_resolves_to_the_named_spokesperson(find):
    text = ("The ministry's spokesperson, Lena Varga, opened the briefing on Friday. "
            "The spokesperson said the border crossings would stay closed.")
    q = _by_cue(find(text), "said")
    assert _speaker_text(text, q).lower().endswith("spokesperson") and q.speaker == "Lena Varga"


def test_beliefs_and_intentions(find):
    text = ("The farmers believe that the new canal will flood their fields. "
            "The company wants to build a second factory near the river.")
    quotes = find(text)
    assert _by_cue(quotes, "believe").kind == "belief"
    want = _by_cue(quotes, "wants")
    assert want.kind == "intention" and "second factory" in want.content


def test_unnamed_source_is_kept(find):
    text = ("A senior official, who spoke on condition of anonymity, said the plan "
            "had been dropped after the talks failed.")
    q = _by_cue(find(text), "said")
    assert _speaker_text(text, q).startswith("A senior official")


def test_citing_makes_a_chain(find):
    text = ("The state news agency reported that the talks had stalled, "
            "citing Omar Haddad, a senior diplomat.")
    quotes = find(text)
    q = _by_cue(quotes, "reported")
    assert "agency" in _speaker_text(text, q) and q.via == ["Omar Haddad"]


def test_nested_cue_inside_content_is_one_attribution(find):
    text = "The coach said the players believe they can still win the league."
    quotes = find(text)
    assert [q.cue for q in quotes] == ["said"]


def test_empty_document(nlp):
    from rashomon.analyze.quotes import find_attributions

    assert find_attributions(nlp("")) == []


def test_component_writes_quotes(nlp):
    from rashomon.analyze.pipeline import AnalysisState
    from rashomon.analyze.quotes import AttributionFinder
    from rashomon.models import AnalyzedArticle, Article

    text = "The mayor said that the bridge would reopen in May."
    art = Article(id="a", source="t", text=text)
    state = AnalysisState(article=art, doc=nlp(text), results=AnalyzedArticle(article=art))
    comp = AttributionFinder()
    assert (comp.name, comp.reads, comp.writes) == ("quotes", ("doc", "entities"), ("quotes",))
    comp(state)
    assert [q.cue for q in state.results.quotes] == ["said"]


# ---------------------------------------------------------------------------------------- the example pair

def _body(name: str, first: str, last: str) -> str:
    if not EXAMPLE.is_dir():
        pytest.skip(f"needs the shared example folder at {EXAMPLE} (absent: shared/ is not beside the repo)")
    text = (EXAMPLE / name).read_text(encoding="utf-8")
    return text[text.index(first):text.index(last) + len(last)]


def test_example_turkish_outlet(find):
    body = _body("000_8234c2ccb6702025.txt", "Preparations are underway", "territorial integrity.")
    quotes = find(body)
    told = _by_cue(quotes, "told")
    assert "Peskov" in _speaker_text(body, told) and told.speaker == "Dmitriy Peskov" and told.direct
    assert told.content.startswith('"High-level contacts')
    claimed = _by_cue(quotes, "claimed")
    assert _speaker_text(body, claimed) == "Turkish local media" and "mid-February" in claimed.content
    assert _speaker_text(body, _by_cue(quotes, "affirms")) == "Ankara"
    argue = _by_cue(quotes, "argue")
    assert _speaker_text(body, argue) == "Officials" and "greatest threat" in argue.content
    said = _by_cue(quotes, "said")
    assert "Kremlin" in _speaker_text(body, said) and said.content.startswith("Preparations are underway")


def test_example_kyiv_independent(find):
    body = _body("002_aff56c0808d412fa.txt", "Russian President Vladimir Putin is making",
                 "since February 2022.")
    quotes = find(body)
    announced = _by_cue(quotes, "announced")
    assert "TASS" in _speaker_text(body, announced) and announced.speaker == "TASS"
    assert announced.via == ["Yuri Ushakov"] and announced.content.startswith("Russian President Vladimir Putin")
    told = _by_cue(quotes, "told")
    assert _speaker_text(body, told) == "Ushakov" and "the two leaders will discuss Ukraine" in told.content
    kyiv = [q for q in quotes if q.speaker_start is not None and _speaker_text(body, q) == "Kyiv"]
    assert kyiv and "full Russian withdrawal" in kyiv[0].content


def test_speaker_after_a_question_or_a_dash(find):
    text = ("“How many times do we have to see this in our harbour?” Mayor Ana Ruiz said. "
            "“You winning?” she said, but the fisherman had already turned away. "
            "“Nobody asked us.” ― Petros Alexiou. The ferry sailed at noon.")
    quotes = find(text)
    said = {q.content: q for q in quotes}
    first = said["How many times do we have to see this in our harbour?"]
    assert first.direct and text[first.speaker_start:first.speaker_end] == "Mayor Ana Ruiz"
    second = said["You winning?"]
    assert text[second.speaker_start:second.speaker_end] == "she"
    dash = said["Nobody asked us."]
    assert dash.cue == "―" and dash.speaker == "Petros Alexiou"
    assert not any("sailed" in q.content for q in quotes)


def test_apposition_does_not_take_the_source(find):
    quotes = find("Selin Aydogan, the district governor of Ayvalik, said the ferry had met every requirement.")
    assert [q.speaker for q in quotes] == ["Selin Aydogan"]


def test_transcript_lines_name_their_speaker(find):
    text = ("The exchange went as follows.\n\nHOST: Was the harbour ready for the storm?\n\n"
            "Photo: a ferry at the quay\n\nUPDATE: this story was changed.\n\n"
            "Mayor Ana Ruiz: We did all we could.")
    labels = {q.speaker: q.content for q in find(text) if q.cue == ":"}
    assert labels["HOST"] == "Was the harbour ready for the storm?"
    assert "Photo" not in labels and "UPDATE" not in labels
