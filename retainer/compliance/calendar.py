"""Custodians' calendars as a temporary table, so that SQL can tell a message's local day and
its deadline in any time zone on SQLite and PostgreSQL alike.

One row per zone and local day: the day's number (``date.toordinal()``) and the UTC instants
its midnight starts and ends. A message's local day is the row whose span holds its instant;
its deadline ends where day + window + 1 starts (DESIGN §5: end of the 20th calendar day after
the day the message was sent, in the custodian's zone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, insert
from sqlalchemy.engine import Connection

from retainer.archive.types import UTCDateTime

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
                   Column("today", Integer, nullable=False),
                   prefixes=["TEMPORARY"])
categories = Table("tmp_categories", TEMPORARY,
                   Column("schedule_id", String(64), nullable=False),
                   Column("code", String(100), nullable=False),
                   Column("record", Boolean, nullable=False),
                   prefixes=["TEMPORARY"])
stretches = Table("tmp_stretches", TEMPORARY,
                  Column("chat_id", Integer, nullable=False),
                  Column("person", String(200), nullable=False),
                  Column("since", UTCDateTime(), nullable=False),
                  Column("until", UTCDateTime()),
                  Index("tmp_stretches_chat", "chat_id", "person"),
                  prefixes=["TEMPORARY"])


def create(conn: Connection) -> None:
    """(Re)create the temporary tables on this connection; they vanish with it (PostgreSQL:
    with the transaction)."""
    for table in reversed(TEMPORARY.sorted_tables):
        table.drop(conn, checkfirst=True)
    for table in TEMPORARY.sorted_tables:
        table.create(conn)


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
