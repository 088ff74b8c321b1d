"""Full-text search on SQLite and PostgreSQL: the language, normalisation, filters, order."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from retainer.archive.audit import begin_entry, seal
from retainer.archive.models import Filing, Message
from retainer.errors import UsageError
from retainer.search.engine import search
from retainer.search.filters import Filters
from retainer.search.query import parse
from tests.search.conftest import add_chat

UTC = dt.UTC


def found(corpus, text: str, sort: str = "newest", limit: int | None = 20,
          **filters) -> list[str]:
    with corpus.archive.read() as session:
        hits = search(session, parse(text), Filters(**filters), limit=limit, sort=sort)
    return [hit.text for hit in hits]


@pytest.mark.parametrize(("query", "expected"), [
    ("lane", {"Lane 3 is closed", "Copy. Lane 3", "Lane 3 reopened"}),
    ("LANE closed", {"Lane 3 is closed"}),
    ('"lane 3 is"', {"Lane 3 is closed"}),
    ('"3 lane"', set()),
    ("closed OR reopened", {"Lane 3 is closed", "Lane 3 reopened"}),
    ("lane -copy", {"Lane 3 is closed", "Lane 3 reopened"}),
    ('lane -"our side"', {"Lane 3 is closed", "Copy. Lane 3"}),
    ("clos*", {"Lane 3 is closed", "Copy. Lane 3"}),
    ('"lane 3 clo"*', {"Copy. Lane 3"}),
    ("tariff*", {"Meeting the Mexican", "Résumé of the call", "Tariff talk"}),
    ("tariff", {"Résumé of the call", "Tariff talk"}),
])
def test_the_query_language(corpus, query, expected):
    texts = found(corpus, query)
    assert {e for e in expected if any(t.startswith(e) for t in texts)} == expected
    assert len(texts) == len(expected)


@pytest.mark.parametrize("query", ["aduana", "ADUÁNA", "aduána", "resume", "RÉSUMÉ"])
def test_case_and_accents_are_ignored(corpus, query):
    assert len(found(corpus, query)) == 1


@pytest.mark.parametrize(("query", "start"), [
    (":thumbs_up:", "Lane 3 is closed"), ("👍", "Lane 3 is closed"), (":fire:", "Résumé"),
    ("🔥", "Résumé"), (":thumbs*", "Lane 3 is closed"), ('"approved 🔥"', "Résumé")])
def test_emoji_are_found_by_name(corpus, query, start):
    texts = found(corpus, query)
    assert len(texts) == 1 and texts[0].startswith(start)


@pytest.fixture
def desk(corpus, tmp_path):
    """The corpus and a chat of toned emoji, clock faces and letters that do not decompose."""
    add_chat(corpus.archive, tmp_path / "desk", "Emoji Desk", [
        ("2021-06-01T08:00", "Dana Reyes", "Approved 👍🏽 by the port"),
        ("2021-06-01T08:01", "Dana Reyes", "Meet at 🕐 sharp"),
        ("2021-06-01T08:02", "Dana Reyes", "Łódź office, Ørsted, Đorđe and the Æsir"),
        ("2021-06-01T08:03", "Dana Reyes", "great 👍🏿 now"),
        ("2021-06-01T08:04", "Dana Reyes", "typed (:thumbs_up:), by hand")])
    return corpus


def test_an_emoji_finds_every_skin_tone(desk):
    assert found(desk, ":thumbs_up:", chat="Emoji Desk", sort="oldest") == [
        "Approved 👍🏽 by the port", "great 👍🏿 now", "typed (:thumbs_up:), by hand"]
    assert len(found(desk, "👍")) == 4  # and the corpus's untoned 👍
    assert found(desk, '"great 👍 now"') == ["great 👍🏿 now"]
    assert found(desk, "👍🏽") == found(desk, ":thumbs_up_medium_skin_tone:") == [
        "Approved 👍🏽 by the port"]
    assert found(desk, "port -👍", chat="Emoji Desk") == []
    with desk.archive.read() as session:
        [hit] = search(session, parse(":thumbs_up: approved"), Filters())
    assert hit.excerpt.marked("[", "]") == "[Approved] [👍🏽] by the port"


@pytest.mark.parametrize("query", [":one_o'clock:", ":one_o’clock:", "🕐", "(:one_o'clock:),",
                                   ":one_o'c*"])
def test_emoji_names_with_apostrophes_and_punctuation(desk, query):
    assert found(desk, query) == ["Meet at 🕐 sharp"]


@pytest.mark.parametrize("query", ["lodz", "ŁÓDŹ", "orsted", "Ørsted", "dorde", "aesir",
                                   '"office orsted dorde"'])
def test_letters_with_strokes_and_ligatures(desk, query):
    assert found(desk, query) == ["Łódź office, Ørsted, Đorđe and the Æsir"]


@pytest.mark.parametrize(("query", "message"), [
    (":thumbsup:", "did you mean :thumbs_up:"), ("(:thumbsup:)", "not an emoji name"),
    (":" + "!" * 450 + "*", "no emoji name starts"), ("y" * 300, "longer than 200")])
def test_bad_emoji_names_and_long_words_are_usage_errors(desk, query, message):
    with pytest.raises(UsageError, match=message):
        found(desk, query)


def test_an_emoji_name_is_not_the_word(corpus):
    assert found(corpus, "fire") == [] and len(found(corpus, ":fire:")) == 1


def test_media_captions_are_searchable(corpus):
    assert found(corpus, "gate photo") == ["IMG-20210302-WA0001.jpg (file attached)\n"
                                           "the gate photo"]


@pytest.mark.parametrize("query", [
    "'; DROP TABLE messages; --", "\"; DROP TABLE messages; --\"", "drop table",
    "x') OR 1=1 --", "NEAR(lane closed)", "lane AND closed", "lane NOT closed",
    "words:lane", "^lane", "lane + closed", "{lane closed}", "lane:*", "'lane' | 'x'",
    "!lane", "lane <-> closed", "\\", "''", "a\u0000b", "lane\ttab"])
def test_injection_attempts_are_only_words(corpus, query):
    try:
        texts = found(corpus, query)
    except UsageError:
        return
    with corpus.archive.read() as session:  # the tables are all there
        assert session.scalar(select(func.count()).select_from(Message)) == 9
    if query == "drop table":
        assert texts == ["Tariff talk is off the record; drop table later"]


@pytest.mark.parametrize("query", ['"unbalanced', "OR", "lane OR", "- lane", "-lane", "*",
                                   "", "   ", "...", "lane -x OR y"])
def test_malformed_queries_are_usage_errors(corpus, query):
    with pytest.raises(UsageError):
        found(corpus, query)


def test_filters(corpus):
    assert found(corpus, "lane", chat="port OPS") == ["Copy. Lane 3 closing now",
                                                       "Lane 3 is closed at the Aduána 👍"]
    # "Dana R" is Dana Reyes' alias: the person filter resolves it.
    assert len(found(corpus, "tariff*", person="dana reyes")) == 3
    assert found(corpus, "tariff*", person="Marcus Bell") == []
    assert found(corpus, "tariff*", author="dana r") != []
    assert found(corpus, "lane", author="LUIS") == ["Lane 3 reopened on our side"]
    assert found(corpus, "photo", kind="media") and not found(corpus, "photo", kind="text")
    since = dt.datetime(2021, 3, 2, 8, tzinfo=UTC)  # 2021-03-02 00:00 in Los Angeles
    until = dt.datetime(2021, 3, 11, 8, tzinfo=UTC)
    assert found(corpus, "tariff*", since=since, until=until) == [
        "Tariff talk is off the record; drop table later",
        "Meeting the Mexican counterpart tomorrow about tariffs"]
    assert found(corpus, "tariff*", until=since) == []


def test_unknown_chat_person_or_empty_range_are_usage_errors(corpus):
    for filters in ({"chat": "Nope"}, {"person": "Nobody"}, {"kind": "video"},
                    {"since": dt.datetime(2022, 1, 1, tzinfo=UTC),
                     "until": dt.datetime(2021, 1, 1, tzinfo=UTC)}):
        with pytest.raises(UsageError):
            found(corpus, "lane", **filters)


def test_category_filter_uses_the_newest_filing(corpus):
    lane, copy = corpus.id("Lane 3 is closed"), corpus.id("Copy.")
    with corpus.archive.begin() as session:
        entry = begin_entry(session, "classify", "test", {})
        now = dt.datetime.now(UTC)
        for message_id, category in ((lane, "TRANSITORY"), (copy, "TRANSITORY"),
                                     (lane, "CAPSTONE")):  # lane re-filed later
            session.add(Filing(message_id=message_id, schedule_id="s", schedule_version="1",
                               category=category, rule=None, reason="test", filed_at=now,
                               audit_id=entry.id))
        session.flush()
        seal(session, entry)
    assert found(corpus, "lane", category="TRANSITORY") == ["Copy. Lane 3 closing now"]
    assert found(corpus, "lane", category="CAPSTONE") == ["Lane 3 is closed at the Aduána 👍"]
    assert found(corpus, "lane", category="capstone") == found(corpus, "lane",
                                                               category="CAPSTONE")
    # A code nobody's message was filed under is a typo, not "no results".
    with pytest.raises(UsageError, match="no message is filed under a category 'CAPSTON'"):
        found(corpus, "lane", category="CAPSTON")


def test_newest_first_relevance_and_limit(corpus):
    newest = found(corpus, "lane")
    assert newest[0] == "Lane 3 reopened on our side"  # 09:00 after 08:05 and 08:00
    assert found(corpus, "lane", limit=1) == newest[:1]
    assert found(corpus, "lane", sort="oldest") == newest[::-1]
    ranked = found(corpus, "lane OR closed OR closing", sort="relevance")
    assert set(ranked) == set(found(corpus, "lane OR closed OR closing"))
    assert ranked[-1] == "Lane 3 reopened on our side"  # one matching word, not two


def test_hits_carry_what_a_result_line_shows(corpus):
    with corpus.archive.read() as session:
        hit = search(session, parse("aduana"), Filters())[0]
    assert (hit.chat, hit.sent_at_local, hit.timezone, hit.author, hit.person) == (
        "Port Ops", "2021-03-01T08:00", "America/Los_Angeles", "Dana Reyes", "Dana Reyes")
    assert hit.sent_at == dt.datetime(2021, 3, 1, 16, tzinfo=UTC)
    assert hit.excerpt.marked("[", "]") == "Lane 3 is closed at the [Aduána] 👍"
    assert hit.message_id == corpus.id("Lane 3 is closed")
