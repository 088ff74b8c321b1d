"""Small archives for the engine's edge cases: Dana (Los Angeles) and Marcus (Phoenix) send
from personal phones; official copies arrive as official exports captured at chosen instants.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from retainer.archive.people import sync_people
from retainer.compliance.report import build, summarize
from retainer.config import load_settings
from retainer.ingest.export import ImportOptions
from retainer.ingest.pipeline import import_file
from retainer.retention.filing import file_archive, rulebook_for
from tests.ingest.chats import ANDROID, write_export

CONFIG = """
[archive]
timezone = "{archive_zone}"
[compliance]
window_days = {window}
scope = "{scope}"
[[people]]
name = "Dana Reyes"
custodian = true
aliases = {aliases}
official_accounts = ["dana.reyes@agency.example.gov", "+1 202 555 0190"]
timezone = "{zone}"
[[people]]
name = "Marcus Bell"
custodian = true
aliases = ["Marcus Bell"]
official_accounts = ["marcus.bell@agency.example.gov", "+1 602 555 0199"]
timezone = "America/Phoenix"
[[people]]
name = "Luis Ortega"
aliases = ["Luis Ortega"]
"""
LA = "America/Los_Angeles"


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def local(day: dt.date, time: dt.time, zone: str) -> dt.datetime:
    """A wall-clock time in ``zone``, as a UTC instant."""
    return dt.datetime.combine(day, time, tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


class Case:
    """An archive of chats; device messages, then official copies, then verdicts."""

    def __init__(self, archive, tmp_path, *, zone=LA, archive_zone="UTC", window=20,
                 scope="sent", aliases=("Dana Reyes",)):
        self.archive, self.tmp = archive, tmp_path
        path = tmp_path / "retainer.toml"
        path.write_text(CONFIG.format(zone=zone, archive_zone=archive_zone, window=window,
                                      scope=scope, aliases=list(aliases)).replace("'", '"'))
        self.settings = load_settings(path)
        self.zone = zone
        self.n = 0
        with archive.begin() as session:
            sync_people(session, self.settings.people)

    def export(self, messages, *, channel="device", captured_at=None, name="Port Ops",
               custodian="Dana Reyes", zone=None):
        self.n += 1
        folder = self.tmp / f"export{self.n}"
        folder.mkdir()
        path = write_export(folder / f"WhatsApp Chat with {name}.txt", ANDROID, messages)
        result = import_file(self.archive, path, ImportOptions(
            custodian=custodian, timezone=zone or self.zone, channel=channel,
            captured_at=captured_at, date_order="MDY"))
        assert result.status == "imported", result.reason

    def report(self, as_of, **kwargs):
        file_archive(self.archive, self.settings)
        with self.archive.read() as session:
            return build(session, self.settings, rulebook_for(self.settings), as_of,
                         include_exempt=True, **kwargs)

    def summary(self, as_of):
        with self.archive.read() as session:
            return summarize(session, self.settings, rulebook_for(self.settings), as_of)

    def verdicts(self, as_of):
        """text → (status, days); the texts must be unique (one custodian each)."""
        return {v.text: (v.status, v.days) for v in self.report(as_of).verdicts}

    def by_custodian(self, as_of):
        """(text, custodian) → verdict."""
        return {(v.text, v.custodian): v for v in self.report(as_of).verdicts}
