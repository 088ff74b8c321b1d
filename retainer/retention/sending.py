"""The day a message was sent, as the schedules count it (DESIGN §6, docs/schedules.md §6).

Retention runs from calendar dates in the custodian's time zone, as § 2911 deadlines do (the
archive's default zone when the author is not a custodian): a UTC date, or the wall-clock
date of the phone that exported the chat, can be a day off, and across a cutoff a year early.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from retainer.config import Person
from retainer.people import Directory


class SendingDays:
    """``day(sent_at, author)``: in the author's zone when the author resolves to a custodian
    with one, else in ``default_zone`` (the archive's ``[archive] timezone``)."""

    def __init__(self, people: Iterable[Person], default_zone: str) -> None:
        self._directory = Directory(people)
        self._default = ZoneInfo(default_zone)
        self._zones: dict[str | None, ZoneInfo] = {}  # author → zone

    def day(self, sent_at: datetime, author: str | None) -> date:
        """``sent_at``: the aware UTC instant; ``author`` as the export shows it."""
        zone = self._zones.get(author)
        if zone is None:
            person = self._directory.resolve(author)
            zone = self._zones[author] = (
                ZoneInfo(person.timezone) if person is not None and person.custodian
                and person.timezone else self._default)
        return sent_at.astimezone(zone).date()
