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


TYPED_LIKE_CALLS = [
    "Video call, 10:30 tomorrow with CBP and the mayor about the tariff",
    "Voice call, 2 minutes ago you said lane 3", "Voice call, 5 min from now?",
    "Video call, 12:30 or later", "Voice call, 3 joined us late", "Missed call, so everyone joined",
    "Missed call, 2 min • 3 joined us", "Sprachanruf. Bitte ruf zurück", "Videoanruf. Morgen?",
    "Chamada de voz, 2 pessoas", "Voice call, 1:05pm",
]


def test_sentences_that_start_like_a_call_are_no_call():
    assert not any(is_call(s) for s in TYPED_LIKE_CALLS)


@pytest.mark.parametrize("text", [
    "Voice call, 12 sec", "Video call, 1:05", "Video call, 1:02:03", "Voice call, 1 hr 23 min",
    "Voice call, 2 mins", "Video call, 1 hr", "Voice call, 5 min.", "Missed call, 3 joined",
    "Sprachanruf. 30 Sek.", "Chamada de voz, 42 s",
])
def test_call_lengths_as_the_app_writes_them(text):
    assert is_call(text) and is_call(text, bare=False)


def test_bare_call_words_need_the_mark():
    # "Voice call" is a call notice only where the app marked it; the other notices' words,
    # "Tap to call back" included, are enough on their own.
    for text in phrases.BARE_CALL_NOTICES:
        assert is_call(text) and not is_call(text, bare=False) and not is_call(text + ".",
                                                                              bare=False)
    for text in phrases.CALL_NOTICES - phrases.BARE_CALL_NOTICES:
        assert is_call(text, bare=False) and is_call(text + ".", bare=False)
    assert is_call("Missed voice call. Tap to call back", bare=False)


@pytest.mark.parametrize("text", [
    "Voice call, 1 minute", "Video call, 2 hours", "Sprachanruf. Nicht angenommen",
    "Chamada de vídeo, não atendida",
])
def test_a_marked_call_may_say_more_than_a_length(text):
    """The app's mark already says the text is no person's: any status after the kind."""
    assert is_call(text, marked=True) and not is_call(text, bare=False)


def test_marked_typed_sentences_are_calls_only_by_their_start():
    assert not is_call("Voice calls are fine", marked=True)
    assert not is_call("Voice call,", marked=True)


@pytest.mark.parametrize("text", [
    "Llamada de voz perdida", "Videollamada perdida", "Appel vocal manqué",
    "Appel vidéo manqué", "Chamada de vídeo perdida", "Missed group video call",
    "Missed group voice call, Tap to join",
])
def test_missed_calls_in_more_languages(text):
    assert is_call(text, bare=False)


def test_a_bare_missed_call_in_spanish_needs_the_mark():
    assert is_call("Llamada perdida", marked=True) and not is_call("Llamada perdida",
                                                                   bare=False)


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
