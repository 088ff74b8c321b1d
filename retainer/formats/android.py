"""Android exports: ``14/03/2024, 22:05 - Name: text``; notices carry no author."""

from __future__ import annotations

import re

from retainer.formats import phrases
from retainer.formats.family import Family
from retainer.formats.timestamps import BETWEEN, DATE, SPACE, TIME


class Android(Family):
    name = "android"
    HEADER = (rf"(?P<stamp>(?P<date>{DATE}){BETWEEN}(?P<time>{TIME}))"
              rf"{SPACE}?[-\u2011]{SPACE}(?P<rest>[^\n]*)")

    def split(self, rest: str, unmarked_file: bool = True) -> tuple[str | None, str]:
        author, sep, text = rest.partition(": ")
        if not sep:
            return None, rest
        # A notice quoting a group name that holds ": " (`X created group "A: B"`, German
        # „A: B“, French « A: B ») splits inside the quotes. So when a quotation mark comes
        # before the first ": " of a slot not yet seen as an author, a rest in the words of a
        # notice that quotes a name is a notice; anything else keeps its author ('Unit 6"
        # Gate: I left'): a notice read as text stays exempt from 44 U.S.C. § 2911 (no
        # custodian wrote it), a person's message read as a notice would silently become so.
        if (author not in self.authors and _QUOTES.search(author)
                and any(p.match(rest) for p in phrases.QUOTED_NAME_NOTICES)):
            return None, rest
        return author, text


_QUOTES = re.compile("[\"“”„«»‘’']")
"""Quotation marks WhatsApp puts around group names (phrases._QO)."""
