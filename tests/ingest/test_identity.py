"""Message identity: ordinals count the same words in the same minute, however far apart."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from retainer.ingest.identity import Ordinals


def exact(pairs):
    counts: dict = {}
    out = []
    for pair in pairs:
        out.append(counts.get(pair, 0))
        counts[pair] = out[-1] + 1
    return out


def test_a_minute_seen_again_long_after_keeps_counting():
    ordinals = Ordinals(recent=2)
    assert [ordinals.next("2026-01-01T00:00", "ok"), ordinals.next("2026-01-01T00:00", "ok")] \
        == [0, 1]
    for minute in ("2026-01-02T00:00", "2026-01-03T00:00", "2026-01-04T00:00"):
        assert ordinals.next(minute, "ok") == 0
    # The clock was set back: the first minute again, long after it left the recent ones.
    assert ordinals.next("2026-01-01T00:00", "ok") == 2
    assert ordinals.next("2026-01-01T00:00", "other") == 0
    for minute in ("2026-01-05T00:00", "2026-01-06T00:00", "2026-01-07T00:00"):
        ordinals.next(minute, "x")
    assert ordinals.next("2026-01-01T00:00", "ok") == 3  # dropped twice, counted once each


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([f"2026-01-01T00:{m:02d}" for m in range(8)]),
                          st.sampled_from(["ok", "copy", "\x00media"])), max_size=80),
       st.integers(1, 4))
def test_ordinals_match_exact_counting_whatever_is_forgotten(pairs, recent):
    from unittest import mock

    for merge_at in (65536, 1):  # with and without merges of the pending counts
        with mock.patch("retainer.ingest.identity._MERGE_AT", merge_at):
            ordinals = Ordinals(recent=recent)
            assert [ordinals.next(m, k) for m, k in pairs] == exact(pairs)


def test_a_long_stretch_of_minutes_seen_again_stays_exact():
    ordinals = Ordinals(recent=16)
    minutes = [f"2026-01-{d:02d}T{h:02d}:{m:02d}" for d in (1, 2) for h in range(24)
               for m in range(60)]
    for minute in minutes:  # day 1 and 2, one message a minute
        assert ordinals.next(minute, "ok") == 0
    for minute in minutes:  # the clock set back two days: every minute again, twice
        assert ordinals.next(minute, "ok") == 1
    for minute in minutes:
        assert ordinals.next(minute, "ok") == 2
