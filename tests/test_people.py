"""Resolving author strings to people: account keys and the directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retainer.config import Person, load_settings
from retainer.errors import ConfigError
from retainer.people import Directory, account_key

DANA = Person("Dana Reyes", True, ("Dana R", "+1 619 555 0142"),
              ("dana.reyes@agency.example.gov", "+1 202 555 0190"), "America/Los_Angeles",
              "capstone-official")
MARCUS = Person("Marcus Bell", True, ("Marcus Bell",), ("marcus.bell@agency.example.gov",),
                "America/Phoenix", None)
ROCIO = Person("Rocío Méndez", False, ("Rocío M",), (), None, None)


@pytest.mark.parametrize("written", [
    "+1 (619) 555-0142",
    "+16195550142",
    "+1 619 555 0142",
    "+1\u202f619\u202f555\u202f0142",            # narrow no-break spaces (Android)
    "+1\u00a0619\u00a0555\u20110142",            # no-break space, non-breaking hyphen
    "\u202a+1 619-555-0142\u202c",               # direction marks around a number
    "+1.619.555.0142",
    "  +1 619 555 0142 ",
    "~ +1 619 555 0142",
    "+\u0661 \u0666\u0661\u0669 \u0665\u0665\u0665 \u0660\u0661\u0664\u0662",  # Arabic-Indic
])
def test_phone_numbers_compare_by_digits(written):
    assert account_key(written) == "tel:16195550142"


@pytest.mark.parametrize("written, key", [
    ("12345", "12345"),                          # too short for a phone number
    ("Agent 007", "Agent 007"),
    ("~ Rocío M", "Rocío M"),                    # WhatsApp: not in the exporter's contacts
    ("~\u202fRocío M", "Rocío M"),
    ("Roci\u0301o M", "Rocío M"),                # decomposed accent: the same name
    ("Dana\u00a0R", "Dana R"),
    ("\u200eDana R", "Dana R"),
    ("dana r", "dana r"),                        # names are case-sensitive
    ("Dana.Reyes@Agency.Example.GOV", "dana.reyes@agency.example.gov"),
    ("", ""),
    (" \u200e", ""),
])
def test_other_accounts(written, key):
    assert account_key(written) == key


@given(st.lists(st.sampled_from("0123456789"), min_size=7, max_size=15),
       st.lists(st.sampled_from([" ", "-", ".", "\u202f", "\u00a0", "\u2011", ""]),
                min_size=15, max_size=15),
       st.booleans(), st.booleans())
def test_any_phone_spelling_gives_the_digits(digits, separators, plus, brackets):
    text = "".join(d + s for d, s in zip(digits, separators, strict=False)).strip(" \u202f\u00a0")
    if brackets:
        text = f"({text[:1]}){text[1:]}"
    text = ("+" if plus else "") + text
    assert account_key(text) == "tel:" + "".join(digits)


def test_resolve():
    directory = Directory([DANA, MARCUS, ROCIO])
    assert directory.resolve("Dana R") is DANA
    assert directory.resolve("+1 (619) 555-0142") is DANA
    assert directory.resolve("\u202a+1 619\u202f555\u20110142\u202c") is DANA
    assert directory.resolve("~ Rocío M") is ROCIO
    assert directory.resolve("Marcus Bell") is MARCUS
    assert directory.resolve("dana r") is None
    assert directory.resolve("Someone Else") is None
    assert directory.resolve(None) is None


def test_an_official_messaging_id_in_a_chat_resolves_to_its_owner():
    # § 2911(a)(1): an official account copied in the chat writes as its owner
    assert Directory([DANA]).resolve("+1 202-555-0190") is DANA


def test_official_accounts():
    directory = Directory([DANA, MARCUS])
    assert directory.is_official(DANA, "Dana.Reyes@agency.example.gov")
    assert directory.is_official(DANA, "+12025550190")
    assert not directory.is_official(DANA, "+1 619 555 0142")       # an alias, not official
    assert not directory.is_official(MARCUS, "dana.reyes@agency.example.gov")
    assert directory.owner_of_official("MARCUS.BELL@agency.example.gov") is MARCUS
    assert directory.owner_of_official("Marcus Bell") is None
    assert directory.owner_of_official("nobody@agency.example.gov") is None


def test_custodians_in_configuration_order():
    assert Directory([ROCIO, MARCUS, DANA]).custodians() == (MARCUS, DANA)


def test_key_map():
    assert Directory([DANA, ROCIO]).key_map() == {
        "Dana Reyes": "Dana Reyes",
        "Dana R": "Dana Reyes",
        "tel:16195550142": "Dana Reyes",
        "dana.reyes@agency.example.gov": "Dana Reyes",
        "tel:12025550190": "Dana Reyes",
        "Rocío Méndez": "Rocío Méndez",
        "Rocío M": "Rocío Méndez",
    }


def test_a_name_resolves_and_counts_as_a_claim():
    assert Directory([DANA]).resolve("Dana Reyes") is DANA
    other = Person("Marcus Bell", True, ("Dana Reyes",), (), None, None)
    with pytest.raises(ConfigError, match="claimed by both 'Dana Reyes' and 'Marcus Bell'"):
        Directory([DANA, other])


def test_an_account_claimed_twice_is_refused():
    other = Person("Dana Impostor", False, ("+16195550142",), (), None, None)
    with pytest.raises(ConfigError, match="claimed by both 'Dana Reyes' and 'Dana Impostor'"):
        Directory([DANA, other])


def test_an_alias_added_later_resolves_earlier_authors(tmp_path: Path):
    config = tmp_path / "retainer.toml"
    config.write_text('[[people]]\nname = "Dana Reyes"\ncustodian = true\n'
                      'aliases = ["Dana R"]\n', encoding="utf-8")
    before = Directory(load_settings(config, environ={}).people)
    assert before.resolve("Dana (personal)") is None
    config.write_text('[[people]]\nname = "Dana Reyes"\ncustodian = true\n'
                      'aliases = ["Dana R", "Dana (personal)"]\n', encoding="utf-8")
    after = Directory(load_settings(config, environ={}).people)
    assert after.resolve("Dana (personal)").name == "Dana Reyes"
    assert after.key_map()["Dana (personal)"] == "Dana Reyes"


def test_the_sample_people():
    sample = Path(__file__).resolve().parents[1] / "sample_exports" / "retainer.toml"
    directory = Directory(load_settings(sample, environ={}).people)
    assert [p.name for p in directory.custodians()] == [
        "Dana Reyes", "Marcus Bell", "Elena Vargas"]
    assert directory.resolve("+1 858-555-0123").name == "Priya Nair"
    assert directory.resolve("~\u202fRocío Méndez").name == "Rocío Méndez"
