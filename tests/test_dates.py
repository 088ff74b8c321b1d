"""Dates typed on the command line (``retainer.dates``): days, relative phrases that keep the
day of the month, and months or years that name a whole period."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from retainer.dates import parse_day, parse_when
from retainer.errors import UsageError

LA = "America/Los_Angeles"
NOW = dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.UTC)  # 15:30 on 3 December in Los Angeles


def local(text: str, **options) -> dt.datetime:
    return parse_when(text, zone=LA, now=NOW, **options).astimezone(ZoneInfo(LA))


@pytest.mark.parametrize("text, day", [
    ("in 20 years", dt.date(2046, 12, 3)),     # was 2046-12-01
    ("1 year ago", dt.date(2025, 12, 3)),      # was 2025-12-01
    ("last year", dt.date(2025, 12, 3)),
    ("next month", dt.date(2027, 1, 3)),
    ("3 months ago", dt.date(2026, 9, 3)),
    ("2 weeks ago", dt.date(2026, 11, 19)),
    ("yesterday", dt.date(2026, 12, 2)),
    ("today", dt.date(2026, 12, 3)),
    ("2024-03-14", dt.date(2024, 3, 14)),
    ("14 March 2024", dt.date(2024, 3, 14)),
])
def test_a_day_or_a_relative_phrase_is_one_day(text, day):
    start, end = local(text), local(text, end_of_day=True)
    assert (start.date(), start.time()) == (day, dt.time())
    assert (end.date(), end.time()) == (day, dt.time(23, 59, 59, 999999))
    assert parse_day(text, zone=LA, now=NOW) == day


@pytest.mark.parametrize("text, first, last", [
    ("March 2019", dt.date(2019, 3, 1), dt.date(2019, 3, 31)),
    ("February 2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2019", dt.date(2019, 1, 1), dt.date(2019, 12, 31)),
])
def test_a_month_or_a_year_is_the_whole_period(text, first, last):
    assert local(text).date() == first and local(text).time() == dt.time()
    assert local(text, end_of_day=True).date() == last
    assert parse_day(text, zone=LA, now=NOW) == last  # --as-of: the end of the period


def test_moments_are_kept_exactly():
    assert parse_when("now", zone=LA, now=NOW) == NOW
    assert parse_when("3 hours ago", zone=LA, now=NOW) == NOW - dt.timedelta(hours=3)
    exact = parse_when("2024-03-14T10:00", zone=LA, now=NOW, end_of_day=True)
    assert exact == dt.datetime(2024, 3, 14, 17, 0, tzinfo=dt.UTC)
    # a "now" on the second, which the relative-phrase marker must not shift
    assert parse_when("now", now=NOW.replace(second=0)) == NOW.replace(second=0)


def test_the_end_of_a_day_across_a_dst_change():
    end = parse_when("2026-11-01", zone=LA, now=NOW, end_of_day=True)  # 25 hours long
    assert end == dt.datetime(2026, 11, 2, 7, 59, 59, 999999, tzinfo=dt.UTC)


def test_not_a_date():
    with pytest.raises(UsageError, match="'not a date at all' is not a date; give "
                                         "YYYY-MM-DD"):
        parse_when("not a date at all", now=NOW)


@pytest.mark.parametrize("text, message", [
    # What `hold add --since/--until` and `--as-of` guessed before (as search did).
    ("01/03/2019", "day/month or month/day"), ("01-12", "day/month or month/day"),
    ("1.3", "day/month or month/day"), ("1 3 2019", "day/month or month/day"),
    ("1.12", "day/month or month/day"), ("13/03/2019", "four-digit year"),
    ("-1", "four-digit year"), ("3rd", "day of the month alone"),
    ("Q1 2019", "quarters are not read"),
])
def test_numeric_dates_that_do_not_start_with_the_year_are_refused(text, message):
    with pytest.raises(UsageError, match=message) as refused:
        parse_when(text, zone=LA, now=NOW, option="--until")
    assert str(refused.value).startswith("--until ")
    with pytest.raises(UsageError, match=message):
        parse_day(text, zone=LA, now=NOW, option="--as-of")


@pytest.mark.parametrize("text, day", [
    ("2019/03/01", dt.date(2019, 3, 1)), ("2019.3.1", dt.date(2019, 3, 1)),
    ("2019-3", dt.date(2019, 3, 31)), ("3 March 2019", dt.date(2019, 3, 3)),
    ("March 2019", dt.date(2019, 3, 31)),
])
def test_dates_that_start_with_the_year_or_name_the_month_are_read(text, day):
    assert parse_day(text, zone=LA, now=NOW) == day


def test_a_time_alone_is_today_not_january():
    assert local("10:00") == dt.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo(LA))
    assert local("10am", end_of_day=True) == dt.datetime(2026, 12, 3, 10, 0,
                                                         tzinfo=ZoneInfo(LA))


@pytest.mark.parametrize("text, zone", [
    ("9999-12-31", "Asia/Kolkata"), ("9999-12-31T23:59", LA), ("December 9999", LA),
    ("9999", LA), ("0001-01-01T00:00+05:00", LA), ("0001-01-01", "Asia/Kolkata")])
def test_dates_out_of_range_are_usage_errors(text, zone):
    with pytest.raises(UsageError, match="--as-of .* is out of range: give a date from "):
        parse_when(text, zone=zone, now=NOW, end_of_day=text[0] != "0", option="--as-of")
    with pytest.raises(UsageError, match="out of range"):
        parse_day(text, zone=zone, now=NOW, option="--as-of")
