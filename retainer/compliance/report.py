"""The compliance report: verdicts with their evidence and reasons, per custodian summaries.

``build`` runs the engine's SQL, then attaches to each verdict the capture that proves it
(one set-based query for all of them) and a one-sentence reason. Exempt messages are listed
only on request, each with why it is not subject.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session

from retainer.archive.models import (
    Capture,
    Chat,
    Export,
    Mail,
    MailRecipient,
    Message,
    MessageEvent,
    PersonAccount,
    StoredFile,
)
from retainer.compliance import calendar, engine
from retainer.compliance.membership import stretches
from retainer.compliance.model import (
    ComplianceReport,
    CustodianSummary,
    Evidence,
    Verdict,
)
from retainer.config import Settings
from retainer.retention.rules import RuleBook

NO_CUSTODIAN = "(no custodian)"
NOT_SUBJECT = "(not subject)"
"""Summary row of the exempt messages in the nightly counts."""


def build(session: Session, settings: Settings, rulebook: RuleBook, as_of: dt.datetime, *,
          custodians: Iterable[str] = (), chat: str | None = None,
          statuses: Iterable[str] = (), include_exempt: bool = False) -> ComplianceReport:
    """The report as of ``as_of`` (an aware instant). Filters narrow the listed verdicts;
    the per-custodian summary always covers every status of the selected custodians."""
    engine.prepare(session, settings, rulebook, as_of)
    wanted_custodians, wanted = set(custodians), set(statuses)
    rows = engine.verdict_rows(settings, as_of).subquery()
    query = (select(rows, Message.sent_at, Message.sent_at_local, Message.author,
                    Message.text, Message.kind, Chat.title)
             .join(Message, Message.id == rows.c.id).join(Chat, Chat.id == rows.c.chat_id)
             .order_by(rows.c.custodian, Message.sent_at, Message.id))
    if wanted_custodians:
        query = query.where(rows.c.custodian.in_(wanted_custodians))
    if chat:
        query = query.where(func.lower(Chat.title) == chat.casefold())
    summary: dict[str, Counter[str]] = defaultdict(Counter)
    verdicts: list[Verdict] = []
    pending_evidence: list[Verdict] = []
    for row in session.execute(query.execution_options(yield_per=5000)):
        summary[row.custodian][row.status] += 1
        if wanted and row.status not in wanted:
            continue
        verdict = Verdict(
            id=row.id, chat=row.title, author=row.author, custodian=row.custodian,
            sent_at=row.sent_at, sent_at_local=row.sent_at_local, text=row.text,
            kind=row.kind, category=row.category, status=row.status,
            deadline=row.deadline_end - dt.timedelta(microseconds=1),
            official_capture_at=row.first_complete or row.first_any, days=row.days,
            reason=_reason(row, settings))
        verdicts.append(verdict)
        if row.status != "overdue" or row.first_any is not None:
            pending_evidence.append(verdict)
    verdicts = _with_evidence(session, settings, as_of, verdicts, pending_evidence)
    if include_exempt and (not wanted or "exempt" in wanted):
        exempt = _exempt(session, settings, as_of, chat)
        for verdict in exempt:
            summary[verdict.custodian or NO_CUSTODIAN]["exempt"] += 1
        if not wanted_custodians:
            verdicts.extend(exempt)
    names = [p.name for p in settings.people if p.custodian and
             (not wanted_custodians or p.name in wanted_custodians)]
    extra = sorted(k for k in summary if k not in names)
    return ComplianceReport(
        as_of=as_of, window_days=settings.window_days, scope=settings.scope, verdicts=verdicts,
        summary=[CustodianSummary(name, summary.get(name, Counter())) for name in names + extra],
        filters={"custodians": sorted(wanted_custodians), "chat": chat,
                 "statuses": sorted(wanted), "include_exempt": include_exempt})


def summarize(session: Session, settings: Settings, rulebook: RuleBook,
              as_of: dt.datetime) -> ComplianceReport:
    """Only the per-custodian counts (no message is fetched): for the nightly run's log."""
    engine.prepare(session, settings, rulebook, as_of)
    summary: dict[str, Counter[str]] = defaultdict(Counter)
    for custodian, status, n in engine.counts(session, settings, as_of):
        summary[custodian][status] = n
    names = [p.name for p in settings.people if p.custodian]
    rows = [CustodianSummary(n, summary.get(n, Counter())) for n in names]
    subject_ids = select(engine.verdict_rows(settings, as_of).subquery().c.id)
    replaced = exists().where(MessageEvent.related_message_id == Message.id,
                              MessageEvent.kind == "deleted_after_capture")
    exempt = session.scalar(select(func.count()).select_from(Message).where(
        Message.sent_at <= as_of, Message.id.not_in(subject_ids),
        ~and_(Message.kind == "deleted", replaced))) or 0
    rows.append(CustodianSummary(NOT_SUBJECT, Counter(exempt=exempt)))
    return ComplianceReport(as_of=as_of, window_days=settings.window_days, scope=settings.scope,
                            verdicts=[], summary=rows)


