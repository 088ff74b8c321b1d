"""The tokenizer: the same normalised text as ``search_text``, and words traceable to the
original text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from retainer.formats.text import search_text
from retainer.retention.validation import word_tokens
from retainer.search.tokens import normalise, word_spans, words

SAMPLES = [
    "Lane 3 is closed.", "Aduána ÉCOLE Straße ﬁne ①", "👍🏽👍 ❤️ 🇺🇸 #️⃣ 1️⃣ © ☕ 🌧️",
    "👨‍👩‍👧 👩🏽‍💻 family", "नमस्ते दुनिया", "a\ufe0fb ☺\ufe0e ❤\ufe0f\ufe0f",
    "time 12:30:45 :fire: x:y:", "snake_case_word",
    "مرحبا بالعالم", "Привет, МИР", "中文字符 テスト", "a\u0301b", "",
]
ALPHABET = st.sampled_from(list("aZé ñ_:.-\n\t1👍🏽❤️\ufe0f\ufe0e🇺🇸#\u20e3ß中्ि©"))
"""Letters, accents, marks and emoji parts. Not the zero-width joiner: ``emoji`` and retainer
treat unrecommended joined sequences differently (the words are the same either way)."""


def test_normalise_is_search_text():
    for text in SAMPLES:
        assert normalise(text) == search_text(text), text


@given(st.text(alphabet=ALPHABET, max_size=30))
def test_normalise_is_search_text_on_mixed_text(text):
    assert normalise(text) == search_text(text)


@given(st.text(alphabet=ALPHABET, max_size=30))
def test_spans_give_the_same_words_and_point_into_the_text(text):
    spans = word_spans(text)
    assert [w for w, _, _ in spans] == words(text)
    for _, start, end in spans:
        assert 0 <= start < end <= len(text)


def test_words():
    assert words("Lane 3, CLOSED — at the Aduána 👍 :fire:") == [
        "lane", "3", "closed", "at", "the", "aduana", "emoji_thumbs_up", "emoji_fire"]
    assert words("x" * 300 + " short") == ["short"]


def test_letters_with_strokes_and_ligatures_fold_like_accents():
    assert words("Łódź Ørsted ĐORĐE Æsir Œuvre Þing ıstanbul Straße") == [
        "lodz", "orsted", "dorde", "aesir", "oeuvre", "thing", "istanbul", "strasse"]
    # Schedule rules read the same search text: a rule word folds the same way.
    assert word_tokens("Łódź") == ["lodz"] and search_text("Łódź") == "lodz"


def test_emoji_names_touching_punctuation_and_ascii_apostrophes():
    assert words("(:fire:), :one_o'clock: :one_o’clock: 🕐") == ["emoji_fire"] + [
        "emoji_one_o_x2019_clock"] * 3
    # Not names: a colon touching letters, digits or another colon.
    assert words("12:30:45 x:fire: :fire:y ::fire::") == [
        "12", "30", "45", "x", "fire", "fire", "y", "fire"]
