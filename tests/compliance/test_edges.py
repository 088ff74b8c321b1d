"""§ 2911 verdicts at their edges (DESIGN §5), each case on SQLite and PostgreSQL.

Dana (Los Angeles) sends from her personal phone; official copies arrive as official exports
captured at chosen instants.
"""

from __future__ import annotations

import datetime as dt

import pytest

from retainer.archive.people import sync_people
from retainer.compliance.report import build
from retainer.config import load_settings
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from retainer.retention.filing import file_archive, rulebook_for
from tests.ingest.chats import ANDROID, write_export

CONFIG = """
[archive]
timezone = "{archive_zone}"
[compliance]
window_days = {window}
[[people]]
name = "Dana Reyes"
custodian = true
aliases = {aliases}
official_accounts = ["dana.reyes@agency.example.gov", "+1 202 555 0190"]
timezone = "{zone}"
[[people]]
name = "Luis Ortega"
aliases = ["Luis Ortega"]
"""
LA = "America/Los_Angeles"


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


class Case:
    """An archive with one chat; device messages, then official copies, then a verdict."""

    def __init__(self, archive, tmp_path, *, zone=LA, archive_zone="UTC", window=20,
                 aliases=("Dana Reyes",)):
        self.archive, self.tmp = archive, tmp_path
        path = tmp_path / "retainer.toml"
        path.write_text(CONFIG.format(zone=zone, archive_zone=archive_zone, window=window,
                                      aliases=list(aliases)).replace("'", '"'))
        self.settings = load_settings(path)
        self.zone = zone
        self.n = 0
        with archive.begin() as session:
            sync_people(session, self.settings.people)

    def export(self, messages, *, channel="device", captured_at=None, name="Port Ops"):
        self.n += 1
        folder = self.tmp / f"export{self.n}"
        folder.mkdir()
        path = write_export(folder / f"WhatsApp Chat with {name}.txt", ANDROID, messages)
        result = import_file(self.archive, path, ImportOptions(
            custodian="Dana Reyes", timezone=self.zone, channel=channel,
            captured_at=captured_at, date_order="MDY"))
        assert result.status == "imported", result.reason

    def verdicts(self, as_of):
        file_archive(self.archive, self.settings)
        with self.archive.read() as session:
            report = build(session, self.settings, rulebook_for(self.settings), as_of,
                           include_exempt=True)
        return {v.text: (v.status, v.days) for v in report.verdicts}


SENT = [("2026-03-01T10:00", "Dana Reyes", "Lane 3 closed.")]


@pytest.mark.parametrize("arrives, status, days", [
    (utc(2026, 3, 22, 6, 59, 59), "forwarded", 20),  # 21 Mar 23:59:59 PDT: the 20th day
    (utc(2026, 3, 22, 7, 0, 0), "late", 1),           # 22 Mar 00:00:00 PDT: the 21st day
    (utc(2026, 3, 2, 12, 0), "forwarded", 1),
])
def test_the_twentieth_day_is_on_time_the_twenty_first_late(archive, tmp_path, arrives,
                                                           status, days):
    case = Case(archive, tmp_path)
    case.export(SENT)
    case.export(SENT, channel="official", captured_at=arrives)
    assert case.verdicts(utc(2026, 6, 1))["Lane 3 closed."] == (status, days)


def test_pending_then_overdue_around_the_deadline(archive, tmp_path):
    case = Case(archive, tmp_path)
    case.export(SENT)
    assert case.verdicts(utc(2026, 3, 11, 12))["Lane 3 closed."] == ("pending", 10)
    assert case.verdicts(utc(2026, 3, 22, 6, 59, 59))["Lane 3 closed."] == ("pending", 0)
    assert case.verdicts(utc(2026, 3, 22, 7, 0, 0))["Lane 3 closed."] == ("overdue", 1)


def test_copies_after_the_report_moment_do_not_count(archive, tmp_path):
    case = Case(archive, tmp_path)
    case.export(SENT)
    case.export(SENT, channel="official", captured_at=utc(2026, 3, 5))
    assert case.verdicts(utc(2026, 3, 4))["Lane 3 closed."] == ("pending", 18)