def _reason(row, settings: Settings) -> str:
    window = settings.window_days
    who = "a device of the custodian received it" if row.how == "received" else \
        "sent from a non-official account"
    if row.status == "copied":
        return f"{who}; an official account of the custodian was in the chat (§ 2911(a)(1))"
    if row.status == "forwarded":
        return (f"{who}; a complete copy reached an official account after {row.days} day(s), "
                f"within {window} (§ 2911(a)(2))")
    if row.status == "late":
        return f"{who}; the first complete copy came {row.days} day(s) after the deadline"
    if row.status == "incomplete":
        return (f"{who}; only incomplete copies reached an official account (media missing), "
                f"{row.days} day(s) past the deadline")
    if row.status == "pending":
        note = "; only an incomplete copy so far" if row.first_any is not None else ""
        return f"{who}; no complete copy yet, {row.days} day(s) left{note}"
    return f"{who}; no copy reached an official account, {row.days} day(s) past the deadline"


def _with_evidence(session: Session, settings: Settings, as_of: dt.datetime,
                   verdicts: list[Verdict], needing: list[Verdict]) -> list[Verdict]:
    """Attach to each verdict the capture (or membership) that proves it."""
    if not verdicts:
        return verdicts
    proofs = _captures(session, as_of, [v for v in needing if v.status != "copied"])
    members = defaultdict(list)
    if any(v.status == "copied" for v in verdicts):
        for stretch in stretches(session, as_of):
            members[stretch.chat_id, stretch.person].append(stretch)
    chat_ids = dict(session.execute(select(Chat.title, Chat.id)).all())
    result = []
    for verdict in verdicts:
        evidence: tuple[Evidence, ...] = ()
        if verdict.status == "copied":
            for stretch in members[chat_ids[verdict.chat], verdict.custodian]:
                if stretch.since < verdict.sent_at and (stretch.until is None
                                                        or verdict.sent_at < stretch.until):
                    evidence = (Evidence(kind="membership", captured_at=stretch.since,
                                         official_account=stretch.account,
                                         notice_message_id=stretch.notice_id),)
                    break
        else:
            found = proofs.get((verdict.id, verdict.custodian), [])
            if verdict.status in ("forwarded", "late"):
                found = [e for e in found if e.complete][:1]
            else:
                found = found[:1]
            evidence = tuple(found)
        result.append(_replace(verdict, evidence))
    return result


def _replace(verdict: Verdict, evidence: tuple[Evidence, ...]) -> Verdict:
    return dataclasses.replace(verdict, evidence=evidence) if evidence else verdict


def _captures(session: Session, as_of: dt.datetime, verdicts: list[Verdict]
              ) -> dict[tuple[int, str], list[Evidence]]:
    """Proving captures of the given verdicts' messages, earliest first: official captures
    whose mail reached the custodian's official account (or, with no mail, whose official
    export names the custodian)."""
    wanted = {(v.id, v.custodian) for v in verdicts}
    if not wanted:
        return {}
    exp, cap = Export.__table__, Capture.__table__
    mail_of = func.coalesce(cap.c.mail_id, exp.c.mail_id)
    reached = PersonAccount.__table__.alias("reached")
    query = (select(cap.c.id, cap.c.message_id, cap.c.captured_at, cap.c.complete,
                    mail_of.label("mail_id"), exp.c.custodian, exp.c.file_id,
                    reached.c.person, MailRecipient.address)
             .select_from(cap.outerjoin(exp, exp.c.id == cap.c.export_id)
                          .outerjoin(MailRecipient, MailRecipient.mail_id == mail_of)
                          .outerjoin(reached, and_(reached.c.key == MailRecipient.address,
                                                   reached.c.official)))
             .where(cap.c.channel == "official", cap.c.captured_at <= as_of,
                    cap.c.message_id.in_({message_id for message_id, _ in wanted}))
             .order_by(cap.c.captured_at, cap.c.id))
    rows = session.execute(query).all()
    mail_ids = {r.mail_id for r in rows if r.mail_id is not None}
    mails = {mail.id: mail for mail in
             session.scalars(select(Mail).where(Mail.id.in_(mail_ids)))} if mail_ids else {}
    file_ids = {mail.file_id for mail in mails.values()} | {r.file_id for r in rows}
    files = dict(session.execute(select(StoredFile.id, StoredFile.sha256)
                                 .where(StoredFile.id.in_(file_ids))).all())
    found: dict[tuple[int, str], list[Evidence]] = defaultdict(list)
    seen: set[tuple[int, str, int]] = set()
    for r in rows:
        custodian, account = (r.person, r.address) if r.mail_id is not None else \
            (r.custodian, None)
        key = (r.message_id, custodian)
        if key not in wanted or (r.message_id, custodian, r.id) in seen:
            continue
        seen.add((r.message_id, custodian, r.id))
        mail = mails.get(r.mail_id)
        found[key].append(Evidence(
            kind="mail" if mail else "official-export", capture_id=r.id,
            captured_at=r.captured_at, complete=r.complete,
            mail_message_id=mail.message_id if mail else None,
            mail_date=mail.date if mail else None, mail_source=mail.source if mail else None,
            vault_sha256=files.get(mail.file_id if mail else r.file_id),
            official_account=account))
    return found


