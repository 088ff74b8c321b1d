"""The compliance report: verdicts with their evidence and reasons, per custodian summaries.

``build`` runs the engine (``engine.evaluate``: every verdict in one temporary table), then
reads from it with SQL: the summary counts, the monthly on-time shares, the listed verdicts
(the status filter applied in the query) and their evidence (one set-based query). Exempt
messages are counted and listed only on request, each with why it is not subject.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select, true
from sqlalchemy.orm import Session

from retainer.archive.models import Chat, Message, PersonAccount
from retainer.chats import chat_titled
from retainer.compliance import calendar, engine, evidence, exempt
from retainer.compliance.calendar import AsOf
from retainer.compliance.model import (
    ON_TIME,
    STATUSES,
    ComplianceReport,
    CustodianSummary,
    Verdict,
)
from retainer.config import Settings
from retainer.errors import UsageError
from retainer.retention.rules import RuleBook

NOT_SUBJECT = "(not subject)"
"""Summary row of the exempt messages: they are nobody's obligation under § 2911."""


def build(session: Session, settings: Settings, rulebook: RuleBook,
          as_of: AsOf | dt.datetime, *, custodians: Iterable[str] = (),
          chat: str | None = None, statuses: Iterable[str] = (),
          include_exempt: bool = False) -> ComplianceReport:
    """The report as of ``as_of`` (an ``AsOf``, or an aware instant). ``custodians`` and
    ``chat`` narrow everything (summary included); ``statuses`` narrows the listed verdicts
    (asking for ``exempt`` lists exempt messages); the summary always counts every status.

    Raises:
        UsageError: a name that is no configured custodian, or a chat the archive lacks.
    """
    as_of = AsOf.of(as_of)
    wanted_custodians = resolve_custodians(settings, custodians)
    wanted = {s.lower() for s in statuses}
    include_exempt = include_exempt or "exempt" in wanted  # asking for exempt implies it
    chat_id = resolve_chat(session, chat) if chat else None
    evaluation = engine.evaluate(session, settings, rulebook, as_of)
    v = calendar.verdicts
    scope = and_(v.c.custodian.in_(wanted_custodians) if wanted_custodians else true(),
                 v.c.chat_id == chat_id if chat_id is not None else true())
    summary: dict[str, Counter[str]] = defaultdict(Counter)
    for custodian, status, n in session.execute(
            select(v.c.custodian, v.c.status, func.count()).where(scope)
            .group_by(v.c.custodian, v.c.status)):
        summary[custodian][status] = n
    listed = and_(scope, v.c.status.in_(wanted) if wanted else true())
    verdicts = _verdicts(session, settings, evaluation, listed)
    names = [p.name for p in settings.people if p.custodian and
             (not wanted_custodians or p.name in wanted_custodians)]
    rows = [CustodianSummary(name, summary.get(name, Counter())) for name in names]
    if include_exempt:
        query = exempt.select_exempt(settings, as_of.instant, chat_id=chat_id,
                                     custodians=wanted_custodians)
        n = exempt.count(session, as_of.instant, chat_id=chat_id, custodians=wanted_custodians)
        rows.append(CustodianSummary(NOT_SUBJECT, Counter(exempt=n)))
        if not wanted or "exempt" in wanted:
            verdicts.extend(exempt.verdicts(session, query))
    return ComplianceReport(
        as_of=as_of.instant, window_days=settings.window_days, scope=settings.scope,
        verdicts=verdicts, summary=rows, as_of_date=as_of.day,
        custodian_as_of=_custodian_as_of(settings, as_of, names),
        monthly=_monthly(session, scope),
        filters={"custodians": sorted(wanted_custodians), "chat": chat,
                 "statuses": sorted(wanted), "include_exempt": include_exempt})


