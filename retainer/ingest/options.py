"""Choosing how to read an export: its custodian, time zone and channel (DESIGN §4, §8)."""

from __future__ import annotations

from retainer.config import Settings, Source
from retainer.errors import UsageError
from retainer.formats.model import DATE_ORDERS
from retainer.ingest.export import ImportOptions
from retainer.timezones import zone as check_zone


def import_options(settings: Settings, *, custodian: str | None = None,
                   timezone: str | None = None, chat: str | None = None,
                   date_order: str | None = None, channel: str = "device",
                   operator: str | None = None, source: Source | None = None) -> ImportOptions:
    """Options for an export: explicit values first, then the drop folder's, then the
    configuration's.

    The zone is ``timezone``, else the source's, else the custodian's, else the archive
    default (DESIGN §4).

    Raises:
        UsageError: an unknown custodian, time zone, date order or channel.
    """
    if source is not None:
        custodian = custodian or source.custodian
        timezone = timezone or source.timezone
        chat = chat or source.chat
        date_order = date_order or source.date_order
        channel = source.channel
    person = None
    if custodian is not None:
        person = settings.person(custodian)
        if person is None:
            known = ", ".join(p.name for p in settings.people) or "none configured"
            raise UsageError(f"unknown custodian {custodian!r} (people: {known})")
    if channel not in ("device", "official"):
        raise UsageError(f"unknown channel {channel!r} (use device or official)")
    if date_order is not None:
        date_order = date_order.upper()
        if date_order not in DATE_ORDERS:
            raise UsageError(f"unknown date order {date_order!r} (use DMY, MDY or YMD)")
    zone_name = timezone or (person.timezone if person else None) or settings.timezone
    check_zone(zone_name)
    return ImportOptions(custodian=custodian, timezone=zone_name, chat=chat,
                         date_order=date_order, channel=channel, operator=operator,
                         zone_given=timezone is not None)
