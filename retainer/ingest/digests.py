"""The digests an import's audit entry covers, computed the same way by import and verify."""

from __future__ import annotations

import datetime as dt
import hashlib


def utc_key(value: dt.datetime) -> str:
    """An instant as text for digests: UTC, seconds precision (``YYYY-MM-DDTHH:MM:SS``)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds")


def message_digest(identity: str, sent_at: str, sent_at_local: str, stamp: str,
                   timezone: str, time_flag: str | None, author: str | None, kind: str,
                   edited: bool, text: str, attachment: str | None) -> str:
    """``Message.content_digest``: every stored field of a message (``sent_at`` as
    ``utc_key``)."""
    return hashlib.sha256(
        f"{identity}\x1f{sent_at}\x1f{sent_at_local}\x1f{stamp}\x1f{timezone}\x1f"
        f"{time_flag or ''}\x1f{author if author is not None else chr(0)}\x1f{kind}\x1f"
        f"{edited:d}\x1f{text}\x1f{attachment or ''}".encode()).hexdigest()


DIGEST_VERSION = 2
"""What an import's digest covers; recorded in its audit entry (``digest_version``) so that
``verify`` recomputes each entry the way it was sealed. Version 1 (entries without the key)
covered messages by identity and content only; version 2 also covers where each message was
filed (its id, chat and first export) and the files, chats and attachments the import added."""

V2_TABLES = frozenset({"file", "chat", "attachment"})
"""Evidence tables only version 2 digests cover."""


class ImportDigest:
    """The rows one import added — messages, captures and events, each in id order — as one
    SHA-256 per kind of row, combined at the end."""

    def __init__(self, version: int = DIGEST_VERSION) -> None:
        self.version = version
        self._messages = hashlib.sha256()
        self._captures = hashlib.sha256()
        self._events = hashlib.sha256()
        self._evidence = hashlib.sha256()
        self.count = 0
        """Messages added."""

    def copy(self) -> ImportDigest:
        """An independent copy: what to go back to when a part of an import is taken back
        (a SAVEPOINT rolled back)."""
        other = ImportDigest(self.version)
        other._messages, other._captures = self._messages.copy(), self._captures.copy()
        other._events, other._evidence = self._events.copy(), self._evidence.copy()
        other.count = self.count
        return other

    def add_message(self, identity: str, digest: str, message_id: int, chat_id: int,
                    export_id: int) -> None:
        if self.version >= 2:
            self._messages.update(f"{message_id}\x1f{chat_id}\x1f{export_id}\x1f".encode())
        self._messages.update(f"{identity}\x1f{digest}\x1e".encode())
        self.count += 1

    def absorb(self, added: int, messages: bytes, captures: bytes) -> None:
        """What ``prepare`` rendered for a batch: ``added`` messages' and the captures'
        digest bytes, exactly as ``add_message`` / ``add_capture`` would have fed them."""
        self._messages.update(messages)
        self._captures.update(captures)
        self.count += added

    def add_capture(self, message_id: int, export_id: int | None, mail_id: int | None,
                    line: int, channel: str, captured_at: str, author: str | None,
                    text: str | None, complete: bool) -> None:
        """``captured_at`` as ``utc_key``."""
        self._captures.update(
            f"{message_id}\x1f{export_id}\x1f{mail_id}\x1f{line}\x1f{channel}\x1f"
            f"{captured_at}\x1f{author}\x1f{text}\x1f{complete:d}\x1e".encode())

    def add_event(self, message_id: int, kind: str, export_id: int,
                  related: int | None) -> None:
        self._events.update(f"{message_id}\x1f{kind}\x1f{export_id}\x1f{related}\x1e".encode())

    def add_evidence(self, table: str, *fields: object) -> None:
        """A row that proves when and where a capture arrived: an export, a mail with its
        recipients, a pasted copy. Fields as ``verify`` reads them back (instants as
        ``utc_key``)."""
        if self.version < 2 and table in V2_TABLES:
            return
        self._evidence.update("\x1f".join(map(str, (table, *fields))).encode() + b"\x1e")

    def hexdigest(self) -> str:
        parts = (self._messages.hexdigest(), self._captures.hexdigest(),
                 self._events.hexdigest(), self._evidence.hexdigest())
        return hashlib.sha256("|".join(parts).encode()).hexdigest()
