"""Time expressions: detection, TimeML values anchored to the publication date, speed on long texts."""
from __future__ import annotations

import time

import pytest

from rashomon.analyze.times import TimeTagger, find_times, parse_published


def values(text: str, published: str | None = "2024-01-23", doc=None) -> dict[str, tuple]:
    """expression text -> (type, value, mod); every span must cut the text at the right place."""
    out = {}
    for t in find_times(text, published, doc=doc):
        assert text[t.start:t.end] == t.text
        out[t.text] = (t.type, t.value, t.mod)
    return out


def value(text: str, expr: str, published: str | None = "2024-01-23", doc=None):
    found = values(text, published, doc)
    assert expr in found, f"{expr!r} not found in {found}"
    return found[expr][1]


@pytest.fixture(scope="module")
def nlp():
    try:
        from rashomon.analyze.model import load_model
        return load_model()
    except Exception as exc:  # noqa: BLE001 - any missing model or package
        pytest.skip(f"needs the English spaCy model: {exc}")


# ----------------------------------------------------------------------------- the example pair

def _example(shared_dir, name: str) -> str:
    folder = shared_dir / "examples" / "putin-turkey"
    if not folder.is_dir():
        pytest.skip(f"example folder {folder} is missing")
    return (folder / name).read_text(encoding="utf-8")


def test_example_000_turkish_outlet(shared_dir, nlp):
    text = _example(shared_dir, "000_8234c2ccb6702025.txt")
    found = values(text, "2024-01-23", nlp(text))
    assert found["Tuesday"][1] == "2024-01-23"
    assert found["earlier Tuesday"][1] == "2024-01-23"
    assert found["mid-February"][1:] == ("2024-02", "MID")
    assert found["September"][1] == "2023-09"
    assert found["February 2022"][1] == "2022-02"
    assert found["This week"][1] == "2024-W04"
    assert found["18-month"][:2] == ("DURATION", "P18M")
    assert found["decadelong"][:2] == ("DURATION", "P10Y")
    assert found["Jan. 23, 2024"][1] == "2024-01-23"


def test_example_002_kyiv_independent(shared_dir, nlp):
    text = _example(shared_dir, "002_aff56c0808d412fa.txt")
    published = "2024-01-29T15:49"
    found = values(text, published, nlp(text))
    assert found["February"][1] == "2024-02"  # "to visit Turkey in February"
    assert found["Jan. 29"][1] == "2024-01-29"
    assert found["Sept. 16, 2022"][1] == "2022-09-16"
    assert found["March 2023"][1] == "2023-03"
    assert found["July 2022"][1] == "2022-07"
    assert found["July 2023"][1] == "2023-07"
    assert found["September 2023"][1] == "2023-09"
    assert found["the spring of 2022"][1] == "2022-SP"
    assert found["February 2022"][1] == "2022-02"
    assert found["recent months"][:2] == ("DURATION", "PXM")


# --------------------------------------------------------------------- weekdays, months and tense

def test_weekday_follows_tense_and_publication_day():
    assert value("The council voted Monday to close the bridge.", "Monday") == "2024-01-22"
    assert value("The council will vote on Friday.", "Friday") == "2024-01-26"
    assert value("The mayor said Tuesday that the ferry would run.", "Tuesday") == "2024-01-23"
    assert value("The bridge reopened last Thursday.", "last Thursday") == "2024-01-18"
    assert value("Divers will search again next Wednesday.", "next Wednesday") == "2024-01-24"


def test_weekday_with_parse(nlp):
    text = "Officials met on Friday and will meet again on Monday."
    found = values(text, "2024-01-23", nlp(text))
    assert found["Friday"][1] == "2024-01-19"
    assert found["Monday"][1] == "2024-01-29"


def test_bare_month_year_chosen_by_tense():
    assert value("The museum closed in September for repairs.", "September") == "2023-09"
    assert value("The museum will reopen in September.", "September") == "2024-09"
    assert value("Elections are expected in February.", "February") == "2024-02"
    assert value("The works were finished last March.", "last March") == "2023-03"


def test_bare_day_month_prefers_the_nearest_occurrence():
    assert value("Shares were payable Dec. 28 to holders of record.", "Dec. 28") == "2023-12-28"
    assert value("Tickets go on sale Feb. 3.", "Feb. 3") == "2024-02-03"
    assert value("The storm of Sept. 16, 2022 flooded the valley.", "Sept. 16, 2022") == "2022-09-16"
    assert value("The ceasefire agreed on 12 March 2022 failed.", "12 March 2022") == "2022-03-12"


