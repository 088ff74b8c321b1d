"""The bundled sample archive: every column of sample_exports/expected-verdicts.csv pinned for
every message (status, days, deadline, the proving mail's Message-ID, who, where it was seen,
the flags), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from retainer.archive import Archive
from retainer.archive.models import (
    Capture,
    Export,
    Mail,
    MailRecipient,
    Message,
    MessageEvent,
)
from retainer.archive.people import sync_people
from retainer.compliance.report import NOT_SUBJECT, as_of_moment, build, custodian_zones
from retainer.config import load_settings
from retainer.nightly import nightly
from retainer.people import account_key
from retainer.reports.destruction import build_destruction
from retainer.retention.filing import rulebook_for
from tests.ingest.test_run import sample  # noqa: F401 - the fixture copying sample_exports/

EXPECTED = Path(__file__).resolve().parents[2] / "sample_exports" / "expected-verdicts.csv"
AS_OF = dt.date(2026, 11, 23)
MAILS = {  # sample_exports/README.md, "The mails in mailbox/official.mbox"
    1: "<6B1E0C7A-3F2D-4C55-9A21-0D8E5B7C2F10@mail.example.com>",
    2: "<20261021065831.51F0A2@mail.example.com>",
    3: "<0D4C7E19-8B6A-4F3E-B2D1-93A5C6E7F801@mail.example.com>",
    4: "<20261030103155.7A21C4@mail.example.com>",
    5: "<n0te-share-20261116-0612@mail.example.com>",
    6: "<F2C81B6D-55E4-4A0B-8E37-C9D0A1B2E3F4@mail.example.com>",
}
MAIL_NUMBER = {message_id: n for n, message_id in MAILS.items()}
EXEMPT_REASONS = {
    "system message": "system message",
    "author not a custodian": "the author is not a custodian",
    "author not a configured person (unknown number)": "the author resolves to nobody",
    "sent from the custodian's official account": "sent from an official account",
}


@pytest.fixture
def sample_archive(sample, archive_url):  # noqa: F811 - the imported fixture
    settings = load_settings(sample, database_url=archive_url)
    archive = Archive.open(settings.database_url, settings.vault)
    with archive.begin() as session:
        sync_people(session, settings.people)
    result = nightly(archive, settings)
    assert [f.status for f in result.files] == ["imported"] * 5
    yield archive, settings, result
    archive.close()


@pytest.fixture
def report(sample_archive):
    archive, settings, result = sample_archive
    with archive.read() as session:
        built = build(session, settings, rulebook_for(settings), as_of_moment(settings),
                      include_exempt=True)
    return result, built


def expected_rows():
    with open(EXPECTED, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def find(pool, row):
    """The verdict of an expected row (each verdict is used once: the same words sent twice
    in a minute are two messages)."""
    utc = dt.datetime.fromisoformat(row["utc"].replace("Z", "+00:00"))
    text = row["text_as_exported"].strip()
    found = [v for v in pool if v.chat == row["chat"] and v.sent_at == utc
             and (v.text.strip() == text or text in v.text or v.text in text)]
    assert found, row["key"]
    pool.remove(found[0])
    return found[0]


class Facts:
    """What the archive holds about each message, read straight from its tables."""

    def __init__(self, archive, settings):
        with archive.read() as session:
            self.zone = dict(session.execute(select(Message.id, Message.timezone)).all())
            self.edited = {i for i, e in session.execute(select(Message.id, Message.edited))
                           if e}
            self.notice_of = dict(session.execute(
                select(MessageEvent.message_id, MessageEvent.related_message_id)
                .where(MessageEvent.kind == "deleted_after_capture")).all())
            mails = dict(session.execute(select(Mail.id, Mail.message_id)).all())
            self.seen = defaultdict(set)
            for message_id, channel, custodian, cap_mail, exp_mail, complete in session.execute(
                    select(Capture.message_id, Capture.channel, Export.custodian,
                           Capture.mail_id, Export.mail_id, Capture.complete)
                    .outerjoin(Export, Export.id == Capture.export_id)):
                if channel == "device":
                    self.seen[message_id].add(f"{custodian.split()[0].lower()}-device")
                    continue
                n = MAIL_NUMBER[mails[cap_mail or exp_mail]]
                qualifier = "(pasted)" if cap_mail else "" if complete else "(omitted)"
                self.seen[message_id].add(f"mail#{n}{qualifier}")
            destruction = build_destruction(session, settings)
        self.never_captured = {i.message_id for i in destruction.deleted}
        self.deleted_after = {i.message_id for i in destruction.deleted_after_capture}
        self.missing = {i.message_id for i in destruction.missing}

    def seen_in(self, message_id: int) -> set[str]:
        seen = set(self.seen[message_id])
        if message_id in self.notice_of:  # the later exports show its deletion notice
            seen |= {f"{token}(stub)" for token in self.seen[self.notice_of[message_id]]}
        return seen


def local(instant: dt.datetime, zone: str) -> dt.datetime:
    return instant.astimezone(ZoneInfo(zone))


def check_deadline(v, zone, date_text, time_text=None, abbr=None):
    """``date_text`` ``MM/DD`` or ``MM/DD/YYYY`` (the year of sending when left out)."""
    deadline = local(v.deadline, zone)
    parts = [int(p) for p in date_text.split("/")]
    year = parts[2] if len(parts) == 3 else local(v.sent_at, zone).year
    if len(parts) == 2 and (parts[0], local(v.sent_at, zone).month) == (1, 12):
        year += 1
    assert deadline.date() == dt.date(year, parts[0], parts[1])
    assert deadline.time() == dt.time(23, 59, 59, 999999)  # the end of that day
    if time_text:
        assert deadline.strftime("%H:%M:%S") == time_text
    if abbr:
        assert deadline.tzname() == abbr
    return deadline.date()


def check_detail(row, v, zones):
    """The ``detail`` column: reason, days and deadline of each status."""
    detail, status = row["detail"], row["status"]
    zone = zones.get(v.custodian or "", "UTC")
    if status == "exempt":
        assert v.reason.startswith(EXEMPT_REASONS[detail]), (v.reason, detail)
        assert v.custodian is None or v.custodian == v.person
        return
    assert v.custodian == row["person"]
    if status == "copied":
        m = re.fullmatch(r"official number (.+) was a member \(added (.+) (P[DS]T)\)", detail)
        (proof,) = v.evidence
        assert proof.kind == "membership" and v.days == 0
        assert account_key(proof.official_account) == account_key(m.group(1))
        added = local(proof.captured_at, "America/Los_Angeles")
        assert added.strftime("%m/%d/%y %-I:%M %p") == m.group(2)
        assert added.tzname() == m.group(3)
        return
    if status == "forwarded":
        m = re.fullmatch(r"complete copy in mail #(\d) after (\d+) day\(s\), deadline "
                         r"(\d\d/\d\d)", detail)
        assert v.evidence[0].mail_message_id == MAILS[int(m.group(1))]
        assert v.days == int(m.group(2))
        check_deadline(v, zone, m.group(3))
        assert (local(v.official_capture_at, zone).date() - local(v.sent_at, zone).date()
                ).days == v.days
        return
    if status == "late":
        m = re.fullmatch(r"first complete copy in mail #(\d) on (\d\d/\d\d \d\d:\d\d), "
                         r"deadline (\d\d/\d\d) (23:59:59) (\w+): (\d+) day\(s\) late", detail)
        assert v.evidence[0].mail_message_id == MAILS[int(m.group(1))]
        assert local(v.official_capture_at, zone).strftime("%m/%d %H:%M") == m.group(2)
        day = check_deadline(v, zone, m.group(3), m.group(4), m.group(5))
        assert v.days == int(m.group(6)) == (local(v.official_capture_at, zone).date()
                                               - day).days
        return
    if status == "incomplete":
        m = re.fullmatch(r'official copies only as "image omitted" \(mail (.+)\), no complete '
                         r"copy by (\d\d/\d\d)", detail)
        numbers = [int(n) for n in re.findall(r"#(\d)", m.group(1))]
        day = check_deadline(v, zone, m.group(2))
        assert v.days == (AS_OF - day).days
        (shortfall,) = v.evidence
        assert shortfall.complete is False and shortfall.mail_message_id == MAILS[numbers[0]]
        return
    if status == "overdue":
        m = re.fullmatch(r"no official copy; deadline (\d\d/\d\d/\d{4}) (23:59:59) (\w+)"
                         r"(; copies in mail (.+) went to (\S+), not to an official account "
                         r"of (.+))?", detail)
        day = check_deadline(v, zone, m.group(1), m.group(2), m.group(3))
        assert v.days == (AS_OF - day).days
        assert v.evidence == () and v.official_capture_at is None
        return
    assert status == "pending"
    m = re.fullmatch(r"no official copy yet; deadline (\d\d/\d\d/\d{4}), (\d+) day\(s\) left"
                     r"(; copies in mail .+)?", detail)
    day = check_deadline(v, zone, m.group(1))
    assert v.days == int(m.group(2)) == (day - AS_OF).days
    assert v.evidence == () and v.official_capture_at is None


def check_proof(row, v, ids):
    proof = row["proof"]
    if not proof:
        assert row["status"] not in ("copied", "forwarded", "late")
        return
    if row["status"] == "copied":
        m = re.fullmatch(r'system notice (\S+) "(.+)" in (.+)', proof)
        assert v.evidence[0].notice_message_id == ids[m.group(1)]
        return
    m = re.fullmatch(r"(mailbox/official\.mbox) mail #(\d) (<.+>)", proof)
    (evidence,) = v.evidence
    assert evidence.kind == "mail" and evidence.complete is True
    assert evidence.mail_message_id == m.group(3) == MAILS[int(m.group(2))]
    assert evidence.mail_source.endswith(f"{m.group(1)}#{m.group(2)}")
    assert len(evidence.vault_sha256) == 64
    assert (evidence.mail_date is None) == (m.group(2) == "5")  # mail #5 has no Date
    assert evidence.official_account == "marcus.bell@agency.example.gov"


def check_flags(row, v, facts):
    flags = row["flags"]
    assert (v.id in facts.never_captured) == flags.startswith("deleted, content never captured")
    assert (v.id in facts.deleted_after) == flags.startswith("deleted for everyone")
    assert (v.id in facts.missing) == flags.startswith("missing_from_later_export")
    assert (v.id in facts.edited) == (flags == "edited")
    if flags.startswith("DST fold hour: "):
        abbr = flags.split(": ")[1][:3]
        assert local(v.sent_at, facts.zone[v.id]).tzname() == abbr
        assert v.sent_at_local[11:13] == "01"


def test_every_column_of_every_sample_verdict(sample_archive, report):
    """Each row of expected-verdicts.csv, column by column; then nothing is left over but
    the one deletion notice that stands for LB-020 (exempt: LB-020 carries the verdict)."""
    archive, settings, _ = sample_archive
    _, built = report
    facts = Facts(archive, settings)
    zones = custodian_zones(settings)
    pool = list(built.verdicts)
    matched = [(row, find(pool, row)) for row in expected_rows()]
    ids = {row["key"]: v.id for row, v in matched}
    for row, v in matched:
        try:
            assert v.chat == row["chat"]
            assert v.sent_at == dt.datetime.fromisoformat(row["utc"].replace("Z", "+00:00"))
            shown, abbr = row["sent_local_as_exported"].rsplit(" ", 1)
            assert v.sent_at_local.replace("T", " ") == shown
            assert local(v.sent_at, facts.zone[v.id]).tzname() == abbr
            author, person = row["author_as_exported"] or None, row["person"] or None
            if v.kind == "system" and author == row["chat"]:
                author = None  # iOS writes the group's name in a notice's author slot
            assert v.author == author
            assert v.person == person
            assert v.kind == {"call": "system"}.get(row["kind"], row["kind"])
            text, expected = " ".join(v.text.split()), " ".join(row["text_as_exported"].split())
            if v.kind == "media" and expected in text:
                text = expected  # phones add a document's title around the placeholder
            assert text == expected
            assert v.status == row["status"]
            check_detail(row, v, zones)
            check_proof(row, v, ids)
            check_flags(row, v, facts)
            assert facts.seen_in(v.id) == set(row["seen_in"].split())
        except AssertionError as exc:
            raise AssertionError(f"{row['key']}: {exc}") from exc
    (notice,) = pool
    assert notice.status == "exempt" and notice.kind == "deleted"
    assert notice.reason.startswith(f"deletion notice of message {ids['LB-020']}")
    assert facts.notice_of[ids["LB-020"]] == notice.id
    assert notice.custodian == notice.person == "Marcus Bell"


def test_the_nightly_counts_show_every_status(report):
    """The sample's 261 messages, plus the deletion notice standing for LB-020 (an archived
    message of its own, exempt, so that LB-020 is not counted twice)."""
    result, built = report
    totals = result.compliance.counts()
    assert totals == {"copied": 14, "forwarded": 23, "late": 3, "incomplete": 1,
                      "overdue": 113, "pending": 26, "exempt": 82}
    assert built.counts() == totals
    assert [s.custodian for s in built.summary] == ["Dana Reyes", "Marcus Bell",
                                                    "Elena Vargas", NOT_SUBJECT]


def test_the_verdicts_are_the_same_at_any_instant_of_the_day(sample_archive, report):
    """"As of 2026-11-23" means the end of that day in each custodian's zone: Marcus (Phoenix)
    is judged as of 23 Nov 23:59:59 MST, Dana and Elena as of 23:59:59 PST, so that the
    verdicts equal those of an instant late on 23 Nov in every custodian's zone."""
    archive, settings, _ = sample_archive
    _, by_day = report
    assert by_day.as_of_date == AS_OF
    assert by_day.custodian_as_of["Marcus Bell"] == dt.datetime(
        2026, 11, 24, 6, 59, 59, 999999, tzinfo=dt.UTC)
    assert by_day.custodian_as_of["Dana Reyes"] == dt.datetime(
        2026, 11, 24, 7, 59, 59, 999999, tzinfo=dt.UTC)
    # 23 Nov 23:00 MST is 22:00 PST: one instant on 23 Nov for all three custodians.
    instant = dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC)
    with archive.read() as session:
        at_instant = build(session, settings, rulebook_for(settings), instant,
                           include_exempt=True)
    assert at_instant.as_of_date is None
    assert ([(v.id, v.status, v.days) for v in by_day.verdicts]
            == [(v.id, v.status, v.days) for v in at_instant.verdicts])


