"""The search query language: parsed into a small tree, compiled for each database.

Language (docs/search.md):

- ``lane closed`` — messages with both words (in any order);
- ``"lane 3 closed"`` — the exact phrase (the words in a row);
- ``lane OR gate`` — either (``OR`` in capitals; binds tighter than the implicit AND:
  ``truck lane OR gate`` is truck AND (lane OR gate));
- ``-closed`` / ``-"lane 3"`` — leave out messages with the word or phrase;
- ``clos*`` — words starting with ``clos``; ``"lane 3 clo"*`` a phrase ending in a prefix;
  ``:thumbs*`` emoji whose names start so;
- ``:thumbs_up:`` or 👍 — the emoji, in any skin tone (👍🏽 or ``:thumbs_up_medium_skin_tone:``
  for one tone).

Every term is normalised like message text (``tokens.words``: case, accents, emoji names), so
``ADUANA`` finds "Aduána". A term of several words (``e-mail``, ``12:30``) is a phrase. An
emoji that skin tones modify stands for each of its toned forms too (the term becomes one
alternative per form). The compiled forms are built only from quoted words, so nothing typed
can become FTS5 or tsquery syntax, and both are passed to SQL as bound parameters; every word
is checked against the limits the databases put on words (``tokens.MAX_WORD``).
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools

from retainer.errors import UsageError
from retainer.search.tokens import (
    EMOJI_PREFIX,
    MAX_WORD,
    emoji_name_at,
    emoji_names,
    emoji_prefix_word,
    normalise,
    normalised_words,
    skin_tones,
)

MAX_QUERY = 1000
"""Longest query accepted, in characters."""
MAX_TERMS = 32
"""Most terms in one query: beyond this a query is a mistake or an attack on the server."""
MAX_FORMS = 64
"""Most alternatives one term may stand for (its emoji's skin tones, multiplied)."""


@dataclasses.dataclass(frozen=True)
class Term:
    """One word or phrase: its normalised words in order; ``prefix`` makes the last one a
    prefix."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclasses.dataclass(frozen=True)
class Query:
    """Every group must match (AND), each group being alternatives (OR); no excluded term may.

    ``text`` is the query as typed (what the access log records).
    """

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]
    text: str

    def terms(self) -> list[Term]:
        """The terms looked for (not the excluded ones), for highlighting."""
        return [term for group in self.groups for term in group]


@dataclasses.dataclass
class _Token:
    kind: str  # "term" or "or"
    text: str = ""
    phrase: bool = False
    prefix: bool = False
    negated: bool = False


def parse(text: str) -> Query:
    """Parse a query (see the module docstring).

    Raises:
        UsageError: empty, unbalanced quotes, a lone ``OR``, ``-`` or ``*``, an ``OR`` next to
            an excluded term, only excluded terms, or too long. The message never quotes
            archive content.
    """
    if len(text) > MAX_QUERY:
        raise UsageError(f"the query is longer than {MAX_QUERY} characters")
    items = _lex(text)
    if not items:
        raise UsageError("the query is empty: give at least one word to look for")
    if sum(item.kind == "term" for item in items) > MAX_TERMS:
        raise UsageError(f"the query has more than {MAX_TERMS} terms")
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    joining = False
    for n, item in enumerate(items):
        if item.kind == "or":
            if not groups or joining or n + 1 == len(items) or items[n + 1].kind == "or":
                raise UsageError("OR needs a word or phrase on each side")
            if items[n - 1].negated or items[n + 1].negated:
                raise UsageError("an excluded term (-word) cannot be part of OR")
            joining = True
            continue
        forms = _terms(item)
        if item.negated:
            excluded += forms
        elif joining:
            groups[-1] += forms
        else:
            groups.append(forms)
        joining = False
    kept = tuple(tuple(g) for g in groups if g)
    if not kept:
        if excluded:
            raise UsageError("the query only excludes (-word): give a word to look for too")
        raise UsageError("the query has no words to look for (only punctuation)")
    return Query(kept, tuple(excluded), text)


def _lex(text: str) -> list[_Token]:
    items: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-"
        if negated:
            i += 1
            if i == n or text[i].isspace():
                raise UsageError("a lone '-': write -word to leave a word out")
        if text[i] == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise UsageError('unbalanced quotes: a phrase opened with " is not closed')
            item = _Token("term", text[i + 1:end], phrase=True, negated=negated)
            i = end + 1
            if i < n and text[i] == "*":
                item.prefix = True
                i += 1
            if i < n and not text[i].isspace() and text[i] != '"':
                raise UsageError('a closing quote must be followed by a space')
            items.append(item)
            continue
        end = i
        while end < n and not text[end].isspace() and text[end] != '"':
            end += 1
        word = text[i:end]
        i = end
        if word == "OR" and not negated:
            items.append(_Token("or"))
            continue
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if not word:
            raise UsageError("a lone '*': write the start of a word before it (clos*)")
        if "*" in word:
            raise UsageError("'*' can only end a word (clos*)")
        items.append(_Token("term", word, prefix=prefix, negated=negated))
    return items


def _terms(item: _Token) -> list[Term]:
    """The normalised term and its other forms (skin tones), or none when nothing searchable
    is left (punctuation only).

    Raises:
        UsageError: a word too long to index, an unknown ``:name:``, or a ``:prefix*`` that
            starts no emoji name.
    """
    normalised = normalise(item.text)
    if item.prefix and not item.phrase and normalised.startswith(":") \
            and normalised.count(":") == 1 and len(normalised) > 1:  # :thumbs* → emoji names
        word = emoji_prefix_word(normalised[1:])
        if word is None:
            raise UsageError(f"no emoji name starts with {_shown(normalised[1:])!r} "
                             "(:name* looks for emoji by the start of their names)")
        return [Term((word,), prefix=True)]
    for _, _, name, word in emoji_name_at(normalised):
        if word is None:
            raise UsageError(f"{_shown(f':{name}:')} is not an emoji name"
                             f"{_close_name(name)}; to look for the word, write it without "
                             "the colons")
    found = normalised_words(normalised, keep_long=True)
    if any(len(w) > MAX_WORD for w in found):
        # PostgreSQL refuses longer lexemes; the index leaves such runs out (tokens.py).
        raise UsageError(f"a word of the query is longer than {MAX_WORD} characters (such "
                         "words are not indexed)")
    if not found:
        return []
    fixed = found[:-1] if item.prefix else found  # a prefix finds the tones by itself
    choices = [[w, *skin_tones(w)] for w in fixed] + ([found[-1:]] if item.prefix else [])
    count = 1
    for options in choices:
        count *= len(options)
    if count > MAX_FORMS:
        raise UsageError(f"{_shown(item.text)!r} stands for {count} emoji forms (skin "
                         f"tones), more than {MAX_FORMS}: name the tones, e.g. "
                         ":thumbs_up_medium_skin_tone:")
    return [Term(tuple(words), prefix=item.prefix) for words in itertools.product(*choices)]


def _close_name(name: str) -> str:
    close = difflib.get_close_matches(name, emoji_names(), n=1) if len(name) < 80 else []
    return f" (did you mean :{close[0]}:?)" if close else ""


def _shown(text: str, width: int = 40) -> str:
    """Part of the query, cut for an error message."""
    return text if len(text) <= width else text[:width - 1] + "…"


def to_fts5(query: Query) -> str:
    """The FTS5 MATCH expression: only double-quoted words, ``*``, AND, OR, NOT and
    parentheses. Words never contain ``"`` (they are letters, digits, marks and ``_``), and
    are escaped anyway."""
    def phrase(term: Term) -> str:
        words = " ".join(w.replace('"', '""') for w in term.words)
        return f'"{words}"' + ("*" if term.prefix else "")

    groups = ["(" + " OR ".join(phrase(t) for t in group) + ")" for group in query.groups]
    expression = "(" + " AND ".join(groups) + ")"
    for term in query.excluded:
        expression = f"({expression} NOT {phrase(term)})"
    return expression


def to_tsquery(query: Query) -> str:
    """The PostgreSQL ``tsquery`` text (cast with ``CAST(:q AS tsquery)``, no dictionary):
    quoted lexemes joined by ``<->`` (phrase), ``&``, ``|`` and ``!``; ``:*`` for a prefix."""
    def lexeme(word: str) -> str:
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"

    def phrase(term: Term) -> str:
        parts = [lexeme(w) for w in term.words]
        if term.prefix:
            parts[-1] += ":*"
        return "(" + " <-> ".join(parts) + ")"

    groups = ["(" + " | ".join(phrase(t) for t in group) + ")" for group in query.groups]
    return " & ".join(groups + [f"!{phrase(t)}" for t in query.excluded])


def describe(term: Term) -> str:
    """A term as the user would write it again (for messages and documentation)."""
    shown = " ".join(w[len(EMOJI_PREFIX):].join("::") if w.startswith(EMOJI_PREFIX) else w
                     for w in term.words)
    return (f'"{shown}"' if len(term.words) > 1 else shown) + ("*" if term.prefix else "")
