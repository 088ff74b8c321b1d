"""Eligibility dates: cutoff plus retention (DESIGN.md §6, docs/schedules.md §6).

Pure functions on calendar dates. ``sent`` is the day the message was sent in the custodian's
time zone (the archive's default zone when the author is not a custodian); the caller converts
the UTC instant (``retainer.retention.sending``), because a UTC date can be a day off. A
``datetime`` is refused for that reason.

Date arithmetic, chosen to never report a record eligible early:

* A retention of N years *ends* on the same month and day N years after the cutoff date —
  29 February becomes 28 February in a year without one — and the record is eligible from the
  **following day**. So 31 December 2024 + 7 years ends 31 December 2031: eligible from
  1 January 2032. (Only ``cutoff = "none"`` can start on 29 February: 29 February 2024 +
  1 year ends 28 February 2025, eligible from 1 March 2025, 366 days after it was sent.)
* A retention of N days ends N days after the cutoff date; eligible from the day after
  (``days = 0``: the day after the cutoff date).
* A permanent item is never eligible for destruction. Its **transfer date** is the cutoff date
  + ``transfer_after_years`` (years as above), and it is due for transfer to the National
  Archives from the day after (``transfer_due_on``).

Legal holds block eligibility whatever these dates say; they are applied by the caller.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retainer.retention.schedule import Category

__all__ = [
    "FISCAL_YEAR_END",
    "add_years",
    "cutoff_end",
    "eligible_on",
    "retention_end",
    "transfer_due_on",
    "transfer_on",
]

FISCAL_YEAR_END = (9, 30)
"""The U.S. federal fiscal year ends 30 September (31 U.S.C. § 1102)."""
_DAY = timedelta(days=1)


def _check_date(sent: date) -> None:
    if isinstance(sent, datetime) or not isinstance(sent, date):
        raise TypeError(f"expected a calendar date in the custodian's time zone, "
                        f"not {type(sent).__name__}")


def cutoff_end(sent: date, cutoff: str) -> date:
    """The cutoff date of a message sent on ``sent``.

    ``"none"``: ``sent`` itself; ``"calendar_year"``: 31 December of that year;
    ``"fiscal_year"``: 30 September ending the fiscal year ``sent`` is in (of the same year up
    to 30 September, of the next year from 1 October). Raises ``ValueError`` for another
    cutoff and ``TypeError`` for a ``datetime``.
    """
    _check_date(sent)
    if cutoff == "none":
        return sent
    if cutoff == "calendar_year":
        return date(sent.year, 12, 31)
    if cutoff == "fiscal_year":
        month, day = FISCAL_YEAR_END
        year = sent.year if (sent.month, sent.day) <= FISCAL_YEAR_END else sent.year + 1
        return date(year, month, day)
    raise ValueError(f"unknown cutoff {cutoff!r}")


def add_years(day: date, years: int) -> date:
    """The same month and day ``years`` later; 29 February becomes 28 February when the target
    year has no 29 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def retention_end(sent: date, category: Category) -> date | None:
    """The last day of the retention period of a temporary item; None for a permanent one."""
    retention = category.retention
    if retention.permanent:
        return None
    end = cutoff_end(sent, category.cutoff)
    if retention.years is not None:
        return add_years(end, retention.years)
    return end + timedelta(days=retention.days or 0)


def eligible_on(sent: date, category: Category) -> date | None:
    """The first day a message of a temporary item is eligible for disposition (the day after
    its retention ends); None for a permanent item, which is never eligible for destruction."""
    end = retention_end(sent, category)
    return None if end is None else end + _DAY


def transfer_on(sent: date, category: Category) -> date | None:
    """The transfer date of a permanent item: cutoff date + ``transfer_after_years``. None for
    a temporary item."""
    retention = category.retention
    if not retention.permanent:
        return None
    return add_years(cutoff_end(sent, category.cutoff), retention.transfer_after_years or 0)


def transfer_due_on(sent: date, category: Category) -> date | None:
    """The first day a permanent item is due for transfer to NARA (the day after
    ``transfer_on``); None for a temporary item."""
    day = transfer_on(sent, category)
    return None if day is None else day + _DAY
