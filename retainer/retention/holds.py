"""Legal holds (DESIGN §6): messages a hold covers are never eligible for disposition while
it is active. Holds are placed and released, never deleted; each action is an audit entry.

A hold's criteria are checked and resolved when it is placed (``resolve``): a chat title must
name a chat of the archive and a person a configured person, so that a typo can never become a
hold that silently covers nothing. What a hold covers is evaluated from its stored criteria
each time (``Coverage``), so messages imported later that match are covered too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, select, true
from sqlalchemy.orm import Session

from retainer.archive.audit import record
from retainer.archive.models import Chat, Hold, Message, PersonAccount
from retainer.config import Person
from retainer.errors import UsageError
from retainer.formats.text import fold_title

__all__ = ["Coverage", "HoldView", "Placed", "active", "covering", "criteria", "describe",
           "holding", "list_holds", "place", "place_hold", "release", "resolve"]


def criteria(*, chats: Iterable[str] = (), people: Iterable[str] = (),
             since: dt.datetime | None = None, until: dt.datetime | None = None,
             query: str | None = None) -> dict[str, Any]:
    """What a hold covers, as stored, unchecked: every criterion given must hold; none covers
    all. ``resolve`` checks the criteria against the archive and the configuration first."""
    return {"chats": list(chats), "people": list(people),
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None, "query": query}


def resolve(session: Session, people_config: Iterable[Person], *, chats: Iterable[str] = (),
            people: Iterable[str] = (), since: dt.datetime | None = None,
            until: dt.datetime | None = None, query: str | None = None) -> dict[str, Any]:
    """The criteria of a new hold, checked and resolved.

    Each chat title must name a chat of the archive, exactly or ignoring case (Unicode case
    folding: ``équipe strasse`` names ``ÉQUIPE Straße``); its id and title as archived are
    stored beside the title as given (``chat_ids``, ``chat_titles``). Each person must be a
    configured person, named by name or alias, ignoring case; the configured name is stored.
    The query must parse (``retainer.search.query.parse``).

    Raises:
        UsageError: an unknown chat or person, a query that does not parse, or ``since``
            after ``until``.
    """
    from retainer.search.query import parse  # the investigators' query language

    wanted_chats, wanted_people = list(chats), list(people)
    if query is not None:
        try:
            parse(query)
        except UsageError as error:
            raise UsageError(f"--query: {error.message}") from None
    if since is not None and until is not None and since > until:
        raise UsageError("--since is after --until: the hold would cover nothing")
    titles = dict(session.execute(select(Chat.id, Chat.title).order_by(Chat.id)).all())
    chat_ids: list[int] = []
    for title in wanted_chats:
        found = _chats_titled(titles, title)
        if not found:
            raise UsageError(f"no chat titled {title!r} in the archive (see `retainer chats`)")
        chat_ids.extend(chat_id for chat_id in found if chat_id not in chat_ids)
    names = [_person_named(people_config, name) for name in wanted_people]
    covers = criteria(chats=wanted_chats, people=list(dict.fromkeys(names)), since=since,
                      until=until, query=query)
    if wanted_chats:
        covers["chat_ids"] = chat_ids
        covers["chat_titles"] = [titles[chat_id] for chat_id in chat_ids]
    return covers


def _chats_titled(titles: dict[int, str], title: str) -> list[int]:
    """Ids of the chats titled exactly ``title``, else of those equal to it case folded."""
    exact = [chat_id for chat_id, found in titles.items() if found == title]
    if exact:
        return exact
    folded = fold_title(title)
    return [chat_id for chat_id, found in titles.items() if fold_title(found) == folded]


def _person_named(people: Iterable[Person], name: str) -> str:
    folded = name.strip().casefold()
    for person in people:
        if person.name.casefold() == folded:
            return person.name
    for person in people:
        if any(alias.casefold() == folded for alias in person.aliases):
            return person.name
    raise UsageError(f"no person named {name!r} in the configuration (see `retainer people`)")


@dataclasses.dataclass(frozen=True)
class HoldView:
    """A hold as plain data (usable after its session has ended)."""

    id: int
    name: str
    reason: str
    criteria: dict[str, Any]
    placed_at: dt.datetime
    placed_by: str
    released_at: dt.datetime | None
    released_by: str | None
    release_reason: str | None

    @property
    def active(self) -> bool:
        return self.released_at is None

    @classmethod
    def of(cls, hold: Hold) -> HoldView:
        return cls(hold.id, hold.name, hold.reason, dict(hold.criteria or {}), hold.placed_at,
                   hold.placed_by, hold.released_at, hold.released_by, hold.release_reason)


@dataclasses.dataclass(frozen=True)
class Placed:
    hold: HoldView
    covered: int
    """Messages the hold covers now (0 deserves a warning: check the criteria)."""


def describe(covers: dict[str, Any]) -> str:
    """The criteria in words: ``chat "Port Ops"; person Dana Reyes; since …``."""
    parts = [f"chat {title!r}" for title in covers.get("chat_titles") or covers.get("chats")
             or ()]
    parts += [f"person {name}" for name in covers.get("people") or ()]
    parts += [f"{key} {covers[key]}" for key in ("since", "until") if covers.get(key)]
    if covers.get("query"):
        parts.append(f"query {covers['query']!r}")
    return "; ".join(parts) or "everything"


def active(session: Session) -> list[Hold]:
    return list(session.scalars(select(Hold).where(Hold.released_at.is_(None))
                                .order_by(Hold.id)))


def list_holds(session: Session) -> list[HoldView]:
    """Every hold, active and released, oldest first."""
    return [HoldView.of(hold) for hold in session.scalars(select(Hold).order_by(Hold.id))]


def place(session: Session, name: str, reason: str, covers: dict[str, Any],
          operator: str) -> Hold:
    """Place a hold with criteria as given (see ``place_hold`` to check them first).

    Raises:
        UsageError: an active hold has that name, or no name or reason is given.
    """
    if not name.strip():
        raise UsageError("a hold needs a name")
    if not reason.strip():
        raise UsageError("a hold needs a reason (--reason)")
    if any(hold.name == name for hold in active(session)):
        raise UsageError(f"an active hold is already named {name!r}")
    entry = record(session, "hold-place", operator, {"name": name, "reason": reason,
                                                      "criteria": covers})
    hold = Hold(name=name, reason=reason, criteria=covers, placed_at=entry.at,
                placed_by=operator, audit_id=entry.id)
    session.add(hold)
    session.flush()
    return hold


def place_hold(session: Session, name: str, reason: str, people_config: Iterable[Person], *,
               operator: str, chats: Iterable[str] = (), people: Iterable[str] = (),
               since: dt.datetime | None = None, until: dt.datetime | None = None,
               query: str | None = None) -> Placed:
    """Check and resolve the criteria (``resolve``), place the hold, count what it covers.

    Raises:
        UsageError: see ``resolve`` and ``place``.
    """
    covers = resolve(session, people_config, chats=chats, people=people, since=since,
                     until=until, query=query)
    hold = place(session, name, reason, covers, operator)
    return Placed(HoldView.of(hold), Coverage(session, covers).count())


def release(session: Session, name: str, reason: str, operator: str) -> HoldView:
    """Release the active hold of that name; it stays on record with who, when and why."""
    if not reason.strip():
        raise UsageError("releasing a hold needs a reason (--reason)")
    hold = next((h for h in active(session) if h.name == name), None)
    if hold is None:
        raise UsageError(f"no active hold is named {name!r}")
    entry = record(session, "hold-release", operator, {"hold": hold.id, "name": name,
                                                        "reason": reason})
    hold.released_at, hold.released_by, hold.release_reason = entry.at, operator, reason
    session.flush()
    return HoldView.of(hold)


class Coverage:
    """What one hold's criteria cover, evaluated now: a SQL condition on ``Message`` and, for
    a query, the set of ids the full-text search finds (intersected in Python, as it may be
    large)."""

    def __init__(self, session: Session, covers: dict[str, Any]) -> None:
        self.session = session
        self.condition = self._condition(covers)
        self.query_ids = self._query_ids(covers.get("query"))

    def _condition(self, covers: dict[str, Any]) -> ColumnElement[bool]:
        conditions: list[ColumnElement[bool]] = []
        wanted = [t for key in ("chats", "chat_titles") for t in covers.get(key) or ()]
        if wanted:
            # Chat titles compared in Python (Unicode case folding and NFC; SQL lower() is
            # ASCII only).
            folded = {fold_title(title) for title in wanted}
            ids = set(covers.get("chat_ids") or ())
            ids.update(chat_id for chat_id, title in self.session.execute(
                select(Chat.id, Chat.title)) if fold_title(title) in folded)
            conditions.append(Message.chat_id.in_(sorted(ids)) if ids else false())
        if covers.get("people"):
            folded = {name.casefold() for name in covers["people"]}
            names = [name for (name,) in self.session.execute(
                select(PersonAccount.person).distinct()) if name.casefold() in folded]
            conditions.append(Message.author_key.in_(select(PersonAccount.key).where(
                PersonAccount.person.in_(names), PersonAccount.official.is_(False))))
        if covers.get("since"):
            conditions.append(Message.sent_at >= dt.datetime.fromisoformat(covers["since"]))
        if covers.get("until"):
            conditions.append(Message.sent_at <= dt.datetime.fromisoformat(covers["until"]))
        return and_(true(), *conditions)

    def _query_ids(self, text: str | None) -> frozenset[int] | None:
        if not text:
            return None
        from retainer.search.engine import matching_ids  # the full-text index
        from retainer.search.filters import Filters
        from retainer.search.query import parse

        try:
            query = parse(text)
        except UsageError:
            # Only a hold placed without ``resolve`` can get here. A hold must never cover
            # less than asked: one whose query cannot be read covers all its other criteria.
            return None
        return frozenset(matching_ids(self.session, query, Filters(), limit=None,
                                      sort="oldest"))

    def ids(self) -> Iterator[int]:
        """Ids of the messages covered."""
        rows = self.session.execute(select(Message.id).where(self.condition)
                                    .execution_options(yield_per=10_000))
        for (message_id,) in rows:
            if self.query_ids is None or message_id in self.query_ids:
                yield message_id

    def count(self) -> int:
        if self.query_ids is None:
            return self.session.scalar(select(func.count()).select_from(Message)
                                       .where(self.condition)) or 0
        return sum(1 for _ in self.ids())

    def covers(self, message_id: int) -> bool:
        if self.query_ids is not None and message_id not in self.query_ids:
            return False
        return self.session.scalar(select(Message.id).where(
            Message.id == message_id, self.condition)) is not None


def holding(session: Session) -> dict[int, list[str]]:
    """message id → names of the active holds covering it."""
    covering_ids: dict[int, list[str]] = {}
    for hold in active(session):
        for message_id in Coverage(session, hold.criteria or {}).ids():
            covering_ids.setdefault(message_id, []).append(hold.name)
    return covering_ids


def covering(session: Session, message_id: int) -> list[str]:
    """Names of the active holds covering one message."""
    return [hold.name for hold in active(session)
            if Coverage(session, hold.criteria or {}).covers(message_id)]
