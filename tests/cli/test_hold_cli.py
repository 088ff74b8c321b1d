"""`retainer hold add|list|release`, and holds in `report disposition` and `explain`, through
the real command line on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import unicodedata

import pytest

from tests.cli.records_setup import PORT_NIGHT, TEAM, TEAM_NIGHT, Records, message_ids


@pytest.fixture
def records(runner, tmp_path, archive_url) -> Records:
    records = Records(runner, tmp_path, archive_url)
    result = records.import_(records.export(TEAM, TEAM_NIGHT),
                             records.export("Port Ops", PORT_NIGHT))
    assert result.exit_code == 0, result.output
    return records


def held(records: Records) -> dict[int, list[str]]:
    """message id → holds, for the messages a hold blocks in 2045."""
    return {item["message_id"]: item["holds"] for item in records.disposition()["items"]
            if item["holds"]}


def test_add_list_and_release_keep_the_released_hold_on_record(records):
    assert records("hold", "list").stdout == "no holds\n"
    placed = records("hold", "add", "LIT-14", "--reason", "litigation", "--chat", "Port Ops")
    assert placed.exit_code == 0, placed.output
    assert "covers 2 messages now" in placed.stdout
    listed = records("hold", "list")
    assert listed.exit_code == 0, listed.output  # was: DetachedInstanceError
    assert listed.stdout.startswith("LIT-14: ACTIVE; placed ")
    assert "by records-officer: litigation; covers chat 'Port Ops'" in listed.stdout
    released = records("--operator", "counsel", "hold", "release", "LIT-14",
                       "--reason", "case dismissed")
    assert released.exit_code == 0 and released.stdout == "hold 'LIT-14' released\n"
    [line] = records("hold", "list").stdout.splitlines()
    assert line.startswith("LIT-14: released ")
    assert " UTC by counsel: case dismissed; placed " in line
    assert records("hold", "release", "LIT-14", "--reason", "again").exit_code == 2
    assert records("verify").exit_code == 0


def test_a_query_hold_is_placed_and_reported(records):
    placed = records("hold", "add", "Q1", "--reason", "lane inquiry", "--query", "lane")
    assert placed.exit_code == 0, placed.output  # was: TypeError traceback
    assert "covers 2 messages now" in placed.stdout
    covered = held(records)
    assert len(covered) == 2 and all(names == ["Q1"] for names in covered.values())
    some = next(iter(covered))
    explained = records("explain", str(some))
    assert explained.exit_code == 0 and "holds: Q1" in explained.stdout


@pytest.mark.parametrize("query", ['"lane', "OR lane", "-lane", "*"])
def test_a_malformed_query_is_refused_when_the_hold_is_placed(records, query):
    result = records("hold", "add", "Q2", "--reason", "x", "--query", query)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: --query: ")
    assert "Traceback" not in result.output
    assert records("hold", "list").stdout == "no holds\n"


@pytest.mark.parametrize("title", [TEAM, "équipe strasse", "ÉQUIPE STRASSE",
                                   unicodedata.normalize("NFD", TEAM)])  # typed on a Mac
def test_a_chat_is_found_by_its_title_in_any_case(records, title):
    result = records("hold", "add", "T", "--reason", "x", "--chat", title)
    assert result.exit_code == 0, result.output
    assert "covers 2 messages now" in result.stdout  # SQLite lower() made this 0
    assert len(held(records)) == 2


def test_a_person_is_found_in_any_case_or_by_alias(records):
    result = records("hold", "add", "P", "--reason", "x", "--person", "dana reyes")
    assert result.exit_code == 0 and "covers 1 messages now" in result.stdout
    result = records("hold", "add", "P2", "--reason", "x", "--person", "Dana R")
    assert result.exit_code == 0 and "person Dana Reyes" in result.stdout
    assert "covers 1 messages now" in result.stdout


@pytest.mark.parametrize("option, value, message", [
    ("--chat", "Nowhere", "no chat titled 'Nowhere' in the archive"),
    ("--person", "Nobody At All", "no person named 'Nobody At All' in the configuration"),
])
def test_an_unknown_chat_or_person_is_refused(records, option, value, message):
    result = records("hold", "add", "X", "--reason", "x", option, value)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: {message} " + (
        "(see `retainer chats`)" if option == "--chat" else "(see `retainer people`)")]
    assert records("hold", "list").stdout == "no holds\n"


def test_a_hold_covering_nothing_yet_is_placed_with_a_warning(records):
    result = records("hold", "add", "LATER", "--reason", "x", "--since", "2030-01-01")
    assert result.exit_code == 0
    assert "covers 0 messages now" in result.stdout
    assert "Warning: hold 'LATER' covers no message yet" in result.stderr


def test_messages_imported_later_into_a_held_chat_are_covered(records):
    records("hold", "add", "T", "--reason", "x", "--chat", "équipe strasse")
    later = records.export(TEAM, [*TEAM_NIGHT, ("2026-12-16T09:00", "Marcus Bell", "new one")],
                           name=f"WhatsApp Chat with {TEAM} (2).txt")
    assert records.import_(later, options=("--chat", TEAM)).exit_code == 0
    assert len(held(records)) == 3


def test_a_hold_blocks_the_transfer_of_permanent_records(records):
    before = message_ids(records)
    [dana] = before["transfer due"]  # Dana Reyes is a Capstone official: permanent
    explained = records("explain", str(dana))
    assert "permanent: due for transfer to NARA from 2042-01-01\n" in explained.stdout
    records("hold", "add", "H2", "--reason", "x", "--person", "Dana Reyes")
    report = records.disposition()
    [item] = [i for i in report["items"] if i["message_id"] == dana]
    assert (item["status"], item["holds"]) == ("transfer held", ["H2"])
    assert report["counts"]["transfer held"] == 1 and "transfer due" not in report["counts"]
    table = records("report", "disposition", "--as-of", "2045-01-01").stdout
    assert "transfer held" in table and "(held: H2)" in table
    explained = records("explain", str(dana))
    assert ("permanent: due for transfer to NARA from 2042-01-01 — blocked while held by H2"
            in explained.stdout)
    data = json.loads(records("explain", str(dana), "--json").stdout)
    assert data["holds"] == ["H2"]


def test_the_stored_criteria_name_the_chat_as_archived(records, archive_url, tmp_path):
    from retainer.archive import Archive
    from retainer.retention import holds

    records("hold", "add", "T", "--reason", "x", "--chat", "équipe strasse")
    archive = Archive.open(archive_url, tmp_path / "conf" / "vault")
    try:
        with archive.read() as session:
            [hold] = holds.list_holds(session)
    finally:
        archive.close()
    assert hold.criteria["chats"] == ["équipe strasse"]
    assert hold.criteria["chat_titles"] == [TEAM] and len(hold.criteria["chat_ids"]) == 1
    assert records("verify").exit_code == 0


@pytest.mark.parametrize("args", [
    ("hold", "add", "H", "--reason", "x", "--until", "01-12"),
    ("hold", "add", "H", "--reason", "x", "--since", "3rd"),
    ("report", "compliance", "--as-of", "1.3"), ("report", "disposition", "--as-of", "01-12"),
    ("hold", "add", "H", "--reason", "x", "--until", "9999-12-31"),
    ("report", "compliance", "--as-of", "9999-12-31"),
    ("report", "disposition", "--as-of", "9999-12-31"),
    ("report", "disposition", "--as-of", "December 9999"),
])
def test_bad_dates_are_one_line_usage_errors(records, args):
    # numeric dates were guessed (01-12: January 12); 9999-12-31 was a traceback
    result = records(*args)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {args[-2]} '") and "Traceback" not in result.output
    assert "out of range" in line or "YYYY-MM-DD" in line
    assert records("hold", "list").stdout == "no holds\n"


def test_explain_refuses_an_id_too_large_in_one_line(records):
    result = records("explain", "99999999999999999999")  # was an OverflowError traceback
    assert result.exit_code == 2 and "Traceback" not in result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "'MESSAGE_ID'" in line and "1<=x<=2147483647" in line
    assert records("explain", "2147483647").exit_code != 0


def test_an_overflow_past_the_option_checks_is_one_line_not_a_traceback(records):
    # 9999-12-30 parses, but the § 2911 calendar runs a day past it.
    result = records("report", "compliance", "--as-of", "9999-12-30")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "Error: a date or number given is out of range (too large, or too close to the year 1 "
        "or 9999); set RETAINER_DEBUG=1 to see the details"]
