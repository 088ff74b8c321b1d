"""iOS exports: ``[14/03/2024, 22:05:31] Name: text``, and the time-first variant.

iOS writes its own notices (encryption, "X added Y", security codes) with the group or contact
name in the author slot and a U+200E mark before the text; those are system notices with no
author. The mark alone does not make a notice: media placeholders, deletions, call notices,
polls and "Waiting for this message" carry it too and keep their author. A marked text is a
notice when its words are a known notice's, or when it stands in the chat's own slot (the
title from the file name, or a slot that held known notices) that never held a message.
Old exports without marks fall back to the phrase list.
"""

from __future__ import annotations

from retainer.formats import phrases
from retainer.formats.family import Family
from retainer.formats.text import NOTICE_MARK
from retainer.formats.timestamps import BETWEEN, DATE, SPACE, TIME

_NOTICES = phrases.SYSTEM_NOTICES
_SENDER_TEXTS = phrases.SENDER_TEXT_PREFIXES


class IOS(Family):
    name = "ios"
    LEAD = "["
    notices_in_author_slot = True
    HEADER = (rf"\[(?P<stamp>(?P<date>{DATE}){BETWEEN}(?P<time>{TIME}))\]"
              rf"{SPACE}?(?P<rest>[^\n]*)")

    def __init__(self, chat_title: str | None = None) -> None:
        super().__init__(chat_title)
        self.notice_slots: set[str] = set() if chat_title is None else {chat_title}
        """Author slots known to be the chat's own: where iOS writes its notices."""
        self.colon_title = chat_title if chat_title is not None and ": " in chat_title else None
        """The chat title when it holds ``": "`` (see ``split``)."""

    def split(self, rest: str, unmarked_file: bool = True) -> tuple[str | None, str]:
        # A chat title holding ": " ("Ops: Night") would split at its own colon. When the
        # title from the file name and ": " start the rest and the app's notice follows, the
        # slot is the title: a notice is its mark, or, in an old unmarked file and while
        # nobody has written from the slot before the title's colon ("Ops"), the words of a
        # known notice. A member "Ops" typing "Night: ..." writes no mark.
        title = self.colon_title
        if title is not None and rest.startswith(title):
            n = len(title)
            if rest[n:n + 2] == ": ":
                text = rest[n + 2:]
                if text[:1] == NOTICE_MARK or (
                        unmarked_file and rest.partition(": ")[0] not in self.authors
                        and any(p.match(text) for p in _NOTICES)):
                    return title, text
        return super().split(rest, unmarked_file)

    def is_notice(self, slot: str, text: str, marked: bool, unmarked_file: bool) -> bool:
        if not (marked or unmarked_file):
            return False
        if text.startswith(_SENDER_TEXTS):
            # The sender's message in the app's words: keeping the author keeps it subject to
            # 44 U.S.C. § 2911 (DESIGN §5) instead of silently exempt as a system message.
            return False
        own_slot = slot in self.notice_slots and slot not in self.authors
        if marked and own_slot:
            return True  # the chat's own slot, which never held a message
        if any(p.match(text) for p in _NOTICES):
            if slot not in self.authors:
                self.notice_slots.add(slot)
            return True
        # A marked text in words retainer does not know, in a slot that is not the chat's
        # own: the author is kept. A notice read as text stays exempt all the same (its
        # "author" is no custodian); a person's message read as a notice would not.
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
