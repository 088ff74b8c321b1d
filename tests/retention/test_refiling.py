"""Filing decisions that change without a schedule change (SQLite and PostgreSQL): a message
that gains an official capture is re-filed by a ``channels`` rule; filings under a schedule
no longer in use; patterns on emoji-only messages."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from retainer.archive.audit import record
from retainer.archive.models import AuditEntry, Filing, Message
from retainer.archive.people import sync_people
from retainer.archive.verify import verify
from retainer.config import Person, Settings
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from retainer.retention import disposition_report
from retainer.retention.explain import explain
from retainer.retention.filing import (
    channels_of,
    current_filings,
    file_archive,
    file_messages,
)
from retainer.retention.rules import RuleBook
from retainer.retention.schedule import load_schedule, load_schedules
from retainer.retention.sending import SendingDays
from tests.ingest.chats import ANDROID, write_export

MARCUS = Person("Marcus Bell", True, ("Marcus Bell",), ("marcus.bell@agency.example.gov",),
                "America/Los_Angeles", None)
NIGHT = [("2026-12-14T22:02", "Marcus Bell", "Lane 3 is closed."),
         ("2026-12-14T22:03", "Marcus Bell", "\u2764\ufe0f"),
         ("2026-12-14T22:04", "Marcus Bell", "Secondary has 4 vehicles")]
SCHEDULE = """\
id = "channel-test"
title = "Channel test"
version = "1"
source = "tests"
default = "KEEP"

[[categories]]
code = "KEEP"
title = "Kept"
disposition = "Keep 7 years."
authority = "TEST-1"
record = true
cutoff = "calendar_year"
retention = { years = 7 }

[[categories]]
code = "OFFICIAL-COPY"
title = "Copied to an official account"
disposition = "Keep 3 years."
authority = "TEST-2"
record = true
cutoff = "calendar_year"
retention = { years = 3 }

[[categories.rules]]
name = "has-an-official-copy"
priority = 100
channels = ["official"]

[[categories]]
code = "HEARTS"
title = "A heart and nothing else"
disposition = "Destroy after 30 days."
authority = "TEST-3"
record = true
cutoff = "none"
retention = { days = 30 }

