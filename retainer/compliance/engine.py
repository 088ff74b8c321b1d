"""The § 2911 engine: every subject message's status as of a moment, computed in the
database, set-based, through SQLAlchemy (DESIGN §5).

A message is subject when it is a record (its current filing's category says so; an unfiled
message counts as one), not a system message, and its author resolves to a custodian writing
from an account that is not one of that custodian's official accounts — or, with scope
``sent+received``, when a custodian's own device received it. Its deadline is the end of the
``window_days``-th calendar day after the day it was sent, in the custodian's time zone.

Status, first match wins:
``copied``     an official account of the custodian was in the chat when it was sent (a)(1);
``forwarded``  a complete copy reached an official account of the custodian by the deadline;
``late``       the first complete copy reached it after the deadline;
``pending``    no complete copy yet and the deadline has not passed;
``incomplete`` only incomplete copies reached it, and the deadline has passed;
``overdue``    no copy reached it, and the deadline has passed.
Evidence captured after the report's moment does not count.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Integer,
    and_,
    case,
    cast,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from retainer.archive.models import (
    Capture,
    Export,
    Filing,
    MailRecipient,
    Message,
    MessageEvent,
    PersonAccount,
)
from retainer.compliance import calendar
from retainer.compliance.membership import stretches as membership_stretches
from retainer.config import Settings
from retainer.retention.rules import RuleBook

m = Message.__table__
cap = Capture.__table__
exp = Export.__table__
rcp = MailRecipient.__table__


def current_filings():
    newest = select(func.max(Filing.id)).group_by(Filing.message_id)
    return (select(Filing.message_id, Filing.schedule_id, Filing.category)
            .where(Filing.id.in_(newest)).subquery("current_filing"))


def prepare(session: Session, settings: Settings, rulebook: RuleBook,
            as_of: dt.datetime) -> None:
    """Fill the temporary tables the engine's SQL reads (see ``calendar``)."""
    conn = session.connection()
    calendar.create(conn)
    zones = {}
    for person in settings.people:
        if person.custodian:
            zone = person.timezone or settings.timezone
            zones[person.name] = zone
            conn.execute(insert(calendar.custodians).values(
                person=person.name, zone=zone,
                today=calendar.local_day(as_of, zone).toordinal()))
    records = [{"schedule_id": schedule.id, "code": category.code, "record": category.record}
               for schedule in rulebook.schedules for category in schedule.categories]
    if records:
        conn.execute(insert(calendar.categories), records)
    found = membership_stretches(session, as_of)
    if found:
        conn.execute(insert(calendar.stretches), [
            {"chat_id": s.chat_id, "person": s.person, "since": s.since, "until": s.until}
            for s in found])
    low, high = session.execute(select(func.min(Message.sent_at),
                                       func.max(Message.sent_at))).one()
    captured = session.scalar(select(func.max(Capture.captured_at)))
    if zones and low is not None:
        first = low.date() - dt.timedelta(days=2)
        last = max(as_of, high, captured or as_of).date() + dt.timedelta(
            days=settings.window_days + 3)
        calendar.fill_days(conn, zones.values(), first, last)


def _day_of(instant, zone):
    """The local day number of ``instant`` in ``zone``: one index probe in the calendar."""
    zd = calendar.zone_days.alias()
    return (select(zd.c.day).where(zd.c.zone == zone, zd.c.starts <= instant)
            .order_by(zd.c.starts.desc()).limit(1).scalar_subquery())


def _subject(settings: Settings, as_of: dt.datetime):
    """(message, custodian) pairs under § 2911, with the message's local day."""
    cu = calendar.custodians
    author = PersonAccount.__table__.alias("author_account")
    own_official = PersonAccount.__table__.alias("own_official")
    filing = current_filings()
    cat = calendar.categories
    is_record = func.coalesce(cat.c.record, true())  # unfiled: treated as a record
    replaced = exists().where(MessageEvent.related_message_id == m.c.id,
                              MessageEvent.kind == "deleted_after_capture")
    from_official = exists().where(own_official.c.key == m.c.author_key,
                                   own_official.c.official, own_official.c.person == cu.c.person)
    common = and_(m.c.kind != "system", is_record, m.c.sent_at <= as_of,
                  ~and_(m.c.kind == "deleted", replaced))

    def pairs(custodian_join, condition, how: str):
        return (select(m.c.id, m.c.chat_id, m.c.sent_at, cu.c.person.label("custodian"),
                       cu.c.zone, cu.c.today, filing.c.category,
                       literal(how).label("how"))
                .select_from(custodian_join.outerjoin(filing, filing.c.message_id == m.c.id)
                             .outerjoin(cat, and_(cat.c.schedule_id == filing.c.schedule_id,
                                                  cat.c.code == filing.c.category)))
                .where(common, condition))

    sent = pairs(m.join(author, and_(author.c.key == m.c.author_key, ~author.c.official))
                 .join(cu, cu.c.person == author.c.person), ~from_official, "sent")
    selects = [sent]
    if settings.scope == "sent+received":
        device = exists().where(cap.c.message_id == m.c.id, cap.c.channel == "device",
                                exp.c.id == cap.c.export_id, exp.c.custodian == cu.c.person)
        by_custodian = exists().where(author.c.key == m.c.author_key,
                                      author.c.person == cu.c.person)
        selects.append(pairs(m.join(cu, true()), and_(device, ~by_custodian), "received"))
    subject = union_all(*selects).cte("subject")
    with_day = select(subject, _day_of(subject.c.sent_at, subject.c.zone).label("sent_day"))
    return with_day.cte("subject_day")


