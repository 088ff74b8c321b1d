"""Chat messages pasted into a mail body, and HTML bodies turned into plain text.

A custodian may forward a record by pasting it into a mail (DESIGN §2, channel ``official``).
Two shapes are recognised, both with the export reader's own header grammars (no date or time
grammar lives here): export lines (Android ``3/14/24, 10:22 PM - Name: text``, iOS
``[3/14/24, 10:22:01 PM] Name: text``) and the app's copy format, time first
(``[10:22 AM, 3/14/2024] Name: text``, the ``ios-time-first`` family).

How a body is cut into pasted runs, each read by ``read_export`` as a small export:

* Text before the first message header of a run (a greeting) is ignored.
* A quoted run (lines starting with ``>``) is unquoted one level and read on its own, nested
  quotes likewise; a quote boundary always ends the message before it, and a line ending with
  ``:`` just before a quoted run (``On … wrote:``) is dropped.
* These lines end the message before them, and the text after them up to the next header is
  ignored: the signature delimiter ``-- `` (also ``--``, as clients strip the space),
  ``-----Original Message-----`` / ``---------- Forwarded message ---------``,
  ``Begin forwarded message:``, ``Sent from my …`` and ``Get Outlook for …``.
* A change of header family (copy format, then export lines) starts a new run.
* After the last message of a run, a sign-off is cut: a blank line, then a short line ending
  with a comma (``Thanks,``) and at most one short line without a colon (``Marcus``), then
  nothing else.

Anything else after the last message stays glued to it: a blank line and more text may be the
message's own next paragraph. The matching side compares texts exactly, so text glued on, or
a paragraph cut off, only makes that copy fail to match; neither can make a copy look complete
that is not.
"""

from __future__ import annotations

import dataclasses
import io
import re
from html.parser import HTMLParser

from retainer.errors import AmbiguousDateOrder, InputError
from retainer.formats.container import Container
from retainer.formats.family import Family
from retainer.formats.model import DATE_ORDERS, DateOrder, ParsePolicy
from retainer.formats.reader import FAMILIES, read_export
from retainer.formats.text import strip_marks
from retainer.formats.timestamps import order_evidence

Line = tuple[int, str]
"""A body line: its 1-based number in the body text, and its (unquoted) text."""

_BOUNDARY = re.compile(
    r"--"                                                  # RFC 3676 "-- " (space stripped)
    r"|-{3,} ?(?:Original Message|Forwarded message) ?-{3,}"
    r"|Begin forwarded message:"                           # Apple Mail
    r"|(?:Sent from my|Get Outlook for) \S+(?: \S+){0,3}",  # mobile footers
    re.IGNORECASE)
"""Lines (stripped) that end the pasted message before them."""
_CLOSING = re.compile(r"[^\W\d_][^:,]{0,30},")
"""A sign-off's first line: ``Thanks,``, ``Best regards,``, ``Saludos,``."""


@dataclasses.dataclass(frozen=True)
class PastedMessage:
    """One chat message pasted into a mail body, as the reader reads it."""

    sent_at: str
    """Local wall-clock time, ISO ``YYYY-MM-DDTHH:MM[:SS]`` (seconds when the paste has them)."""
    author: str | None
    """Normalised author slot; None for system notices."""
    text: str
    kind: str
    """``text``, ``media``, ``system`` or ``deleted`` (``ParsedMessage.kind``)."""
    attachment: str | None
    """Media file name the text names (iOS ``<attached: …>``), else None."""
    line: int
    """1-based line of the header within the body text."""


def pasted_messages(body: str, *, date_order: DateOrder | None = None,
                    source: str | None = None) -> list[PastedMessage]:
    """The chat messages pasted into ``body``, in body order (see the module docstring).

    Args:
        body: a body as ``Mail.bodies()`` gives it (plain text; HTML already converted).
        date_order: ``DMY``, ``MDY`` or ``YMD``; by default inferred like the reader: from each
            run's own dates, else from the dates of the whole body when they all agree.
        source: shown in errors (e.g. the mail's ``source``); message text never is.

    Raises:
        AmbiguousDateOrder: a run's dates fit both day-first and month-first, the rest of the
            body does not decide either, and no ``date_order`` was given (DESIGN §4: never
            guessed). The line is the run's first header within the body.
        InputError: an unknown ``date_order``.
    """
    if date_order is not None and date_order not in DATE_ORDERS:
        raise InputError(f"unknown date order {date_order!r} (use DMY, MDY or YMD)", path=source)
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    lines = list(enumerate(text.split("\n"), 1))
    runs = [run for block in _blocks(lines) for run in _runs(block)]
    if not runs:
        return []
    body_orders = {o for _, evidence in runs for o in evidence}
    found: list[PastedMessage] = []
    for run, evidence in runs:
        order = date_order or (evidence[0] if evidence else None)
        if order is None:
            if len(body_orders) != 1:
                raise AmbiguousDateOrder(
                    "pasted messages whose dates fit both day-first and month-first order; "
                    "say which with --date-order", path=source, line=run[0][0])
            (order,) = body_orders
        found.extend(_read_run(run, order, source))
    return found


