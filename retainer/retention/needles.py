"""Necessary substrings ("needles") of rule patterns: a cheap test before a regex search.

``pattern_needles(pattern)`` returns strings such that any text a ``patterns`` entry can match
(compiled with ``re.IGNORECASE``, searched in a case-folded search text) contains at least one
of them, or None when it cannot tell. Most messages contain none of a rule's needles, and a
few ``in`` tests cost far less than a regex search; a message that has one is searched as
usual, so the needles only ever skip searches that would fail.

Reading a pattern's structure needs ``re._parser``, CPython's own regex parser. It is private;
if it is missing or changes shape, every pattern simply gets no needles (slower, never wrong).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

try:
    from re import _constants as _c  # type: ignore[attr-defined]  # private; see above
    from re import _parser
except ImportError:  # pragma: no cover - another Python implementation
    _parser = None

_UNSAFE = frozenset("iI")
"""Under ``re.IGNORECASE`` an ``i`` also matches dotless ``ı``, which case folding keeps, so
an ``i`` in a pattern need not be an ``i`` in the search text. Every other ASCII character
matches only characters that case-fold (or lose their accents) to it."""

Needles = frozenset[str]


def pattern_needles(pattern: str) -> Needles | None:
    """Needles of one ``patterns`` entry (lower case), or None when it has none we can trust."""
    if _parser is None:
        return None
    try:
        return _sequence(_parser.parse(pattern, re.IGNORECASE))
    except Exception:  # noqa: BLE001 - an unexpected parse shape only costs speed
        return None


def any_needles(needle_sets: Iterable[Needles | None]) -> Needles | None:
    """Needles of "any of these matches": the union, or None if one of them has none."""
    union: set[str] = set()
    for needles in needle_sets:
        if needles is None:
            return None
        union |= needles
    return frozenset(union)


def _best(candidates: list[Needles]) -> Needles | None:
    """The most selective candidate: the one whose shortest needle is longest."""
    return max(candidates, key=lambda needles: min(map(len, needles)), default=None)


def _sequence(items: Iterable[tuple[object, object]]) -> Needles | None:
    """Needles of a sequence of regex items: its longest literal run, or those of one of its
    required parts (a group, a branch, a repetition of at least once)."""
    candidates: list[Needles] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, value in items:
        if op is _c.LITERAL and value < 128 and chr(value) not in _UNSAFE:  # type: ignore[operator]
            run.append(chr(value).lower())  # type: ignore[arg-type]
            continue
        end_run()
        found = _item(op, value)
        if found:
            candidates.append(found)
    end_run()
    return _best(candidates)


def _item(op: object, value: object) -> Needles | None:
    """Needles of one non-literal item; None for items that need not hold any text."""
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, body = value  # type: ignore[misc]
        return None if add_flags or del_flags else _sequence(body)
    if op is _c.BRANCH:
        _, alternatives = value  # type: ignore[misc]
        return any_needles(_sequence(alternative) for alternative in alternatives)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, body = value  # type: ignore[misc]
        return _sequence(body) if low >= 1 else None
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(value)  # type: ignore[arg-type]
    return None  # one unknown character, an anchor, a look-around, a back-reference