def test_part_of_month_and_year_modifiers():
    found = values("Talks may resume in mid-February, after a pause in early January and late 2023.")
    assert found["mid-February"] == ("DATE", "2024-02", "MID")
    assert found["early January"] == ("DATE", "2024-01", "START")
    assert found["late 2023"] == ("DATE", "2023", "END")
    assert values("The vote is due by the end of the year.")["the end of the year"] == ("DATE", "2024", "END")


def test_relative_calendar_units():
    found = values("This week the port was busy; last week it was shut, and next month it closes. Last year it "
                   "lost money, and this year it may not.")
    assert found["This week"][1] == "2024-W04"
    assert found["last week"][1] == "2024-W03"
    assert found["next month"][1] == "2024-02"
    assert found["Last year"][1] == "2023"
    assert found["this year"][1] == "2024"
    assert value("The fair was held over the weekend.", "the weekend", "2024-01-22") == "2024-W03-WE"


def test_deictic_days_and_times_of_day():
    found = values("Yesterday the plane landed at 3:30 p.m.; today the crew rests, and tomorrow morning it "
                   "leaves. The vote is at 10 p.m. Wednesday.")
    assert found["Yesterday"][1] == "2024-01-22"
    assert found["today"][1] == "2024-01-23"
    assert found["tomorrow morning"] == ("TIME", "2024-01-24TMO", None)
    assert found["3:30 p.m."] == ("TIME", "2024-01-22T15:30", None)  # on the day just mentioned
    assert found["10 p.m. Wednesday"] == ("TIME", "2024-01-24T22:00", None)


def test_seasons_decades_centuries():
    found = values("Talks failed during the spring of 2022 and resumed last summer; the town has grown since "
                   "the 1990s, after a decline in the 19th century.")
    assert found["the spring of 2022"][1] == "2022-SP"
    assert found["last summer"][1] == "2023-SU"
    assert found["the 1990s"][1] == "199"
    assert found["the 19th century"][1] == "18"


def test_quarters_and_financial_comparisons():
    text = ("Harbor Mills said third-quarter profit rose 8% from a year earlier. In the latest quarter, sales "
            "grew. The company expects fiscal 2024 results in March.")
    found = values(text, "2023-10-26")
    assert found["third-quarter"][1] == "2023-Q3"
    assert found["a year earlier"][1] == "2022-Q3"
    assert found["the latest quarter"][1] == "2023-Q3"
    assert found["fiscal 2024"][1] == "2024"
    assert value("Revenue fell in the first quarter of 2023.", "the first quarter of 2023") == "2023-Q1"
    assert value("Talks will resume in the second half of the year.", "the second half of the year") == "2024-H2"


# ------------------------------------------------------------------------------ durations and sets

def test_durations():
    found = values("After an 18-month siege and a decadelong war, the trial lasted two and a half years; "
                   "talks took more than four hours, and the inquiry may need a few days or several months.")
    assert found["18-month"] == ("DURATION", "P18M", None)
    assert found["decadelong"] == ("DURATION", "P10Y", None)
    assert found["two and a half years"] == ("DURATION", "P30M", None)
    assert found["more than four hours"] == ("DURATION", "PT4H", "MORE_THAN")
    assert found["a few days"][1] == "PXD"
    assert found["several months"][1] == "PXM"
    assert value("Prices doubled over the past two decades.", "the past two decades") == "P20Y"


def test_sets():
    found = values("The market is held every Tuesday and the ferry sails twice a week, 300 days a year.")
    assert found["every Tuesday"] == ("SET", "XXXX-WXX-2", None)
    assert found["twice a week"][:2] == ("SET", "P1W")
    assert found["a year"][:2] == ("SET", "P1Y")
    assert value("The paper is published weekly.", "weekly") == "XXXX-WXX"


def test_reference_words():
    found = values("The firm now employs 40 people; it currently rents an office, recently moved, and in "
                   "the future may buy one.")
    assert found["now"] == ("DATE", "PRESENT_REF", None)
    assert found["currently"][1] == "PRESENT_REF"
    assert found["recently"][1] == "PAST_REF"
    assert found["the future"][1] == "FUTURE_REF"


def test_ago_and_anaphora():
    found = values("The dam was built three years ago and two weeks ago it cracked.")
    assert found["three years ago"][1] == "2021"
    assert found["two weeks ago"][1] == "2024-01-09"
    assert value("The plant opened in 2019. That year, output doubled.", "That year") == "2019"


