"""Filing archived messages under the schedules in use (DESIGN §6), in bulk.

Every message gets exactly one current filing — its newest row in ``filings`` — naming the
schedule id and version, the category and the rule that decided it, and why. Filing is
append-only: re-classifying after a schedule change adds a filing only where the outcome
changed, so the earlier filings stay as history. Each run is one audit entry whose digest
covers the filings it added.

A filing can also change without any schedule change: a rule with a ``channels`` condition
looks at where a message was captured, and a message may gain a capture (an official copy)
after it was filed. So when a schedule in use has such a rule, each run also re-files the
messages that gained a capture of a channel those rules name since the previous run (each
run's audit entry records the newest capture it took into account, ``captures_through``).

Filing works a batch at a time (``BATCH`` messages): one read per batch for the messages, and
for their captures and current filings only when needed; rules prepared once per (kind,
role, chat, channels) (``RuleBook``); the search text normalised only for messages some rule
reads the text of; the filings written with one executemany (``COPY`` on PostgreSQL) per
batch and digested as they are written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from retainer.archive import Archive
from retainer.archive.audit import begin_entry, current_operator, seal
from retainer.archive.models import AuditEntry, Capture, Chat, Message
from retainer.archive.models import Filing as FilingRow
from retainer.config import Person, Settings
from retainer.ingest.digests import ImportDigest, utc_key
from retainer.people import account_key
from retainer.retention.rulebook import rulebook_for
from retainer.retention.rules import MessageFacts, RuleBook, rule_text

__all__ = ["BATCH", "FilingCounts", "channels_of", "current_filings", "file_archive",
           "file_messages", "filing_rows", "roles_by_key", "rulebook_for", "unfiled_count"]

BATCH = 5000
FILING_COLUMNS = ("message_id", "schedule_id", "schedule_version", "category", "rule",
                  "reason", "filed_at", "audit_id")
_NO_CHANNELS: frozenset[str] = frozenset()

_Outcome = tuple[str, str, str, "str | None"]


@dataclasses.dataclass
class FilingCounts:
    examined: int = 0
    filed: int = 0
    """Filings added (new messages, or changed outcomes when re-classifying)."""
    unchanged: int = 0
    rechecked: int = 0
    """Filed messages examined again because they gained a capture (see the module doc)."""


def roles_by_key(people: Iterable[Person]) -> dict[str, str]:
    """account key → the person's role, for every alias and official account."""
    roles = {}
    for person in people:
        if person.role:
            for account in (person.name, *person.aliases, *person.official_accounts):
                if key := account_key(account):
                    roles[key] = person.role
    return roles


def _among(column, ids: Sequence[int]) -> ColumnElement[bool]:
    """``column IN ids`` for sorted ``ids``; a range when they are dense (an index range scan
    is far cheaper than thousands of bound parameters). Callers ignore ids not asked for."""
    if ids[-1] - ids[0] < 2 * len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(ids)


def _fetch(session: Session, statement: Select) -> list[tuple]:
    """The rows of a SELECT whose parameters are all integers, through the driver's cursor
    in the session's transaction: plain tuples, several times faster than result rows for
    the hundreds of thousands of rows filing reads. (Integers only, so the literal values
    rendered into the SQL are safe.)"""
    sql = str(statement.compile(dialect=session.get_bind().dialect,
                                compile_kwargs={"literal_binds": True}))
    cursor = session.connection().connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def current_filings(session: Session, message_ids: Sequence[int]) -> dict[int, _Outcome]:
    """message id → (schedule, version, category, rule) of its newest filing."""
    if not message_ids:
        return {}
    ids = sorted(message_ids)
    rows = _fetch(session, select(FilingRow.message_id, FilingRow.schedule_id,
                                  FilingRow.schedule_version, FilingRow.category,
                                  FilingRow.rule)
                  .where(_among(FilingRow.message_id, ids))
                  .order_by(FilingRow.message_id, FilingRow.id))
    return {row[0]: tuple(row[1:]) for row in rows}  # the newest filing comes last


