"""Character-level rules: invisible marks, header spaces, and the normalised search text.

Message bodies are kept exactly as exported except for the invisible direction marks WhatsApp
sprinkles into them (DESIGN §2); they are never Unicode-normalised. Headers and author names
get a little more cleaning so that the same person looks the same on every phone.
"""

from __future__ import annotations

import re
import unicodedata

import emoji

#: Invisible marks stripped everywhere: LRM, RLM, the embedding/override controls, the
#: isolates and the byte-order mark / zero-width no-break space.
INVISIBLE_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
MARKS_RE = re.compile("[" + INVISIBLE_MARKS + "]")
"""Finds any invisible mark."""
NOTICE_MARK = "\u200e"
"""iOS writes U+200E right after ``"Name: "`` when the text is the app's own (a notice or a
media placeholder), which is how its notices are told from messages."""
# The character class comes first so the regex engine can skip ahead to candidates.
_MARKS_BUT_NOTICE_RE = re.compile("[" + INVISIBLE_MARKS + "](?<!: \u200e)")

#: In headers and author names, these spaces are plain spaces and U+2011 is a hyphen.
_HEADER_TABLE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2011": "-"})


def strip_marks(text: str) -> str:
    """Remove the invisible marks listed in ``INVISIBLE_MARKS``; change nothing else."""
    if text.isascii():
        return text
    return MARKS_RE.sub("", text)


def strip_marks_keeping_notice_marks(text: str) -> str:
    """Like ``strip_marks`` but keep a U+200E that follows ``": "`` (see ``NOTICE_MARK``);
    the reader removes those once it has looked at them."""
    if text.isascii():
        return text
    return _MARKS_BUT_NOTICE_RE.sub("", text)


def normalise_header(text: str) -> str:
    """Author names and header text: odd spaces become spaces, U+2011 becomes ``-``, trimmed."""
    if not text.isascii():
        text = MARKS_RE.sub("", text).translate(_HEADER_TABLE)
    return text.strip()


SEARCH_FOLDS = {
    "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i", "ȷ": "j",
    "ƀ": "b", "ɨ": "i", "ƶ": "z", "ǥ": "g", "ɍ": "r", "ʉ": "u", "ɇ": "e", "ƚ": "l",
    "ɉ": "j", "ƒ": "f", "æ": "ae", "œ": "oe", "þ": "th", "ꝏ": "oo",
}
"""Letters that Unicode does not decompose into a base letter and a mark (a stroke, a bar, a
ligature), folded as the search text's "accents removed" promises: ``Łódź`` → ``lodz``,
``Ørsted`` → ``orsted``, ``Æsir`` → ``aesir``. Keys are lower case: the table applies after
case folding (which already makes ``ß`` ``ss``)."""
_FOLD_TABLE = str.maketrans(SEARCH_FOLDS)


def search_text(text: str) -> str:
    """The derived text that search and schedule rules match on.

    Emoji become their names (``👍`` → `` :thumbs_up: ``), case is folded and accents are
    removed (marks, and the letters of ``SEARCH_FOLDS``), so ``Aduána`` matches ``aduana`` and
    ``Łódź`` ``lodz``. The stored message text is never changed.
    """
    if not text.isascii():
        text = emoji.demojize(text, delimiters=(" :", ": "))
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        return text.translate(_FOLD_TABLE)
    return text.casefold()


def fold_title(title: str) -> str:
    """A chat title as titles are compared (``--chat``, holds, schedule rules): case folded
    and in Unicode NFC, so that a title typed on a Mac (NFD) finds the chat, and vice versa."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", title).casefold())
