"""Message kinds from WhatsApp's fixed phrases: media placeholders, deletions, edits, calls."""

from __future__ import annotations

from retainer.formats import phrases
from retainer.formats.model import Kind


def _with_period(words: frozenset[str]) -> set[str]:
    """Each phrase with and without one final period, as exports write both."""
    return set(words) | {w + "." for w in words if not w.endswith(".")}


WHOLE: dict[str, Kind] = {}
for _text in _with_period(phrases.MEDIA_OMITTED | phrases.OMITTED | phrases.VIEW_ONCE
                          | phrases.LIVE_LOCATION):
    WHOLE[_text] = "media"
for _text in _with_period(phrases.DELETED):
    WHOLE[_text] = "deleted"

MAX_WHOLE = max(map(len, WHOLE))
"""Longest whole-message phrase: longer texts need no lookup."""

CALLS: frozenset[str] = frozenset(_with_period(phrases.CALL_NOTICES))
"""Call notices: ``system`` messages that keep their caller as author."""
UNMARKED_CALLS: frozenset[str] = CALLS - _with_period(phrases.BARE_CALL_NOTICES)
"""Call notices whose words are enough without iOS's mark (not a bare "Voice call")."""
CALL_HEADS = tuple(sorted(p for p in phrases.CALL_PREFIXES
                          if not any(p != q and p.startswith(q) for q in phrases.CALL_PREFIXES)))
"""Every call notice starts with one of these (``is_call`` looks no further at others); the
shortest prefixes only, as every text the reader's fast way meets is tested against them."""

_FILE_ATTACHED = tuple(" " + s for s in phrases.FILE_ATTACHED)
_ATTACHED = tuple(phrases.ATTACHED_PREFIXES)
_EDITED = tuple(phrases.EDITED_MARKERS)
_DOCUMENT = tuple(phrases.DOCUMENT_OMITTED)
# iOS may write a space between its U+200E mark and "Location: " (phrases.LOCATION_PREFIXES).
_LOCATION = tuple(phrases.LOCATION_PREFIXES) + tuple(" " + p for p in phrases.LOCATION_PREFIXES)
_VIEW_ONCE = tuple(phrases.VIEW_ONCE_PREFIXES)


PLAIN: tuple[Kind, None, bool] = ("text", None, False)
HEADS = _ATTACHED + _LOCATION + _VIEW_ONCE + CALL_HEADS
"""Texts starting with one of these need a closer look (``classify``, ``is_call``)."""
TAILS = (">",) + _FILE_ATTACHED + _DOCUMENT
""""Texts ending with one of these need a closer look (edit markers and iOS attachment
tags end with ``>``)."""


def _by(key: int, affixes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for affix in affixes:
        grouped.setdefault(affix[key], []).append(affix)
    return {char: tuple(group) for char, group in grouped.items()}


HEADS_BY_FIRST = _by(0, HEADS)
"""``HEADS`` by their first character: ``text.startswith(HEADS)`` is
``text.startswith(HEADS_BY_FIRST.get(text[:1], ()))``, at a third of the cost."""
TAILS_BY_LAST = _by(-1, TAILS)
"""``TAILS`` by their last character, likewise."""


def classify(text: str) -> tuple[Kind, str | None, bool]:
    """(kind, attachment file name, edited) of a message body.

    ``kind`` is ``media`` for every media placeholder form (omitted, attached, view-once,
    location links and live locations), ``deleted`` for deletion notices, else ``text``.
    System notices (calls included) are the format family's business: they depend on where
    the text sits, not only on its words.
    """
    kind = WHOLE.get(text)
    if kind is not None:
        return kind, None, False
    if not (text.endswith(TAILS) or text.startswith(HEADS) or "\n" in text):
        return PLAIN  # the common case, decided with three C calls
    edited = text.endswith(_EDITED)
    # iOS: "<attached: NAME>", possibly after a caption or a "NAME • 3 pages" line.
    for prefix in _ATTACHED if "<" in text else ():
        start = text.find(prefix)
        if start >= 0:
            end = text.find(">", start + len(prefix))
            if end > start + len(prefix):
                return "media", text[start + len(prefix):end], edited
    first = text.partition("\n")[0]
    if first.endswith(_FILE_ATTACHED):
        for suffix in _FILE_ATTACHED:
            if first.endswith(suffix) and len(first) > len(suffix):
                return "media", first[: -len(suffix)], edited
    if (first.endswith(_DOCUMENT) or (text.startswith(_LOCATION) and "://" in first)
            or text.startswith(_VIEW_ONCE)):
        return "media", None, edited
    return "text", None, edited


def is_call(text: str, *, bare: bool = True, marked: bool = False) -> bool:
    """A call notice ("Missed voice call", "Video call, 2 min").

    ``bare=False`` leaves out the words a person may as well type as a whole message
    (``phrases.BARE_CALL_NOTICES``: "Voice call"), for texts the app has not marked as its own.
    ``marked``: the app marked the text as its own (U+200E), so the looser
    ``phrases.MARKED_CALL_PATTERNS`` count too (and the bare words).
    """
    if not text.startswith(CALL_HEADS):
        return False
    return (text in (CALLS if bare or marked else UNMARKED_CALLS)
            or any(p.match(text) for p in phrases.CALL_PATTERNS)
            or (marked and any(p.match(text) for p in phrases.MARKED_CALL_PATTERNS)))
