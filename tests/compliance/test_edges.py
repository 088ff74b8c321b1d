"""§ 2911 deadlines at their edges (DESIGN §5), each case on SQLite and PostgreSQL: the 20th
day and the 21st, a second either side of the deadline, month and year ends, 29 February,
zones, daylight saving, other windows, incomplete then complete copies.

Dana (Los Angeles) sends from her personal phone; official copies arrive as official exports
captured at chosen instants.
"""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from tests.compliance.cases import LA, Case, local, utc

SENT = [("2026-03-01T10:00", "Dana Reyes", "Lane 3 closed.")]
SECOND = dt.timedelta(seconds=1)


def around(case, sent_day: str, end: dt.datetime, *, name="Port Ops"):
    """Three messages sent on ``sent_day``, copied to Dana's official account one second
    before the deadline (23:59:58), at it (23:59:59) and one second after (00:00:00, the
    ``end`` of the deadline's day)."""
    texts = {"before": end - 2 * SECOND, "at": end - SECOND, "after": end}
    messages = [(f"{sent_day}T10:0{i}", "Dana Reyes", text) for i, text in enumerate(texts)]
    case.export(messages, name=name)
    for message, arrives in zip(messages, texts.values(), strict=True):
        case.export([message], channel="official", captured_at=arrives, name=name)
    return texts


@pytest.mark.parametrize("arrives, status, days", [
    (utc(2026, 3, 22, 6, 59, 58), "forwarded", 20),   # 21 Mar 23:59:58 PDT: a second before
    (utc(2026, 3, 22, 6, 59, 59), "forwarded", 20),   # 21 Mar 23:59:59 PDT: the deadline
    (utc(2026, 3, 22, 7, 0, 0), "late", 1),           # 22 Mar 00:00:00 PDT: a second after
    (utc(2026, 3, 2, 12, 0), "forwarded", 1),
])
def test_the_twentieth_day_is_on_time_the_twenty_first_late(archive, tmp_path, arrives,
                                                           status, days):
    case = Case(archive, tmp_path)
    case.export(SENT)
    case.export(SENT, channel="official", captured_at=arrives)
    (verdict,) = [v for v in case.report(utc(2026, 6, 1)).verdicts if v.status != "exempt"]
    assert (verdict.status, verdict.days) == (status, days)
    assert verdict.deadline == utc(2026, 3, 22, 6, 59, 59, 999999)
    assert verdict.official_capture_at == arrives


def test_pending_then_overdue_around_the_deadline(archive, tmp_path):
    case = Case(archive, tmp_path)
    case.export(SENT)
    assert case.verdicts(utc(2026, 3, 11, 12))["Lane 3 closed."] == ("pending", 10)
    assert case.verdicts(utc(2026, 3, 22, 6, 59, 58))["Lane 3 closed."] == ("pending", 0)
    assert case.verdicts(utc(2026, 3, 22, 6, 59, 59))["Lane 3 closed."] == ("pending", 0)
    assert case.verdicts(utc(2026, 3, 22, 7, 0, 0))["Lane 3 closed."] == ("overdue", 1)


def test_copies_after_the_report_moment_do_not_count(archive, tmp_path):
    case = Case(archive, tmp_path)
    case.export(SENT)
    case.export(SENT, channel="official", captured_at=utc(2026, 3, 5))
    assert case.verdicts(utc(2026, 3, 4))["Lane 3 closed."] == ("pending", 18)


