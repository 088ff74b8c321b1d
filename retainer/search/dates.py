"""``--since`` and ``--until``: ISO dates and plain words ("March 2019", "2 weeks ago").

A date names a period: ``2019-03-01`` (or ``20190301``) a day, ``March 2019`` a month, ``2019``
a year, ``2019-03-01T10`` an hour, ``2019-03-01T10:00`` a minute, ``…T10:00:05`` a second.
``--since`` starts at the beginning of the period and ``--until`` ends at its end, so
``--since 2019-03-01 --until 2019-03-01`` is that whole day and ``--until 2019-03-01T10:00``
keeps the messages of 10:00. Relative dates count back from ``now`` and name a day ("yesterday",
"2 weeks ago", "3 months ago"), or an instant when they count hours, minutes or seconds
("3 hours ago"); "last month" and "last year" name that month or year. Dates without a zone are
read in the zone given (the archive's, ``[archive] timezone``).

Nothing ambiguous is guessed (DESIGN §4: a silently wrong date makes a wrong answer): a date
in digits must start with its four-digit year (``2019-03-01``, ``2019/3/1``, ``2019.03``);
``01/03/2019`` (1 March or 3 January?), ``13/03/2019``, ``01-12``, ``1.3``, ``1 3 2019``, a
two-digit year, a bare number (``-1``) or ordinal (``3rd``), and quarters ("Q1 2019") are usage
errors that name the option and say how to write the date (``retainer.dates.numeric_date``,
which ``hold add`` and ``--as-of`` share). So are dates out of range (``--until 9999-12-31``).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from zoneinfo import ZoneInfo

from retainer.dates import ACCEPTED, date_label, numeric_date, out_of_range, refuse_ambiguous_words
from retainer.errors import UsageError

_LEADING_WORD_RE = re.compile(r"^\s*(since|from|after|until|till|to|before)\s+", re.I)
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*$")
_ISO_TIME_RE = re.compile(
    r"^\d{4}-?\d{2}-?\d{2}[T ](?P<hour>\d{2})(?P<minute>:?\d{2})?(?P<second>:?\d{2})?"
    r"(?P<fraction>[.,]\d+)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$", re.I)
"""An ISO instant, to tell how precise it is."""
_RELATIVE_RE = re.compile(r"\bago\b|^\s*in\s+(\d|an?\b)|\b(yesterday|today|tomorrow|now)\b",
                          re.I)
_PRECISION = {"hour": dt.timedelta(hours=1), "minute": dt.timedelta(minutes=1),
              "second": dt.timedelta(seconds=1), "microsecond": dt.timedelta(microseconds=1),
              "instant": dt.timedelta(0)}
"""How long each precision lasts: ``--until`` ends at the end of it ("instant": a relative
time, "3 hours ago", which ends where it starts)."""


def parse_date(text: str, *, end: bool, now: dt.datetime, zone: str = "UTC",
               option: str | None = None) -> dt.datetime:
    """The instant ``text`` starts (``end=False``, for ``--since``) or ends (``end=True``, for
    ``--until``: the first instant after the period) as an aware UTC datetime.

    Args:
        now: the aware "now" relative dates count from (tests pass a fixed one).
        zone: IANA zone for dates that name none.
        option: the option named in errors (default ``--until`` if ``end``, else ``--since``).

    Raises:
        UsageError: the text is not a date, is ambiguous (see the module docstring) or is out
            of range.
    """
    option = option or ("--until" if end else "--since")
    try:
        return _parse_date(text, end=end, now=now, zone=zone, option=option)
    except (OverflowError, ValueError):
        raise out_of_range(text, option) from None


def _parse_date(text: str, *, end: bool, now: dt.datetime, zone: str,
                option: str) -> dt.datetime:
    tz = ZoneInfo(zone)
    cleaned = _LEADING_WORD_RE.sub("", text).strip()
    start, period = _parse(cleaned, now.astimezone(tz), tz, text, option)
    if period in _PRECISION:
        start = start.astimezone(dt.UTC)
        return start + _PRECISION[period] if end else start
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


def _parse(cleaned: str, now: dt.datetime, tz: ZoneInfo, original: str,
           option: str) -> tuple[dt.datetime, str]:
    """(a datetime in the period, the period: year, month, day, or a precision)."""
    if not cleaned:
        raise UsageError(f"{option}: the date is empty; {ACCEPTED}")
    if year := _YEAR_RE.match(cleaned):
        return dt.datetime(int(year.group(1)), 1, 1, tzinfo=tz), "year"
    iso = _iso(cleaned, tz)
    if iso is not None:
        return iso
    numeric = numeric_date(cleaned, option)  # refuses digits that do not start with a year
    if numeric is not None:
        when, period = numeric
        return when.replace(tzinfo=tz), period
    refuse_ambiguous_words(cleaned, option)
    relative = _RELATIVE_RE.search(cleaned) is not None
    found = _dateparser(cleaned, now, relative=relative)
    if found is None:
        raise UsageError(f"{date_label(original, option)} is not a date; {ACCEPTED}")
    when, period = found
    when = when.astimezone(tz) if when.tzinfo else when.replace(tzinfo=tz)
    if period == "time":
        # "3 hours ago" counts from now, to the second: an instant. A time written out
        # ("1 March 2019 10:00") names its minute, or its second.
        period = "instant" if relative else ("minute" if when.second == 0 else "second")
    elif period in ("week", "quarter") or relative:
        period = "day"  # "2 weeks ago", "3 months ago", "last week": that day
    return when, period


def _iso(cleaned: str, tz: ZoneInfo) -> tuple[dt.datetime, str] | None:
    """An ISO date (a day) or date and time (as precise as written), or None."""
    try:
        day = dt.date.fromisoformat(cleaned)  # 2019-03-01, 20190301
    except ValueError:
        pass
    else:
        return dt.datetime(day.year, day.month, day.day, tzinfo=tz), "day"
    try:
        parsed = dt.datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    shape = _ISO_TIME_RE.match(cleaned)
    if shape is None or shape.group("fraction"):
        return parsed, "microsecond"
    precision = "second" if shape.group("second") else (
        "minute" if shape.group("minute") else "hour")
    return parsed, precision


def _dateparser(text: str, now: dt.datetime, *,
                relative: bool) -> tuple[dt.datetime, str] | None:
    with warnings.catch_warnings():
        # dateparser's dependencies warn about their own deprecations on import and use.
        warnings.simplefilter("ignore")
        from dateparser.date import DateDataParser

        settings = {"RETURN_TIME_AS_PERIOD": True, "RELATIVE_BASE": now.replace(tzinfo=None),
                    "PREFER_DATES_FROM": "past"}
        if not relative:  # "March 2019" is read as its first day ("3 months ago" is not)
            settings["PREFER_DAY_OF_MONTH"] = "first"
        parser = DateDataParser(languages=["en"], settings=settings)
        data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj, data.period or "day"
