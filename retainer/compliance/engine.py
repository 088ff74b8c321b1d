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
Evidence captured after the report's moment does not count; the moment is the custodian's
own (``calendar.AsOf``: a date means its end in each custodian's zone).

A copy of a deleted message ("This message was deleted") is never complete, whatever the
capture says: the content is gone, so it can only be an incomplete copy (DESIGN §5: "a report
never claims more than the evidence shows"). A deletion notice that stands for a message
captured earlier (a ``deleted_after_capture`` event) is not subject at all: the original is.

The work is four statements: the temporary tables of ``prepare``, then ``tmp_subject`` (every
subject pair, with its local day) and ``tmp_verdicts`` (status, deadline, first copies and
days), each one ``INSERT … SELECT``. Reading the verdicts, counting them and finding their
evidence are queries on ``tmp_verdicts``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import (
    Integer,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from retainer.archive.models import (
    AuditEntry,
    Capture,
    Export,
    Filing,
    MailRecipient,
    Message,
    MessageEvent,
    PersonAccount,
)
from retainer.compliance import calendar
from retainer.compliance.calendar import AsOf
from retainer.compliance.membership import Stretch
from retainer.compliance.membership import stretches as membership_stretches
from retainer.config import Settings
from retainer.retention.rules import RuleBook

m = Message.__table__
cap = Capture.__table__
exp = Export.__table__
received = AuditEntry.__table__.alias("capture_import")
"""The import that brought a capture into the archive (``arrival``)."""
rcp = MailRecipient.__table__


@dataclasses.dataclass(frozen=True)
class Evaluation:
    """What ``evaluate`` left in ``calendar.verdicts``, and the facts to explain it."""

    as_of: AsOf
    stretches: dict[tuple[int, str, int], list[Stretch]]
    """Membership stretches by (chat id, custodian, opening message id): the evidence of
    ``copied`` verdicts (``calendar.verdicts.c.copied_by`` is the opening message id). One
    notice may open several (it added two official phones)."""


def current_filing(filing, message_id):
    """Join condition to a message's current filing: its newest (filings are append-only,
    DESIGN §6). An anti-join, which both databases plan as an index probe or a hash."""
    newer = aliased(Filing)
    return and_(filing.message_id == message_id,
                ~exists().where(newer.message_id == filing.message_id, newer.id > filing.id))


def prepare(session: Session, settings: Settings, rulebook: RuleBook,
            as_of: AsOf | dt.datetime) -> list[Stretch]:
    """Fill the temporary tables the engine's SQL reads (see ``calendar``); returns the
    membership stretches it wrote."""
    as_of = AsOf.of(as_of)
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # Index probes and hash joins, no long computations: compiling them to machine code
        # costs PostgreSQL more (0.2-0.4 s a statement) than it saves. For this transaction.
        conn.execute(text("SET LOCAL jit = off"))
    calendar.create(conn)
    zones, latest = {}, as_of.instant
    for person in settings.people:
        if person.custodian:
            zone = person.timezone or settings.timezone
            zones[person.name] = zone
            last = as_of.in_zone(zone)
            latest = max(latest, last)
            conn.execute(insert(calendar.custodians).values(
                person=person.name, zone=zone, as_of=last,
                today=as_of.today(zone).toordinal()))
    records = [{"schedule_id": schedule.id, "code": category.code, "record": category.record}
               for schedule in rulebook.schedules for category in schedule.categories]
    if records:
        conn.execute(insert(calendar.categories), records)
    conn.execute(insert(calendar.notices).from_select(
        ["notice_id", "original_id"],
        select(MessageEvent.related_message_id, func.min(MessageEvent.message_id))
        .where(MessageEvent.kind == "deleted_after_capture",
               MessageEvent.related_message_id.is_not(None))
        .group_by(MessageEvent.related_message_id)))
    found = membership_stretches(session, latest)
    if found:
        conn.execute(insert(calendar.stretches), [
            {"chat_id": s.chat_id, "person": s.person, "since": s.since,
             "since_id": s.notice_id, "until": s.until, "until_id": s.until_id}
            for s in found])
    low, high = session.execute(select(func.min(Message.sent_at),
                                       func.max(Message.sent_at))).one()
    captured = session.scalar(select(func.max(Capture.captured_at)))
    imported = session.scalar(select(func.min(AuditEntry.at)))
    if zones and low is not None:
        # Every day a message was sent or a copy can have arrived: ``arrival`` is never
        # before the message, or else it is an import's time.
        first = min(low, imported or low).date() - dt.timedelta(days=2)
        last_day = max(latest, high, captured or latest).date() + dt.timedelta(
            days=settings.window_days + 3)
        calendar.fill_days(conn, zones.values(), first, last_day)
    return found


def evaluate(session: Session, settings: Settings, rulebook: RuleBook,
             as_of: AsOf | dt.datetime) -> Evaluation:
    """Judge every subject message as of ``as_of``: fills ``calendar.subject`` and
    ``calendar.verdicts`` (one row per message and custodian) on the session's connection."""
    as_of = AsOf.of(as_of)
    found = prepare(session, settings, rulebook, as_of)
    conn = session.connection()
    subject = _subject_select(settings)
    conn.execute(insert(calendar.subject).from_select(list(subject.selected_columns.keys()),
                                                      subject))
    calendar.analyze(conn, calendar.subject)
    verdicts = verdict_select(settings)
    conn.execute(insert(calendar.verdicts).from_select(
        list(verdicts.selected_columns.keys()), verdicts))
    calendar.analyze(conn, calendar.verdicts)
    opened: dict[tuple[int, str, int], list[Stretch]] = {}
    for stretch in found:
        opened.setdefault((stretch.chat_id, stretch.person, stretch.notice_id), []).append(
            stretch)
    return Evaluation(as_of, opened)


def _day_of(instant, zone):
    """The local day number of ``instant`` in ``zone``: one index probe in the calendar."""
    zd = calendar.zone_days.alias()
    return (select(zd.c.day).where(zd.c.zone == zone, zd.c.starts <= instant)
            .order_by(zd.c.starts.desc()).limit(1).scalar_subquery())


def replaced_notice(message):
    """The message is a deletion notice standing for a message captured before it."""
    nt = calendar.notices
    return and_(message.kind == "deleted",
                exists().where(nt.c.notice_id == message.id))


def _subject_select(settings: Settings):
    """Every (message, custodian) pair under § 2911, whenever sent (the report's moment is
    applied by ``verdict_select``; ``exempt`` is whatever is in no pair)."""
    cu = calendar.custodians
    author = PersonAccount.__table__.alias("author_account")
    own_official = PersonAccount.__table__.alias("own_official")
    filing = aliased(Filing, name="current_filing")
    cat = calendar.categories
    is_record = func.coalesce(cat.c.record, true())  # unfiled: treated as a record
    from_official = exists().where(own_official.c.key == m.c.author_key,
                                   own_official.c.official, own_official.c.person == cu.c.person)
    # DESIGN §5: records only, never system messages; a deletion notice of a captured message
    # is that message, which is judged itself.
    common = and_(m.c.kind != "system", is_record, ~replaced_notice(m.c))

    def pairs(custodian_join, condition, how: str):
        return (select(m.c.id, cu.c.person.label("custodian"), m.c.chat_id, m.c.sent_at,
                       m.c.kind, filing.category, literal(how).label("how"), cu.c.zone,
                       cu.c.as_of, cu.c.today, _day_of(m.c.sent_at, cu.c.zone).label("sent_day"))
                .select_from(custodian_join
                             .outerjoin(filing, current_filing(filing, m.c.id))
                             .outerjoin(cat, and_(cat.c.schedule_id == filing.schedule_id,
                                                  cat.c.code == filing.category)))
                .where(common, condition))

    # 44 U.S.C. § 2911(a): a record sent from a non-official account of the custodian.
    sent = pairs(m.join(author, and_(author.c.key == m.c.author_key, ~author.c.official))
                 .join(cu, cu.c.person == author.c.person), ~from_official, "sent")
    if settings.scope != "sent+received":
        return sent
    # Agency policy (DESIGN §5): what a custodian's own device received is theirs too.
    device = exists().where(cap.c.message_id == m.c.id, cap.c.channel == "device",
                            exp.c.id == cap.c.export_id, exp.c.custodian == cu.c.person)
    by_custodian = exists().where(author.c.key == m.c.author_key,
                                  author.c.person == cu.c.person)
    received = pairs(m.join(cu, true()), and_(device, ~by_custodian), "received")
    return union_all(sent, received).subquery("pairs").select()


def _reaches(mail_id, person):
    """The mail reached an official account of the person (To, Cc or Delivered-To)."""
    po = PersonAccount.__table__.alias("reached")
    return exists().where(rcp.c.mail_id == mail_id, po.c.key == rcp.c.address,
                          po.c.official, po.c.person == person)


def proving(rows):
    """Official captures that prove a copy of a row's message reached an official account of
    the row's custodian by the row's moment (§ 2911(a)(2)): the same message (a capture is of
    one message), and a mail delivered to that custodian's official account, or an export
    found in that custodian's official account. ``rows`` has ``id``, ``custodian``, ``kind``
    and ``as_of`` columns. Returns (join, condition, complete)."""
    c = rows.c
    condition = or_(
        and_(cap.c.mail_id.is_not(None), _reaches(cap.c.mail_id, c.custodian)),
        and_(exp.c.mail_id.is_not(None), _reaches(exp.c.mail_id, c.custodian)),
        and_(cap.c.export_id.is_not(None), exp.c.mail_id.is_(None),
             exp.c.custodian == c.custodian))
    # A deleted message's copy is its deletion notice: never complete (DESIGN §5).
    complete = and_(cap.c.complete, c.kind != "deleted")
    arrived = arrival(c.sent_at)
    return (rows.join(cap, cap.c.message_id == c.id)
            .join(received, received.c.id == cap.c.audit_id)
            .outerjoin(exp, exp.c.id == cap.c.export_id),
            and_(cap.c.channel == "official", arrived <= c.as_of, condition),
            complete, arrived)


def arrival(sent_at):
    """When a capture reached the official account, as far as the evidence shows: its
    ``captured_at``, unless that is before the message was sent — a copy cannot precede its
    message, so the mail's Date (or the capture time given at import) is wrong — and then the
    time the archive received it (its import's audit entry), the latest it can have arrived
    (DESIGN §5: never claim more than the evidence shows). Needs ``proving``'s joins."""
    return case((cap.c.captured_at < sent_at, received.c.at), else_=cap.c.captured_at)


def _shown_before(first, second):
    """Some export shows message ``first`` on an earlier line than ``second``, and none shows
    it later: the evidence of order within a minute (Android exports have no seconds)."""
    a, b = cap.alias("order_a"), cap.alias("order_b")

    def shown(order):
        # Correlated two levels up (the subject row, the stretch): name what is local.
        return exists().where(a.c.message_id == first, b.c.message_id == second,
                              a.c.export_id == b.c.export_id, order(a.c.line, b.c.line)
                              ).correlate_except(a, b)

    return and_(shown(lambda x, y: x < y), ~shown(lambda x, y: x > y))


def _copied_by(s):
    """The opening message of a stretch in which an official account of the custodian was in
    the chat when the message was sent (§ 2911(a)(1)), else NULL. At the same minute, the
    exports' line order decides; without it, nothing is claimed."""
    st = calendar.stretches
    opened = or_(st.c.since < s.c.sent_at,
                 and_(st.c.since == s.c.sent_at, _shown_before(st.c.since_id, s.c.id)))
    open_still = or_(st.c.until.is_(None), st.c.until > s.c.sent_at,
                     and_(st.c.until == s.c.sent_at, _shown_before(s.c.id, st.c.until_id)))
    return (select(func.min(st.c.since_id))
            .where(st.c.chat_id == s.c.chat_id, st.c.person == s.c.custodian, opened,
                   open_still).scalar_subquery())


def verdict_select(settings: Settings):
    """The rows of ``calendar.verdicts``, from ``calendar.subject``: status, deadline, first
    copies, days — all in SQL."""
    window = settings.window_days
    s = calendar.subject
    covered = select(s).where(s.c.sent_at <= s.c.as_of).subquery("covered")
    joined, condition, complete, arrived = proving(covered)
    proof = (select(covered.c.id, covered.c.custodian,
                    func.min(case((complete, arrived))).label("first_complete"),
                    func.min(arrived).label("first_any"))
             .select_from(joined).where(condition)
             .group_by(covered.c.id, covered.c.custodian).subquery("proof"))
    ends = calendar.zone_days.alias("deadline_day")
    j = (select(covered, ends.c.starts.label("deadline_end"), proof.c.first_complete,
                proof.c.first_any, _copied_by(covered).label("copied_by"))
         .select_from(covered.join(ends, and_(ends.c.zone == covered.c.zone,
                                              ends.c.day == covered.c.sent_day + window + 1))
                      .outerjoin(proof, and_(proof.c.id == covered.c.id,
                                             proof.c.custodian == covered.c.custodian)))
         # Computed once per row: PostgreSQL would inline a subquery and run the membership
         # probe in every CASE branch that reads it.
         .cte("judged").prefix_with("MATERIALIZED", dialect="postgresql")).c
    due_day = j.sent_day + window
    copied, in_time = j.copied_by.is_not(None), j.first_complete < j.deadline_end
    status = case(
        (copied, "copied"),                              # § 2911(a)(1)
        (in_time, "forwarded"),                          # § 2911(a)(2)
        (j.first_complete.is_not(None), "late"),
        (j.deadline_end > j.as_of, "pending"),
        (j.first_any.is_not(None), "incomplete"),
        else_="overdue")
    capture_day = _day_of(j.first_complete, j.zone)
    days = case(
        (copied, literal(0)),
        (in_time, capture_day - j.sent_day),
        (j.first_complete.is_not(None), capture_day - due_day),
        (j.deadline_end > j.as_of, due_day - j.today),
        else_=j.today - due_day)
    return select(j.id, j.custodian, j.chat_id, j.sent_at, j.kind, j.category, j.how,
                  j.as_of, j.deadline_end, j.first_complete, j.first_any, j.copied_by,
                  status.label("status"), cast(days, Integer).label("days"))


def counts(session: Session) -> list[tuple[str, str, int]]:
    """(custodian, status, count) of ``evaluate``'s verdicts; nothing fetched per message."""
    v = calendar.verdicts
    return [tuple(r) for r in session.execute(
        select(v.c.custodian, v.c.status, func.count()).group_by(v.c.custodian, v.c.status))]


__all__ = ["Evaluation", "counts", "current_filing", "evaluate", "prepare", "proving",
           "replaced_notice", "verdict_select"]
