"""The report's moment, and custodians' calendars as temporary tables, so that SQL can tell a
message's local day and its deadline in any time zone on SQLite and PostgreSQL alike.

One row per zone and local day: the day's number (``date.toordinal()``) and the UTC instants
its midnight starts and ends. A message's local day is the row whose span holds its instant;
its deadline ends where day + window + 1 starts (DESIGN §5: end of the 20th calendar day after
the day the message was sent, in the custodian's zone).

The engine's intermediate results are temporary tables too (``subject``, ``verdicts``): each
stage is one ``INSERT … SELECT``, indexed for the next, so that both databases plan every
stage as a handful of scans and index probes, whatever the archive's size.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, insert, text
from sqlalchemy.engine import Connection

from retainer.archive.types import UTCDateTime


@dataclasses.dataclass(frozen=True)
class AsOf:
    """The moment a report is as of: an instant, or a whole calendar day.

    A day (``day`` set) means the end of that day **in each custodian's own zone** (DESIGN §5
    counts calendar days in the custodian's zone), so that a report "as of 23 November" gives
    the same verdicts at any instant of that day, wherever it runs. ``instant`` is then the end
    of the day in the archive's zone: what the report shows as its moment, and the cut-off
    for messages that are nobody's obligation (exempt ones). An instant (``day`` None) is one
    moment for everybody.
    """

    instant: dt.datetime
    day: dt.date | None = None

    @classmethod
    def of(cls, value: AsOf | dt.datetime) -> AsOf:
        return value if isinstance(value, AsOf) else cls(value.astimezone(dt.UTC))

    def in_zone(self, zone: str) -> dt.datetime:
        """The last instant the report covers for a custodian in ``zone``."""
        if self.day is None:
            return self.instant
        return midnight(self.day + dt.timedelta(days=1), ZoneInfo(zone)) - dt.timedelta(
            microseconds=1)

    def today(self, zone: str) -> dt.date:
        """The report's calendar day in ``zone`` (days left and overdue count from it)."""
        return self.day if self.day is not None else local_day(self.instant, zone)


TEMPORARY = MetaData()
zone_days = Table("tmp_zone_days", TEMPORARY,
                  Column("zone", String(64), nullable=False),
                  Column("day", Integer, nullable=False),
                  Column("starts", UTCDateTime(), nullable=False),
                  Column("ends", UTCDateTime(), nullable=False),
                  Index("tmp_zone_days_starts", "zone", "starts"),
                  Index("tmp_zone_days_day", "zone", "day"),
                  prefixes=["TEMPORARY"])
custodians = Table("tmp_custodians", TEMPORARY,
                   Column("person", String(200), primary_key=True),
                   Column("zone", String(64), nullable=False),
                   Column("as_of", UTCDateTime(), nullable=False),
                   Column("today", Integer, nullable=False),
                   prefixes=["TEMPORARY"])
"""Per custodian: the zone, the last instant the report covers (``AsOf.in_zone``) and the
report's day number there; every comparison with the report's moment reads this row."""
categories = Table("tmp_categories", TEMPORARY,
                   Column("schedule_id", String(64), nullable=False),
                   Column("code", String(100), nullable=False),
                   Column("record", Boolean, nullable=False),
                   Index("tmp_categories_code", "schedule_id", "code"),
                   prefixes=["TEMPORARY"])
stretches = Table("tmp_stretches", TEMPORARY,
                  Column("chat_id", Integer, nullable=False),
                  Column("person", String(200), nullable=False),
                  Column("since", UTCDateTime(), nullable=False),
                  Column("since_id", Integer, nullable=False),
                  Column("until", UTCDateTime()),
                  Column("until_id", Integer),
                  Index("tmp_stretches_chat", "chat_id", "person"),
                  prefixes=["TEMPORARY"])
notices = Table("tmp_notices", TEMPORARY,
                Column("notice_id", Integer, primary_key=True, autoincrement=False),
                Column("original_id", Integer, nullable=False),
                prefixes=["TEMPORARY"])
"""Deletion notices that stand for a message captured before them (``deleted_after_capture``
events): the notice is not judged, the original is."""
subject = Table("tmp_subject", TEMPORARY,
                Column("id", Integer, nullable=False),
                Column("custodian", String(200), nullable=False),
                Column("chat_id", Integer, nullable=False),
                Column("sent_at", UTCDateTime(), nullable=False),
                Column("kind", String(32), nullable=False),
                Column("category", String(100)),
                Column("how", String(16), nullable=False),
                Column("zone", String(64), nullable=False),
                Column("as_of", UTCDateTime(), nullable=False),
                Column("today", Integer, nullable=False),
                Column("sent_day", Integer),
                Index("tmp_subject_id", "id", "custodian"),
                prefixes=["TEMPORARY"])
"""One row per (subject message, custodian) the report covers."""
verdicts = Table("tmp_verdicts", TEMPORARY,
                 Column("id", Integer, nullable=False),
                 Column("custodian", String(200), nullable=False),
                 Column("chat_id", Integer, nullable=False),
                 Column("sent_at", UTCDateTime(), nullable=False),
                 Column("kind", String(32), nullable=False),
                 Column("category", String(100)),
                 Column("how", String(16), nullable=False),
                 Column("as_of", UTCDateTime(), nullable=False),
                 Column("deadline_end", UTCDateTime(), nullable=False),
                 Column("first_complete", UTCDateTime()),
                 Column("first_any", UTCDateTime()),
                 Column("copied_by", Integer),
                 Column("status", String(16), nullable=False),
                 Column("days", Integer, nullable=False),
                 Index("tmp_verdicts_id", "id", "custodian"),
                 Index("tmp_verdicts_status", "custodian", "status"),
                 prefixes=["TEMPORARY"])
"""The engine's result: one row per (subject message, custodian) with its status."""


def create(conn: Connection) -> None:
    """(Re)create the temporary tables on this connection; they vanish with it (and, the
    archive's reads being rolled back, with the read)."""
    for table in reversed(TEMPORARY.sorted_tables):
        table.drop(conn, checkfirst=True)
    for table in TEMPORARY.sorted_tables:
        table.create(conn)


def analyze(conn: Connection, table: Table) -> None:
    """Give PostgreSQL's planner the size of a temporary table just filled (autovacuum never
    analyses temporary tables); SQLite plans from its indexes alone."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"ANALYZE {table.name}"))


def midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(dt.UTC)


def fill_days(conn: Connection, zones: Iterable[str], first: dt.date, last: dt.date) -> None:
    """Rows for every zone and every local day from ``first`` to ``last``."""
    rows = []
    for name in set(zones):
        zone = ZoneInfo(name)
        day = first
        start = midnight(day, zone)
        while day <= last:
            following = day + dt.timedelta(days=1)
            end = midnight(following, zone)
            rows.append({"zone": name, "day": day.toordinal(), "starts": start, "ends": end})
            day, start = following, end
    for i in range(0, len(rows), 5000):
        conn.execute(insert(zone_days), rows[i:i + 5000])


def local_day(instant: dt.datetime, zone: str) -> dt.date:
    return instant.astimezone(ZoneInfo(zone)).date()
