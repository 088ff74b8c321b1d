"""The words search sees: one tokenizer shared by the index, the query and the excerpts.

A message is indexed as the words of its normalised search text (the same text as
``retainer.formats.text.search_text``: emoji named, case folded, accents removed — computed
here by ``normalise``, which is the same function made fast enough to index millions of
messages). Words are runs of letters, digits and combining marks; everything else (spaces,
punctuation, ``_``) separates them. An emoji's name, which the normalised text writes as
`` :thumbs_up: ``, becomes one word of its own, ``emoji_thumbs_up``, that no ordinary word can
equal (ordinary words never hold ``_``): ``:fire:`` finds 🔥 and not the word "fire". A name
is one when nothing but space or punctuation touches its colons (``(:fire:),``), and an ASCII
apostrophe stands for the typographic one the names use (``:one_o'clock:``).

Both databases receive these words ready-made (SQLite FTS5 through its ``ascii`` tokenizer,
which keeps every such word whole; PostgreSQL as a ``tsvector`` literal), so both match
exactly the same messages.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence

import emoji

from retainer.formats.text import SEARCH_FOLDS, search_text

EMOJI_PREFIX = "emoji_"
"""Start of every emoji word."""
MAX_WORD = 200
"""Longer runs (a pasted key, a base64 blob) are not indexed: nobody searches for them, and
PostgreSQL refuses lexemes over 2 KB."""

_EMOJI_NAME_RE = re.compile(r":(?<![\w:]:)([^\s:]+):(?![\w:])")
"""A ``:name:`` that no letter, digit or colon touches (``12:30:45`` holds none)."""
_NAME_CHAR_RE = re.compile(r"[^a-z0-9_]")
_TONE_RE = re.compile(r"_(?:light|medium-light|medium|medium-dark|dark)_skin_tone")
_FOLD_TABLE = str.maketrans(SEARCH_FOLDS)
_FOLD_RE = re.compile("[" + "".join(SEARCH_FOLDS) + "]")


def _char_class(codes: list[int]) -> str:
    parts, start = [], None
    for i, c in enumerate(codes):
        start = c if start is None else start
        if i + 1 == len(codes) or codes[i + 1] != c + 1:
            parts.append(f"\\u{start:04x}-\\u{c:04x}" if c != start else f"\\u{c:04x}")
            start = None
    return "".join(parts)


class _Tables:
    """Character tables, built once on first use (about 50 ms)."""

    def __init__(self) -> None:
        bmp = [chr(c) for c in range(0x10000)]
        marks = [ord(c) for c in bmp if unicodedata.category(c).startswith("M")]
        combining = [ord(c) for c in bmp if unicodedata.combining(c)]
        # Python's \w has letters, digits and "_" but not combining marks (Devanagari vowel
        # signs, Thai vowels), which must not split a word. BMP-only classes stay fast.
        self.word = re.compile(f"[\\w{_char_class(marks)}]+")
        self.combining = re.compile(f"[{_char_class(combining)}]")
        self.emoji = emoji.EMOJI_DATA
        self.emoji_chars = frozenset(c for seq in self.emoji for c in seq
                                     if not c.isascii()) | {"\ufe0e", "\ufe0f"}
        self.longest: dict[str, int] = {}
        for seq in self.emoji:
            self.longest[seq[0]] = max(self.longest.get(seq[0], 0), len(seq))
        self.names = {name: emoji_word(name) for name in
                      (search_text(d["en"])[1:-1] for d in self.emoji.values())}
        """Emoji name as the normalised text writes it (no colons) → its word."""
        self.names.update({name.replace("\u2019", "'"): word
                           for name, word in self.names.items() if "\u2019" in name})
        self.tones: dict[str, list[str]] = {}
        """The word of an emoji that skin tones modify → the words of its toned forms."""
        for name, word in self.names.items():
            base = _TONE_RE.sub("", name)
            if base != name and base in self.names and "'" not in name:
                self.tones.setdefault(self.names[base], []).append(word)


@functools.cache
def _tables() -> _Tables:
    return _Tables()


_CANDIDATE_RE = re.compile("[^\x00-\x7f]|[#*0-9](?=[\ufe0f\u20e3])")
"""Where an emoji may start: any non-ASCII character, or a keycap's ASCII base."""


def _demojize(text: str) -> str:
    """``emoji.demojize(text, delimiters=(" :", ": "))``: longest known sequence first;
    variation selectors outside an emoji are dropped, as ``emoji`` drops them."""
    t = _tables()
    out: list[str] = []
    last, n, longest, data = 0, len(text), t.longest, t.emoji
    for m in _CANDIDATE_RE.finditer(text):
        i = m.start()
        if i < last:
            continue  # inside an emoji just replaced
        for size in range(min(longest.get(text[i], 0), n - i), 0, -1):
            found = data.get(text[i:i + size])
            if found is not None:
                out.append(_drop_selectors(text[last:i]))
                out.append(f" {found['en']} ")
                last = i + size
                break
    out.append(_drop_selectors(text[last:]))
    return "".join(out)


