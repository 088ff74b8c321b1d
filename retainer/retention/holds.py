"""Legal holds (DESIGN §6): messages a hold covers are never eligible for disposition while
it is active. Holds are placed and released, never deleted; each action is an audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import Session

from retainer.archive.audit import record
from retainer.archive.models import Chat, Hold, Message, PersonAccount
from retainer.errors import UsageError


def criteria(*, chats: list[str] = (), people: list[str] = (), since: dt.datetime | None = None,
             until: dt.datetime | None = None, query: str | None = None) -> dict[str, Any]:
    """What a hold covers, as stored: every criterion given must hold; none covers all."""
    return {"chats": list(chats), "people": list(people),
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None, "query": query}


def active(session: Session) -> list[Hold]:
    return list(session.scalars(select(Hold).where(Hold.released_at.is_(None))
                                .order_by(Hold.id)))


def place(session: Session, name: str, reason: str, covers: dict[str, Any],
          operator: str) -> Hold:
    """Place a hold. Raises UsageError when an active hold has that name or no reason."""
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


def release(session: Session, name: str, reason: str, operator: str) -> Hold:
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
    return hold


def covered_by(hold: Hold):
    """A condition on ``Message`` selecting what the hold covers."""
    c = hold.criteria or {}
    conditions = []
    if c.get("chats"):
        titles = [t.casefold() for t in c["chats"]]
        conditions.append(Message.chat_id.in_(
            select(Chat.id).where(func.lower(Chat.title).in_(titles))))
    if c.get("people"):
        conditions.append(Message.author_key.in_(select(PersonAccount.key).where(
            PersonAccount.person.in_(c["people"]), PersonAccount.official.is_(False))))
    if c.get("since"):
        conditions.append(Message.sent_at >= dt.datetime.fromisoformat(c["since"]))
    if c.get("until"):
        conditions.append(Message.sent_at <= dt.datetime.fromisoformat(c["until"]))
    if c.get("query"):
        from retainer.search.engine import matching_ids  # the full-text index

        conditions.append(Message.id.in_(matching_ids(c["query"])))
    return and_(true(), *conditions)


def holding(session: Session) -> dict[int, list[str]]:
    """message id → names of the active holds covering it."""
    covering: dict[int, list[str]] = {}
    for hold in active(session):
        for (message_id,) in session.execute(select(Message.id).where(covered_by(hold))):
            covering.setdefault(message_id, []).append(hold.name)
    return covering