@pytest.mark.parametrize("sent_day, deadline", [
    # month end: sent 31 Jan → 20 Feb 23:59:59.999999 PST (UTC-8)
    ("2026-01-31", utc(2026, 2, 21, 7, 59, 59, 999999)),
    # year end: sent 20 Dec → 9 Jan 2027 23:59:59.999999 PST
    ("2026-12-20", utc(2027, 1, 10, 7, 59, 59, 999999)),
    # leap day: sent 29 Feb 2028 → 20 Mar 2028, after the spring change: PDT (UTC-7)
    ("2028-02-29", utc(2028, 3, 21, 6, 59, 59, 999999)),
    # deadline on the leap day: sent 9 Feb 2028 → 29 Feb 2028 23:59:59.999999 PST
    ("2028-02-09", utc(2028, 3, 1, 7, 59, 59, 999999)),
])
def test_month_year_ends_and_leap_days(archive, tmp_path, sent_day, deadline):
    case = Case(archive, tmp_path)
    texts = around(case, sent_day, deadline + dt.timedelta(microseconds=1))
    report = case.report(deadline + dt.timedelta(days=30))
    found = {v.text: v for v in report.verdicts if v.status != "exempt"}
    assert {v.deadline for v in found.values()} == {deadline}
    assert (found["before"].status, found["before"].days) == ("forwarded", 20)
    assert (found["at"].status, found["at"].days) == ("forwarded", 20)
    assert (found["after"].status, found["after"].days) == ("late", 1)
    for text, arrives in texts.items():
        assert found[text].official_capture_at == arrives
    # The report's moment at the same edges: pending until the deadline's last instant.
    (one,) = [v for v in case.report(deadline).verdicts if v.text == "before"]
    assert (one.status, one.days) == ("forwarded", 20)
    early = {v.text: v for v in case.report(deadline - 2 * SECOND).verdicts}
    assert (early["after"].status, early["after"].days) == ("pending", 0)
    later = {v.text: v for v in case.report(deadline + dt.timedelta(microseconds=1)).verdicts}
    assert (later["after"].status, later["after"].days) == ("late", 1)


def test_the_custodians_zone_counts_not_the_archives(archive, tmp_path):
    """Dana in Guam (UTC+10), archive default Los Angeles (UTC-8/-7): sent 1 March 23:30 Guam
    time, the deadline is 21 March 23:59:59 Guam time (13:59:59Z). A copy at 14:00:00Z is on
    22 March in Guam (late) but still 21 March in Los Angeles: only the custodian's zone can
    make it late."""
    case = Case(archive, tmp_path, zone="Pacific/Guam", archive_zone=LA)
    messages = [("2026-03-01T23:30", "Dana Reyes", "in time"),
                ("2026-03-01T23:31", "Dana Reyes", "a second late")]
    case.export(messages)
    case.export(messages[:1], channel="official", captured_at=utc(2026, 3, 21, 13, 59, 59))
    case.export(messages[1:], channel="official", captured_at=utc(2026, 3, 21, 14, 0, 0))
    found = {v.text: v for v in case.report(utc(2026, 6, 1)).verdicts}
    assert (found["in time"].status, found["in time"].days) == ("forwarded", 20)
    assert (found["a second late"].status, found["a second late"].days) == ("late", 1)
    assert found["in time"].deadline == utc(2026, 3, 21, 13, 59, 59, 999999)


def test_a_report_date_is_the_end_of_that_day_in_each_custodians_zone(archive, tmp_path):
    """As of 23 November (a date): Marcus in Phoenix is judged as of 23 Nov 23:59:59 MST, not
    as of the end of the day in the archive's zone (Los Angeles: 24 Nov 00:59:59 in Phoenix).
    His message of 3 November is due by 23 Nov 23:59:59 MST: pending, 0 days left."""
    from retainer.compliance.report import as_of_moment

    case = Case(archive, tmp_path, archive_zone=LA)
    case.export([("2026-11-03T09:00", "Marcus Bell", "Bridge lane 2 open.")],
                custodian="Marcus Bell", zone="America/Phoenix")
    day = as_of_moment(case.settings, "2026-11-23")
    assert day.day == dt.date(2026, 11, 23)
    assert day.in_zone("America/Phoenix") == utc(2026, 11, 24, 6, 59, 59, 999999)
    assert day.instant == utc(2026, 11, 24, 7, 59, 59, 999999)  # the archive's zone
    report = case.report(day)
    (verdict,) = [v for v in report.verdicts if v.text == "Bridge lane 2 open."]
    assert (verdict.status, verdict.days) == ("pending", 0)
    assert verdict.deadline == utc(2026, 11, 24, 6, 59, 59, 999999)
    assert report.custodian_as_of["Marcus Bell"] == utc(2026, 11, 24, 6, 59, 59, 999999)
    assert case.verdicts(as_of_moment(case.settings, "2026-11-24"))[
        "Bridge lane 2 open."] == ("overdue", 1)
    # An explicit time stays one instant for everybody: 24 Nov 00:30 MST is past his deadline.
    instant = as_of_moment(case.settings, "2026-11-23T23:30")  # Los Angeles time
    assert instant.day is None and instant.instant == utc(2026, 11, 24, 7, 30)
    assert case.verdicts(instant)["Bridge lane 2 open."] == ("overdue", 1)
    assert case.summary(day).summary[1].counts == {"pending": 1}


