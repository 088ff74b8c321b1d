"""The destruction report as plain text (a terminal) or Markdown (an e-mail to the agency
records officer): a summary, the findings per custodian (whose exports show them), then the
draft report to NARA."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from retainer.compliance.render import excerpt

if TYPE_CHECKING:
    from retainer.reports.destruction import (
        CustodianFindings,
        DestructionReport,
        DisappearingChat,
        LostItem,
        SeenIn,
    )

WIDTH = 100
EXCERPT_WIDTH = 70


def render_destruction_text(report: DestructionReport, *, markdown: bool = False) -> str:
    """The report as text; with ``markdown``, as Markdown (headings, lists, code spans)."""
    out = _Writer(markdown)
    out.heading(1, "Possible unauthorised destruction of records (36 C.F.R. part 1230)")
    out.para(f"Generated {report.generated_at:%Y-%m-%d %H:%M %Z}. Times of messages are local, "
             "as the exports show them. retainer reports what the exports show; it cannot "
             "tell why a message was deleted.")
    out.para(f"Found: {len(report.deleted)} deleted, content never captured; "
             f"{len(report.deleted_after_capture)} deleted after capture (content preserved); "
             f"{len(report.missing)} missing from later exports (content preserved); "
             f"{len(report.disappearing)} chat(s) with disappearing messages turned on.")
    if not report.custodians:
        out.para("Nothing to report.")
    for custodian in report.custodians:
        _custodian(out, custodian)
    out.heading(2, "Draft report to NARA (36 C.F.R. § 1230.14)")
    out.para("Fill in every [RECORDS OFFICER: …] part before sending; the rest comes from the "
             "archive.")
    for field in report.nara.fields():
        out.heading(3, f"({field.number}) {field.requirement}")
        out.para(field.text)
    open_items = report.nara.open_items()
    out.para(f"Open items for the records officer: {len(open_items)}.")
    return out.text()


def _custodian(out: _Writer, person: CustodianFindings) -> None:
    """What one custodian's exports show: the authors are named in each finding."""
    out.heading(2, person.name + (" (custodian)" if person.configured else ""))
    if person.deleted:
        out.heading(3, f"Deleted, content never captured ({len(person.deleted)})")
        for item in person.deleted:
            out.item(f"#{item.message_id} {_when(item.sent_at_local)} in {item.chat!r}, "
                     f"author {_author(item.author, item.person)}: {out.code(item.text)}; "
                     f"seen in {_seen(item.seen_in)}")
    for how, title in (("deleted", "Deleted after capture (content preserved)"),
                       ("missing", "Missing from later exports (content preserved)")):
        items = [i for i in person.lost if i.how == how]
        if items:
            out.heading(3, f"{title} ({len(items)})")
            for item in items:
                out.item(_lost(out, item))
    if person.disappearing:
        out.heading(3, f"Disappearing messages ({len(person.disappearing)} chat(s))")
        for chat in person.disappearing:
            out.item(_disappearing(chat))


def _lost(out: _Writer, item: LostItem) -> str:
    later = "; ".join(_seen(s) for s in item.later)
    verb = "shown deleted in" if item.how == "deleted" else "absent from"
    return (f"#{item.message_id} {_when(item.sent_at_local)} in {item.chat!r}, author "
            f"{_author(item.author, item.person)}: "
            f"{out.code(excerpt(item.text, EXCERPT_WIDTH))}; first "
            f"captured in {_seen(item.first_seen_in)}; {verb} {later}")


def _disappearing(chat: DisappearingChat) -> str:
    turns = []
    for n in chat.notices:
        who = n.actor or "nobody named"
        if n.person and n.person != n.actor:
            who += f" ({n.person})"
        turns.append(f"{'on' if n.on else 'off'} {_when(n.sent_at_local)} by {who}"
                     + (f", timer {n.timer}" if n.on and n.timer else ""))
    state = "still on in the latest export" if chat.still_on else "turned off later"
    shown = ", ".join(chat.custodians) or "no named custodian"
    return f"{chat.chat!r}: " + "; ".join(turns) + f" ({state}; exports of {shown})"


def _author(author: str | None, person: str | None) -> str:
    """The author as exported, with the configured person when it differs."""
    if not author:
        return "—"
    return author + (f" ({person})" if person and person != author else "")


def _seen(seen: SeenIn) -> str:
    return (f"{seen.file} ({seen.channel}, {seen.custodian or 'no custodian'}, captured "
            f"{seen.captured_at:%Y-%m-%d %H:%M} UTC)")


def _when(local: str) -> str:
    return local.replace("T", " ")


class _Writer:
    """Headings, paragraphs and list items, in text or Markdown."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self.lines: list[str] = []

    def heading(self, level: int, text: str) -> None:
        if self.lines:
            self.lines.append("")
        if self.markdown:
            self.lines.append("#" * level + " " + text)
        else:
            self.lines += [text, ("=" if level == 1 else "-" if level == 2 else "·")
                           * min(len(text), WIDTH)]

    def para(self, text: str) -> None:
        self.lines += ["", *textwrap.wrap(text, WIDTH, break_long_words=False,
                                          break_on_hyphens=False)]

    def item(self, text: str) -> None:
        self.lines += textwrap.wrap(text, WIDTH, initial_indent="- ", subsequent_indent="  ",
                                    break_long_words=False, break_on_hyphens=False)

    def code(self, text: str) -> str:
        if self.markdown:
            ticks = "``" if "`" in text else "`"
            return f"{ticks}{text}{ticks}" if text.strip() else '""'
        return f'"{text}"'

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
