"""Official-mailbox captures: one mail read with ``email`` (``policy.default``); no MIME
parsing of our own. Which files hold mail, and reading them, is ``mailboxes.py``.

A ``Mail`` is what one message says about itself: addresses, capture time (DESIGN §2), attached
chat exports, other attachments (media) and text bodies (pasted messages: ``pasted.py``).
Which address is official, and matching copies to the archive, is the importer's business.
Like ``email``, a damaged message is read as far as it goes, its problems in ``Mail.defects``;
``parse_mail`` never raises.
"""

from __future__ import annotations

import dataclasses
import email
import mimetypes
import os
import zipfile
import zlib
from datetime import UTC, datetime, timedelta
from email import policy
from email.errors import MessageError
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from retainer.errors import InputError
from retainer.formats.container import (
    SNIFF_BYTES,
    detect_encoding,
    open_container_bytes,
    sniff,
    title_from_name,
)
from retainer.formats.pasted import (
    PastedMessage,
    html_to_text,
    is_header,
    pasted_messages,
)

__all__ = ["Attachment", "Mail", "PastedMessage", "parse_mail", "pasted_messages"]

EARLIEST_PLAUSIBLE = datetime(2009, 1, 1, tzinfo=UTC)
"""A Date before this is implausible: WhatsApp did not exist, so no copy of a chat is older."""
DATE_SKEW = timedelta(days=1)
"""How far the Date may stray from the Received stamps before it is implausible."""
MAX_DEPTH = 20
"""Deepest nesting of multiparts and attached messages followed."""
MAX_CITED = 200
"""Longest header value a defect quotes."""
NO_HEADERS = "no mail header fields"
MAIL_FIELDS = ("from", "to", "cc", "date", "message-id", "received", "subject",
                "delivered-to", "return-path", "mime-version")
"""Fields that make a header block a mail's; at least one must be present."""
_ZIP_MIMES = frozenset({"application/zip", "application/x-zip-compressed"})
_HEADER_ERRORS = (ValueError, TypeError, IndexError, AttributeError, LookupError, MessageError)
"""What CPython's header and MIME code has been seen to raise on malformed input."""
_ZIP_ERRORS = (InputError, zipfile.BadZipFile, zlib.error, OSError, EOFError,
               NotImplementedError, RuntimeError)


@dataclasses.dataclass(frozen=True)
class Attachment:
    """A file attached to a mail (or to a message attached to it). ``name`` is as the mail
    gives it, never a path to write to; ``mime`` is python-magic's verdict on ``data``."""

    name: str
    data: bytes
    mime: str


@dataclasses.dataclass
class Mail:
    """One mail as found in an official mailbox."""

    source: str
    """``path`` for an ``.eml``; ``path#N`` (N from 1, file order) for an mbox member;
    ``path!key`` for a Maildir member. Shown in reports."""
    raw: bytes
    """The message's bytes as stored (for an mbox member: without its ``From `` line)."""
    message_id: str | None
    date: datetime | None
    """Aware UTC from the Date header; None when missing, unparseable or implausible."""
    date_header: str | None
    """The first Date header as written (unfolded), or None: a report can cite what the
    mail said even when ``date`` does not believe it."""
    date_stated: datetime | None
    """Aware UTC the Date header states when it is readable, plausible or not."""
    received: tuple[datetime, ...]
    """Aware UTC, the date part of every Received header that has a readable one, in order."""
    from_: tuple[str, ...]
    to: tuple[str, ...]
    cc: tuple[str, ...]
    delivered_to: tuple[str, ...]
    subject: str | None
    defects: list[str]
    """What was odd about the mail; never message text."""
    _exports: tuple[Attachment, ...] = dataclasses.field(default=(), repr=False)
    _media: tuple[Attachment, ...] = dataclasses.field(default=(), repr=False)
    _bodies: tuple[str, ...] = dataclasses.field(default=(), repr=False)

    def capture_time(self) -> datetime | None:
        """When the mail reached the mailbox: its Date, else its earliest Received, else None."""
        if self.date is not None:
            return self.date
        return min(self.received) if self.received else None

    def recipients(self) -> tuple[str, ...]:
        """To, Cc and Delivered-To addresses, lowercased, each once, in that order."""
        return tuple(dict.fromkeys(self.to + self.cc + self.delivered_to))

    def exports(self) -> list[Attachment]:
        """Attached chat exports, also inside attached messages: a ``.zip`` holding a chat, or
        text named like an export or starting with a message header. Read one with
        ``open_container_bytes(a.data, f"{mail.source}!{a.name}")``."""
        return list(self._exports)

    def media(self) -> list[Attachment]:
        """Every other attachment (photos, PDFs, inline images…), also inside attached
        messages: by name or SHA-256 they show a media file itself reached the mailbox."""
        return list(self._media)

    def bodies(self) -> list[str]:
        """The text bodies, in mail order, also of attached messages: ``text/plain`` parts
        without a file name, and ``text/html`` ones as ``html_to_text`` renders them. Of a
        ``multipart/alternative``, only the plain version when there is one."""
        return list(self._bodies)