def summarize(session: Session, settings: Settings, rulebook: RuleBook,
              as_of: AsOf | dt.datetime) -> ComplianceReport:
    """Only the per-custodian counts (no message is fetched): for the nightly run's log."""
    as_of = AsOf.of(as_of)
    engine.evaluate(session, settings, rulebook, as_of)
    summary: dict[str, Counter[str]] = defaultdict(Counter)
    for custodian, status, n in engine.counts(session):
        summary[custodian][status] = n
    names = [p.name for p in settings.people if p.custodian]
    rows = [CustodianSummary(n, summary.get(n, Counter())) for n in names]
    rows.append(CustodianSummary(NOT_SUBJECT, Counter(exempt=exempt.count(session,
                                                                          as_of.instant))))
    return ComplianceReport(as_of=as_of.instant, window_days=settings.window_days,
                            scope=settings.scope, verdicts=[], summary=rows,
                            as_of_date=as_of.day,
                            custodian_as_of=_custodian_as_of(settings, as_of, names))


def resolve_custodians(settings: Settings, names: Iterable[str]) -> list[str]:
    """The configured custodians these names mean (case aside), in the configuration's
    spelling; a name that is not a custodian's is a usage error, so that a typo in a cron job
    never reports all clear."""
    chosen = []
    custodians = {p.name.casefold(): p.name for p in settings.people if p.custodian}
    people = {p.name.casefold() for p in settings.people}
    for name in names:
        found = custodians.get(name.strip().casefold())
        if found is None:
            why = ("is not a custodian" if name.strip().casefold() in people
                   else "is not a person in the configuration")
            raise UsageError(f"--custodian {name!r} {why} (custodians: "
                             f"{', '.join(custodians.values()) or 'none'})")
        if found not in chosen:
            chosen.append(found)
    return chosen


def resolve_chat(session: Session, title: str) -> int:
    """The id of the archived chat with this title (case aside)."""
    found = chat_titled(session, title)
    if found is None:
        raise UsageError(f"--chat {title!r}: no chat with that title in the archive "
                         "(retainer chats lists them)")
    return found[0]


def _custodian_as_of(settings: Settings, as_of: AsOf, names: list[str]
                     ) -> dict[str, dt.datetime]:
    zones = custodian_zones(settings)
    return {name: as_of.in_zone(zones[name]) for name in names}


def _monthly(session: Session, scope) -> list[tuple[str, int, int]]:
    """(month sent ``YYYY-MM`` as the export wrote it, on time, decided) over every subject
    verdict in scope: decided means not pending; on time is copied or forwarded."""
    v = calendar.verdicts
    month = func.substr(Message.sent_at_local, 1, 7)
    good = func.sum(case((v.c.status.in_(sorted(ON_TIME)), 1), else_=0))
    rows = session.execute(
        select(month, good, func.count()).select_from(v.join(Message, Message.id == v.c.id))
        .where(scope, v.c.status != "pending").group_by(month).order_by(month))
    return [(m, int(g or 0), int(n)) for m, g, n in rows]


def _verdicts(session: Session, settings: Settings, evaluation: engine.Evaluation,
              listed) -> list[Verdict]:
    """The listed verdicts, with reasons and evidence, in custodian then sending order."""
    v = calendar.verdicts
    author = PersonAccount.__table__.alias("listed_author")
    owner = PersonAccount.__table__.alias("listed_owner")
    query = (select(v.c.id, v.c.custodian, v.c.chat_id, v.c.sent_at, v.c.kind, v.c.category,
                    v.c.how, v.c.deadline_end, v.c.first_complete, v.c.first_any,
                    v.c.copied_by, v.c.status, v.c.days,
                    Message.sent_at_local, Message.author, Message.text, Chat.title,
                    func.coalesce(author.c.person, owner.c.person).label("person"))
             .select_from(v.join(Message, Message.id == v.c.id)
                          .join(Chat, Chat.id == v.c.chat_id)
                          .outerjoin(author, and_(author.c.key == Message.author_key,
                                                  ~author.c.official))
                          .outerjoin(owner, and_(owner.c.key == Message.author_key,
                                                 owner.c.official)))
             .where(listed).order_by(v.c.custodian, v.c.sent_at, v.c.id))
    found = evidence.captures(session, listed)
    result = []
    # A large listing repeats a few values (chats, people, categories, reasons): one object
    # each, not one per message.
    shared: dict[object, object] = {}
    one = shared.setdefault
    conn = session.connection()  # Core rows: no ORM bookkeeping per listed message
    for row in conn.execute(query.execution_options(yield_per=5000)):
        why = (row.status, row.how, row.kind == "deleted", row.days, row.first_any is None)
        reason = shared.get(why)
        if reason is None:
            reason = shared[why] = _reason(row, settings)
        if row.copied_by is not None:
            proof = evidence.membership(evaluation, row.chat_id, row.custodian, row.copied_by,
                                        row.sent_at)
        elif row.first_any is not None:
            proof = evidence.pick(row.status, found.get((row.id, row.custodian), []))
        else:
            proof = ()
        result.append(Verdict(
            id=row.id, chat=one(row.title, row.title), author=one(row.author, row.author),
            custodian=one(row.custodian, row.custodian), person=one(row.person, row.person),
            sent_at=row.sent_at, sent_at_local=row.sent_at_local, text=row.text,
            kind=one(row.kind, row.kind), category=one(row.category, row.category),
            status=one(row.status, row.status),
            deadline=row.deadline_end - _MICROSECOND,
            official_capture_at=row.first_complete or row.first_any, days=row.days,
            reason=reason, evidence=proof))
    return result


