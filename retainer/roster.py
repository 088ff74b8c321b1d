"""Who appears in the archive: the configured people with their accounts and message counts,
the author names nobody claims yet, most frequent first, so a records officer can map them
with an alias (which then applies to everything already imported), and the mails that
reached no official account of a custodian (they prove no forward; perhaps an official
address is missing from the configuration)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, distinct, exists, func, select
from sqlalchemy.orm import Session

from retainer.archive.models import Mail, MailRecipient, Message, PersonAccount
from retainer.config import Person


@dataclasses.dataclass
class PersonSummary:
    name: str
    custodian: bool
    role: str | None
    timezone: str | None
    aliases: tuple[str, ...]
    official_accounts: tuple[str, ...]
    messages: int
    chats: int


@dataclasses.dataclass
class Unresolved:
    author: str
    messages: int
    chats: int


def people_summary(session: Session, people: tuple[Person, ...]
                   ) -> tuple[list[PersonSummary], list[Unresolved]]:
    """People in configuration order, then unresolved authors by message count.

    Resolution goes through ``person_accounts`` (kept in step with the configuration by
    ``retainer.archive.people.sync_people``).
    """
    account = and_(PersonAccount.key == Message.author_key, PersonAccount.official.is_(False))
    counts = {person: (n, chats) for person, n, chats in session.execute(
        select(PersonAccount.person, func.count(Message.id), func.count(distinct(Message.chat_id)))
        .join(PersonAccount, account).group_by(PersonAccount.person))}
    summaries = [PersonSummary(p.name, p.custodian, p.role, p.timezone, p.aliases,
                               p.official_accounts, *counts.get(p.name, (0, 0)))
                 for p in people]
    unresolved = [Unresolved(author, n, chats) for author, n, chats in session.execute(
        select(Message.author, func.count(Message.id), func.count(distinct(Message.chat_id)))
        .outerjoin(PersonAccount, account)
        .where(Message.author.is_not(None), PersonAccount.id.is_(None))
        .group_by(Message.author).order_by(func.count(Message.id).desc(), Message.author))]
    return summaries, unresolved


@dataclasses.dataclass
class UnofficialMail:
    """A mail that reached no official account of a custodian: its headers, never its text."""

    source: str
    message_id: str | None
    date: dt.datetime | None
    """What its Date header states (None: missing or unreadable)."""
    captured_at: dt.datetime | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    delivered_to: tuple[str, ...]


def unofficial_mails(session: Session, people: tuple[Person, ...]) -> list[UnofficialMail]:
    """Archived mails none of whose To, Cc or Delivered-To addresses is an official account
    of a custodian, in import order. Decided against the configuration of the day
    (``person_accounts``), as reports decide it: adding an official account later makes
    earlier mails count."""
    custodians = [p.name for p in people if p.custodian]
    reached = exists().where(MailRecipient.mail_id == Mail.id,
                             PersonAccount.key == MailRecipient.address,
                             PersonAccount.official, PersonAccount.person.in_(custodians))
    mails = session.execute(select(Mail.id, Mail.source, Mail.message_id, Mail.date,
                                   Mail.captured_at).where(~reached).order_by(Mail.id)).all()
    addresses: dict[tuple[int, str], list[str]] = defaultdict(list)
    if mails:
        for mail_id, field, address in session.execute(
                select(MailRecipient.mail_id, MailRecipient.field, MailRecipient.address)
                .where(MailRecipient.mail_id.in_([m.id for m in mails]))
                .order_by(MailRecipient.id)):
            addresses[mail_id, field].append(address)
    return [UnofficialMail(m.source, m.message_id, m.date, m.captured_at,
                           *(tuple(addresses[m.id, f]) for f in ("to", "cc", "delivered-to")))
            for m in mails]
