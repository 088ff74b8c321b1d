"""Message kinds from WhatsApp's fixed phrases: calls, locations, placeholders."""

from __future__ import annotations

import pytest

from retainer.formats import phrases
from retainer.formats.kinds import CALL_HEADS, HEADS, classify, is_call

CALL_SAMPLES = [
    "Voice call, 5 min", "Video call, 12:30", "Voice call, 3 joined • Tap to Join",
    "Missed call, 2 min • 3 joined", "Sprachanruf. 2 Min.", "Videoanruf. Keine Antwort",
    "Chamada de vídeo, 3 min 42 s", "Chamada de voz, 1 min", "[Call]", "[Call: 5 min]",
]


def test_every_call_pattern_has_a_sample_and_every_sample_is_a_call():
    for pattern in phrases.CALL_PATTERNS:
        assert any(pattern.match(s) for s in CALL_SAMPLES), pattern.pattern
    assert all(is_call(s) for s in CALL_SAMPLES)


@pytest.mark.parametrize("text", sorted(phrases.CALL_NOTICES))
def test_every_call_notice_is_a_call_with_or_without_period(text):
    assert is_call(text) and is_call(text + ".")


def test_call_heads_let_every_call_reach_is_call():
    # The reader's fast way skips texts that start with none of HEADS: a call must not.
    for text in [*CALL_SAMPLES, *phrases.CALL_NOTICES]:
        assert text.startswith(CALL_HEADS) and text.startswith(HEADS)
    assert not is_call("Missed the bus, sorry") and not is_call("Voice calls are fine")


@pytest.mark.parametrize("text", [
    "location: https://maps.google.com/?q=32.5,-117.0",
    "Location: https://maps.google.com/?q=32.5,-117.0",
    " Location: https://maps.google.com/?q=32.5,-117.0",   # iOS: a space after its mark
    "Live location shared",
    "You received a view once message. For added privacy, you can only open it on your phone.",
])
def test_media_placeholders(text):
    assert classify(text) == ("media", None, False)


def test_location_needs_a_link():
    assert classify("Location: lane 3, by the booth")[0] == "text"


def test_affixes_by_character_are_the_affixes():
    from retainer.formats.kinds import HEADS_BY_FIRST, TAILS, TAILS_BY_LAST

    assert sorted(h for group in HEADS_BY_FIRST.values() for h in group) == sorted(HEADS)
    assert sorted(t for group in TAILS_BY_LAST.values() for t in group) == sorted(TAILS)
    assert all(h.startswith(c) for c, group in HEADS_BY_FIRST.items() for h in group)
    assert all(t.endswith(c) for c, group in TAILS_BY_LAST.items() for t in group)
