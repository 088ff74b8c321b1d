"""Filing: priority, ties, the default category, and each kind of condition."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retainer.errors import ConfigError
from retainer.formats.text import search_text
from retainer.retention import MessageFacts, RuleBook, load_schedule, load_schedules
from retainer.retention.rules import DEFAULT_REASON, words_regex

from .conftest import FIXTURES

RULES = FIXTURES / "rules"


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return load_schedules(["alpha", "beta"], paths=[RULES], cwd=RULES)


def facts(text: str = "nothing special", *, chat: str = "Team", role: str | None = None,
          kind: str = "text", channels: frozenset[str] = frozenset({"device"})) -> MessageFacts:
    return MessageFacts(search_text(text), chat, role, kind, channels)


def code(book: RuleBook, *args, **kwargs) -> str:
    return book.file(facts(*args, **kwargs)).category_code


def test_no_rule_matched_files_under_the_default(book):
    filing = book.file(facts("see you at the depot"))
    assert (filing.schedule_id, filing.schedule_version, filing.category_code, filing.rule,
            filing.reason) == ("alpha", "a1", "DEFAULT", None, DEFAULT_REASON)
    assert book.default().code == "DEFAULT"


def test_the_default_is_that_of_the_first_schedule_in_use_with_one():
    book = load_schedules(["beta", "alpha"], paths=[RULES], cwd=RULES)
    assert book.default().schedule_id == "alpha"
    assert book.file(facts()).category_code == "DEFAULT"


def test_a_schedule_set_without_a_default_is_refused():
    with pytest.raises(ConfigError, match="has a default"):
        load_schedules(["beta"], paths=[RULES], cwd=RULES)


def test_the_highest_priority_wins(book):
    assert code(book, "the MOU is signed") == "WORDS"
    assert code(book, "the MOU is signed", role="capstone-official") == "TOP"   # 300 > 100
    assert code(book, "urgent: the MOU", role="capstone-official") == "BETA"    # 400 > 300


def test_ties_go_to_the_earlier_schedule_in_use(book):
    filing = book.file(facts(role="capstone-official"))
    assert (filing.schedule_id, filing.rule) == ("alpha", "officials")
    reverse = load_schedules(["beta", "alpha"], paths=[RULES], cwd=RULES)
    filing = reverse.file(facts(role="capstone-official"))
    assert (filing.schedule_id, filing.rule) == ("beta", "beta-officials")


def test_ties_in_one_schedule_go_to_the_rule_written_first(book):
    filing = book.file(facts("MOU for FLX-2024"))  # lexicon and case-number, both at 100
    assert filing.rule == "lexicon"


def test_rules_are_tried_in_priority_then_use_then_file_order(book):
    assert [(r.rule.schedule_id, r.rule.name) for r in book.rules] == [
        ("beta", "urgent"), ("alpha", "officials"), ("beta", "beta-officials"),
        ("alpha", "lexicon"), ("alpha", "case-number"), ("alpha", "night-chat"),
        ("alpha", "media"), ("alpha", "official-copies"), ("alpha", "support")]


def test_role_rules(book):
    assert code(book, role="support") == "SUPPORT"        # the rule says "Support"
    assert code(book, role="capstone-official") == "TOP"
    assert code(book, role="driver") == "DEFAULT"
    assert code(book, role=None) == "DEFAULT"
    assert book.file(facts(role="support")).reason == \
        'rule "support" (priority 10): author role is Support'


@pytest.mark.parametrize("text, found", [
    ("the MOU is signed", "MOU"),
    ("mou.", "MOU"),
    ("amount due", None),
    ("mouse", None),
    ("shift swap tonight?", "shift swap"),
    ("Shift\n   SWAP", "shift swap"),
    ("shiftswap", None),
    ("👍 sounds good", "👍"),
    ("sounds good👍", "👍"),
    ("👍🏽", None),                                    # :thumbs_up_medium_skin_tone:
    ("🎉🎉", ":party_popper:"),
    ("party_popper", None),
    ("Aduána called", "Aduána"),
    ("ADUANA", "Aduána"),
    ("aduanas", None),
])
def test_words_are_whole_words_of_the_search_text(book, text, found):
    filing = book.file(facts(text))
    if found is None:
        assert filing.category_code == "DEFAULT"
    else:
        assert filing.category_code == "WORDS"
        assert filing.reason == f'rule "lexicon" (priority 100): text contains "{found}"'


def test_a_word_regex_names_the_word_found():
    regex = words_regex(["alpha beta", "👍", "x"])
    assert regex.search(search_text("ALPHA  beta")).lastindex == 1
    assert regex.search(search_text("ok👍")).lastindex == 2
    assert regex.search(search_text("x-ray")).lastindex == 3
    assert regex.search(search_text("xray")) is None
    assert words_regex([]) is None


@pytest.mark.parametrize("text, matched", [
    ("see flx-2024 now", True),
    ("FLX-2024", True),
    ("FLX-20245", False),
    ("reopened Ticket   #42", True),
    ("ticket 42", False),
])
def test_patterns_are_case_insensitive_searches(book, text, matched):
    assert (code(book, text) == "PATTERNS") is matched


def test_a_pattern_reason_quotes_a_short_pattern(book):
    assert book.file(facts("ticket #7")).reason == \
        "rule \"case-number\" (priority 100): text matches pattern 'ticket\\s+#\\d+'"


def test_chat_rules_compare_whole_titles_case_insensitively(book):
    assert code(book, chat="PORT OPS night shift") == "CHATS"
    assert code(book, chat="Port Ops Night Shift 2") == "DEFAULT"
    assert code(book, chat="Port Ops Night Shift", kind="media") == "MEDIA"  # chats AND kinds
    assert book.file(facts(chat="port ops night shift")).reason == \
        'rule "night-chat" (priority 50): chat is "Port Ops Night Shift" and kind is text'


def test_kind_rules(book):
    assert code(book, kind="media") == "MEDIA"
    assert code(book, kind="deleted") == "MEDIA"
    assert code(book, kind="system") == "DEFAULT"


def test_channel_rules_hold_when_any_capture_is_from_a_listed_channel(book):
    assert code(book, channels=frozenset({"device", "official"})) == "OFFICIAL"
    assert code(book, channels=frozenset({"official"})) == "OFFICIAL"
    assert code(book, channels=frozenset({"device"})) == "DEFAULT"
    assert code(book, channels=frozenset()) == "DEFAULT"
    assert book.file(facts(channels=frozenset({"official"}))).reason == \
        'rule "official-copies" (priority 30): captured through the official channel'


def test_explain_says_none_for_a_rule_that_does_not_match(book):
    lexicon = next(rule for rule in book.rules if rule.rule.name == "lexicon")
    assert lexicon.explain(facts("nothing")) is None
    assert lexicon.explain(facts("MOU")) == 'rule "lexicon" (priority 100): text contains "MOU"'


def test_category_lookup(book):
    assert book.category("alpha", "TOP").retention.transfer_after_years == 15
    with pytest.raises(KeyError):
        book.category("alpha", "NOPE")
    with pytest.raises(ConfigError):
        book.category("gamma", "TOP")


def test_schedule_ids_must_be_unique_in_a_rule_book():
    alpha = load_schedule(RULES / "alpha.toml")
    with pytest.raises(ConfigError, match="unique"):
        RuleBook([alpha, alpha])


def naive_file(book: RuleBook, message: MessageFacts) -> tuple[str, str | None, str]:
    """Every rule in order with plain regex searches: no needles, no remembered candidates."""
    role = message.role.casefold() if message.role else None
    for rule in book.rules:
        if (rule.fits(message.chat.casefold(), role, message.kind, message.channels)
                and rule.searches_text(message.search_text)):
            return rule.rule.category, rule.rule.name, rule.explain(message)
    return book.default().code, None, DEFAULT_REASON


PIECES = ["on my way", "omw", "running", "late", "happy", "birthday", "merry", "christmas",
          "call me", "can you talk", "in a meeting", "shift swap", "cover my shift", "liaison",
          "MOU", "amount", "aduana", "FLX-2024-00123", "shared with the mexican", "👍", "🎂",
          "!", ".", " ", "\n", "dana", "i'm", "outside", "be there in 5", "get well soon",
          "stuck in traffic", "ı", "İ", "ſ", "ticket #4", "urgent"]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(PIECES), max_size=6),
       chat=st.sampled_from(["Team", "Port Ops Night Shift", "Border Liaison Working Group"]),
       role=st.sampled_from([None, "support", "capstone-official"]),
       kind=st.sampled_from(["text", "media", "system", "deleted"]),
       channels=st.sampled_from([frozenset(), frozenset({"device"}),
                                 frozenset({"official", "device"})]))
def test_the_fast_path_files_exactly_as_a_plain_evaluation(shipped_book, book, pieces, chat,
                                                           role, kind, channels):
    message = facts(" ".join(pieces), chat=chat, role=role, kind=kind, channels=channels)
    for rules in (shipped_book, book):
        filing = rules.file(message)
        assert (filing.category_code, filing.rule, filing.reason) == naive_file(rules, message)
        if not rules.reads_text(kind, role, chat, channels):
            # Filing skips normalising the text then: the outcome must not depend on it.
            assert rules.file(dataclasses.replace(message, search_text="")) == filing


def test_matching_lists_every_matching_rule_in_order(book):
    message = facts("urgent MOU", role="capstone-official", kind="text")
    assert [reason.split('"')[1] for reason in book.matching(message)] == \
        ["urgent", "officials", "beta-officials", "lexicon"]
    assert book.matching(facts("nothing")) == []