[[categories.rules]]
name = "only-a-heart"
priority = 200
patterns = ['^:red_heart:$']
"""


@pytest.fixture
def book(tmp_path) -> RuleBook:
    path = tmp_path / "channel-test.toml"
    path.write_text(SCHEDULE, encoding="utf-8")
    return RuleBook([load_schedule(path)])


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(None, "unused", tmp_path / "vault", "America/Los_Angeles", 20, "sent",
                    ("channel-test",), (tmp_path,), None, (MARCUS,), ())


def history(archive) -> dict[str, list[str]]:
    with archive.read() as session:
        rows = session.execute(select(Message.text, Filing.category)
                               .join(Filing, Filing.message_id == Message.id)
                               .order_by(Filing.id)).all()
    out: dict[str, list[str]] = {}
    for text, category in rows:
        out.setdefault(text, []).append(category)
    return out


def classify_entries(archive) -> int:
    with archive.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "classify"))


def import_night(archive, tmp_path, messages, channel: str, name: str) -> None:
    path = write_export(tmp_path / name, ANDROID, messages)
    import_file(archive, path, ImportOptions(timezone="America/Los_Angeles", channel=channel,
                                             chat="Port Ops"))


def test_a_message_that_gains_an_official_capture_is_filed_again(archive, tmp_path, book,
                                                                  settings):
    with archive.begin() as session:
        sync_people(session, (MARCUS,))
    import_night(archive, tmp_path, NIGHT[:2], "device", "device.txt")
    first = file_archive(archive, settings, rulebook=book)
    assert (first.filed, first.rechecked) == (2, 0)
    assert history(archive) == {"Lane 3 is closed.": ["KEEP"], "\u2764\ufe0f": ["HEARTS"]}
    # The mailbox copy: both earlier messages and one more, now captured officially.
    import_night(archive, tmp_path, NIGHT, "official", "official.txt")
    second = file_archive(archive, settings, rulebook=book)
    assert (second.filed, second.rechecked, second.unchanged) == (2, 2, 1)
    assert history(archive) == {
        "Lane 3 is closed.": ["KEEP", "OFFICIAL-COPY"],    # history kept, decision changed
        "\u2764\ufe0f": ["HEARTS"],                          # its decision did not change
        "Secondary has 4 vehicles": ["OFFICIAL-COPY"],
    }
    entries = classify_entries(archive)
    assert file_archive(archive, settings, rulebook=book).examined == 0
    assert classify_entries(archive) == entries  # nothing to do: no audit entry
    assert verify(archive).ok


def test_without_a_channel_rule_filed_messages_are_not_looked_at_again(archive, tmp_path,
                                                                       settings):
    import_night(archive, tmp_path, NIGHT[:2], "device", "device.txt")
    nara = load_schedules(["nara-grs"])
    assert not nara.channels
    assert file_archive(archive, settings, rulebook=nara).filed == 2
    import_night(archive, tmp_path, NIGHT, "official", "official.txt")
    again = file_archive(archive, settings, rulebook=nara)
    assert (again.examined, again.rechecked) == (1, 0)


def test_an_archive_filed_before_captures_were_tracked_is_rechecked(archive, tmp_path, book):
    import_night(archive, tmp_path, NIGHT[:2], "device", "device.txt")
    with archive.begin() as session:
        file_messages(session, book, (MARCUS,), operator="x")
        # The newest filing run as older versions recorded it: no captures_through.
        record(session, "classify", "x", {"reclassify": False})
    import_night(archive, tmp_path, NIGHT, "official", "official.txt")
    with archive.begin() as session:
        counts = file_messages(session, book, (MARCUS,), operator="x")
    assert (counts.rechecked, counts.filed) == (2, 2)
    assert history(archive)["Lane 3 is closed."] == ["KEEP", "OFFICIAL-COPY"]
    assert verify(archive).ok


def test_filings_under_a_schedule_not_in_use_are_labelled_so(archive, tmp_path, book):
    import_night(archive, tmp_path, NIGHT, "device", "device.txt")
    with archive.begin() as session:
        file_messages(session, book, (MARCUS,), operator="x")
    renamed = RuleBook([dataclasses.replace(book.schedules[0], id="agency-grs")])
    with archive.read() as session:
        report = disposition_report.build(session, renamed, dt.date(2045, 1, 1),
                                          days=SendingDays((MARCUS,), "UTC"))
        message_id = session.scalar(select(Message.id).limit(1))
        found = explain(session, message_id, renamed, (MARCUS,), "UTC")
    assert report.counts["not in use"] == 3 and report.counts["unfiled"] == 0
    assert set(report.by_category) == {("channel-test", "KEEP"), ("channel-test", "HEARTS")}
    assert all(set(c) == {"not in use"} for c in report.by_category.values())
    assert not found.in_use and found.eligible_on is None


def test_an_anchored_emoji_pattern_matches_an_emoji_only_message(archive, tmp_path, book):
    import_night(archive, tmp_path, NIGHT, "device", "device.txt")
    with archive.begin() as session:
        file_messages(session, book, (MARCUS,), operator="x")
        rule = session.scalar(select(Filing.reason).join(Message, Message.id == Filing.message_id)
                              .where(Message.text == "\u2764\ufe0f"))
    assert history(archive)["\u2764\ufe0f"] == ["HEARTS"]
    assert rule == "rule \"only-a-heart\" (priority 200): text matches pattern '^:red_heart:$'"


def test_captures_and_current_filings_of_sparse_and_dense_ids(archive, tmp_path, book):
    import_night(archive, tmp_path, NIGHT[:2], "device", "device.txt")
    import_night(archive, tmp_path, NIGHT, "official", "official.txt")
    with archive.begin() as session:
        file_messages(session, book, (MARCUS,), operator="x")
    with archive.read() as session:
        ids = sorted(session.scalars(select(Message.id)))
        dense = channels_of(session, ids), current_filings(session, ids)
        one = [ids[0]]  # a range of one
        sparse = [ids[0], ids[-1] + 1000]  # far apart: an IN list; the unknown id is ignored
        assert channels_of(session, one) == {ids[0]: dense[0][ids[0]]}
        assert channels_of(session, sparse) == {ids[0]: dense[0][ids[0]]}
        assert current_filings(session, sparse) == {ids[0]: dense[1][ids[0]]}
        assert current_filings(session, []) == {} == channels_of(session, [])
    assert dense[0][ids[0]] == frozenset({"device", "official"})
    assert dense[0][ids[2]] == frozenset({"official"})
