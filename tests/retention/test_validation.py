"""Every check of docs/schedules.md §7, each with a fixture and the line it must report."""

from __future__ import annotations

import pytest

from retainer.errors import ConfigError
from retainer.retention import ScheduleProblems, load_schedule

from .conftest import FIXTURES

# fixture file → [(line, words the message must contain)], in line order: every problem.
EXPECTED = {
    "syntax-error": [(4, "not valid TOML")],
    "unknown-keys": [
        (3, 'unknown key "titel" in the schedule (did you mean "title"?)'),
        (13, 'unknown key "authorty_note" in category "KEEP"'),
        (16, 'unknown key "year" in retention'),
        (18, 'rule "r1" is missing the required key "priority"'),
        (20, 'unknown key "prority" in rule "r1" (did you mean "priority"?)'),
    ],
    "missing-keys": [
        (1, 'the schedule is missing the required key "version"'),
        (5, 'category "KEEP" is missing the required key "authority"'),
        (13, 'rule "r1" is missing the required key "priority"'),
    ],
    "wrong-types": [
        (2, '"title" must be a string, not an integer'),
        (4, '"source" must not be empty'),
        (5, '"example" must be true or false, not a string'),
        (13, '"record" must be true or false, not a string'),
        (15, '"years" must be a whole number, not a float'),
        (19, '"priority" must be an integer, not a string'),
        (20, '"roles" must be a list of strings, not a string'),
        (24, '"priority" must be an integer, not a boolean'),
    ],
    "bad-id": [(1, 'id "Bad_ID" must be lowercase letters, digits and hyphens')],
    "id-mismatch": [(1, 'id "another-name" must equal the file name without .toml')],
    "duplicates": [
        (5, 'default "NOT-A-CODE" is not the code of a category'),
        (22, 'duplicate category code "KEEP" (first at line 8)'),
        (31, 'duplicate rule name "same" (first at line 17)'),
    ],
    "retention-forms": [
        (14, "exactly one of years, days or permanent (found years, days)"),
        (23, "exactly one of years, days or permanent (found none)"),
        (32, "transfer_after_years is only allowed with permanent = true"),
        (41, "permanent must be true"),
        (50, "a permanent item needs transfer_after_years"),
        (59, "a permanent category must have record = true"),
        (67, "cutoff must be one of \"none\", \"calendar_year\", \"fiscal_year\", not 'fiscal'"),
        (68, '"days" must not be negative'),
    ],
    "bad-conditions": [
        (16, 'rule "no-condition" has no condition'),
        (23, 'kind "txt" is not one of text, media, system, deleted'),
        (26, 'channel "email" is not one of device, official'),
        (28, '"words" must not be an empty list'),
        (29, 'entries of "chats" must not be empty'),
        (30, 'each entry of "roles" must be a string, not an integer'),
        (37, "pattern does not compile: missing ), unterminated subpattern"),
        (38, "pattern does not compile: Possible nested set"),
    ],
    "no-categories": [(5, "a schedule needs at least one [[categories]]")],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_problem_is_reported_with_its_line(name):
    path = FIXTURES / f"{name}.toml"
    with pytest.raises(ScheduleProblems) as caught:
        load_schedule(path)
    found = [(problem.line, problem.message) for problem in caught.value.problems]
    assert len(found) == len(EXPECTED[name]), found
    for (line, message), (want_line, words) in zip(found, EXPECTED[name], strict=True):
        assert line == want_line, (line, message)
        assert words in message
    for problem in caught.value.problems:
        assert problem.path == path
        assert str(problem).startswith(f"{path}:{problem.line}: ")


def test_the_error_names_the_first_problem_and_counts_the_rest():
    with pytest.raises(ScheduleProblems) as caught:
        load_schedule(FIXTURES / "missing-keys.toml")
    error = caught.value
    assert isinstance(error, ConfigError) and error.exit_code == 2
    assert error.line == 1
    assert str(error).startswith(f"{FIXTURES / 'missing-keys.toml'}:1: ")
    assert str(error).endswith("(and 2 more problems)")


def test_a_valid_fixture_loads_with_a_retention_sub_table():
    schedule = load_schedule(FIXTURES / "valid-minimal.toml")
    archive = schedule.category("ARCHIVE")
    assert archive.retention.permanent and archive.retention.transfer_after_years == 25
    assert archive.cutoff == "fiscal_year" and archive.schedule_id == "valid-minimal"
    assert schedule.rules[0].category == "ARCHIVE"
    assert schedule.default == "KEEP" and schedule.example is False


def test_text_that_is_not_utf8_is_a_problem_on_its_line(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes(b'id = "latin"\ntitle = "caf\xe9"\n')
    with pytest.raises(ScheduleProblems) as caught:
        load_schedule(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [(2, "not UTF-8 text")]


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read schedule"):
        load_schedule(tmp_path / "absent.toml")


def test_an_unknown_category_code_is_a_key_error(fixtures):
    schedule = load_schedule(fixtures / "valid-minimal.toml")
    with pytest.raises(KeyError):
        schedule.category("NOPE")


def test_a_syntax_error_at_the_end_of_the_file_points_at_the_last_line(tmp_path):
    path = tmp_path / "open-array.toml"
    path.write_text('id = "open-array"\nkinds = [\n  "text",\n')
    with pytest.raises(ScheduleProblems) as caught:
        load_schedule(path)
    assert caught.value.problems[0].line == 4