_MICROSECOND = dt.timedelta(microseconds=1)


def _reason(row, settings: Settings) -> str:
    window = settings.window_days
    who = "a device of the custodian received it" if row.how == "received" else \
        "sent from a non-official account"
    deleted = row.kind == "deleted"
    if row.status == "copied":
        return f"{who}; an official account of the custodian was in the chat (§ 2911(a)(1))"
    if row.status == "forwarded":
        return (f"{who}; a complete copy reached an official account after {row.days} day(s), "
                f"within {window} (§ 2911(a)(2))")
    if row.status == "late":
        return f"{who}; the first complete copy came {row.days} day(s) after the deadline"
    if row.status == "incomplete":
        what = ("only its deletion notice reached an official account: the content was "
                "never captured" if deleted else
                "only incomplete copies reached an official account (media missing)")
        return f"{who}; {what}, {row.days} day(s) past the deadline"
    if row.status == "pending":
        note = ""
        if row.first_any is not None:
            note = ("; only its deletion notice so far (the content was never captured)"
                    if deleted else "; only an incomplete copy so far")
        return f"{who}; no complete copy yet, {row.days} day(s) left{note}"
    return f"{who}; no copy reached an official account, {row.days} day(s) past the deadline"


def as_of_moment(settings: Settings, text: str | None = None,
                 now: dt.datetime | None = None) -> AsOf:
    """The report's moment: ``text``, else the configuration's ``as_of``, else now.

    A date (``2026-11-23``, or words naming a day: "yesterday", "2 weeks ago") means the end
    of that day in each custodian's zone (``AsOf``), a month or a year ("March 2026") the end
    of its last day; a time ("2026-11-23T12:00", "3 hours
    ago") is one instant for everybody.
    """
    from retainer.dates import parse_when

    chosen = text or settings.as_of
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)  # one "now" for both readings
    if not chosen:
        return AsOf(now)
    option = "--as-of" if text else "[compliance] as_of"
    start = parse_when(chosen, zone=settings.timezone, now=now, option=option)
    end = parse_when(chosen, zone=settings.timezone, now=now, end_of_day=True, option=option)
    if start == end:  # a moment: end_of_day changes only what names a whole day
        return AsOf(end)
    # A day, or a longer period ("March 2026", "2025"): the end of its last day.
    return AsOf(end, end.astimezone(ZoneInfo(settings.timezone)).date())


as_of_instant = as_of_moment
"""The name the nightly run and older callers use."""


def custodian_zones(settings: Settings) -> dict[str, str]:
    return {p.name: p.timezone or settings.timezone for p in settings.people}


__all__ = ["NOT_SUBJECT", "STATUSES", "as_of_instant", "as_of_moment", "build",
           "custodian_zones", "resolve_chat", "resolve_custodians", "summarize"]
