"""The compliance report as text for a terminal or a cron mail, and as CSV (UTF-8).

Message text appears only as a short single-line excerpt, in the lists management needs
(overdue and soon-due messages).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import TextIO
from zoneinfo import ZoneInfo

from retainer.compliance.model import STATUSES, ComplianceReport, Verdict

SOON_DAYS = 7
"""A pending message is soon due when this many days or fewer are left."""
CSV_COLUMNS = ("id", "chat", "author", "custodian", "person", "sent_at", "sent_at_local", "text",
               "kind", "category", "status", "deadline", "official_capture_at", "days", "reason",
               "evidence")


def excerpt(text: str, width: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[:width - 1] + "…"


def local(instant: dt.datetime | None, zone: str) -> str:
    if instant is None:
        return "—"
    return instant.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def summary_table(report: ComplianceReport) -> list[str]:
    """Per custodian: subject messages, each status, and the share on time (of the messages
    whose window has closed). The exempt column only when exempt messages were counted."""
    shown = [s for s in STATUSES if s != "exempt" or any(c.counts["exempt"]
                                                         for c in report.summary)]
    lines = [f"{'custodian':<22} {'subject':>8} " + " ".join(f"{s:>10}" for s in shown)
             + f" {'on time':>8}"]
    for s in report.summary:
        share = f"{s.on_time_share:.0%}" if s.on_time_share is not None else "—"
        lines.append(f"{s.custodian[:22]:<22} {s.subject:>8} "
                     + " ".join(f"{s.counts[status]:>10}" for status in shown)
                     + f" {share:>8}")
    return lines


def soon_due(verdict: Verdict) -> bool:
    return verdict.status == "pending" and verdict.days is not None and verdict.days <= SOON_DAYS


def render_table(report: ComplianceReport, zones: dict[str, str]) -> str:
    """The terminal report: the summary, then overdue and soon-due messages."""
    lines = [f"§ 2911 compliance as of {report.as_of_text()}: copy an official account, or "
             f"forward a complete copy within {report.window_days} days (scope: {report.scope})",
             ""]
    lines += summary_table(report)
    for title, wanted in (("Overdue", lambda v: v.status == "overdue"),
                          (f"Due within {SOON_DAYS} days", soon_due)):
        chosen = [v for v in report.verdicts if wanted(v)]
        if not chosen:
            continue
        lines += ["", f"{title} ({len(chosen)}):"]
        for v in sorted(chosen, key=lambda v: (v.deadline or v.sent_at, v.id)):
            zone = zones.get(v.custodian or "", "UTC")
            lines.append(f"  #{v.id:<6} {v.custodian or '—':<16.16} {v.chat[:24]:<24} "
                         f"sent {local(v.sent_at, zone)}  deadline {local(v.deadline, zone)}  "
                         f"{v.days:>3}d  {excerpt(v.text)}")
    return "\n".join(lines)


def write_csv(report: ComplianceReport, out: TextIO) -> None:
    """One row per listed message, the same column names as the JSON."""
    for chunk in csv_chunks(report):
        out.write(chunk)


def csv_chunks(report: ComplianceReport, rows: int = 2000) -> Iterator[str]:
    """The CSV (UTF-8 text, header first) in pieces of ``rows`` rows, so that a large report
    is never one string in memory."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for n, verdict in enumerate(report.verdicts, 1):
        row = verdict.as_json()
        row["evidence"] = "; ".join(
            " ".join(f"{k}={v}" for k, v in e.items()) for e in row["evidence"])
        writer.writerow(row)
        if n % rows == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(report: ComplianceReport) -> Iterator[str]:
    """The report's JSON object (``ComplianceReport.as_json``) in pieces: the header indented,
    then one message per line, so that a large report is encoded by the C encoder message by
    message and never held as one string."""
    head = json.dumps(report.header_json(), ensure_ascii=False, indent=1)
    assert head.endswith("\n}")
    yield head[:-2] + ',\n "messages": ['
    separator = "\n  "
    for verdict in report.verdicts:
        yield separator + json.dumps(verdict.as_json(), ensure_ascii=False)
        separator = ",\n  "
    yield "\n ]\n}"