def test_a_month_or_a_year_as_of_means_the_end_of_its_last_day(archive, tmp_path):
    """"March 2026" judges everyone as of 31 March (not 1 March: a message sent later in the
    month would vanish from the report and an overdue one read as pending)."""
    from retainer.compliance.report import as_of_moment

    case = Case(archive, tmp_path, archive_zone=LA)
    case.export([("2026-03-01T10:00", "Dana Reyes", "first of March"),
                 ("2026-03-20T10:00", "Dana Reyes", "twentieth of March")])
    month = as_of_moment(case.settings, "March 2026", now=utc(2026, 12, 3))
    assert month.day == dt.date(2026, 3, 31)
    assert month.instant == utc(2026, 4, 1, 6, 59, 59, 999999)
    assert case.verdicts(month) == {"first of March": ("overdue", 10),
                                    "twentieth of March": ("pending", 9)}
    year = as_of_moment(case.settings, "2026", now=utc(2026, 12, 3))
    assert year.day == dt.date(2026, 12, 31)


def test_daylight_saving_between_sending_and_forwarding(archive, tmp_path):
    """Sent 1 March (PST, UTC-8); clocks go forward on 8 March; the deadline is 21 March
    23:59:59 PDT (UTC-7), one hour earlier in UTC than a fixed offset would give."""
    case = Case(archive, tmp_path)
    case.export(SENT)
    case.export(SENT, channel="official", captured_at=utc(2026, 3, 22, 7, 30))  # 00:30 PDT 22nd
    assert case.verdicts(utc(2026, 6, 1))["Lane 3 closed."] == ("late", 1)


@pytest.mark.parametrize("window, deadline", [
    # sent 1 March (PST); 10 days: 11 March 23:59:59.999999, after the change to PDT
    (10, local(dt.date(2026, 3, 12), dt.time(0), LA)),
    (1, local(dt.date(2026, 3, 3), dt.time(0), LA)),   # the next day, 2 March
])
def test_a_stricter_window(archive, tmp_path, window, deadline):
    """``window_days`` shorter than the statute's 20 (agency policy): the deadline, the days
    taken, late and left all follow it."""
    case = Case(archive, tmp_path, window=window)
    texts = around(case, "2026-03-01", deadline)
    case.export([("2026-03-01T11:00", "Dana Reyes", "never copied")])
    report = case.report(utc(2026, 6, 1))
    assert report.window_days == window
    found = {v.text: v for v in report.verdicts if v.status != "exempt"}
    assert {v.deadline for v in found.values()} == {deadline - dt.timedelta(microseconds=1)}
    assert (found["before"].status, found["before"].days) == ("forwarded", window)
    assert (found["at"].status, found["at"].days) == ("forwarded", window)
    assert (found["after"].status, found["after"].days) == ("late", 1)
    assert f"within {window} " in found["before"].reason
    assert set(found) == {*texts, "never copied"}
    pending = {v.text: v for v in case.report(utc(2026, 3, 1, 20)).verdicts}  # noon PST
    assert (pending["never copied"].status, pending["never copied"].days) == ("pending", window)
    overdue = {v.text: v for v in case.report(utc(2026, 3, 20, 12)).verdicts}  # 20 Mar PDT
    assert (overdue["never copied"].status, overdue["never copied"].days) == (
        "overdue", 20 - (1 + window))