def test_evidence_always_belongs_to_the_custodian_and_the_message(sample_archive, report):
    """Every capture cited is of the very message judged, and reached an official account of
    that message's custodian (a mail delivered to it, or an export found in it): Marcus's
    mails carry Dana's messages too, and prove nothing for her."""
    archive, settings, _ = sample_archive
    _, built = report
    official = {p.name: {account_key(a) for a in p.official_accounts} for p in settings.people}
    cited = [(v, e) for v in built.verdicts for e in v.evidence if e.kind != "membership"]
    assert len(cited) == 23 + 3 + 1
    with archive.read() as session:
        for v, e in cited:
            capture = session.get(Capture, e.capture_id)
            assert capture.message_id == v.id and capture.channel == "official"
            mail = session.get(Mail, capture.mail_id or session.get(
                Export, capture.export_id).mail_id)
            assert mail.message_id == e.mail_message_id
            assert e.official_account in official[v.custodian]
            assert e.official_account in session.scalars(
                select(MailRecipient.address).where(MailRecipient.mail_id == mail.id)).all()
        dana = [v for v in built.verdicts if v.custodian == "Dana Reyes"]
        carried = session.scalars(select(func.count()).select_from(Capture).where(
            Capture.message_id.in_([v.id for v in dana]), Capture.channel == "official"))
        assert carried.one() > 0  # Dana's messages are in Marcus's mails…
    assert not [v for v in dana if v.status in ("forwarded", "late", "incomplete")]  # …in vain