def _blocks(lines: list[Line]) -> list[list[Line]]:
    """Split at quote boundaries and boundary lines; unquote quoted runs (recursively)."""
    blocks: list[list[Line]] = []
    block: list[Line] = []
    i = 0
    while i < len(lines):
        number, text = lines[i]
        if text.startswith(">"):
            j = i
            while j < len(lines) and lines[j][1].startswith(">"):
                j += 1
            while block and not block[-1][1].strip():
                block.pop()
            if block and block[-1][1].rstrip().endswith(":") and _family(block[-1][1]) is None:
                block.pop()  # the attribution line: "On Tue, … wrote:"
            blocks.append(block)
            block = []
            quoted = [(n, t[2:] if t.startswith("> ") else t[1:]) for n, t in lines[i:j]]
            blocks.extend(_blocks(quoted))
            i = j
            continue
        if _BOUNDARY.fullmatch(text.strip()) and _family(text) is None:
            blocks.append(block)
            block = []
        else:
            block.append((number, text))
        i += 1
    blocks.append(block)
    return blocks


def is_header(line: str) -> bool:
    """Whether a line is a message header of one of the reader's families."""
    return _family(line) is not None


def _family(text: str) -> type[Family] | None:
    """The first family (in the reader's order) whose header grammar matches the line."""
    clean = strip_marks(text)
    for family in FAMILIES:
        if family.header.match(clean):
            return family
    return None


def _runs(block: list[Line]) -> list[tuple[list[Line], list[DateOrder]]]:
    """The block cut where the header family changes, each run starting at a header; with the
    date orders its header dates prove, in order."""
    runs: list[tuple[list[Line], list[DateOrder]]] = []
    current: type[Family] | None = None
    run: list[Line] = []
    evidence: list[DateOrder] = []
    for number, text in block:
        family = _family(text)
        if family is not None and family is not current:
            if run:
                runs.append((run, evidence))
            current, run, evidence = family, [], []
        if current is None:
            continue  # text before the first header
        run.append((number, text))
        if family is current:
            m = current.header.match(strip_marks(text))
            order = order_evidence(m.group("date")) if m else None
            if order is not None:
                evidence.append(order)
    if run:
        runs.append((_cut_sign_off(run), evidence))
    return runs


def _cut_sign_off(run: list[Line]) -> list[Line]:
    """The run without a sign-off after its last message (see the module docstring)."""
    texts = [text.strip() for _, text in run]
    while texts and not texts[-1]:
        texts.pop()
    tail = texts[-2:] if len(texts) >= 4 and not texts[-3] else texts[-1:]
    if len(texts) < 3 or texts[-len(tail) - 1] or not _CLOSING.fullmatch(tail[0]):
        return run
    if len(tail) == 2 and (len(tail[1]) > 40 or ":" in tail[1]):
        return run
    return run[:len(texts) - len(tail) - 1]


def _read_run(run: list[Line], order: DateOrder, source: str | None) -> list[PastedMessage]:
    """The run's messages; none when no header in it has a valid date (the reader then says
    the text "holds no message"). A header with an invalid date is read as text, as the
    reader does, which glues it onto the message before: that one then matches nothing."""
    data = ("\n".join(text for _, text in run) + "\n").encode("utf-8", "replace")
    # Built directly, not with open_container_bytes: this is text we just encoded, and
    # libmagic would call a pasted text with a stray control character "octet-stream".
    container = Container(source or "pasted text", "txt", None, None, (),
                          lambda: io.BytesIO(data))
    export = read_export(container, date_order=order, policy=ParsePolicy(strict=False))
    try:
        return [PastedMessage(m.sent_at, m.author, m.text, m.kind, m.attachment,
                              run[m.line - 1][0]) for m in export.messages()]
    except InputError:
        return []


_BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table", "blockquote", "pre", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "address"})
_HIDDEN_TAGS = frozenset({"head", "style", "script", "title", "template"})
_WHITESPACE = re.compile(r"[ \t\n\r\f]+")


class _TextExtractor(HTMLParser):
    """Rendered text of an HTML body: a line break at ``<br>`` and around block elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities are unescaped for us
        self.lines: list[tuple[int, str]] = []  # (blockquote depth, text)
        self.parts: list[str] = []
        self.depth = 0  # blockquote depth of the line being built
        self.quote = self.hidden = self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag == "br":
            self.end_line(force=True)
        elif tag in _BLOCK_TAGS:
            self.end_line()
            self.quote += tag == "blockquote"
            self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.end_line(force=True)
        elif tag in _BLOCK_TAGS:
            self.end_line()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.end_line()
            if tag == "blockquote":
                self.quote = max(0, self.quote - 1)
            elif tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.pre:
            first, *rest = data.replace("\r\n", "\n").split("\n")
            self.add(first)
            for piece in rest:
                self.end_line(force=True)
                self.add(piece)
            return
        data = _WHITESPACE.sub(" ", data)
        if not self.parts:
            data = data.lstrip(" ")  # source indentation is not rendered
        self.add(data)

    def add(self, data: str) -> None:
        if data:
            if not self.parts:
                self.depth = self.quote
            self.parts.append(data)

    def end_line(self, *, force: bool = False) -> None:
        if self.parts or force:
            depth = self.depth if self.parts else self.quote
            text = "".join(self.parts).rstrip(" ").replace("\u00a0", " ")
            self.lines.append((depth, "" if not text.strip() else text))
            self.parts = []


def html_to_text(html: str) -> str:
    """An HTML body as the plain text a reader sees.

    Line breaks at ``<br>`` and around ``<p>``, ``<div>``, ``<li>`` and other blocks; runs of
    source whitespace become one space (except in ``<pre>``); entities are unescaped; a
    no-break space (editors write ``&nbsp;`` for repeated spaces) becomes a space; a line of
    only spaces becomes empty; ``<blockquote>`` lines get ``> `` per level, so replies are
    unquoted like plain-text ones; ``<head>``, ``<style>`` and ``<script>`` are dropped.
    """
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    parser.end_line()
    return "\n".join((">" * d + " " if d and t else ">" * d) + t for d, t in parser.lines)
