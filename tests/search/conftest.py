"""A small archive for the search tests: two chats, three people, every kind of message."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from retainer.archive.models import Message
from retainer.archive.people import sync_people
from retainer.config import Person
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from tests.ingest.chats import ANDROID, write_export

PORT_OPS = [
    ("2021-03-01T08:00", "Dana Reyes", "Lane 3 is closed at the Aduána 👍"),
    ("2021-03-01T08:05", "Marcus Bell", "Copy. Lane 3 closing now"),
    ("2021-03-02T09:00", "Dana R", "Meeting the Mexican counterpart tomorrow about tariffs"),
    ("2021-03-02T09:10", "Marcus Bell", "IMG-20210302-WA0001.jpg (file attached)\n"
                                        "the gate photo"),
    ("2021-03-03T10:00", "Elena Vargas", "This message was deleted"),
    ("2021-03-15T11:00", "Dana Reyes", "Résumé of the call: tariff relief approved 🔥"),
    ("2021-04-01T12:00", None, "Dana Reyes added Luis Ortega"),
]
BRIDGE = [
    ("2021-03-01T09:00", "Luis Ortega", "Lane 3 reopened on our side"),
    ("2021-03-10T10:00", "Dana Reyes", "Tariff talk is off the record; drop table later"),
]
PEOPLE = (
    Person("Dana Reyes", True, ("Dana R",), ("dana.reyes@agency.example.gov",),
           "America/Los_Angeles", None),
    Person("Marcus Bell", False, (), (), None, None),
)


@dataclasses.dataclass
class Corpus:
    archive: object
    ids: dict[str, int]
    """First words of each message's text → message id."""

    def id(self, start: str) -> int:
        return next(i for text, i in self.ids.items() if text.startswith(start))


OPTIONS = ImportOptions(custodian="Dana Reyes", timezone="America/Los_Angeles",
                        date_order="MDY")


def add_chat(archive, folder, title: str, messages) -> None:
    """Import an Android export of ``messages`` ((local time, author, text)) as ``title``."""
    folder.mkdir(parents=True)
    path = write_export(folder / f"WhatsApp Chat with {title}.txt", ANDROID, messages)
    assert import_file(archive, path, OPTIONS).status == "imported"


@pytest.fixture
def corpus(archive, tmp_path) -> Corpus:
    for title, messages in (("Port Ops", PORT_OPS), ("Liaison Bridge", BRIDGE)):
        add_chat(archive, tmp_path / title, title, messages)
    with archive.begin() as session:
        sync_people(session, PEOPLE)
    with archive.read() as session:
        ids = {text: i for i, text in session.execute(select(Message.id, Message.text))}
    return Corpus(archive, ids)
