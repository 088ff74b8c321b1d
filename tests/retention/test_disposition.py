"""Cutoff + retention → eligibility and transfer dates (docs/schedules.md §6)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from retainer.retention import Category, Retention, cutoff_end, eligible_on, transfer_on
from retainer.retention.disposition import add_years, retention_end, transfer_due_on


def category(cutoff: str, **retention) -> Category:
    return Category(code="X", title="x", description=None, disposition="x", authority="x",
                    authority_note=None, record=True, cutoff=cutoff,
                    retention=Retention(**retention), schedule_id="test")


@pytest.mark.parametrize("sent, cutoff, end", [
    (date(2024, 3, 5), "none", date(2024, 3, 5)),
    (date(2024, 3, 5), "calendar_year", date(2024, 12, 31)),
    (date(2024, 1, 1), "calendar_year", date(2024, 12, 31)),
    (date(2024, 12, 31), "calendar_year", date(2024, 12, 31)),
    (date(2024, 3, 5), "fiscal_year", date(2024, 9, 30)),
    (date(2024, 9, 30), "fiscal_year", date(2024, 9, 30)),     # last day of FY 2024
    (date(2024, 10, 1), "fiscal_year", date(2025, 9, 30)),     # first day of FY 2025
    (date(2024, 10, 5), "fiscal_year", date(2025, 9, 30)),
    (date(2024, 12, 31), "fiscal_year", date(2025, 9, 30)),
    (date(2025, 1, 1), "fiscal_year", date(2025, 9, 30)),
    (date(2024, 2, 29), "none", date(2024, 2, 29)),
    (date(2024, 2, 29), "fiscal_year", date(2024, 9, 30)),
])
def test_cutoff_end(sent, cutoff, end):
    assert cutoff_end(sent, cutoff) == end


def test_unknown_cutoffs_and_datetimes_are_refused():
    with pytest.raises(ValueError):
        cutoff_end(date(2024, 1, 1), "quarter")
    with pytest.raises(TypeError):
        cutoff_end(datetime(2024, 1, 1, 23, 30), "none")   # a UTC date can be a day off


@pytest.mark.parametrize("start, years, end", [
    (date(2024, 12, 31), 7, date(2031, 12, 31)),
    (date(2024, 2, 29), 1, date(2025, 2, 28)),     # no 29 February in 2025
    (date(2024, 2, 29), 4, date(2028, 2, 29)),
    (date(2023, 2, 28), 1, date(2024, 2, 28)),
    (date(2024, 3, 1), 0, date(2024, 3, 1)),
])
def test_add_years_keeps_the_month_and_day(start, years, end):
    assert add_years(start, years) == end


def test_docs_examples():
    sent = date(2024, 3, 5)
    assert eligible_on(sent, category("calendar_year", years=7)) == date(2032, 1, 1)
    assert eligible_on(sent, category("none", days=180)) == date(2024, 9, 2)
    capstone = category("calendar_year", permanent=True, transfer_after_years=15)
    assert eligible_on(sent, capstone) is None
    assert transfer_on(sent, capstone) == date(2039, 12, 31)
    assert transfer_due_on(sent, capstone) == date(2040, 1, 1)
    fiscal = category("fiscal_year", years=3)
    assert eligible_on(date(2024, 10, 5), fiscal) == date(2028, 10, 1)
    assert eligible_on(date(2024, 9, 30), fiscal) == date(2027, 10, 1)


def test_the_fiscal_year_boundary_moves_eligibility_by_a_year():
    fiscal = category("fiscal_year", years=3)
    assert eligible_on(date(2024, 9, 30), fiscal) == date(2027, 10, 1)
    assert eligible_on(date(2024, 10, 1), fiscal) == date(2028, 10, 1)


def test_leap_days():
    yearly = category("none", years=1)
    assert retention_end(date(2024, 2, 29), yearly) == date(2025, 2, 28)
    assert eligible_on(date(2024, 2, 29), yearly) == date(2025, 3, 1)      # 366 days later
    assert eligible_on(date(2024, 2, 28), yearly) == date(2025, 3, 1)
    assert eligible_on(date(2024, 2, 29), category("none", years=4)) == date(2028, 3, 1)
    assert eligible_on(date(2024, 2, 28), category("none", days=1)) == date(2024, 3, 1)
    assert eligible_on(date(2023, 2, 28), category("none", days=1)) == date(2023, 3, 2)
    assert eligible_on(date(2023, 12, 31), category("calendar_year", days=60)) == \
        date(2024, 3, 1)  # 31 Dec 2023 + 60 days = 29 Feb 2024


def test_zero_days_is_eligible_the_next_day():
    assert eligible_on(date(2024, 12, 31), category("none", days=0)) == date(2025, 1, 1)


def test_permanent_items_have_a_transfer_date_and_no_eligibility():
    liaison = category("fiscal_year", permanent=True, transfer_after_years=25)
    sent = date(2024, 10, 5)
    assert eligible_on(sent, liaison) is None
    assert retention_end(sent, liaison) is None
    assert transfer_on(sent, liaison) == date(2050, 9, 30)
    assert transfer_due_on(sent, liaison) == date(2050, 10, 1)
    assert transfer_on(date(2024, 2, 29), category("none", permanent=True,
                                                   transfer_after_years=1)) == date(2025, 2, 28)


def test_temporary_items_have_no_transfer_date():
    assert transfer_on(date(2024, 1, 1), category("none", years=1)) is None
    assert transfer_due_on(date(2024, 1, 1), category("none", years=1)) is None
