"""Dates typed by people: ``2024-03-14``, ``yesterday``, ``2 weeks ago``, ``March 2019``.

ISO dates and times are read exactly; anything else goes through dateparser, relative to a
given ``now`` so that the same words give the same instant in tests and reports. Used for the
command line's own options (``--since``, ``--until``, ``--as-of``), never per message.

What the words mean (docs/records.md, "Dates"):

* a day (``2024-03-14``, ``14 March 2024``, ``yesterday``): that day — its start, or its end
  for an end-of-period option (``--until``, ``--as-of``);
* a relative phrase (``1 year ago``, ``in 20 years``, ``next month``, ``2 weeks ago``): the
  day that far from today, **keeping the day of the month** (``1 year ago`` on 3 December
  2026 is 3 December 2025), again its start or end;
* a month or a year named without a day (``March 2019``, ``2019``): the whole period — its
  first day for ``--since``, its last day for ``--until`` and ``--as-of``;
* a time (``2024-03-14T10:00``, ``3 hours ago``): that instant.
"""

from __future__ import annotations

import calendar
import datetime as dt
import warnings
from zoneinfo import ZoneInfo

from retainer.errors import UsageError

__all__ = ["parse_day", "parse_when"]


def parse_when(text: str, *, zone: str = "UTC", now: dt.datetime | None = None,
               end_of_day: bool = False) -> dt.datetime:
    """The aware UTC instant ``text`` means, read in ``zone`` (see the module doc).

    A day means its start, or with ``end_of_day`` its last microsecond (so that "until
    2024-03-14" and "as of 2024-03-14" include that whole day); a month or year named without
    a day means its first day, or with ``end_of_day`` the end of its last day.

    Raises:
        UsageError: the text is not a date.
    """
    tz = ZoneInfo(zone)
    now = (now or dt.datetime.now(dt.UTC)).astimezone(tz)
    cleaned = text.strip()
    try:
        parsed = dt.datetime.fromisoformat(cleaned)
        period = "day" if len(cleaned) <= 10 else "time"
    except ValueError:
        parsed, period = _words(cleaned, tz, now)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    if period == "time":
        return parsed.astimezone(dt.UTC)
    first = last = parsed.date()
    if period == "month":
        first = first.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    elif period == "year":
        first, last = first.replace(month=1, day=1), first.replace(month=12, day=31)
    day = last if end_of_day else first
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    if end_of_day:  # the last microsecond of the day, local midnights (DST-safe)
        following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
        return following.astimezone(dt.UTC) - dt.timedelta(microseconds=1)
    return start.astimezone(dt.UTC)


def _words(text: str, tz: ZoneInfo, now: dt.datetime) -> tuple[dt.datetime, str]:
    """(naive local datetime, period: "day", "month", "year" or "time") of words."""
    from dateparser.date import DateDataParser

    # Relative phrases carry the base's time of day, absolute dates midnight: a base whose
    # microsecond no typed date has tells them apart (taken off again below).
    base = now.replace(tzinfo=None)
    bump = dt.timedelta(microseconds=1 if base.microsecond == 0 else 0)
    base += bump
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateparser warns about its own internals
        data = DateDataParser(settings={
            "RELATIVE_BASE": base, "TIMEZONE": str(tz), "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
            "PREFER_MONTH_OF_YEAR": "first"}).get_date_data(text)
        parsed, period = data.date_obj, data.period or "day"
        relative = parsed is not None and parsed.microsecond == base.microsecond
        if relative and period in ("month", "year"):
            # "1 year ago", "next month": the same day of the month, not the 1st.
            data = DateDataParser(settings={
                "RELATIVE_BASE": base, "TIMEZONE": str(tz),
                "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DATES_FROM": "past",
                "PREFER_DAY_OF_MONTH": "current"}).get_date_data(text)
            parsed, period = data.date_obj, "day"
    if relative:
        parsed -= bump
    if parsed is None:
        raise UsageError(f"cannot read the date {text!r} (write YYYY-MM-DD, or words such as "
                         "'yesterday', '2 weeks ago', 'March 2019')")
    if period == "week" or (period == "day" and not _is_moment(text)):
        return parsed, "day"
    return parsed, "time" if _is_moment(text) else period


def _is_moment(text: str) -> bool:
    """Whether words name a moment rather than a day ("2 hours ago" yes, "yesterday" no)."""
    lowered = text.lower()
    return any(unit in lowered for unit in ("hour", "minute", "second", "now", ":"))


def parse_day(text: str, *, zone: str = "UTC", now: dt.datetime | None = None) -> dt.date:
    """The calendar day ``text`` names, in ``zone`` (``2027-01-01``, ``today``, ``next month``),
    for an end-of-period option such as ``--as-of``: a month or a year named without a day
    gives its last day (``March 2030`` → 31 March 2030)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return parse_when(text, zone=zone, now=now, end_of_day=True).astimezone(
            ZoneInfo(zone)).date()
