"""The import's computing, batch by batch, apart from the database: messages in, rows out.

For each batch of parsed messages: the UTC instant, the identity (``identity``), whether the
archive already holds it (``known``, looked up by the caller), and then the rows to write —
new messages, one capture per message, the full-text index rows — with the bytes the
import's digest covers. Nothing here touches a session, so the same code runs in the
importing process or in the import worker beside it (``worker``), with identical results.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

from retainer.formats.model import Row
from retainer.ingest.digests import DIGEST_VERSION, utc_key
from retainer.ingest.digests import message_digest as content_digest
from retainer.ingest.identity import Ordinals, key_text
from retainer.ingest.merge import Replacements
from retainer.people import account_key
from retainer.search.index import prepare_rows
from retainer.timezones import LocalClock

Known = dict[str, tuple[int, str, "str | None", "str | None"]]
"""identity → (message id, kind, text for media and deletions, author key) of archived ones."""
Lookup = Callable[[int, list[str]], Known]
"""(chat id, the batch's UTC minutes) → ``Known`` for at least every identity of those
minutes (``writer.existing``)."""

_NO_KEY = "\x00no key"
_EPOCH = dt.datetime(1970, 1, 1)


@dataclasses.dataclass(frozen=True)
class Plan:
    """What the computing needs to know of the export being imported (picklable)."""

    dialect: str
    chat_id: int
    chat_is_new: bool
    export_id: int
    audit_id: int
    timezone: str
    channel: str
    captured_at: dt.datetime
    media: frozenset[str]
    """Media files that reached custody with the export (its zip, or the mail)."""
    next_id: int
    """The first message id this import may use (the caller holds the write lock)."""
    digest_version: int = DIGEST_VERSION

    def message_columns(self) -> dict[str, object]:
        """The message columns every row of this export shares (``writer.messages``)."""
        return {"chat_id": self.chat_id, "timezone": self.timezone,
                "export_id": self.export_id, "audit_id": self.audit_id}

    def capture_columns(self, captured_at: object) -> dict[str, object]:
        """The capture columns every row of this export shares, ``captured_at`` as the
        driver takes it (``writer.captures``)."""
        return {"export_id": self.export_id, "mail_id": None, "channel": self.channel,
                "captured_at": captured_at, "audit_id": self.audit_id}


@dataclasses.dataclass
class Prepared:
    """One batch, ready to write."""

    messages: int
    seen_again: int
    new_rows: list[tuple]
    """In ``writer.MESSAGE_COLUMNS`` order, ``sent_at`` as the driver takes it."""
    capture_rows: list[tuple]
    """In ``writer.CAPTURE_COLUMNS`` order (the export's shared columns: ``fixed_columns``)."""
    index_rows: list[tuple]
    """``search.index.prepare_rows`` output for the new messages."""
    digest_messages: bytes
    digest_captures: bytes


@dataclasses.dataclass
class Outcome:
    """What the whole export showed, once every batch is prepared."""

    low: str
    high: str
    """The first and last UTC instant (``YYYY-MM-DDTHH:MM:SS``), empty when no message."""
    named: dict[str, int]
    """Attachment file name → the message naming it."""
    replacements: Replacements | None
    author_pairs: Counter
    """(author key stored, author key this export shows) → messages seen again under
    another author (an author conflict, unless both resolve to one person)."""
    defects: list
    worker_cpu: float | None = None
    """The import worker's CPU seconds, when one prepared the export (for benchmarks)."""


class Preparer:
    """Turns one export's batches into rows (see the module docstring)."""

    def __init__(self, plan: Plan, replacements: Replacements | None) -> None:
        self.plan = plan
        self.to_utc = LocalClock(plan.timezone).to_utc
        self.ordinal_of = Ordinals().next
        self.next_id = plan.next_id
        self.sqlite = plan.dialect == "sqlite"
        self.captured_key = utc_key(plan.captured_at)
        self.authors: dict[str | None, str | None] = {None: None}
        self.minutes: dict[str, int] = {}  # UTC minute → its seconds since 1970
        self.replacements = replacements
        self.named: dict[str, int] = {}
        self.author_pairs: Counter = Counter()
        self.low = self.high = ""

    def identities(self, rows: Sequence[Row]) -> list[tuple]:
        """Phase 1 of a batch: each message with its UTC instant and identity."""
        to_utc, ordinal_of, sha256 = self.to_utc, self.ordinal_of, hashlib.sha256
        batch = []
        last = None
        for line, sent_at, stamp, author, text, kind, edited, attachment in rows:
            if sent_at != last:  # messages come in bursts: the same time text again
                last = sent_at
                naive, flag = to_utc(sent_at)
                when = naive.isoformat()  # "YYYY-MM-DDTHH:MM:SS": exports have no fractions
                minute = when[:16]
            key = text if kind == "text" or kind == "system" else key_text(kind, text)
            ordinal = ordinal_of(minute, key)
            ident = sha256(f"{minute}\x1f{ordinal}\x1f{key}".encode()).hexdigest()[:32]
            batch.append((ident, ordinal, when, naive, flag, line, sent_at, stamp, author,
                          text, kind, edited, attachment))
        if batch:
            low, high = min(b[2] for b in batch), max(b[2] for b in batch)
            self.low = min(self.low or low, low)
            self.high = max(self.high, high)
        return batch

    def build(self, batch: list[tuple], known: Known) -> Prepared:
        """Phase 2: the rows of a batch, given which identities the archive already holds."""
        plan = self.plan
        chat_id, export_id, zone = plan.chat_id, plan.export_id, plan.timezone
        channel, media, sqlite = plan.channel, plan.media, self.sqlite
        authors, minutes = self.authors, self.minutes
        replacements, named = self.replacements, self.named
        new_rows, capture_rows, new_seconds, added, sighted = [], [], [], [], []
        seen_again = 0
        next_id = self.next_id
        for (ident, ordinal, when, naive, flag, line, sent_at, stamp, author, text, kind,
             edited, attachment) in batch:
            hit = known.get(ident)
            shown = None
            author_key = authors.get(author, _NO_KEY)
            if author_key is _NO_KEY:
                author_key = authors[author] = account_key(author)  # type: ignore[arg-type]
            if hit is None:
                message_id = next_id
                next_id += 1
                known[ident] = (message_id, kind, text, author_key)
                content = content_digest(ident, when, sent_at, stamp, zone, flag, author, kind,
                                         edited, text, attachment)
                new_rows.append((message_id, ident, ordinal,
                                 when.replace("T", " ") + ".000000" if sqlite
                                 else naive.replace(tzinfo=dt.UTC),
                                 sent_at, stamp, flag, author, author_key, kind, edited,
                                 text, attachment, content))
                added.append(f"{message_id}\x1f{chat_id}\x1f{export_id}\x1f{ident}\x1f"
                             f"{content}\x1e" if plan.digest_version >= 2
                             else f"{ident}\x1f{content}\x1e")
                minute = when[:16]
                minute_second = minutes.get(minute)
                if minute_second is None:
                    if len(minutes) > 100_000:
                        minutes.clear()
                    minute_second = minutes[minute] = int(
                        (naive.replace(second=0) - _EPOCH).total_seconds())
                new_seconds.append(minute_second + int(when[17:19]))
                if replacements is not None:
                    replacements.seen(message_id, minute, author_key, kind, edited, export_id)
            else:
                message_id = hit[0]
                seen_again += 1
                if hit[2] is not None and hit[2] != text:
                    shown = text  # the same media or deletion, written differently here
                if hit[3] != author_key and kind != "system":
                    self.author_pairs[hit[3], author_key] += 1
            if attachment is not None:
                named.setdefault(attachment, message_id)
            complete = kind != "media" or (attachment is not None and attachment in media)
            # The export row links the mail it came in; a capture names one source.
            capture_rows.append((message_id, line, author, shown, complete))
            sighted.append(f"{message_id}\x1f{export_id}\x1fNone\x1f{line}\x1f{channel}\x1f"
                           f"{self.captured_key}\x1f{author}\x1f{shown}\x1f{complete:d}\x1e")
        self.next_id = next_id
        index_rows = prepare_rows(plan.dialect, (
            (row[0], second, row[11]) for row, second in zip(new_rows, new_seconds,
                                                              strict=True)))
        return Prepared(len(batch), seen_again, new_rows, capture_rows, index_rows,
                        "".join(added).encode(), "".join(sighted).encode())

    def outcome(self, defects: Iterable) -> Outcome:
        return Outcome(self.low, self.high, self.named, self.replacements, self.author_pairs,
                       list(defects))


def prepared(plan: Plan, batches: Iterable[Sequence[Row]], lookup: Lookup,
             replacements: Replacements | None,
             defects: Callable[[], Iterable]) -> Iterator[Prepared | Outcome]:
    """Every batch prepared, then the ``Outcome``; ``lookup(chat_id, minutes)`` says which
    messages of the batch's minutes the archive holds (never called for a new chat)."""
    preparer = Preparer(plan, replacements)
    for rows in batches:
        batch = preparer.identities(rows)
        known = {} if plan.chat_is_new else lookup(plan.chat_id, [b[2][:16] for b in batch])
        yield preparer.build(batch, known)
    yield preparer.outcome(defects())
