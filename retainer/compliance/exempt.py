"""Messages that are not subject to § 2911, each with why (DESIGN §5: ``exempt``).

Exempt is whatever is in no subject pair (``calendar.subject``), sent by the report's moment
(the end of the day in the archive's zone, for a report as of a date: these messages are
nobody's obligation, so no custodian's zone applies). A deletion notice that stands for a
message captured before it is exempt as "deletion notice of message N": the original carries
the verdict, so nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import and_, case, exists, func, null, select
from sqlalchemy.orm import aliased

from retainer.archive.models import Chat, Filing, Message, PersonAccount
from retainer.compliance import calendar, engine
from retainer.compliance.model import Verdict
from retainer.config import Settings

NOTICE = "deletion notice"


def select_exempt(settings: Settings, as_of: dt.datetime, *, chat_id: int | None = None,
                  custodians: Collection[str] = ()):
    """The exempt messages sent by ``as_of`` (after ``engine.evaluate``), with ``reason``,
    the resolved ``person``, and ``custodian`` (the person, when a custodian). ``custodians``
    keeps only messages written by those custodians."""
    author = PersonAccount.__table__.alias("exempt_author")
    owner = PersonAccount.__table__.alias("exempt_owner")
    filing = aliased(Filing, name="exempt_filing")
    cat = calendar.categories
    nt = calendar.notices
    names = [p.name for p in settings.people if p.custodian]
    person = func.coalesce(author.c.person, owner.c.person)
    reason = case(
        (and_(Message.kind == "deleted", nt.c.original_id.is_not(None)), NOTICE),
        (Message.kind == "system", "system message"),
        (cat.c.record.is_(False), "filed under a non-record category (44 U.S.C. § 3301)"),
        (owner.c.person.is_not(None), "sent from an official account"),
        (person.is_(None), "the author resolves to nobody (add an alias if a custodian "
                           "wrote it)"),
        (person.not_in(names) if names else True, "the author is not a custodian"),
        else_="not subject")
    query = (select(Message.id, Chat.title, Message.sent_at, Message.sent_at_local,
                    Message.author, Message.text, Message.kind, filing.category,
                    person.label("person"),
                    (case((person.in_(names), person), else_=null()) if names else null()
                     ).label("custodian"),
                    nt.c.original_id, reason.label("reason"))
             .join(Chat, Chat.id == Message.chat_id)
             .outerjoin(author, and_(author.c.key == Message.author_key, ~author.c.official))
             .outerjoin(owner, and_(owner.c.key == Message.author_key, owner.c.official))
             .outerjoin(filing, engine.current_filing(filing, Message.id))
             .outerjoin(cat, and_(cat.c.schedule_id == filing.schedule_id,
                                  cat.c.code == filing.category))
             .outerjoin(nt, nt.c.notice_id == Message.id)
             .where(Message.sent_at <= as_of,
                    ~exists().where(calendar.subject.c.id == Message.id)))
    if chat_id is not None:
        query = query.where(Message.chat_id == chat_id)
    if custodians:
        query = query.where(person.in_(list(custodians)))
    return query


def count(session, as_of: dt.datetime, *, chat_id: int | None = None,
          custodians: Collection[str] = ()) -> int:
    """How many messages ``select_exempt`` would list, without its reasons: one scan."""
    query = (select(func.count()).select_from(Message)
             .where(Message.sent_at <= as_of,
                    ~exists().where(calendar.subject.c.id == Message.id)))
    if chat_id is not None:
        query = query.where(Message.chat_id == chat_id)
    if custodians:
        author = PersonAccount.__table__.alias("exempt_author")
        query = query.where(exists().where(author.c.key == Message.author_key,
                                           author.c.person.in_(list(custodians))))
    return session.scalar(query) or 0


def verdicts(session, query) -> list[Verdict]:
    return [Verdict(id=r.id, chat=r.title, author=r.author, custodian=r.custodian,
                    person=r.person, sent_at=r.sent_at, sent_at_local=r.sent_at_local,
                    text=r.text, kind=r.kind, category=r.category, status="exempt",
                    deadline=None, official_capture_at=None, days=None,
                    reason=(f"deletion notice of message {r.original_id} (that message "
                            "carries the verdict)" if r.reason == NOTICE else r.reason))
            for r in session.execute(query.order_by(Message.sent_at, Message.id))]
