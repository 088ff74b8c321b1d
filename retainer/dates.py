"""Dates typed by people: ``2024-03-14``, ``yesterday``, ``2 weeks ago``, ``March 2019``.

ISO dates and times are read exactly; anything else goes through dateparser, relative to a
given ``now`` so that the same words give the same instant in tests and reports. Used for the
command line's own options (``--since``, ``--until``, ``--as-of``), never per message.
"""

from __future__ import annotations

import datetime as dt
import warnings
from zoneinfo import ZoneInfo

from retainer.errors import UsageError


def parse_when(text: str, *, zone: str = "UTC", now: dt.datetime | None = None,
               end_of_day: bool = False) -> dt.datetime:
    """The aware UTC instant ``text`` means, read in ``zone``.

    A bare date means its start, or with ``end_of_day`` its last microsecond (so that "until
    2024-03-14" and "as of 2024-03-14" include that whole day).

    Raises:
        UsageError: the text is not a date.
    """
    tz = ZoneInfo(zone)
    now = (now or dt.datetime.now(dt.UTC)).astimezone(tz)
    cleaned = text.strip()
    try:
        parsed = dt.datetime.fromisoformat(cleaned)
        date_only = len(cleaned) <= 10
    except ValueError:
        parsed, date_only = _words(cleaned, tz, now), _is_day(cleaned)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    if date_only:
        parsed = parsed.replace(hour=0, minute=0, second=0, microsecond=0)
        if end_of_day:
            parsed = parsed + dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    return parsed.astimezone(dt.UTC)


def _words(text: str, tz: ZoneInfo, now: dt.datetime) -> dt.datetime:
    import dateparser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateparser warns about its own internals
        parsed = dateparser.parse(text, settings={
            "RELATIVE_BASE": now.replace(tzinfo=None), "TIMEZONE": str(tz),
            "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DATES_FROM": "past",
            "PREFER_DAY_OF_MONTH": "first"})
    if parsed is None:
        raise UsageError(f"cannot read the date {text!r} (write YYYY-MM-DD, or words such as "
                         "'yesterday', '2 weeks ago', 'March 2019')")
    return parsed


def _is_day(text: str) -> bool:
    """Whether words name a day rather than a moment ("yesterday" yes, "2 hours ago" no)."""
    lowered = text.lower()
    return not any(unit in lowered for unit in ("hour", "minute", "second", "now", ":"))


def parse_day(text: str, *, zone: str = "UTC", now: dt.datetime | None = None) -> dt.date:
    """The calendar day ``text`` names, in ``zone`` (``2027-01-01``, ``today``, ``next month``)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return parse_when(text, zone=zone, now=now).astimezone(ZoneInfo(zone)).date()
