"""Administration: the database schema (``db``) and the integrity check (``verify``)."""

from __future__ import annotations

import sys

import click

from retainer.archive import Archive, schema
from retainer.archive.verify import verify as verify_archive


def _open_unchecked(state, create: bool = True) -> Archive:
    settings = state.settings
    return Archive.open(settings.database_url, settings.vault, check_schema=False,
                        create=create)


@click.group()
def db() -> None:
    """Create, upgrade and check the archive's database schema.

    \b
    Example:
      retainer --db postgresql://records@dbhost/retainer db upgrade
    """


@db.command()
@click.pass_obj
def upgrade(state) -> None:
    """Create the archive or bring it to the newest schema (SQLite is backed up first).

    \b
    Example:
      retainer db upgrade
    """
    archive = _open_unchecked(state)
    try:
        before = schema.current_revision(archive.engine)
        backup = schema.upgrade(archive.engine)
        after = schema.current_revision(archive.engine)
    finally:
        archive.close()
    if backup:
        click.echo(f"backed up the archive to {backup}")
    click.echo(f"schema: {before or 'empty'} → {after}" if before != after
               else f"schema: {after} (already the newest)")


@db.command()
@click.pass_obj
def current(state) -> None:
    """Show the archive's schema revision and the newest one this retainer knows.

    \b
    Example:
      retainer db current
    """
    archive = _open_unchecked(state, create=False)  # a mistyped path stays a mistake
    try:
        revision = schema.current_revision(archive.engine)
    finally:
        archive.close()
    head = schema.head_revision()
    state_text = "up to date" if revision == head else "needs `retainer db upgrade`"
    click.echo(f"{state.settings.redacted_url()}: schema {revision or 'empty'} "
               f"(newest {head}, {state_text})")


@db.command()
@click.pass_obj
def check(state) -> None:
    """Check that the database schema matches the code's models (no drift); exit 1 if not.

    \b
    Example:
      retainer db check
    """
    archive = state.archive
    drift = schema.check(archive.engine)
    if drift:
        click.echo(f"schema drift: {drift}", err=True)
        sys.exit(1)
    click.echo(f"schema {schema.head_revision()}: no drift between models and migrations")


@click.command()
@click.pass_obj
def verify(state) -> None:
    """Prove nothing archived was altered or removed; exit 1 on any discrepancy.

    Recomputes the audit chain, every import's digest over the rows it added (messages,
    captures, events, files, chats, exports, mails, attachments, filings), every message's
    identity, content digest and author key, and every vault file's SHA-256; checks that every
    audit entry anchored in the vault's audit-chain.log is still there. A vault belongs to one
    archive: anchors of another in it are a problem. NOTE lines are worth knowing but no sign
    of tampering.

    \b
    Example:
      retainer verify
    """
    settings = state.settings
    archive = Archive.open(settings.database_url, settings.vault, create=False)  # never new
    try:
        report = verify_archive(archive)
    finally:
        archive.close()
    for problem in report.problems:
        click.echo(f"PROBLEM  {problem}")
    for note in report.notes:
        click.echo(f"NOTE     {note}")
    verdict = "OK" if report.ok else f"{len(report.problems)} problem(s)"
    click.echo(f"verify: {verdict} — {report.entries} audit entries, {report.messages} "
               f"messages, {report.files} vault files checked; chain head {report.head}")
    if not report.ok:
        sys.exit(1)