def parse_mail(raw: bytes, source: str, *, now: datetime | None = None) -> Mail:
    """A ``Mail`` from one message's bytes; never raises: problems go to ``Mail.defects``.

    ``now`` (default: the current time) is when the mail is read: a Date or Received stamp
    more than ``DATE_SKEW`` after it is implausible (it claims a time that has not come).
    """
    msg = email.message_from_bytes(raw, policy=policy.default)
    defects: list[str] = []
    if not any(name.lower() in MAIL_FIELDS for name in msg):
        defects.append(NO_HEADERS)
    latest = (now or datetime.now(UTC)) + DATE_SKEW
    received = _received(msg, defects, latest)
    date_header, date_stated = _date_header(msg, defects)
    walk = _Walk(defects)
    walk.part(msg, 0)
    for part in msg.walk():
        for defect in part.defects:
            defects.append(f"MIME defect: {type(defect).__name__}")
    return Mail(
        source=source, raw=raw,
        message_id=_text(msg, "Message-ID", defects),
        date=_plausible(date_header, date_stated, received, latest, defects),
        date_header=date_header, date_stated=date_stated,
        received=received,
        from_=_addresses(msg, "From", defects), to=_addresses(msg, "To", defects),
        cc=_addresses(msg, "Cc", defects), delivered_to=_addresses(msg, "Delivered-To", defects),
        subject=_text(msg, "Subject", defects),
        defects=list(dict.fromkeys(defects)),
        _exports=tuple(walk.exports), _media=tuple(walk.media), _bodies=tuple(walk.bodies))


def _values(msg: Message, name: str, defects: list[str]) -> list[object]:
    try:
        return list(msg.get_all(name) or ())
    except _HEADER_ERRORS:
        defects.append(f"{name} header unreadable")
        return []


def _text(msg: Message, name: str, defects: list[str]) -> str | None:
    values = _values(msg, name, defects)
    return (str(values[0]).strip() or None) if values else None


