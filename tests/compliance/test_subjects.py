"""Which messages are subject, and what counts as their copy (DESIGN §5), on SQLite and
PostgreSQL: scope, deleted messages and deletion notices, an official account joining within
a minute, and evidence that must belong to the same custodian and the same message."""

from __future__ import annotations

from sqlalchemy import select

from retainer.archive.models import Capture, Export
from retainer.reports.destruction import build_destruction
from tests.compliance.cases import Case, utc

JUNE = utc(2026, 6, 1)


def noon(day: int):
    """Noon in Los Angeles on that day of March 2026 (PST before the 8th, PDT from it)."""
    return utc(2026, 3, day, 20 if day < 8 else 19)
ADDED = "Dana Reyes added +1 (202) 555-0190"
REMOVED = "Dana Reyes removed +1 (202) 555-0190"


# -- scope -----------------------------------------------------------------------------------

CHAT = [("2026-03-01T10:00", "Dana Reyes", "Dana writes"),
        ("2026-03-01T10:01", "Luis Ortega", "Luis writes"),
        ("2026-03-01T10:02", "Marcus Bell", "Marcus writes"),
        ("2026-03-01T10:03", None, "Dana Reyes added Luis Ortega")]


def test_scope_sent_counts_only_what_custodians_sent(archive, tmp_path):
    case = Case(archive, tmp_path)
    case.export(CHAT)
    found = case.by_custodian(JUNE)
    assert found["Dana writes", "Dana Reyes"].status == "overdue"
    assert found["Marcus writes", "Marcus Bell"].status == "overdue"
    assert found["Luis writes", None].status == "exempt"
    assert found["Luis writes", None].person == "Luis Ortega"
    assert not [k for k in found if k[0] == "Marcus writes" and k[1] == "Dana Reyes"]


def test_scope_sent_and_received_makes_the_receiving_device_owe_a_copy(archive, tmp_path):
    """Agency policy: what Dana's device received is Dana's obligation as well; Marcus's
    message is then both his (sent) and hers (received); a system notice stays exempt."""
    case = Case(archive, tmp_path, scope="sent+received")
    case.export(CHAT)
    case.export(CHAT[1:2], channel="official", captured_at=noon(5))
    report = case.report(JUNE)
    assert report.scope == "sent+received"
    found = {(v.text, v.custodian): v for v in report.verdicts}
    luis = found["Luis writes", "Dana Reyes"]
    assert (luis.status, luis.days, luis.person) == ("forwarded", 4, "Luis Ortega")
    assert luis.reason.startswith("a device of the custodian received it")
    assert luis.evidence[0].kind == "official-export"
    assert found["Marcus writes", "Marcus Bell"].status == "overdue"
    received = found["Marcus writes", "Dana Reyes"]
    assert (received.status, received.person) == ("overdue", "Marcus Bell")
    assert found["Dana writes", "Dana Reyes"].reason.startswith("sent from a non-official")
    assert found["Dana Reyes added Luis Ortega", None].status == "exempt"
    assert {k for k in found if k[0] == "Dana writes"} == {("Dana writes", "Dana Reyes")}
    counts = {s.custodian: dict(s.counts) for s in report.summary}
    assert counts["Dana Reyes"] == {"forwarded": 1, "overdue": 2}
    assert counts["Marcus Bell"] == {"overdue": 1}
    assert counts["(not subject)"] == {"exempt": 1}
    assert case.summary(JUNE).counts() == report.counts()


def test_received_only_on_another_custodians_device_is_not_yours(archive, tmp_path):
    case = Case(archive, tmp_path, scope="sent+received")
    case.export(CHAT[1:2], custodian="Marcus Bell")
    found = case.by_custodian(JUNE)
    assert set(found) == {("Luis writes", "Marcus Bell")}


# -- deleted messages and deletion notices ---------------------------------------------------

def test_an_official_copy_of_a_deletion_notice_is_never_a_forward(archive, tmp_path):
    """The device shows "This message was deleted", and so does an export found in Dana's
    official account three days later: the content is gone, so the copy is incomplete —
    pending while the window is open, incomplete after, never forwarded."""
    deleted = [("2026-03-01T10:00", "Dana Reyes", "This message was deleted")]
    case = Case(archive, tmp_path)
    case.export(deleted)
    case.export(deleted, channel="official", captured_at=noon(4))
    with archive.read() as session:
        (capture,) = session.scalars(select(Capture).where(Capture.channel == "official"))
        assert capture.complete  # the importer's flag: nothing missing from the notice itself
    early = case.by_custodian(noon(10))["This message was deleted", "Dana Reyes"]
    assert (early.status, early.days) == ("pending", 11)
    assert "deletion notice" in early.reason and early.evidence[0].complete is False
    late = case.by_custodian(JUNE)["This message was deleted", "Dana Reyes"]
    assert (late.status, late.days) == ("incomplete", 71)
    assert "content was never captured" in late.reason
    (shortfall,) = late.evidence
    assert shortfall.kind == "official-export" and shortfall.complete is False
    with archive.read() as session:
        report = build_destruction(session, case.settings)
    assert [i.message_id for i in report.deleted] == [late.id]


