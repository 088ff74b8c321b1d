"""Filing archived messages under the schedules in use (DESIGN §6), in bulk.

Every message gets exactly one current filing — its newest row in ``filings`` — naming the
schedule id and version, the category and the rule that decided it, and why. Filing is
append-only: re-classifying after a schedule change adds a filing only where the outcome
changed, so the earlier filings stay as history. Each run is one audit entry whose digest
covers the filings it added.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from retainer.archive import Archive
from retainer.archive.audit import begin_entry, current_operator, seal
from retainer.archive.models import Capture, Chat, Message
from retainer.archive.models import Filing as FilingRow
from retainer.config import Person, Settings
from retainer.formats.text import search_text
from retainer.ingest.digests import ImportDigest, utc_key
from retainer.people import account_key
from retainer.retention.rules import MessageFacts, RuleBook
from retainer.retention.schedule import load_schedules

BATCH = 5000
FILING_COLUMNS = ("message_id", "schedule_id", "schedule_version", "category", "rule",
                  "reason", "filed_at", "audit_id")


@dataclasses.dataclass
class FilingCounts:
    examined: int = 0
    filed: int = 0
    """Filings added (new messages, or changed outcomes when re-classifying)."""
    unchanged: int = 0


def roles_by_key(people: Iterable[Person]) -> dict[str, str]:
    """account key → the person's role, for every alias and official account."""
    roles = {}
    for person in people:
        if person.role:
            for account in (person.name, *person.aliases, *person.official_accounts):
                if key := account_key(account):
                    roles[key] = person.role
    return roles


def current_filings(session: Session, message_ids: list[int]
                    ) -> dict[int, tuple[str, str, str, str | None]]:
    """message id → (schedule, version, category, rule) of its newest filing."""
    newest = (select(func.max(FilingRow.id)).where(FilingRow.message_id.in_(message_ids))
              .group_by(FilingRow.message_id))
    rows = session.execute(select(FilingRow.message_id, FilingRow.schedule_id,
                                  FilingRow.schedule_version, FilingRow.category,
                                  FilingRow.rule).where(FilingRow.id.in_(newest)))
    return {message_id: tuple(rest) for message_id, *rest in rows}  # type: ignore[misc]


def channels_of(session: Session, message_ids: list[int]) -> dict[int, frozenset[str]]:
    """message id → the channels it was captured through."""
    found: dict[int, set[str]] = defaultdict(set)
    query = select(Capture.message_id, Capture.channel).where(
        Capture.message_id.in_(message_ids)).distinct()
    for message_id, channel in session.execute(query):
        found[message_id].add(channel)
    return {k: frozenset(v) for k, v in found.items()}


def _batches(session: Session, reclassify: bool) -> Iterator[list[tuple]]:
    """Messages to file, read in id ranges (never one long cursor, so the filings written
    between batches cannot disturb it, and memory stays flat)."""
    last = 0
    while True:
        query = (select(Message.id, Chat.title, Message.author_key, Message.kind, Message.text)
                 .join(Chat, Chat.id == Message.chat_id).where(Message.id > last)
                 .order_by(Message.id).limit(BATCH))
        if not reclassify:
            query = query.where(~exists().where(FilingRow.message_id == Message.id))
        batch = [tuple(row) for row in session.execute(query)]
        if not batch:
            return
        last = batch[-1][0]
        yield batch


def file_messages(session: Session, rulebook: RuleBook, people: Iterable[Person], *,
                  operator: str, reclassify: bool = False,
                  progress: Callable[[int], None] | None = None) -> FilingCounts:
    """File every unfiled message (or, ``reclassify``, re-file every message whose outcome
    changed) in the caller's write transaction, as one ``classify`` audit entry."""
    roles = roles_by_key(people)
    counts = FilingCounts()
    entry = begin_entry(session, "classify", operator, {"reclassify": reclassify})
    digest = ImportDigest()
    now = dt.datetime.now(dt.UTC)
    dialect = session.get_bind().dialect.name
    stamp = now if dialect != "sqlite" else now.replace(tzinfo=None).isoformat(" ",
                                                                             "microseconds")
    connection = session.connection().connection.dbapi_connection
    for batch in _batches(session, reclassify):
        ids = [row[0] for row in batch]
        channels = channels_of(session, ids)
        current = current_filings(session, ids) if reclassify else {}
        rows = []
        for message_id, chat, author_key, kind, text in batch:
            facts = MessageFacts(search_text(text), chat, roles.get(author_key), kind,
                                 channels.get(message_id, frozenset()))
            filing = rulebook.file(facts)
            outcome = (filing.schedule_id, filing.schedule_version, filing.category_code,
                       filing.rule)
            counts.examined += 1
            if current.get(message_id) == outcome:
                counts.unchanged += 1
                continue
            rows.append((message_id, *outcome, filing.reason, stamp, entry.id))
        _write(connection, dialect, rows)
        counts.filed += len(rows)
        if progress is not None:
            progress(len(batch))
    session.flush()
    for fields in filing_rows(session, entry.id):
        digest.add_evidence("filing", *fields)
    seal(session, entry, digest, {"reclassify": reclassify, "examined": counts.examined,
                                  "filed": counts.filed, "unchanged": counts.unchanged,
                                  "schedules": [f"{s.id}@{s.version}"
                                                for s in rulebook.schedules]})
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


def _write(connection, dialect: str, rows: list[tuple]) -> None:
    if not rows:
        return
    columns = ", ".join(FILING_COLUMNS)
    if dialect == "sqlite":
        cursor = connection.cursor()
        cursor.executemany(f"INSERT INTO filings ({columns}) VALUES "
                           f"({', '.join('?' * len(FILING_COLUMNS))})", rows)
        cursor.close()
        return
    with connection.cursor() as cursor, cursor.copy(
            f"COPY filings ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def unfiled_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Message).where(
        ~exists().where(FilingRow.message_id == Message.id))) or 0



def rulebook_for(settings: Settings) -> RuleBook:
    """The schedules the configuration uses, found next to it, in ``./schedules``, or where
    the package installed them."""
    config_dir = settings.config_path.parent if settings.config_path else None
    return load_schedules(settings.schedules, paths=settings.schedule_paths,
                          config_dir=config_dir, cwd=Path.cwd())


def file_archive(archive: Archive, settings: Settings, *, operator: str | None = None,
                 reclassify: bool = False, rulebook: RuleBook | None = None) -> FilingCounts:
    """File what is unfiled (or re-file everything) in one transaction; does nothing, and
    writes no audit entry, when there is nothing to file."""
    rulebook = rulebook or rulebook_for(settings)
    if not reclassify:
        with archive.read() as session:
            if not unfiled_count(session):
                return FilingCounts()
    with archive.begin() as session:
        return file_messages(session, rulebook, settings.people,
                             operator=current_operator(operator), reclassify=reclassify)
