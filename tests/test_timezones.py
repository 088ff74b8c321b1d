"""Wall-clock → UTC per export (DESIGN §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from retainer.errors import UsageError
from retainer.timezones import AMBIGUOUS, IMPOSSIBLE, LocalClock


def utc(*args) -> dt.datetime:
    return dt.datetime(*args)


def test_plain_times_and_seconds():
    clock = LocalClock("America/Los_Angeles")
    assert clock.to_utc("2026-07-04T09:15") == (utc(2026, 7, 4, 16, 15), None)
    assert clock.to_utc("2026-12-24T23:59:59") == (utc(2026, 12, 25, 7, 59, 59), None)


def test_fall_back_hour_is_resolved_by_message_order():
    clock = LocalClock("America/Los_Angeles")
    times = ["2026-11-01T00:59", "2026-11-01T01:10", "2026-11-01T01:50", "2026-11-01T01:05",
             "2026-11-01T01:30", "2026-11-01T02:00"]
    assert [clock.to_utc(t) for t in times] == [
        (utc(2026, 11, 1, 7, 59), None),
        (utc(2026, 11, 1, 8, 10), AMBIGUOUS),   # PDT, first pass
        (utc(2026, 11, 1, 8, 50), AMBIGUOUS),
        (utc(2026, 11, 1, 9, 5), AMBIGUOUS),    # the clocks went back: PST
        (utc(2026, 11, 1, 9, 30), AMBIGUOUS),
        (utc(2026, 11, 1, 10, 0), None),
    ]


def test_same_ambiguous_minute_twice_in_a_row_stays_in_the_first_pass():
    clock = LocalClock("America/Los_Angeles")
    assert clock.to_utc("2026-11-01T01:30")[0] == clock.to_utc("2026-11-01T01:30")[0]


def test_spring_forward_gap_is_flagged_impossible():
    clock = LocalClock("America/Los_Angeles")
    assert clock.to_utc("2026-03-08T02:30") == (utc(2026, 3, 8, 10, 30), IMPOSSIBLE)
    assert clock.to_utc("2026-03-08T03:30") == (utc(2026, 3, 8, 10, 30), None)


def test_zone_without_daylight_saving():
    clock = LocalClock("America/Phoenix")
    assert clock.to_utc("2026-11-01T01:30") == (utc(2026, 11, 1, 8, 30), None)


def test_half_hour_transition_zone():
    clock = LocalClock("Australia/Lord_Howe")  # moves 30 minutes, at 02:00 → 01:30
    assert clock.to_utc("2026-04-05T01:45")[1] == AMBIGUOUS
    assert clock.to_utc("2026-04-05T02:15")[1] is None


def test_unknown_zone():
    with pytest.raises(UsageError, match="America/Las_Angeles"):
        LocalClock("America/Las_Angeles")