def test_a_deletion_notice_never_captured_officially_is_overdue(archive, tmp_path):
    case = Case(archive, tmp_path)
    case.export([("2026-03-01T10:00", "Dana Reyes", "You deleted this message")])
    verdict = case.by_custodian(JUNE)["You deleted this message", "Dana Reyes"]
    assert (verdict.status, verdict.evidence) == ("overdue", ())


def test_the_notice_of_a_captured_message_is_exempt_and_the_original_judged(archive,
                                                                             tmp_path):
    """Captured on 1 March, shown deleted by the next export: the original is the subject
    (forwarded, its text was copied in time); the notice is exempt and says whose notice it
    is; an official copy of the notice alone proves nothing for anybody."""
    case = Case(archive, tmp_path)
    case.export([("2026-03-01T10:00", "Dana Reyes", "Lane 3 closed."),
                 ("2026-03-01T11:00", "Dana Reyes", "Lane 4 closed.")])
    case.export([("2026-03-01T10:00", "Dana Reyes", "Lane 3 closed.")], channel="official",
                captured_at=noon(2))
    later = [("2026-03-01T10:00", "Dana Reyes", "You deleted this message"),
             ("2026-03-01T11:00", "Dana Reyes", "You deleted this message")]
    case.export(later, captured_at=noon(3))
    case.export(later, channel="official", captured_at=noon(4))
    report = case.report(JUNE)
    found = {v.id: v for v in report.verdicts}
    subject = {v.text: v for v in found.values() if v.status != "exempt"}
    assert (subject["Lane 3 closed."].status, subject["Lane 3 closed."].days) == ("forwarded", 1)
    assert subject["Lane 4 closed."].status == "overdue"  # its notice's copy proves nothing
    notices = [v for v in found.values() if v.kind == "deleted"]
    assert len(notices) == 2 and {v.status for v in notices} == {"exempt"}
    originals = {subject["Lane 3 closed."].id, subject["Lane 4 closed."].id}
    assert {int(v.reason.split()[4]) for v in notices} == originals
    assert all(v.reason.startswith("deletion notice of message ") for v in notices)
    assert report.counts() == {"forwarded": 1, "overdue": 1, "exempt": 2}
    assert case.summary(JUNE).counts() == report.counts()
    with archive.read() as session:
        destruction = build_destruction(session, case.settings)
    assert destruction.deleted == []  # both contents were captured
    assert {i.message_id for i in destruction.deleted_after_capture} == originals


# -- an official account in the chat (§ 2911(a)(1)) ------------------------------------------

def test_official_account_joining_later_copies_only_later_messages(archive, tmp_path):
    case = Case(archive, tmp_path)
    case.export([("2026-03-01T10:00", "Dana Reyes", "before"),
                 ("2026-03-01T10:05", None, ADDED),
                 ("2026-03-01T10:06", "Dana Reyes", "after"),
                 ("2026-03-01T10:07", "+1 (202) 555-0190", "from the agency phone")])
    found = case.by_custodian(JUNE)
    assert found["before", "Dana Reyes"].status == "overdue"
    after = found["after", "Dana Reyes"]
    assert (after.status, after.days) == ("copied", 0)
    assert after.evidence[0].kind == "membership"
    assert after.evidence[0].official_account == "+1 (202) 555-0190"
    exempt = found["from the agency phone", "Dana Reyes"]
    assert (exempt.status, exempt.reason) == ("exempt", "sent from an official account")
    assert found[ADDED, None].status == "exempt"


def test_removing_one_of_two_official_phones_leaves_the_other_in_the_chat(
        archive, tmp_path, monkeypatch):
    """Membership is per account: Dana's second official phone leaving does not end the
    first one's membership, so her later messages are still copied (not a false overdue)."""
    from tests.compliance import cases

    monkeypatch.setattr(cases, "CONFIG", cases.CONFIG.replace(
        '"+1 202 555 0190"]', '"+1 202 555 0190", "+1 202 555 0191"]'))
    case = Case(archive, tmp_path)
    case.export([("2026-03-01T10:00", None, ADDED),
                 ("2026-03-01T10:01", None, "Dana Reyes added +1 (202) 555-0191"),
                 ("2026-03-01T10:02", None, "Dana Reyes removed +1 (202) 555-0191"),
                 ("2026-03-01T10:03", "Dana Reyes", "one phone still in"),
                 ("2026-03-01T10:04", None, REMOVED),
                 ("2026-03-01T10:05", "Dana Reyes", "no phone in")])
    found = case.by_custodian(JUNE)
    still = found["one phone still in", "Dana Reyes"]
    assert (still.status, still.evidence[0].official_account) == ("copied",
                                                                   "+1 (202) 555-0190")
    assert found["no phone in", "Dana Reyes"].status == "overdue"


