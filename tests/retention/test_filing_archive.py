"""Filing in the archive (SQLite and PostgreSQL): one filing per message, history kept,
holds blocking disposition, and tamper evidence."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select, update

from retainer.archive.audit import current_operator
from retainer.archive.models import Filing, Message
from retainer.archive.people import sync_people
from retainer.archive.verify import verify
from retainer.config import Person
from retainer.errors import UsageError
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from retainer.retention import disposition_report, holds
from retainer.retention.explain import explain
from retainer.retention.filing import file_messages, unfiled_count
from retainer.retention.rules import RuleBook
from retainer.retention.schedule import load_schedules
from retainer.retention.sending import SendingDays
from tests.ingest.chats import ANDROID, write_export

DANA = Person("Dana Reyes", True, ("Dana Reyes",), ("dana.reyes@agency.example.gov",),
              "America/Los_Angeles", "capstone-official")
MARCUS = Person("Marcus Bell", True, ("Marcus Bell",), ("marcus.bell@agency.example.gov",),
                "America/Los_Angeles", None)
PEOPLE = (DANA, MARCUS)
LA = "America/Los_Angeles"
DAYS = SendingDays(PEOPLE, LA)
"""The day each message was sent, as `retainer report disposition` counts it."""
NIGHT = [("2026-12-14T22:02", "Dana Reyes", "Lane 3 is closed."),
         ("2026-12-14T22:03", "Marcus Bell", "on my way"),
         ("2026-12-14T22:04", "Marcus Bell", "Secondary has 4 vehicles"),
         ("2026-12-14T22:05", None, "Marcus Bell left")]


@pytest.fixture
def filed(archive, tmp_path):
    with archive.begin() as session:
        sync_people(session, PEOPLE)
    path = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, NIGHT)
    import_file(archive, path, ImportOptions(timezone="America/Los_Angeles"))
    with archive.begin() as session:
        counts = file_messages(session, load_schedules(["nara-grs"]), PEOPLE,
                               operator="records-officer")
    assert (counts.examined, counts.filed) == (4, 4)
    return archive


def current(archive) -> dict[str, str]:
    with archive.read() as session:
        newest = select(func.max(Filing.id)).group_by(Filing.message_id)
        return dict(session.execute(select(Message.text, Filing.category)
                                    .join(Filing, Filing.message_id == Message.id)
                                    .where(Filing.id.in_(newest))).all())


def test_every_message_gets_exactly_one_filing_with_its_rule(filed):
    assert current(filed) == {
        "Lane 3 is closed.": "GRS 6.1 item 010",       # Dana is a Capstone official
        "on my way": "GRS 5.2 item 010",               # a transitory stock phrase
        "Secondary has 4 vehicles": "GRS 6.1 item 011",  # the default
        "Marcus Bell left": "GRS 6.1 item 011",
    }
    with filed.read() as session:
        assert unfiled_count(session) == 0
        rules = dict(session.execute(select(Filing.category, Filing.rule)).all())
    assert rules["GRS 6.1 item 011"] is None  # the default category has no rule
    assert verify(filed).ok


def test_nothing_left_to_file_adds_nothing(filed):
    with filed.begin() as session:
        counts = file_messages(session, load_schedules(["nara-grs"]), PEOPLE, operator="x")
    assert counts.filed == 0


def test_reclassify_keeps_history(filed, tmp_path):
    book = load_schedules(["nara-grs"])
    nara = book.schedules[0]
    # Agency v2: the transitory rule is withdrawn.
    changed = dataclasses.replace(nara, version="2099-01", rules=tuple(
        r for r in nara.rules if r.category != "GRS 5.2 item 010"))
    with filed.begin() as session:
        counts = file_messages(session, RuleBook([changed]), PEOPLE, operator="x",
                               reclassify=True)
    assert (counts.examined, counts.filed) == (4, 4)  # the version changed for all
    assert current(filed)["on my way"] == "GRS 6.1 item 011"
    with filed.read() as session:
        history = session.scalars(select(Filing.category).join(
            Message, Message.id == Filing.message_id).where(Message.text == "on my way")
            .order_by(Filing.id)).all()
    assert history == ["GRS 5.2 item 010", "GRS 6.1 item 011"]
    with filed.begin() as session:
        again = file_messages(session, RuleBook([changed]), PEOPLE, operator="x",
                              reclassify=True)
    assert (again.filed, again.unchanged) == (0, 4)
    assert verify(filed).ok


def test_a_changed_filing_is_caught_by_verify(filed):
    with filed.engine.begin() as conn:
        conn.execute(update(Filing).where(Filing.category == "GRS 6.1 item 010")
                     .values(category="NONRECORD"))
    assert any("no longer match" in p for p in verify(filed).problems)


def test_holds_block_eligibility_and_survive_release(filed):
    book = load_schedules(["nara-grs"])
    later = dt.date(2040, 1, 1)
    with filed.read() as session:
        report = disposition_report.build(session, book, later, days=DAYS)
    assert report.counts["eligible"] == 3 and report.counts["permanent"] == 1
    with filed.begin() as session:
        holds.place(session, "LIT-14", "litigation", holds.criteria(people=["Marcus Bell"]),
                    current_operator("counsel"))
        with pytest.raises(UsageError, match="already named"):
            holds.place(session, "LIT-14", "again", holds.criteria(), "counsel")
    with filed.read() as session:
        report = disposition_report.build(session, book, later, days=DAYS)
    assert report.counts["held"] == 2 and report.counts["eligible"] == 1
    assert {i.holds[0] for i in report.items if i.status == "held"} == {"LIT-14"}
    with filed.begin() as session:
        holds.release(session, "LIT-14", "case closed", "counsel")
        with pytest.raises(UsageError, match="no active hold"):
            holds.release(session, "LIT-14", "twice", "counsel")
    with filed.read() as session:
        report = disposition_report.build(session, book, later, days=DAYS)
        released = session.scalars(select(holds.Hold)).one()
        assert (released.released_by, released.release_reason) == ("counsel", "case closed")
    assert report.counts["eligible"] == 3
    assert verify(filed).ok


def test_explain_names_the_rule_and_the_dates(filed):
    with filed.read() as session:
        message_id = session.scalar(select(Message.id).where(Message.text == "on my way"))
        found = explain(session, message_id, load_schedules(["nara-grs"]), PEOPLE, LA)
    assert found.filings[-1]["category"] == "GRS 5.2 item 010"
    assert found.matching_rules and found.matching_rules[0].startswith("rule ")
    assert found.eligible_on is not None and found.holds == []


def test_example_schedules_are_flagged():
    book = load_schedules(["nara-grs", "example-agency"])
    assert [s.id for s in book.examples] == ["example-agency"]


def test_a_hold_released_behind_retainers_back_is_caught(filed):
    with filed.begin() as session:
        holds.place(session, "LIT-9", "litigation", holds.criteria(), "counsel")
    assert verify(filed).ok
    with filed.engine.begin() as conn:
        conn.execute(update(holds.Hold).values(released_at=dt.datetime(2030, 1, 1,
                                                                      tzinfo=dt.UTC)))
    assert any("LIT-9" in p and "release" in p for p in verify(filed).problems)


def test_disposition_dates_count_from_the_day_in_the_authors_zone(archive, tmp_path):
    """Dana's phone (Los Angeles) shows Marcus's message at 23:30 on 31 December 2024: in his
    zone (Phoenix) it was sent on 1 January 2025, so a 7-year calendar-year item makes it
    eligible on 1 January 2033, not 2032 (the export's wall-clock day would be a year early)."""
    from retainer.retention.filing import file_archive, rulebook_for
    from tests.compliance.cases import Case

    case = Case(archive, tmp_path)
    case.export([("2024-12-31T23:30", "Marcus Bell", "Inspection results for berth 4.")])
    file_archive(archive, case.settings)
    book = rulebook_for(case.settings)
    days = SendingDays(case.settings.people, case.settings.timezone)
    with archive.read() as session:
        (message_id,) = session.scalars(select(Message.id)).all()
        early = disposition_report.build(session, book, dt.date(2032, 6, 1), days=days)
        later = disposition_report.build(session, book, dt.date(2033, 1, 1), days=days)
        found = explain(session, message_id, book, case.settings.people,
                        case.settings.timezone)
    assert early.counts["eligible"] == 0 and early.counts["retained"] == 1
    (item,) = later.items
    assert (item.status, item.eligible_on) == ("eligible", dt.date(2033, 1, 1))
    assert found.eligible_on == dt.date(2033, 1, 1)