def test_days_relative_to_a_mentioned_day():
    found = values("The ferry left on Monday and sank the next day; rescuers arrived in the evening.")
    assert found["Monday"][1] == "2024-01-22"
    assert found["the next day"][1] == "2024-01-23"
    assert found["the evening"] == ("TIME", "2024-01-23TEV", None)
    assert value("The match ended at 0100 GMT.", "0100 GMT") == "2024-01-23T01:00"


def test_durations_anchored_to_events_and_ages():
    found = values("Three days later, the port reopened.")
    assert found["Three days"] == ("DURATION", "P3D", None)  # "later" is the signal, left out
    assert "55 years" not in values("Mr. Okafor, 55 years old, was named chairman.")
    assert values("An 8-month-old truce ended.")["8-month-old"][1] == "P8M"


# ---------------------------------------------------------------------------------- not time

def test_words_that_are_not_time_expressions():
    assert values("She may decide to stay, officials said.") == {}
    assert values("He won a second term; a quarter of voters agreed.") == {}
    assert values("Room 2020 was booked, and 1,999 people attended.") == {}
    assert "fall" not in " ".join(values("Prices could fall further, traders said."))
    assert values("Talks will end as soon as the leaders agree.") == {}
    assert values("The next meeting would be held on Feb. 30.") == {}
    assert values("Shoppers queued for Black Friday deals.") == {}
    assert values("Tickets cost $6.99-a-month.") == {}
    assert values("The star lies 20 light years from the Sun.") == {}
    assert values("The GTX 1660 card beat the RTX 2060.") == {}


def test_proper_name_month_with_parse(nlp):
    text = "The playwright August Wilson wrote ten plays."
    assert "August" not in values(text, doc=nlp(text))


# ----------------------------------------------------------------------- without a publication date

def test_no_publication_date_gives_no_relative_values():
    text = ("The ferry sank on Tuesday, a week after the storm of Jan. 3, 2024. Last year the line opened; "
            "it was sold in March 2023 and will expand next month. Rescuers worked for 48 hours and are "
            "still there now.")
    found = values(text, None)
    for expr in ("Tuesday", "Last year", "next month"):
        assert found[expr][1] is None, expr
    assert found["Jan. 3, 2024"][1] == "2024-01-03"
    assert found["March 2023"][1] == "2023-03"
    assert found["48 hours"][1] == "PT48H"
    assert found["now"][1] == "PRESENT_REF"


def test_published_forms():
    assert str(parse_published("2024-01-29T15:49")) == "2024-01-29"
    assert str(parse_published("2024-01-29T15:49:00+02:00")) == "2024-01-29"
    assert parse_published("yesterday") is None
    assert parse_published(None) is None
    assert value("The board met on Monday.", "Monday", "2024-01-29T15:49:00Z") == "2024-01-29"


# -------------------------------------------------------------------------------- scale, component

PARAGRAPH = ("The harbour of Port Evran reopened on Monday after a three-day closure, the port authority "
             "said, and ships that had waited offshore began entering the port shortly after dawn. Repairs "
             "to the northern breakwater will take several months and cost an estimated four million euros, "
             "to be shared by the city and the regional government, officials added in a statement. ")


def test_long_text_is_linear_and_fast():
    small = PARAGRAPH * 700
    big = PARAGRAPH * 6300  # about 2.1 MB
    t0 = time.perf_counter()
    n_small = len(find_times(small, "2024-01-23"))
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = find_times(big, "2024-01-23")
    t_big = time.perf_counter() - t0
    assert len(big) > 2_000_000
    assert len(found) == 9 * n_small
    assert t_big < 60
    assert t_big < 18 * max(t_small, 0.05)  # 9x the text: about 9x the time, never quadratic


def test_component_writes_times():
    from rashomon.analyze.pipeline import AnalysisState
    from rashomon.models import AnalyzedArticle, Article

    article = Article(id="a1", source="test", text="The ferry sailed on Monday.", published="2024-01-23")
    state = AnalysisState(article=article, doc=None, results=AnalyzedArticle(article=article))
    tagger = TimeTagger()
    assert (tagger.name, tagger.reads, tagger.writes) == ("times", ("doc",), ("times",))
    tagger(state)
    assert [(t.text, t.value) for t in state.results.times] == [("Monday", "2024-01-22")]
