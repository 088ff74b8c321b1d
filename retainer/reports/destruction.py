"""The destruction report for records officers: possible unauthorised destruction of records
that the archive can see (36 C.F.R. part 1230), per custodian, with a draft of the report to
NARA that 36 C.F.R. § 1230.14 asks for (``retainer.reports.nara``).

What counts:

- **deleted, never captured**: a message seen only as "This message was deleted" (kind
  ``deleted``) that no ``deleted_after_capture`` event ties to a captured original, so its
  content is in no capture the archive holds;
- **deleted after capture**: a captured message a later export showed deleted (the archive
  keeps its content);
- **missing from a later export**: a captured message that a later export of the same chat from
  the same device lacks (and that no deletion notice explains); the archive keeps it;
- **disappearing messages**: chats where a notice says disappearing messages were turned on
  (the timer, who, when, and whether they were turned off later).

Per custodian — whose device (or official mailbox) showed it, ``Export.custodian``: a deleted
message goes to each custodian whose exports show the deletion notice; a message lost after
capture to the custodian of each export that lacks it or shows it deleted; a chat with
disappearing messages to each custodian whose exports show the notice. Exports naming no
custodian are grouped under ``NO_CUSTODIAN``. The author (or the member who changed the
setting) is named in each finding, resolved to a configured person where possible; "You" in
an export is the custodian whose device exported it.
Nothing here writes to the archive; message text appears in the report, which is its purpose,
and never in logs or errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from retainer.archive.models import (
    Capture,
    Chat,
    Export,
    Message,
    MessageEvent,
    PersonAccount,
    StoredFile,
)
from retainer.chats import disappearing_notice
from retainer.config import Settings
from retainer.formats.phrases import EXPORTER_WORDS
from retainer.people import account_key
from retainer.reports.destruction_text import render_destruction_text
from retainer.reports.nara import NaraDraft, draft

__all__ = ["NO_CUSTODIAN", "CustodianFindings", "DestructionReport", "build_destruction",
           "render_destruction_text"]

NO_CUSTODIAN = "(export without a custodian)"
"""Group of findings shown only by exports that name no custodian."""


@dataclasses.dataclass(frozen=True)
class SeenIn:
    """An export, named by its file as it arrived, with whose device or mailbox it came from."""

    file: str
    custodian: str | None
    captured_at: dt.datetime
    channel: str


@dataclasses.dataclass(frozen=True)
class DeletedItem:
    """A message seen only deleted: its content was never captured."""

    message_id: int
    chat: str
    sent_at: dt.datetime
    sent_at_local: str
    author: str | None
    person: str | None
    text: str
    """The deletion notice as exported ("This message was deleted")."""
    seen_in: SeenIn
    """The export that first showed it."""
    custodians: tuple[str, ...] = ()
    """Custodians whose exports show the notice."""


@dataclasses.dataclass(frozen=True)
class LostItem:
    """A captured message that a later export lacks (``missing``) or shows deleted
    (``deleted``); the archive keeps its content as first captured."""

    message_id: int
    how: str
    chat: str
    sent_at: dt.datetime
    sent_at_local: str
    author: str | None
    person: str | None
    text: str
    first_seen_in: SeenIn
    later: tuple[SeenIn, ...]
    """The later exports that lack it or show it deleted."""


@dataclasses.dataclass(frozen=True)
class Notice:
    """A disappearing-messages notice: turned on (with its timer) or off."""

    message_id: int
    on: bool
    timer: str | None
    actor: str | None
    """As the notice names them ("Priya Nair", "You"); None when it names nobody."""
    person: str | None
    """The configured person the actor is; for "You", the custodian whose device exported
    the chat."""
    sent_at: dt.datetime
    sent_at_local: str


@dataclasses.dataclass(frozen=True)
class DisappearingChat:
    chat: str
    notices: tuple[Notice, ...]
    custodians: tuple[str, ...]
    """Custodians whose exports show the notices."""

    @property
    def still_on(self) -> bool:
        """Whether the last notice turned them on (no later notice turned them off)."""
        return self.notices[-1].on


@dataclasses.dataclass
class CustodianFindings:
    """What the exports of one custodian (device or official mailbox) show."""

    name: str
    configured: bool
    """A custodian of the configuration (False for ``NO_CUSTODIAN`` and for names that
    exports carry but the configuration no longer does)."""
    deleted: list[DeletedItem] = dataclasses.field(default_factory=list)
    lost: list[LostItem] = dataclasses.field(default_factory=list)
    disappearing: list[DisappearingChat] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class DestructionReport:
    generated_at: dt.datetime
    deleted: list[DeletedItem]
    lost: list[LostItem]
    disappearing: list[DisappearingChat]
    custodians: list[CustodianFindings]
    nara: NaraDraft

    @property
    def missing(self) -> list[LostItem]:
        return [item for item in self.lost if item.how == "missing"]

    @property
    def deleted_after_capture(self) -> list[LostItem]:
        return [item for item in self.lost if item.how == "deleted"]

    def as_json(self) -> dict[str, object]:
        """Plain JSON data: instants as ISO 8601 UTC (``Z``); custodians list item ids and
        chats."""
        def convert(value):
            if isinstance(value, dt.datetime):
                return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [convert(v) for v in value]
            return value

        return convert({
            "generated_at": self.generated_at,
            "deleted_never_captured": [dataclasses.asdict(i) for i in self.deleted],
            "deleted_after_capture": [dataclasses.asdict(i) for i in self.deleted_after_capture],
            "missing_from_later_export": [dataclasses.asdict(i) for i in self.missing],
            "disappearing_messages": [{**dataclasses.asdict(c), "still_on": c.still_on}
                                      for c in self.disappearing],
            "custodians": [{"name": p.name, "configured": p.configured,
                        "deleted_never_captured": [i.message_id for i in p.deleted],
                        "deleted_after_capture": [i.message_id for i in p.lost
                                                  if i.how == "deleted"],
                        "missing_from_later_export": [i.message_id for i in p.lost
                                                      if i.how == "missing"],
                        "disappearing_messages": [c.chat for c in p.disappearing]}
                       for p in self.custodians],
            "nara_draft": self.nara.as_json(),
        })


def build_destruction(session: Session, settings: Settings, *,
                      now: dt.datetime | None = None) -> DestructionReport:
    """Everything the archive shows of possible destruction, per custodian, with the NARA
    draft.

    Reads only. Authors resolve through ``person_accounts``, which the caller keeps in step
    with ``settings.people`` (``retainer.archive.people.sync_people``). ``now`` is the
    report's generation time (default: now).
    """
    deleted = _deleted(session)
    lost = _lost(session)
    disappearing = _disappearing(session)
    custodians = _per_custodian(settings, deleted, lost, disappearing)
    vault_files = len(session.scalars(select(StoredFile.id)).all())
    return DestructionReport(
        generated_at=now or dt.datetime.now(dt.UTC), deleted=deleted, lost=lost,
        disappearing=disappearing, custodians=custodians,
        nara=draft(settings, deleted, lost, disappearing, vault_files=vault_files))


def _person_of():
    """(alias, join condition) resolving ``Message.author_key`` to a non-official account."""
    account = aliased(PersonAccount)
    return account, and_(account.key == Message.author_key, account.official.is_(False))


def _seen(row) -> SeenIn:
    return SeenIn(row.file, row.custodian, row.captured_at, row.channel)


def _deleted(session: Session) -> list[DeletedItem]:
    replaced = exists().where(MessageEvent.related_message_id == Message.id,
                              MessageEvent.kind == "deleted_after_capture")
    account, resolves = _person_of()
    rows = session.execute(
        select(Message.id, Chat.title, Message.sent_at, Message.sent_at_local, Message.author,
               Message.text, account.person, StoredFile.name.label("file"), Export.custodian,
               Export.captured_at, Export.channel)
        .join(Chat, Chat.id == Message.chat_id).join(Export, Export.id == Message.export_id)
        .join(StoredFile, StoredFile.id == Export.file_id).outerjoin(account, resolves)
        .where(Message.kind == "deleted", ~replaced).order_by(Message.sent_at, Message.id)
    ).all()
    shown = _custodians_showing(session, [r.id for r in rows])
    return [DeletedItem(r.id, r.title, r.sent_at, r.sent_at_local, r.author, r.person, r.text,
                        _seen(r), shown.get(r.id, ())) for r in rows]


def _custodians_showing(session: Session, message_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Per message, the custodians of the exports that capture it, sorted."""
    found: dict[int, set[str]] = defaultdict(set)
    if message_ids:
        for message_id, custodian in session.execute(
                select(Capture.message_id, Export.custodian)
                .join(Export, Export.id == Capture.export_id)
                .where(Capture.message_id.in_(message_ids), Export.custodian.is_not(None))):
            found[message_id].add(custodian)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _lost(session: Session) -> list[LostItem]:
    later: dict[int, list[SeenIn]] = defaultdict(list)
    deleted: set[int] = set()
    kinds = ("missing_from_later_export", "deleted_after_capture")
    for r in session.execute(
            select(MessageEvent.message_id, MessageEvent.kind, StoredFile.name.label("file"),
                   Export.custodian, Export.captured_at, Export.channel)
            .join(Export, Export.id == MessageEvent.export_id)
            .join(StoredFile, StoredFile.id == Export.file_id)
            .where(MessageEvent.kind.in_(kinds))
            .order_by(Export.captured_at, Export.id)):
        if _seen(r) not in later[r.message_id]:
            later[r.message_id].append(_seen(r))
        if r.kind == "deleted_after_capture":
            deleted.add(r.message_id)
    if not later:
        return []
    account, resolves = _person_of()
    rows = session.execute(
        select(Message.id, Chat.title, Message.sent_at, Message.sent_at_local, Message.author,
               Message.text, account.person, StoredFile.name.label("file"), Export.custodian,
               Export.captured_at, Export.channel)
        .join(Chat, Chat.id == Message.chat_id).join(Export, Export.id == Message.export_id)
        .join(StoredFile, StoredFile.id == Export.file_id).outerjoin(account, resolves)
        .where(Message.id.in_(select(MessageEvent.message_id)
                              .where(MessageEvent.kind.in_(kinds))))
        .order_by(Message.sent_at, Message.id))
    return [LostItem(r.id, "deleted" if r.id in deleted else "missing", r.title, r.sent_at,
                     r.sent_at_local, r.author, r.person, r.text, _seen(r), tuple(later[r.id]))
            for r in rows]


