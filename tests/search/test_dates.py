"""--since and --until: ISO and plain words, periods, zones, relative to a fixed now."""

from __future__ import annotations

import datetime as dt

import pytest

from retainer.errors import UsageError
from retainer.search.dates import parse_date

NOW = dt.datetime(2026, 12, 15, 18, 30, tzinfo=dt.UTC)
LA = "America/Los_Angeles"


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2019-03-01", utc(2019, 3, 1, 8), utc(2019, 3, 2, 8)),
    ("March 2019", utc(2019, 3, 1, 8), utc(2019, 4, 1, 7)),  # DST began on 10 March
    ("since March 2019", utc(2019, 3, 1, 8), utc(2019, 4, 1, 7)),
    ("2019", utc(2019, 1, 1, 8), utc(2020, 1, 1, 8)),
    ("1 March 2019", utc(2019, 3, 1, 8), utc(2019, 3, 2, 8)),
    ("20190301", utc(2019, 3, 1, 8), utc(2019, 3, 2, 8)),  # ISO basic format: a day too
    ("2019/03/01", utc(2019, 3, 1, 8), utc(2019, 3, 2, 8)),
    # A time names its hour, minute or second: --until keeps all of it.
    ("2019-03-01T10", utc(2019, 3, 1, 18), utc(2019, 3, 1, 19)),
    ("2019-03-01T10:00", utc(2019, 3, 1, 18), utc(2019, 3, 1, 18, 1)),
    ("2019-03-01 10:00:05", utc(2019, 3, 1, 18, 0, 5), utc(2019, 3, 1, 18, 0, 6)),
    ("2019-03-01T10:00Z", utc(2019, 3, 1, 10), utc(2019, 3, 1, 10, 1)),
    ("20190301T1000", utc(2019, 3, 1, 18), utc(2019, 3, 1, 18, 1)),
    ("1 March 2019 10:00", utc(2019, 3, 1, 18), utc(2019, 3, 1, 18, 1)),
    ("yesterday", utc(2026, 12, 14, 8), utc(2026, 12, 15, 8)),
    # Relative dates name a day, however far back they count.
    ("2 weeks ago", utc(2026, 12, 1, 8), utc(2026, 12, 2, 8)),
    ("3 months ago", utc(2026, 9, 15, 7), utc(2026, 9, 16, 7)),
    ("2 years ago", utc(2024, 12, 15, 8), utc(2024, 12, 16, 8)),
    ("a month ago", utc(2026, 11, 15, 8), utc(2026, 11, 16, 8)),
    ("3 hours ago", utc(2026, 12, 15, 15, 30), utc(2026, 12, 15, 15, 30)),
    ("last month", utc(2026, 11, 1, 7), utc(2026, 12, 1, 8)),
    # One field over 12: only one reading.
    ("13/03/2019", utc(2019, 3, 13, 7), utc(2019, 3, 14, 7)),
    ("03/13/2019", utc(2019, 3, 13, 7), utc(2019, 3, 14, 7)),
    ("03/03/2019", utc(2019, 3, 3, 8), utc(2019, 3, 4, 8)),
])
def test_dates(text, start, end):
    assert parse_date(text, end=False, now=NOW, zone=LA) == start
    assert parse_date(text, end=True, now=NOW, zone=LA) == end


@pytest.mark.parametrize("text", ["", "banana", "the 45th of Smarch"])
def test_not_a_date(text):
    with pytest.raises(UsageError):
        parse_date(text, end=False, now=NOW)


@pytest.mark.parametrize(("text", "message"), [
    ("01/03/2019", "day/month or month/day: write it as YYYY-MM-DD \\(2019-03-01 if the day"),
    ("1.3.2019", "day/month or month/day"), ("01-03-2019", "day/month or month/day"),
    ("3/1", "day/month or month/day"), ("01/03/2019 10:00", "day/month or month/day"),
    ("13/03/19", "four digits"),
    ("Q1 2019", "quarters are not read"), ("2019 q2", "quarters"),
    ("first quarter of 2019", "quarters"),
])
def test_ambiguous_dates_are_refused_not_guessed(text, message):
    with pytest.raises(UsageError, match=message):
        parse_date(text, end=False, now=NOW, zone=LA)


def test_the_same_minute_twice_is_that_minute():
    since = parse_date("2019-03-01T10:00", end=False, now=NOW, zone=LA)
    until = parse_date("2019-03-01T10:00", end=True, now=NOW, zone=LA)
    assert until - since == dt.timedelta(minutes=1)
