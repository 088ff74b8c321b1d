"""A fictional compliance report built by hand, covering every status and kind of evidence."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from retainer.compliance.model import ComplianceReport, CustodianSummary, Evidence, Verdict

AS_OF = dt.datetime(2026, 11, 24, 7, 59, 59, tzinfo=dt.UTC)
GENERATED = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
HOSTILE = "<script>alert(1)</script> & \"quotes\""
ZONES = {"Ada Quinn": "America/Los_Angeles", "Ben Okafor": "America/Phoenix"}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def verdict(id, status, *, custodian="Ada Quinn", sent="2026-10-02T18:05", days=None,
            text="Lane 3 closed until 0400.", evidence=(), chat="Harbor Night Desk",
            reason=None) -> Verdict:
    sent_at = at(sent)
    return Verdict(
        id=id, chat=chat, author=custodian, custodian=custodian, sent_at=sent_at,
        sent_at_local=(sent_at - dt.timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M"),
        text=text, kind="text", category="GRS 5.2 item 020", status=status,
        deadline=None if status == "exempt" else sent_at + dt.timedelta(days=21),
        official_capture_at=None, days=days, reason=reason or f"fictional reason: {status}",
        evidence=tuple(evidence))


MAIL = Evidence(kind="mail", capture_id=41, captured_at=at("2026-10-13T03:15:12"),
                complete=True, mail_message_id="<fictional-1@mail.example.com>",
                mail_date=at("2026-10-13T03:15:12"), mail_source="official.mbox#1",
                vault_sha256="ab" * 32, official_account="ben.okafor@agency.example.gov")
PARTIAL = Evidence(kind="official-export", capture_id=77, captured_at=at("2026-10-25T00:34"),
                   complete=False, vault_sha256="cd" * 32)
MEMBER = Evidence(kind="membership", captured_at=at("2026-10-20T05:05"),
                  official_account="+1 (202) 555-0199", notice_message_id=1234)

VERDICTS = [
    verdict(1, "copied", sent="2026-10-21T05:10", days=0, evidence=[MEMBER]),
    verdict(2, "forwarded", custodian="Ben Okafor", sent="2026-10-06T16:00", days=7,
            evidence=[MAIL]),
    verdict(3, "late", custodian="Ben Okafor", sent="2026-09-10T16:00", days=4,
            evidence=[MAIL]),
    verdict(4, "incomplete", custodian="Ben Okafor", sent="2026-10-14T04:06", days=2,
            evidence=[PARTIAL]),
    verdict(5, "overdue", sent="2026-09-03T04:17", days=62, text=HOSTILE),
    verdict(6, "overdue", sent="2026-10-02T18:06", days=32,
            text="A long message\nover two lines " + "with many words " * 12),
    verdict(7, "pending", sent="2026-11-07T01:30", days=3, chat="Bridge <b>Ops</b>"),
    verdict(8, "pending", custodian="Ben Okafor", sent="2026-11-19T01:22", days=15),
    verdict(9, "exempt", custodian="Ben Okafor", sent="2026-10-15T10:00",
            reason="the author is not a custodian"),
]


def report(verdicts=VERDICTS, **filters) -> ComplianceReport:
    summary: dict[str, Counter[str]] = {"Ada Quinn": Counter(), "Ben Okafor": Counter()}
    for v in verdicts:
        summary[v.custodian][v.status] += 1
    return ComplianceReport(as_of=AS_OF, window_days=20, scope="sent", verdicts=list(verdicts),
                            summary=[CustodianSummary(k, c) for k, c in summary.items()],
                            filters=dict(filters))
