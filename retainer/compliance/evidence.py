"""The evidence behind each verdict: the capture that proves it, or the membership of an
official account in the chat (DESIGN §5: "every copied/forwarded verdict can list the capture
that proves it").

One set-based query for all listed verdicts: the same ``engine.proving`` join the verdicts
were computed with, so that the evidence shown is exactly what decided the status.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from retainer.archive.models import Mail, MailRecipient, PersonAccount, StoredFile
from retainer.compliance import calendar, engine
from retainer.compliance.model import Evidence

CAPTURE_STATUSES = ("forwarded", "late", "incomplete", "pending")
"""Statuses whose evidence is an official capture (when one exists)."""


def membership(evaluation: engine.Evaluation, chat_id: int, custodian: str,
               copied_by: int, sent_at) -> tuple[Evidence, ...]:
    """The notice (or message) that shows an official account in the chat (§ 2911(a)(1)):
    of the accounts it added, one still in the chat when the message was sent."""
    opened = evaluation.stretches.get((chat_id, custodian, copied_by))
    if not opened:
        return ()
    stretch = next((s for s in opened if s.until is None or s.until >= sent_at), opened[0])
    return (Evidence(kind="membership", captured_at=stretch.since,
                     official_account=stretch.account, notice_message_id=stretch.notice_id),)


def captures(session: Session, scope) -> dict[tuple[int, str], list[Evidence]]:
    """Proving official captures of the verdicts ``scope`` selects (a condition on
    ``calendar.verdicts``), earliest first, per (message id, custodian)."""
    v = calendar.verdicts
    joined, condition, complete, arrived = engine.proving(v)
    cap, exp = engine.cap, engine.exp
    mail_of = func.coalesce(cap.c.mail_id, exp.c.mail_id)
    to = MailRecipient.__table__.alias("evidence_to")
    official = PersonAccount.__table__.alias("evidence_official")
    account = (select(func.min(to.c.address))
               .select_from(to.join(official, and_(official.c.key == to.c.address,
                                                   official.c.official,
                                                   official.c.person == v.c.custodian)))
               .where(to.c.mail_id == mail_of).scalar_subquery())
    query = (select(v.c.id, v.c.custodian, cap.c.id.label("capture_id"),
                    arrived.label("captured_at"),
                    complete.label("complete"), mail_of.label("mail_id"), exp.c.file_id,
                    account.label("account"))
             .select_from(joined)
             .where(scope, v.c.status.in_(CAPTURE_STATUSES), v.c.first_any.is_not(None),
                    condition)
             .order_by(v.c.id, v.c.custodian, arrived, cap.c.id))
    rows = session.execute(query).all()
    mail_ids = {r.mail_id for r in rows if r.mail_id is not None}
    mails = {mail.id: mail for mail in
             session.scalars(select(Mail).where(Mail.id.in_(mail_ids)))} if mail_ids else {}
    file_ids = {mail.file_id for mail in mails.values()} | {r.file_id for r in rows
                                                            if r.file_id is not None}
    files = dict(session.execute(select(StoredFile.id, StoredFile.sha256)
                                 .where(StoredFile.id.in_(file_ids))).all()) if file_ids else {}
    found: dict[tuple[int, str], list[Evidence]] = defaultdict(list)
    for r in rows:
        mail = mails.get(r.mail_id)
        found[r.id, r.custodian].append(Evidence(
            kind="mail" if mail else "official-export", capture_id=r.capture_id,
            captured_at=r.captured_at, complete=bool(r.complete),
            mail_message_id=mail.message_id if mail else None,
            mail_date=mail.date if mail else None, mail_source=mail.source if mail else None,
            vault_sha256=files.get(mail.file_id if mail else r.file_id),
            official_account=r.account if mail else None))
    return found


def pick(status: str, found: list[Evidence]) -> tuple[Evidence, ...]:
    """The capture that decided the status: the first complete copy for forwarded and late,
    else the first (incomplete) copy."""
    if status in ("forwarded", "late"):
        found = [e for e in found if e.complete]
    return tuple(found[:1])
