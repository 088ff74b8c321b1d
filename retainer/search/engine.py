"""One search for both databases: the full-text index for the words, SQL for the filters.

``matching_ids`` finds the messages (LIMIT in SQL, newest first, oldest first, or by
relevance: FTS5's bm25 on SQLite, ``ts_rank`` on PostgreSQL); ``load`` reads them as ``Hit``s
with their chat and resolved person; ``search`` does both and adds the highlighted excerpt.
The query reaches the database only as a bound parameter built by ``query.to_fts5`` or
``query.to_tsquery``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence

from sqlalchemy import (
    BigInteger,
    Float,
    bindparam,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.orm import Session

from retainer.archive.models import Chat, Message, PersonAccount
from retainer.errors import UsageError
from retainer.search.excerpt import Excerpt, excerpt
from retainer.search.filters import Filters, conditions
from retainer.search.index import ID_MASK, key_bound
from retainer.search.query import Query, to_fts5, to_tsquery

SORTS = ("newest", "oldest", "relevance", "chat")
"""``chat``: by chat, then oldest first (exports)."""
LOAD_BATCH = 1000


@dataclasses.dataclass
class Hit:
    """A message found, with what a result line shows."""

    message_id: int
    chat_id: int
    chat: str
    sent_at: dt.datetime
    """The UTC instant."""
    sent_at_local: str
    """The local time as the export wrote it (``YYYY-MM-DDTHH:MM[:SS]``) in ``timezone``."""
    timezone: str
    author: str | None
    person: str | None
    """The configured person the author resolves to, if any."""
    kind: str
    edited: bool
    text: str
    attachment: str | None
    identity: str
    content_digest: str
    author_key: str | None = None
    excerpt: Excerpt | None = None

    def as_json(self) -> dict[str, object]:
        """The fields as JSON values, named as in the CSV and export files (``sent_at_utc``:
        the UTC instant in ISO 8601)."""
        data = dataclasses.asdict(self)
        data["sent_at"] = self.sent_at.astimezone(dt.UTC).isoformat()
        data = {("sent_at_utc" if key == "sent_at" else key): value
                for key, value in data.items()}
        data["excerpt"] = self.excerpt.marked("[", "]") if self.excerpt else None
        del data["author_key"]
        return data


def search(session: Session, query: Query | None, filters: Filters, *, limit: int | None = 20,
           sort: str = "newest") -> list[Hit]:
    """The messages matching ``query`` (None: every message) and ``filters``, in ``sort``
    order, at most ``limit``; each with an excerpt around its first match.

    Raises:
        UsageError: an unknown sort, relevance without a query, a bad limit, or a filter that
            names nothing (see ``filters.conditions``).
    """
    hits = load(session, matching_ids(session, query, filters, limit=limit, sort=sort))
    terms = query.terms() if query is not None else []
    for hit in hits:
        hit.excerpt = excerpt(hit.text, terms)
    return hits


def matching_ids(session: Session, query: Query | None, filters: Filters, *,
                 limit: int | None = 20, sort: str = "newest") -> list[int]:
    """Ids of the matching messages, in order (see ``search``)."""
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r} (use one of {', '.join(SORTS)})")
    if sort == "relevance" and query is None:
        raise UsageError("--sort relevance needs a query")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    where = conditions(session, filters)
    if query is None:
        statement = select(Message.id).where(*where)
        order = {"newest": (Message.sent_at.desc(), Message.id.desc()),
                 "oldest": (Message.sent_at, Message.id)}.get(sort, ())
    else:
        # Without filters on other columns the index answers alone: no message is read
        # before the LIMIT (ranking 30,000 matches then costs no 30,000 lookups).
        alone = sort != "chat" and _index_only(filters)
        statement, key, rank = _indexed(session, query, ranked=sort == "relevance",
                                        joined=not alone)
        if alone:
            if filters.since is not None:
                statement = statement.where(key >= key_bound(filters.since))
            if filters.until is not None:
                statement = statement.where(key < key_bound(filters.until))
        else:
            statement = statement.where(*where)
            if filters.since is not None:
                statement = statement.where(key >= key_bound(filters.since))
            if filters.until is not None:
                statement = statement.where(key < key_bound(filters.until) + ID_MASK + 1)
        if _phrase_on_postgresql(session, query):
            # PostgreSQL estimates a phrase like an AND of its words, far too common, and
            # walks the key index backwards through most of the table; an expression
            # makes it take the GIN index and sort the few real matches instead.
            key = key + 0
        # The key sorts like (sent_at, id): the newest come straight off the index.
        order = {"newest": (key.desc(),), "oldest": (key,),
                 "relevance": (rank, key.desc())}.get(sort, ())
    if sort == "chat":
        order = (Message.chat_id, Message.sent_at, Message.id)
    statement = statement.order_by(*order)
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


def _index_only(filters: Filters) -> bool:
    """Whether the index alone can apply ``filters``: only whole-second time bounds."""
    others = dataclasses.replace(filters, since=None, until=None)
    return others == Filters() and all(
        bound is None or bound.microsecond == 0 for bound in (filters.since, filters.until))


def _phrase_on_postgresql(session: Session, query: Query) -> bool:
    return session.get_bind().dialect.name != "sqlite" and any(
        len(term.words) > 1 for term in query.terms())


def _indexed(session: Session, query: Query, *, ranked: bool, joined: bool):
    """(SELECT the message ids of the index's matches — joined with ``messages`` for filters
    on it, or from the index alone —, the time key column, the rank: lower is better)."""
    if session.get_bind().dialect.name == "sqlite":
        fts = table("search_index", column("rowid", BigInteger), column("rank", Float))
        match = literal_column("search_index").op("MATCH")(
            bindparam("fts_query", to_fts5(query)))
        message_id = fts.c.rowid.op("&")(ID_MASK)
        # FTS5's rank is bm25(): more negative is better.
        rank = fts.c.rank
        key = fts.c.rowid
    else:
        fts = table("search_index", column("key", BigInteger),
                    column("message_id", BigInteger), column("words", TSVECTOR))
        tsquery = cast(bindparam("ts_query", to_tsquery(query)), TSQUERY)
        match = fts.c.words.op("@@")(tsquery)
        message_id = fts.c.message_id
        rank = -func.ts_rank(fts.c.words, tsquery) if ranked else literal_column("0")
        key = fts.c.key
    if joined:
        statement = select(Message.id).select_from(fts).join(Message, Message.id == message_id)
    else:
        statement = select(message_id).select_from(fts)
    return statement.where(match), key, rank


def load(session: Session, ids: Sequence[int]) -> list[Hit]:
    """The messages with these ids as ``Hit``s, in the order given."""
    return [hit for batch in load_batches(session, ids) for hit in batch]


def load_batches(session: Session, ids: Sequence[int]) -> Iterator[list[Hit]]:
    """``load`` a batch at a time (exports of whole chats)."""
    people = dict(session.execute(select(PersonAccount.key, PersonAccount.person)
                                  .where(PersonAccount.official.is_(False))).all())
    titles = dict(session.execute(select(Chat.id, Chat.title)).all())
    for start in range(0, len(ids), LOAD_BATCH):
        chunk = ids[start:start + LOAD_BATCH]
        rows = {row.id: row for row in session.execute(
            select(Message.id, Message.chat_id, Message.sent_at, Message.sent_at_local,
                   Message.timezone, Message.author, Message.author_key, Message.kind,
                   Message.edited, Message.text, Message.attachment, Message.identity,
                   Message.content_digest).where(Message.id.in_(chunk)))}
        yield [Hit(message_id=r.id, chat_id=r.chat_id, chat=titles[r.chat_id],
                   sent_at=r.sent_at, sent_at_local=r.sent_at_local, timezone=r.timezone,
                   author=r.author, person=people.get(r.author_key), kind=r.kind,
                   edited=r.edited, text=r.text, attachment=r.attachment,
                   identity=r.identity, content_digest=r.content_digest,
                   author_key=r.author_key)
               for r in (rows[i] for i in chunk)]
