"""What a wheel carries: every package, the migrations' template and the report template."""

from __future__ import annotations

from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[1]


def test_every_folder_with_python_code_is_a_package():
    found = set(find_packages(str(ROOT), exclude=["tests", "tests.*", "bench"]))
    for folder in (ROOT / "retainer").rglob("*"):
        if folder.is_dir() and any(folder.glob("*.py")) and "__pycache__" not in folder.parts:
            dotted = ".".join(folder.relative_to(ROOT).parts)
            assert dotted in found, f"{dotted} has no __init__.py: a wheel would leave it out"


def test_package_data_is_declared():
    setup = (ROOT / "setup.cfg").read_text()
    for pattern in ("archive/migrations/script.py.mako", "reports/templates/*.html.j2",
                    "schedules/*.toml"):
        assert pattern in setup
