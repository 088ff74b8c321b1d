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

Numbers alone are never guessed at (DESIGN §4): a date written in digits must start with its
four-digit year (``2024-03-14``, ``2024/3/14``, ``2024.03``); ``01/03/2019``, ``01-12``,
``1.3``, ``1 3 2019``, a bare number (``-1``) or a bare ordinal (``3rd``) is refused
(``numeric_date``, shared with ``retainer.search.dates``). So is a date outside the years 1
to 9999, or too close to either end (``--until 9999-12-31``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import warnings
from zoneinfo import ZoneInfo

from retainer.errors import UsageError

__all__ = ["ACCEPTED", "date_label", "numeric_date", "out_of_range", "parse_day",
           "parse_when", "refuse_ambiguous_words"]

ACCEPTED = ("give YYYY-MM-DD (e.g. 2019-03-01, or 2019-03-01T10:00), a month or day in words "
            "(\"March 2019\", \"3 March 2019\") or a relative date (\"yesterday\", "
            "\"2 weeks ago\")")
"""The forms a date option takes, for error messages."""

_YEAR_FIRST_RE = re.compile(
    r"^(?P<year>\d{4})(?:(?P<sep>[/.\- ])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2})"
    r"(?:[T ]\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?)?)?$", re.I)
"""Digits that start with a four-digit year: ``2019``, ``2019/03``, ``2019.3.1``,
``2019/03/01 10:00`` (year, month, day: no other order starts with the year)."""
_DIGITS_ONLY_RE = re.compile(r"^[\d\s/.,:+\-]*$")
"""A date with no word in it: only digits and separators."""
_TIME_ONLY_RE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
"""A time of day alone (``10:00``: today at 10:00), which has one reading."""
_ORDINAL_RE = re.compile(r"^(?:the\s+)?\d+(?:st|nd|rd|th)$", re.I)
_TIME_OF_DAY_RE = re.compile(r"^\d{1,2}(?::\d{2}){0,2}\s*(?:[ap]\.?m\.?)?$", re.I)
"""A time alone, ``10:00`` or ``10am``: today at that time."""
_QUARTER_RE = re.compile(r"\bq[1-4]\b|\bquarter\b", re.I)
_NUMBERS_IN_WORDS_RE = re.compile(
    r"(?<![\d/.\-])\d{1,2}\s*[/.\-]\s*\d{1,2}(?![\d:])|(?<!\d)\d{1,2}\s+\d{1,2}\s+\d{4}")
"""Two small numbers side by side in words ("01/03 10am", "1 3 2019 pm"): day and month
in an unknown order."""
_SMALL_NUMBERS_RE = re.compile(r"^(\d{1,2})([/.\-]|\s+)(\d{1,2})(?:\2(\d+))?(?!\d)")


def date_label(text: str, option: str | None) -> str:
    """``--until '01-12'``, or ``'01-12'`` when the option is not known, for messages."""
    return f"{option} {text!r}" if option else repr(text)


def out_of_range(text: str, option: str | None) -> UsageError:
    # The first and last days are refused as well: in some zones their start or end is
    # outside what a datetime holds, and an --until or --as-of ends after its day.
    return UsageError(f"{date_label(text, option)} is out of range: give a date from "
                      "0001-01-02 to 9999-12-30")


def numeric_date(text: str, option: str | None = None) -> tuple[dt.datetime, str] | None:
    """A date written in digits alone, as (naive datetime, period: "year", "month", "day",
    "minute" or "second"); None if ``text`` has words in it or is a time of day alone.

    Raises:
        UsageError: digits that do not start with a four-digit year (``01/03/2019``,
            ``01-12``, ``1.3``, ``1 3 2019``, ``-1``): which is the day and which the month
            cannot be told, so nothing is guessed. (Words are ``refuse_ambiguous_words``'s.)
    """
    cleaned = text.strip()
    label = date_label(text, option)
    shape = _YEAR_FIRST_RE.match(cleaned)
    if shape is None:
        if not _DIGITS_ONLY_RE.match(cleaned) or _TIME_ONLY_RE.match(cleaned):
            return None
        raise UsageError(_numeric_refusal(cleaned, label))
    parts = {k: int(v) for k, v in shape.groupdict().items() if v and k != "sep"}
    try:
        when = dt.datetime(parts["year"], parts.get("month", 1), parts.get("day", 1),
                           parts.get("hour", 0), parts.get("minute", 0),
                           parts.get("second", 0))
    except ValueError:
        raise UsageError(f"{label} is not a date (the year comes first, then the month and "
                         f"the day); {ACCEPTED}") from None
    period = ("second" if "second" in parts else "minute" if "minute" in parts
              else "day" if "day" in parts else "month" if "month" in parts else "year")
    return when, period


def refuse_ambiguous_words(text: str, option: str | None = None) -> None:
    """Refuse a day and a month in digits among words ("01/03 10am": an unknown order), a
    bare ordinal ("the 3rd") and a quarter ("Q1 2019", which dateparser reads as its first
    day)."""
    cleaned = text.strip()
    if _QUARTER_RE.search(cleaned):
        raise UsageError(f"{date_label(text, option)}: quarters are not read as dates; "
                         "give a day instead (a quarter's first or last, e.g. 2019-01-01 or "
                         "2019-03-31)")
    if _ORDINAL_RE.match(cleaned):
        raise UsageError(f"{date_label(text, option)}: a day of the month alone is not a "
                         f"date; {ACCEPTED}")
    if _NUMBERS_IN_WORDS_RE.search(cleaned):
        raise UsageError(_numeric_refusal(cleaned, date_label(text, option)))


def _numeric_refusal(cleaned: str, label: str) -> str:
    """What is wrong with digits that do not start with a four-digit year, and how to write
    the date."""
    pair = _SMALL_NUMBERS_RE.match(cleaned)
    if pair is not None:
        first, second, year = int(pair.group(1)), int(pair.group(3)), pair.group(4)
        if year is not None and len(year) != 4:
            return f"{label}: a year must have four digits and come first; {ACCEPTED}"
        if first <= 12 and second <= 12 and first != second:
            year = year or "YYYY"
            return (f"{label} could be day/month or month/day: write it as YYYY-MM-DD "
                    f"({year}-{second:02d}-{first:02d} if the day comes first, "
                    f"{year}-{first:02d}-{second:02d} if the month does)")
    return (f"{label}: a date in digits must start with its four-digit year "
            f"(YYYY-MM-DD); {ACCEPTED}")


def parse_when(text: str, *, zone: str = "UTC", now: dt.datetime | None = None,
               end_of_day: bool = False, option: str | None = None) -> dt.datetime:
    """The aware UTC instant ``text`` means, read in ``zone`` (see the module doc).

    A day means its start, or with ``end_of_day`` its last microsecond (so that "until
    2024-03-14" and "as of 2024-03-14" include that whole day); a month or year named without
    a day means its first day, or with ``end_of_day`` the end of its last day. ``option``
    (``--since``, ``--as-of``) names the date in error messages.

    Raises:
        UsageError: the text is not a date, is a numeric date that could be read two ways,
            or lies outside the years 1 to 9999.
    """
    try:
        return _parse_when(text, zone=zone, now=now, end_of_day=end_of_day, option=option)
    except (OverflowError, ValueError):
        raise out_of_range(text, option) from None


def _parse_when(text: str, *, zone: str, now: dt.datetime | None, end_of_day: bool,
                option: str | None) -> dt.datetime:
    tz = ZoneInfo(zone)
    now = (now or dt.datetime.now(dt.UTC)).astimezone(tz)
    cleaned = text.strip()
    try:
        parsed = dt.datetime.fromisoformat(cleaned)
        period = "day" if len(cleaned) <= 10 else "time"
    except ValueError:
        numeric = numeric_date(cleaned, option)
        if numeric is not None:
            parsed, period = numeric
            period = "time" if period in ("minute", "second") else period
        else:
            refuse_ambiguous_words(cleaned, option)
            if _TIME_OF_DAY_RE.match(cleaned):  # dateparser would put "10:00" in January
                cleaned = f"today {cleaned}"
            parsed, period = _words(cleaned, tz, now, option)
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


def _words(text: str, tz: ZoneInfo, now: dt.datetime,
           option: str | None = None) -> tuple[dt.datetime, str]:
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
        raise UsageError(f"{date_label(text, option)} is not a date; {ACCEPTED}")
    if period == "week" or (period == "day" and not _is_moment(text)):
        return parsed, "day"
    return parsed, "time" if _is_moment(text) else period


def _is_moment(text: str) -> bool:
    """Whether words name a moment rather than a day ("2 hours ago" yes, "yesterday" no)."""
    lowered = text.lower()
    return any(unit in lowered for unit in ("hour", "minute", "second", "now", ":")) or bool(
        re.search(r"\d\s*[ap]\.?m\b", lowered))


def parse_day(text: str, *, zone: str = "UTC", now: dt.datetime | None = None,
              option: str | None = None) -> dt.date:
    """The calendar day ``text`` names, in ``zone`` (``2027-01-01``, ``today``, ``next month``),
    for an end-of-period option such as ``--as-of``: a month or a year named without a day
    gives its last day (``March 2030`` → 31 March 2030).

    Raises:
        UsageError: as ``parse_when``; also for 0001-01-01 and 9999-12-31, the first and
            last days there are, which a report could not count a day before or past.
    """
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        day = parse_when(text, zone=zone, now=now, end_of_day=True, option=option).astimezone(
            ZoneInfo(zone)).date()
    if day in (dt.date.min, dt.date.max):
        raise out_of_range(text, option)
    return day