def channels_of(session: Session, message_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """message id → the channels it was captured through."""
    if not message_ids:
        return {}
    found: dict[int, set[str]] = defaultdict(set)
    query = select(Capture.message_id, Capture.channel).where(
        _among(Capture.message_id, sorted(message_ids))).distinct()
    for message_id, channel in _fetch(session, query):
        found[message_id].add(channel)
    return {k: frozenset(v) for k, v in found.items()}


def _batches(session: Session, reclassify: bool) -> Iterator[list[tuple]]:
    """Messages to file, read in id ranges (never one long cursor, so the filings written
    between batches cannot disturb it, and memory stays flat)."""
    last = -1
    while True:
        query = (select(Message.id, Message.chat_id, Message.author_key, Message.kind,
                        Message.text).where(Message.id > last)
                 .order_by(Message.id).limit(BATCH))
        if not reclassify:
            query = query.where(~exists().where(FilingRow.message_id == Message.id))
        batch = _fetch(session, query)
        if not batch:
            return
        last = batch[-1][0]
        yield batch


def _gained_captures(session: Session, rulebook: RuleBook,
                     since: tuple[str, int] | None) -> list[int]:
    """Ids of the messages with a capture newer than ``since`` (``_captures_through``)
    through a channel some rule names, in order."""
    if since is None or not rulebook.channels:
        return []
    newer = Capture.id > since[1] if since[0] == "capture" else Capture.audit_id > since[1]
    return sorted(session.scalars(select(Capture.message_id).distinct().where(
        newer, Capture.channel.in_(sorted(rulebook.channels)))))


def _rows(session: Session, ids: list[int]) -> Iterator[list[tuple]]:
    """The rows ``_batches`` gives, for these message ids."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        yield _fetch(session, select(Message.id, Message.chat_id, Message.author_key,
                                     Message.kind, Message.text)
                     .where(Message.id.in_(chunk)).order_by(Message.id))


def _captures_through(session: Session) -> tuple[str, int] | None:
    """What the last filing run took into account: ("capture", newest capture id), or, for
    a run before ``captures_through`` was recorded, ("audit", its audit entry id); None when
    nothing was ever filed."""
    last = session.execute(select(AuditEntry.id, AuditEntry.details)
                           .where(AuditEntry.action == "classify")
                           .order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is None:
        return None
    through = (last.details or {}).get("captures_through")
    return ("capture", through) if isinstance(through, int) else ("audit", last.id)


class _Filer:
    """Files batches of message rows and writes the filings that change something."""

    def __init__(self, session: Session, rulebook: RuleBook, people: Iterable[Person],
                 audit_id: int) -> None:
        self.session, self.rulebook, self.audit_id = session, rulebook, audit_id
        self.roles = roles_by_key(people)
        self.titles: dict[int, str] = dict(session.execute(select(Chat.id, Chat.title)).all())
        self.counts = FilingCounts()
        self.digest = ImportDigest()
        now = dt.datetime.now(dt.UTC)
        self.dialect = session.get_bind().dialect.name
        self.stamp = (now if self.dialect != "sqlite"
                      else now.replace(tzinfo=None).isoformat(" ", "microseconds"))
        self.stamp_key = utc_key(now)
        self.connection = session.connection().connection.dbapi_connection

    def file(self, batch: list[tuple], *, compare: bool, filed_only: bool = False) -> None:
        """File ``batch``; ``compare``: skip messages whose current filing has the same
        outcome; ``filed_only``: skip messages not filed yet."""
        ids = [row[0] for row in batch]
        book, roles, titles = self.rulebook, self.roles, self.titles
        channels = channels_of(self.session, ids) if book.channels else {}
        current = current_filings(self.session, ids) if compare else {}
        rows = []
        for message_id, chat_id, author_key, kind, text in batch:
            if filed_only and message_id not in current:
                continue
            chat, role = titles[chat_id], roles.get(author_key)
            captured = channels.get(message_id, _NO_CHANNELS)
            search = rule_text(text) if book.reads_text(kind, role, chat, captured) else ""
            filing = book.file(MessageFacts(search, chat, role, kind, captured))
            outcome = (filing.schedule_id, filing.schedule_version, filing.category_code,
                       filing.rule)
            self.counts.examined += 1
            if current.get(message_id) == outcome:
                self.counts.unchanged += 1
                continue
            rows.append((message_id, *outcome, filing.reason, self.stamp, self.audit_id))
            self.digest.add_evidence("filing", message_id, *outcome, self.stamp_key)
        self._write(rows)
        self.counts.filed += len(rows)

    def _write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        columns = ", ".join(FILING_COLUMNS)
        if self.dialect == "sqlite":
            cursor = self.connection.cursor()
            cursor.executemany(f"INSERT INTO filings ({columns}) VALUES "
                               f"({', '.join('?' * len(FILING_COLUMNS))})", rows)
            cursor.close()
            return
        with self.connection.cursor() as cursor, cursor.copy(
                f"COPY filings ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def file_messages(session: Session, rulebook: RuleBook, people: Iterable[Person], *,
                  operator: str, reclassify: bool = False,
                  progress: Callable[[int], None] | None = None) -> FilingCounts:
    """File every unfiled message (or, ``reclassify``, re-file every message whose outcome
    changed) in the caller's write transaction, as one ``classify`` audit entry. Without
    ``reclassify``, filed messages that gained a capture a ``channels`` rule may look at are
    re-filed too, where the outcome changes (see the module doc)."""
    gained = ([] if reclassify else
              _gained_captures(session, rulebook, _captures_through(session)))
    through = session.scalar(select(func.max(Capture.id))) or 0
    entry = begin_entry(session, "classify", operator, {"reclassify": reclassify})
    filer = _Filer(session, rulebook, people, entry.id)
    for batch in _rows(session, gained):  # first: the unfiled are filed with every capture
        before = filer.counts.examined
        filer.file(batch, compare=True, filed_only=True)
        filer.counts.rechecked += filer.counts.examined - before
    for batch in _batches(session, reclassify):
        filer.file(batch, compare=reclassify)
        if progress is not None:
            progress(len(batch))
    counts = filer.counts
    seal(session, entry, filer.digest, {
        "reclassify": reclassify, "examined": counts.examined, "filed": counts.filed,
        "unchanged": counts.unchanged, "rechecked": counts.rechecked,
        "captures_through": through,
        "schedules": [f"{s.id}@{s.version}" for s in rulebook.schedules]})
    return counts


def filing_rows(session: Session, audit_id: int | None = None
                ) -> Iterator[tuple[object, ...]]:
    """(audit id?, fields) of filings as both ``file_messages`` and ``verify`` digest them."""
    query = select(FilingRow.audit_id, FilingRow.message_id, FilingRow.schedule_id,
                   FilingRow.schedule_version, FilingRow.category, FilingRow.rule,
                   FilingRow.filed_at).order_by(FilingRow.id)
    if audit_id is not None:
        query = query.where(FilingRow.audit_id == audit_id)
    for entry, *fields in session.execute(query.execution_options(yield_per=BATCH)):
        fields[-1] = utc_key(fields[-1])
        yield (tuple(fields) if audit_id is not None else (entry, *fields))


def unfiled_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Message).where(
        ~exists().where(FilingRow.message_id == Message.id))) or 0


def _anything_to_file(session: Session, rulebook: RuleBook) -> bool:
    """Whether a message is unfiled, or gained a capture that a ``channels`` rule may look
    at since the last filing run (cheap: the first such row found answers)."""
    unfiled = select(Message.id).where(~exists().where(FilingRow.message_id == Message.id))
    if session.scalar(unfiled.limit(1)) is not None:
        return True
    since = _captures_through(session)
    if since is None or not rulebook.channels:
        return False
    newer = Capture.id > since[1] if since[0] == "capture" else Capture.audit_id > since[1]
    return session.scalar(select(Capture.id).where(
        newer, Capture.channel.in_(sorted(rulebook.channels))).limit(1)) is not None


def file_archive(archive: Archive, settings: Settings, *, operator: str | None = None,
                 reclassify: bool = False, rulebook: RuleBook | None = None) -> FilingCounts:
    """File what is unfiled (and re-file what gained a capture), or with ``reclassify``
    re-file everything, in one transaction; does nothing, and writes no audit entry, when
    there is nothing to file."""
    rulebook = rulebook or rulebook_for(settings)
    if not reclassify:
        with archive.read() as session:
            if not _anything_to_file(session, rulebook):
                return FilingCounts()
    with archive.begin() as session:
        return file_messages(session, rulebook, settings.people,
                             operator=current_operator(operator), reclassify=reclassify)