def _disappearing(session: Session) -> list[DisappearingChat]:
    found: dict[str, list[Notice]] = defaultdict(list)
    ids: dict[int, str] = {}
    persons = {key: person for key, person in session.execute(
        select(PersonAccount.key, PersonAccount.person).where(PersonAccount.official.is_(False)))}
    for r in session.execute(
            select(Message.id, Chat.title, Message.sent_at, Message.sent_at_local, Message.text,
                   Export.custodian)
            .join(Chat, Chat.id == Message.chat_id).join(Export, Export.id == Message.export_id)
            .where(Message.kind == "system").order_by(Message.sent_at, Message.id)):
        notice = disappearing_notice(r.text)
        if notice is None:
            continue
        on, timer, actor = notice
        person = r.custodian if actor in EXPORTER_WORDS else (
            persons.get(account_key(actor)) if actor else None)
        found[r.title].append(Notice(r.id, on, timer, actor, person, r.sent_at,
                                     r.sent_at_local))
        ids[r.id] = r.title
    custodians: dict[str, set[str]] = defaultdict(set)
    for message_id, shown in _custodians_showing(session, list(ids)).items():
        custodians[ids[message_id]].update(shown)
    return [DisappearingChat(chat, tuple(notices), tuple(sorted(custodians[chat])))
            for chat, notices in sorted(found.items()) if any(n.on for n in notices)]


def _per_custodian(settings: Settings, deleted: list[DeletedItem], lost: list[LostItem],
                   disappearing: list[DisappearingChat]) -> list[CustodianFindings]:
    """Findings per custodian whose exports show them, in configuration order, then others
    (``NO_CUSTODIAN`` last)."""
    found: dict[str, CustodianFindings] = {}

    def custodian(name: str | None) -> CustodianFindings:
        key = name or NO_CUSTODIAN
        if key not in found:
            configured = settings.person(key)
            found[key] = CustodianFindings(key, bool(configured and configured.custodian))
        return found[key]

    for item in deleted:
        for name in item.custodians or (None,):
            custodian(name).deleted.append(item)
    for item in lost:
        for name in dict.fromkeys(seen.custodian for seen in item.later):
            custodian(name).lost.append(item)
    for chat in disappearing:
        for name in chat.custodians or (None,):
            custodian(name).disappearing.append(chat)
    order = {p.name: i for i, p in enumerate(settings.people)}
    return sorted(found.values(), key=lambda p: (p.name == NO_CUSTODIAN, p.name not in order,
                                                  order.get(p.name, 0), p.name))