@pytest.mark.parametrize("sent, deadline_day", [
    ("2026-01-31T10:00", dt.date(2026, 2, 20)),   # month end
    ("2026-12-20T10:00", dt.date(2027, 1, 9)),    # year end
    ("2028-02-29T10:00", dt.date(2028, 3, 20)),   # leap day
    ("2028-02-09T10:00", dt.date(2028, 2, 29)),   # deadline on the leap day
])
def test_month_year_ends_and_leap_days(archive, tmp_path, sent, deadline_day):
    case = Case(archive, tmp_path)
    case.export([(sent, "Dana Reyes", "text")])
    last_instant = dt.datetime.combine(deadline_day, dt.time(23, 59, 59)).astimezone(
        dt.timezone(dt.timedelta(hours=-8)))  # PST in winter
    file_archive(archive, case.settings)
    with archive.read() as session:
        report = build(session, case.settings, rulebook_for(case.settings),
                       utc(2030, 1, 1))
    (verdict,) = report.verdicts
    from zoneinfo import ZoneInfo

    assert verdict.deadline.astimezone(ZoneInfo(LA)).date() == deadline_day
    assert verdict.deadline.astimezone(ZoneInfo(LA)).time() >= dt.time(23, 59, 59)
    assert last_instant  # the instant is the end of that day in the custodian's zone


def test_the_custodians_zone_counts_not_the_archives(archive, tmp_path):
    """Dana in Guam (UTC+10), archive default Los Angeles: sent 1 March 23:30 Guam time is
    still 1 March there; the deadline is 21 March 23:59:59 Guam time."""
    case = Case(archive, tmp_path, zone="Pacific/Guam", archive_zone=LA)
    case.export([("2026-03-01T23:30", "Dana Reyes", "late night")])
    case.export([("2026-03-01T23:30", "Dana Reyes", "late night")], channel="official",
                captured_at=utc(2026, 3, 21, 13, 59, 59))  # 21 Mar 23:59:59 Guam
    assert case.verdicts(utc(2026, 6, 1))["late night"] == ("forwarded", 20)


def test_daylight_saving_between_sending_and_forwarding(archive, tmp_path):
    """Sent 1 March (PST, UTC-8); clocks go forward on 8 March; the deadline is 21 March
    23:59:59 PDT (UTC-7), one hour earlier in UTC than a fixed offset would give."""
    case = Case(archive, tmp_path)
    case.export(SENT)
    case.export(SENT, channel="official", captured_at=utc(2026, 3, 22, 7, 30))  # 00:30 PDT 22nd
    assert case.verdicts(utc(2026, 6, 1))["Lane 3 closed."] == ("late", 1)


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
    import zipfile

    with zipfile.ZipFile(folder / "WhatsApp Chat with Port Ops.zip", "w") as zf:
        zf.writestr("WhatsApp Chat with Port Ops.txt",
                    "3/1/26, 10:00\u202fAM - Dana Reyes: IMG-20260301-WA0001.jpg (file attached)\n")
        zf.writestr("IMG-20260301-WA0001.jpg", b"\xff\xd8\xff\xe0" + bytes(64))
    import_file(archive, folder / "WhatsApp Chat with Port Ops.zip", ImportOptions(
        custodian="Dana Reyes", timezone=LA, channel="official", captured_at=utc(2026, 4, 2),
        date_order="MDY"))
    assert case.verdicts(utc(2026, 4, 10))[text] == ("late", 11)  # 1 Apr PDT


def test_official_account_joining_later_copies_only_later_messages(archive, tmp_path):
    case = Case(archive, tmp_path)
    case.export([("2026-03-01T10:00", "Dana Reyes", "before"),
                 ("2026-03-01T10:05", None, "Dana Reyes added +1 (202) 555-0190"),
                 ("2026-03-01T10:06", "Dana Reyes", "after"),
                 ("2026-03-01T10:07", "+1 (202) 555-0190", "from the agency phone")])
    found = case.verdicts(utc(2026, 6, 1))
    assert found["before"][0] == "overdue"
    assert found["after"] == ("copied", 0)
    assert found["from the agency phone"][0] == "exempt"
    assert found["Dana Reyes added +1 (202) 555-0190"][0] == "exempt"


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
