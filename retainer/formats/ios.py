"""iOS exports: ``[14/03/2024, 22:05:31] Name: text``, and the time-first variant.

iOS writes its own notices (encryption, "X added Y", security codes) with the group or contact
name in the author slot and a U+200E mark before the text; those are system notices with no
author. Media placeholders, deletions and call notices carry the same mark but keep their
author. Old exports without marks fall back to the phrase list.
"""

from __future__ import annotations

from retainer.formats import phrases
from retainer.formats.family import Family
from retainer.formats.kinds import is_call
from retainer.formats.timestamps import BETWEEN, DATE, SPACE, TIME

_NOTICES = phrases.SYSTEM_NOTICES


class IOS(Family):
    name = "ios"
    LEAD = "["
    notices_in_author_slot = True
    HEADER = (rf"\[(?P<stamp>(?P<date>{DATE}){BETWEEN}(?P<time>{TIME}))\]"
              rf"{SPACE}?(?P<rest>[^\n]*)")

    def is_notice(self, text: str, marked: bool, unmarked_file: bool) -> bool:
        if marked:
            return True
        if unmarked_file:
            return is_call(text) or any(p.match(text) for p in _NOTICES)
        return False


class IOSTimeFirst(IOS):
    """Locales that write the time first: ``[14:56:01, 3/18/22] Name: text`` (Vietnamese),
    also the app's copy-to-clipboard format ``[10:22 AM, 3/14/2024] Name: text``."""

    name = "ios-time-first"
    date_first = False
    HEADER = (rf"\[(?P<stamp>(?P<time>{TIME}),?{SPACE}+(?P<date>{DATE}))\]"
              rf"{SPACE}?(?P<rest>[^\n]*)")


class IOSLegacy(IOS):
    """Old iOS exports: ``12/24/15, 9:14:12 PM: Name: text``."""

    name = "ios-legacy"
    LEAD = ""
    HEADER = rf"(?P<stamp>(?P<date>{DATE}){BETWEEN}(?P<time>{TIME})):{SPACE}(?P<rest>[^\n]*)"
