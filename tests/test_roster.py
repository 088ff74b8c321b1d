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
