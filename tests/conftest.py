"""Shared fixtures: test data, a click runner, and archives on SQLite and PostgreSQL.

The ``archive`` fixture runs each test once on a SQLite file and once on a fresh PostgreSQL
database (copied from a template upgraded once per session). Without a reachable server the
PostgreSQL half skips, saying why; with ``CI=true`` it fails instead: CI must test both.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from retainer.archive import Archive

DATA = Path(__file__).parent / "data"
PG_ADMIN_URL = os.environ.get("RETAINER_TEST_POSTGRES",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_names = itertools.count()


@pytest.fixture
def data() -> Path:
    """The folder of hand-made test exports."""
    return DATA


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _admin_engine():
    from sqlalchemy import create_engine

    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_template():
    """A database upgraded to the newest schema, copied for each test."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    try:
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (OperationalError, ImportError) as exc:
        reason = f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run the PostgreSQL tests")
        pytest.skip(reason)
    name = f"retainer_tpl_{os.getpid()}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    archive = Archive.open(_database_url(name), create=False, check_schema=False)
    from retainer.archive import schema

    schema.upgrade(archive.engine)
    archive.close()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextlib.contextmanager
def _fresh_postgres(template: str):
    from sqlalchemy import text

    name = f"retainer_t_{os.getpid()}_{next(_names)}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _database_url(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_url(postgres_template):
    """URL of a fresh PostgreSQL database holding an empty, current archive."""
    with _fresh_postgres(postgres_template) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def archive_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def archive(archive_url, tmp_path):
    archive = Archive.open(archive_url, tmp_path / "vault")
    yield archive
    archive.close()


@pytest.fixture
def other_archive(archive_url, tmp_path, request):
    """A second empty archive on the same backend as ``archive``."""
    with contextlib.ExitStack() as stack:
        if archive_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / 'other.db'}"
        else:
            url = stack.enter_context(
                _fresh_postgres(request.getfixturevalue("postgres_template")))
        other = Archive.open(url, tmp_path / "other-vault")
        yield other
        other.close()
