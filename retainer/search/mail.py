"""Chat messages as e-mail messages (RFC 5322), for mail clients and e-discovery tools.

One mail per chat message:

- ``Date``: the message's UTC instant; ``Subject``: the chat title.
- ``From``: the resolved person, ``"Dana Reyes" <dana-reyes.1f2e3d4c@people.retainer.invalid>``;
  an author nobody claims, ``"+1 619 555 0142" <tel-16195550142.….@accounts.retainer.invalid>``;
  a notice, ``WhatsApp notice <notice@retainer.invalid>``. The addresses are fictional
  (``.invalid`` is reserved, RFC 2606) and stable: the same person or author always gets the
  same one (a readable part plus 8 hex digits of the SHA-256 of the name or account key).
- ``Message-ID``: ``<IDENTITY.CHAT_ID@retainer.invalid>`` — the message's identity (DESIGN §3),
  so the same message has the same Message-ID in every export.
- ``In-Reply-To``: the chat's previous message in the archive; ``References``: the chat's first
  message and the previous one, so clients thread a chat as one conversation.
- ``X-Retainer-*``: chat, archive message id, kind, local time and zone, edited flag, the
  author as exported, attachment name, the archive's content digest and the SHA-256 of the
  text.
- Body: the exact text, UTF-8, base64 (so no line ending or trailing space is changed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Sequence
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from retainer.archive.models import Message
from retainer.search.engine import Hit

DOMAIN = "retainer.invalid"
_NOT_LOCAL_RE = re.compile(r"[^a-z0-9]+")
_LINE_BREAK_RE = re.compile(r"[\r\n\x00-\x1f\x7f]+")


def message_id(identity: str, chat_id: int) -> str:
    return f"<{identity}.{chat_id}@{DOMAIN}>"


def _local_part(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    readable = _NOT_LOCAL_RE.sub("-", folded).strip("-")[:40].strip("-") or "author"
    return f"{readable}.{hashlib.sha256(name.encode()).hexdigest()[:8]}"


def sender(hit: Hit) -> Address:
    """The ``From`` address of a message (see the module docstring)."""
    if hit.author is None:
        return Address("WhatsApp notice", "notice", DOMAIN)
    if hit.person is not None:
        return Address(hit.person, _local_part(hit.person), f"people.{DOMAIN}")
    return Address(_header(hit.author), _local_part(hit.author_key or hit.author),
                   f"accounts.{DOMAIN}")


def _header(value: str) -> str:
    return _LINE_BREAK_RE.sub(" ", value)


def build(hit: Hit, *, previous: str | None, first: str | None) -> EmailMessage:
    """The mail for one message; ``previous`` and ``first`` are the identities of the chat's
    previous and first messages (None for the first message itself)."""
    mail = EmailMessage(policy=policy.SMTP)
    mail["Date"] = format_datetime(hit.sent_at.astimezone(dt.UTC))
    mail["From"] = sender(hit)
    mail["Subject"] = _header(hit.chat)
    mail["Message-ID"] = message_id(hit.identity, hit.chat_id)
    if previous is not None:
        mail["In-Reply-To"] = message_id(previous, hit.chat_id)
        chain = [message_id(previous, hit.chat_id)]
        if first is not None and first != previous:
            chain.insert(0, message_id(first, hit.chat_id))
        mail["References"] = " ".join(chain)
    mail["X-Retainer-Chat"] = _header(hit.chat)
    mail["X-Retainer-Message-Id"] = str(hit.message_id)
    mail["X-Retainer-Kind"] = hit.kind
    mail["X-Retainer-Local-Time"] = f"{hit.sent_at_local} {hit.timezone}"
    mail["X-Retainer-Edited"] = "yes" if hit.edited else "no"
    if hit.author is not None:
        mail["X-Retainer-Author"] = _header(hit.author)
    if hit.attachment is not None:
        mail["X-Retainer-Attachment"] = _header(hit.attachment)
    mail["X-Retainer-Content-Digest"] = hit.content_digest
    mail["X-Retainer-Text-SHA256"] = hashlib.sha256(hit.text.encode()).hexdigest()
    mail.set_content(hit.text.encode(), maintype="text", subtype="plain", cte="base64",
                     params={"charset": "utf-8"})
    return mail


def neighbours(session: Session, hits: Sequence[Hit]) -> dict[int, tuple[str | None, str]]:
    """message id → (identity of the chat's previous message or None, identity of the chat's
    first message), from the archive (not just the hits), so threading does not depend on
    what else was exported."""
    earlier = aliased(Message)
    previous = (select(earlier.identity)
                .where(earlier.chat_id == Message.chat_id,
                       or_(earlier.sent_at < Message.sent_at,
                           and_(earlier.sent_at == Message.sent_at, earlier.id < Message.id)))
                .order_by(earlier.sent_at.desc(), earlier.id.desc()).limit(1)
                .correlate(Message).scalar_subquery())
    before = dict(session.execute(select(Message.id, previous)
                                  .where(Message.id.in_([h.message_id for h in hits]))).all())
    firsts: dict[int, str] = {}
    for chat_id in {h.chat_id for h in hits}:
        firsts[chat_id] = session.scalar(select(Message.identity)
                                         .where(Message.chat_id == chat_id)
                                         .order_by(Message.sent_at, Message.id).limit(1))
    return {h.message_id: (before.get(h.message_id), firsts[h.chat_id]) for h in hits}
