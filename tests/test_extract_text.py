"""Scraped-text extraction (extract.text): body, title, byline, dates, captions, template memory.

The fixtures are invented pages in the shape of text copied from news sites; the acceptance example
in shared/examples/putin-turkey is checked when shared/ is present.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.errors import NoArticleError
from rashomon.extract import extract
from rashomon.extract.templates import TemplateMemory
from rashomon.extract.text import extract_text, registered_domain
from rashomon.models import RawDocument

SHARED = Path(__file__).parents[2] / "shared"
EXAMPLE = SHARED / "examples" / "putin-turkey"

MENU = """Skip to content
Home
World
Politics
Business
Science
Sport
Culture
Opinion
Subscribe
Sign in
"""

BODY = [
    "The city council of Northbridge voted on Monday to close the old harbour bridge to cars from next spring, "
    "ending a decade of debate over the crumbling structure.",
    "Engineers told the council that the bridge, built in 1931, can no longer carry heavy traffic safely, and that "
    "repairs would cost more than a new crossing for cyclists and pedestrians.",
    "Shop owners on the east bank said the closure would cut them off from customers, while residents of the old "
    "town welcomed the end of the traffic jams that fill their streets every morning.",
    "The mayor, Helen Brandt, said the city would open a ferry service during the works and promised a decision on "
    "the design of the new crossing before the end of the year.",
]

FEED = """More news

Farmers warn of a poor apple harvest after the late frost.

The regional farmers' union said on Friday that growers in the valley expect to pick half of last year's crop.

Library reopens after two years of renovation.

