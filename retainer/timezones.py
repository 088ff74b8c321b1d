"""Wall-clock text → UTC, one export at a time, in one IANA time zone (DESIGN §4).

Exports carry local times without a zone. A local time that occurs twice (clocks going back)
is resolved by message order: the earlier instant, unless the message before it is already
later, in which case the second occurrence. A local time that never occurred (clocks going
forward) is read with the offset in force before the change and flagged ``impossible``.
Offsets are cached per local hour, so converting a million messages costs a dictionary lookup
and a subtraction each.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from retainer.errors import UsageError

AMBIGUOUS = "ambiguous"
IMPOSSIBLE = "impossible"


def zone(name: str) -> ZoneInfo:
    """The IANA zone, or a UsageError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {name!r} (use an IANA name such as "
                         "America/Los_Angeles)") from None


class LocalClock:
    """Converts the local times of one export, in file order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.zone = zone(name)
        self._hours: dict[str, dt.timedelta | None] = {}
        self.last: dt.datetime | None = None
        """The previous message's UTC instant (naive UTC)."""

    def to_utc(self, local: str) -> tuple[dt.datetime, str | None]:
        """(naive UTC datetime, flag) of ``YYYY-MM-DDTHH:MM[:SS]`` local text; flag is None,
        ``ambiguous`` or ``impossible``."""
        naive = dt.datetime.fromisoformat(local)
        hour = local[:13]
        offset = self._hours.get(hour, _UNKNOWN)
        if offset is _UNKNOWN:
            offset = self._hours[hour] = self._steady_offset(naive)
        if offset is not None:
            utc, flag = naive - offset, None
        else:
            utc, flag = self._resolve(naive)
        self.last = utc
        return utc, flag

    def _steady_offset(self, naive: dt.datetime) -> dt.timedelta | None:
        """The hour's single UTC offset, or None when the hour holds a change of offset."""
        start = naive.replace(minute=0, second=0)
        end = start.replace(minute=59, second=59)
        offsets = {t.replace(tzinfo=self.zone, fold=f).utcoffset()
                   for t in (start, end) for f in (0, 1)}
        return offsets.pop() if len(offsets) == 1 else None

    def _resolve(self, naive: dt.datetime) -> tuple[dt.datetime, str | None]:
        first = naive.replace(tzinfo=self.zone, fold=0)
        second = naive.replace(tzinfo=self.zone, fold=1)
        early = naive - first.utcoffset()
        late = naive - second.utcoffset()
        if early == late:
            return early, None
        back = early.replace(tzinfo=dt.UTC).astimezone(self.zone).replace(tzinfo=None)
        if back != naive:
            return early, IMPOSSIBLE  # a time the clocks skipped
        early, late = min(early, late), max(early, late)
        if self.last is not None and early < self.last:
            return late, AMBIGUOUS
        return early, AMBIGUOUS


_UNKNOWN = dt.timedelta(days=-999)