def test_the_evidence_names_the_phone_still_in_the_chat(archive, tmp_path, monkeypatch):
    """One notice adds both official phones, a later one removes one: the evidence of
    "copied" names the phone that is still in, not the removed one."""
    from tests.compliance import cases

    monkeypatch.setattr(cases, "CONFIG", cases.CONFIG.replace(
        '"+1 202 555 0190"]', '"+1 202 555 0190", "+1 202 555 0191"]'))
    case = Case(archive, tmp_path)
    case.export([("2026-03-01T10:00", None,
                  "Dana Reyes added +1 (202) 555-0190 and +1 (202) 555-0191"),
                 ("2026-03-01T10:02", None, "Dana Reyes removed +1 (202) 555-0191"),
                 ("2026-03-01T10:03", "Dana Reyes", "one phone still in")])
    still = case.by_custodian(JUNE)["one phone still in", "Dana Reyes"]
    assert (still.status, still.evidence[0].official_account) == ("copied",
                                                                   "+1 (202) 555-0190")


def test_within_the_minute_of_joining_the_exports_line_order_decides(archive, tmp_path):
    """Android writes minutes only: a message in the same minute as the "added" notice is
    copied only when the export shows it after the notice; one shown before is not. The same
    at the other end: shown before "removed" it was copied, after it not."""
    case = Case(archive, tmp_path)
    case.export([("2026-03-01T10:05", "Dana Reyes", "same minute, before"),
                 ("2026-03-01T10:05", None, ADDED),
                 ("2026-03-01T10:05", "Dana Reyes", "same minute, after"),
                 ("2026-03-01T10:30", "Dana Reyes", "before the removal"),
                 ("2026-03-01T10:30", None, REMOVED),
                 ("2026-03-01T10:30", "Dana Reyes", "after the removal")])
    found = case.by_custodian(JUNE)
    notice_id = found[ADDED, None].id
    assert found["same minute, before", "Dana Reyes"].status == "overdue"
    after = found["same minute, after", "Dana Reyes"]
    assert (after.status, after.evidence[0].notice_message_id) == ("copied", notice_id)
    assert found["before the removal", "Dana Reyes"].status == "copied"
    assert found["after the removal", "Dana Reyes"].status == "overdue"


def test_within_the_minute_without_a_shared_export_nothing_is_claimed(archive, tmp_path):
    """The notice and the message are each in an export the other is not in: nothing shows
    which came first, so the message is not claimed copied (though its id is higher)."""
    case = Case(archive, tmp_path)
    case.export([("2026-03-01T10:05", None, ADDED)])
    case.export([("2026-03-01T10:05", "Dana Reyes", "no order known")], name="Port Ops")
    with archive.read() as session:
        exports = session.scalars(select(Export.id)).all()
    assert len(exports) == 2
    assert case.by_custodian(JUNE)["no order known", "Dana Reyes"].status == "overdue"


# -- the evidence belongs to the same custodian and the same message -------------------------

def test_a_copy_in_another_custodians_official_account_proves_nothing(archive, tmp_path):
    case = Case(archive, tmp_path)
    messages = [("2026-03-01T10:00", "Dana Reyes", "Dana's"),
                ("2026-03-01T10:00", "Marcus Bell", "Marcus's")]
    case.export(messages)
    case.export(messages, channel="official", captured_at=noon(2),
                custodian="Marcus Bell", zone="America/Los_Angeles")
    found = case.by_custodian(JUNE)
    assert (found["Dana's", "Dana Reyes"].status, found["Dana's", "Dana Reyes"].evidence) == (
        "overdue", ())
    marcus = found["Marcus's", "Marcus Bell"]
    assert (marcus.status, marcus.days) == ("forwarded", 1)


def test_a_copy_of_one_message_proves_only_that_message(archive, tmp_path):
    """Two messages in one minute, one of them copied: the other stays overdue, and the
    evidence cited is a capture of the very message judged."""
    case = Case(archive, tmp_path)
    messages = [("2026-03-01T10:00", "Dana Reyes", "Copy."),
                ("2026-03-01T10:00", "Dana Reyes", "Copy."),
                ("2026-03-01T10:00", "Dana Reyes", "Lane 3 closed.")]
    case.export(messages)
    case.export(messages[2:], channel="official", captured_at=noon(2))
    report = case.report(JUNE)
    statuses = sorted((v.text, v.status) for v in report.verdicts)
    assert statuses == [("Copy.", "overdue"), ("Copy.", "overdue"),
                        ("Lane 3 closed.", "forwarded")]
    (forwarded,) = [v for v in report.verdicts if v.status == "forwarded"]
    with archive.read() as session:
        capture = session.get(Capture, forwarded.evidence[0].capture_id)
        export = session.get(Export, capture.export_id)
        assert capture.message_id == forwarded.id and capture.channel == "official"
        assert export.custodian == forwarded.custodian == "Dana Reyes"
