"""The schedules shipped in schedules/ load cleanly and file messages as their comments say."""

from __future__ import annotations

import pytest

from retainer.retention import MessageFacts, load_schedule
from retainer.retention.rules import rule_text

from .conftest import SHIPPED


@pytest.mark.parametrize("name, categories, rules, example", [
    ("nara-grs", 6, 10, False),
    ("example-agency", 2, 5, True),
])
def test_shipped_schedules_load_without_problems(name, categories, rules, example):
    schedule = load_schedule(SHIPPED / f"{name}.toml")
    assert schedule.id == name
    assert (len(schedule.categories), len(schedule.rules), schedule.example) == \
        (categories, rules, example)


def test_nara_grs_items(shipped_book):
    grs = shipped_book.schedules[0]
    assert shipped_book.default().code == "GRS 6.1 item 011" == grs.default
    capstone = grs.category("GRS 6.1 item 010")
    assert capstone.retention.permanent and capstone.retention.transfer_after_years == 15
    assert grs.category("NONRECORD").record is False
    assert grs.category("GRS 5.2 item 010").retention.days == 180
    assert [schedule.id for schedule in shipped_book.examples] == ["example-agency"]


@pytest.mark.parametrize("code, authority", [
    ("GRS 5.2 item 010", "DAA-GRS-2022-0009-0001"),
    ("GRS 5.1 item 020", "DAA-GRS-2016-0016-0002"),
])
def test_item_level_authorities_from_the_issue_say_how_certain_they_are(shipped_book, code,
                                                                        authority):
    category = shipped_book.schedules[0].category(code)
    assert category.authority == authority
    assert "tracker issue" in category.authority_note
    assert "NOT verified" in category.authority_note or "NOT VERIFIED" in category.authority_note


def file(book, text, *, role=None, chat="Lane Status", kind="text"):
    message = MessageFacts(rule_text(text), chat, role, kind, frozenset({"device"}))
    filing = book.file(message)
    return filing.category_code, filing.rule


@pytest.mark.parametrize("text, role, chat, expected", [
    ("on my way 👍", None, "Lane Status", ("GRS 5.2 item 010", "transitory-en-route")),
    ("On my way to release container 4417", None, "Lane Status", ("GRS 6.1 item 011", None)),
    ("Running 10 min late", None, "Lane Status", ("GRS 5.2 item 010", "transitory-running-late")),
    ("Happy birthday Dana 🎂", None, "Lane Status",
     ("NONRECORD", "nonrecord-birthday-greeting")),
    ("Happy birthday! Also, the inspection is moved to Friday", None, "Lane Status",
     ("GRS 6.1 item 011", None)),
    ("Happy birthday Dana 🎂", "capstone-official", "Lane Status",
     ("GRS 6.1 item 010", "capstone-officials")),
    ("on my way", "support", "Lane Status", ("GRS 5.2 item 010", "transitory-en-route")),
    ("lane 3 is open", "support", "Lane Status", ("GRS 6.1 item 012", "support-positions")),
    ("the MOU is signed", "capstone-official", "Lane Status", ("AGY-OPS-210", "liaison-lexicon")),
    ("the amount is wrong", None, "Lane Status", ("GRS 6.1 item 011", None)),
    ("see FLX-2024-00123", None, "Lane Status", ("AGY-OPS-210", "liaison-case-number")),
    ("Called the Aduána", None, "Lane Status", ("AGY-OPS-210", "liaison-lexicon")),
    ("anyone can cover my shift?", None, "Port Ops Night Shift",
     ("AGY-OPS-120", "night-shift-swaps")),
    ("anyone can cover my shift?", None, "Lane Status", ("GRS 6.1 item 011", None)),
    ("lunch?", None, "Border Liaison Working Group",
     ("AGY-OPS-210", "liaison-working-group-chat")),
])
def test_shipped_rules_file_as_documented(shipped_book, text, role, chat, expected):
    assert file(shipped_book, text, role=role, chat=chat) == expected


def test_a_long_pattern_is_named_by_number_in_the_reason(shipped_book):
    filing = shipped_book.file(MessageFacts(rule_text("call me"), "x", None, "text"))
    assert filing.reason == ('rule "transitory-call-coordination" (priority 200): kind is text '
                             "and text matches pattern 1 of 5")
