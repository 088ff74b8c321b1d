"""Shared fixtures for the retention tests: the schedule fixtures and the shipped schedules."""

from __future__ import annotations

from pathlib import Path

import pytest

from retainer.retention import RuleBook, load_schedules

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "schedules"
FIXTURES = Path(__file__).resolve().parents[1] / "data" / "schedules"


@pytest.fixture(scope="session")
def shipped_book() -> RuleBook:
    """nara-grs then example-agency, from the repository's schedules/ folder."""
    return load_schedules(["nara-grs", "example-agency"], paths=[SHIPPED], cwd=SHIPPED)


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
