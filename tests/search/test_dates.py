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
    # Digits that start with a four-digit year: year, month, day.
    ("2019.3.1", utc(2019, 3, 1, 8), utc(2019, 3, 2, 8)),
    ("2019 3 1", utc(2019, 3, 1, 8), utc(2019, 3, 2, 8)),
    ("2019-3", utc(2019, 3, 1, 8), utc(2019, 4, 1, 7)),
    ("2019/03/01 10:00", utc(2019, 3, 1, 18), utc(2019, 3, 1, 18, 1)),
    ("3 March 2019", utc(2019, 3, 3, 8), utc(2019, 3, 4, 8)),
    ("March 3rd 2019", utc(2019, 3, 3, 8), utc(2019, 3, 4, 8)),
    ("2019-03-01T10:00:00+05:00", utc(2019, 3, 1, 5), utc(2019, 3, 1, 5, 0, 1)),
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
    # Two or three numbers that do not start with a four-digit year, whatever the separator,
    # were guessed (January 12, January 3, 01:12 today, ...): refused.
    ("01-12", "day/month or month/day: write it as YYYY-MM-DD \\(YYYY-12-01 if the day"),
    ("1.3", "day/month or month/day"), ("1 3 2019", "day/month or month/day"),
    ("1.12", "day/month or month/day"), ("01/03 10am", "day/month or month/day"),
    ("1 3 2019 pm", "day/month or month/day"),
    # ... even with one field over 12, or the same number twice: only YYYY-MM-DD is read.
    ("13/03/2019", "must start with its four-digit year"),
    ("03/13/2019", "must start with its four-digit year"),
    ("03/03/2019", "must start with its four-digit year"),
    ("13-03", "must start with its four-digit year"),
    # Bare numbers and ordinals were January 1 and March 1.
    ("-1", "must start with its four-digit year"), ("7", "must start with its four-digit"),
    ("201903", "must start with its four-digit year"),
    ("3rd", "a day of the month alone is not a date"), ("the 3rd", "day of the month alone"),
    ("2019-13-01", "is not a date"), ("2019/02/30", "is not a date"),
    ("Q1 2019", "quarters are not read"), ("2019 q2", "quarters"),
    ("first quarter of 2019", "quarters"),
])
def test_ambiguous_dates_are_refused_not_guessed(text, message):
    with pytest.raises(UsageError, match=message):
        parse_date(text, end=False, now=NOW, zone=LA)


@pytest.mark.parametrize(("text", "end", "option"), [
    ("01-12", True, "--until"), ("3rd", False, "--since"), ("banana", True, "--until"),
    ("9999-12-31", True, "--until"), ("", False, "--since"),
])
def test_the_refusal_names_the_option_and_the_forms_accepted(text, end, option):
    with pytest.raises(UsageError) as refused:
        parse_date(text, end=end, now=NOW, zone=LA)
    message = str(refused.value)
    assert message.startswith(option) and "\n" not in message
    assert "YYYY-MM-DD" in message or "out of range" in message


@pytest.mark.parametrize(("text", "end", "zone"), [
    ("9999-12-31", False, LA), ("9999-12-31", True, LA), ("9999-12-31T23:59", True, LA),
    ("December 9999", True, LA), ("9999", True, LA), ("0001-01-01T00:00+05:00", False, LA),
    ("0001-01-01", False, "Asia/Kolkata"),  # east of UTC: that day starts before year 1
])
def test_dates_out_of_range_are_usage_errors(text, end, zone):
    with pytest.raises(UsageError, match="out of range: give a date from 0001-01-02 to "
                                         "9999-12-30"):
        parse_date(text, end=end, now=NOW, zone=zone)


def test_the_same_minute_twice_is_that_minute():
    since = parse_date("2019-03-01T10:00", end=False, now=NOW, zone=LA)
    until = parse_date("2019-03-01T10:00", end=True, now=NOW, zone=LA)
    assert until - since == dt.timedelta(minutes=1)