def test_forwarded_incompletely_then_completely(archive, tmp_path):
    photo = [("2026-03-01T10:00", "Dana Reyes", "IMG-20260301-WA0001.jpg (file attached)")]
    omitted = [("2026-03-01T10:00", "Dana Reyes", "<Media omitted>")]
    case = Case(archive, tmp_path)
    case.export(photo)
    case.export(omitted, channel="official", captured_at=utc(2026, 3, 5))
    text = "IMG-20260301-WA0001.jpg (file attached)"
    assert case.verdicts(utc(2026, 3, 10))[text] == ("pending", 12)      # window still open
    assert case.verdicts(utc(2026, 4, 1))[text] == ("incomplete", 10)    # closed, no file
    # Then the complete copy (the zip with the photo) arrives after the deadline.
    folder = tmp_path / "complete"
    folder.mkdir()
    with zipfile.ZipFile(folder / "WhatsApp Chat with Port Ops.zip", "w") as zf:
        zf.writestr("WhatsApp Chat with Port Ops.txt",
                    "3/1/26, 10:00\u202fAM - Dana Reyes: IMG-20260301-WA0001.jpg (file attached)\n")
        zf.writestr("IMG-20260301-WA0001.jpg", b"\xff\xd8\xff\xe0" + bytes(64))
    import_file(archive, folder / "WhatsApp Chat with Port Ops.zip", ImportOptions(
        custodian="Dana Reyes", timezone=LA, channel="official", captured_at=utc(2026, 4, 2),
        date_order="MDY"))
    assert case.verdicts(utc(2026, 4, 10))[text] == ("late", 11)  # 1 Apr PDT


def test_an_alias_added_after_import_makes_messages_subject(archive, tmp_path):
    case = Case(archive, tmp_path)
    case.export([("2026-03-01T10:00", "Dana R.", "short name")])
    assert case.verdicts(utc(2026, 6, 1))["short name"][0] == "exempt"
    (tmp_path / "later").mkdir()
    later = Case(archive, tmp_path / "later", aliases=("Dana Reyes", "Dana R."))
    assert later.verdicts(utc(2026, 6, 1))["short name"] == ("overdue", 71)  # 31 May PDT


def test_non_record_and_transitory(archive, tmp_path):
    case = Case(archive, tmp_path)
    case.export([("2026-03-01T10:00", "Dana Reyes", "Happy birthday!"),
                 ("2026-03-01T10:01", "Dana Reyes", "Seized 14 pallets of brake pads"),
                 ("2026-03-01T10:02", "Luis Ortega", "Gracias")])
    found = case.verdicts(utc(2026, 6, 1))
    assert found["Happy birthday!"][0] == "exempt"                # non-record
    assert found["Seized 14 pallets of brake pads"][0] == "overdue"
    assert found["Gracias"][0] == "exempt"                        # not a custodian


def _import_time(archive, text):
    """When the archive received the official copy holding ``text`` (its import's entry)."""
    from sqlalchemy import select

    from retainer.archive.models import AuditEntry, Capture, Message

    with archive.read() as session:
        return session.scalar(
            select(AuditEntry.at).join(Capture, Capture.audit_id == AuditEntry.id)
            .join(Message, Message.id == Capture.message_id)
            .where(Message.text == text, Capture.channel == "official"))


def test_a_copy_dated_before_its_message_counts_from_when_the_archive_received_it(
        archive, tmp_path):
    """A copy cannot precede its message: a mail Date (or a capture time given at import) a
    month before the message was sent is wrong, so it proves nothing about when the copy
    arrived; the latest it can have arrived is when the archive received it. The report
    works (the day calendar covers the early date) and claims no forward before that."""
    case = Case(archive, tmp_path)
    case.export(SENT)
    case.export(SENT, channel="official", captured_at=utc(2026, 2, 1))
    received = _import_time(archive, "Lane 3 closed.")
    before = case.report(utc(2026, 6, 1))
    (verdict,) = [v for v in before.verdicts if v.text == "Lane 3 closed."]
    assert verdict.status == "overdue"  # the archive held no copy by then
    after = case.report(received + dt.timedelta(days=400))
    (verdict,) = [v for v in after.verdicts if v.text == "Lane 3 closed."]
    assert verdict.status == "late" and verdict.days > 0
    assert verdict.official_capture_at == received
    assert [e.captured_at for e in verdict.evidence] == [received]


def test_a_copy_dated_hours_before_its_message_is_no_forward(archive, tmp_path):
    """Dated 12 hours before the message (inside the calendar's margin): not "forwarded"
    with -1 days, but judged from when the archive received it."""
    case = Case(archive, tmp_path)
    case.export(SENT)
    case.export(SENT, channel="official", captured_at=utc(2026, 2, 28, 12))
    received = _import_time(archive, "Lane 3 closed.")
    verdicts = case.verdicts(received + dt.timedelta(days=1))
    status, days = verdicts["Lane 3 closed."]
    assert status == "late" and days > 0