def _drop_selectors(text: str) -> str:
    if "\ufe0f" in text or "\ufe0e" in text:
        return text.replace("\ufe0f", "").replace("\ufe0e", "")
    return text


def normalise(text: str) -> str:
    """The normalised search text: ``retainer.formats.text.search_text(text)``."""
    if text.isascii():
        return text.lower()  # casefold() of ASCII
    t = _tables()
    if not t.emoji_chars.isdisjoint(text):
        text = _demojize(text)
    text = unicodedata.normalize("NFKD", text)
    if text.isascii():
        return text.lower()
    if max(text) <= "\uffff":
        text = t.combining.sub("", text)
    else:
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold()
    if _FOLD_RE.search(text) is None:
        return text
    return text.translate(_FOLD_TABLE)


def emoji_names() -> dict[str, str]:
    """Every emoji name as the normalised text writes it (without the colons) → its word."""
    return _tables().names


def emoji_word(name: str) -> str:
    """The single word standing for the emoji called ``name`` (normalised, no colons)."""
    return EMOJI_PREFIX + _NAME_CHAR_RE.sub(lambda m: f"_x{ord(m.group()):x}_", name)


def emoji_prefix_word(prefix: str) -> str | None:
    """The word that ``:prefix*`` looks for (its emoji words start so), or None when no emoji
    name starts with ``prefix`` (normalised, no colon; ``'`` stands for ``’``)."""
    prefix = prefix.replace("'", "\u2019")
    if not any(name.startswith(prefix) for name in _tables().names):
        return None
    return emoji_word(prefix)


def skin_tones(word: str) -> list[str]:
    """The words of the skin-toned forms of the emoji whose word is ``word`` (👍 → 👍🏻 … 👍🏿;
    none for other words): searching for an emoji finds it in every tone."""
    return _tables().tones.get(word, [])


def emoji_name_at(normalised: str) -> Iterator[tuple[int, int, str, str | None]]:
    """(start, end, name, its word or None when it names no emoji) of each ``:name:`` in
    normalised text (see ``_EMOJI_NAME_RE``)."""
    names = _tables().names
    for m in _EMOJI_NAME_RE.finditer(normalised):
        yield m.start(), m.end(), m.group(1), names.get(m.group(1))


def plain_words(normalised: str, *, keep_long: bool = False) -> list[str]:
    """The ordinary words of normalised text (emoji names are not looked for); words longer
    than ``MAX_WORD`` are left out unless ``keep_long``."""
    if "_" in normalised:
        normalised = normalised.replace("_", " ")
    found = _tables().word.findall(normalised)
    if len(normalised) > MAX_WORD and not keep_long:
        found = [w for w in found if len(w) <= MAX_WORD]
    return found


def normalised_words(normalised: str, *, keep_long: bool = False) -> list[str]:
    """The words of normalised text, emoji names made emoji words (see ``plain_words``)."""
    if ":" not in normalised:
        return plain_words(normalised, keep_long=keep_long)
    found: list[str] = []
    last = 0
    for start, end, _, word in emoji_name_at(normalised):
        if word is not None:
            found += plain_words(normalised[last:start], keep_long=keep_long)
            found.append(word)
            last = end
    found += plain_words(normalised[last:], keep_long=keep_long)
    return found


def words(text: str) -> list[str]:
    """The words a message's text is indexed under, in order."""
    return normalised_words(normalise(text))


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for each word of ``text``, positions in ``text`` itself.

    The same words as ``words(text)``, found character by character so that each can be
    traced back to the original text (to highlight a match).
    """
    if text.isascii():  # one character for one character
        flat, origin, ends = text.lower(), range(len(text)), range(1, len(text) + 1)
    else:
        flat, origin, ends = _traced(text)
    spans: list[tuple[str, int, int]] = []
    last = 0
    for start, end, _, word in emoji_name_at(flat):
        if word is not None:
            spans += _spans(flat, last, start, origin, ends)
            spans.append((word, origin[start], ends[end - 1]))
            last = end
    return spans + _spans(flat, last, len(flat), origin, ends)


def _traced(text: str) -> tuple[str, list[int], list[int]]:
    """The normalised text, and for each of its characters where it came from in ``text``
    (first character, end)."""
    chars: list[str] = []
    origin: list[int] = []
    ends: list[int] = []
    i, n, t = 0, len(text), _tables()
    while i < n:
        piece, size = text[i], 1
        for length in range(min(t.longest.get(text[i], 0), n - i), 0, -1):
            if text[i:i + length] in t.emoji:
                piece, size = text[i:i + length], length
                break
        folded = normalise(piece)
        chars.append(folded)
        origin.extend([i] * len(folded))
        ends.extend([i + size] * len(folded))
        i += size
    return "".join(chars), origin, ends


def _spans(flat: str, start: int, end: int, origin: Sequence[int], ends: Sequence[int]
           ) -> list[tuple[str, int, int]]:
    part = flat[start:end].replace("_", " ")
    return [(m.group(), origin[start + m.start()], ends[start + m.end() - 1])
            for m in _tables().word.finditer(part) if len(m.group()) <= MAX_WORD]
