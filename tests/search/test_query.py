"""The query language: parsing, errors, and compiled forms that hold only quoted words."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retainer.errors import UsageError
from retainer.search.query import MAX_QUERY, MAX_TERMS, Term, parse, to_fts5, to_tsquery


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
])
def test_terms_are_normalised_like_message_text(text, words):
    assert parse(text).groups == ((Term(words),),)


def test_emoji_prefix():
    assert parse(":thumbs*").groups == ((Term(("emoji_thumbs",), prefix=True),),)


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
])
def test_malformed_queries(text, message):
    with pytest.raises(UsageError, match=message) as error:
        parse(text)
    assert "\n" not in str(error.value)


@pytest.fixture(scope="module")
def fts():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE search_index USING fts5("
                       "words, content='', tokenize=\"ascii tokenchars '_'\")")
    connection.execute("INSERT INTO search_index (rowid, words) VALUES (1, 'lane 3 closed')")
    yield connection
    connection.close()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab "-*()OR:^{}+\'\\;,.NEAR|&!<>ñÁ👍_\t'))
               | st.characters(), max_size=40))
def test_any_input_is_an_error_or_a_valid_query(fts, text):
    try:
        query = parse(text)
    except UsageError:
        return
    fts.execute("SELECT rowid FROM search_index WHERE search_index MATCH ?",
                (to_fts5(query),)).fetchall()
    compiled = to_tsquery(query)
    # Every lexeme is quoted and the only other characters are the operators we write.
    outside = "".join(part for n, part in enumerate(compiled.split("'")) if n % 2 == 0)
    assert set(outside) <= set("()&|!<->:* ")