def _exempt(session: Session, settings: Settings, as_of: dt.datetime,
            chat: str | None) -> list[Verdict]:
    """Messages that are not subject, each with why (DESIGN §5: exempt). A deletion notice
    standing for a message whose content was captured is that message, not another one: it
    is left out (the captured message carries the verdict)."""
    subject = engine.verdict_rows(settings, as_of).subquery()
    author = PersonAccount.__table__.alias("author_account")
    owner = PersonAccount.__table__.alias("owner")
    filing = engine.current_filings()
    cat = calendar.categories
    custodian_names = [p.name for p in settings.people if p.custodian]
    replaced = exists().where(MessageEvent.related_message_id == Message.id,
                              MessageEvent.kind == "deleted_after_capture")
    official_owner = (select(owner.c.person).where(owner.c.key == Message.author_key,
                                                   owner.c.official)
                      .limit(1).scalar_subquery())
    reason = case(
        (Message.kind == "system", "system message"),
        (cat.c.record.is_(False), "filed under a non-record category (44 U.S.C. § 3301)"),
        (official_owner.is_not(None), "sent from an official account"),
        (author.c.person.is_(None), "the author resolves to nobody (add an alias if a "
                                    "custodian wrote it)"),
        (author.c.person.not_in(custodian_names) if custodian_names else True,
         "the author is not a custodian"),
        else_="not subject")
    query = (select(Message.id, Chat.title, Message.sent_at, Message.sent_at_local,
                    Message.author, Message.text, Message.kind, filing.c.category,
                    func.coalesce(author.c.person, official_owner).label("person"),
                    reason.label("reason"))
             .join(Chat, Chat.id == Message.chat_id)
             .outerjoin(author, and_(author.c.key == Message.author_key, ~author.c.official))
             .outerjoin(filing, filing.c.message_id == Message.id)
             .outerjoin(cat, and_(cat.c.schedule_id == filing.c.schedule_id,
                                  cat.c.code == filing.c.category))
             .where(Message.sent_at <= as_of, Message.id.not_in(select(subject.c.id)),
                    ~and_(Message.kind == "deleted", replaced))
             .order_by(Message.sent_at, Message.id))
    if chat:
        query = query.where(func.lower(Chat.title) == chat.casefold())
    return [Verdict(id=r.id, chat=r.title, author=r.author, custodian=r.person,
                    sent_at=r.sent_at, sent_at_local=r.sent_at_local, text=r.text,
                    kind=r.kind, category=r.category, status="exempt", deadline=None,
                    official_capture_at=None, days=None, reason=r.reason)
            for r in session.execute(query)]


def as_of_instant(settings: Settings, text: str | None = None,
                  now: dt.datetime | None = None) -> dt.datetime:
    """The report's moment: ``text`` (a date means the end of that day in the archive's
    zone), else the configuration's ``as_of``, else now."""
    from retainer.dates import parse_when

    chosen = text or settings.as_of
    if not chosen:
        return now or dt.datetime.now(dt.UTC)
    return parse_when(chosen, zone=settings.timezone, now=now, end_of_day=True)


def custodian_zones(settings: Settings) -> dict[str, str]:
    return {p.name: p.timezone or settings.timezone for p in settings.people}
