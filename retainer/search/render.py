"""Terminal text for search results, threads and the access log (no click: the commands
echo these lines). Message text is passed through ``excerpt.printable`` so that it cannot
drive the terminal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from retainer.search.access import LogLine
from retainer.search.engine import Hit
from retainer.search.excerpt import printable
from retainer.search.thread import Thread, ThreadMessage

BOLD = ("\x1b[1m", "\x1b[0m")
BRACKETS = ("[", "]")
SEARCH_CSV_COLUMNS = ("message_id", "chat", "sent_at_utc", "sent_at_local", "timezone",
                      "author", "person", "kind", "excerpt")


def local_time(local: str, zone: str) -> str:
    """``2026-12-14T22:02`` in ``America/Chicago`` → ``2026-12-14 22:02 America/Chicago``."""
    return f"{local.replace('T', ' ')} {zone}"


def who(author: str | None, person: str | None) -> str:
    if author is None:
        return "(notice)"
    return author if person in (None, author) else f"{author} ({person})"


def hit_lines(hits: list[Hit], marks: tuple[str, str], *, limit: int | None) -> Iterator[str]:
    """Two lines per hit (where and who, then the excerpt), then a count."""
    for hit in hits:
        yield (f"#{hit.message_id}  {local_time(hit.sent_at_local, hit.timezone)}  "
               f"{printable(hit.chat)}  {printable(who(hit.author, hit.person))}")
        yield "    " + (hit.excerpt.marked(*marks) if hit.excerpt else "")
    more = " (the limit: more may match; raise --limit)" if limit and len(hits) == limit else ""
    yield f"{len(hits)} message{'s' * (len(hits) != 1)}{more}"


def search_row(hit: Hit) -> dict[str, object]:
    return {"message_id": hit.message_id, "chat": hit.chat,
            "sent_at_utc": hit.sent_at.astimezone(dt.UTC).isoformat(),
            "sent_at_local": hit.sent_at_local, "timezone": hit.timezone,
            "author": hit.author, "person": hit.person, "kind": hit.kind,
            "excerpt": hit.excerpt.marked(*BRACKETS) if hit.excerpt else ""}


def thread_lines(thread: Thread) -> Iterator[str]:
    """A chat as a conversation: day separators, time, author, text and markers."""
    yield f"══ {printable(thread.chat)} ══"
    if thread.more_before:
        yield "   … earlier messages (raise --before)"
    day = None
    for item in thread.messages:
        m = item.message
        if m.sent_at_local[:10] != day:
            day = m.sent_at_local[:10]
            yield f"── {day} ({m.timezone}) ──"
        yield from _message_lines(item)
    if thread.more_after:
        yield "   … later messages (raise --after or --limit, or narrow with --until)"


def _message_lines(item: ThreadMessage) -> Iterator[str]:
    m = item.message
    markers = []
    if m.kind == "media":
        markers.append("media" + (f": {m.attachment}" if m.attachment else ""))
    elif m.kind == "deleted":
        markers.append("deleted")
    if m.edited:
        markers.append("edited")
    markers += [event.replace("_", " ") for event in item.events]
    tags = "".join(f" [{printable(t)}]" for t in markers)
    text = printable(m.text).split("\n")
    time = m.sent_at_local[11:16]
    if m.kind == "system":
        yield f"{time}  * {text[0]}{tags}  #{m.message_id}"
    else:
        yield f"{time}  {printable(who(m.author, m.person))}: {text[0]}{tags}  #{m.message_id}"
    for line in text[1:]:
        yield f"       {line}"
    for source in item.sources or ():
        where = (f"export {source.export_id}" if source.export_id is not None
                 else f"mail {source.mail_id}")
        whose = " ".join(filter(None, (source.custodian, source.account and
                                       f"<{source.account}>")))
        whose = f", {printable(whose)}" if whose else ""
        complete = "" if source.complete else ", incomplete"
        captured = f"{source.captured_at.astimezone(dt.UTC):%Y-%m-%d %H:%MZ}"
        yield (f"       ↳ {source.channel} {where}{whose}: {printable(source.file)} line "
               f"{source.line}, captured {captured}{complete}")


def audit_lines(lines: list[LogLine]) -> Iterator[str]:
    yield f"{'ID':>6}  {'TIME (UTC)':<19}  {'OPERATOR':<16}  {'ACTION':<8}  DETAILS"
    for line in lines:
        yield (f"{line.id:>6}  {line.at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S}  "
               f"{printable(line.operator)[:16]:<16}  {line.action:<8}  "
               f"{printable(line.summary)}")
