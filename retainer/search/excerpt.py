"""Highlighted excerpts: a short single-line window of the original text around the first
match, with every match inside the window marked.

Matching is done on the words of the text (``tokens.word_spans``), so it ignores case and
accents and knows emoji by name, exactly like the index; what is shown is the text as
archived. Control characters are shown as U+FFFD so that a message cannot drive the terminal.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from retainer.search.query import Term
from retainer.search.tokens import word_spans

WIDTH = 100
"""Characters of text in an excerpt."""
BEFORE = 30
"""Characters shown before the first match, when there are that many."""
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE_RE = re.compile(r"[\t\n\r\v\f]")


@dataclasses.dataclass(frozen=True)
class Excerpt:
    """``text`` (one line) and the (start, end) ranges in it to highlight."""

    text: str
    marks: tuple[tuple[int, int], ...]

    def marked(self, start: str, end: str) -> str:
        """The text with each mark wrapped in ``start`` … ``end`` (``[``/``]``, or ANSI bold)."""
        out, last = [], 0
        for a, b in self.marks:
            out += [self.text[last:a], start, self.text[a:b], end]
            last = b
        out.append(self.text[last:])
        return "".join(out)


def printable(text: str) -> str:
    """``text`` with control characters (other than tab and newline) shown as U+FFFD."""
    return _CONTROL_RE.sub("\ufffd", text)


def matches(text: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    """(start, end) in ``text`` of every occurrence of any of ``terms``, in order."""
    if not terms:
        return []
    spans = word_spans(text)
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        best = 0
        for term in terms:
            n = len(term.words)
            if i + n > len(spans):
                continue
            window = spans[i:i + n]
            if all(w == s[0] for w, s in zip(term.words[:-1], window, strict=False)) and (
                    window[-1][0].startswith(term.words[-1]) if term.prefix
                    else window[-1][0] == term.words[-1]):
                best = max(best, n)
        if best:
            found.append((spans[i][1], spans[i + best - 1][2]))
            i += best
        else:
            i += 1
    return found


def excerpt(text: str, terms: Sequence[Term], width: int = WIDTH) -> Excerpt:
    """A one-line window of ``text`` around its first match of ``terms`` (its beginning when
    nothing matches), with the matches inside it marked and ``…`` where it was cut."""
    found = matches(text, terms)
    start = max(0, found[0][0] - BEFORE) if found else 0
    if found and len(text) - start < width:
        start = max(0, len(text) - width)
    end = min(len(text), start + width)
    # One character for one character, so that positions stay valid.
    line = _SPACE_RE.sub(" ", printable(text[start:end]))
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    marks = tuple((max(a, start) - start + len(lead), min(b, end) - start + len(lead))
                  for a, b in found if a < end and b > start)
    return Excerpt(lead + line + tail, marks)
