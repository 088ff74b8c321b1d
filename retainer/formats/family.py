"""The interface every export format family implements, and the shared message builder.

A family is one header grammar (where the date, time and author sit on a message's first
line) plus its rule for telling the app's notices from people's messages. Families are listed
in ``retainer.formats.FAMILIES``; a new phone format is a new subclass there.
"""

from __future__ import annotations

import re
from typing import ClassVar

from retainer.formats.kinds import PLAIN, classify, is_call
from retainer.formats.model import Row
from retainer.formats.text import (
    NOTICE_MARK,
    normalise_header,
    strip_marks_keeping_notice_marks,
)

Shape = tuple[str, str, str]
"""The literals of one file's headers: before the stamp, between date and time, after the
stamp (Android en-US: ``("", ", ", " - ")``)."""


class Family:
    """One header grammar. Subclasses set ``name``, ``HEADER`` and ``LEAD``, and may refine
    ``split`` and ``is_notice``."""

    name: ClassVar[str]
    HEADER: ClassVar[str]
    """Regular expression for a message's first line, with named groups ``stamp`` (date and
    time as written), ``date``, ``time`` and ``rest`` (author and text, to the line end)."""
    LEAD: ClassVar[str] = ""
    """Literal text before the stamp (``[`` on iOS)."""
    header: ClassVar[re.Pattern[str]]
    """``HEADER`` compiled."""
    date_first: ClassVar[bool] = True
    notices_in_author_slot: ClassVar[bool] = False
    """Whether the app writes its notices with a name in the author slot (iOS)."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.header = re.compile(cls.HEADER)

    def __init__(self, chat_title: str | None = None) -> None:
        self.chat_title = chat_title
        """The chat's title from the export's file name, when it carries one."""
        self.authors: dict[str, str] = {}
        """Raw author slot → normalised name, for every slot already seen as an author."""

    @classmethod
    def shape_of(cls, m: re.Match[str]) -> Shape:
        """The literals around and inside the stamp of one matched header."""
        line = m.string
        if cls.date_first:
            between = line[m.end("date"):m.start("time")]
        else:
            between = line[m.end("time"):m.start("date")]
        return line[:m.start("stamp")], between, line[m.end("stamp"):m.start("rest")]

    def split(self, rest: str, unmarked_file: bool = True) -> tuple[str | None, str]:
        """(author slot, text) of a header's rest; author None when there is no ``": "``.
        ``unmarked_file``: the file lacks the marks modern iOS puts before its notices."""
        author, sep, text = rest.partition(": ")
        if not sep:
            return None, rest
        return author, text

    def finish(self, line: int, sent_at: str, stamp: str, rest: str, body: list[str] | None,
              unmarked_file: bool) -> Row:
        """The message row whose header is on ``line``; ``body`` holds its further lines."""
        written = None
        if not rest.isascii():
            written = rest.partition(": ")[0]
            rest = strip_marks_keeping_notice_marks(rest)
        author, text = self.split(rest, unmarked_file)
        marked = False
        if not text.isascii():
            marked = text[:1] == NOTICE_MARK and author is not None
            if NOTICE_MARK in text:
                text = text.replace(NOTICE_MARK, "")
        if body:
            while body and not body[-1]:
                body.pop()  # trailing blank lines are the file's, not the message's
            if body:
                text = text + "\n" + "\n".join(body)
        if author is None:
            return (line, sent_at, stamp, None, text, "system", False, None)
        kind, attachment, edited = classify(text)
        if kind == "text":
            # A call notice is the app's, but it keeps its caller. Where the file marks the
            # app's texts (iOS, U+200E), only a marked text is one; elsewhere only the app's
            # exact words are ("Video call, 10:30 tomorrow with CBP" is a person's message).
            # A text's own mark counts even where the file's first lines showed none (a chat
            # cleared, or exported from the middle of its history).
            marked_call = marked and is_call(text, marked=True)
            if self.notices_in_author_slot and not unmarked_file:
                call = marked_call
            else:
                call = marked_call or is_call(text, bare=False)
            if call:
                return (line, sent_at, stamp, self.author(author), text, "system", False, None)
            if self.notices_in_author_slot and self.is_notice(author, text, marked,
                                                               unmarked_file):
                return (line, sent_at, stamp, None, text, "system", False, None)
        name = self.authors.get(author)
        if name is None:
            name = self.author(author)
        if (written is not None and written != author
                and strip_marks_keeping_notice_marks(written) == author):
            # The author slot as written, marks and all (phone numbers come wrapped in
            # U+202A…U+202C): the reader's fast way can then recognise it directly. Only
            # when it is this author's slot with marks: a mark in its ": " (`Ana:\u200f Z`)
            # moves the first ": ", and the raw text before it is no slot of Ana's.
            self.authors[written] = name
        return (line, sent_at, stamp, name, text, kind, edited, attachment)

    def author(self, raw: str) -> str:
        """Normalised author (cached: a chat has few distinct authors)."""
        name = self.authors.get(raw)
        if name is None:
            name = self.authors[raw] = normalise_header(raw)
        return name

    def is_notice(self, slot: str, text: str, marked: bool, unmarked_file: bool) -> bool:
        """Whether ``text`` in author slot ``slot`` is really the app's own notice (not a call:
        ``finish`` has ruled those out). ``marked``: the app's U+200E stands before it."""
        return False


__all__ = ["PLAIN", "Family", "Shape"]