def _addresses(msg: Message, name: str, defects: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for header in _values(msg, name, defects):
        addresses = getattr(header, "addresses", None)  # policy.default's AddressHeader
        if addresses is not None:
            specs = [a.addr_spec for a in addresses]
        else:  # Delivered-To is not a structured header in the registry
            specs = [spec for _, spec in getaddresses([str(header)])]
        found.extend(s.strip().lower() for s in specs if "@" in s)
    return tuple(dict.fromkeys(found))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # "-0000": UTC, local zone unknown (RFC 5322 §3.3)
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _received(msg: Message, defects: list[str], latest: datetime) -> tuple[datetime, ...]:
    """The readable date of every Received header, in order; one after ``latest`` (the
    future) is implausible and left out, as an unreadable one is."""
    stamps = []
    for n, header in enumerate(_values(msg, "Received", defects), 1):
        _, sep, stamp = str(header).rpartition(";")
        try:
            if not sep:
                raise ValueError
            moment = _utc(parsedate_to_datetime(stamp.strip()))
        except (TypeError, ValueError, IndexError, OverflowError):
            defects.append(f"Received header {n} has no readable date")
            continue
        if moment > latest:
            defects.append(f"Received header {n} implausible (in the future): "
                           f"{_cite(stamp.strip())}")
            continue
        stamps.append(moment)
    return tuple(stamps)


def _cite(text: str) -> str:
    """A header value quoted for a defect: one line, at most ``MAX_CITED`` characters."""
    text = " ".join(text.split())
    return repr(text if len(text) <= MAX_CITED else text[:MAX_CITED] + "…")


def _date_header(msg: Message, defects: list[str]) -> tuple[str | None, datetime | None]:
    """(the first Date header as written, the instant it states when readable)."""
    values = _values(msg, "Date", defects)
    if not values:
        defects.append("Date header missing")
        return None, None
    if len(values) > 1:
        defects.append("several Date headers; the first is used")
    # As written: the parsed header's str() is email's re-rendering (a wrong weekday fixed).
    raw = next((str(v) for k, v in msg.raw_items() if k.lower() == "date"), str(values[0]))
    written = " ".join(raw.split())
    moment = getattr(values[0], "datetime", None)
    if moment is None:
        defects.append(f"Date header unreadable: {_cite(written)}")
        return written, None
    return written, _utc(moment)


def _plausible(written: str | None, moment: datetime | None, received: tuple[datetime, ...],
               latest: datetime, defects: list[str]) -> datetime | None:
    """The Date, unless missing, unreadable or implausible: before 2009, more than a day
    after the latest Received stamp (written after it arrived), more than a day before the
    earliest (sent long after it was dated, so the Date would claim an earlier capture than
    the mailbox saw), or in the future (more than a day after the mail is read: without a
    Received header to compare, a Date of 2100 would otherwise pass). Then the capture time
    falls back to the earliest Received. The defect cites the header as written.
    """
    if moment is None:
        return None
    why = None
    if moment < EARLIEST_PLAUSIBLE:
        why = "before 2009"
    elif received and moment > max(received) + DATE_SKEW:
        why = "more than 1 day after the last Received"
    elif received and moment < min(received) - DATE_SKEW:
        why = "more than 1 day before the first Received"
    elif moment > latest:
        why = "in the future"
    if why is None:
        return moment
    defects.append(f"Date implausible ({why}): {_cite(written or '')}")
    return None


class _Walk:
    """One pass over the MIME tree, sorting leaves into bodies, exports and media."""

    def __init__(self, defects: list[str]) -> None:
        self.defects = defects
        self.bodies: list[str] = []
        self.exports: list[Attachment] = []
        self.media: list[Attachment] = []
        self.leaves = 0

    def part(self, part: Message, depth: int) -> None:
        if depth > MAX_DEPTH:
            self.defects.append(f"MIME parts nested deeper than {MAX_DEPTH}; the rest ignored")
            return
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                self.part(inner[0], depth + 1)
                return
            data = part.get_payload(decode=True) or b""
            self.part(email.message_from_bytes(data, policy=policy.default), depth + 1)
            return
        if part.is_multipart():
            if not ctype.startswith("multipart/"):
                return  # message/delivery-status and the like: header blocks, no content
            children = [c for c in part.get_payload() if isinstance(c, Message)]
            if ctype != "multipart/alternative":
                for child in children:
                    self.part(child, depth + 1)
                return
            # One body out of the alternatives (plain, else the last), every attachment of all.
            kept, versions = self.bodies, []
            for child in children:
                self.bodies = []
                self.part(child, depth + 1)
                versions.append((child.get_content_type() != "text/plain", self.bodies))
            versions = [v for v in versions if v[1]]
            self.bodies = kept + (min(versions, key=lambda v: v[0])[1] if versions else [])
            return
        self.leaves += 1
        try:
            self.leaf(part, ctype)
        except _HEADER_ERRORS:
            self.defects.append(f"MIME part {self.leaves} unreadable; skipped")

    def leaf(self, part: Message, ctype: str) -> None:
        name = part.get_filename()
        if (ctype in ("text/plain", "text/html") and name is None
                and part.get_content_disposition() != "attachment"):
            try:
                text = part.get_content()
            except (LookupError, UnicodeError):
                text = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
                self.defects.append(f"body part {self.leaves} has an unknown charset; "
                                    "read as UTF-8")
            text = text.replace("\r\n", "\n")
            self.bodies.append(html_to_text(text) if ctype == "text/html" else text)
            return
        data = part.get_payload(decode=True) or b""
        if name is None:
            name = f"part-{self.leaves}{mimetypes.guess_extension(ctype) or '.bin'}"
        mime = sniff(data[:SNIFF_BYTES]) if data else "application/x-empty"
        attachment = Attachment(name, data, mime)
        if self.is_export(attachment):
            self.exports.append(attachment)
        else:
            self.media.append(attachment)

    def is_export(self, a: Attachment) -> bool:
        if a.mime in _ZIP_MIMES or a.name.lower().endswith(".zip"):
            try:
                open_container_bytes(a.data, a.name)
            except _ZIP_ERRORS:
                if title_from_name(a.name) is not None:
                    self.defects.append(f"attachment {a.name} is named like a chat export "
                                        "but cannot be read as one")
                return False
            return True
        if not a.mime.startswith("text/"):
            return False
        if os.path.basename(a.name) == "_chat.txt" or title_from_name(a.name) is not None:
            return True
        head = a.data[:4096].decode(detect_encoding(a.data[:4]), "replace").lstrip("\ufeff")
        return is_header(next((line for line in head.splitlines() if line.strip()), ""))
