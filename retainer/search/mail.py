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
- ``In-Reply-To`` and ``References``: the chat's thread root, ``<chat.CHAT_ID@retainer.invalid>``
  (no mail of its own), so clients thread a chat as one conversation. It is derived from the
  chat alone, not from neighbouring messages (which a later import may add), so a message's
  mail does not change when the archive grows.
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
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from retainer.search.engine import Hit

DOMAIN = "retainer.invalid"
_NOT_LOCAL_RE = re.compile(r"[^a-z0-9]+")
_LINE_BREAK_RE = re.compile(r"[\r\n\x00-\x1f\x7f]+")


def message_id(identity: str, chat_id: int) -> str:
    return f"<{identity}.{chat_id}@{DOMAIN}>"


def thread_root(chat_id: int) -> str:
    """The Message-ID every mail of a chat replies to (identities are hex: no clash)."""
    return f"<chat.{chat_id}@{DOMAIN}>"


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


def build(hit: Hit) -> EmailMessage:
    """The mail for one message: the same bytes for the same message in every export, as
    long as the configuration resolves its author to the same person."""
    mail = EmailMessage(policy=policy.SMTP)
    mail["Date"] = format_datetime(hit.sent_at.astimezone(dt.UTC))
    mail["From"] = sender(hit)
    mail["Subject"] = _header(hit.chat)
    mail["Message-ID"] = message_id(hit.identity, hit.chat_id)
    mail["In-Reply-To"] = thread_root(hit.chat_id)
    mail["References"] = thread_root(hit.chat_id)
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
