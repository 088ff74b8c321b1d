"""Dates and times as WhatsApp writes them in message headers, to ISO 8601 local text.

The exact date order of a file is decided once, from the whole file (DESIGN §4): any first
field over 12 means day-first, any second field over 12 means month-first, a four-digit first
field means year-first. A file where every date fits both is refused, never guessed.
Conversion is cached per distinct date and time text, which is what keeps the reader fast.
"""

from __future__ import annotations

import re
from calendar import monthrange

from retainer.formats.model import DateOrder

SPACE = "[ \u00a0\u202f\u2009]"
"""A space in a header: ASCII, no-break, narrow no-break or thin (all seen in real exports)."""

DATE = r"\d{1,4}[./\-\u2011]\d{1,2}[./\-\u2011]\d{1,4}\.?"
"""Three numeric fields with one of ``/ . -`` between them (``\\d`` also takes Arabic-Indic)."""

AMPM = rf"(?:[AaPp]\.?{SPACE}?[Mm]\.?|ص|م)"
"""12-hour markers: AM, am, a.m., a. m., p. m., and Arabic ص (morning) / م (evening)."""

TIME = rf"\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?(?:{SPACE}?{AMPM})?"

BETWEEN = rf"[,\u060c]?{SPACE}+(?:[^\W\d_]{{1,5}}\.?{SPACE}+)?"
"""What separates date and time: a comma (or an Arabic comma), spaces, maybe one short word
(French ``à``, Finnish ``klo``)."""

_DATE_PARTS = re.compile(r"(\d+)[./\-\u2011](\d+)[./\-\u2011](\d+)")
_TIME_PARTS = re.compile(rf"(\d+)[:.](\d+)(?:[:.](\d+))?{SPACE}?({AMPM})?")
_PM = frozenset("Pp") | {"م"}


class DateError(ValueError):
    """A date or time that is not valid (the message is safe to show: it is header text)."""


def date_fields(text: str) -> tuple[str, str, str]:
    m = _DATE_PARTS.match(text)
    if m is None:  # pragma: no cover - the header grammar only lets matching text through
        raise DateError(f"cannot read date {text!r}")
    return m.group(1, 2, 3)


def order_evidence(text: str) -> DateOrder | None:
    """The date order one header date proves on its own, or None if it fits several."""
    first, second, _ = date_fields(text)
    if len(first) == 4:
        return "YMD"
    if int(first) > 12:
        return "DMY"
    if int(second) > 12:
        return "MDY"
    return None


def iso_date(text: str, order: DateOrder) -> str:
    """``14/03/24`` in DMY → ``2024-03-14``.

    Raises:
        DateError: the fields do not make a calendar date in that order.
    """
    a, b, c = date_fields(text)
    if order == "DMY":
        day, month, year = a, b, c
    elif order == "MDY":
        month, day, year = a, b, c
    else:
        year, month, day = a, b, c
    y, m, d = int(year), int(month), int(day)
    if len(year) <= 2:
        y += 2000  # WhatsApp exists since 2009: a two-digit year is 20YY.
    elif len(year) != 4:
        raise DateError(f"date {text!r} has no valid year in {order} order")
    if not 1 <= m <= 12 or not 1 <= d <= monthrange(y, m)[1]:
        raise DateError(f"date {text!r} is not a valid date in {order} order")
    return f"{y:04d}-{m:02d}-{d:02d}"


def iso_time(text: str) -> str:
    """``10:22 PM`` → ``22:22``; ``9.05.31`` → ``09:05:31``; 12 AM is 00h.

    Raises:
        DateError: hours, minutes or seconds out of range.
    """
    m = _TIME_PARTS.match(text)
    if m is None:  # pragma: no cover - guarded by the header grammar
        raise DateError(f"cannot read time {text!r}")
    hours, minutes, seconds, marker = m.groups()
    h, mi = int(hours), int(minutes)
    if marker:
        if not 1 <= h <= 12:
            raise DateError(f"time {text!r} has an hour outside 1–12")
        pm = marker[0] in _PM
        h = (0 if h == 12 else h) + (12 if pm else 0)
    if h > 23 or mi > 59:
        raise DateError(f"time {text!r} is not a valid time")
    if seconds is None:
        return f"{h:02d}:{mi:02d}"
    s = int(seconds)
    if s > 59:
        raise DateError(f"time {text!r} is not a valid time")
    return f"{h:02d}:{mi:02d}:{s:02d}"
