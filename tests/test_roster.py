"""People and unresolved authors; an alias added later resolves earlier imports."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from retainer.archive.models import PersonAccount
from retainer.archive.people import sync_people
from retainer.config import Person
from retainer.errors import ConfigError
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from retainer.roster import people_summary
from tests.ingest.chats import ANDROID, write_export

DANA = Person("Dana Reyes", True, ("Dana Reyes",), ("dana.reyes@agency.example.gov",),
              "America/Los_Angeles", "capstone-official")


def test_alias_added_after_import_resolves_without_reimport(archive, tmp_path):
    messages = [("2026-12-14T22:02", "Dana Reyes", "Lane 3 is closed."),
                ("2026-12-14T22:03", "+1 (619) 555-0142", "sent from another phone"),
                ("2026-12-14T22:04", "+1 (619) 555-0142", "again"),
                ("2026-12-14T22:05", "Tow Dispatch", "on our way")]
    path = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, messages)
    import_file(archive, path, ImportOptions(timezone="America/Los_Angeles"))
    with archive.begin() as session:
        sync_people(session, [DANA])
        known, unknown = people_summary(session, (DANA,))
    assert known[0].messages == 1
    assert [(u.author, u.messages) for u in unknown] == [("+1 (619) 555-0142", 2),
                                                         ("Tow Dispatch", 1)]
    later = dataclasses.replace(DANA, aliases=("Dana Reyes", "+16195550142"))
    with archive.begin() as session:
        assert sync_people(session, [later])
        known, unknown = people_summary(session, (later,))
    assert known[0].messages == 3  # the phone number matches by its digits
    assert [u.author for u in unknown] == ["Tow Dispatch"]


def test_people_in_the_archive_resolve_as_the_directory_does(archive):
    marcus = Person("Marcus Bell", True, ("+1 602 555 0118",), ("marcus.bell@agency.example.gov",),
                    None, None)
    with archive.begin() as session:
        sync_people(session, [DANA, marcus])
        rows = set(session.execute(select(PersonAccount.key, PersonAccount.person,
                                          PersonAccount.official)))
    assert rows == {("Dana Reyes", "Dana Reyes", False),
                    ("dana.reyes@agency.example.gov", "Dana Reyes", False),
                    ("dana.reyes@agency.example.gov", "Dana Reyes", True),
                    ("Marcus Bell", "Marcus Bell", False),
                    ("tel:16025550118", "Marcus Bell", False),
                    ("marcus.bell@agency.example.gov", "Marcus Bell", False),
                    ("marcus.bell@agency.example.gov", "Marcus Bell", True)}


def test_a_name_claimed_as_another_persons_alias_is_a_config_error_not_a_database_one(archive):
    impostor = Person("Marcus Bell", True, ("Dana Reyes",), (), None, None)
    with pytest.raises(ConfigError, match="claimed by both 'Dana Reyes' and 'Marcus Bell'"):
        with archive.begin() as session:
            sync_people(session, [DANA, impostor])
    with archive.read() as session:
        assert session.scalar(select(PersonAccount.id)) is None


PEOPLE_CONFIG = """
[[people]]
name = "Dana Reyes"
custodian = true
aliases = ["+1 619 555 0142"]
official_accounts = ["dana.reyes@agency.example.gov"]
[[people]]
name = "Luis Ortega"
aliases = ["Luis O"]
"""


def test_the_people_command_lists_people_unresolved_authors_and_unofficial_mails(
        runner, tmp_path, archive_url):
    import json

    from retainer.cli import cli

    def people_cli(runner, tmp_path, *args):
        config = tmp_path / "retainer.toml"
        if not config.exists():
            config.write_text(PEOPLE_CONFIG)
        return runner.invoke(cli, ["--config", str(config), "--db", archive_url, *args])

    messages = [("2026-12-14T22:02", "Dana Reyes", "Lane 3 is closed."),
                ("2026-12-14T22:03", "+1 (619) 555-0142", "from the other phone"),
                ("2026-12-14T22:04", "Tow Dispatch", "on our way"),
                ("2026-12-14T22:05", "Tow Dispatch", "here"),
                ("2026-12-14T22:06", "Luis O", "thanks")]
    chat = write_export(tmp_path / "WhatsApp Chat with Port Ops.txt", ANDROID, messages)
    mail = tmp_path / "fyi.eml"
    mail.write_bytes(b"To: Priya <priya.nair@tri-county.example.com>\n"
                     b"Cc: portops-nightdesk@agency.example.gov\n"
                     b"Date: Tue, 15 Dec 2026 06:00:00 +0000\n"
                     b"Message-ID: <fyi-1@mail.example.com>\nSubject: secret subject\n\n"
                     b"12/14/26, 10:02 PM - Dana Reyes: Lane 3 is closed.\n")
    official = tmp_path / "official.eml"
    official.write_bytes(b"To: dana.reyes@agency.example.gov\nMessage-ID: <ok@x>\n"
                         b"Date: Tue, 15 Dec 2026 06:00:00 +0000\n\nhello\n")
    assert people_cli(runner, tmp_path, "import", "--custodian", "Dana Reyes",
                      str(chat)).exit_code == 0
    assert people_cli(runner, tmp_path, "import", "--channel", "official", str(mail),
                      str(official)).exit_code == 0
    result = people_cli(runner, tmp_path, "people")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["PERSON", "CUSTODIAN", "MESSAGES", "CHATS", "ACCOUNTS"]
    assert lines[1].split()[:6] == ["Dana", "Reyes", "yes", "2", "1", "+1"]
    assert lines[1].endswith("; official: dana.reyes@agency.example.gov")
    assert lines[2].split()[:5] == ["Luis", "Ortega", "no", "1", "1"]
    assert "Unresolved authors (1), most frequent first:" in lines
    assert "         2 messages in 1 chat(s)  Tow Dispatch" in lines
    assert "Mails that reached no official account (1); they prove no forward:" in lines
    assert (f"  {mail}  <fyi-1@mail.example.com>  2026-12-15T06:00:00Z  "
            "To: priya.nair@tri-county.example.com; Cc: portops-nightdesk@agency.example.gov"
            in lines)
    assert "secret subject" not in result.stdout and "Lane 3" not in result.stdout
    data = json.loads(people_cli(runner, tmp_path, "people", "--json").stdout)
    assert [p["messages"] for p in data["people"]] == [2, 1]
    assert data["unresolved"] == [{"author": "Tow Dispatch", "messages": 2, "chats": 1}]
    (unofficial,) = data["unofficial_mails"]
    assert (unofficial["message_id"], unofficial["date"], unofficial["cc"]) == (
        "<fyi-1@mail.example.com>", "2026-12-15T06:00:00Z",
        ["portops-nightdesk@agency.example.gov"])
    # The night desk turns out to be Dana's: the mail counts from now on, nothing re-imported.
    (tmp_path / "retainer.toml").write_text(PEOPLE_CONFIG.replace(
        '["dana.reyes@agency.example.gov"]',
        '["dana.reyes@agency.example.gov", "PortOps-NightDesk@agency.example.gov"]'))
    after = people_cli(runner, tmp_path, "people")
    assert "Every archived mail reached an official account of a custodian." in after.stdout
