"""Needles never turn away a text that a pattern matches."""

from __future__ import annotations

import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retainer.formats.text import search_text
from retainer.retention.needles import any_needles, pattern_needles

from .conftest import SHIPPED

SHIPPED_PATTERNS = [pattern
                    for path in sorted(SHIPPED.glob("*.toml"))
                    for category in tomllib.loads(path.read_text("utf-8"))["categories"]
                    for rule in category.get("rules", [])
                    for pattern in rule.get("patterns", [])]
MORE_PATTERNS = [r"li(aison)", r"x(?:abc)+y", r"(?:abc)*z", r"k{2}", r"(?=abc)x", r"a|", r"\bFLX",
                 r"(?-i:Abc)", r"(?>ab)c", r"ſtop", r"Kelvin", r"caf[eé]", r"[a-c]{2,}", r"^\s*$"]


@pytest.mark.parametrize("pattern, needles", [
    (r"\bFLX-\d{4}", {"flx-"}),
    (r"happy\s+(?:birthday|b-?day)", {"happy"}),
    (r"(?:merry|happy)\s+x", {"merry", "happy"}),
    (r"x(?:abc)+y", {"abc"}),
    (r"(?:abc)*", None),
    (r"a|", None),
    (r"(?-i:Abc)", None),
    (r"li(aison)", {"son"}),   # "i" is left out: under IGNORECASE it also matches dotless "ı"
])
def test_needles_of_a_pattern(pattern, needles):
    found = pattern_needles(pattern)
    assert (set(found) if found is not None else None) == needles


def test_any_needles_is_unknown_when_one_is_unknown():
    assert any_needles([frozenset({"a"}), None]) is None
    assert any_needles([frozenset({"a"}), frozenset({"b"})]) == {"a", "b"}


PIECES = ["happy", "birthday", "merry", "on my way", "omw", "late", "running", "flx-2024-001",
          "shared with the mexican", "call me", "meeting", "outside", "liaison", "lıaıson",
          "abc", "xabcy", "kk", "stop", "ſtop", "\u212aelvin", "café", " ", "\n", "!", "👍",
          "🎂", "i'm", "i’m", "get well", "be there in 5", "cannot talk"]


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=6),
       pattern=st.sampled_from(SHIPPED_PATTERNS + MORE_PATTERNS))
def test_a_text_a_pattern_matches_always_holds_a_needle(pieces, pattern):
    text = search_text(" ".join(pieces))
    needles = pattern_needles(pattern)
    if needles is not None and re.search(pattern, text, re.IGNORECASE):
        assert any(needle in text for needle in needles)
