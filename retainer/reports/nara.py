"""A draft of the report to NARA on unlawful or accidental destruction of records
(36 C.F.R. § 1230.14), filled from the archive where it can be.

Each of the five elements § 1230.14 asks for is a ``DraftField``. What the archive knows
(counts, dates, chats, people, how the loss was detected, what retainer preserved) is written
in; what it cannot know (the office, why it happened, what the agency has done since) is left
as a ``[RECORDS OFFICER: …]`` placeholder. Nothing is guessed: a sentence here either states a
fact the archive holds or asks the records officer for one.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import TYPE_CHECKING

from retainer.config import Settings
from retainer.formats.phrases import EXPORTER_WORDS

if TYPE_CHECKING:
    from retainer.reports.destruction import DeletedItem, DisappearingChat, LostItem

PLACEHOLDER = "[RECORDS OFFICER: {}]"
"""The mark of every part of the draft that a person must write."""
MAX_FACTS = 25
"""Findings spelled out one by one in the circumstances; beyond, a count."""


@dataclasses.dataclass(frozen=True)
class DraftField:
    number: int
    requirement: str
    """What § 1230.14 asks for (paraphrased)."""
    text: str

    @property
    def open(self) -> list[str]:
        """The placeholders still in the text."""
        parts = self.text.split("[RECORDS OFFICER: ")[1:]
        return [PLACEHOLDER.format(part.split("]", 1)[0]) for part in parts]


@dataclasses.dataclass(frozen=True)
class NaraDraft:
    """The five elements of a report under 36 C.F.R. § 1230.14, in its order."""

    description: DraftField
    office: DraftField
    circumstances: DraftField
    safeguards: DraftField
    recovery: DraftField
    anything_found: bool

    def fields(self) -> list[DraftField]:
        return [self.description, self.office, self.circumstances, self.safeguards,
                self.recovery]

    def open_items(self) -> list[str]:
        return [item for f in self.fields() for item in f.open]

    def as_json(self) -> dict[str, object]:
        return {"anything_found": self.anything_found,
                "fields": [{**dataclasses.asdict(f), "open": f.open} for f in self.fields()]}


def officer(text: str) -> str:
    return PLACEHOLDER.format(text)


def _day(local: str) -> str:
    return local[:10]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def draft(settings: Settings, deleted: list[DeletedItem], lost: list[LostItem],
          disappearing: list[DisappearingChat], *, vault_files: int) -> NaraDraft:
    """The draft for these findings (see ``retainer.reports.destruction``)."""
    missing = [i for i in lost if i.how == "missing"]
    after = [i for i in lost if i.how == "deleted"]
    days = sorted({_day(i.sent_at_local) for i in [*deleted, *lost]}
                  | {_day(n.sent_at_local) for c in disappearing for n in c.notices})
    chats = Counter(i.chat for i in [*deleted, *lost])
    for chat in disappearing:
        chats.setdefault(chat.chat, 0)
    names = sorted({i.person for i in deleted if i.person}
                   | {c for i in deleted for c in i.custodians}
                   | {s.custodian for i in lost for s in i.later if s.custodian}
                   | {c for chat in disappearing for c in chat.custodians})
    custodians = [p for p in settings.people if p.custodian and p.name in names]
    found = bool(deleted or lost or disappearing)

    if not found:
        nothing = ("The archive shows no deleted message whose content was never captured, no "
                   "message missing from a later export, and no chat with disappearing "
                   "messages turned on.")
        description = nothing + " " + officer("nothing to report from this archive; confirm")
    else:
        volume = [f"{_count(len(deleted), 'message')} deleted before any capture of their "
                  "content (content unknown)",
                  f"{_count(len(after), 'message')} deleted after capture (content preserved)",
                  f"{_count(len(missing), 'message')} missing from later exports of the same "
                  "chat (content preserved)",
                  f"{_count(len(disappearing), 'chat')} where disappearing messages were "
                  "turned on (how many messages disappeared cannot be known from the exports)"]
        per_chat = "; ".join(f"{chat}: {n}" if n else f"{chat}: disappearing messages"
                             for chat, n in sorted(chats.items()))
        description = (
            "WhatsApp chat messages, as captured by retainer from chat exports (taken from "
            "custodians' devices or found in official mailboxes). Volume: "
            + "; ".join(volume) + f". Dates (local time as exported): {days[0]} to "
            f"{days[-1]}. By chat: {per_chat}. "
            + officer("records series and schedule item (e.g. the GRS item the messages are "
                      "filed under), and whether the records are permanent or temporary"))
    office = DraftField(2, "The office maintaining the records", (
        officer("name of the office that maintains these records; retainer knows the "
                "custodians, not their offices") + (
            " Custodians concerned: " + "; ".join(
                f"{p.name}" + (f" (role: {p.role})" if p.role else "") for p in custodians)
            + "." if custodians else "")))
    return NaraDraft(
        description=DraftField(1, "A complete description of the records, with volume and "
                                  "dates if known", description),
        office=office,
        circumstances=DraftField(3, "A statement of the exact circumstances surrounding the "
                                    "removal, defacing, alteration, or destruction",
                                 _circumstances(deleted, missing, after, disappearing)),
        safeguards=DraftField(4, "A statement of the safeguards established to prevent "
                                 "further loss of documentation", _safeguards(vault_files)),
        recovery=DraftField(5, "Details of the actions taken to salvage, retrieve, or "
                               "reconstruct the records", _recovery(deleted, missing, after)),
        anything_found=found)


def _named(shown: str | None, person: str | None, custodian: str | None,
           nobody: str) -> str:
    """Who an export means: "You" is the custodian whose device exported it (36 C.F.R.
    § 1230.14 asks for the exact circumstances, so the draft names them)."""
    if shown in EXPORTER_WORDS:
        if custodian:
            return f'{custodian} ("{shown}" in the export from that custodian\'s device)'
        return f'the owner of the exporting device ("{shown}"; the export names no custodian)'
    return shown or nobody


def _circumstances(deleted, missing, after, disappearing) -> str:
    facts = []
    for item in deleted:
        who = _named(item.author, item.person, item.seen_in.custodian, "an unnamed author")
        facts.append(f'In "{item.chat}", the message sent {item.sent_at_local.replace("T", " ")}'
                     f" by {who} appears only as "
                     f'"{item.text}" in {item.seen_in.file} (from '
                     f"{item.seen_in.custodian or 'no named custodian'}); no export or mail "
                     "received by retainer holds its content.")
    for item in [*after, *missing]:
        what = "shows it deleted" if item.how == "deleted" else "lacks it"
        facts.append(f'In "{item.chat}", the message sent {item.sent_at_local.replace("T", " ")}'
                     f" by {item.author or 'an unnamed author'} was captured in "
                     f"{item.first_seen_in.file}; later, "
                     + ", ".join(f"{s.file} (from {s.custodian or 'no named custodian'}, "
                                 f"captured {s.captured_at:%Y-%m-%d})" for s in item.later)
                     + f" {what}.")
    for chat in disappearing:
        turns = ", then ".join(
            (f"turned on by {_named(n.actor, n.person, n.person, 'an unnamed member')} with a "
             f"{n.timer} timer" if n.on else
             f"turned off by {_named(n.actor, n.person, n.person, 'an unnamed member')}")
            + f" on {n.sent_at_local.replace('T', ' ')}" for n in chat.notices)
        facts.append(f'In "{chat.chat}", disappearing messages were {turns}'
                     + ("; they are still on in the latest export." if chat.still_on else "."))
    if not facts:
        return "Nothing found. " + officer("confirm")
    if len(facts) > MAX_FACTS:
        facts[MAX_FACTS:] = [f"And {len(facts) - MAX_FACTS} more of the same kinds (the "
                             "findings above list each)."]
    return (" ".join(facts) + " How detected: retainer compares every export with the earlier "
            "exports of the same chat as it imports them and records what a later export "
            "lacks or shows deleted; it never removes a message it has captured. "
            + officer("why, how and by whom the messages were deleted or lost, whether on "
                      "purpose, and whether it was unlawful or accidental; the exports cannot "
                      "tell"))


def _safeguards(vault_files: int) -> str:
    return ("Already in place through retainer: every export and mail received is kept byte "
            f"for byte in a read-only vault named by its SHA-256 ({_count(vault_files, 'file')} "
            "now); an import never deletes or rewrites an archived message; each import is an "
            "entry in a hash-chained audit log that `retainer verify` checks. "
            + officer("the safeguards the agency has established to prevent further loss, "
                      "such as instructions given to the custodians"))


def _recovery(deleted, missing, after) -> str:
    parts = []
    if missing or after:
        parts.append(f"Preserved: the content of {_count(len(missing) + len(after), 'message')}"
                     " lost from later exports is in the archive as first captured "
                     "(`retainer report destruction --format json` lists each with the file "
                     "that holds it).")
    if deleted:
        parts.append(f"Not recovered: the content of {_count(len(deleted), 'message')} deleted "
                     "before any capture; the archive holds no copy.")
    parts.append(officer("actions taken to salvage, retrieve or reconstruct the records, e.g. "
                         "copies asked of the other members of the chats"))
    return " ".join(parts)
