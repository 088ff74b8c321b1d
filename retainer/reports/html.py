"""The compliance report as one self-contained HTML file for managers.

Inline CSS and inline SVG charts only: opening the file makes no network request (no
``<script src>``, no ``<link>``, no web fonts, no remote images). Jinja2 renders it with
autoescaping on, because message text and chat titles come from exports and are untrusted;
the only markup inserted unescaped is the charts' SVG, which matplotlib escapes itself.

This module turns the report into plain rows (strings and numbers) and leaves the layout to
``templates/compliance.html.j2``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

import retainer
from retainer.compliance.model import ON_TIME, STATUSES, ComplianceReport, Evidence, Verdict
from retainer.compliance.render import SOON_DAYS, excerpt, soon_due
from retainer.config import STATUTORY_WINDOW_DAYS
from retainer.reports import charts

TEMPLATE = "compliance.html.j2"
DEFAULT_TITLE = "Messaging records: 44 U.S.C. § 2911 compliance"
EXCERPT_WIDTH = 90


@dataclasses.dataclass(frozen=True)
class Row:
    """One listed message as the template shows it."""

    id: int
    status: str
    custodian: str
    chat: str
    author: str
    sent: str
    deadline: str
    days: str
    excerpt: str
    reason: str
    evidence: tuple[tuple[tuple[str, str], ...], ...]
    """Per piece of evidence, its (label, value) lines."""


@dataclasses.dataclass(frozen=True)
class Section:
    key: str
    title: str
    note: str
    rows: list[Row]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("retainer.reports", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, keep_trailing_newline=True)


def render_html(report: ComplianceReport, *, title: str | None = None,
                generated_at: dt.datetime | None = None,
                zones: Mapping[str, str] | None = None) -> str:
    """The report as a complete HTML document (a ``str``; write it as UTF-8).

    Args:
        report: what ``retainer.compliance.report.build`` returned.
        title: the page title (default: ``DEFAULT_TITLE``).
        generated_at: the generation time shown in the footer (default: now). The same report
            and the same ``generated_at`` give byte-identical output.
        zones: custodian name → IANA zone, to show deadlines and capture times in each
            custodian's own time (``retainer.compliance.report.custodian_zones``); without
            it, or for a custodian it lacks, they are shown in UTC.
    """
    zones = dict(zones or {})
    generated = generated_at or dt.datetime.now(dt.UTC)
    counts = report.counts()
    subject = sum(s.subject for s in report.summary)
    pending = counts["pending"]
    good = sum(counts[s] for s in ON_TIME)
    decided = subject - pending
    listed = set(report.filters.get("statuses") or STATUSES)
    shown = [s for s in STATUSES if s != "exempt" or counts["exempt"]]
    context = {
        "title": title or DEFAULT_TITLE,
        "report": report,
        "as_of": report.as_of_text(),
        "generated_at": _instant(generated, "UTC"),
        "version": retainer.__version__,
        "statutory_days": STATUTORY_WINDOW_DAYS,
        "window_ordinal": ordinal(report.window_days),
        "soon_days": SOON_DAYS,
        "headline": {
            "subject": subject,
            "share": _share(good, decided),
            "good": good,
            "decided": decided,
            "overdue": counts["overdue"],
            "soon": (sum(1 for v in report.verdicts if soon_due(v))
                     if "pending" in listed else None),
        },
        "statuses": shown,
        "colours": charts.COLOURS,
        "custodians": [{"name": s.custodian, "subject": s.subject,
                        "counts": [s.counts[status] for status in shown],
                        "share": _share(sum(s.counts[x] for x in ON_TIME),
                                        s.subject - s.counts["pending"])}
                       for s in report.summary],
        "filters": {k: v for k, v in report.filters.items() if v},
        "status_chart": Markup(charts.status_chart(report)),
        "monthly_chart": Markup(charts.monthly_chart(report)),
        "sections": _sections(report, zones),
    }
    return _environment().get_template(TEMPLATE).render(context)


def _sections(report: ComplianceReport, zones: dict[str, str]) -> list[Section]:
    def rows(wanted) -> list[Row]:
        chosen = [v for v in report.verdicts if wanted(v)]
        chosen.sort(key=lambda v: (v.deadline or v.sent_at, v.sent_at, v.id))
        return [_row(v, zones.get(v.custodian or "", "UTC")) for v in chosen]

    return [
        Section("overdue", "Overdue", "No copy reached an official account of the custodian, "
                "and the deadline has passed.", rows(lambda v: v.status == "overdue")),
        Section("late", "Late", "The first complete copy reached an official account after "
                "the deadline.", rows(lambda v: v.status == "late")),
        Section("incomplete", "Incomplete", "Only incomplete copies (e.g. without the media "
                "file, or a deleted message's notice) reached an official account by the "
                "deadline.",
                rows(lambda v: v.status == "incomplete")),
        Section("soon", f"Due within {SOON_DAYS} days", "No complete copy yet; the deadline "
                f"is {SOON_DAYS} days away or less.", rows(soon_due)),
        Section("pending", "Other pending", f"No complete copy yet; more than {SOON_DAYS} "
                "days left.", rows(lambda v: v.status == "pending" and not soon_due(v))),
        Section("ontime", "On time", "Copied to an official account when sent "
                "(§ 2911(a)(1)), or a complete copy forwarded in time (§ 2911(a)(2)).",
                rows(lambda v: v.status in ON_TIME)),
        Section("exempt", "Exempt", "Not subject to § 2911, with the reason.",
                rows(lambda v: v.status == "exempt")),
    ]


def _row(v: Verdict, zone: str) -> Row:
    return Row(id=v.id, status=v.status, custodian=v.custodian or "—", chat=v.chat,
               author=v.author or "—", sent=v.sent_at_local.replace("T", " "),
               deadline=_instant(v.deadline, zone), days=_days(v), excerpt=excerpt(
                   v.text, EXCERPT_WIDTH), reason=v.reason,
               evidence=tuple(_evidence(e, zone) for e in v.evidence))


def _days(v: Verdict) -> str:
    if v.days is None or v.status in ("copied", "exempt"):
        return ""
    unit = "day" if v.days == 1 else "days"
    return {"forwarded": f"after {v.days} {unit}", "late": f"{v.days} {unit} late",
            "incomplete": f"{v.days} {unit} past deadline",
            "overdue": f"{v.days} {unit} overdue",
            "pending": f"{v.days} {unit} left"}.get(v.status, str(v.days))


def _evidence(e: Evidence, zone: str) -> tuple[tuple[str, str], ...]:
    """What a piece of evidence shows, as labelled lines, in the order an auditor checks."""
    if e.kind == "membership":
        lines = [("Proof", "An official account of the custodian was a member of the chat "
                           "when the message was sent (§ 2911(a)(1))."),
                 ("Official account", e.official_account or "—"),
                 ("In the chat since", _instant(e.captured_at, zone))]
        if e.notice_message_id is not None:
            lines.append(("Shown by", f"archived message #{e.notice_message_id} (the notice "
                                      "or message that shows the account in the chat)"))
        return tuple(lines)
    lines = [("Proof", "A mail that reached an official account" if e.kind == "mail"
              else "An export found in an official account")]
    if e.kind == "mail":
        lines += [("Message-ID", e.mail_message_id or "— (none)"),
                  ("Mail date", _instant(e.mail_date, zone) if e.mail_date else
                   "— (no Date header)")]
    lines += [("Official account", e.official_account or "—"),
              ("Captured (reached the account)", _instant(e.captured_at, zone)),
              ("Complete copy", {True: "yes", False: "no (something is missing, e.g. the "
                                 "media file)", None: "—"}[e.complete]),
              ("Source", e.mail_source or "—"),
              ("Vault SHA-256", e.vault_sha256 or "—")]
    if e.capture_id is not None:
        lines.append(("Capture", f"#{e.capture_id}"))
    return tuple(lines)


def _instant(value: dt.datetime | None, zone: str) -> str:
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, … 21st, 22nd."""
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _share(good: int, decided: int) -> str:
    return f"{good / decided:.0%}" if decided > 0 else "—"
