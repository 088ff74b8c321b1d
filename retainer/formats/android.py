"""Android exports: ``14/03/2024, 22:05 - Name: text``; notices carry no author."""

from __future__ import annotations

from retainer.formats.family import Family
from retainer.formats.timestamps import BETWEEN, DATE, SPACE, TIME


class Android(Family):
    name = "android"
    HEADER = (rf"(?P<stamp>(?P<date>{DATE}){BETWEEN}(?P<time>{TIME}))"
              rf"{SPACE}?[-\u2011]{SPACE}(?P<rest>[^\n]*)")

    def split(self, rest: str) -> tuple[str | None, str]:
        author, sep, text = rest.partition(": ")
        if not sep:
            return None, rest
        # A notice quoting a group name that holds ": " ("X changed the subject to "A: B"")
        # leaves an unbalanced quote in what would be the author.
        if ('"' in author or "“" in author) and (
                author.count('"') % 2 or author.count("“") != author.count("”")):
            return None, rest
        return author, text
