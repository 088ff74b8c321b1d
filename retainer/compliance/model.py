"""What the compliance engine produces: a verdict per subject message, with its evidence, and
the report that gathers them. Numbers and facts only; rendering is elsewhere."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

STATUSES = ("copied", "forwarded", "late", "incomplete", "overdue", "pending", "exempt")
"""DESIGN §5, in report order."""
ON_TIME = frozenset({"copied", "forwarded"})
"""The statuses that comply with 44 U.S.C. § 2911(a)."""


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@dataclasses.dataclass(frozen=True, slots=True)
class Evidence:
    """The capture that proves a verdict (or the incomplete copy that fell short).

    ``kind``: ``membership`` (an official account was in the chat: § 2911(a)(1)), ``mail``
    (an export attached to, or messages pasted into, a mail that reached an official account),
    or ``official-export`` (an export found in an official account without a mail).
    """

    kind: str
    capture_id: int | None = None
    captured_at: dt.datetime | None = None
    complete: bool | None = None
    mail_message_id: str | None = None
    """The mail's Message-ID header."""
    mail_date: dt.datetime | None = None
    mail_source: str | None = None
    """Where the mail was found (file, mbox#N)."""
    vault_sha256: str | None = None
    """The SHA-256 under which the proving file (the mail, or the export) is in the vault."""
    official_account: str | None = None
    """The official account reached (an address, or the messaging ID that joined the chat)."""
    notice_message_id: int | None = None
    """For membership: the archived notice or message that shows the account in the chat."""

    def as_json(self) -> dict[str, object]:
        found = {}
        for field in _EVIDENCE_FIELDS:  # not dataclasses.asdict: it deep-copies every value
            value = getattr(self, field)
            if value is not None:
                found[field] = _utc(value) if isinstance(value, dt.datetime) else value
        return found


_EVIDENCE_FIELDS = tuple(f.name for f in dataclasses.fields(Evidence))


@dataclasses.dataclass(frozen=True, slots=True)
class Verdict:
    """One subject message (or, on request, an exempt one) and what the evidence shows."""

    id: int
    chat: str
    author: str | None
    custodian: str | None
    """The custodian whose obligation it is; for an exempt message, its author when a
    custodian wrote it, else None (nobody's obligation)."""
    sent_at: dt.datetime
    """UTC."""
    sent_at_local: str
    """Local time as the export wrote it (``YYYY-MM-DDTHH:MM[:SS]``)."""
    text: str
    kind: str
    category: str | None
    """Schedule category code of the message's current filing."""
    status: str
    deadline: dt.datetime | None
    """The last instant (UTC) of the window: end of the 20th day after the day sent, in the
    custodian's zone (§ 2911(a)(2))."""
    official_capture_at: dt.datetime | None
    """When the first complete copy (or, failing that, the first copy) reached an official
    account; None when none did."""
    days: int | None
    """Days taken (copied: 0; forwarded), days late (late, incomplete), days left (pending),
    days overdue (overdue) — calendar days in the custodian's zone."""
    reason: str
    """One sentence: why this status (for exempt: why not subject)."""
    evidence: tuple[Evidence, ...] = ()
    person: str | None = None
    """The configured person the author resolves to (custodian or not), else None."""

    def as_json(self) -> dict[str, object]:
        def instant(value: dt.datetime | None) -> str | None:
            return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else None

        return {"id": self.id, "chat": self.chat, "author": self.author,
                "custodian": self.custodian, "person": self.person,
                "sent_at": instant(self.sent_at),
                "sent_at_local": self.sent_at_local, "text": self.text, "kind": self.kind,
                "category": self.category, "status": self.status,
                "deadline": instant(self.deadline),
                "official_capture_at": instant(self.official_capture_at), "days": self.days,
                "reason": self.reason, "evidence": [e.as_json() for e in self.evidence]}


@dataclasses.dataclass
class CustodianSummary:
    custodian: str
    counts: Counter[str]

    @property
    def subject(self) -> int:
        return sum(n for status, n in self.counts.items() if status != "exempt")

    @property
    def on_time_share(self) -> float | None:
        """Share of subject messages whose window has closed that complied (copied or
        forwarded); pending ones are not yet decided. None when none is decided."""
        decided = self.subject - self.counts["pending"]
        if decided <= 0:
            return None
        return sum(self.counts[s] for s in ON_TIME) / decided


@dataclasses.dataclass
class ComplianceReport:
    as_of: dt.datetime
    """The report's moment; for a date, the end of that day in the archive's zone."""
    window_days: int
    scope: str
    verdicts: list[Verdict]
    summary: list[CustodianSummary]
    filters: dict[str, object] = dataclasses.field(default_factory=dict)
    as_of_date: dt.date | None = None
    """Set when the report is as of a calendar day: each custodian is judged as of the end
    of that day in their own zone (``custodian_as_of``)."""
    custodian_as_of: dict[str, dt.datetime] = dataclasses.field(default_factory=dict)
    """Per custodian, the last instant the report covers."""
    monthly: list[tuple[str, int, int]] | None = None
    """(month sent, on time, decided) over every subject message in the report's scope
    (custodians and chat), whatever the status filter; None: count the listed verdicts."""

    def as_of_text(self) -> str:
        """The moment as a reader should see it."""
        if self.as_of_date is not None:
            return f"the end of {self.as_of_date.isoformat()} in each custodian's time zone"
        return self.as_of.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")

    def counts(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for s in self.summary:
            total.update(s.counts)
        return total

    def as_json(self, *, messages: bool = True) -> dict[str, object]:
        """The JSON object of the report; without ``messages``, everything but the list."""
        head = self.header_json()
        if messages:
            head["messages"] = [v.as_json() for v in self.verdicts]
        return head

    def header_json(self) -> dict[str, object]:
        return {"as_of": _utc(self.as_of),
                "as_of_date": self.as_of_date.isoformat() if self.as_of_date else None,
                "as_of_by_custodian": {k: _utc(v) for k, v in self.custodian_as_of.items()},
                "window_days": self.window_days, "scope": self.scope,
                "filters": self.filters,
                "summary": {s.custodian: {status: s.counts[status] for status in STATUSES}
                            for s in self.summary}}