def _reaches(mail_id, person):
    """The mail reached an official account of the person (To, Cc or Delivered-To)."""
    po = PersonAccount.__table__.alias("reached")
    return exists().where(rcp.c.mail_id == mail_id, po.c.key == rcp.c.address,
                          po.c.official, po.c.person == person)


def proving(subject, as_of: dt.datetime):
    """Official captures of subject messages that prove a copy reached the custodian's
    official account by ``as_of``: (subject row's id and custodian, capture columns)."""
    condition = or_(
        and_(cap.c.mail_id.is_not(None), _reaches(cap.c.mail_id, subject.c.custodian)),
        and_(exp.c.mail_id.is_not(None), _reaches(exp.c.mail_id, subject.c.custodian)),
        and_(cap.c.export_id.is_not(None), exp.c.mail_id.is_(None),
             exp.c.custodian == subject.c.custodian))
    return (subject.join(cap, cap.c.message_id == subject.c.id)
            .outerjoin(exp, exp.c.id == cap.c.export_id),
            and_(cap.c.channel == "official", cap.c.captured_at <= as_of, condition))


def verdict_rows(settings: Settings, as_of: dt.datetime):
    """One row per (message, custodian): status, deadline, first copies, days — all in SQL."""
    window = settings.window_days
    subject = _subject(settings, as_of)
    joined, condition = proving(subject, as_of)
    proof = (select(subject.c.id, subject.c.custodian,
                    func.min(case((cap.c.complete, cap.c.captured_at))).label("first_complete"),
                    func.min(cap.c.captured_at).label("first_any"))
             .select_from(joined).where(condition)
             .group_by(subject.c.id, subject.c.custodian).cte("proof"))
    st = calendar.stretches
    copied = exists().where(st.c.chat_id == subject.c.chat_id,
                            st.c.person == subject.c.custodian, st.c.since < subject.c.sent_at,
                            or_(st.c.until.is_(None), st.c.until > subject.c.sent_at))
    ends = calendar.zone_days.alias("deadline_day")
    first_complete, first_any = proof.c.first_complete, proof.c.first_any
    deadline_end = ends.c.starts
    due_day = subject.c.sent_day + window
    status = case(
        (copied, "copied"),
        (first_complete < deadline_end, "forwarded"),
        (first_complete.is_not(None), "late"),
        (deadline_end > as_of, "pending"),
        (first_any.is_not(None), "incomplete"),
        else_="overdue")
    shown = func.coalesce(first_complete, first_any)
    capture_day = _day_of(shown, subject.c.zone)
    days = case(
        (copied, literal(0)),
        (first_complete < deadline_end, capture_day - subject.c.sent_day),
        (first_complete.is_not(None), capture_day - due_day),
        (deadline_end > as_of, due_day - subject.c.today),
        else_=subject.c.today - due_day)
    return (select(subject.c.id, subject.c.chat_id, subject.c.custodian, subject.c.zone,
                   subject.c.category, subject.c.how, deadline_end.label("deadline_end"),
                   first_complete.label("first_complete"), first_any.label("first_any"),
                   status.label("status"), cast(days, Integer).label("days"),
                   case((copied, true()), else_=false()).label("copied"))
            .select_from(subject.join(ends, and_(ends.c.zone == subject.c.zone,
                                                 ends.c.day == subject.c.sent_day + window + 1))
                         .outerjoin(proof, and_(proof.c.id == subject.c.id,
                                                proof.c.custodian == subject.c.custodian))))


def counts(session: Session, settings: Settings, as_of: dt.datetime) -> list[tuple[str, str,
                                                                                   int]]:
    """(custodian, status, count) for every subject message; nothing fetched per message."""
    rows = verdict_rows(settings, as_of).subquery()
    return [tuple(r) for r in session.execute(
        select(rows.c.custodian, rows.c.status, func.count())
        .group_by(rows.c.custodian, rows.c.status))]


__all__ = ["counts", "prepare", "proving", "verdict_rows"]
