"""Which files hold mail, and reading them: ``.eml`` files, mbox files and Maildir folders,
with the standard library's ``mailbox`` (one message in memory at a time).

Only a file that is no mail at all raises; a broken message inside a mailbox is read as far
as it goes (``retainer.formats.mail.parse_mail``), its problems in ``Mail.defects``.
"""

from __future__ import annotations

import mailbox
import os
import re
from collections.abc import Callable, Iterator

from retainer.errors import InputError
from retainer.formats.container import SNIFF_BYTES, sniff
from retainer.formats.mail import MAIL_FIELDS, NO_HEADERS, Mail, parse_mail

__all__ = ["is_mail_file", "is_maildir", "maildir_part", "read_mail_file"]

MAIL_SUFFIXES = (".eml",)
MBOX_SUFFIXES = (".mbox", ".mbx")
MAILDIR_PARTS = ("cur", "new", "tmp")
_FIELD_RE = re.compile(rb"([!-9;-~]+):")
"""An RFC 5322 §2.2 field name and its colon, at the start of a header line."""


def is_maildir(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a Maildir folder: it holds ``cur/``, ``new/`` and ``tmp/``."""
    return all(os.path.isdir(os.path.join(path, sub)) for sub in MAILDIR_PARTS)


def maildir_part(path: str | os.PathLike[str]) -> str | None:
    """``cur``, ``new`` or ``tmp`` when ``path`` is a file in that folder of a Maildir, else
    None. A message in ``cur/`` or ``new/`` is mail whatever libmagic says of it; one in
    ``tmp/`` is a delivery still being written, never to be read."""
    parent = os.path.dirname(os.path.abspath(path))
    part = os.path.basename(parent)
    return part if part in MAILDIR_PARTS and is_maildir(os.path.dirname(parent)) else None


def _starts_with_mail_headers(head: bytes) -> bool:
    """Whether the first lines are an RFC 5322 header block naming a mail field (Subject:,
    To:, MIME-Version:…); libmagic says ``message/rfc822`` only for some first fields."""
    lines = head.split(b"\n")[:-1] if len(head) == SNIFF_BYTES else head.split(b"\n")
    names = []
    for line in lines:
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t") and names:
            continue  # a folded continuation line
        field = _FIELD_RE.match(line)
        if field is None:
            return False
        names.append(field[1].decode("ascii").lower())
    return any(name in MAIL_FIELDS for name in names)


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", path=path) from None


def read_mail_file(path: str | os.PathLike[str]) -> Iterator[Mail]:
    """The mails in an ``.eml`` file, an mbox file or a Maildir folder, one at a time.

    An mbox is a file whose first line starts with ``From `` (whatever its name); a file named
    ``.mbox``/``.mbx`` must be one. Any other file is read as one RFC 5322 message. Only one
    message is held in memory at a time. Maildir members come in key order.

    Raises (when called, not while iterating):
        InputError: no such file, an empty file, a folder that is not a Maildir, an mbox file
            not starting with ``From ``, or no mail (binary, or no mail header field). A broken
            message inside an mbox or a Maildir is not fatal: see its ``Mail.defects``.
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        if not is_maildir(path):
            raise InputError("is a folder but not a Maildir (no cur/, new/ and tmp/)", path=path)
        return _read_box(lambda: mailbox.Maildir(path, factory=None, create=False), path, "!")
    head = _head(path)
    if not head:
        raise InputError("is empty", path=path)
    if head.startswith(b"From "):
        return _read_box(lambda: mailbox.mbox(path, factory=None, create=False), path, "#")
    if path.lower().endswith(MBOX_SUFFIXES):
        raise InputError("is not an mbox file: its first line is not a 'From ' line",
                         path=path, line=1)
    mime = sniff(head)
    if not mime.startswith(("text/", "message/")) and maildir_part(path) is None:
        raise InputError(f"is not a mail file (libmagic identifies it as {mime})", path=path)
    with open(path, "rb") as fh:
        mail = parse_mail(fh.read(), path)
    if NO_HEADERS in mail.defects:
        raise InputError("is not a mail file: no mail header field (From, To, Date, "
                         "Message-ID, Received…) before the first blank line", path=path, line=1)
    return iter((mail,))


def _read_box(open_box: Callable[[], mailbox.Mailbox], path: str, sep: str) -> Iterator[Mail]:
    """The box's mails; opened on the first ``next()`` (an unused iterator holds no file)."""
    try:
        box = open_box()
    except (OSError, mailbox.Error) as exc:
        raise InputError(f"cannot be read as a mailbox ({exc})", path=path) from None
    try:
        keys = box.iterkeys()
        if sep == "!":
            keys = iter(sorted(keys))
        for n, key in enumerate(keys, 1):
            try:
                raw = box.get_bytes(key)
            except OSError as exc:
                raise InputError(f"message {key} cannot be read ({exc.strerror})",
                                 path=path) from None
            yield parse_mail(raw, f"{path}{sep}{n if sep == '#' else key}")
    finally:
        box.close()


def is_mail_file(path: str | os.PathLike[str]) -> bool:
    """Whether the importer should read ``path`` as mail rather than as a chat export.

    A Maildir folder; a message in a Maildir's ``cur/`` or ``new/`` (never ``tmp/``); a file
    named ``.eml``, ``.mbox`` or ``.mbx``; a file starting with ``From `` (libmagic 5.44 calls
    mbox files ``text/plain``); one libmagic calls ``message/rfc822`` (only for some first
    fields: ``Delivered-To:``, ``Received:``, ``Return-Path:``, ``From:``, ``Message-ID:``);
    or one starting with a header block that names a mail field (``Subject:``, ``To:``,
    ``MIME-Version:`` or ``X-Mozilla-Status:`` first are ``text/plain`` to libmagic).
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        return is_maildir(path)
    part = maildir_part(path)
    if part is not None:
        return part != "tmp"
    if path.lower().endswith(MAIL_SUFFIXES + MBOX_SUFFIXES):
        return True
    try:
        head = _head(path)
    except InputError:
        return False
    return head.startswith(b"From ") or (bool(head) and (
        sniff(head) == "message/rfc822" or _starts_with_mail_headers(head)))
