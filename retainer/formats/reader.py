"""The export reader: detect the format family and date order, then stream messages.

Two passes over the chat text, neither of which holds the file: the first decides the date
order (it stops as soon as one date decides it), the second yields messages.

The second pass is the hot loop. A message header is recognised in one of two ways that give
the same answer: the fast way splits the line at the literals this file uses (learnt from its
first lines, e.g. ``", "`` and ``" - "``) and accepts it when both the date and the time text
are already known to be valid; otherwise the family's full grammar decides, and what it
accepts is remembered. Dates and times repeat, so almost every header takes the fast way.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator

from retainer.errors import AmbiguousDateOrder, InputError
from retainer.formats.android import Android
from retainer.formats.container import Container, decode_error_line, open_container
from retainer.formats.family import Family, Shape
from retainer.formats.ios import IOS, IOSLegacy, IOSTimeFirst
from retainer.formats.kinds import HEADS_BY_FIRST, MAX_WHOLE, TAILS_BY_LAST, WHOLE
from retainer.formats.model import (
    DATE_ORDERS,
    DateOrder,
    Defect,
    ParsedExport,
    ParsePolicy,
    Row,
)
from retainer.formats.text import (
    MARKS_RE,
    NOTICE_MARK,
    strip_marks,
    strip_marks_keeping_notice_marks,
)
from retainer.formats.timestamps import DateError, iso_date, iso_time, order_evidence

FAMILIES: tuple[type[Family], ...] = (Android, IOS, IOSTimeFirst, IOSLegacy)
"""Built-in format families, tried in this order when sniffing a file."""

SNIFF_LINES = 400
"""Lines looked at to decide the format family and its literals."""
MAX_DEFECTS = 1000
"""Defects kept in detail per export; more are counted in one summary defect."""
CHUNK_CHARS = 1 << 18
"""Characters decoded at a time (bigger chunks only cost memory)."""
MAX_LINE_CHARS = 1 << 20
"""Longest physical line read: WhatsApp caps a message at 65,536 characters, so a line many
times longer is not an export (and holding it would break the reader's memory bound)."""
SNIFF_LINE_CHARS = 1024
"""How much of each of the first lines sniffing keeps (headers are short)."""


def read_export(source: str | os.PathLike[str] | Container, *,
                date_order: DateOrder | None = None,
                policy: ParsePolicy = ParsePolicy()) -> ParsedExport:
    """Open an export (``.txt`` or ``.zip``) and get ready to stream its messages.

    Args:
        source: a path, or a ``Container`` (e.g. an export found inside a mail).
        date_order: ``DMY``, ``MDY`` or ``YMD`` to override inference.
        policy: what to do with problems (see ``ParsePolicy``).

    Raises:
        InputError: not an export, or unreadable. Problems inside the text (an invalid date,
            text before the first header) are raised or recorded by ``messages()``.
        AmbiguousDateOrder: every date fits both DMY and MDY and no ``date_order`` was given.
    """
    container = source if isinstance(source, Container) else open_container(source)
    if date_order is not None and date_order not in DATE_ORDERS:
        raise InputError(f"unknown date order {date_order!r} (use DMY, MDY or YMD)",
                         path=container.path)
    family, shape, unmarked, encoding = _sniff(container)
    if date_order is None:
        order: DateOrder = _infer_date_order(container, family)
        order_source = "inferred"
    else:
        order, order_source = date_order, "given"
    return ParsedExport(
        path=container.path,
        container=container.kind,
        chat_member=container.chat_member,
        chat_title=container.chat_title,
        encoding=encoding,
        family=family.name,
        date_order=order,
        date_order_source=order_source,  # type: ignore[arg-type]
        media=container.media,
        defects=list(container.defects),
        _batches=lambda export, fast=True: _batches(export, container, family, shape,
                                                    unmarked, policy, fast=fast),
    )


def _line_chunks(container: Container) -> Iterator[list[str]]:
    """The chat text as lists of lines (newlines removed, universal newlines).

    A line longer than a chunk is kept in pieces and joined once, when it ends.

    Raises:
        InputError: the text does not decode, or a line is over ``MAX_LINE_CHARS``.
    """
    with container.chat_text() as (encoding, stream):
        pieces: list[str] = []  # the line not yet ended
        held = 0  # characters in pieces
        done = 0  # lines yielded so far
        try:
            while True:
                data = stream.read(CHUNK_CHARS)
                if not data:
                    if pieces:
                        yield ["".join(pieces)]
                    return
                lines = data.split("\n")
                if pieces:  # a line begun in an earlier chunk
                    pieces.append(lines[0])
                    held += len(lines[0])
                    if held > MAX_LINE_CHARS:
                        raise _too_long(container, done + 1)
                    if len(lines) == 1:
                        continue  # and it goes on
                    lines[0] = "".join(pieces)
                    pieces = []
                last = lines.pop()
                if last:  # shorter than a chunk, so than MAX_LINE_CHARS
                    pieces, held = [last], len(last)
                if lines:
                    done += len(lines)
                    yield lines
        except UnicodeDecodeError:
            raise InputError(f"is not valid {encoding.upper()} text", path=container.path,
                             line=_locate_decode_error(container, encoding)) from None


def _too_long(container: Container, line: int) -> InputError:
    return InputError(f"has a line longer than {MAX_LINE_CHARS:,} characters, which no "
                      "WhatsApp export has", path=container.path, line=line)


def _locate_decode_error(container: Container, encoding: str) -> int | None:
    with container.chat_bytes() as raw:
        return decode_error_line(raw, encoding)


def _head_lines(container: Container) -> tuple[list[str], str]:
    """The start (``SNIFF_LINE_CHARS``) of each of the first ``SNIFF_LINES`` lines."""
    with container.chat_text() as (encoding, stream):
        lines = []
        try:
            while len(lines) < SNIFF_LINES:
                line = stream.readline(MAX_LINE_CHARS + 1)
                if not line:
                    break
                if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
                    raise _too_long(container, len(lines) + 1)
                lines.append(line[:SNIFF_LINE_CHARS].rstrip("\n"))
        except UnicodeDecodeError:
            raise InputError(f"is not valid {encoding.upper()} text", path=container.path,
                             line=_locate_decode_error(container, encoding)) from None
    return lines, encoding


def _sniff(container: Container) -> tuple[type[Family], Shape, bool, str]:
    """The family whose header matches most of the first lines; the literals its headers
    use most; whether the file lacks the marks modern iOS puts before its notices; the
    text encoding."""
    lines, encoding = _head_lines(container)
    counts: Counter[type[Family]] = Counter()
    shapes: dict[type[Family], Counter[Shape]] = {f: Counter() for f in FAMILIES}
    marked = False
    for line in lines:
        if not line.isascii():
            marked = marked or NOTICE_MARK in line
            line = strip_marks(line)
        for family in FAMILIES:
            m = family.header.match(line)
            if m is not None:
                counts[family] += 1
                shapes[family][family.shape_of(m)] += 1
    if not counts:
        raise InputError("is not a WhatsApp chat export: no line looks like a message header",
                         path=container.path)
    best = max(FAMILIES, key=lambda f: counts[f])
    return best, shapes[best].most_common(1)[0][0], not marked, encoding


def _infer_date_order(container: Container, family: type[Family]) -> DateOrder:
    """DESIGN §4: decided by the first date that fits only one order; never guessed."""
    match = family.header.match
    seen: set[str] = set()
    for lines in _line_chunks(container):
        for line in lines:
            if not line.isascii():
                line = strip_marks(line)
            m = match(line)
            if m is None:
                continue
            date = m.group("date")
            if date in seen:
                continue
            seen.add(date)
            evidence = order_evidence(date)
            if evidence is not None:
                return evidence
    raise AmbiguousDateOrder(
        "every date fits both day-first and month-first order; say which with "
        "--date-order DMY or --date-order MDY (or date_order for its source)",
        path=container.path)


def _batches(export: ParsedExport, container: Container, family_type: type[Family],
             shape: Shape, unmarked: bool, policy: ParsePolicy, *,
             fast: bool) -> Iterator[list[Row]]:
    """Pass two: lists of message rows, in file order, one list per chunk of text.

    Each read starts a fresh ``Family`` (what it learns about authors depends on file order
    only, so every read gives the same rows). ``fast=False`` is for tests: every line then
    goes through the full grammar and ``Family.finish``, which must give the same rows.
    """
    family = family_type(container.chat_title)
    defects = export.defects
    defects[:] = container.defects
    dropped = 0

    def defect(line: int, kind: str, detail: str = "") -> None:
        nonlocal dropped
        if len(defects) < MAX_DEFECTS:
            defects.append(Defect(line, kind, detail))
        else:
            dropped += 1

    lead, between, after = shape
    if not fast or not after[-1:].isspace():
        after = "\n"  # never found in a line: every line takes the full grammar
    n_lead, n_after = len(lead), len(after)
    date_first = family.date_first
    dates: dict[str, str] = {}  # date text → "YYYY-MM-DDT"
    times: dict[str, str] = {}  # time text → "HH:MM[:SS]"
    # The fast way looks up the text before `between` in `first` and after it in `second`.
    # `first` is its own dict, keyed by `lead` + text only: sharing the dates (or times) cache
    # would let a line without the lead (`14/03/2024, 22:05:31] x`, no `[`) pass as a header.
    first: dict[str, str] = {}
    second = times if date_first else dates
    match = family.header.match
    finish = family.finish
    order = export.date_order
    strict = policy.strict
    # What the inline plain-message case needs to know it agrees with Family.finish.
    authors = family.authors
    whole, max_whole = WHOLE, MAX_WHOLE
    heads, tails = HEADS_BY_FIRST.get, TAILS_BY_LAST.get
    inline = fast and not (family.notices_in_author_slot and unmarked)
    strip = strip_marks_keeping_notice_marks
    has_marks = MARKS_RE.search
    previous = ""
    # The open message, and `body`, its further lines.
    c_line, c_sent, c_stamp, c_rest = 0, "", "", ""
    body: list[str] | None = None
    lineno = 0
    for lines in _line_chunks(container):
        rows: list[Row] = []
        append = rows.append
        for line in lines:
            lineno += 1
            if line[:1] == NOTICE_MARK:  # iOS marks its own lines; the header comes after
                line = line[1:]
            i = line.find(after)
            sent_at = ""
            if i > 0:
                stamp = line[:i]
                a, b, c = stamp.partition(between)
                x = first.get(a)
                y = second.get(c)
                if x is not None and y is not None and b:
                    sent_at = x + y if date_first else y + x
                    if n_lead:
                        stamp = stamp[n_lead:]
                    rest = line[i + n_after:]  # marks, if any, are Family.finish's business
            if not sent_at:
                clean = line if line.isascii() else strip(line)
                m = match(clean)
                if m is not None:
                    date_s, time_s = m.group("date", "time")
                    try:
                        day = dates.get(date_s)
                        if day is None:
                            day = iso_date(date_s, order) + "T"
                        clock = times.get(time_s)
                        if clock is None:
                            clock = iso_time(time_s)
                    except DateError as exc:
                        if strict:
                            raise InputError(str(exc), path=container.path,
                                             line=lineno) from None
                        defect(lineno, "bad_date", str(exc))
                    else:
                        dates[date_s], times[time_s] = day, clock
                        # Remember under the key the fast way will use next time.
                        if date_first:
                            first[lead + date_s] = day
                        else:
                            first[lead + time_s] = clock
                        sent_at = day + clock
                        stamp, rest = m.group("stamp", "rest")
                if not sent_at:
                    if NOTICE_MARK in clean:
                        clean = clean.replace(NOTICE_MARK, "")
                    if c_sent:
                        if body is None:
                            body = [clean]
                        else:
                            body.append(clean)
                    elif clean.strip():
                        if strict:
                            raise InputError("text before the first message header (not a "
                                             "WhatsApp export, or its start is cut off)",
                                             path=container.path, line=lineno)
                        defect(lineno, "leading_text")
                    continue
            if c_sent:
                # Family.finish, inlined for the common case: one line, plain text, known
                # author, no invisible marks.
                author, sep, text = c_rest.partition(": ")
                if (inline and body is None and sep and author in authors
                        and (text.isascii() or not has_marks(text))
                        and (len(text) > max_whole or text not in whole)
                        and not text.endswith(tails(text[-1:], ()))
                        and not text.startswith(heads(text[:1], ()))):
                    append((c_line, c_sent, c_stamp, authors[author], text, "text", False,
                            None))
                else:
                    append(finish(c_line, c_sent, c_stamp, c_rest, body, unmarked))
                    body = None
            if sent_at < previous:
                defect(lineno, "out_of_order", "earlier than the message before it")
            previous = c_sent = sent_at
            c_line = lineno
            c_stamp = stamp
            c_rest = rest
        if rows:
            yield rows
    if not c_sent:
        raise InputError("holds no message", path=container.path)
    yield [finish(c_line, c_sent, c_stamp, c_rest, body, unmarked)]
    if dropped:
        defects.append(Defect(0, "more_defects", f"{dropped} more defects not listed"))
