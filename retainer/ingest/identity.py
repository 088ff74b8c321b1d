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
from collections import OrderedDict

MEDIA_KEY = "\x00media"
DELETED_KEY = "\x00deleted"
RECENT_MINUTES = 4096
"""Minutes whose ordinals are remembered; exports are in time order but for clock changes."""


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
    """Counts (minute, key) pairs as an export is read, remembering recent minutes only."""

    def __init__(self) -> None:
        # OrderedDict: dropping the oldest minute is O(1) (a dict gets slower to iterate from
        # its start as entries are deleted there).
        self._minutes: OrderedDict[str, dict[str, int]] = OrderedDict()

    def next(self, minute: str, key: str) -> int:
        seen = self._minutes.get(minute)
        if seen is None:
            seen = self._minutes[minute] = {}
            if len(self._minutes) > RECENT_MINUTES:
                self._minutes.popitem(last=False)
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        return ordinal
