"""Shared fixtures: where the test data is, and a click runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data() -> Path:
    """The folder of hand-made test exports."""
    return DATA


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