def test_json_shape(report):
    _, built = report
    data = built.as_json()
    assert set(data) >= {"as_of", "window_days", "scope", "summary", "messages"}
    assert data["as_of"].endswith("Z") and data["window_days"] == 20 and data["scope"] == "sent"
    assert data["as_of_date"] == "2026-11-23"
    assert data["as_of_by_custodian"]["Marcus Bell"] == "2026-11-24T06:59:59.999999Z"
    message = next(m for m in data["messages"] if m["status"] == "late")
    assert set(message) >= {"id", "chat", "author", "custodian", "sent_at", "sent_at_local",
                            "text", "kind", "category", "status", "deadline",
                            "official_capture_at", "days", "evidence", "person"}
    assert message["sent_at"].endswith("Z") and message["days"] > 0
    exempt = [m for m in data["messages"] if m["status"] == "exempt"]
    assert {m["custodian"] for m in exempt} <= {None, "Dana Reyes", "Marcus Bell",
                                                 "Elena Vargas"}
    assert {m["person"] for m in exempt if m["custodian"] is None} == {
        None, "Luis Ortega", "Priya Nair", "Rocío Méndez"}
    assert set(data["summary"]) == {"Dana Reyes", "Marcus Bell", "Elena Vargas", NOT_SUBJECT}
