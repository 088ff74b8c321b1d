"""Message identity within a chat (DESIGN §3).

A message's identity is derived from its UTC minute, its text and its position among messages
of the same minute and text (the ordinal). Two exports of one chat, from one phone on two
nights or from two phones showing the sender under different names, seconds or not, give the
same identities; the same words sent twice in one minute stay two messages.

Media messages are identified by their kind, not their text: one phone writes
``IMG-….jpg (file attached)``, another ``<attached: …>`` or ``image omitted`` for the same
photo. Deletion notices likewise.
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict
from itertools import chain

MEDIA_KEY = "\x00media"
DELETED_KEY = "\x00deleted"
RECENT_MINUTES = 4096
"""Minutes whose counts are kept as dictionaries; older ones are kept compactly (below)."""


def key_text(kind: str, text: str) -> str:
    """What of a message its identity covers besides the minute."""
    if kind == "media":
        return MEDIA_KEY
    if kind == "deleted":
        return DELETED_KEY
    return text


def identity(minute: str, ordinal: int, key: str) -> str:
    """``minute`` is the UTC minute as ``YYYY-MM-DDTHH:MM``."""
    return hashlib.sha256(f"{minute}\x1f{ordinal}\x1f{key}".encode()).hexdigest()[:32]


class Ordinals:
    """Counts (minute, key) pairs as an export is read.

    Exports are in time order but for clock changes and phones with a wrong clock, so the
    counts of recent minutes are kept as dictionaries and older minutes only as one 64-bit
    hash per message in an array (8 bytes a message, 40 MB for 5,000,000). A minute seen again
    after it left the recent ones (a clock set back by days) takes its counts from there, so
    the same words twice in one minute stay two messages however far apart the file writes
    them. The array is sorted only once such a minute comes; minutes dropped after that wait
    in a small counter, merged into the array when it grows (timsort merges the two runs in
    linear time), so a long stretch of such minutes costs no re-sort per minute.
    """

    def __init__(self, recent: int = RECENT_MINUTES) -> None:
        # OrderedDict: dropping the oldest minute is O(1) (a dict gets slower to iterate from
        # its start as entries are deleted there).
        self._minutes: OrderedDict[str, dict[str, int]] = OrderedDict()
        self._recent = recent
        self._old = array("q")
        """hash((minute, key)) once per message of the minutes dropped from ``_minutes``."""
        self._pending: Counter[int] | None = None
        """Once ``_old`` is sorted: hashes dropped since, not yet merged into it."""
        self._newest_old = ""
        """The latest minute ever dropped: a minute after it cannot be in ``_old``."""
        self._restored: dict[str, dict[str, int]] = {}
        """For minutes seen again: the counts ``_old`` already holds, per key."""

    def next(self, minute: str, key: str) -> int:
        seen = self._minutes.get(minute)
        if seen is None:
            seen = self._minutes[minute] = {}
            if minute <= self._newest_old:
                self._restored[minute] = {}
            if len(self._minutes) > self._recent:
                self._drop(*self._minutes.popitem(last=False))
        ordinal = seen.get(key)
        if ordinal is None:
            ordinal = 0
            base = self._restored.get(minute)
            if base is not None:
                ordinal = base[key] = self._count_old(hash((minute, key)))
        seen[key] = ordinal + 1
        return ordinal

    def _drop(self, minute: str, counts: dict[str, int]) -> None:
        if minute > self._newest_old:
            self._newest_old = minute
        base = self._restored.pop(minute, None) if self._restored else None
        pending = self._pending
        for key, n in counts.items():
            n -= base.get(key, 0) if base else 0
            if n <= 0:
                continue
            h = hash((minute, key))
            if pending is not None:
                pending[h] += n
            elif n == 1:  # nearly always: one message a minute
                self._old.append(h)
            else:
                self._old.extend([h] * n)
        if pending is not None and len(pending) > _MERGE_AT:
            self._merge()

    def _count_old(self, h: int) -> int:
        if self._pending is None:  # the first minute seen again: sort, once
            self._old = array("q", sorted(self._old))
            self._pending = Counter()
        return bisect_right(self._old, h) - bisect_left(self._old, h) + self._pending[h]

    def _merge(self) -> None:
        pending = sorted(self._pending.elements())
        self._old = array("q", sorted(chain(self._old, pending)))  # two sorted runs
        self._pending = Counter()


_MERGE_AT = 65536
"""Distinct hashes waiting in ``Ordinals._pending`` before they are merged."""
