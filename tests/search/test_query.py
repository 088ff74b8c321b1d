"""The query language: parsing, errors, and compiled forms that hold only quoted words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from retainer.errors import UsageError
from retainer.search.engine import search
from retainer.search.filters import Filters
from retainer.search.query import MAX_QUERY, MAX_TERMS, Term, parse, to_fts5, to_tsquery
from retainer.search.tokens import MAX_WORD


def test_words_phrases_or_exclusion_and_prefix():
    query = parse('truck "Lane 3" OR gate -closed clos* -"bad idea"')
    assert query.groups == ((Term(("truck",)),),
                            (Term(("lane", "3")), Term(("gate",))),
                            (Term(("clos",), prefix=True),))
    assert query.excluded == (Term(("closed",)), Term(("bad", "idea")))
    assert to_fts5(query) == ('(((("truck") AND ("lane 3" OR "gate") AND ("clos"*)) '
                              'NOT "closed") NOT "bad idea")')
    assert to_tsquery(query) == ("(('truck')) & (('lane' <-> '3') | ('gate')) & "
                                 "(('clos':*)) & !('closed') & !('bad' <-> 'idea')")


@pytest.mark.parametrize(("text", "words"), [
    ("ADUÁNA", ("aduana",)), ("Straße", ("strasse",)), ("e-mail", ("e", "mail")),
    ("👍", ("emoji_thumbs_up",)), (":thumbs_up:", ("emoji_thumbs_up",)),
    ("👍🏽", ("emoji_thumbs_up_medium_skin_tone",)), ("under_score", ("under", "score")),
    ("Łódź", ("lodz",)), ("ØRSTED", ("orsted",)), ("Đorđe", ("dorde",)), ("Æsir", ("aesir",)),
    ("œuvre", ("oeuvre",)), ("Þing", ("thing",)), ("(:fire:)", ("emoji_fire",)),
    (":fire:,", ("emoji_fire",)), ("(🔥)", ("emoji_fire",)),
    (":one_o'clock:", ("emoji_one_o_x2019_clock",)),
    (":one_o’clock:", ("emoji_one_o_x2019_clock",)), ("🕐", ("emoji_one_o_x2019_clock",)),
    ("12:30:45", ("12", "30", "45")),
])
def test_terms_are_normalised_like_message_text(text, words):
    [group] = parse(text).groups
    assert group[0] == Term(words)  # then its skin tones, for 👍


def test_emoji_prefix():
    assert parse(":thumbs*").groups == ((Term(("emoji_thumbs",), prefix=True),),)
    assert parse(":one_o'c*").groups == parse(":one_o’c*").groups


def test_an_emoji_stands_for_each_of_its_skin_tones():
    tones = ("light", "medium-light", "medium", "medium-dark", "dark")
    expected = {("emoji_thumbs_up",)} | {
        ("emoji_thumbs_up_" + tone.replace("-", "_x2d_") + "_skin_tone",) for tone in tones}
    for text in (":thumbs_up:", "👍", "(:thumbs_up:)"):
        [group] = parse(text).groups
        assert {term.words for term in group} == expected
    [group] = parse('"great 👍 now"').groups
    assert len(group) == 6 and all(t.words[0] == "great" and t.words[2] == "now" for t in group)
    assert {t.words for t in parse("-👍 lane").excluded} == expected
    # One tone named: that tone only; a prefix finds every tone by itself.
    assert [t.words for t in parse("👍🏽").terms()] == [("emoji_thumbs_up_medium_skin_tone",)]
    assert len(parse('"lane 👍"*').terms()) == 1


def test_only_or_is_an_operator():
    assert [t.words for t in parse("a AND b NOT c NEAR d or e").terms()] == [
        ("a",), ("and",), ("b",), ("not",), ("c",), ("near",), ("d",), ("or",), ("e",)]


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"), ("  ", "empty"), ('"open', "unbalanced quotes"), ('a "b', "unbalanced"),
    ("OR", "OR needs"), ("a OR", "OR needs"), ("OR a", "OR needs"), ("a OR OR b", "OR needs"),
    ("-", "lone '-'"), ("a - b", "lone '-'"), ("-a", "only excludes"),
    ('-"a b"', "only excludes"), ("*", "lone '*'"), ("a*b", "can only end"),
    ("a -b OR c", "cannot be part of OR"), ("... !!", "no words"),
    ("x" * (MAX_QUERY + 1), "longer than"), (" ".join(["w"] * (MAX_TERMS + 1)), "more than"),
    ("x" * (MAX_WORD + 1), f"longer than {MAX_WORD} characters"),
    (f'"lane {"y" * 300} closed"', f"longer than {MAX_WORD} characters"),
    (":" + "!" * 450 + "*", "no emoji name starts with"), (":zq*", "no emoji name starts with"),
    (":thumbsup:", r"not an emoji name \(did you mean :thumbs_up:\?\)"),
    ("(:firee:),", "not an emoji name"), ('"said :nope: there"', "not an emoji name"),
    ('"👍 👍\n👍"', "emoji forms"),
])
def test_malformed_queries(text, message):
    with pytest.raises(UsageError, match=message) as error:
        parse(text)
    assert "\n" not in str(error.value)


LONG = st.builds(lambda start, char, n, end: start + char * n + end,
                 st.sampled_from([":", ":", ":", "", '"', "-"]), st.sampled_from(list("!!'(a_é👍")),
                 st.integers(MAX_WORD - 2, MAX_WORD + 2) | st.integers(400, 480),
                 st.sampled_from(["*", "*", ":", "", '"']))
"""Long runs: words and emoji names near and past the databases' limits on a word (PostgreSQL
refuses a lexeme over 2046 bytes; an emoji word escapes punctuation as ``_xNN_``)."""


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list('ab "-*()OR:^{}+\'\\;,.NEAR|&!<>ñÁ👍🏽_\t')),
                    max_size=40) | st.text(st.characters(), max_size=40) | LONG | LONG)
@example(":" + "!" * 450 + "*")  # the emoji word escapes "!" as _x21_: 2,256 bytes
@example("x" * 300)
@example(":thumbsup:")
@example("'; DROP TABLE messages; --")
def test_any_input_is_an_error_or_a_query_the_database_runs(corpus, text):
    """On SQLite and PostgreSQL: whatever is typed, a UsageError or a search that runs."""
    try:
        query = parse(text)
    except UsageError as error:
        assert "\n" not in str(error)
        return
    compiled = to_tsquery(query)
    # Every lexeme is quoted and the only other characters are the operators we write.
    outside = "".join(part for n, part in enumerate(compiled.split("'")) if n % 2 == 0)
    assert set(outside) <= set("()&|!<->:* ")
    assert to_fts5(query).startswith("(")
    with corpus.archive.read() as session:
        search(session, query, Filters(), limit=3)
        search(session, query, Filters(chat="Port Ops"), limit=3, sort="relevance")
