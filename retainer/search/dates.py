"""``--since`` and ``--until``: ISO dates and plain words ("March 2019", "2 weeks ago").

A date names a period: ``2019-03-01`` a day, ``March 2019`` a month, ``2019`` a year,
``2019-03-01T10:00`` an instant. ``--since`` starts at the beginning of the period and
``--until`` ends at its end, so ``--since 2019-03-01 --until 2019-03-01`` is that whole day.
Relative dates ("yesterday", "2 weeks ago") name a day. Dates without a zone are read in the
zone given (the archive's, ``[archive] timezone``); relative ones count back from ``now``.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from zoneinfo import ZoneInfo

from retainer.errors import UsageError

_LEADING_WORD_RE = re.compile(r"^\s*(since|from|after|until|till|to|before)\s+", re.I)
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*$")


def parse_date(text: str, *, end: bool, now: dt.datetime, zone: str = "UTC") -> dt.datetime:
    """The instant ``text`` starts (``end=False``, for ``--since``) or ends (``end=True``, for
    ``--until``: the first instant after the period) as an aware UTC datetime.

    Args:
        now: the aware "now" relative dates count from (tests pass a fixed one).
        zone: IANA zone for dates that name none.

    Raises:
        UsageError: the text is not a date.
    """
    tz = ZoneInfo(zone)
    cleaned = _LEADING_WORD_RE.sub("", text).strip()
    start, period = _parse(cleaned, now.astimezone(tz), tz, text)
    if period == "time":
        return start.astimezone(dt.UTC)
    day = start.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "year":
        day = day.replace(month=1, day=1)
        stop = day.replace(year=day.year + 1)
    elif period == "month":
        day = day.replace(day=1)
        stop = (day + dt.timedelta(days=32)).replace(day=1)
    else:
        stop = day + dt.timedelta(days=1)
    # Local midnights, so that a day across a DST change is still that day.
    chosen = stop if end else day
    return chosen.replace(tzinfo=None).replace(tzinfo=tz).astimezone(dt.UTC)


def _parse(cleaned: str, now: dt.datetime, tz: ZoneInfo,
           original: str) -> tuple[dt.datetime, str]:
    if not cleaned:
        raise UsageError("a date is empty (give e.g. 2019-03-01, \"March 2019\" or "
                         "\"2 weeks ago\")")
    if year := _YEAR_RE.match(cleaned):
        return dt.datetime(int(year.group(1)), 1, 1, tzinfo=tz), "year"
    try:
        parsed = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        parsed = None
    if parsed is not None:
        is_day = len(cleaned) == 10  # YYYY-MM-DD
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=tz)
        return parsed, "day" if is_day else "time"
    found = _dateparser(cleaned, now)
    if found is None:
        raise UsageError(f"cannot read {original!r} as a date (give e.g. 2019-03-01, "
                         "\"March 2019\" or \"2 weeks ago\")")
    when, period = found
    when = when.astimezone(tz) if when.tzinfo else when.replace(tzinfo=tz)
    return when, "day" if period == "week" else period


def _dateparser(text: str, now: dt.datetime) -> tuple[dt.datetime, str] | None:
    with warnings.catch_warnings():
        # dateparser's dependencies warn about their own deprecations on import and use.
        warnings.simplefilter("ignore")
        from dateparser.date import DateDataParser

        parser = DateDataParser(languages=["en"], settings={
            "RETURN_TIME_AS_PERIOD": True, "RELATIVE_BASE": now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"})
        data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj, data.period or "day"