Visitors will find a new reading room and a café on the top floor, the city's cultural office said.
"""


def page(header: str, body: list[str] = BODY, trailer: str = FEED) -> str:
    """A scraped page: menu, header lines, paragraphs, trailing clutter."""
    return MENU + "\n" + header + "\n\n" + "\n\n".join(body) + "\n\n" + trailer


def test_page_with_clutter():
    text = page("Northbridge to close its old harbour bridge to cars\n\n"
                "Anna Keller and Tom Weiss\n"
                "Published 2024-03-05 | 09:30\n"
                "3 min read\n"
                "The harbour bridge seen from the east bank in February. (Photo: Example Agency)\n"
                "Listen to this article\n",
                BODY[:2] + ["Advertisement"] + BODY[2:])
    art = extract_text(text, url="https://news.example.com/city/northbridge-to-close-old-harbour-bridge")
    assert art.title == "Northbridge to close its old harbour bridge to cars"
    assert art.authors == ["Anna Keller", "Tom Weiss"]
    assert (art.published, art.published_from) == ("2024-03-05T09:30", "text")
    assert art.captions == ["The harbour bridge seen from the east bank in February. (Photo: Example Agency)"]
    assert art.text == "\n\n".join(BODY)


@pytest.mark.parametrize("byline, authors", [
    ("By Ana Lima, Bruno Costa and Carla Dias", ["Ana Lima", "Bruno Costa", "Carla Dias"]),
    ("Jane Roe", ["Jane Roe"]),
    ("Jane Roe | John Doe", ["Jane Roe", "John Doe"]),
    ("by Jane Roe and The Northbridge Herald news desk", ["Jane Roe", "The Northbridge Herald news desk"]),
])
def test_bylines(byline, authors):
    art = extract_text(page("Northbridge to close its old harbour bridge to cars\n\n" + byline + "\nMarch 5, 2024"))
    assert art.authors == authors
    assert art.text.startswith("The city council of Northbridge")


def test_desk_byline_names_the_outlet():
    art = extract_text(page("Northbridge to close its old harbour bridge to cars\n\n"
                            "by Jane Roe and The Northbridge Herald news desk March 5, 2024 9:15 AM 2 min read"))
    assert art.outlet == "The Northbridge Herald"
    assert art.published == "2024-03-05T09:15"


def test_masthead_confirmed_by_copyright_names_the_outlet():
    art = extract_text(page("Northbridge to close its old harbour bridge to cars",
                            trailer=FEED + "\nAbout us\nContact\n© 2024 Northbridge Herald Media Ltd. All rights reserved."
                            ).replace("Skip to content\n", "Skip to content\nNorthbridge Herald\n"))
    assert art.outlet == "Northbridge Herald"
    lone = extract_text(page("Northbridge to close its old harbour bridge to cars",
                             trailer=FEED + "\n© 2024 Example Holdings Inc. All rights reserved."))
    assert lone.outlet is None  # a copyright holder alone may be a parent company


@pytest.mark.parametrize("date_line, published, modified", [
    ("March 5, 2024 4:30 PM", "2024-03-05T16:30", None),
    ("5 Mar 2024", "2024-03-05", None),
    ("Published 2024-03-05 | 16:30", "2024-03-05T16:30", None),
    ("Updated: 6 March 2024, 08:00 AM", None, "2024-03-06T08:00"),
    ("Published March 5, 2024 | Updated March 6, 2024 8:00 AM", "2024-03-05", "2024-03-06T08:00"),
])
def test_date_line_formats(date_line, published, modified):
    art = extract_text(page("Northbridge to close its old harbour bridge to cars\n\nBy Jane Roe\n" + date_line))
    assert (art.published, art.modified) == (published, modified)
    assert art.published_from == ("text" if published else None)


@pytest.mark.parametrize("caption", [
    "The bridge at dawn. (Getty Images)",
    "The harbour bridge at dawn on Monday. Photo: Example Agency",
    "Workers inspect the bridge in 2023 [File: Example Agency]",
    "The old bridge from the river (AFP Photo)",
    "Cyclists cross the bridge on its last open day. (Northbridge Herald/Jane Roe)",
])
def test_caption_forms(caption):
    art = extract_text(page("Northbridge to close its old harbour bridge to cars\n\n" + caption))
    assert art.captions == [caption]
    assert caption not in art.text


def test_caption_between_paragraphs_is_not_body():
    caption = "Cyclists wait at the east end of the bridge on Monday. (Example Agency Photo)"
    art = extract_text(page("Northbridge to close its old harbour bridge to cars", BODY[:2] + [caption] + BODY[2:]))
    assert art.text == "\n\n".join(BODY)
    assert art.captions == [caption]


def test_trailing_feed_with_real_sentences_is_dropped():
    art = extract_text(page("Northbridge to close its old harbour bridge to cars"))
    assert art.text.endswith("before the end of the year.")
    assert "apple harvest" not in art.text and "Library" not in art.text


def test_template_memory_drops_an_outlet_s_recurring_lines():
    promo = ("Our reporters cover Northbridge every day, and readers like you keep this local newsroom "
             "independent and free to read for everyone.")
    stories = [
        ["The ferry company raised its fares for the first time in six years, citing higher fuel prices and "
         "the cost of new boats that it ordered last spring.",
         "Commuters said the increase would hit families on the east bank hardest, since they rely on the "
         "ferry to reach schools and offices in the old town."],
        ["The city's main library will stay open until midnight during the exam period, the cultural office "
         "said on Tuesday after a petition signed by more than two thousand students.",
         "Extra staff will be hired for the evenings, and the café on the top floor will serve food until ten."],
        ["A storm flooded the riverside market overnight, and traders spent the morning pumping water out of "
         "their stalls while the fire brigade cleared the drains.",
         "The weather office expects more rain on Thursday and advised residents near the river to move cars "
         "to higher ground."],
    ]
    url = "https://www.northbridge-herald.example/city/{}"
    memory = TemplateMemory()
    baseline = extract_text(page("Northbridge to close its old harbour bridge to cars", BODY + [promo]),
                            url=url.format("bridge"))
    assert promo in baseline.text  # without memory the recurring prose line reads as body
    for k, story in enumerate(stories):
        extract_text(page(f"Story number {k} from the newsroom of Northbridge", story + [promo]),
                     url=url.format(k), templates=memory)
    assert memory.pages("northbridge-herald.example") == 3
    later = extract_text(page("Northbridge to close its old harbour bridge to cars", BODY + [promo]),
                         url=url.format("bridge"), templates=memory)
    assert promo not in later.text
    assert later.text == "\n\n".join(BODY)


def test_registered_domain():
    assert registered_domain("https://www.bbc.co.uk/news/x") == "bbc.co.uk"
    assert registered_domain("https://edition.cnn.com/x") == "cnn.com"
    assert registered_domain(None) is None


@pytest.mark.parametrize("text", [
    "Sign in\nEmail address\nPassword\nForgot your password?\nLog in\nCreate an account\nPrivacy policy\nTerms of use",
    "\n".join(["Home", "World", "Politics", "Business", "Markets: stocks fall as oil rises", "Weather",
               "Local elections: full results", "Sport", "Contact us", "About us", "© 2024 Example Media"]),
    "",
])
def test_no_article(text):
    assert extract_text(text).text == ""
    with pytest.raises(NoArticleError, match="no article text found"):
        extract(RawDocument(source="page.txt", kind="raw_text", content=text))


def test_clean_text_comes_out_unchanged():
    clean = "\n\n".join(BODY)
    art = extract_text(clean)
    assert art.text == clean
    assert art.title is None and art.captions == []


def test_clean_text_with_a_headline():
    art = extract_text("Northbridge to close its old harbour bridge to cars\n\n" + "\n\n".join(BODY))
    assert art.title == "Northbridge to close its old harbour bridge to cars"
    assert art.text == "\n\n".join(BODY)


# The acceptance example (shared/examples/putin-turkey, EXPECTED.md "Extraction") ----------------------

needs_shared = pytest.mark.skipif(not EXAMPLE.is_dir(), reason=f"shared example folder {EXAMPLE} is absent")


def _example(name: str):
    path = next(EXAMPLE.glob(name + "_*.txt"))
    return extract(RawDocument(source=str(path), kind="raw_text", content=path.read_text(encoding="utf-8")))


@needs_shared
def test_example_000_turkish_outlet():
    art = _example("000")
    assert art.title == "Kremlin says preparations underway for Putin’s visit to Türkiye"
    assert len(art.captions) == 1 and art.captions[0].endswith("(AFP Photo)")
    assert art.text.startswith("Preparations are underway")
    assert art.text.endswith("the greatest threat to Syria’s territorial integrity.\"")
    assert "(AFP Photo)" not in art.text
    assert art.authors == [] and art.outlet is None
    assert (art.published, art.published_from) == ("2024-01-23", "inferred")


@needs_shared
def test_example_002_kyiv_independent():
    art = _example("002")
    assert art.title == "Media: Putin plans to visit Turkey in February to discuss Ukraine"
    assert art.authors == ["Nate Ostiller", "The Kyiv Independent news desk"]
    assert art.outlet == "The Kyiv Independent"
    assert (art.published, art.published_from) == ("2024-01-29T15:49", "text")
    assert len(art.captions) == 1 and art.captions[0].endswith("(Getty Images)")
    assert art.text.startswith("Russian President Vladimir Putin is making preparations")
    assert art.text.endswith("since February 2022.")
    for clutter in ("Skip to content", "Edit post", "1 min read", "This audio is created with AI assistance",
                    "News Feed", "MORE NEWS", "Editors' Picks", "indicates required", "85,000", "CIA", "IMF"):
        assert clutter not in art.text
    assert "\n\n\n" not in art.text
