"""Date lines and publication dates inferred from the story (extract.dates)."""
from __future__ import annotations

import pytest

from rashomon.extract.dates import find_dates, infer_published, read_date_line


@pytest.mark.parametrize("line, expected", [
    ("January 29, 2024 3:49 PM", [("published", "2024-01-29T15:49")]),
    ("Published 2024-01-29 | 15:49", [("published", "2024-01-29T15:49")]),
    ("29 Jan 2024", [("published", "2024-01-29")]),
    ("Updated: 19 November 2019, 09:01 AM", [("modified", "2019-11-19T09:01")]),
    ("First Published: Tuesday, November 19, 2019 08:38 AM", [("published", "2019-11-19T08:38")]),
    ("Published 2024-01-29 | Updated 2024-01-30 10:00",
     [("published", "2024-01-29"), ("modified", "2024-01-30T10:00")]),
    ("15:49, 29 January 2024", [("published", "2024-01-29T15:49")]),
    ("12 de novembro de 2019", [("published", "2019-11-12")]),
    ("Sept. 16, 2022 at 12:30 a.m.", [("published", "2022-09-16T00:30")]),
    ("by Jane Roe and The Example Desk March 3, 2023 9:05 am 4 min read", [("published", "2023-03-03T09:05")]),
    ("19.11.2019 um 14.30 Uhr", [("published", "2019-11-19T14:30")]),
])
def test_date_lines(line, expected):
    assert read_date_line(line) == expected


@pytest.mark.parametrize("line", ["Sign up for our newsletter", "Room 2024 is on the left", "Call 555-1234"])
def test_lines_without_a_date(line):
    assert read_date_line(line) == []


def test_numeric_dates_read_month_first_only_with_a_slash():
    assert [d.iso() for d in find_dates("10/12/2024 and 10.12.2024 and 25/12/2024")] == [
        "2024-10-12", "2024-12-10", "2024-12-25"]


def test_impossible_dates_are_ignored():
    assert find_dates("February 30, 2024") == []


def test_weekday_matching_the_caption_date_pins_the_day():
    caption = "The minister speaks at a ceremony in the capital on Jan. 23, 2024. (Example Photo)"
    text = "Talks on a new treaty are under way, the ministry said Tuesday."
    assert infer_published(text, [caption]) == "2024-01-23"


def test_latest_date_without_weekday_gives_its_month():
    text = "The bridge opened on March 3, 2021 and was closed for repairs on May 14, 2021."
    assert infer_published(text, []) == "2021-05"


def test_future_dates_are_not_evidence():
    text = "The council met on March 3, 2021. The new rules will take effect on January 1, 2023."
    assert infer_published(text, []) == "2021-03"


def test_inconsistent_weekday_gives_none():
    # Jan. 30, 2024 is a Tuesday; "Friday" after it falls on Feb. 2: the month is not known either.
    text = "The report was released on Jan. 30, 2024. Officials responded on Friday."
    assert infer_published(text, []) is None


def test_no_absolute_date_gives_none():
    assert infer_published("The mayor said Tuesday that the market will reopen.", []) is None
    assert infer_published("", []) is None
